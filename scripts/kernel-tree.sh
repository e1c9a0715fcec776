#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare a kernel source tree as a build tree for out-of-tree modules
# (`make check-kernels` compiles vhsm against every tree prepared here).
#
# SRC is an unpacked kernel source directory or a source tarball (a kernel.org
# linux-X.Y.tar.xz, Debian's /usr/src/linux-source-X.Y.tar.xz, ...). The
# configuration is Debian 12's 6.12 distribution config (/boot/config-6.12*,
# from linux-image-6.12-amd64) brought to this source with olddefconfig, so
# everything a distribution kernel enables and vhsm uses (SEV guest,
# configfs-tsm, keys, the crypto API) is configured; trusted-key certificate
# files and BTF, which need the distribution's build, are switched off. Then
# `make modules_prepare` in an O= directory. No kernel is built: there is no
# Module.symvers, so modpost cannot check the module's imports;
# scripts/check-kernels.sh checks them against the tree's EXPORT_SYMBOLs.
#
# Result: ${VHSM_CACHE_DIR:-/var/cache/vhsm}/trees/RELEASE/{src,build}, where
# build/ is the KDIR. A tree with a `complete` mark is left alone.
#
# usage: kernel-tree.sh SRC [NAME]     (NAME defaults to the source's version)
#        prints the build directory
set -eu
src=$1 name=${2:-}
cache=${VHSM_CACHE_DIR:-/var/cache/vhsm}/trees
jobs=${VHSM_JOBS:-2}
base=$(ls /boot/config-6.12*-amd64 2>/dev/null | sort | tail -n 1)
[ -n "$base" ] || { echo "kernel-tree: no /boot/config-6.12*-amd64 (make deps)" >&2; exit 1; }

mkdir -p "$cache"
tmp=
if [ -f "$src" ]; then
	tmp=$(mktemp -d "$cache/unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "kernel-tree: unpacking $src" >&2
	tar -xf "$src" -C "$tmp"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
fi
[ -f "$src/Makefile" ] && [ -d "$src/include/linux" ] ||
	{ echo "kernel-tree: $src is no kernel source tree" >&2; exit 1; }
version=$(make -s -C "$src" kernelversion 2>/dev/null)
name=${name:-$version}
dir=$cache/$name
if [ -f "$dir/complete" ]; then
	echo "$dir/build"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
if [ -n "$tmp" ]; then
	mv "$src" "$dir/src"
else
	cp -a "$src" "$dir/src"
fi
mkdir -p "$dir/build"
cp "$base" "$dir/build/.config"
cfg="$dir/src/scripts/config --file $dir/build/.config"
$cfg --set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
	--disable MODULE_SIG_ALL --disable DEBUG_INFO_BTF --disable DEBUG_INFO_BTF_MODULES \
	--set-str LOCALVERSION "-vhsm-tree"
echo "kernel-tree: preparing $version in $dir (olddefconfig, modules_prepare)" >&2
{
	make -C "$dir/src" O="$dir/build" olddefconfig &&
	make -C "$dir/src" O="$dir/build" -j"$jobs" modules_prepare
} > "$dir/prepare.log" 2>&1 || {
	tail -n 30 "$dir/prepare.log" >&2
	echo "kernel-tree: preparing $version failed (log: $dir/prepare.log)" >&2
	exit 1
}
echo "$version" > "$dir/version"
touch "$dir/complete"
echo "$dir/build"
