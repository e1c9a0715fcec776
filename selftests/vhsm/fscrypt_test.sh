#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fscrypt v2 on ext4 with a vHSM key: "vhsm-tool fscrypt add" gives the
# filesystem the key (exported inside the kernel, never through userspace); a
# directory encrypted under it is readable while the key is added, unreadable
# after it is removed, readable again after it is added again; the image holds
# no plaintext.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
FSCTL="$(cd "$(dirname "$0")" && pwd)/fscrypt_ctl"
d=$(mktemp -d)
mnt=$d/mnt
img=$d/fs.img
marker="vhsm-fscrypt-plaintext-marker-0123456789"
cleanup() {
	umount "$mnt" 2>/dev/null
	$T destroy fs.key 2>/dev/null
	$T destroy fs.aes 2>/dev/null
	$T destroy fs.nouse 2>/dev/null
	rm -rf "$d"
}
trap cleanup EXIT

ktap_has_cap keyring-export ||
	ktap_skip_all "fscrypt with vHSM keys" "this kernel has no key_create(): keyring export is refused"
ktap_plan 16

mkdir -p "$mnt"
dd if=/dev/zero of="$img" bs=1M count=32 2>/dev/null
if mkfs.ext4 -q -F -b 4096 -O encrypt "$img" && mount -o loop "$img" "$mnt"; then
	ktap_ok "ext4 with -O encrypt on a loop file"
else
	ktap_fail "ext4 with -O encrypt on a loop file"
	ktap_finish
	exit 1
fi

$T keygen --type secret64 --label fs.key --usage export-kernel >/dev/null
$T keygen --type aes256 --label fs.aes --usage encrypt,export-kernel >/dev/null
$T keygen --type secret64 --label fs.nouse --usage export-kernel --mode 0600 >/dev/null

id=$($T fscrypt add fs.key --mountpoint "$mnt")
if printf '%s' "$id" | grep -qE '^[0-9a-f]{32}$'; then
	ktap_ok "fscrypt add prints a 16-byte key identifier"
else
	ktap_fail "fscrypt add prints a 16-byte key identifier" "got '$id'"
fi
ktap_check "the filesystem holds the key" sh -c "[ \"\$($FSCTL status '$mnt' $id)\" = present ]"
# invalidated, then reaped by the key garbage collector
n=0
while grep -q 'vhsm:fscrypt-add' /proc/keys && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
if grep -q 'vhsm:fscrypt-add' /proc/keys; then
	ktap_fail "the provisioning key is gone after the add" "$(grep fscrypt /proc/keys)"
else
	ktap_ok "the provisioning key is gone after the add"
fi

mkdir "$mnt/enc"
ktap_check "a v2 policy under the vHSM key" $FSCTL set-policy "$mnt/enc" "$id"
printf '%s\n' "$marker" > "$mnt/enc/file" && sync
ktap_check "the file reads back while the key is added" \
	sh -c "[ \"\$(cat '$mnt/enc/file')\" = '$marker' ]"

ktap_check "remove the key" $FSCTL remove "$mnt" "$id"
ktap_check "the filesystem no longer holds it" sh -c "[ \"\$($FSCTL status '$mnt' $id)\" = absent ]"
names=$(ls "$mnt/enc")
if [ -n "$names" ] && [ "$names" != file ] && ! cat "$mnt/enc/$names" >/dev/null 2>&1; then
	ktap_ok "without the key: names encrypted, contents unreadable"
else
	ktap_fail "without the key: names encrypted, contents unreadable" "ls: $names"
fi

id2=$($T fscrypt add fs.key --mountpoint "$mnt")
ktap_check "adding it again gives the same identifier and the plaintext back" \
	sh -c "[ '$id2' = '$id' ] && [ \"\$(cat '$mnt/enc/file')\" = '$marker' ]"

umount "$mnt"
if grep -q "$marker" "$img"; then
	ktap_fail "the image holds no plaintext"
else
	ktap_ok "the image holds no plaintext"
fi
mount -o loop "$img" "$mnt"

ktap_expect_rc "an aes256 key is refused (1)" 1 $T fscrypt add fs.aes --mountpoint "$mnt"

# no privilege needed: a user in the device group adds and removes its own key
NOBODY="runas 65534 65534,${VHSM_TEST_GID:?}"
chmod 0755 "$d"
$NOBODY $T keygen --type secret64 --label fs.nobody --usage export-kernel >/dev/null
nid=$($NOBODY $T fscrypt add fs.nobody --mountpoint "$mnt")
ktap_check "an unprivileged user adds its own key" sh -c \
	"printf '%s' '$nid' | grep -qE '^[0-9a-f]{32}\$' && [ \"\$($NOBODY $FSCTL status '$mnt' '$nid')\" = present ]"
ktap_check "... and removes it" sh -c \
	"$NOBODY $FSCTL remove '$mnt' '$nid' && [ \"\$($NOBODY $FSCTL status '$mnt' '$nid')\" = absent ]"
ktap_expect_rc "root cannot add that user's 0700 key: no use right (3)" 3 \
	$T fscrypt add "#$($NOBODY $T --json show fs.nobody | jq -r .handle)" --mountpoint "$mnt"
$NOBODY $T destroy fs.nobody >/dev/null
ktap_expect_rc "a key whose mode forbids use is refused (3)" 3 \
	$T fscrypt add fs.nouse --mountpoint "$mnt"
ktap_finish
