# SPDX-License-Identifier: GPL-2.0-or-later
# TAP output for shell tests, in the kselftest format (and its "# Totals" line,
# which the summary counts). Source it, call ktap_plan N, then ok/fail/skip.
ktap_n=0 ktap_pass=0 ktap_fail=0 ktap_skip=0 ktap_planned=

ktap_plan() {
	ktap_planned=$1
	echo "TAP version 13"
	echo "1..$1"
}
ktap_ok() {
	ktap_n=$((ktap_n + 1)); ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $1"
}
ktap_fail() {
	ktap_n=$((ktap_n + 1)); ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$*" | sed 's/^/# /'
	return 0
}
ktap_skip() {
	ktap_n=$((ktap_n + 1)); ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}
# ktap_check NAME COMMAND...: ok when the command exits 0
ktap_check() {
	_name=$1; shift
	if _out=$("$@" 2>&1); then ktap_ok "$_name"; else ktap_fail "$_name" "$_out"; fi
}
# ktap_expect_rc NAME RC COMMAND...: ok when the command exits with RC
ktap_expect_rc() {
	_name=$1 _want=$2; shift 2
	_out=$("$@" 2>&1); _rc=$?
	if [ "$_rc" = "$_want" ]; then ktap_ok "$_name"
	else ktap_fail "$_name" "exit $_rc, wanted $_want: $_out"; fi
}
# ktap_fail_rest NAME REASON: a test that cannot run (a tool missing) fails
# every result it planned, then finishes
ktap_fail_rest() {
	while [ "$ktap_n" -lt "${ktap_planned:-0}" ]; do ktap_fail "$1" "$2"; done
	ktap_finish
}
# A test that reports fewer or more results than it planned has lost some:
# that is a failure of its own, counted and named.
ktap_finish() {
	if [ -n "$ktap_planned" ] && [ "$ktap_n" -ne "$ktap_planned" ]; then
		ktap_fail "plan: $ktap_planned planned, $ktap_n reported"
	fi
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ]
}
# ktap_has_cap NAME: vhsm-tool info lists capability NAME (a test of a
# feature the running kernel lacks skips instead: README "Supported kernels")
ktap_has_cap() {
	vhsm-tool --json info 2>/dev/null |
		jq -e --arg c "$1" '.capabilities | index($c) != null' >/dev/null
}
# ktap_skip_all NAME REASON: the whole test skipped, counted once
ktap_skip_all() {
	ktap_plan 1
	ktap_skip "$1" "$2"
	ktap_finish
	exit
}
