#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel keyrings with real clients: vhsm-tool keyring token|export, the
# "vhsm" key type through keyctl add/describe/print/pipe/unlink, and vHSM EC
# keys as "asymmetric" keys through keyctl padd/pkey_query/pkey_sign/
# pkey_verify, the signatures checked by OpenSSL with the key's exported public
# key. Another uid is refused at every step where the key's mode says so.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
d=$(mktemp -d)
NOBODY="runas 65534 65534,$GID"
cleanup() {
	for k in kr.aes kr.plain kr.p256 kr.p384 kr.dup; do $T destroy $k 2>/dev/null; done
	[ -n "${nobody_h:-}" ] && $T destroy "#$nobody_h" 2>/dev/null
	[ -n "${ring:-}" ] && keyctl unlink "$ring" @u >/dev/null 2>&1
	rm -rf "$d"
}
trap cleanup EXIT
printf 'message signed by a vHSM key through the keyring API\n' > "$d/msg"

# the /proc/keys line of serial $1
proc_key() { grep "^$(printf '%08x' "$1") " /proc/keys; }
# wait up to 5 s for command "$@" to succeed (the key garbage collector is async)
eventually() {
	_n=0
	until "$@" >/dev/null 2>&1; do
		_n=$((_n + 1)); [ $_n -ge 50 ] && return 1; sleep 0.1
	done
}
gone() { ! proc_key "$1"; }

ktap_plan 54

ring=$(keyctl newring kr.ring @u)
$T keygen --type aes256 --label kr.aes --usage encrypt,decrypt,export-kernel >/dev/null
$T keygen --type aes256 --label kr.plain >/dev/null

# ---- tokens ---------------------------------------------------------------------
tok=$($T keyring token kr.aes)
if printf '%s' "$tok" | grep -qE '^76685431[0-9a-f]{24}$'; then
	ktap_ok "keyring token prints 32 hex digits starting with vhT1"
else
	ktap_fail "keyring token prints 32 hex digits starting with vhT1" "got '$tok'"
fi
ktap_check "keyring token --json agrees" sh -c \
	"[ \"\$($T --json keyring token kr.aes | jq -r .token)\" = '$tok' ]"
ktap_expect_rc "token of a missing key is an error (1)" 1 $T keyring token kr.none

# ---- export ---------------------------------------------------------------------
s=$($T keyring export kr.aes --as logon --desc vhsm:kr.disk --keyring "$ring")
ktap_check "export --as logon makes a logon key owned by the caller" sh -c \
	"keyctl rdescribe '$s' | grep -qx 'logon;0;0;[0-9a-f]*;vhsm:kr.disk'"
ktap_expect_rc "the logon key's bytes cannot be read back (1)" 1 keyctl print "$s"
ktap_check "dm-crypt's lookup finds it (request_key logon vhsm:kr.disk)" sh -c \
	"[ \"\$(keyctl request logon vhsm:kr.disk)\" = '$s' ]"
s=$($T keyring export kr.aes --as logon --desc vhsm:kr.default)
ktap_check "the default keyring is @u" sh -c \
	"[ \"\$(keyctl search @u logon vhsm:kr.default)\" = '$s' ] && keyctl unlink '$s' @u"
ktap_check "export --as token into @s (a session keyring) makes a logon key" \
	keyctl session kr.sess sh -c \
	"s=\$($T keyring export kr.aes --as token --desc vhsm:kr.tok --keyring @s) && keyctl rdescribe \$s | grep -q '^logon;0;0;.*;vhsm:kr.tok\$' && [ \"\$(keyctl search @s logon vhsm:kr.tok)\" = \$s ]"
ktap_expect_rc "@t and @p are refused: they end with the tool (2)" 2 \
	$T keyring export kr.aes --as token --desc vhsm:kr.t --keyring @t
ktap_expect_rc "the same description again is an error (1)" 1 \
	$T keyring export kr.aes --as logon --desc vhsm:kr.disk --keyring "$ring"
ktap_expect_rc "a logon description without prefix is an error (1)" 1 \
	$T keyring export kr.aes --as logon --desc nodisk --keyring "$ring"
ktap_expect_rc "a key without export-kernel is refused (3)" 3 \
	$T keyring export kr.plain --as logon --desc vhsm:kr.plain --keyring "$ring"
ktap_expect_rc "an aes256 key cannot be an fscrypt key (1)" 1 \
	$T keyring export kr.aes --as fscrypt --desc kr.fs --keyring "$ring"
ktap_expect_rc "an unknown keyring spelling is a usage error (2)" 2 \
	$T keyring export kr.aes --as logon --desc vhsm:x --keyring @x
ktap_expect_rc "--as is required (2)" 2 $T keyring export kr.aes --desc vhsm:x
ktap_expect_rc "--desc is required (2)" 2 $T keyring export kr.aes --as logon

nobody_h=$($NOBODY $T --json keygen --type secret32 --label kr.nobody | jq -r .handle)
ktap_expect_rc "root may not export another uid's 0700 key (3)" 3 \
	$T keyring export "#$nobody_h" --as logon --desc vhsm:kr.nobody --keyring "$ring"
aes_h=$($T --json show kr.aes | jq -r .handle)
ktap_expect_rc "another uid may not export root's key (1: it cannot see it)" 1 \
	$NOBODY $T keyring export "#$aes_h" --as logon --desc vhsm:kr.stolen
ktap_expect_rc "another uid gets no token for root's key (1)" 1 $NOBODY $T keyring token "#$aes_h"

# ---- the vhsm key type ---------------------------------------------------------------
sid=$(keyctl add vhsm kr.new "new aes256 usage=encrypt,decrypt,export-kernel mode=0750" "$ring")
ktap_check "keyctl add vhsm NAME 'new aes256 ...' creates a vHSM key labelled NAME" sh -c \
	"$T --json show kr.new | jq -e '.type == \"aes256\" and .mode == \"0750\" and (.usage | index(\"export-kernel\"))'"
ktap_check "keyctl describe shows type vhsm and the name" sh -c \
	"keyctl rdescribe '$sid' | grep -q '^vhsm;0;0;[0-9a-f]*;kr.new\$'"
ktap_check "/proc/keys shows the vHSM type, usage and label" sh -c \
	"grep '^$(printf '%08x' "$sid") ' /proc/keys | grep -q 'kr.new: aes256 usage=encrypt,decrypt,export-kernel label=kr.new #[0-9]* owned'"
newtok=$($T keyring token kr.new)
ktap_check "keyctl print shows the token, not key bytes" sh -c \
	"[ \"\$(keyctl print '$sid')\" = ':hex:$newtok' ]"
ktap_check "keyctl pipe gives the 16 token bytes" sh -c \
	"[ \"\$(keyctl pipe '$sid' | od -An -tx1 | tr -d ' \n')\" = '$newtok' ]"
keyctl unlink "$sid" "$ring" >/dev/null
ktap_check "unlinking the last reference destroys the vHSM key" \
	eventually sh -c "! $T show kr.new"

rid=$(keyctl add vhsm kr.ref "ref kr.aes" "$ring")
ktap_check "'ref KEY' references an existing key (not owned)" sh -c \
	"proc_line=\$(grep '^$(printf '%08x' "$rid") ' /proc/keys); echo \"\$proc_line\" | grep -q 'label=kr.aes #' && ! echo \"\$proc_line\" | grep -q owned"
rid2=$(keyctl add vhsm kr.ref2 "ref #$aes_h" "$ring")
ktap_check "'ref #N' prints the same token" sh -c \
	"[ \"\$(keyctl print '$rid2')\" = ':hex:$tok' ]"
keyctl unlink "$rid" "$ring" >/dev/null
keyctl unlink "$rid2" "$ring" >/dev/null
eventually gone "$rid"; eventually gone "$rid2"
ktap_check "a referenced key outlives its keyring keys" $T show kr.aes
ktap_expect_rc "an unknown type is refused" 1 keyctl add vhsm kr.bad "new aes512" "$ring"
ktap_expect_rc "an unknown verb is refused" 1 keyctl add vhsm kr.bad "frob aes256" "$ring"
ktap_expect_rc "an invalid label is refused" 1 keyctl add vhsm 'kr bad!' "new aes256" "$ring"
$T keygen --type aes128 --label kr.dup >/dev/null
ktap_expect_rc "a label the caller already uses is refused" 1 keyctl add vhsm kr.dup "new aes256" "$ring"
ktap_expect_rc "another uid cannot reference root's key" 1 \
	$NOBODY keyctl add vhsm kr.steal "ref #$aes_h" @u

# ---- asymmetric keys ------------------------------------------------------------------
for c in p256:sha256:256 p384:sha384:384; do
	k=${c%%:*} h=${c#*:}; bits=${h#*:}; h=${h%%:*}
	$T keygen --type $k --label kr.$k --usage sign,verify >/dev/null
	$T pubkey kr.$k -o "$d/$k.pem"
	openssl dgst -$h -binary "$d/msg" > "$d/$k.dgst"
	ktok=$($T keyring token kr.$k)
	aid=$(printf 'vhsm:%s\n' "$ktok" | keyctl padd asymmetric kr.$k.asym "$ring")
	ktap_check "$k: keyctl padd asymmetric with 'vhsm:TOKEN'" sh -c "[ -n '$aid' ] && keyctl rdescribe '$aid' | grep -q '^asymmetric;'"
	ktap_check "$k: pkey_query: $bits bits, sign and verify" sh -c \
		"keyctl pkey_query '$aid' 0 enc=x962 hash=$h > '$d/q' && grep -qx 'key_size=$bits' '$d/q' && grep -qx 'sign=y' '$d/q' && grep -qx 'verify=y' '$d/q'"
	keyctl pkey_sign "$aid" 0 "$d/$k.dgst" enc=x962 hash=$h > "$d/$k.sig"
	ktap_check "$k: pkey_sign's signature verifies in OpenSSL with the exported public key" \
		openssl dgst -$h -verify "$d/$k.pem" -signature "$d/$k.sig" "$d/msg"
	ktap_check "$k: pkey_verify accepts it" keyctl pkey_verify "$aid" 0 "$d/$k.dgst" "$d/$k.sig" enc=x962 hash=$h
	printf 'x' >> "$d/$k.dgst.bad"; cat "$d/$k.dgst" >> "$d/$k.dgst.bad"
	head -c "$(wc -c < "$d/$k.dgst")" "$d/$k.dgst.bad" > "$d/$k.dgst.bad2"
	ktap_expect_rc "$k: pkey_verify refuses another digest" 1 \
		keyctl pkey_verify "$aid" 0 "$d/$k.dgst.bad2" "$d/$k.sig" enc=x962 hash=$h
	eval "aid_$k=$aid"
done

aid=$aid_p256
ktap_expect_rc "another uid cannot find the asymmetric key" 1 \
	$NOBODY keyctl search @u asymmetric kr.p256.asym
ktap_expect_rc "another uid cannot use it by serial (keyring permissions)" 1 \
	$NOBODY keyctl pkey_query "$aid" 0 enc=x962 hash=sha256
keyctl setperm "$aid" 0x3f3f3f3f
ktap_check "with the keyring key open to all, another uid may query it" \
	$NOBODY keyctl pkey_query "$aid" 0 enc=x962 hash=sha256
ktap_expect_rc "... but its signature is refused: the vHSM key's mode decides" 1 \
	$NOBODY keyctl pkey_sign "$aid" 0 "$d/p256.dgst" enc=x962 hash=sha256
ktap_expect_rc "another uid cannot add an asymmetric key from root's token" 1 \
	$NOBODY sh -c "printf 'vhsm:%s' '$($T keyring token kr.p256)' | keyctl padd asymmetric kr.steal @u"

# a key whose mode lets others use it: the device's group still decides
$T keygen --type p256 --label kr.shared --usage sign,verify --mode 0701 >/dev/null
$T pubkey kr.shared -o "$d/shared.pem"
sid=$(printf 'vhsm:%s' "$($T keyring token kr.shared)" | keyctl padd asymmetric kr.shared.asym "$ring")
keyctl setperm "$sid" 0x3f3f3f3f
ktap_check "another uid in the device group may sign when the key's mode allows it" sh -c \
	"$NOBODY keyctl pkey_sign '$sid' 0 '$d/p256.dgst' enc=x962 hash=sha256 > '$d/shared.sig' && openssl dgst -sha256 -verify '$d/shared.pem' -signature '$d/shared.sig' '$d/msg'"
OUTSIDER="runas 65534 65534"
ktap_expect_rc "a uid outside the device group may not sign with it" 1 \
	$OUTSIDER keyctl pkey_sign "$sid" 0 "$d/p256.dgst" enc=x962 hash=sha256
ktap_expect_rc "... nor add a vhsm key" 1 $OUTSIDER keyctl add vhsm kr.out "new aes256" @u
ktap_expect_rc "... nor an asymmetric key from a token" 1 \
	$OUTSIDER sh -c "printf 'vhsm:%s' '$($T keyring token kr.shared)' | keyctl padd asymmetric kr.out @u"
keyctl unlink "$sid" "$ring" >/dev/null
$T destroy kr.shared >/dev/null

$T destroy kr.p256 >/dev/null
ktap_expect_rc "after the vHSM key is destroyed, pkey_sign fails" 1 \
	keyctl pkey_sign "$aid" 0 "$d/p256.dgst" enc=x962 hash=sha256
keyctl unlink "$aid_p256" "$ring" >/dev/null
keyctl unlink "$aid_p384" "$ring" >/dev/null
ktap_check "unlinked asymmetric keys are reaped (the module can unload)" \
	eventually sh -c "! grep -q 'vhsm p' /proc/keys"
ktap_finish
