#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool key commands against the real module, checked with OpenSSL where
# the result is public (signatures, public keys).
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'the quick brown fox jumps over the lazy dog\n' > "$d/msg"
head -c 100000 /dev/urandom > "$d/big"

ktap_plan 24

ktap_check "keygen aes256" $T keygen --type aes256 --label cli.aes
ktap_check "keygen p256" $T keygen --type p256 --label cli.p256 --usage sign,verify
ktap_check "keygen p384" $T keygen --type p384 --label cli.p384
ktap_check "keygen hmac-sha256" $T keygen --type hmac-sha256 --label cli.mac
ktap_check "keygen secret32" $T keygen --type secret32 --label cli.sec
ktap_expect_rc "duplicate label is an error (1)" 1 $T keygen --type aes128 --label cli.aes
ktap_expect_rc "unknown type is a usage error (2)" 2 $T keygen --type aes512 --label cli.x

out=$($T --json list)
if printf '%s' "$out" | jq -e '[.keys[].label] | contains(["cli.aes","cli.p256","cli.p384","cli.mac","cli.sec"])' >/dev/null; then
	ktap_ok "list --json shows the new keys"
else
	ktap_fail "list --json shows the new keys" "$out"
fi
ktap_check "show --json: type, origin, never key bytes" sh -c \
	"$T --json show cli.sec | jq -e '.type == \"secret32\" and .origin == \"generated\" and (tostring | test(\"material|secret_bytes\") | not)'"

ktap_check "encrypt 100 kB" $T encrypt cli.aes -i "$d/big" -o "$d/big.enc"
ktap_check "decrypt gives the plaintext back" sh -c \
	"$T decrypt cli.aes -i '$d/big.enc' -o '$d/big.dec' && cmp -s '$d/big' '$d/big.dec'"
cp "$d/big.enc" "$d/bad.enc"
printf '\001' | dd of="$d/bad.enc" bs=1 seek=5000 conv=notrunc 2>/dev/null
ktap_expect_rc "tampered ciphertext is refused (3)" 3 $T decrypt cli.aes -i "$d/bad.enc" -o "$d/bad.dec"
if [ -e "$d/bad.dec" ]; then ktap_fail "nothing written for a refused decrypt"; else ktap_ok "nothing written for a refused decrypt"; fi

for c in p256:sha256 p384:sha384; do
	k=${c%%:*} h=${c##*:}
	$T pubkey cli.$k --pem -o "$d/$k.pem"
	$T sign cli.$k --der -i "$d/msg" -o "$d/$k.sig"
	ktap_check "$k signature verifies in OpenSSL with the exported public key" \
		openssl dgst -"$h" -verify "$d/$k.pem" -signature "$d/$k.sig" "$d/msg"
done
ktap_check "vhsm-tool verify accepts its own signature" $T verify cli.p256 --sig "$d/p256.sig" --der -i "$d/msg"
printf 'tampered' >> "$d/msg"
ktap_expect_rc "vhsm-tool verify refuses a changed message (3)" 3 $T verify cli.p256 --sig "$d/p256.sig" --der -i "$d/msg"

# an OpenSSL signature checked by an imported public key
openssl ecparam -name prime256v1 -genkey -noout -out "$d/ossl.key" 2>/dev/null
openssl ec -in "$d/ossl.key" -pubout -out "$d/ossl.pub" 2>/dev/null
openssl dgst -sha256 -sign "$d/ossl.key" -out "$d/ossl.sig" "$d/msg"
ktap_check "import --public of an OpenSSL key" $T import --public --type p256 --label cli.ossl -i "$d/ossl.pub"
ktap_check "the kernel verifies OpenSSL's signature" $T verify cli.ossl --sig "$d/ossl.sig" --der -i "$d/msg"

ktap_check "mac is 32 bytes and stable" sh -c \
	"$T mac cli.mac -i '$d/msg' -o '$d/m1' && $T mac cli.mac -i '$d/msg' -o '$d/m2' && cmp -s '$d/m1' '$d/m2' && [ \$(wc -c < '$d/m1') -eq 32 ]"
head -c 32 /dev/urandom > "$d/raw"
ktap_expect_rc "plaintext import refused while allow_plain_import=0 (3)" 3 \
	$T import --type aes256 --label cli.imp -i "$d/raw"
ktap_expect_rc "another user cannot see the keys (1)" 1 runas 65534 65534,"$GID" $T show cli.aes

ok=1
for k in cli.aes cli.p256 cli.p384 cli.mac cli.sec cli.ossl; do $T destroy $k || ok=0; done
[ $ok = 1 ] && ktap_ok "destroy every key" || ktap_fail "destroy every key"
ktap_expect_rc "show after destroy is an error (1)" 1 $T show cli.aes
ktap_finish
