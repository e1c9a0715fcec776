#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool report show|verify (ASan/UBSan build) on real AMD-signed reports
# from the test data INDEX, and on reports certified by the test CA.
# Env: VHSM_HOST_TOOL (vhsm-tool), VHSM_TESTDATA (default selftests/testdata/snp
# relative to the repository root), VHSM_TESTCA (optional vhsm-testca; the
# custom-roots and CRL cases are skipped without it).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
T=$(abspath "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")
TD=$(abspath "${VHSM_TESTDATA:-$root/selftests/testdata/snp}")
CA_TOOL=$(abspath "${VHSM_TESTCA:-$root/build/host/vhsm-testca}")

PLAN=49
ktap_plan $PLAN
if [ ! -x "$T" ] || [ ! -d "$TD" ] || ! command -v jq >/dev/null; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_fail "report cli" "needs $T, $TD and jq (make deps)"; i=$((i + 1))
	done
	ktap_finish
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo '{"allow_debug": true}' > "$tmp/allow-debug.json"

# ktap_rc_msg NAME RC PATTERN COMMAND...: exit RC and PATTERN in its output
ktap_rc_msg() {
	_name=$1 _want=$2 _pat=$3; shift 3
	_out=$("$@" 2>&1); _rc=$?
	case "$_out" in
	*$_pat*) [ "$_rc" = "$_want" ] && { ktap_ok "$_name"; return; } ;;
	esac
	ktap_fail "$_name" "exit $_rc (wanted $_want), output: $_out"
}

# The INDEX table: report, key, version, extra verify flags.
rows="trustee/test-report.bin trustee/test-vcek.der 2 -
trustee/test-vlek-report.bin trustee/test-vlek.der 3 --no-check-time
trustee/e2e-evidence.report.bin trustee/e2e-evidence.vcek.der 3 -
trustee/az-snp-vtpm/hcl-report.snp-report.bin trustee/az-snp-vtpm/vcek.pem 2 -
trustee/az-snp-vtpm/evidence-genoa.snp-report.bin trustee/az-snp-vtpm/vcek-genoa.pem 3 -
trustee/az-snp-vtpm/evidence-v2.snp-report.bin trustee/az-snp-vtpm/evidence-v2.vcek.der 3 -
go-sev-guest/attestation.bin go-sev-guest/vcek.der 2 --policy=$tmp/allow-debug.json
virtee-sev/report_milan.bin virtee-sev/vcek_milan.der 2 -"

# ---- every INDEX report verifies with its VEK (8) and shows its version (8) -----------
echo "$rows" | while read -r rep key ver extra; do
	[ "$extra" = - ] && extra=
	# shellcheck disable=SC2086 # $extra is zero or one word
	ktap_check "verify $rep" "$T" report verify "$TD/$rep" --vcek "$TD/$key" $extra
	v=$("$T" --json report show "$TD/$rep" | jq -r .version)
	if [ "$v" = "$ver" ]; then ktap_ok "show --json $rep: version $ver"
	else ktap_fail "show --json $rep: version $ver" "got '$v'"; fi
done > "$tmp/rows.tap"
# the loop ran in a subshell: replay its lines through the counters
while IFS= read -r line; do
	case "$line" in
	"ok "*) ktap_ok "${line#ok [0-9]* }" ;;
	"not ok "*) ktap_fail "${line#not ok [0-9]* }" ;;
	*) echo "$line" ;;
	esac
done < "$tmp/rows.tap"

R=$TD/trustee/test-report.bin
K=$TD/trustee/test-vcek.der

# ---- refusals name every failed check --------------------------------------------------
cp "$R" "$tmp/flip.bin"
printf '\377' | dd of="$tmp/flip.bin" bs=1 seek=144 conv=notrunc 2>/dev/null
ktap_rc_msg "flipped byte: exit 3 naming signature" 3 "refused: signature:" \
	"$T" report verify "$tmp/flip.bin" --vcek "$K"
f=$("$T" --json report verify "$tmp/flip.bin" --vcek "$K" | jq -r '.ok, (.failed | join(","))' | tr '\n' ' ')
ktap_eq_() { if [ "$2" = "$3" ]; then ktap_ok "$1"; else ktap_fail "$1" "want '$2', got '$3'"; fi; }
ktap_eq_ "flipped byte --json: ok false, failed [signature]" "false signature " "$f"
ktap_expect_rc "flipped byte --json exits 3" 3 "$T" --json report verify "$tmp/flip.bin" --vcek "$K"
ktap_rc_msg "expired VLEK without --no-check-time: exit 3 naming chain" 3 "refused: chain:" \
	"$T" report verify "$TD/trustee/test-vlek-report.bin" --vcek "$TD/trustee/test-vlek.der"
ktap_rc_msg "debug report under the default policy: exit 3 naming debug" 3 "refused: debug:" \
	"$T" report verify "$TD/go-sev-guest/attestation.bin" --vcek "$TD/go-sev-guest/vcek.der"
echo '{"require_smt_disabled": true, "min_tcb": {"snp": 9}}' > "$tmp/strict.json"
out=$("$T" report verify "$R" --vcek "$K" --policy "$tmp/strict.json" 2>&1); rc=$?
case "$rc $out" in
"3 "*"refused: smt:"*"refused: min_tcb:"*) ktap_ok "policy: both failed checks named" ;;
*) ktap_fail "policy: both failed checks named" "exit $rc: $out" ;;
esac
ktap_rc_msg "wrong VCEK: signature and hwid named" 3 "refused: signature:*refused: hwid:" \
	"$T" report verify "$R" --vcek "$TD/virtee-sev/vcek_milan.der"
ktap_check "--no-policy skips the debug check" \
	"$T" report verify "$TD/go-sev-guest/attestation.bin" --vcek "$TD/go-sev-guest/vcek.der" --no-policy
ok=$("$T" --json report verify "$R" --vcek "$K" | jq -r .ok)
ktap_eq_ "verified --json: ok true" true "$ok"
ktap_rc_msg "report verify --json after the command works too" 0 '"ok": true' \
	"$T" report verify --json "$R" --vcek "$K"

# ---- report show -------------------------------------------------------------------------
out=$("$T" report show "$TD/trustee/e2e-evidence.report.bin" 2>&1); rc=$?
case "$rc $out" in
"0 "*"version "*"3"*"product "*"Genoa"*"policy "*"smt"*"measurement "*"report_data "*"host_data "*"chip_id "*"371c55d6d15cb50f"*"reported_tcb "*"bl=10 tee=0 snp=23 ucode=25"*)
	ktap_ok "show: human summary" ;;
*) ktap_fail "show: human summary" "exit $rc: $out" ;;
esac
j=$("$T" report show --json "$TD/trustee/e2e-evidence.report.bin" |
    jq -r '[.product, .reported_tcb.snp, .key_info.signing_key] | join(" ")')
ktap_eq_ "show --json: product, TCB, signing key" "Genoa 23 vcek" "$j"
ktap_rc_msg "show reads stdin with -" 0 "version" sh -c "\"$T\" report show - < \"$R\""

# ---- the offline cache (--cache) ------------------------------------------------------
chip=$("$T" --json report show "$R" | jq -r .chip_id)
tcb=$("$T" --json report show "$R" | jq -r .reported_tcb.raw | sed 's/^0x//')
mkdir -p "$tmp/cache/vcek/Milan/$chip"
cp "$K" "$tmp/cache/vcek/Milan/$chip/$tcb.der"
ktap_check "--cache DIR finds the VCEK in the cache" "$T" report verify "$R" --cache "$tmp/cache"
mkdir -p "$tmp/empty"
ktap_rc_msg "--cache DIR without the VCEK: exit 1, says what to do" 1 "--vcek" \
	"$T" report verify "$R" --cache "$tmp/empty"

# ---- unreadable or unusable input: exit 1 ----------------------------------------------
ktap_expect_rc "missing report exits 1" 1 "$T" report verify "$tmp/nope.bin" --vcek "$K"
head -c 100 "$R" > "$tmp/short.bin"
ktap_rc_msg "short report exits 1" 1 "1184" "$T" report show "$tmp/short.bin"
ktap_expect_rc "missing VCEK file exits 1" 1 "$T" report verify "$R" --vcek "$tmp/nope.der"
head -c 300 /dev/zero > "$tmp/junk.der"
ktap_expect_rc "junk VCEK exits 1" 1 "$T" report verify "$R" --vcek "$tmp/junk.der"
echo '{"bogus": 1}' > "$tmp/bad-policy.json"
ktap_expect_rc "invalid policy exits 1" 1 "$T" report verify "$R" --vcek "$K" --policy "$tmp/bad-policy.json"
ktap_expect_rc "missing --cache directory exits 1" 1 "$T" report verify "$R" --cache "$tmp/nodir"

# ---- usage errors: exit 2 -----------------------------------------------------------------
ktap_expect_rc "report without a command exits 2" 2 "$T" report
ktap_expect_rc "report with an unknown command exits 2" 2 "$T" report frob
ktap_expect_rc "report show without REPORT exits 2" 2 "$T" report show
ktap_expect_rc "report show with two REPORTs exits 2" 2 "$T" report show "$R" "$R"
ktap_expect_rc "report verify without --vcek or --certs exits 2" 2 "$T" report verify "$R"
ktap_expect_rc "report verify with an unknown option exits 2" 2 "$T" report verify "$R" --vcek "$K" --frob
ktap_expect_rc "--policy with --no-policy exits 2" 2 \
	"$T" report verify "$R" --vcek "$K" --policy "$tmp/strict.json" --no-policy
ktap_expect_rc "report --help exits 0" 0 "$T" report --help

# ---- a test CA as custom roots (--roots), CRL (--crl) -----------------------------------
if [ -x "$CA_TOOL" ]; then
	ca=$tmp/ca
	"$CA_TOOL" init "$ca" --bits 2048 &&
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/vek.key" 2>/dev/null &&
	hwid=$(openssl rand -hex 64) &&
	"$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.key" --hwid "$hwid" --tcb d918000000000104 \
		-o "$tmp/vcek.der" &&
	"$CA_TOOL" report --key "$tmp/vek.key" --hwid "$hwid" --tcb d918000000000104 \
		-o "$tmp/rep.bin" &&
	"$CA_TOOL" crl "$ca" -o "$tmp/crl-empty.der" &&
	"$CA_TOOL" crl "$ca" --revoke 0x10001 -o "$tmp/crl-ask.pem"
	ktap_rc_msg "test CA report verifies with --roots" 0 "custom roots" \
		"$T" report verify "$tmp/rep.bin" --vcek "$tmp/vcek.der" --roots "$ca/roots.pem"
	ktap_rc_msg "test CA report is refused under AMD's roots (chain)" 3 "refused: chain:" \
		"$T" report verify "$tmp/rep.bin" --vcek "$tmp/vcek.der"
	ktap_check "an empty CRL from the ARK passes" "$T" report verify "$tmp/rep.bin" \
		--vcek "$tmp/vcek.der" --roots "$ca/roots.pem" --crl "$tmp/crl-empty.der"
	ktap_rc_msg "a CRL revoking the ASK: exit 3 naming chain" 3 "ASK is revoked" \
		"$T" report verify "$tmp/rep.bin" --vcek "$tmp/vcek.der" --roots "$ca/roots.pem" \
		--crl "$tmp/crl-ask.pem"
else
	for n in 1 2 3 4; do ktap_fail "test CA case $n" "no $CA_TOOL"; done
fi
ktap_finish
