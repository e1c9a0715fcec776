#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool report verify as its users meet it (issue 12 items 3 and 4): the
# --json verdict carries the verified claims, the signing key and the checks
# run and weakened; an error under --json is {"ok":false,"error":...}; policy
# errors name the problem; the policy options on the command line and
# --policy - ; the man page documents every policy key. Real AMD reports.
# Env: VHSM_HOST_TOOL (vhsm-tool), VHSM_TESTDATA (default selftests/testdata/snp).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
T=$(abspath "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")
TD=$(abspath "${VHSM_TESTDATA:-$root/selftests/testdata/snp}")

PLAN=36
ktap_plan $PLAN
if [ ! -x "$T" ] || [ ! -d "$TD" ] || ! command -v jq >/dev/null ||
   ! command -v openssl >/dev/null; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_fail "verify cli" "needs $T, $TD, jq and openssl"; i=$((i + 1))
	done
	ktap_finish
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ktap_rc_out NAME RC PATTERN COMMAND...: exit RC and PATTERN in stdout+stderr
ktap_rc_out() {
	_name=$1 _want=$2 _pat=$3; shift 3
	_out=$("$@" 2>&1); _rc=$?
	case "$_out" in
	*"$_pat"*) [ "$_rc" = "$_want" ] && { ktap_ok "$_name"; return; } ;;
	esac
	ktap_fail "$_name" "exit $_rc (wanted $_want and '$_pat'), output: $_out"
}
# ktap_jq NAME WANT JSON FILTER: jq -r FILTER of JSON is WANT
ktap_jq() {
	_got=$(printf '%s' "$3" | jq -r "$4" 2>&1)
	if [ "$_got" = "$2" ]; then ktap_ok "$1"; else ktap_fail "$1" "got '$_got', wanted '$2'"; fi
}

# the Genoa report: vmpl 0, TCB bl 10 tee 0 snp 23 ucode 25, firmware 1.55.40
R=$TD/trustee/e2e-evidence.report.bin
K=$TD/trustee/e2e-evidence.vcek.der
claims=$("$T" --json report show "$R")
rd=$(printf '%s' "$claims" | jq -r .report_data)
m=$(printf '%s' "$claims" | jq -r .measurement)
z96=$(printf '%096d' 0)

# ---- item 3: the verdict (12) ----
v=$("$T" --json report verify "$R" --vcek "$K")
ktap_jq "verdict: schema 2, ok" "2 true" "$v" '"\(.schema) \(.ok)"'
c1=$(printf '%s' "$claims" | jq -S -c .)
c2=$(printf '%s' "$v" | jq -S -c .claims)
if [ -n "$c1" ] && [ "$c1" = "$c2" ]; then ktap_ok "verdict: claims are the report's (show --json)"
else ktap_fail "verdict: claims are the report's (show --json)" "$c2"; fi
ktap_jq "verdict: version, product, vmpl" "3 Genoa 0" "$v" \
	'"\(.claims.version) \(.claims.product) \(.claims.vmpl)"'
ktap_jq "verdict: measurement" "$m" "$v" .claims.measurement
ktap_jq "verdict: report_data" "$rd" "$v" .claims.report_data
ktap_jq "verdict: the four TCBs" "23 23 23 23" "$v" \
	'"\(.claims.current_tcb.snp) \(.claims.reported_tcb.snp) \(.claims.committed_tcb.snp) \(.claims.launch_tcb.snp)"'
ktap_jq "verdict: decoded policy, chip id" "false true 371c55d6d15cb50f" "$v" \
	'"\(.claims.policy.debug) \(.claims.policy.smt) \(.claims.chip_id[0:16])"'
serial=$(openssl x509 -inform der -in "$K" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f')
subject=$(openssl x509 -inform der -in "$K" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
ktap_jq "verdict: signing key type and serial (as openssl prints it)" "vcek $serial" "$v" \
	'"\(.signing_key.type) \(.signing_key.serial)"'
ktap_jq "verdict: signing key subject (as openssl prints it)" "$subject" "$v" .signing_key.subject
ktap_jq "verdict: checks run" "true true true true false" "$v" \
	'[.checks | index("signature","chain","tcb","hwid","measurement")] | map(. != null) | join(" ")'
ktap_jq "verdict: weakened without a CRL" "no_crl" "$v" '.weakened | join(",")'
v=$("$T" --json report verify "$R" --vcek "$K" --no-check-time --no-policy)
ktap_jq "verdict: --no-check-time --no-policy are weakened" "no_check_time,no_crl,no_policy" \
	"$v" '.weakened | join(",")'

# ---- item 3: errors under --json (4) ----
out=$("$T" --json report verify "$R" --vcek "$tmp/missing.der" 2>/dev/null); rc=$?
ktap_jq "--json error: exit 1 and ok false" "1 false" "$out" "\"$rc \\(.ok)\""
ktap_jq "--json error: the message" "true" "$out" '.error | contains("missing.der")'
printf '{"max_vmpl": 1,\n "bogus": 2}' > "$tmp/bad.json"
out=$("$T" --json report verify "$R" --vcek "$K" --policy "$tmp/bad.json" 2>/dev/null); rc=$?
ktap_jq "--json policy error: exit 1, names the key" "1 true" "$out" \
	"\"$rc \\(.error | contains(\"unknown key \\\"bogus\\\"\"))\""
out=$("$T" --json report verify "$tmp/nothing.bin" --vcek "$K" 2>/dev/null); rc=$?
ktap_jq "--json unreadable report: exit 1, ok false" "1 false" "$out" "\"$rc \\(.ok)\""

# ---- item 4: policy errors name the problem (4) ----
printf '{\n  "max_vmpl": 1\n  "allow_debug": true\n}\n' > "$tmp/syntax.json"
ktap_rc_out "malformed policy: line and column" 1 "line 3, column" \
	"$T" report verify "$R" --vcek "$K" --policy "$tmp/syntax.json"
ktap_rc_out "unknown key named" 1 'unknown key "bogus"' \
	"$T" report verify "$R" --vcek "$K" --policy "$tmp/bad.json"
echo '{"max_vmpl": 9}' > "$tmp/range.json"
ktap_rc_out "bad value named" 1 '"max_vmpl": 9 is out of range 0..3' \
	"$T" report verify "$R" --vcek "$K" --policy "$tmp/range.json"
echo '{"platform_info_required": ["tsme"]}' > "$tmp/name.json"
ktap_rc_out "bad platform_info name named" 1 "not a platform_info bit name" \
	"$T" report verify "$R" --vcek "$K" --policy "$tmp/name.json"

# ---- item 4: --policy - and the command-line checks (15) ----
ktap_check "--policy - reads stdin" sh -c \
	"echo '{\"max_vmpl\": 0, \"platform_info_forbidden\": [\"tsme_en\"]}' |
	 '$T' report verify '$R' --vcek '$K' --policy -"
ktap_rc_out "--policy - refuses from stdin" 3 "min_tcb: reported_tcb.snp=23" sh -c \
	"echo '{\"min_tcb\": {\"snp\": 24}}' | '$T' report verify '$R' --vcek '$K' --policy -"
ktap_expect_rc "report and --policy both stdin is a usage error" 2 \
	"$T" report verify - --vcek "$K" --policy -
ktap_check "--report-data: the report's value passes" \
	"$T" report verify "$R" --vcek "$K" --report-data "$rd"
ktap_rc_out "--report-data: another value is refused" 3 "report_data:" \
	"$T" report verify "$R" --vcek "$K" --report-data "$(printf '%0128d' 1)"
ktap_rc_out "--report-data: bad hex is a usage error" 2 "--report-data wants 128 hex digits" \
	"$T" report verify "$R" --vcek "$K" --report-data abcd
ktap_check "--measurement repeatable: one of them matches" \
	"$T" report verify "$R" --vcek "$K" --measurement "$z96" --measurement "$m"
ktap_rc_out "--measurement: none matches" 3 "measurement:" \
	"$T" report verify "$R" --vcek "$K" --measurement "$z96"
ktap_rc_out "--host-data: another value is refused" 3 "host_data:" \
	"$T" report verify "$R" --vcek "$K" --host-data "$(printf '%063d1' 0)"
ktap_check "--min-tcb: the report's TCB passes (fmc not compared on Genoa)" \
	"$T" report verify "$R" --vcek "$K" --min-tcb bl=10,tee=0,snp=23,ucode=25,fmc=9
ktap_rc_out "--min-tcb: above the report's is refused" 3 "reported_tcb.ucode=25 < policy minimum 26" \
	"$T" report verify "$R" --vcek "$K" --min-tcb bl=10,snp=23,ucode=26
ktap_rc_out "--min-tcb: a bad part is a usage error" 2 "--min-tcb" \
	"$T" report verify "$R" --vcek "$K" --min-tcb bl=1,xx=2
ktap_rc_out "--max-vmpl: the VLEK report (vmpl 1) above 0 is refused" 3 "vmpl=1 > policy maximum 0" \
	"$T" report verify "$TD/trustee/test-vlek-report.bin" --vcek "$TD/trustee/test-vlek.der" \
	--no-check-time --max-vmpl 0
ktap_rc_out "--max-vmpl 4 is a usage error" 2 "not a VMPL 0..3" \
	"$T" report verify "$R" --vcek "$K" --max-vmpl 4
ktap_rc_out "--no-policy with a policy option is a usage error" 2 "--no-policy excludes" \
	"$T" report verify "$R" --vcek "$K" --no-policy --max-vmpl 1

# ---- item 4: every policy key is in the man page (1) ----
# the top-level keys: an strcmp(key, ...) whose next line returns (not a TCB part)
keys=$(awk 'prev != "" && /return/ { print prev } { prev = "" }
	    /strcmp\(key, "[a-z_]*"\)/ { match($0, /"[a-z_]*"/); prev = substr($0, RSTART + 1, RLENGTH - 2) }' \
	"$root/libvhsm/verify/policy_json.c" | sort -u)
missing=
for k in $keys; do
	grep -q "\\\\fB$k\\\\fR" "$root/tools/vhsm-tool/man/vhsm-tool.1" || missing="$missing $k"
done
if [ -n "$keys" ] && [ -z "$missing" ]; then ktap_ok "the man page documents all $(echo $keys | wc -w) policy keys"
else ktap_fail "the man page documents every policy key" "missing:$missing"; fi

ktap_finish
