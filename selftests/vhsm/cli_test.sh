#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool end to end against the loaded module: info, --json, exit codes.
. "$(dirname "$0")/ktap.sh"
GID=${VHSM_TEST_GID:?}
T=vhsm-tool

ktap_plan 12

ktap_expect_rc "info exits 0" 0 $T info
out=$($T info 2>&1)
case "$out" in
*"platform      sim (SIMULATED"*) ktap_ok "info names the simulated platform" ;;
*) ktap_fail "info names the simulated platform" "$out" ;;
esac

json=$($T info --json)
if printf '%s' "$json" | jq -e . >/dev/null 2>&1; then
	ktap_ok "info --json prints valid JSON"
else
	ktap_fail "info --json prints valid JSON" "$json"
fi
ktap_check "info --json has the right fields" sh -c "printf '%s' '$json' | jq -e '
	.abi_version == 1 and
	.device == \"/dev/vhsm\" and
	(.module_version | type == \"string\" and length > 0) and
	(.library_version | type == \"string\" and length > 0) and
	.platform.name == \"sim\" and .platform.id == 2 and .platform.simulated == true and
	(.capabilities | type == \"array\") and
	(.limits | type == \"object\" and has(\"max_keys\") and has(\"max_data_len\"))'"
ktap_check "global --json before the command works too" sh -c \
	"$T --json info | jq -e '.platform.name == \"sim\"'"

ktap_expect_rc "--help exits 0" 0 $T --help
ktap_expect_rc "--version exits 0" 0 $T --version
ktap_expect_rc "no command is a usage error (2)" 2 $T
ktap_expect_rc "unknown command is a usage error (2)" 2 $T frobnicate
ktap_expect_rc "missing device exits 4" 4 $T --device /dev/vhsm-missing info
ktap_expect_rc "user outside the group is refused (3)" 3 runas 65534 65534 $T info
ktap_expect_rc "group member may run info" 0 runas 65534 65534,"$GID" $T info

ktap_finish
