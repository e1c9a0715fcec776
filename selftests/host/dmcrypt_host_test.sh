#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool dmcrypt table (ASan/UBSan build) on the host, where there is no
# vhsm device: --help, usage errors exit 2 and device-size errors exit 1
# before the vhsm device is touched, a missing vhsm device exits 4 (the
# table itself is checked in the VM by dmcrypt_test.sh).
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}
NODEV="--device /nonexistent/vhsm"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
head -c 1048576 /dev/zero > "$d/disk"
head -c 100 /dev/zero > "$d/tiny"

ktap_plan 14

ktap_expect_rc "dmcrypt --help exits 0" 0 $T dmcrypt --help
ktap_expect_rc "dmcrypt table --help exits 0" 0 $T dmcrypt table --help
case "$($T --help)" in
*"  dmcrypt "*) ktap_ok "--help lists dmcrypt" ;;
*) ktap_fail "--help lists dmcrypt" ;;
esac
ktap_expect_rc "dmcrypt without a command" 2 $T $NODEV dmcrypt
ktap_expect_rc "dmcrypt unknown command" 2 $T $NODEV dmcrypt open k
ktap_expect_rc "table without KEY" 2 $T $NODEV dmcrypt table --device "$d/disk"
ktap_expect_rc "table with two KEYs" 2 $T $NODEV dmcrypt table a b --device "$d/disk"
ktap_expect_rc "table with a bad label" 2 $T $NODEV dmcrypt table 'a b' --device "$d/disk"
ktap_expect_rc "table without --device" 2 $T $NODEV dmcrypt table k
ktap_expect_rc "a device path with a space" 2 $T $NODEV dmcrypt table k --device "$d/a b"
ktap_expect_rc "--desc without a prefix" 2 $T $NODEV dmcrypt table k --device "$d/disk" --desc disk1
ktap_expect_rc "a missing device is an error (1)" 1 $T $NODEV dmcrypt table k --device "$d/none"
ktap_expect_rc "less than one sector is an error (1)" 1 $T $NODEV dmcrypt table k --device "$d/tiny"
ktap_expect_rc "no vhsm device exits 4" 4 $T $NODEV dmcrypt table k --device "$d/disk"
ktap_finish
