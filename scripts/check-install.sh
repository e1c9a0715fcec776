#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The install test (make check-install): the packages of `make deb` in a
# clean Debian 12 chroot.
#  1. A base chroot, made once with debootstrap from the Debian archive
#     (bookworm and bookworm-security, minbase, plus dkms, the headers of
#     the 6.12 kernel KVER, and openssl, with which DKMS makes its signing
#     key) and cached as a tarball in
#     ${VHSM_CACHE_DIR:-/var/cache/vhsm}/chroot-bookworm-KVER-HASH.tar (HASH
#     covers the base's recipe, $recipe below: change it with the recipe);
#     apt's downloads are cached beside it.
#  2. Each run unpacks it afresh, lists its files, installs the packages with
#     apt (their dependencies too), checks DKMS built and installed vhsm.ko
#     for KVER (and that it is the production build: no sim_* parameter),
#     the vhsm group, the udev and modprobe.d files, `vhsm-tool --version` and
#     the pkg-config file; then purges the packages (and what apt installed
#     for them) and lists the files again: any file left or gone fails.
# Prints TAP; exit status 0 only when every check passed.
# usage: check-install.sh DEBDIR KVER
set -u
debdir=$(cd "$1" && pwd) kver=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../selftests/vhsm/ktap.sh"
cache=${VHSM_CACHE_DIR:-/var/cache/vhsm}
mirror=${VHSM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
secmirror=${VHSM_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
recipe="debootstrap minbase bookworm; sources bookworm bookworm-updates bookworm-security; dkms linux-headers-$kver pkg-config openssl; policy-rc.d 101"
hash=$(echo "$recipe" | sha256sum | cut -c1-12)
base=$cache/chroot-bookworm-$kver-$hash.tar
aptcache=$cache/chroot-apt-archives
root=
start=$(date +%s)

[ "$(id -u)" -eq 0 ] || { echo "check-install: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "check-install: debootstrap missing (make deps)" >&2; exit 1; }
ls "$debdir"/*.deb >/dev/null 2>&1 || { echo "check-install: no packages in $debdir (make deb)" >&2; exit 1; }

cleanup() {
	[ -n "$root" ] || return 0
	for m in var/cache/apt/archives proc; do
		mountpoint -q "$root/$m" && umount "$root/$m"
	done
	rm -rf "$root"
}
trap cleanup EXIT INT TERM

# in_root CMD...: run CMD in the chroot, non-interactive, no services started
in_root() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		LC_ALL=C "$@"
}
setup_root() {
	root=$(mktemp -d "$cache/chroot-run.XXXXXX")
	mkdir -p "$aptcache/partial"
}
mounts() {
	mount -t proc proc "$root/proc"
	mount --bind "$aptcache" "$root/var/cache/apt/archives"
}

# ---- 1. the cached base ------------------------------------------------------------
mkdir -p "$cache"
if [ ! -f "$base" ]; then
	echo "# making the base chroot (debootstrap bookworm, $mirror): once"
	setup_root
	t0=$(date +%s)
	if ! debootstrap --variant=minbase --cache-dir="$aptcache" bookworm "$root" "$mirror" \
		> "$cache/chroot-debootstrap.log" 2>&1; then
		tail -n 20 "$cache/chroot-debootstrap.log" >&2
		echo "check-install: debootstrap failed ($cache/chroot-debootstrap.log)" >&2
		exit 1
	fi
	cat > "$root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $secmirror bookworm-security main
SRC
	# no daemons start in the chroot
	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	mounts
	if ! { in_root apt-get update -q &&
		in_root apt-get install -y -q --no-install-recommends dkms "linux-headers-$kver" \
			pkg-config openssl; } > "$cache/chroot-base.log" 2>&1; then
		tail -n 20 "$cache/chroot-base.log" >&2
		echo "check-install: base packages failed ($cache/chroot-base.log)" >&2
		exit 1
	fi
	in_root apt-get clean
	umount "$root/var/cache/apt/archives" "$root/proc"
	tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$root"; root=
	echo "# base chroot made in $(($(date +%s) - t0)) s: $base"
fi

# ---- 2. install, check, purge ----------------------------------------------------------
setup_root
tar -C "$root" -xf "$base"
mounts
# the file list: every path, except what changes with any apt run (its
# lists, logs and caches), shadow's backup files (group-, gshadow-) and
# DKMS's own signing key (/var/lib/dkms/mok.*: made by dkms at its first
# build for any module, kept for the next ones and for the enrolled MOK)
snapshot() {
	(cd "$root" && find . -xdev \( -path ./proc -o -path ./var/cache/apt -o \
		-path ./var/lib/apt/lists -o -path ./var/log -o -path ./tmp \) -prune -o -print) |
		grep -v -E '^\./etc/(group|gshadow|passwd|shadow)-$|^\./var/lib/dkms/mok\.(key|pub)$' |
		LC_ALL=C sort > "$1"
}
snapshot "$root.before"
mkdir -p "$root/tmp/debs" && cp "$debdir"/*.deb "$root/tmp/debs/"
pkgs=$(for d in "$debdir"/*.deb; do dpkg-deb -f "$d" Package; done | tr '\n' ' ')
[ -n "$pkgs" ] || { echo "check-install: no package names in $debdir/*.deb" >&2; exit 1; }

ktap_plan 13
if in_root sh -c 'apt-get install -y -q --no-install-recommends /tmp/debs/*.deb' \
	> "$debdir/check-install.log" 2>&1; then
	ktap_ok "apt installs $pkgs"
else
	ktap_fail "apt installs $pkgs" "$(tail -n 15 "$debdir/check-install.log")"
fi

ver=$(cat "$here/../VERSION")
# DKMS compresses modules as the kernel does (Debian's: xz)
modpath() {
	for f in "$1" "$1.xz" "$1.zst" "$1.gz"; do
		[ -e "$root$f" ] && { echo "$f"; return; }
	done
	echo "$1"
}
moddir=/lib/modules/$kver/updates/dkms
ko=$(modpath "$moddir/vhsm.ko")
if [ ! -e "$root$ko" ]; then
	# the postinst builds for the running and the newest kernel; make sure of KVER
	in_root dkms install "vhsm/$ver" -k "$kver" >> "$debdir/check-install.log" 2>&1
fi
ko=$(modpath "$moddir/vhsm.ko")
st=$(in_root dkms status -k "$kver" vhsm 2>&1)
case $st in
*"vhsm/$ver, $kver"*installed*) ktap_ok "DKMS built and installed vhsm/$ver for $kver" ;;
*) ktap_fail "DKMS built and installed vhsm/$ver for $kver" "$st
$(tail -n 20 "$debdir/check-install.log")" ;;
esac
if [ -e "$root$ko" ] && in_root modinfo "$ko" | grep -q "^vermagic: *$kver "; then
	ktap_ok "vhsm.ko for $kver in /lib/modules ($ko)"
else
	ktap_fail "vhsm.ko for $kver in /lib/modules" "$(ls -R "$root/lib/modules/$kver/updates" 2>&1)"
fi
parms=$(in_root modinfo -F parm "$ko" 2>&1)
if [ -e "$root$ko" ] && printf '%s\n' "$parms" | grep -q '^platform:' &&
	! printf '%s\n' "$parms" | grep -q -E '^sim_|or sim'; then
	ktap_ok "the DKMS module is the production build (no simulator)"
else
	ktap_fail "the DKMS module is the production build (no simulator)" "$parms"
fi
if [ -e "$root$(modpath "$moddir/vhsm_tsm.ko")" ]; then
	ktap_ok "vhsm_tsm.ko built for $kver (before 6.14)"
else
	ktap_fail "vhsm_tsm.ko built for $kver (before 6.14)"
fi
signer=$(in_root modinfo -F signer "$ko" 2>/dev/null)
if [ -n "$signer" ] && [ -s "$root/var/lib/dkms/mok.pub" ]; then
	ktap_ok "signed by DKMS with its MOK key ($signer)"
else
	ktap_fail "signed by DKMS with its MOK key" "signer '$signer'; $(ls -l "$root/var/lib/dkms" 2>&1)"
fi
out=$(in_root vhsm-tool --version 2>&1)
case $out in
*"$ver"*) ktap_ok "vhsm-tool --version runs: $out" ;;
*) ktap_fail "vhsm-tool --version runs" "$out" ;;
esac
if in_root getent group vhsm >/dev/null; then ktap_ok "the vhsm system group exists"
else ktap_fail "the vhsm system group exists"; fi
if grep -q 'GROUP="vhsm", MODE="0660"' "$root/lib/udev/rules.d/60-vhsm.rules" 2>/dev/null &&
	grep -q '^install sev-guest' "$root/etc/modprobe.d/vhsm-sev-guest.conf" 2>/dev/null &&
	grep -qx /etc/modprobe.d/vhsm-sev-guest.conf "$root/var/lib/dpkg/info/vhsm-dkms.conffiles"; then
	ktap_ok "udev rule, modprobe.d files (conffiles) in place"
else
	ktap_fail "udev rule, modprobe.d files (conffiles) in place"
fi
pc=$(in_root pkg-config --variable=prefix libvhsm 2>&1)/$(in_root pkg-config --libs libvhsm 2>&1)
case $pc in
"/usr/-lvhsm"*) ktap_ok "pkg-config libvhsm: prefix /usr, -lvhsm" ;;
*) ktap_fail "pkg-config libvhsm: prefix /usr, -lvhsm" "$pc" ;;
esac

if in_root apt-get purge -y -q $pkgs >> "$debdir/check-install.log" 2>&1 &&
	in_root apt-get autoremove --purge -y -q >> "$debdir/check-install.log" 2>&1; then
	ktap_ok "apt purges them (and what it installed for them)"
else
	ktap_fail "apt purges them" "$(tail -n 15 "$debdir/check-install.log")"
fi
if in_root getent group vhsm >/dev/null; then ktap_fail "the vhsm group is gone"
else ktap_ok "the vhsm group is gone"; fi
rm -rf "$root/tmp/debs"
snapshot "$root.after"
if d=$(diff "$root.before" "$root.after"); then
	ktap_ok "nothing left behind: $(wc -l < "$root.after") paths as before"
else
	ktap_fail "nothing left behind" "$d"
fi
rm -f "$root.before" "$root.after"
echo "# check-install: $(($(date +%s) - start)) s"
ktap_finish
