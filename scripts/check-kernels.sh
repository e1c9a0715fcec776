#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check-kernels: compile vhsm.ko (and vhsm_tsm.ko, vhsm_sim_hw.ko) with
# W=1, sparse and -Werror (scripts/kbuild.sh) against every kernel at hand:
#  - Debian's installed headers, /usr/src/linux-headers-*-amd64 (6.12, and
#    6.1 after `scripts/deps.sh 6.1`), whose Module.symvers lets modpost
#    check every symbol the module imports;
#  - every tree prepared by scripts/kernel-tree.sh under
#    ${VHSM_CACHE_DIR:-/var/cache/vhsm}/trees/ (6.8, 6.14, 6.18, 7.1 here).
#    They have no Module.symvers, so each undefined symbol of the modules is
#    looked up among the tree's EXPORT_SYMBOL*()s instead; one that is not
#    exported there fails the kernel.
# Each build happens from scratch in BUILD/k/check/NAME (scripts/kbuild-debug.sh),
# never in kmod/ or the KVER= build.
# Prints one line per kernel and "N passed, N failed, N skipped" (kernels).
#
# usage: check-kernels.sh BUILD
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
cache=${VHSM_CACHE_DIR:-/var/cache/vhsm}/trees
pass=0 fail=0 skip=0

# exports_of SRC: the names SRC's EXPORT_SYMBOL*() export (cached beside it)
exports_of() {
	if [ ! -s "$1/../exports.txt" ]; then
		grep -rhoE --include='*.[chS]' \
			'EXPORT_(SYMBOL|SYMBOL_GPL|SYMBOL_NS|SYMBOL_NS_GPL|PER_CPU_SYMBOL|PER_CPU_SYMBOL_GPL|STATIC_CALL|STATIC_CALL_GPL|STATIC_CALL_TRAMP|STATIC_CALL_TRAMP_GPL)\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*' \
			"$1" | sed -E 's/.*\([[:space:]]*//' | sort -u > "$1/../exports.txt.tmp" &&
			mv "$1/../exports.txt.tmp" "$1/../exports.txt"
	fi
	cat "$1/../exports.txt"
}

# check_imports OUT SRC: every undefined symbol of OUT's modules exported by SRC
# (or by one of the modules themselves: vhsm_tsm.ko imports from vhsm.ko).
# Exported through token-pasting macros, which the grep cannot see: the
# param_{get,set,ops}_* of kernel/params.c and get_random_u* of random.c.
check_imports() {
	missing=
	own=$(nm --defined-only "$1"/kmod/*.ko | awk 'NF == 3 { print $3 }')
	for ko in "$1"/kmod/*.ko; do
		for sym in $(nm -u "$ko" | awk '{ print $2 }'); do
			printf '%s\n' "$own" | grep -qx "$sym" && continue
			case "$sym" in
			__this_module | __fentry__ | __x86_indirect_thunk_* | __x86_return_thunk) continue ;;
			param_get_* | param_set_* | param_ops_* | get_random_u8 | get_random_u16 | \
			get_random_u32 | get_random_u64) continue ;;
			__SCT__* | __SCK__*) sym=${sym#__SC?__} ;;	# static-call trampolines
			esac
			exports_of "$2" | grep -qx "$sym" || missing="$missing $(basename "$ko"):$sym"
		done
	done
	[ -z "$missing" ] || { echo "not exported by this kernel:$missing"; return 1; }
}

# one NAME KDIR [SRC]: build against KDIR; SRC: check the imports there
one() {
	name=$1 kdir=$2 src=${3:-}
	out=$build/k/check/$name
	t0=$(date +%s)
	rm -rf "$out"	# from scratch: nothing left from another build of the tree
	# a prepared tree has no Module.symvers: modpost warns, check_imports judges
	if ! log=$(KBUILD_MODPOST_WARN=${src:+1} "$here/kbuild-debug.sh" "$kdir" "$out" 2>&1); then
		echo "FAIL $name ($kdir): the build"
		printf '%s\n' "$log" | grep -E 'error|warning' | head -n 20 | sed 's/^/  /'
		fail=$((fail + 1))
		return
	fi
	if [ -n "$src" ] && ! why=$(check_imports "$out" "$src"); then
		echo "FAIL $name: $why"
		fail=$((fail + 1))
		return
	fi
	mods=$(cd "$out/kmod" && ls *.ko | tr '\n' ' ')
	echo "ok   $name: ${mods% } warning-free (W=1, sparse), $(($(date +%s) - t0)) s${src:+, imports checked against the tree's exports}"
	pass=$((pass + 1))
}

found=0
for kdir in /usr/src/linux-headers-*-amd64; do
	[ -f "$kdir/include/config/kernel.release" ] || continue
	found=1
	one "$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")" "$kdir"
done
for t in "$cache"/*/; do
	t=${t%/}
	[ -f "$t/complete" ] || continue
	found=1
	one "$(basename "$t")" "$t/build" "$t/src"
done
if [ "$found" = 0 ]; then
	echo "check-kernels: no kernel trees (make deps; scripts/kernel-tree.sh SRC)" >&2
	skip=1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
