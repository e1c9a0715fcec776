#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libvhsm0's symbols file (scripts/gen-symbols.sh from libvhsm/libvhsm.map)
# names exactly what the built library exports, with the same version nodes;
# and the libvhsm.pc that `make install-user PREFIX=/usr` writes says /usr.
# Env: VHSM_LIB (default BUILD/lib/libvhsm.so.0, BUILD from VHSM_HOST_TOOL's
# location, else build/).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

build=$root/build
[ -n "${VHSM_HOST_TOOL:-}" ] && build=$(cd "$(dirname "$VHSM_HOST_TOOL")/.." && pwd)
LIB=${VHSM_LIB:-$build/lib/libvhsm.so.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_plan 6
if "$root/scripts/gen-symbols.sh" "$root/libvhsm/libvhsm.map" libvhsm.so.0 libvhsm0 \
	"$root/debian/symbols.versions" "$(cat "$root/VERSION")" > "$tmp/symbols"; then
	ktap_ok "symbols file generated from libvhsm.map"
else
	ktap_fail "symbols file generated from libvhsm.map"
fi
head -n 1 "$tmp/symbols" | grep -qx 'libvhsm.so.0 libvhsm0 #MINVER#' &&
	ktap_ok "symbols file names libvhsm.so.0 in libvhsm0" ||
	ktap_fail "symbols file names libvhsm.so.0 in libvhsm0" "$(head -n 1 "$tmp/symbols")"

# SYMBOL@NODE of the symbols file and of the library's dynamic symbol table
sed -n 's/^ \([^ ]*\) .*/\1/p' "$tmp/symbols" | LC_ALL=C sort > "$tmp/want"
nm -D --defined-only --with-symbol-versions "$LIB" 2>/dev/null |
	awk '{ s = $NF; sub(/@@/, "@", s)
		# the symbol of a version node is listed bare; dpkg names it NODE@NODE
		if (s !~ /@/) s = s "@" s
		print s }' | LC_ALL=C sort > "$tmp/got"
n=$(wc -l < "$tmp/got")
if [ "$n" -gt 50 ]; then ktap_ok "the library exports $n versioned symbols"
else ktap_fail "the library exports versioned symbols" "$LIB: $n (make lib)"; fi
if out=$(diff "$tmp/want" "$tmp/got"); then
	ktap_ok "symbols file and library agree ($(wc -l < "$tmp/want") entries)"
else
	ktap_fail "symbols file and library agree" "$out"
fi

# the same check must see a difference: one symbol dropped from the map
sed '0,/vhsm_open;/s/vhsm_open;//' "$root/libvhsm/libvhsm.map" > "$tmp/short.map"
"$root/scripts/gen-symbols.sh" "$tmp/short.map" libvhsm.so.0 libvhsm0 \
	"$root/debian/symbols.versions" 0 | sed -n 's/^ \([^ ]*\) .*/\1/p' | LC_ALL=C sort > "$tmp/short"
if ! diff -q "$tmp/short" "$tmp/got" >/dev/null && ! grep -q '^vhsm_open@' "$tmp/short"; then
	ktap_ok "control: a map without vhsm_open disagrees with the library"
else
	ktap_fail "control: a map without vhsm_open disagrees with the library"
fi

# install-time libvhsm.pc: prefix and libdir of the install, not of the build
if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$root" BUILD="$build" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu \
	DESTDIR="$tmp/root" install-user >"$tmp/install.log" 2>&1 &&
	pc="$tmp/root/usr/lib/x86_64-linux-gnu/pkgconfig/libvhsm.pc" &&
	[ "$(PKG_CONFIG_SYSROOT_DIR= PKG_CONFIG_PATH="$(dirname "$pc")" \
		pkg-config --variable=prefix libvhsm)" = /usr ] &&
	[ "$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --variable=libdir libvhsm)" = \
		/usr/lib/x86_64-linux-gnu ] &&
	[ -e "$tmp/root/usr/lib/x86_64-linux-gnu/libvhsm.so.0" ]; then
	ktap_ok "install-user PREFIX=/usr: libvhsm.pc says prefix=/usr, the multiarch libdir"
else
	ktap_fail "install-user PREFIX=/usr: libvhsm.pc says prefix=/usr, the multiarch libdir" \
		"$(tail -n 5 "$tmp/install.log"; cat "$tmp/root/usr/lib/x86_64-linux-gnu/pkgconfig/libvhsm.pc" 2>&1)"
fi
ktap_finish
