#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool seal, unseal, reseal and restore, and keyctl pipe / "load" of
# sealable "vhsm" keys, against the real module on the sim platform:
# a key unsealed from a blob decrypts what the original encrypted; a key
# without the 'seal' usage is sealed by no path; broken blobs get their own
# messages and store nothing; restore loads the good blobs of a directory
# around a corrupt one and exits non-zero.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
d=$(mktemp -d)
chmod 0755 "$d"
NOBODY="runas 65534 65534,$GID"
cleanup() {
	for k in sc.aes sc.copy sc.plain sc.r1 sc.r2 sc.r3 sc.kr sc.kr2 sc.krp; do
		$T destroy $k 2>/dev/null
	done
	[ -n "${ring:-}" ] && keyctl unlink "$ring" @u >/dev/null 2>&1
	rm -rf "$d"
}
trap cleanup EXIT
printf 'sealed keys survive reboots\n' > "$d/msg"
# exists LABEL: is a key with that label visible to root?
exists() { $T show "$1" >/dev/null 2>&1; }
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }

ktap_plan 30

ktap_check "keygen with --usage encrypt,decrypt,seal" \
	$T keygen --type aes256 --label sc.aes --usage encrypt,decrypt,seal
ktap_check "show lists the seal usage" sh -c "$T --json show sc.aes | jq -e '.usage | index(\"seal\") != null'"
$T encrypt sc.aes -i "$d/msg" -o "$d/msg.enc"
ktap_check "seal -o BLOB" $T seal sc.aes -o "$d/aes.blob"
ktap_check "the blob is a version 1 blob of 224 bytes" sh -c \
	"[ \$(wc -c < '$d/aes.blob') -eq 224 ] && [ \"\$(head -c 4 '$d/aes.blob')\" = vhSB ]"
ktap_check "unseal BLOB --label: a new key" $T unseal "$d/aes.blob" --label sc.copy
ktap_check "the unsealed key decrypts what the original encrypted" sh -c \
	"$T decrypt sc.copy -i '$d/msg.enc' -o '$d/msg.dec' && cmp -s '$d/msg' '$d/msg.dec'"
ktap_check "the unsealed key has the original's usage and mode, origin unsealed" sh -c \
	"a=\$($T --json show sc.aes | jq -c '[.usage, .mode, .type]'); b=\$($T --json show sc.copy | jq -c '[.usage, .mode, .type]'); [ \"\$a\" = \"\$b\" ] && $T --json show sc.copy | jq -e '.origin == \"unsealed\"'"
ktap_expect_rc "unseal to a label in use: error (1), nothing stored" 1 $T unseal "$d/aes.blob"

# a key without the seal usage: no blob by any path
$T keygen --type aes256 --label sc.plain >/dev/null
ktap_expect_rc "seal of a key without the seal usage is refused (3)" 3 $T seal sc.plain -o "$d/plain.blob"
if [ -e "$d/plain.blob" ]; then ktap_fail "no blob file is left for a refused seal"
else ktap_ok "no blob file is left for a refused seal"; fi
ktap_expect_rc "seal --bind with an unknown field is a usage error (2)" 2 $T seal sc.aes --bind measurement,disk -o "$d/x"
ktap_expect_rc "seal --tcb with 17 digits is a usage error (2)" 2 $T seal sc.aes --tcb 0x12345678901234567 -o "$d/x"
ktap_expect_rc "seal --root vmrk: the sim has no VMRK, the platform refuses (3)" 3 $T seal sc.aes --root vmrk -o "$d/x"
ktap_check "seal --bind policy,tcb --tcb committed" $T seal sc.aes --bind policy,tcb --tcb committed -o "$d/pol.blob"

# broken blobs: their own messages, nothing stored
head -c 200 "$d/aes.blob" > "$d/trunc.blob"
{ cat "$d/aes.blob"; printf 'x'; } > "$d/over.blob"
{ printf 'vhSB\002'; tail -c +6 "$d/aes.blob"; } > "$d/v2.blob"
cp "$d/aes.blob" "$d/flip.blob"
printf '\377' | dd of="$d/flip.blob" bs=1 seek=190 conv=notrunc 2>/dev/null
$T destroy sc.aes >/dev/null
ktap_check "truncated blob: says truncated, exit 1" sh -c \
	"$T unseal '$d/trunc.blob' 2>&1 | grep -q truncated; [ \$? -eq 0 ] && ! $T unseal '$d/trunc.blob' 2>/dev/null"
ktap_check "oversized blob: says oversized, exit 1" sh -c \
	"$T unseal '$d/over.blob' 2>&1 | grep -q oversized && ! $T unseal '$d/over.blob' 2>/dev/null"
ktap_check "unknown version: says so, exit 1" sh -c \
	"$T unseal '$d/v2.blob' 2>&1 | grep -q 'unknown version' && ! $T unseal '$d/v2.blob' 2>/dev/null"
ktap_expect_rc "a changed ciphertext byte: does not open (3)" 3 $T unseal "$d/flip.blob"
if exists sc.aes; then ktap_fail "nothing was stored by the failed unseals"
else ktap_ok "nothing was stored by the failed unseals"; fi
chmod 0644 "$d/aes.blob"
ktap_expect_rc "another uid cannot unseal root's blob (3)" 3 $NOBODY $T unseal "$d/aes.blob" --label sc.nobody

# reseal in place, then restore a directory with one corrupt blob
ktap_check "reseal BLOB --tcb committed replaces it, and it opens" sh -c \
	"$T reseal '$d/pol.blob' --tcb committed && ! cmp -s '$d/pol.blob' '$d/aes.blob' && $T unseal '$d/pol.blob' --label sc.r3 && $T destroy sc.r3"
mkdir "$d/restore"
for k in r1 r2; do
	$T keygen --type hmac-sha256 --label sc.$k --usage mac,seal >/dev/null
	$T seal sc.$k -o "$d/restore/$k.blob"
	$T mac sc.$k -i "$d/msg" -o "$d/$k.mac"
	$T destroy sc.$k >/dev/null
done
cp "$d/flip.blob" "$d/restore/bad.blob"
$T restore "$d/restore" > "$d/restore.out" 2> "$d/restore.err"; rc=$?
if [ $rc -ne 0 ]; then ktap_ok "restore with a corrupt blob exits non-zero ($rc)"
else ktap_fail "restore with a corrupt blob exits non-zero" "$(cat "$d/restore.out" "$d/restore.err")"; fi
ktap_check "restore names the corrupt blob" grep -q "bad.blob" "$d/restore.err"
ktap_check "restore loaded the good blobs: their MACs are the originals'" sh -c \
	"$T mac sc.r1 -i '$d/msg' | cmp -s - '$d/r1.mac' && $T mac sc.r2 -i '$d/msg' | cmp -s - '$d/r2.mac'"

# keyctl: pipe of a sealable vhsm key is a blob; "load HEX" restores it
ring=$(keyctl newring sc.ring @u)
kid=$(keyctl add vhsm sc.kr "new aes256 usage=encrypt,decrypt,seal" "$ring")
$T encrypt sc.kr -i "$d/msg" -o "$d/kr.enc"
keyctl pipe "$kid" > "$d/kr.blob"
ktap_check "keyctl pipe of a sealable vhsm key gives a sealed blob" sh -c \
	"[ \$(wc -c < '$d/kr.blob') -eq 224 ] && [ \"\$(head -c 4 '$d/kr.blob')\" = vhSB ]"
ktap_check "that blob unseals with vhsm-tool" sh -c \
	"$T unseal '$d/kr.blob' --label sc.kr2 && $T decrypt sc.kr2 -i '$d/kr.enc' | cmp -s - '$d/msg' && $T destroy sc.kr2"
keyctl unlink "$kid" "$ring" >/dev/null
ktap_check "keyctl add vhsm NAME \"load HEX\" restores it" sh -c \
	"keyctl add vhsm sc.kr2 \"load \$(od -An -v -tx1 '$d/kr.blob' | tr -d ' \n')\" '$ring' >/dev/null && $T decrypt sc.kr2 -i '$d/kr.enc' | cmp -s - '$d/msg'"
ktap_expect_rc "\"load\" of a corrupt blob is refused" 1 \
	keyctl add vhsm sc.kr3 "load $(hex "$d/flip.blob")" "$ring"
pid=$(keyctl add vhsm sc.krp "new aes256" "$ring")
ktap_check "keyctl pipe of a key without the seal usage: only its 16-byte token, no blob" sh -c \
	"keyctl pipe '$pid' > '$d/p.out' && [ \$(wc -c < '$d/p.out') -eq 16 ] && [ \"\$(head -c 4 '$d/p.out')\" = vhT1 ] && ! $T unseal '$d/p.out' 2>/dev/null"
ktap_check "another uid's keyctl pipe of root's sealable key gets no blob" sh -c \
	"kid2=\$(keyctl add vhsm sc.kr \"ref sc.kr2\" '$ring'); keyctl setperm \$kid2 0x3f3f3f3f; ! $NOBODY keyctl pipe \$kid2 > '$d/nb.out' 2>/dev/null && [ ! -s '$d/nb.out' ]"

ktap_finish
