#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dm-crypt with vHSM keys, through the real clients (dmsetup, keyctl, losetup):
# - the template: capi:vhsm(xts(aes))-plain64 keyed by a logon key holding the
#   key's token (the table vhsm-tool dmcrypt table --template prints); write,
#   remove, reopen, read back; no plaintext on the backing file; the same
#   sectors read through plain aes-xts-plain64 with the key's bytes (known
#   through the admin import) give the same plaintext;
# - refusals at table load: a destroyed key, another user's key;
# - the logon path: aes-xts-plain64 :64:logon:... after
#   vhsm-tool keyring export --as logon.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
OTHER=4243
export DM_DISABLE_UDEV=1
d=$(mktemp -d)
loop=
cleanup() {
	dmsetup remove vhsmdm >/dev/null 2>&1
	dmsetup remove vhsmdm.plain >/dev/null 2>&1
	[ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
	echo 0 > /sys/module/vhsm/parameters/allow_plain_import
	rm -rf "$d"
}
trap cleanup EXIT

ktap_has_cap keyring-export ||
	ktap_skip_all "dm-crypt with vHSM keys" "this kernel has no key_create(): keyring export is refused"
ktap_plan 18

# 4 MiB of text that is easy to find, and a 4 MiB backing file on a loop device
yes "vhsm-dm-crypt-plaintext-marker $(printf '%0*d' 4000 0)" | head -c 4194304 > "$d/plain"
dd if=/dev/zero of="$d/disk" bs=1M count=4 2>/dev/null
loop=$(losetup -f) && losetup "$loop" "$d/disk" || { ktap_fail "loop device"; ktap_finish; exit 1; }

# open MAPNAME TABLE; write/readback helpers
open_dm() { dmsetup create "$1" --table "$2" && [ -b "/dev/mapper/$1" ]; }
write_dm() { dd if="$d/plain" of="/dev/mapper/$1" bs=64k conv=fsync 2>/dev/null; }
read_dm() { dd if="/dev/mapper/$1" of="$d/back" bs=64k 2>/dev/null && cmp -s "$d/plain" "$d/back"; }
no_plaintext() { ! grep -q 'vhsm-dm-crypt-plaintext-marker' "$d/disk"; }
not_zero() { [ "$(tr -d '\000' < "$d/disk" | head -c 4096 | wc -c)" -eq 4096 ]; }

# ---- the template, keyed by a logon key holding the token ---------------------------
key=$(od -An -tx1 -v -N64 /dev/urandom | tr -d ' \n')
printf '%s' "$key" | xxd -r -p > "$d/key.bin"
echo 1 > /sys/module/vhsm/parameters/allow_plain_import
ktap_check "import an aes256-xts key (export-kernel)" \
	$T import --type aes256-xts --label dm.xts --usage export-kernel -i "$d/key.bin"
echo 0 > /sys/module/vhsm/parameters/allow_plain_import
ktap_check "keyring export --as token" \
	$T keyring export dm.xts --as token --desc vhsm-token:dm.xts
table=$($T dmcrypt table dm.xts --device "$loop" --template 2>/dev/null)
want="0 8192 crypt capi:vhsm(xts(aes))-plain64 :16:logon:vhsm-token:dm.xts 0 $loop 0"
if [ "$table" = "$want" ]; then ktap_ok "dmcrypt table --template"
else ktap_fail "dmcrypt table --template" "got '$table', wanted '$want'"; fi
ktap_check "dmsetup create with the template and the token" open_dm vhsmdm "$table"
ktap_check "write 4 MiB through it" write_dm vhsmdm
ktap_check "dmsetup remove" dmsetup remove vhsmdm
ktap_check "the backing file holds no plaintext" no_plaintext
ktap_check "the backing file holds ciphertext (not zeros)" not_zero
ktap_check "reopen and read the plaintext back" sh -c \
	"dmsetup create vhsmdm --table '$table' && dd if=/dev/mapper/vhsmdm of='$d/back' bs=64k 2>/dev/null && cmp -s '$d/plain' '$d/back'"
dmsetup remove vhsmdm 2>/dev/null
ktap_check "plain aes-xts-plain64 with the key bytes reads the same sectors" \
	sh -c "dmsetup create vhsmdm.plain --table '0 8192 crypt aes-xts-plain64 $key 0 $loop 0' && dd if=/dev/mapper/vhsmdm.plain of='$d/back' bs=64k 2>/dev/null && cmp -s '$d/plain' '$d/back'"
dmsetup remove vhsmdm.plain 2>/dev/null
key=; rm -f "$d/key.bin"

# ---- refusals at table load ----------------------------------------------------------
ktap_check "destroy the key" $T destroy dm.xts
if dmsetup create vhsmdm --table "$table" 2>/dev/null; then
	ktap_fail "a destroyed key's token is refused"
	dmsetup remove vhsmdm
else
	ktap_ok "a destroyed key's token is refused"
fi
runas $OTHER "$GID" $T keygen --type aes256-xts --label dm.other --usage export-kernel --mode 0700 >/dev/null
runas $OTHER "$GID" $T keyring token dm.other | xxd -r -p > "$d/token.other"
if [ "$(wc -c < "$d/token.other")" = 16 ] &&
	keyctl padd logon vhsm-token:dm.other @u < "$d/token.other" >/dev/null; then
	if dmsetup create vhsmdm --table "0 8192 crypt capi:vhsm(xts(aes))-plain64 :16:logon:vhsm-token:dm.other 0 $loop 0" 2>/dev/null; then
		ktap_fail "another user's key is refused to root"
		dmsetup remove vhsmdm
	else
		ktap_ok "another user's key is refused to root"
	fi
else
	ktap_fail "another user's key is refused to root" "no token for the other user's key"
fi
runas $OTHER "$GID" $T destroy dm.other >/dev/null

# ---- the logon path: the key bytes in a logon key (keyring export) ------------------
dd if=/dev/zero of="$d/disk" bs=1M count=4 conv=notrunc 2>/dev/null
$T keygen --type aes256-xts --label dm.logon --usage export-kernel >/dev/null
ktap_check "keyring export --as logon" \
	$T keyring export dm.logon --as logon --desc vhsm:dm.logon
table=$($T dmcrypt table dm.logon --device "$loop" 2>/dev/null)
want="0 8192 crypt aes-xts-plain64 :64:logon:vhsm:dm.logon 0 $loop 0"
if [ "$table" = "$want" ]; then ktap_ok "dmcrypt table (logon)"
else ktap_fail "dmcrypt table (logon)" "got '$table', wanted '$want'"; fi
ktap_check "logon key: create, write, remove, reopen, read back" sh -c \
	"dmsetup create vhsmdm --table '$table' && dd if='$d/plain' of=/dev/mapper/vhsmdm bs=64k conv=fsync 2>/dev/null && dmsetup remove vhsmdm && dmsetup create vhsmdm --table '$table' && dd if=/dev/mapper/vhsmdm of='$d/back' bs=64k 2>/dev/null && cmp -s '$d/plain' '$d/back' && dmsetup remove vhsmdm"
ktap_check "logon key: the backing file holds no plaintext" no_plaintext
ktap_check "logon key: the backing file holds ciphertext (not zeros)" not_zero
$T destroy dm.logon >/dev/null
ktap_finish
