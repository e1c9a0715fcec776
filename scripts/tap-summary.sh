#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Count the results of a test run and print "N passed, N failed, N skipped".
#
# usage: tap-summary.sh LOG... where each LOG has LOG.expected (the programs that
# must report) beside it, and optionally LOG.status and LOG.console (a VM run).
# A program with no result, a non-zero exit, a VM timeout, and any oops, BUG,
# WARNING, KASAN, KFENCE or UBSAN report on the console each count as a failure,
# as do, on the debug-lane kernel, lockdep and DEBUG_OBJECTS reports (most are
# WARNING: or BUG: lines), kmemleak finding leaks or switching itself off
# ("Cannot allocate a scan area" is not counted: under fault injection
# kmemleak then scans the whole object, and finds as much).
set -u
pass=0 fail=0 skip=0

for log in "$@"; do
	base=${log%.tap}; base=${base%.log}
	expected=$base.expected
	[ -f "$expected" ] || expected=$log.expected
	if [ ! -f "$log" ]; then
		echo "FAIL: $log: no output at all"
		fail=$((fail + 1))
		continue
	fi
	res=$(tr -d '\r' < "$log" | awk -v expfile="$expected" '
		BEGIN { while ((getline l < expfile) > 0) if (l != "") want[++n] = l }
		/^vhsm-run: begin / { cur = $3; seen[cur] = 1; next }
		/^vhsm-run: end / { sub(/^rc=/, "", $4); rc[$3] = $4; cur = ""; next }
		cur != "" && /^# Totals: / {
			for (i = 3; i <= NF; i++) { split($i, kv, ":"); t[cur, kv[1]] = kv[2] }
			tot[cur] = 1
		}
		cur != "" && /^not ok / { print "FAIL: " cur ": " $0 > "/dev/stderr" }
		END {
			p = f = s = 0
			for (i = 1; i <= n; i++) {
				x = want[i]
				if (!(x in rc)) {
					print "FAIL: " x ": no result (did not run, crashed or timed out)" > "/dev/stderr"
					f++; continue
				}
				if (tot[x]) {
					p += t[x, "pass"] + t[x, "xfail"]
					f += t[x, "fail"] + t[x, "xpass"] + t[x, "error"]
					s += t[x, "skip"]
				}
				if (rc[x] == 4 && !tot[x]) { s++; continue }
				if (rc[x] != 0 && rc[x] != 4 && !(tot[x] && t[x, "fail"] + t[x, "error"] > 0)) {
					print "FAIL: " x ": exited with status " rc[x] > "/dev/stderr"; f++
				} else if (!tot[x] && rc[x] == 0) {
					print "FAIL: " x ": no TAP totals" > "/dev/stderr"; f++
				}
			}
			print p, f, s
		}')
	set -- $res "$@"
	pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + $3))
	shift 3
	if [ -f "$base.status" ] && [ "$(cat "$base.status")" != ok ]; then
		echo "FAIL: VM: $(cat "$base.status")"
		fail=$((fail + 1))
	fi
	if [ -f "$base.console" ]; then
		problems=$(tr -d '\r' < "$base.console" | grep -a -E \
			'Oops|BUG:|WARNING:|KASAN|KFENCE|UBSAN|ODEBUG:|Kernel panic|general protection fault|kmemleak: [0-9]+ new suspected|kmemleak: .*disabled|kmemleak: Cannot allocate a kmemleak_object|unreferenced object 0x|INFO: trying to register non-static key|INFO: task .* blocked|soft lockup|rcu_.*stall' |
			sed -E 's/^\[ *[0-9.]+\] //')
		if [ -n "$problems" ]; then
			n=$(printf '%s\n' "$problems" | wc -l)
			echo "FAIL: the VM's kernel log has $n problem report(s) (full log: $base.console):"
			printf '%s\n' "$problems" | head -n 20 | sed 's/^/    /'
			fail=$((fail + n))
		fi
	fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
