#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build (once) the debug-lane kernel: Debian's linux-source-6.12 with KASAN,
# KFENCE, lockdep, KMEMLEAK, UBSAN, DEBUG_OBJECTS and fault injection, in a
# small config (tinyconfig + selftests/qemu/debug.config), cached outside the
# repository under $VHSM_CACHE_DIR (default /var/cache/vhsm) in
#   kernel-<version>-<hash>/
#     src/        the unpacked source
#     build/      the O= build tree, usable as KDIR for out-of-tree modules
#     bzImage     the kernel image
#     modules/    modules_install output (modules/lib/modules/<release>/)
#     release     the kernel release (uname -r of the guest)
#     build.log   the build's log, build-time (wall seconds of the first build)
#     complete    written last: an entry without it is rebuilt from scratch
# <hash> covers the fragment, the build recipe below, the source package's version and
# the compiler, so a change to any of them makes a new entry.
#
# usage: debug-kernel.sh [--print-dir] [--jobs N]
#   prints the cache entry's directory on stdout when it is ready; with
#   --print-dir only prints where it would be, building nothing.
#   env: VHSM_CACHE_DIR, VHSM_KERNEL_SRC (default /usr/src/linux-source-6.12.tar.xz)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
fragment=$top/selftests/qemu/debug.config
tarball=${VHSM_KERNEL_SRC:-/usr/src/linux-source-6.12.tar.xz}
cache=${VHSM_CACHE_DIR:-/var/cache/vhsm}
jobs=2 print_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	--print-dir) print_only=1; shift ;;
	--jobs) jobs=$2; shift 2 ;;
	*) echo "debug-kernel.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

[ -r "$tarball" ] || { echo "debug-kernel.sh: $tarball missing (make deps)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || stat -c %s-%Y "$tarball")
kver=$(printf '%s' "$srcver" | sed -E 's/-.*//')
# bump when the way the kernel is built changes (not for edits elsewhere here)
recipe="tinyconfig+fragment, bzImage modules modules_prepare, v1"
hash=$( { cat "$fragment"; echo "$recipe"; echo "$srcver"; ${CC:-gcc} --version | head -n 1; } |
	sha256sum | cut -c1-12)
dir=$cache/kernel-$kver-$hash
if [ "$print_only" = 1 ]; then
	echo "$dir"
	exit 0
fi
# one build per entry at a time: a second run waits, then finds it complete
mkdir -p "$cache"
exec 9>"$dir.lock"
if ! flock -n 9; then
	echo "debug-kernel: waiting for another build of $dir" >&2
	flock 9
fi
if [ -f "$dir/complete" ]; then
	echo "debug-kernel: cached: $dir ($(cat "$dir/release"))" >&2
	echo "$dir"
	exit 0
fi

log=$dir/build.log
echo "debug-kernel: building $kver ($hash) in $dir; log: $log" >&2
rm -rf "$dir"
mkdir -p "$dir/build"
start=$(date +%s)
{
	tar -C "$dir" -xf "$tarball"
	mv "$dir/$(basename "$tarball" .tar.xz)" "$dir/src"
	kmake() { nice -n 10 make -C "$dir/src" O="$dir/build" "$@"; }
	kmake tinyconfig
	"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
		"$dir/build/.config" "$fragment"
	kmake olddefconfig
} > "$log" 2>&1 || { echo "debug-kernel: configuring failed; see $log" >&2; exit 1; }

# every option the fragment asks for must be in the final config as asked
bad=$(grep -E '^CONFIG_' "$fragment" | while IFS= read -r line; do
	opt=${line%%=*} want=${line#*=}
	if [ "$want" = n ]; then
		grep -qx "$opt=[ym]" "$dir/build/.config" && echo "$opt: wanted n, got $(grep "^$opt=" "$dir/build/.config")"
	else
		grep -qxF "$line" "$dir/build/.config" ||
			echo "$opt: wanted $want, got $(grep -E "^$opt=|^# $opt is not set" "$dir/build/.config" || echo absent)"
	fi
done)
if [ -n "$bad" ]; then
	echo "debug-kernel: the merged config lost options of $fragment:" >&2
	printf '%s\n' "$bad" | sed 's/^/    /' >&2
	exit 1
fi

if ! { nice -n 10 make -C "$dir/build" -j"$jobs" bzImage modules &&
	nice -n 10 make -C "$dir/build" INSTALL_MOD_PATH="$dir/modules" modules_install &&
	nice -n 10 make -C "$dir/build" -j"$jobs" modules_prepare; } >> "$log" 2>&1; then
	echo "debug-kernel: build failed; last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage"
cat "$dir/build/include/config/kernel.release" > "$dir/release"
echo $(( $(date +%s) - start )) > "$dir/build-time"
date -u +%FT%TZ > "$dir/complete"
echo "debug-kernel: built $(cat "$dir/release") in $(cat "$dir/build-time") s" >&2
echo "$dir"
