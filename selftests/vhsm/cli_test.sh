#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool end to end against the loaded module: info, --json, exit codes;
# attest's report on stdout is the raw report and nothing else; platform key
# gives the same key for the same request.
. "$(dirname "$0")/ktap.sh"
GID=${VHSM_TEST_GID:?}
T=vhsm-tool

ktap_plan 31

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

# ---- attest -o - (the default): pure binary on stdout, messages on stderr ----
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
rd=cafef00d
$T attest --report-data $rd > "$d/r.bin" 2> "$d/err"; rc=$?
ktap_expect_rc "attest without -o writes the report to stdout (exit 0)" 0 sh -c "exit $rc"
ktap_check "stdout holds exactly one 1184-byte report" sh -c "[ \$(wc -c < '$d/r.bin') -eq 1184 ]"
ktap_check "the bytes on stdout are the report, with our report_data" sh -c \
	"$T report show '$d/r.bin' --field report_data | grep -q '^${rd}0*\$'"
ktap_check "the summary went to stderr" grep -q "written to stdout" "$d/err"
$T attest --random -o - > "$d/r2.bin" 2> "$d/err2"
ktap_check "attest --random -o -: 1184 bytes, a raw report (no text: version bytes first)" sh -c \
	"[ \$(wc -c < '$d/r2.bin') -eq 1184 ] && [ \$($T report show '$d/r2.bin' --field version) -ge 2 ] &&
	 ! $T report show '$d/r2.bin' 2>&1 >/dev/null | grep -q text"
want=$($T report show "$d/r2.bin" --field report_data)
case "$(cat "$d/err2")" in
*"random report_data $want"*) ktap_ok "--random names the random report_data on stderr" ;;
*) ktap_fail "--random names the random report_data on stderr" "$(cat "$d/err2") / $want" ;;
esac
$T attest --random > "$d/r3.bin" 2>/dev/null
if cmp -s "$d/r2.bin" "$d/r3.bin"; then ktap_fail "two --random reports differ"
else ktap_ok "two --random reports differ"; fi
ktap_check "--quiet: nothing on stderr, the report on stdout" sh -c \
	"$T attest --random --quiet > '$d/r4.bin' 2> '$d/err4' && [ ! -s '$d/err4' ] &&
	 [ \$(wc -c < '$d/r4.bin') -eq 1184 ]"
ktap_expect_rc "attest without --report-data or --random is a usage error (2)" 2 $T attest -o "$d/x"
ktap_expect_rc "attest --random > /dev/full fails (1)" 1 sh -c "$T attest --random > /dev/full"
ktap_check "attest | report show - reads the report from a pipe" sh -c \
	"$T attest --random 2>/dev/null | $T report show - --field version"

# ---- platform key: same request, same key; another binding, another key ----
printf 'platform key test message' > "$d/msg"
pk() { $T platform key --label cli.pk --type hmac-sha256 "$@" >/dev/null &&
       $T mac cli.pk -i "$d/msg" -o "$d/mac" && $T destroy cli.pk; }
ktap_check "platform key stores a derived key that works (mac)" pk
cp "$d/mac" "$d/mac1"
ktap_check "the same request again" pk
ktap_check "gives the same key" cmp -s "$d/mac1" "$d/mac"
pk --bind measurement >/dev/null 2>&1
if [ -s "$d/mac" ] && ! cmp -s "$d/mac1" "$d/mac"; then ktap_ok "another --bind gives another key"
else ktap_fail "another --bind gives another key"; fi
tcb=$($T --json report show "$d/r.bin" | jq -r .committed_tcb.raw | sed 's/^0x//')
ktap_check "--tcb (the committed TCB) works" pk --tcb "$tcb"
cp "$d/mac" "$d/mac-tcb"
ktap_check "--tcb gives another key than without" sh -c "! cmp -s '$d/mac1' '$d/mac-tcb'"
out=$($T platform key --label cli.pk2 --type aes256 --guest-svn 4000000000 2>&1); rc=$?
case "$rc:$out" in
1:*"firmware refused"*"beyond the launch"*) ktap_ok "a --guest-svn above the launch's is refused by the firmware (1)" ;;
*) ktap_fail "a --guest-svn above the launch's is refused by the firmware (1)" "exit $rc: $out" ;;
esac
out=$($T platform key --label cli.pk2 --type aes256 --root vmrk 2>&1); rc=$?
case "$rc:$out" in
1:*"root key is not available"*) ktap_ok "--root vmrk on the sim (no migration agent) is refused, and says why" ;;
*) ktap_fail "--root vmrk on the sim (no migration agent) is refused, and says why" "exit $rc: $out" ;;
esac

ktap_finish
