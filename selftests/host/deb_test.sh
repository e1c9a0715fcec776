#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make deb` builds the five packages and lintian finds no error in them
# (scripts/lintian-check.sh); what each package carries is checked with
# dpkg-deb: the DKMS sources with a filled-in dkms.conf, no simulator
# anywhere installed, the symbols file, the multiarch library, the conffiles.
# Env: VHSM_HOST_TOOL (its location gives BUILD, else build/).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

build=$root/build
[ -n "${VHSM_HOST_TOOL:-}" ] && build=$(cd "$(dirname "$VHSM_HOST_TOOL")/.." && pwd)
debdir=$build/deb
ver=$(cat "$root/VERSION")
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)

ktap_plan 10
rm -rf "$debdir"   # no check below may see packages of an earlier run
if out=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$root" BUILD="$build" deb 2>&1); then
	ktap_ok "make deb builds the packages and lintian reports no error"
	printf '%s\n' "$out" | sed 's/^/# /'
else
	ktap_fail "make deb builds the packages and lintian reports no error" "$out"
fi
# contents PKG: the package's file list
contents() { dpkg-deb -c "$debdir/$1" 2>/dev/null | awk '{ print $NF }'; }
dkms=vhsm-dkms_${ver}_all.deb lib=libvhsm0_${ver}_$arch.deb dev=libvhsm-dev_${ver}_$arch.deb
tools=vhsm-tools_${ver}_$arch.deb kbs=vhsm-kbs_${ver}_$arch.deb

n=0
for p in $dkms $lib $dev $tools $kbs; do [ -f "$debdir/$p" ] && n=$((n + 1)); done
[ "$n" -eq 5 ] && ktap_ok "five packages" || ktap_fail "five packages" "$(ls "$debdir")"

c=$(contents $dkms)
if printf '%s\n' "$c" | grep -qx "./usr/src/vhsm-$ver/dkms.conf" &&
	printf '%s\n' "$c" | grep -qx "./usr/src/vhsm-$ver/kmod/main.c" &&
	printf '%s\n' "$c" | grep -qx "./usr/src/vhsm-$ver/uapi/linux/vhsm.h"; then
	ktap_ok "vhsm-dkms: module sources and dkms.conf in /usr/src/vhsm-$ver"
else
	ktap_fail "vhsm-dkms: module sources and dkms.conf in /usr/src/vhsm-$ver"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$debdir/$dkms" "$tmp/dkms" 2>/dev/null
conf=$tmp/dkms/usr/src/vhsm-$ver/dkms.conf
if grep -qx "PACKAGE_VERSION=\"$ver\"" "$conf" && grep -q 'VHSM_SIM=n' "$conf" &&
	grep -q '^AUTOINSTALL="yes"' "$conf"; then
	ktap_ok "dkms.conf: version $ver, VHSM_SIM=n, AUTOINSTALL"
else
	ktap_fail "dkms.conf: version $ver, VHSM_SIM=n, AUTOINSTALL" "$(cat "$conf" 2>&1)"
fi
dpkg-deb -e "$debdir/$dkms" "$tmp/dkms-ctl" 2>/dev/null
if [ "$(sort "$tmp/dkms-ctl/conffiles" 2>/dev/null | tr '\n' ' ')" = \
	"/etc/modprobe.d/vhsm-sev-guest.conf /etc/modprobe.d/vhsm.conf " ] &&
	printf '%s\n' "$c" | grep -qx ./lib/udev/rules.d/60-vhsm.rules &&
	grep -q 'groupadd --system vhsm' "$tmp/dkms-ctl/postinst"; then
	ktap_ok "vhsm-dkms: modprobe.d conffiles, udev rule, group made by postinst"
else
	ktap_fail "vhsm-dkms: modprobe.d conffiles, udev rule, group made by postinst" \
		"$(cat "$tmp/dkms-ctl/conffiles" 2>&1)"
fi

dpkg-deb -e "$debdir/$lib" "$tmp/lib-ctl" 2>/dev/null
if [ -n "$ma" ] && contents $lib | grep -qx "./usr/lib/$ma/libvhsm.so.$ver" &&
	grep -q '^ vhsm_open@VHSM_0.1 ' "$tmp/lib-ctl/symbols" 2>/dev/null; then
	ktap_ok "libvhsm0: /usr/lib/$ma, symbols file ($(grep -c '^ ' "$tmp/lib-ctl/symbols") entries)"
else
	ktap_fail "libvhsm0: multiarch library and symbols file"
fi
dpkg-deb -x "$debdir/$dev" "$tmp/dev" 2>/dev/null
pc=$tmp/dev/usr/lib/$ma/pkgconfig/libvhsm.pc
if grep -qx 'prefix=/usr' "$pc" 2>/dev/null && grep -qx "libdir=/usr/lib/$ma" "$pc" &&
	[ -f "$tmp/dev/usr/include/vhsm/vhsm.h" ] && [ -f "$tmp/dev/usr/include/linux/vhsm.h" ]; then
	ktap_ok "libvhsm-dev: headers, libvhsm.pc with prefix=/usr and the multiarch libdir"
else
	ktap_fail "libvhsm-dev: headers and libvhsm.pc" "$(cat "$pc" 2>&1)"
fi
c=$(contents $tools)
units_ok=1
for u in "$root"/tools/vhsm-tool/*.service "$root"/dist/systemd/*.service; do
	[ -e "$u" ] || continue
	printf '%s\n' "$c" | grep -qx "./lib/systemd/system/$(basename "$u")" || units_ok=0
done
if printf '%s\n' "$c" | grep -qx ./usr/bin/vhsm-tool &&
	printf '%s\n' "$c" | grep -q '^./usr/share/man/man1/vhsm-tool.1' && [ "$units_ok" = 1 ] &&
	! printf '%s\n' "$c" | grep -q vhsm-kbs.service; then
	ktap_ok "vhsm-tools: vhsm-tool, its man page and units ($(printf '%s\n' "$c" | grep -c '\.service$'))"
else
	ktap_fail "vhsm-tools: vhsm-tool, its man page and units" "$c"
fi
c=$(contents $kbs)
if printf '%s\n' "$c" | grep -qx ./usr/sbin/vhsm-kbs &&
	printf '%s\n' "$c" | grep -qx ./lib/systemd/system/vhsm-kbs.service; then
	ktap_ok "vhsm-kbs: server and unit"
else
	ktap_fail "vhsm-kbs: server and unit" "$c"
fi
# nothing installed carries the simulator (not even its sources), test tools
# or a built module
all=$(for p in $dkms $lib $dev $tools $kbs; do contents "$p"; done)
rest=$(for p in $lib $dev $tools $kbs; do contents "$p"; done)
if out=$(printf '%s\n' "$all" | grep -E 'sim_|testca|\.ko$|selftests'); then
	ktap_fail "no simulator source, test CA, test or built module in any package" "$out"
elif out=$(printf '%s\n' "$rest" | grep -E '^\./usr/src/.'); then
	ktap_fail "module sources only in vhsm-dkms" "$out"
else
	ktap_ok "no simulator source, test CA, test or built module in any package; sources only in vhsm-dkms"
fi
ktap_finish
