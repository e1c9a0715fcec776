#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Loading vhsm.ko: platform selection, the group parameter, load and unload.
# Runs in the test VM with the module not yet loaded; leaves it loaded with
# platform=sim and group=$VHSM_TEST_GID for the tests that follow.
. "$(dirname "$0")/ktap.sh"
KO=${VHSM_KO:?VHSM_KO must name vhsm.ko}
GID=${VHSM_TEST_GID:?}

loaded() { grep -q '^vhsm ' /proc/modules; }
dmesg_has() { dmesg | tail -n 20 | grep -q -- "$1"; }

ktap_plan 11

missing=""
for m in $(cat /etc/vhsm-test/modules 2>/dev/null); do
	grep -q "^$(echo "$m" | tr - _) " /proc/modules || missing="$missing $m"
done
if [ -f /etc/vhsm-test/modules ] && [ -z "$missing" ]; then
	ktap_ok "Debian modules the tests need are loaded"
else
	ktap_fail "Debian modules the tests need are loaded" "not loaded:$missing"
fi

if loaded; then
	ktap_fail "module not loaded at start" "vhsm already loaded; cannot test loading"
else
	ktap_ok "module not loaded at start"
fi

# refuses NAME MESSAGE PARAMS...: insmod with PARAMS must fail, with MESSAGE
# (when not empty) in the kernel log.
refuses() {
	_name=$1 _msg=$2; shift 2
	if insmod "$KO" "$@" 2>/dev/null || loaded; then
		ktap_fail "$_name" "it loaded"
		rmmod vhsm 2>/dev/null
	elif [ -n "$_msg" ] && ! dmesg_has "$_msg"; then
		ktap_fail "$_name" "no clear message in dmesg (wanted: $_msg)"
	else
		ktap_ok "$_name"
	fi
}

refuses "platform=auto refuses to load without SEV-SNP" \
	"not an SEV-SNP guest; load with platform=sim" platform=auto
refuses "unknown platform is refused" \
	"platform=bogus: unknown platform" platform=bogus
refuses "invalid group is refused" \
	"group=4294967295 is not a valid gid" platform=sim group=4294967295
refuses "snp_vmpck outside 0-3 is refused" \
	"snp_vmpck=4: use 0-3" platform=sim snp_vmpck=4

if insmod "$KO" platform=sim group="$GID" && loaded && [ -c /dev/vhsm ]; then
	ktap_ok "platform=sim loads and creates /dev/vhsm"
else
	ktap_fail "platform=sim loads and creates /dev/vhsm"
fi

if dmesg_has "platform=sim: SIMULATED platform"; then
	ktap_ok "sim platform announces itself at load"
else
	ktap_fail "sim platform announces itself at load"
fi

if rmmod vhsm && ! loaded && [ ! -e /dev/vhsm ]; then
	ktap_ok "rmmod removes the module and /dev/vhsm"
else
	ktap_fail "rmmod removes the module and /dev/vhsm"
fi

ktap_check "module reloads after unload" sh -c \
	"insmod '$KO' platform=sim group='$GID' && [ -c /dev/vhsm ]"

if [ "$(cat /sys/module/vhsm/parameters/platform 2>/dev/null)" = sim ] &&
   [ "$(cat /sys/module/vhsm/parameters/group 2>/dev/null)" = "$GID" ]; then
	ktap_ok "parameters visible in sysfs"
else
	ktap_fail "parameters visible in sysfs"
fi

ktap_finish
