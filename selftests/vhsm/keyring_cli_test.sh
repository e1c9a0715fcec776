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
chmod 0755 "$d"		# other uids read the public files (digests)
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
# keyctl_refused NAME CALL ERROR COMMAND...: keyctl exits 1 because the system
# call CALL failed with ERROR (strerror text), not for any other reason
keyctl_refused() {
	_name=$1 _call=$2 _err=$3; shift 3
	_out=$("$@" 2>&1); _rc=$?
	case "$_out" in
	*"$_call: $_err"*) if [ "$_rc" = 1 ]; then ktap_ok "$_name"; return 0; fi ;;
	esac
	ktap_fail "$_name" "exit $_rc, wanted 1 with '$_call: $_err': $_out"
}
ENOENT="No such file or directory" EACCES="Permission denied" EINVAL="Invalid argument"

ktap_plan 65

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
# a kernel without key_create() refuses keyring export (README "Supported
# kernels"): those checks skip, named, and the rest of the test runs
if ktap_has_cap keyring-export; then
	kx_check=ktap_check kx_rc=ktap_expect_rc kx_refused=keyctl_refused
else
	kx_skip() { ktap_skip "$1" "this kernel has no key_create(): keyring export is refused"; }
	kx_check=kx_skip kx_rc=kx_skip kx_refused=kx_skip
fi
s=$($T keyring export kr.aes --as logon --desc vhsm:kr.disk --keyring "$ring")
$kx_check "export --as logon makes a logon key owned by the caller" sh -c \
	"keyctl rdescribe '$s' | grep -qx 'logon;0;0;[0-9a-f]*;vhsm:kr.disk'"
$kx_refused "the logon key's bytes cannot be read back" keyctl_read_alloc "Operation not supported" keyctl print "$s"
$kx_check "dm-crypt's lookup finds it (request_key logon vhsm:kr.disk)" sh -c \
	"[ \"\$(keyctl request logon vhsm:kr.disk)\" = '$s' ]"
s=$($T keyring export kr.aes --as logon --desc vhsm:kr.default)
$kx_check "the default keyring is @u" sh -c \
	"[ \"\$(keyctl search @u logon vhsm:kr.default)\" = '$s' ] && keyctl unlink '$s' @u"
$kx_check "export --as token into @s (a session keyring) makes a logon key" \
	keyctl session kr.sess sh -c \
	"s=\$($T keyring export kr.aes --as token --desc vhsm:kr.tok --keyring @s) && keyctl rdescribe \$s | grep -q '^logon;0;0;.*;vhsm:kr.tok\$' && [ \"\$(keyctl search @s logon vhsm:kr.tok)\" = \$s ]"
ktap_expect_rc "@t and @p are refused: they end with the tool (2)" 2 \
	$T keyring export kr.aes --as token --desc vhsm:kr.t --keyring @t
$kx_rc "the same description again is an error (1)" 1 \
	$T keyring export kr.aes --as logon --desc vhsm:kr.disk --keyring "$ring"
$kx_rc "a logon description without prefix is an error (1)" 1 \
	$T keyring export kr.aes --as logon --desc nodisk --keyring "$ring"
$kx_rc "a key without export-kernel is refused (3)" 3 \
	$T keyring export kr.plain --as logon --desc vhsm:kr.plain --keyring "$ring"
$kx_rc "an aes256 key cannot be an fscrypt key (1)" 1 \
	$T keyring export kr.aes --as fscrypt --desc kr.fs --keyring "$ring"
ktap_expect_rc "an unknown keyring spelling is a usage error (2)" 2 \
	$T keyring export kr.aes --as logon --desc vhsm:x --keyring @x
ktap_expect_rc "--as is required (2)" 2 $T keyring export kr.aes --desc vhsm:x
ktap_expect_rc "--desc is required (2)" 2 $T keyring export kr.aes --as logon

nobody_h=$($NOBODY $T --json keygen --type secret32 --label kr.nobody | jq -r .handle)
$kx_rc "root may not export another uid's 0700 key (3)" 3 \
	$T keyring export "#$nobody_h" --as logon --desc vhsm:kr.nobody --keyring "$ring"
aes_h=$($T --json show kr.aes | jq -r .handle)
$kx_rc "another uid may not export root's key (1: it cannot see it)" 1 \
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

rev=$(keyctl add vhsm kr.rev "new aes128" "$ring")
keyctl revoke "$rev"
ktap_expect_rc "revoking an owning key destroys its vHSM key at once (1)" 1 $T show kr.rev
keyctl unlink "$rev" "$ring" >/dev/null

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
keyctl_refused "an unknown type is refused" add_key "$EINVAL" keyctl add vhsm kr.bad "new aes512" "$ring"
keyctl_refused "an unknown verb is refused" add_key "$EINVAL" keyctl add vhsm kr.bad "frob aes256" "$ring"
keyctl_refused "an invalid label is refused" add_key "$EINVAL" keyctl add vhsm 'kr bad!' "new aes256" "$ring"
$T keygen --type aes128 --label kr.dup >/dev/null
keyctl_refused "a label the caller already uses is refused" add_key "File exists" keyctl add vhsm kr.dup "new aes256" "$ring"
keyctl_refused "another uid cannot reference root's key" add_key "$ENOENT" \
	$NOBODY keyctl add vhsm kr.steal "ref #$aes_h" @u
keyctl_refused "a usage the type cannot have is refused" add_key "$EINVAL" \
	keyctl add vhsm kr.bad "new aes256 usage=sign" "$ring"
keyctl_refused "a mode above 0777 is refused" add_key "$EINVAL" \
	keyctl add vhsm kr.bad "new aes256 mode=1777" "$ring"
keyctl_refused "'ref' takes exactly one key" add_key "$EINVAL" \
	keyctl add vhsm kr.bad "ref kr.aes kr.plain" "$ring"
xid=$(keyctl add vhsm kr.xts "new aes256-xts" "$ring")
$kx_check "a key made through keyctl exports like any other (default usage export-kernel)" sh -c \
	"s=\$($T keyring export kr.xts --as logon --desc vhsm:kr.xts --keyring '$ring') && keyctl rdescribe \$s | grep -q ';vhsm:kr.xts\$'"
keyctl unlink "$xid" "$ring" >/dev/null

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
	keyctl_refused "$k: pkey_verify refuses another digest" keyctl_pkey_verify "Key was rejected by service" \
		keyctl pkey_verify "$aid" 0 "$d/$k.dgst.bad2" "$d/$k.sig" enc=x962 hash=$h
	eval "aid_$k=$aid"
done

# the raw token as payload (keyctl pipe of a vhsm key gives it); raw r||s
vid=$(keyctl add vhsm kr.p256.ref "ref kr.p256" "$ring")
rawid=$(keyctl pipe "$vid" | keyctl padd asymmetric kr.p256.raw "$ring")
ktap_check "the 16 raw token bytes are a payload too (keyctl pipe | keyctl padd)" sh -c \
	"[ -n '$rawid' ] && keyctl pkey_query '$rawid' 0 enc=raw hash=sha256 | grep -qx 'max_sig_size=64'"
keyctl pkey_sign "$rawid" 0 "$d/p256.dgst" enc=raw hash=sha256 > "$d/p256.raw"
ktap_check "enc=raw gives 64 bytes r||s that pkey_verify accepts" sh -c \
	"[ \$(wc -c < '$d/p256.raw') -eq 64 ] && keyctl pkey_verify '$rawid' 0 '$d/p256.dgst' '$d/p256.raw' enc=raw hash=sha256"
keyctl_refused "an unsupported hash is refused" keyctl_pkey_query "Package not installed" \
	keyctl pkey_query "$rawid" 0 enc=x962 hash=sha1
keyctl unlink "$rawid" "$ring" >/dev/null
keyctl unlink "$vid" "$ring" >/dev/null

# an imported public key: verify only, an OpenSSL signature checked in the kernel
openssl ecparam -name prime256v1 -genkey -noout -out "$d/ossl.key" 2>/dev/null
openssl ec -in "$d/ossl.key" -pubout -out "$d/ossl.pub" 2>/dev/null
openssl dgst -sha256 -sign "$d/ossl.key" -out "$d/ossl.sig" "$d/msg"
$T import --public --type p256 --label kr.pub -i "$d/ossl.pub" >/dev/null
pid=$(printf 'vhsm:%s' "$($T keyring token kr.pub)" | keyctl padd asymmetric kr.pub.asym "$ring")
ktap_check "an imported public key: pkey_query says verify only" sh -c \
	"keyctl pkey_query '$pid' 0 enc=x962 hash=sha256 > '$d/qp' && grep -qx 'sign=n' '$d/qp' && grep -qx 'verify=y' '$d/qp'"
ktap_check "pkey_verify accepts OpenSSL's signature" \
	keyctl pkey_verify "$pid" 0 "$d/p256.dgst" "$d/ossl.sig" enc=x962 hash=sha256
keyctl unlink "$pid" "$ring" >/dev/null
$T destroy kr.pub >/dev/null

aid=$aid_p256
keyctl_refused "another uid cannot find the asymmetric key" keyctl_search "Required key not available" \
	$NOBODY keyctl search @u asymmetric kr.p256.asym
keyctl_refused "another uid cannot use it by serial (keyring permissions)" keyctl_pkey_query "$EACCES" \
	$NOBODY keyctl pkey_query "$aid" 0 enc=x962 hash=sha256
keyctl setperm "$aid" 0x3f3f3f3f
ktap_check "with the keyring key open to all, another uid may query it" \
	$NOBODY keyctl pkey_query "$aid" 0 enc=x962 hash=sha256
keyctl_refused "... but its signature is refused: the vHSM key's mode decides" keyctl_pkey_sign "$ENOENT" \
	$NOBODY keyctl pkey_sign "$aid" 0 "$d/p256.dgst" enc=x962 hash=sha256
keyctl_refused "another uid cannot add an asymmetric key from root's token" add_key "$ENOENT" \
	$NOBODY sh -c "printf 'vhsm:%s' '$($T keyring token kr.p256)' | keyctl padd asymmetric kr.steal @u"

# a key whose mode lets others use it: the device's group still decides
$T keygen --type p256 --label kr.shared --usage sign,verify --mode 0701 >/dev/null
$T pubkey kr.shared -o "$d/shared.pem"
sid=$(printf 'vhsm:%s' "$($T keyring token kr.shared)" | keyctl padd asymmetric kr.shared.asym "$ring")
keyctl setperm "$sid" 0x3f3f3f3f
ktap_check "another uid in the device group may sign when the key's mode allows it" sh -c \
	"$NOBODY keyctl pkey_sign '$sid' 0 '$d/p256.dgst' enc=x962 hash=sha256 > '$d/shared.sig' && openssl dgst -sha256 -verify '$d/shared.pem' -signature '$d/shared.sig' '$d/msg'"
OUTSIDER="runas 65534 65534"
keyctl_refused "a uid outside the device group may not sign with it" keyctl_pkey_sign "$EACCES" \
	$OUTSIDER keyctl pkey_sign "$sid" 0 "$d/p256.dgst" enc=x962 hash=sha256
keyctl_refused "... nor add a vhsm key" add_key "$EACCES" $OUTSIDER keyctl add vhsm kr.out "new aes256" @u
keyctl_refused "... nor an asymmetric key from a token" add_key "$EACCES" \
	$OUTSIDER sh -c "printf 'vhsm:%s' '$($T keyring token kr.shared)' | keyctl padd asymmetric kr.out @u"
keyctl unlink "$sid" "$ring" >/dev/null
$T destroy kr.shared >/dev/null

$T destroy kr.p256 >/dev/null
keyctl_refused "after the vHSM key is destroyed, pkey_sign fails" keyctl_pkey_sign "$ENOENT" \
	keyctl pkey_sign "$aid" 0 "$d/p256.dgst" enc=x962 hash=sha256
keyctl unlink "$aid_p256" "$ring" >/dev/null
keyctl unlink "$aid_p384" "$ring" >/dev/null
ktap_check "unlinked asymmetric keys are reaped (the module can unload)" \
	eventually sh -c "! grep -q 'vhsm p' /proc/keys"

# unloading unregisters the key type, which destroys its keys (and their vHSM keys) first
keyctl add vhsm kr.unload "new aes128" "$ring" >/dev/null
vhsm_keys() { awk '$8 == "vhsm"' /proc/keys | grep -q .; }
if vhsm_keys && rmmod vhsm && ! vhsm_keys && insmod "${VHSM_KO:?}" platform=sim group="$GID" &&
	[ -c /dev/vhsm ]; then
	ktap_ok "unloading the module destroys vhsm keyring keys; it loads again"
else
	ktap_fail "unloading the module destroys vhsm keyring keys; it loads again" "$(grep vhsm /proc/keys /proc/modules)"
fi
ktap_finish
