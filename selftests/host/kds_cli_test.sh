#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Certificates as users hand them over and as AMD's KDS serves them, all from
# a test CA (never AMD's servers): report verify --certs DIR (snpguest's flat
# folder), --cert-table FILE and a table following the report; vhsm-tool fetch
# vcek|ca|crl against kds_stub, a KDS stand-in on 127.0.0.1 (the URL scheme,
# 429 then 200, 503 then 200, 404, a too-long Retry-After, an unreachable KDS);
# report verify --cache DIR --fetch and the cache's CRL.
# Env: VHSM_HOST_TOOL, VHSM_TESTCA (as run.sh sets them); kds_stub is taken
# from the directory of VHSM_HOST_TOOL.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
T=$(abspath "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")
CA_TOOL=$(abspath "${VHSM_TESTCA:-$root/build/host/vhsm-testca}")
STUB=$(dirname "$T")/kds_stub

PLAN=37
ktap_plan $PLAN
if [ ! -x "$T" ] || [ ! -x "$CA_TOOL" ] || [ ! -x "$STUB" ] || ! command -v openssl >/dev/null; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_fail "kds cli" "needs $T, $CA_TOOL, $STUB and openssl"; i=$((i + 1))
	done
	ktap_finish
	exit 1
fi
tmp=$(mktemp -d)
stub_pid=
cleanup() { [ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# ktap_rc_msg NAME RC PATTERN COMMAND...: exit RC and PATTERN in its output
ktap_rc_msg() {
	_name=$1 _want=$2 _pat=$3; shift 3
	_out=$("$@" 2>&1); _rc=$?
	case "$_out" in
	*$_pat*) [ "$_rc" = "$_want" ] && { ktap_ok "$_name"; return; } ;;
	esac
	ktap_fail "$_name" "exit $_rc (wanted $_want), output: $_out"
}
# ktap_true NAME COMMAND...: the shell condition holds
ktap_true() { _name=$1; shift; if "$@"; then ktap_ok "$_name"; else ktap_fail "$_name" "$*"; fi; }

# ---- a Genoa test CA, a chip, its VCEK and a report ------------------------------------
ca=$tmp/ca other=$tmp/other
tcb=d918000000000104	# Genoa layout: bl=4 tee=1 snp=24 ucode=217
hwid=$(openssl rand -hex 64)
if ! { "$CA_TOOL" init "$ca" --bits 2048 --product Genoa &&
       "$CA_TOOL" init "$other" --bits 2048 --product Genoa &&
       openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/vek.key" 2>/dev/null &&
       "$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.key" --hwid "$hwid" --tcb $tcb --product Genoa \
		-o "$tmp/vcek.der" &&
       "$CA_TOOL" report --key "$tmp/vek.key" --hwid "$hwid" --tcb $tcb --product Genoa \
		-o "$tmp/rep.bin" &&
       "$CA_TOOL" crl "$ca" -o "$tmp/crl.der" &&
       "$CA_TOOL" crl "$ca" --revoke 0x10001 -o "$tmp/crl-ask.der"; } >"$tmp/setup.log" 2>&1; then
	cat "$tmp/setup.log" >&2
fi
R=$tmp/rep.bin RT="--roots $ca/roots.pem"

# ---- --certs DIR: snpguest's flat folder (6) ---------------------------------------------
d=$tmp/certs
mkdir -p "$d"
cp "$tmp/vcek.der" "$d/vcek.der"; cp "$ca/ask.pem" "$d/ask.pem"; cp "$ca/ark.pem" "$d/ark.pem"
# shellcheck disable=SC2086 # $RT is two words
ktap_check "--certs DIR (vcek.der, ask.pem, ark.pem) verifies" "$T" report verify "$R" --certs "$d" $RT
mkdir -p "$tmp/pem"
openssl x509 -inform DER -in "$tmp/vcek.der" -out "$tmp/pem/vcek.pem"
# shellcheck disable=SC2086
ktap_check "--certs DIR with only vcek.pem verifies" "$T" report verify "$R" --certs "$tmp/pem" $RT
mkdir -p "$tmp/foreign"
cp "$tmp/vcek.der" "$tmp/foreign/"; cp "$other/ark.pem" "$tmp/foreign/ark.pem"
# shellcheck disable=SC2086
ktap_rc_msg "a folder whose ARK is not trusted is refused (3)" 3 "not a trusted ARK" \
	"$T" report verify "$R" --certs "$tmp/foreign" $RT
ktap_rc_msg "the folder under AMD's roots is refused (3): its ARK is not AMD's" 3 "not AMD's" \
	"$T" report verify "$R" --certs "$d"
mkdir -p "$tmp/novek"
# shellcheck disable=SC2086
ktap_rc_msg "a folder without vcek.der/.pem: exit 1, names them" 1 "no vcek.der or vcek.pem" \
	"$T" report verify "$R" --certs "$tmp/novek" $RT
ktap_expect_rc "--vcek with --certs is a usage error (2)" 2 \
	"$T" report verify "$R" --certs "$d" --vcek "$tmp/vcek.der"

# ---- certificate tables (5) ----------------------------------------------------------------
"$CA_TOOL" certtable --vcek "$tmp/vcek.der" --ask "$ca/ask.pem" --ark "$ca/ark.pem" \
	-o "$tmp/table.bin"
# shellcheck disable=SC2086
ktap_check "--cert-table FILE verifies" "$T" report verify "$R" --cert-table "$tmp/table.bin" $RT
cat "$R" "$tmp/table.bin" > "$tmp/rep+table.bin"
# shellcheck disable=SC2086
ktap_check "a table right after the report in one file verifies" \
	"$T" report verify "$tmp/rep+table.bin" $RT
head -c 200 /dev/urandom > "$tmp/junk"
cat "$R" "$tmp/junk" > "$tmp/rep+junk.bin"
# shellcheck disable=SC2086
ktap_rc_msg "junk after the report (no other source): exit 1" 1 "not a certificate table" \
	"$T" report verify "$tmp/rep+junk.bin" $RT
"$CA_TOOL" certtable --ask "$ca/ask.pem" --ark "$ca/ark.pem" -o "$tmp/novcek.bin"
# shellcheck disable=SC2086
ktap_rc_msg "a table without a VCEK: exit 1" 1 "no VCEK entry" \
	"$T" report verify "$R" --cert-table "$tmp/novcek.bin" $RT
"$CA_TOOL" certtable --vcek "$tmp/vcek.der" --ask "$other/ask.pem" -o "$tmp/otherask.bin"
# shellcheck disable=SC2086
ktap_rc_msg "a table whose ASK is another CA's is refused (3)" 3 "not signed by the trusted ARK" \
	"$T" report verify "$R" --cert-table "$tmp/otherask.bin" $RT

# ---- the KDS stand-in ------------------------------------------------------------------------
kds=$tmp/kds log=$tmp/kds.log
mkdir -p "$kds/vcek/v1/Genoa" "$kds/vcek/v1/Turin"
cp "$tmp/vcek.der" "$kds/vcek/v1/Genoa/$hwid"
cp "$ca/cert_chain.pem" "$kds/vcek/v1/Genoa/cert_chain"
cp "$tmp/crl.der" "$kds/vcek/v1/Genoa/crl"
"$STUB" --port-file "$tmp/port" --root "$kds" --log "$log" &
stub_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
URL=http://127.0.0.1:$(cat "$tmp/port")
c=$tmp/cache
lines() { wc -l < "$log" | tr -d ' '; }

# ---- fetch vcek|ca|crl (13) -------------------------------------------------------------------
ktap_check "fetch vcek stores the VCEK" "$T" fetch vcek "$R" --cache "$c" --kds "$URL"
ktap_true "the cached VCEK is the KDS's, at vcek/Genoa/<hwid>/<tcb>.der" \
	cmp -s "$tmp/vcek.der" "$c/vcek/Genoa/$hwid/$tcb.der"
ktap_true "the VCEK URL: /vcek/v1/Genoa/<64-byte hwid>?blSPL=4&teeSPL=1&snpSPL=24&ucodeSPL=217" \
	grep -qx "GET /vcek/v1/Genoa/$hwid?blSPL=4&teeSPL=1&snpSPL=24&ucodeSPL=217 200" "$log"
ktap_check "fetch ca --roots stores the ASK and ARK" sh -c \
	"'$T' fetch ca '$R' --cache '$c' --kds '$URL' --roots '$ca/roots.pem' &&
	 cmp -s '$c/Genoa/ark.pem' '$ca/ark.pem' && cmp -s '$c/Genoa/ask.pem' '$ca/ask.pem'"
ktap_rc_msg "fetch ca refuses a chain whose ARK is not AMD's (3), stores nothing" 3 "not AMD's" \
	sh -c "'$T' fetch ca '$R' --cache '$tmp/c-amd' --kds '$URL' && ! [ -e '$tmp/c-amd/Genoa/ark.pem' ]"
ktap_check "fetch crl --roots stores the CRL" sh -c \
	"'$T' fetch crl '$R' --cache '$c' --kds '$URL' --roots '$ca/roots.pem' &&
	 cmp -s '$c/Genoa/crl.der' '$tmp/crl.der'"
echo 1 > "$kds/vcek/v1/Genoa/$hwid.429"
n=$(lines)
ktap_check "429 (Retry-After: 1) then 200: fetch vcek succeeds" \
	"$T" fetch vcek "$R" --cache "$tmp/c429" --kds "$URL"
ktap_true "... after exactly one 429 and one 200" \
	sh -c "tail -n +$((n + 1)) '$log' | cut -d' ' -f3 | tr '\n' ' ' | grep -qx '429 200 '"
echo 3600 > "$kds/vcek/v1/Genoa/$hwid.429"
n=$(lines)
ktap_rc_msg "429 asking for 3600 s: exit 1 at once, says to try later" 1 "try again later" \
	"$T" fetch vcek "$R" --cache "$tmp/c429b" --kds "$URL"
ktap_true "... after a single request" sh -c "[ $(($(lines) - n)) -eq 1 ]"
: > "$kds/vcek/v1/Genoa/$hwid.503"
ktap_check "503 then 200: fetch vcek retries and succeeds" \
	"$T" fetch vcek "$R" --cache "$tmp/c503" --kds "$URL"
"$CA_TOOL" report --key "$tmp/vek.key" --hwid "$(openssl rand -hex 64)" --tcb $tcb \
	--product Genoa -o "$tmp/other-chip.bin"
ktap_rc_msg "a chip the KDS does not know: exit 1 naming the 404" 1 "HTTP 404" \
	"$T" fetch vcek "$tmp/other-chip.bin" --cache "$c" --kds "$URL"
out=$("$T" fetch vcek "$R" --cache "$tmp/c-down" --kds http://127.0.0.1:1 2>&1); rc=$?
case "$rc:$(printf '%s\n' "$out" | wc -l):$out" in
1:1:*"cannot fetch the VCEK from the KDS"*"4 attempts"*)
	ktap_ok "an unreachable KDS: exit 1 and one clear message" ;;
*) ktap_fail "an unreachable KDS: exit 1 and one clear message" "exit $rc: $out" ;;
esac

# ---- Turin's URL, VLEK reports, usage (5) -------------------------------------------------
thw=$(openssl rand -hex 8)
"$CA_TOOL" report --key "$tmp/vek.key" --hwid "$thw" --tcb 0500000004030201 --product Turin \
	-o "$tmp/turin.bin"
"$T" fetch vcek "$tmp/turin.bin" --cache "$c" --kds "$URL" 2>/dev/null
ktap_true "Turin: 8-byte hwid and fmcSPL in the VCEK URL" \
	grep -qx "GET /vcek/v1/Turin/$thw?fmcSPL=1&blSPL=2&teeSPL=3&snpSPL=4&ucodeSPL=5 404" "$log"
"$CA_TOOL" report --key "$tmp/vek.key" --tcb $tcb --product Genoa --vlek -o "$tmp/vlek.bin"
ktap_rc_msg "fetch vcek for a VLEK report: exit 2, VLEKs are not published" 2 "VLEK" \
	"$T" fetch vcek "$tmp/vlek.bin" --cache "$c" --kds "$URL"
n=$(lines)
"$T" fetch ca "$tmp/vlek.bin" --cache "$tmp/c-vlek" --kds "$URL" 2>/dev/null
ktap_true "fetch ca for a VLEK report asks for /vlek/v1/Genoa/cert_chain" \
	sh -c "tail -n +$((n + 1)) '$log' | grep -q '^GET /vlek/v1/Genoa/cert_chain 404'"
ktap_expect_rc "fetch without --cache is a usage error (2)" 2 "$T" fetch vcek "$R" --kds "$URL"
ktap_expect_rc "fetch of an unknown item is a usage error (2)" 2 \
	"$T" fetch frob "$R" --cache "$c" --kds "$URL"

# ---- report verify --cache [--fetch] (8) ---------------------------------------------------
n=$(lines)
# shellcheck disable=SC2086
ktap_check "verify --cache --fetch fetches what is missing and verifies" \
	"$T" report verify "$R" --cache "$tmp/c2" --fetch --kds "$URL" $RT
ktap_true "... the VCEK and the CRL (not the chain: --roots replaces it)" \
	sh -c "tail -n +$((n + 1)) '$log' | cut -d'?' -f1 | cut -d' ' -f2 | tr '\n' ' ' |
	       grep -qx '/vcek/v1/Genoa/$hwid /vcek/v1/Genoa/crl '"
n=$(lines)
# shellcheck disable=SC2086
ktap_check "a second verify --fetch finds everything in the cache" \
	"$T" report verify "$R" --cache "$tmp/c2" --fetch --kds "$URL" $RT
ktap_true "... and asks the KDS for nothing" sh -c "[ $(lines) -eq $n ]"
# shellcheck disable=SC2086
ktap_check "verify --cache alone (offline) verifies from the cache" \
	"$T" report verify "$R" --cache "$tmp/c2" $RT
cp "$tmp/crl-ask.der" "$tmp/c2/Genoa/crl.der"
# shellcheck disable=SC2086
ktap_rc_msg "the cache's CRL is applied: a revoked ASK is refused (3)" 3 "ASK is revoked" \
	"$T" report verify "$R" --cache "$tmp/c2" $RT
ktap_expect_rc "--fetch without --cache is a usage error (2)" 2 \
	"$T" report verify "$R" --fetch --vcek "$tmp/vcek.der"
# shellcheck disable=SC2086
ktap_rc_msg "verify --fetch with an unreachable KDS: exit 1" 1 "cannot fetch" \
	"$T" report verify "$R" --cache "$tmp/c3" --fetch --kds http://127.0.0.1:1 $RT
[ -n "$VHSM_KDS_DEBUG" ] && cat "$log" >&2
ktap_finish
