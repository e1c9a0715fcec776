#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm_tsm.ko: configfs-tsm reports served by vhsm's platform, so userspace
# attestation keeps working while vhsm owns the guest-message key; its
# privlevel_floor is the VMPL of vhsm's VMPCK (checked at VMPL 0 and 2).
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
KO=${VHSM_KO%/*}/vhsm_tsm.ko
cfg=/sys/kernel/config
r=$cfg/tsm/report/vhsm-test
d=$(mktemp -d)
trap 'rmdir "$r" 2>/dev/null; rm -rf "$d"' EXIT

# A kernel without configfs-tsm (before 6.7, e.g. Debian 12's 6.1) gets no
# vhsm_tsm.ko (kmod/Kbuild): nothing to test there.
if [ ! -e "$KO" ]; then
	ktap_plan 1
	ktap_skip "configfs-tsm reports through vhsm_tsm" \
		"this kernel ($(uname -r)) has no configfs-tsm, so no vhsm_tsm.ko"
	ktap_finish
	exit
fi
ktap_plan 17
grep -q " $cfg configfs" /proc/mounts || mount -t configfs configfs "$cfg"
ktap_check "vhsm_tsm loads and registers" insmod "$KO"
ktap_check "a report directory can be made" mkdir "$r"
if [ "$(cat "$r/provider" 2>/dev/null)" = vhsm ]; then
	ktap_ok "provider is vhsm"
else
	ktap_fail "provider is vhsm" "$(cat "$r/provider" 2>&1)"
fi
floor=$(cat "$r/privlevel_floor" 2>&1)
[ "$floor" = "$(cat /sys/module/vhsm/parameters/sim_vmpl)" ] &&
	ktap_ok "privlevel_floor is the guest's VMPL ($floor)" ||
	ktap_fail "privlevel_floor is the guest's VMPL" "floor $floor"
rd=$(printf 'tsm%061d' 7)
printf '%s' "$rd" > "$r/inblob"
cat "$r/outblob" > "$d/r.bin" 2>/dev/null
if [ "$(wc -c < "$d/r.bin")" -eq 1184 ]; then
	ktap_ok "outblob is a 1184-byte report"
else
	ktap_fail "outblob is a 1184-byte report" "$(wc -c < "$d/r.bin") bytes"
fi
want=$(printf '%s' "$rd" | od -An -tx1 -v | tr -d ' \n')
got=$($T --json report show "$d/r.bin" | jq -r .report_data)
[ "$got" = "$want" ] && ktap_ok "the report carries inblob as report_data" ||
	ktap_fail "the report carries inblob as report_data" "got $got"
gen=$(cat "$r/generation")
printf 'again' > "$r/inblob"
[ "$(cat "$r/generation")" -gt "$gen" ] && ktap_ok "generation advances on a new inblob" ||
	ktap_fail "generation advances on a new inblob"
if (echo 4 > "$r/privlevel") 2>/dev/null; then
	ktap_fail "privlevel above 3 is refused"
else
	ktap_ok "privlevel above 3 is refused"
fi
rmdir "$r"
if rmmod vhsm 2>/dev/null; then
	ktap_fail "vhsm stays loaded while vhsm_tsm uses it"
	insmod "$VHSM_KO" platform=sim group="$VHSM_TEST_GID"
else
	ktap_ok "vhsm stays loaded while vhsm_tsm uses it"
fi
ktap_check "vhsm_tsm unloads" rmmod vhsm_tsm

# A guest at VMPL 2: configfs-tsm refuses what the firmware would refuse.
rmmod vhsm
ktap_check "vhsm loads as a VMPL 2 guest, vhsm_tsm on it" \
	sh -c "insmod '$VHSM_KO' platform=sim group='$VHSM_TEST_GID' sim_vmpl=2 && insmod '$KO' && mkdir '$r'"
floor=$(cat "$r/privlevel_floor" 2>&1)
[ "$floor" = 2 ] && ktap_ok "privlevel_floor is 2 at VMPL 2" ||
	ktap_fail "privlevel_floor is 2 at VMPL 2" "floor $floor"
if (echo 1 > "$r/privlevel") 2>/dev/null; then
	ktap_fail "privlevel 1 is refused at VMPL 2"
else
	ktap_ok "privlevel 1 is refused at VMPL 2"
fi
ktap_check "privlevel 3 is accepted at VMPL 2" sh -c "echo 3 > '$r/privlevel'"
printf 'vmpl' > "$r/inblob"
cat "$r/outblob" > "$d/r3.bin" 2>/dev/null
got=$($T --json report show "$d/r3.bin" 2>&1 | jq -r .vmpl 2>&1)
[ "$got" = 3 ] && ktap_ok "the report is for VMPL 3" ||
	ktap_fail "the report is for VMPL 3" "vmpl $got"
rmdir "$r"
ktap_check "vhsm_tsm unloads again" rmmod vhsm_tsm
ktap_check "vhsm reloads as the run had it" \
	sh -c "rmmod vhsm && insmod '$VHSM_KO' platform=sim group='$VHSM_TEST_GID'"
ktap_finish
