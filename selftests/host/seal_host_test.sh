#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool seal, unseal, reseal and restore (ASan/UBSan build) on the host,
# where there is no vhsm device: usage errors exit 2, and a broken blob is
# named as such (exit 1) before any device is needed.
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
NODEV="--device /nonexistent/vhsm"

# a well-formed version 1 blob of a 32-byte key (not decryptable: zeros)
{ printf 'vhSB\001\000\260\000'; head -c 8 /dev/zero; printf '\077'; head -c 19 /dev/zero
  printf '\002\000\000\000\003\001\000\000\300\001\000\000\040\000\000\000'
  head -c 60 /dev/zero; printf 'seed'; head -c 108 /dev/zero; } > "$d/ok.blob"
head -c 200 "$d/ok.blob" > "$d/trunc.blob"
{ cat "$d/ok.blob"; printf 'x'; } > "$d/over.blob"
{ printf 'vhSB\002'; tail -c +6 "$d/ok.blob"; } > "$d/v2.blob"
{ printf 'VHSB'; tail -c +5 "$d/ok.blob"; } > "$d/magic.blob"
head -c 400 /dev/zero > "$d/huge.blob"

# says NAME: COMMAND prints TEXT on stderr and exits 1
says() {
	_name=$1 _text=$2; shift 2
	_out=$("$@" 2>&1); _rc=$?
	case "$_rc:$_out" in
	1:*"$_text"*) ktap_ok "$_name" ;;
	*) ktap_fail "$_name" "exit $_rc: $_out" ;;
	esac
}

ktap_plan 16
ktap_expect_rc "seal --help exits 0" 0 $T seal --help
ktap_expect_rc "seal without KEY exits 2" 2 $T seal
ktap_expect_rc "seal with two KEYs exits 2" 2 $T seal a b
ktap_expect_rc "seal --bind with an unknown field exits 2" 2 $T seal k --bind measurement,disk
ktap_expect_rc "seal --bind with a repeated field exits 2" 2 $T seal k --bind tcb,tcb
ktap_expect_rc "seal --tcb with a bad value exits 2" 2 $T seal k --tcb latest
ktap_expect_rc "seal --root vlek exits 2" 2 $T seal k --root vlek
ktap_expect_rc "reseal without --tcb exits 2" 2 $T reseal "$d/ok.blob"
ktap_expect_rc "unseal with a label that is not one exits 2" 2 $T unseal "$d/ok.blob" --label 'a b'
ktap_expect_rc "restore without DIR exits 2" 2 $T restore
says "a truncated blob is named truncated" "truncated" $T $NODEV unseal "$d/trunc.blob"
says "an oversized blob is named oversized" "oversized" $T $NODEV unseal "$d/over.blob"
says "an unknown version is named" "unknown version" $T $NODEV unseal "$d/v2.blob"
says "another file is not a sealed blob" "not a sealed blob" $T $NODEV unseal "$d/magic.blob"
says "a file above 320 bytes is refused" "320 bytes" $T $NODEV unseal "$d/huge.blob"
ktap_expect_rc "a well-formed blob gets as far as the device (exit 4)" 4 $T $NODEV unseal "$d/ok.blob"
ktap_finish
