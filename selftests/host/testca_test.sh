#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-testca (ASan/UBSan build) checked with the openssl command line: the
# ARK/ASK/ASVK it creates, and VCEK/VLEK certificates it issues for a P-384
# key from `openssl genpkey`, encoded like AMD's KDS certificates.
# Env: VHSM_TESTCA (default build/host/vhsm-testca), VHSM_TESTDATA (default
# selftests/testdata/snp in the repository).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
CA_TOOL=$(abspath "${VHSM_TESTCA:-$root/build/host/vhsm-testca}")
TD=${VHSM_TESTDATA:-$root/selftests/testdata/snp}

ktap_plan 36
if [ ! -x "$CA_TOOL" ] || ! command -v openssl >/dev/null; then
	i=0
	while [ $i -lt 36 ]; do ktap_fail "testca" "no $CA_TOOL or openssl"; i=$((i + 1)); done
	ktap_finish
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ca=$tmp/ca

# Hex dump of an extension value: ext_hex CERT.pem OID
ext_hex() {
	openssl asn1parse -in "$1" | grep -A1 ":$2\$" | sed -n '2s/.*\[HEX DUMP\]://p'
}
# ktap_eq NAME WANT GOT
ktap_eq() {
	if [ "$2" = "$3" ]; then ktap_ok "$1"; else ktap_fail "$1" "want '$2', got '$3'"; fi
}

# ---- the CA ---------------------------------------------------------------------
ktap_check "init creates a Milan CA" "$CA_TOOL" init "$ca"
ok=1
for f in ark.pem ask.pem asvk.pem ark.key ask.key asvk.key cert_chain.pem \
	 vlek_cert_chain.pem roots.pem; do
	[ -s "$ca/$f" ] || ok=0
done
if [ $ok = 1 ]; then ktap_ok "init writes every file"
else ktap_fail "init writes every file" "$(ls -l "$ca")"; fi
modes=$(cd "$ca" && stat -c %a ark.key ask.key asvk.key | tr '\n' ' ')
ktap_eq "private keys are mode 0600" "600 600 600 " "$modes"
ktap_expect_rc "init refuses to overwrite a CA" 1 "$CA_TOOL" init "$ca"
ktap_check "ARK self-signature verifies" \
	openssl verify -check_ss_sig -CAfile "$ca/ark.pem" "$ca/ark.pem"
ktap_check "ASK chains to the ARK" openssl verify -CAfile "$ca/ark.pem" "$ca/ask.pem"
ktap_check "ASVK chains to the ARK" openssl verify -CAfile "$ca/ark.pem" "$ca/asvk.pem"
txt=$(openssl x509 -in "$ca/ark.pem" -noout -text)
case "$txt" in
*"Signature Algorithm: rsassaPss"*"Hash Algorithm: sha384"*"Salt Length: 0x30"*"Public-Key: (4096 bit)"*"Certificate Sign"*"CA:TRUE"*)
	ktap_ok "ARK: RSA-4096, RSA-PSS/SHA-384 salt 48, CA, keyCertSign" ;;
*) ktap_fail "ARK: RSA-4096, RSA-PSS/SHA-384 salt 48, CA, keyCertSign" "$txt" ;;
esac
txt=$(openssl x509 -in "$ca/ask.pem" -noout -text)
case "$txt" in
*"rsassaPss"*"Salt Length: 0x30"*"CA:TRUE, pathlen:0"*) ktap_ok "ASK: RSA-PSS, CA pathlen 0" ;;
*) ktap_fail "ASK: RSA-PSS, CA pathlen 0" "$txt" ;;
esac
subj=$(openssl x509 -in "$ca/asvk.pem" -noout -subject)
case "$subj" in *"CN = SEV-VLEK-Milan"*) ktap_ok "ASVK is SEV-VLEK-Milan" ;;
*) ktap_fail "ASVK is SEV-VLEK-Milan" "$subj" ;; esac
first=$(openssl x509 -in "$ca/cert_chain.pem" -noout -subject)
case "$first" in *"CN = SEV-Milan"*) ktap_ok "cert_chain.pem starts with the ASK" ;;
*) ktap_fail "cert_chain.pem starts with the ASK" "$first" ;; esac
n=$(grep -c 'BEGIN CERTIFICATE' "$ca/cert_chain.pem")
ktap_eq "cert_chain.pem holds ASK and ARK" 2 "$n"

# ---- a VCEK for an openssl-made P-384 key ---------------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/vek.key" 2>/dev/null
openssl pkey -in "$tmp/vek.key" -pubout -out "$tmp/vek.pub"
hwid=$(openssl rand -hex 64)
HWID=$(echo "$hwid" | tr a-f A-F)
# bl=4 tee=1 snp=24 ucode=217: [bl,tee,0,0,0,0,snp,ucode]
tcb=d918000000000104
ktap_check "vcek issues a VCEK (DER)" "$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.pub" \
	--hwid "$hwid" --tcb "$tcb" -o "$tmp/vcek.der"
openssl x509 -inform DER -in "$tmp/vcek.der" -out "$tmp/vcek.pem" 2>/dev/null
ktap_check "openssl verify -CAfile ark.pem -untrusted ask.pem vcek.pem" \
	openssl verify -CAfile "$ca/ark.pem" -untrusted "$ca/ask.pem" "$tmp/vcek.pem"
txt=$(openssl x509 -in "$tmp/vcek.pem" -noout -text)
case "$txt" in
*"rsassaPss"*"Hash Algorithm: sha384"*"Salt Length: 0x30"*"CN = SEV-Milan"*"CN = SEV-VCEK"*"NIST CURVE: P-384"*)
	ktap_ok "VCEK: RSA-PSS/SHA-384 by SEV-Milan, P-384 key" ;;
*) ktap_fail "VCEK: RSA-PSS/SHA-384 by SEV-Milan, P-384 key" "$txt" ;;
esac
k1=$(openssl x509 -in "$tmp/vcek.pem" -noout -pubkey)
k2=$(cat "$tmp/vek.pub")
ktap_eq "VCEK certifies the given key" "$k2" "$k1"
got=""
for o in 1 2 3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8; do
	got="$got $o=$(ext_hex "$tmp/vcek.pem" 1.3.6.1.4.1.3704.1.$o)"
done
ktap_eq "VCEK structVersion, productName, SPLs are DER INTEGER/IA5String" \
	" 1=020100 2=16084D696C616E2D4230 3.1=020104 3.2=020101 3.3=020118 3.4=020100 3.5=020100 3.6=020100 3.7=020100 3.8=020200D9" \
	"$got"
ktap_eq "VCEK hwID is the raw 64-byte chip id" "$HWID" "$(ext_hex "$tmp/vcek.pem" 1.3.6.1.4.1.3704.1.4)"
order=$(openssl asn1parse -in "$tmp/vcek.pem" | sed -n 's/.*OBJECT *:1\.3\.6\.1\.4\.1\.3704\.1\.//p' | tr '\n' ' ')
ktap_eq "extensions in KDS order" "1 2 3.1 3.2 3.4 3.5 3.6 3.7 3.3 3.8 4 " "$order"
if [ -f "$TD/go-sev-guest/vcek.der" ]; then
	real=$(openssl asn1parse -inform DER -in "$TD/go-sev-guest/vcek.der" |
	       sed -n 's/.*OBJECT *:1\.3\.6\.1\.4\.1\.3704\.1\.//p' | tr '\n' ' ')
	ktap_eq "same extension order as a real AMD VCEK" "$real" "$order"
else
	ktap_fail "same extension order as a real AMD VCEK" "no $TD"
fi

# ---- wrong chains fail -----------------------------------------------------------------
ktap_check "a second CA (RSA-2048) for wrong-chain checks" "$CA_TOOL" init "$tmp/ca2" --bits 2048
ktap_expect_rc "VCEK does not verify under another test CA" 2 \
	openssl verify -CAfile "$tmp/ca2/ark.pem" -untrusted "$tmp/ca2/ask.pem" "$tmp/vcek.pem"
ktap_expect_rc "VCEK does not verify with the ASVK as issuer" 2 \
	openssl verify -CAfile "$ca/ark.pem" -untrusted "$ca/asvk.pem" "$tmp/vcek.pem"
if [ -f "$TD/amd-roots/milan_ark.pem" ]; then
	ktap_expect_rc "VCEK does not verify under AMD's Milan ARK/ASK" 2 \
		openssl verify -CAfile "$TD/amd-roots/milan_ark.pem" \
		-untrusted "$TD/amd-roots/milan_ask.pem" "$tmp/vcek.pem"
else
	ktap_fail "VCEK does not verify under AMD's Milan ARK/ASK" "no $TD"
fi

# ---- key forms, VLEK, Turin, CRL -----------------------------------------------------
pt=$(openssl pkey -pubin -in "$tmp/vek.pub" -outform DER | tail -c 97 | od -An -v -tx1 | tr -d ' \n')
echo "$pt" > "$tmp/vek.hex"
"$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.hex" --hwid "$hwid" --tcb "$tcb" -o "$tmp/vcek2.pem"
k3=$(openssl x509 -in "$tmp/vcek2.pem" -noout -pubkey 2>&1)
ktap_eq "--pubkey accepts SEC1 point hex" "$k2" "$k3"
"$CA_TOOL" vlek "$ca" --pubkey "$tmp/vek.key" --tcb "$tcb" --csp-id CN=test-csp \
	-o "$tmp/vlek.pem"
ktap_check "VLEK verifies with the ASVK" \
	openssl verify -CAfile "$ca/ark.pem" -untrusted "$ca/asvk.pem" "$tmp/vlek.pem"
ktap_expect_rc "VLEK does not verify with the ASK" 2 \
	openssl verify -CAfile "$ca/ark.pem" -untrusted "$ca/ask.pem" "$tmp/vlek.pem"
got="$(ext_hex "$tmp/vlek.pem" 1.3.6.1.4.1.3704.1.2) $(ext_hex "$tmp/vlek.pem" 1.3.6.1.4.1.3704.1.5) [$(ext_hex "$tmp/vlek.pem" 1.3.6.1.4.1.3704.1.4)]"
ktap_eq "VLEK: productName Milan, cspId, no hwID" \
	"16054D696C616E 160B434E3D746573742D637370 []" "$got"
"$CA_TOOL" vcek "$ca" --product Turin --pubkey "$tmp/vek.pub" --hwid 0102030405060708 \
	--tcb 5500000004030201 -o "$tmp/turin.pem"
got=""
for o in 1 2 3.9 3.1 3.2 3.3 3.8 4; do
	got="$got $o=$(ext_hex "$tmp/turin.pem" 1.3.6.1.4.1.3704.1.$o)"
done
ktap_eq "Turin VCEK: structVersion 1, fmcSPL, TCB layout, 8-byte hwID" \
	" 1=020101 2=1605547572696E 3.9=020101 3.1=020102 3.2=020103 3.3=020104 3.8=020155 4=0102030405060708" \
	"$got"
ktap_expect_rc "Milan VCEK with an 8-byte hwID is refused" 1 \
	"$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.pub" --hwid 0102030405060708 --tcb "$tcb" \
	-o "$tmp/bad.der"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/p256.key" 2>/dev/null
ktap_expect_rc "a P-256 key is refused" 1 \
	"$CA_TOOL" vcek "$ca" --pubkey "$tmp/p256.key" --hwid "$hwid" --tcb "$tcb" -o "$tmp/bad.der"
"$CA_TOOL" crl "$ca" --revoke 0x10001 -o "$tmp/crl.pem"
ktap_check "CRL is signed by the ARK" openssl crl -in "$tmp/crl.pem" -CAfile "$ca/ark.pem" -noout
ktap_expect_rc "with the CRL the ASK is revoked" 2 \
	openssl verify -crl_check -CAfile "$ca/ark.pem" -CRLfile "$tmp/crl.pem" "$ca/ask.pem"

# ---- usage -------------------------------------------------------------------------------
ktap_expect_rc "no command exits 2" 2 "$CA_TOOL"
ktap_expect_rc "vcek without --hwid exits 2" 2 \
	"$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.pub" --tcb "$tcb" -o "$tmp/x.der"
ktap_expect_rc "bad --tcb exits 2" 2 \
	"$CA_TOOL" vcek "$ca" --pubkey "$tmp/vek.pub" --hwid "$hwid" --tcb xyz -o "$tmp/x.der"
ktap_finish
