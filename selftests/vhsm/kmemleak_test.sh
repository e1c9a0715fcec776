#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory leaks, as kmemleak sees them: scan (twice, so that objects caught
# in flight are not reported), list what is unreferenced, then clear the list
# so that a later run reports only what is new. The debug lane runs this
# before unload_test.sh (vhsm loaded: its frames resolve to [vhsm]) and last
# (after the unload: whatever vhsm did not free is unreferenced now; its
# frames show as bare addresses in the module area).
# Skips (exit 4) on a kernel without kmemleak.
. "$(dirname "$0")/ktap.sh"
KL=/sys/kernel/debug/kmemleak

[ -e "$KL" ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w "$KL" ]; then
	echo "# no $KL: not the debug-lane kernel"
	exit 4
fi

ktap_plan 3

if ! echo scan > "$KL" || ! { sleep 1; echo scan > "$KL"; }; then
	ktap_fail "kmemleak scans" "$(dmesg | grep kmemleak | tail -n 3)"
	ktap_finish
	exit
fi
ktap_ok "kmemleak scans"

report=$(cat "$KL")
# One record per "unreferenced object". vhsm's have a [vhsm] frame or, once
# the module is gone, a bare address in the module area (%pS prints
# 0xffffffffa0000000 and up unresolved): "vhsm" records. The rest: "other".
# classify WHICH: the records of that class, as TAP diagnostics
classify() {
	printf '%s\n' "$report" | awk -v which="$1" '
		function flush() {
			if (rec != "" && (mine ? "vhsm" : "other") == which) {
				n++
				if (n <= 10) printf "%s", rec
			}
			rec = ""; mine = 0
		}
		/^unreferenced object/ { flush(); inrec = 1 }
		inrec { rec = rec "# " $0 "\n" }
		/\[vhsm(_tsm)?\]/ || /^ +0xffffffff[a-f][0-9a-f]{7}$/ { mine = 1 }
		END { flush(); print "#count " n + 0 }'
}
total=$(printf '%s\n' "$report" | grep -c '^unreferenced object')
vhsm_recs=$(classify vhsm)
other_recs=$(classify other)
vhsm=$(printf '%s\n' "$vhsm_recs" | sed -n 's/^#count //p')
other=$(printf '%s\n' "$other_recs" | sed -n 's/^#count //p')

if [ "$vhsm" -eq 0 ]; then
	ktap_ok "no leaks from vhsm"
else
	ktap_fail "no leaks from vhsm" "$vhsm unreferenced object(s) allocated by vhsm (first 10):"
	printf '%s\n' "$vhsm_recs" | grep -v '^#count '
fi
if [ "$other" -eq 0 ]; then
	ktap_ok "no leaks elsewhere in the kernel"
else
	ktap_fail "no leaks elsewhere in the kernel" "$other unreferenced object(s), not vhsm's (first 10):"
	printf '%s\n' "$other_recs" | grep -v '^#count '
fi
echo "# kmemleak: $total unreferenced object(s), $vhsm from vhsm"
echo clear > "$KL"
ktap_finish
