#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Assemble the test VM's initramfs: busybox, vhsm.ko, the Debian modules the
# tests need (with dependencies, decompressed), the test programs, vhsm-tool,
# libvhsm and the real clients, each with its shared libraries.
#
# usage: mkinitramfs.sh KVER BUILD OUT.cpio.gz ENVFILE [MODDIR [KMODDIR]]
#   MODDIR: the kernel's modules (default /lib/modules/KVER); a module of
#   modules.list that this kernel has built in (modules.builtin) is skipped.
#   KMODDIR: where vhsm.ko and vhsm_tsm.ko are (default kmod/ of the tree).
set -eu
kver=$1 build=$2 out=$3 envfile=$4
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
moddir=${5:-/lib/modules/$kver}
kmoddir=${6:-$top/kmod}

stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/bin "$stage"/sbin "$stage"/usr/bin "$stage"/usr/lib \
	"$stage"/lib/vhsm "$stage"/etc/vhsm-test "$stage"/usr/lib/vhsm-tests \
	"$stage"/proc "$stage"/sys "$stage"/dev "$stage"/tmp "$stage"/run "$stage"/root
mknod -m 600 "$stage/dev/console" c 5 1

# copy_with_libs FILE DEST: FILE to DEST plus every library ldd names
copy_with_libs() {
	install -D -m 0755 "$1" "$stage$2"
	LD_LIBRARY_PATH="$top/$build/lib" ldd "$1" 2>/dev/null |
		awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
		while read -r lib; do
			[ -e "$stage$lib" ] || install -D -m 0755 "$lib" "$stage$lib"
		done
}

cp /bin/busybox "$stage/bin/busybox"
install -m 0755 "$here/init.sh" "$stage/init"
install -m 0644 "$envfile" "$stage/etc/vhsm-test/env"
install -m 0644 "$kmoddir/vhsm.ko" "$stage/lib/vhsm/vhsm.ko"
# no vhsm_tsm.ko for a kernel without configfs-tsm (kmod/Kbuild); tsm_test.sh skips
[ ! -e "$kmoddir/vhsm_tsm.ko" ] || install -m 0644 "$kmoddir/vhsm_tsm.ko" "$stage/lib/vhsm/vhsm_tsm.ko"
install -m 0644 "$kmoddir/vhsm_sim_hw.ko" "$stage/lib/vhsm/vhsm_sim_hw.ko"
# the production build (VHSM_SIM=n, make module-nosim) for nosim_test.sh, when
# it was built for this kernel: the host's, or another Debian kernel's under
# make check KVER=... (the debug lane's kernel, 6.12.117-vhsm-debug, has none)
nosim=$top/$build/nosim/ksrc/kmod/vhsm.ko
if [ -f "$nosim" ] &&
	[ "$(modinfo -F vermagic "$nosim" | cut -d' ' -f1)" = "$kver" ]; then
	install -m 0644 "$nosim" "$stage/lib/vhsm/vhsm_nosim.ko"
fi

# libvhsm where the loader finds it
cp -P "$top/$build"/lib/libvhsm.so* "$stage/usr/lib/"
copy_with_libs "$top/$build/bin/vhsm-tool" /usr/bin/vhsm-tool

for t in "$top/$build"/selftests/*; do
	[ -f "$t" ] && copy_with_libs "$t" "/usr/lib/vhsm-tests/$(basename "$t")"
done
install -m 0755 "$top"/selftests/vhsm/*.sh "$stage/usr/lib/vhsm-tests/"
mkdir -p "$stage/usr/share/vhsm-tests"
cp -r "$top/selftests/testdata/wycheproof" "$stage/usr/share/vhsm-tests/"
cp -r "$top/selftests/testdata/measure" "$stage/usr/share/vhsm-tests/"
cp -r "$top/selftests/testdata/kbs" "$stage/usr/share/vhsm-tests/"
ln -s /usr/lib/vhsm-tests/runas "$stage/usr/bin/runas"

grep -v -E '^(#|$)' "$here/guest-bins.list" | while read -r b; do
	p=$(command -v "$b") || { echo "mkinitramfs: $b not installed (make deps)" >&2; exit 1; }
	copy_with_libs "$p" "/usr/bin/$b"
done

# Debian modules, dependencies first, in load order
: > "$stage/etc/vhsm-test/modules"
# find_module NAME FILE: the path FILE (modules.dep or modules.builtin) has for NAME
find_module() {
	awk -F: -v m="$1" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.xz|\.zst)?$/, "", n);
		gsub(/-/, "_", n); mm = m; gsub(/-/, "_", mm); if (n == mm) { print $1; exit } }' "$2"
}
add_module() {
	local rel dep name
	rel=$(find_module "$1" "$moddir/modules.dep")
	if [ -z "$rel" ] && [ -f "$moddir/modules.builtin" ] &&
		[ -n "$(find_module "$1" "$moddir/modules.builtin")" ]; then
		return 0	# built into this kernel: nothing to load
	fi
	[ -n "$rel" ] || { echo "mkinitramfs: module $1 not found for $kver (in $moddir)" >&2; exit 1; }
	for dep in $(awk -F: -v r="$rel" '$1 == r { print $2 }' "$moddir/modules.dep"); do
		add_module "$(basename "$dep" | sed -E 's/\.ko(\.xz|\.zst)?$//')"
	done
	name=$(basename "$rel" | sed -E 's/\.ko(\.xz|\.zst)?$//')
	grep -qx "$name" "$stage/etc/vhsm-test/modules" && return 0
	case "$rel" in
	*.xz) xz -dc "$moddir/$rel" > "$stage/lib/vhsm/$name.ko" ;;
	*.zst) zstd -dcq "$moddir/$rel" > "$stage/lib/vhsm/$name.ko" ;;
	*) cp "$moddir/$rel" "$stage/lib/vhsm/$name.ko" ;;
	esac
	echo "$name" >> "$stage/etc/vhsm-test/modules"
}
# NAME? in modules.list: optional, for a feature some supported kernels lack
# (6.1 has no tsm); the tests that need it skip and name it.
for m in $(grep -v -E '^(#|$)' "$here/modules.list"); do
	case "$m" in
	*\?)
		m=${m%\?}
		if [ -z "$(find_module "$m" "$moddir/modules.dep")" ] &&
			! { [ -f "$moddir/modules.builtin" ] &&
				[ -n "$(find_module "$m" "$moddir/modules.builtin")" ]; }; then
			echo "mkinitramfs: optional module $m not in $kver: left out" >&2
			continue
		fi ;;
	esac
	add_module "$m"
done
# and what vhsm.ko itself needs from this kernel (on 6.1 the ecc module)
for m in $(modinfo -F depends "$kmoddir/vhsm.ko" | tr ',' ' '); do
	add_module "$m"
done

(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
