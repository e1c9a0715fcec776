#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Keys must not reach a hibernation image: while keys are held, vhsm refuses
# hibernation (unless allow_hibernation=1). Leaves three keys for unload_test.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool

ktap_plan 3
ok=1
for i in 1 2 3; do $T keygen --type aes256 --label pm.$i >/dev/null || ok=0; done
[ $ok = 1 ] && ktap_ok "three keys held" || ktap_fail "three keys held"

if ! grep -qw disk /sys/power/state; then
	ktap_fail "hibernation available in the test VM" "$(cat /sys/power/state)"
else
	ktap_ok "hibernation available in the test VM"
fi
err=$( (echo disk > /sys/power/state) 2>&1 ); rc=$?
if [ $rc -ne 0 ] && dmesg | tail -n 30 | grep -qE "refusing hibernation: [0-9]+ keys"; then
	ktap_ok "hibernation refused while keys are held"
else
	ktap_fail "hibernation refused while keys are held" "rc=$rc $err; $(dmesg | tail -n 5)"
fi
ktap_finish
