#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool report show|verify (ASan/UBSan build) reading reports as users
# have them: raw, hex (xxd -p) or base64, found out or named with --inform;
# bytes after the report; one field with --field; stdout on a full disk.
# Env: VHSM_HOST_TOOL (vhsm-tool), VHSM_TESTDATA (default selftests/testdata/snp).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
T=$(abspath "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")
TD=$(abspath "${VHSM_TESTDATA:-$root/selftests/testdata/snp}")
R=$TD/trustee/test-report.bin
K=$TD/trustee/test-vcek.der

ktap_plan 22
if [ ! -x "$T" ] || [ ! -f "$R" ] || ! command -v jq >/dev/null || ! command -v xxd >/dev/null; then
	ktap_fail_rest "report input" "needs $T, $R, jq and xxd (make deps)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run CMD...: exit code in $rc, stdout in $out, stderr in $err
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err"); }
# expect NAME RC OUT_GLOB ERR_GLOB CMD...
expect() {
	_n=$1 _rc=$2 _o=$3 _e=$4; shift 4
	run "$@"
	case "$rc|$out|$err" in
	$_rc\|$_o\|$_e) ktap_ok "$_n" ;;
	*) ktap_fail "$_n" "exit $rc; stdout: $out; stderr: $err" ;;
	esac
}

meas=$(jq -r .measurement <<EOF_J
$("$T" --json report show "$R")
EOF_J
)
xxd -p "$R" > "$tmp/r.hex"
base64 "$R" > "$tmp/r.b64"
tr -d '\n' < "$tmp/r.b64" > "$tmp/r1.b64"

# ---- --field -----------------------------------------------------------------------
expect "--field measurement prints the bare hex" 0 "$meas" "" "$T" report show "$R" --field measurement
expect "--field version prints a number" 0 "2" "" "$T" report show --field version "$R"
expect "--field of an object prints JSON" 0 '{"bl":*"raw":"0x*' "" "$T" report show "$R" --field reported_tcb
expect "--json --field prints a JSON string" 0 "\"$meas\"" "" "$T" --json report show "$R" --field measurement
expect "an unknown --field is a usage error listing the fields" 2 "" "*no field 'colour'*measurement*" \
	"$T" report show "$R" --field colour

# ---- forms found and said -------------------------------------------------------------
expect "raw: nothing said" 0 "$meas" "" "$T" report show "$R" --field measurement
expect "hex (xxd -p lines) is found and said on stderr" 0 "$meas" "*is hex text: decoded 1184 bytes*" \
	"$T" report show "$tmp/r.hex" --field measurement
expect "base64 (76-column lines) is found and said" 0 "$meas" "*is base64 text: decoded 1184 bytes*" \
	"$T" report show "$tmp/r.b64" --field measurement
expect "base64 on one line is found" 0 "$meas" "*base64*" "$T" report show "$tmp/r1.b64" --field measurement
expect "--quiet keeps the note off stderr" 0 "$meas" "" "$T" report show "$tmp/r.hex" --field measurement --quiet
expect "hex from stdin" 0 "$meas" "*- is hex text*" sh -c "\"$T\" report show - --field measurement < \"$tmp/r.hex\""
expect "--inform hex on hex" 0 "$meas" "*hex*" "$T" report show --inform hex "$tmp/r.hex" --field measurement
expect "--inform hex on base64 text is refused" 1 "" "*is not hex (--inform hex)*" \
	"$T" report show --inform hex "$tmp/r.b64"
expect "--inform raw on a raw report" 0 "$meas" "" "$T" report show --inform raw "$R" --field measurement
expect "an unknown --inform is a usage error" 2 "" "*--inform takes auto, raw, hex or base64*" \
	"$T" report show --inform pem "$R"
echo "hello, world" > "$tmp/text"
expect "text that is no report names the forms tried" 1 "" "*neither a raw report nor hex nor base64*" \
	"$T" report show "$tmp/text"
expect "report verify reads hex too" 0 "verified:*" "*hex text*" "$T" report verify "$tmp/r.hex" --vcek "$K"
expect "report verify --inform base64" 0 "verified:*" "*base64*" \
	"$T" report verify --inform base64 "$tmp/r.b64" --vcek "$K"

# ---- bytes after the report -------------------------------------------------------------
{ cat "$R"; printf 'trailing garbage'; } > "$tmp/trail.bin"
expect "trailing bytes that are not a certificate table: warned, still read" 0 "$meas" \
	"*warning: 16 bytes after the 1184-byte report*not a certificate table*" \
	"$T" report show "$tmp/trail.bin" --field measurement
# a table of one ARK entry (GUID c0b406a4-a803-4952-9743-3fb6014cd0ae, little-endian
# fields), the all-zero terminator, then the 16 certificate bytes it points to
{ cat "$R"
  printf '\244\006\264\300\003\250\122\111\227\103\077\266\001\114\320\256'
  printf '\060\000\000\000\020\000\000\000'
  head -c 24 /dev/zero
  printf 'ZZZZZZZZZZZZZZZZ'; } > "$tmp/table.bin"
expect "a certificate table after the report: no warning" 0 "$meas" "" \
	"$T" report show "$tmp/table.bin" --field measurement

# ---- stdout on a full disk -------------------------------------------------------------------
if [ -w /dev/full ]; then
	expect "report show > /dev/full fails with a message" 1 "" "*cannot write to stdout*" \
		sh -c "\"$T\" report show \"$R\" > /dev/full"
	expect "report show --json > /dev/full fails" 1 "" "*cannot write*" \
		sh -c "\"$T\" --json report show \"$R\" > /dev/full"
else
	ktap_skip "report show > /dev/full" "no writable /dev/full"
	ktap_skip "report show --json > /dev/full" "no writable /dev/full"
fi
ktap_finish
