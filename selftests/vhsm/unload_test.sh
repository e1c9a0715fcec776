#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Unloading vhsm.ko at the end of the run: refused while the device is open,
# clean once it is closed.
. "$(dirname "$0")/ktap.sh"

loaded() { grep -q '^vhsm ' /proc/modules; }

ktap_plan 4

exec 9</dev/vhsm
if rmmod vhsm 2>/dev/null; then
	ktap_fail "rmmod refused while /dev/vhsm is open" "module unloaded under an open file"
else
	loaded && ktap_ok "rmmod refused while /dev/vhsm is open" ||
		ktap_fail "rmmod refused while /dev/vhsm is open" "module gone"
fi
exec 9<&-

if rmmod vhsm && ! loaded; then
	ktap_ok "rmmod succeeds once closed"
else
	ktap_fail "rmmod succeeds once closed"
fi

# pm_test.sh left three keys in the store
wiped=$(dmesg | tail -n 20 | sed -n 's/.*vhsm: wiped \([0-9]*\) keys.*/\1/p' | tail -n 1)
if [ "${wiped:-0}" -ge 3 ]; then
	ktap_ok "unload wipes the keys still held"
else
	ktap_fail "unload wipes the keys still held" "$(dmesg | tail -n 5)"
fi

if [ ! -e /dev/vhsm ] && [ ! -d /sys/class/vhsm/vhsm ]; then
	ktap_ok "device node and class device removed"
else
	ktap_fail "device node and class device removed"
fi

ktap_finish
