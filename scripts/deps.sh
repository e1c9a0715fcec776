#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install, from Debian's own packages, everything vhsm needs to build and test
# on a fresh Debian 12 machine. Idempotent: does nothing when all is present.
set -eu

PKGS="build-essential make gcc clang pkg-config git xz-utils cpio kmod bc flex bison \
libelf-dev dwarves sparse \
linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12 \
qemu-system-x86 busybox-static keyutils libkeyutils-dev libkcapi-dev kcapi-tools \
libssl-dev openssl libjansson-dev libcurl4-openssl-dev libmicrohttpd-dev \
dmsetup cryptsetup-bin libclang-rt-14-dev jq"
# Debian packaging (make deb, lintian) and the chroot install test (make check-install)
PKGS="$PKGS debhelper dh-dkms dkms lintian fakeroot debootstrap"

# `deps.sh X.Y` (make check KVER=X.Y): that kernel's image and headers too.
# 6.1 is Debian 12's default kernel (the linux-image-amd64 metapackage);
# other series come as linux-image-X.Y-amd64 (6.12: bookworm-security).
case "${1:-}" in
"") ;;
6.1 | 6.1.*) PKGS="$PKGS linux-image-amd64 linux-headers-amd64" ;;
*) PKGS="$PKGS linux-image-$1-amd64 linux-headers-$1-amd64" ;;
esac

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all present"
	exit 0
fi
echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install packages (run: sudo make deps)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# the kernel image and headers in one transaction so their versions match
apt-get install -y -q --no-install-recommends $missing
