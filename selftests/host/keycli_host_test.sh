#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool key commands (ASan/UBSan build) on the host, where there is no
# vhsm device: usage errors exit 2, a missing device exits 4, bad input files
# exit 1, and every command has --help.
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}
NODEV="--device /nonexistent/vhsm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/pub.pem" <<'PEM'
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKHRVVWdUPuGvz/kdCZ6BxWB0L0sO
glHRUy9/Di2hkad6jaR9u8QkrKNDuv5Js3hAift7xDd5cCiPOp3vFsELKw==
-----END PUBLIC KEY-----
PEM
printf 'not a key' > "$tmp/junk"
printf '0123456789abcdef' > "$tmp/raw16"
: > "$tmp/empty"

CMDS="keygen list show destroy pubkey encrypt decrypt sign verify mac import"
ktap_plan 67

for c in $CMDS; do
	ktap_expect_rc "$c --help exits 0" 0 $T $c --help
done
out=$($T --help)
missing=
for c in $CMDS; do
	case "$out" in *"  $c "*) ;; *) missing="$missing $c" ;; esac
done
if [ -z "$missing" ]; then ktap_ok "--help lists every key command"
else ktap_fail "--help lists every key command" "missing:$missing"; fi

# usage errors: 2, before the device is touched
ktap_expect_rc "keygen without --type" 2 $T $NODEV keygen --label k
ktap_expect_rc "keygen without --label" 2 $T $NODEV keygen --type aes256
ktap_expect_rc "keygen unknown type" 2 $T $NODEV keygen --type aes512 --label k
ktap_expect_rc "keygen secret15" 2 $T $NODEV keygen --type secret15 --label k
ktap_expect_rc "keygen bad label" 2 $T $NODEV keygen --type aes256 --label 'a b'
ktap_expect_rc "keygen label of 64" 2 $T $NODEV keygen --type aes256 \
	--label aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
ktap_expect_rc "keygen bad usage" 2 $T $NODEV keygen --type aes256 --label k --usage encrypt,,decrypt
ktap_expect_rc "keygen bad mode" 2 $T $NODEV keygen --type aes256 --label k --mode 0800
ktap_expect_rc "keygen stray argument" 2 $T $NODEV keygen --type aes256 --label k extra
ktap_expect_rc "keygen unknown option" 2 $T $NODEV keygen --type aes256 --label k --frob
ktap_expect_rc "list stray argument" 2 $T $NODEV list extra
ktap_expect_rc "show without KEY" 2 $T $NODEV show
ktap_expect_rc "show two KEYs" 2 $T $NODEV show a b
ktap_expect_rc "show #0" 2 $T $NODEV show '#0'
ktap_expect_rc "show #x" 2 $T $NODEV show '#x'
ktap_expect_rc "show #4294967296" 2 $T $NODEV show '#4294967296'
ktap_expect_rc "show bad label" 2 $T $NODEV show 'a b'
ktap_expect_rc "destroy without KEY" 2 $T $NODEV destroy
ktap_expect_rc "destroy --json" 2 $T $NODEV destroy k --json
ktap_expect_rc "pubkey --pem --der" 2 $T $NODEV pubkey k --pem --der
ktap_expect_rc "pubkey without KEY" 2 $T $NODEV pubkey
ktap_expect_rc "encrypt without KEY" 2 $T $NODEV encrypt
ktap_expect_rc "encrypt --aad without file" 2 $T $NODEV encrypt k --aad
ktap_expect_rc "encrypt AAD and input both stdin" 2 $T $NODEV encrypt k --aad - -o "$tmp/x"
ktap_expect_rc "decrypt two KEYs" 2 $T $NODEV decrypt a b
ktap_expect_rc "sign --raw --der" 2 $T $NODEV sign k --raw --der
ktap_expect_rc "sign without KEY" 2 $T $NODEV sign
ktap_expect_rc "verify without --sig" 2 $T $NODEV verify k
ktap_expect_rc "verify sig and input both stdin" 2 $T $NODEV verify k --sig -
ktap_expect_rc "verify -o is not an option" 2 $T $NODEV verify k --sig "$tmp/x" -o x
ktap_expect_rc "mac without KEY" 2 $T $NODEV mac
ktap_expect_rc "mac --digest is not an option" 2 $T $NODEV mac k --digest
ktap_expect_rc "import without -i" 2 $T $NODEV import --type aes256 --label k
ktap_expect_rc "import --public of an AES type" 2 $T $NODEV import --public --type aes256 --label k -i "$tmp/pub.pem"
ktap_expect_rc "import without --label" 2 $T $NODEV import --type p256 -i "$tmp/pub.pem"

# bad input files: 1, read before the device is opened
ktap_expect_rc "import --public of junk" 1 $T $NODEV import --public --type p256 --label k -i "$tmp/junk"
ktap_expect_rc "import --public of the wrong curve" 1 $T $NODEV import --public --type p384 --label k -i "$tmp/pub.pem"
ktap_expect_rc "import of an empty file" 1 $T $NODEV import --type aes256 --label k -i "$tmp/empty"
ktap_expect_rc "import secretN of the wrong length" 1 $T $NODEV import --type secret32 --label k -i "$tmp/raw16"
ktap_expect_rc "import of a missing file" 1 $T $NODEV import --type aes256 --label k -i "$tmp/missing"

# valid arguments without a device: 4
ktap_expect_rc "keygen, no device" 4 $T $NODEV keygen --type p256 --label k --usage sign,verify,derive --mode 0750
ktap_expect_rc "list, no device" 4 $T $NODEV list
ktap_expect_rc "list --json, no device" 4 $T $NODEV list --json
ktap_expect_rc "show, no device" 4 $T $NODEV show '#7'
ktap_expect_rc "destroy, no device" 4 $T $NODEV destroy my.key
ktap_expect_rc "pubkey, no device" 4 $T $NODEV pubkey k --der -o "$tmp/x"
ktap_expect_rc "encrypt, no device" 4 $T $NODEV encrypt k --aad "$tmp/junk" -o "$tmp/x" < /dev/null
ktap_expect_rc "decrypt, no device" 4 $T $NODEV decrypt k -i "$tmp/junk" -o "$tmp/x"
ktap_expect_rc "sign, no device" 4 $T $NODEV sign k --digest --der -o "$tmp/x" < /dev/null
ktap_expect_rc "verify, no device" 4 $T $NODEV verify k --sig "$tmp/junk" < /dev/null
ktap_expect_rc "mac, no device" 4 $T $NODEV mac k -o "$tmp/x" < /dev/null
ktap_expect_rc "import --public, no device" 4 $T $NODEV import --public --type p256 --label peer -i "$tmp/pub.pem"
ktap_expect_rc "import secret, no device" 4 $T $NODEV import --type secret16 --label k -i "$tmp/raw16"

# a device that is not vhsm: 1
ktap_expect_rc "show on /dev/null exits 1" 1 $T --device /dev/null show k
if [ ! -e "$tmp/x" ]; then ktap_ok "failed commands leave no output file"
else ktap_fail "failed commands leave no output file"; fi
ktap_finish
