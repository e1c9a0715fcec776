#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool keyring and fscrypt commands (ASan/UBSan build) on the host, where
# there is no vhsm device: --help, usage errors exit 2 before the device is
# touched, a missing device exits 4.
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}
NODEV="--device /nonexistent/vhsm"

ktap_plan 25

ktap_expect_rc "keyring --help exits 0" 0 $T keyring --help
ktap_expect_rc "keyring token --help exits 0" 0 $T keyring token --help
ktap_expect_rc "keyring export --help exits 0" 0 $T keyring export --help
ktap_expect_rc "fscrypt --help exits 0" 0 $T fscrypt --help
ktap_expect_rc "fscrypt add --help exits 0" 0 $T fscrypt add --help
out=$($T --help)
case "$out" in
*"  keyring "*"  fscrypt "*) ktap_ok "--help lists keyring and fscrypt" ;;
*) ktap_fail "--help lists keyring and fscrypt" "$out" ;;
esac

ktap_expect_rc "keyring without a command" 2 $T $NODEV keyring
ktap_expect_rc "keyring unknown command" 2 $T $NODEV keyring frob
ktap_expect_rc "keyring token without KEY" 2 $T $NODEV keyring token
ktap_expect_rc "keyring token two KEYs" 2 $T $NODEV keyring token a b
ktap_expect_rc "keyring token bad label" 2 $T $NODEV keyring token 'a b'
ktap_expect_rc "keyring export without --as" 2 $T $NODEV keyring export k --desc vhsm:x
ktap_expect_rc "keyring export unknown --as" 2 $T $NODEV keyring export k --as user --desc vhsm:x
ktap_expect_rc "keyring export without --desc" 2 $T $NODEV keyring export k --as logon
ktap_expect_rc "keyring export empty --desc" 2 $T $NODEV keyring export k --as logon --desc ''
ktap_expect_rc "keyring export bad keyring" 2 $T $NODEV keyring export k --as logon --desc vhsm:x --keyring @x
ktap_expect_rc "keyring export refuses @t" 2 $T $NODEV keyring export k --as logon --desc vhsm:x --keyring @t
ktap_expect_rc "keyring export refuses @p" 2 $T $NODEV keyring export k --as logon --desc vhsm:x --keyring @p
ktap_expect_rc "fscrypt without a command" 2 $T $NODEV fscrypt
ktap_expect_rc "fscrypt add without --mountpoint" 2 $T $NODEV fscrypt add k
ktap_expect_rc "fscrypt add without KEY" 2 $T $NODEV fscrypt add --mountpoint /
ktap_expect_rc "keyring token without the device exits 4" 4 $T $NODEV keyring token k
ktap_expect_rc "--json after the command is accepted" 4 $T $NODEV keyring token k --json
ktap_expect_rc "keyring export without the device exits 4" 4 \
	$T $NODEV keyring export k --as logon --desc vhsm:x --keyring 12345
ktap_expect_rc "fscrypt add without the device exits 4" 4 $T $NODEV fscrypt add k --mountpoint /
ktap_finish
