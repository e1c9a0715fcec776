#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The build as users meet it: build/bin/vhsm-tool runs from the build tree
# without LD_LIBRARY_PATH, build/lib/libvhsm.pc points at the build tree (a
# program builds and runs against it), and `make install-lib install-tool`
# works without a kernel tree and installs a .pc for PREFIX.
# Env: VHSM_HOST_TOOL (its directory's parent is the build tree).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"
build=$(cd "$(dirname "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_plan 10
T=$build/bin/vhsm-tool
ktap_check "build/bin/vhsm-tool runs with no LD_LIBRARY_PATH" env -u LD_LIBRARY_PATH "$T" --version
ktap_check "its run path is \$ORIGIN/../lib" sh -c "readelf -d '$T' | grep -q 'R.*PATH.*\\\$ORIGIN/../lib'"
ktap_check "it runs from a copy of the tree elsewhere too" sh -c \
	"mkdir -p '$tmp/t/bin' '$tmp/t/lib' && cp '$T' '$tmp/t/bin/' && cp -P '$build'/lib/libvhsm.so* '$tmp/t/lib/' &&
	 env -u LD_LIBRARY_PATH '$tmp/t/bin/vhsm-tool' --version"

pc() { PKG_CONFIG_PATH=$build/lib pkg-config "$@" libvhsm; }
ktap_check "build/lib/libvhsm.pc: libdir is the build tree" sh -c "[ \"\$(PKG_CONFIG_PATH='$build/lib' pkg-config --variable=libdir libvhsm)\" = '$build/lib' ]"
ktap_check "build/lib/libvhsm.pc: headers from the source tree" sh -c \
	"PKG_CONFIG_PATH='$build/lib' pkg-config --cflags libvhsm | grep -q -- '-I$root/libvhsm/include' &&
	 PKG_CONFIG_PATH='$build/lib' pkg-config --cflags libvhsm | grep -q -- '-I$root/uapi'"
cat > "$tmp/v.c" <<'EOF_C'
#include <stdio.h>
#include <vhsm/vhsm.h>
int main(void) { return puts(vhsm_library_version()) < 0; }
EOF_C
# shellcheck disable=SC2046 # pkg-config's words
ktap_check "a program builds against the build tree's .pc" \
	cc -o "$tmp/v" "$tmp/v.c" $(pc --cflags) $(pc --libs) -Wl,-rpath,"$build/lib"
ktap_check "and runs" env -u LD_LIBRARY_PATH "$tmp/v"

# install without a kernel tree: KDIR points nowhere
dest=$tmp/dest
if make -C "$root" --no-print-directory BUILD="$build" KDIR=/nonexistent/kernel \
	DESTDIR="$dest" PREFIX=/opt/vhsm install-lib install-tool > "$tmp/install.log" 2>&1; then
	ktap_ok "make install-lib install-tool needs no kernel tree"
else
	ktap_fail "make install-lib install-tool needs no kernel tree" "$(tail -5 "$tmp/install.log")"
fi
ktap_check "the installed tool runs from PREFIX/bin" env -u LD_LIBRARY_PATH "$dest/opt/vhsm/bin/vhsm-tool" --version
ktap_check "the installed .pc points at PREFIX" sh -c \
	"grep -qx 'prefix=/opt/vhsm' '$dest/opt/vhsm/lib/pkgconfig/libvhsm.pc' &&
	 [ -f '$dest/opt/vhsm/include/vhsm/vhsm.h' ] && [ -f '$dest/opt/vhsm/include/linux/vhsm.h' ]"
ktap_finish
