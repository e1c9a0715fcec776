#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The install commands of dist/modprobe/*.conf (shipped by vhsm-dkms and
# `make install`), run as modprobe runs them (sh -c, $CMDLINE_OPTS filled in)
# with stubs for modprobe, uname and getent: sev-guest is refused on kernels
# before 6.14 and loaded from 6.14 on; `modprobe vhsm` passes the vhsm group's
# gid as group= when the group exists, and nothing when it does not.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
# the stubs: modprobe records its arguments; uname and getent answer from
# the environment (FAKE_KVER; FAKE_GID, none: no such group)
cat > "$tmp/modprobe" <<STUB
#!/bin/sh
echo "\$*" > "$tmp/modprobe.args"
STUB
cat > "$tmp/bin/uname" <<'STUB'
#!/bin/sh
echo "$FAKE_KVER"
STUB
cat > "$tmp/bin/getent" <<'STUB'
#!/bin/sh
[ "$1 $2" = "group vhsm" ] && [ -n "$FAKE_GID" ] && echo "vhsm:x:$FAKE_GID:" && exit 0
exit 2
STUB
chmod +x "$tmp/modprobe" "$tmp/bin/uname" "$tmp/bin/getent"

# cmd FILE MODULE: the module's install command, with the stub for modprobe
cmd() {
	sed -n "s/^install $2 //p" "$root/dist/modprobe/$1" | sed "s|/sbin/modprobe|$tmp/modprobe|g"
}
# run CMD OPTS: as modprobe does (it substitutes $CMDLINE_OPTS, then sh -c)
run() {
	rm -f "$tmp/modprobe.args"
	PATH="$tmp/bin:$PATH" sh -c "$(printf '%s' "$1" | sed "s|\$CMDLINE_OPTS|$2|g")" 2>"$tmp/err"
}

sev=$(cmd vhsm-sev-guest.conf sev-guest)
vhsm=$(cmd vhsm.conf vhsm)
ktap_plan 11
if [ -n "$sev" ] && [ -n "$vhsm" ] &&
	grep -qx 'blacklist sev-guest' "$root/dist/modprobe/vhsm-sev-guest.conf"; then
	ktap_ok "modprobe.d files have the install commands and the blacklist"
else
	ktap_fail "modprobe.d files have the install commands and the blacklist"
fi

for k in 6.1.0-28-amd64 6.9.12 6.12.117+deb12-amd64 6.13.0; do
	if ! FAKE_KVER=$k run "$sev" "" && [ ! -e "$tmp/modprobe.args" ] &&
		grep -q 'vhsm owns the VMPCK' "$tmp/err"; then
		ktap_ok "sev-guest refused on $k, saying why"
	else
		ktap_fail "sev-guest refused on $k, saying why" "$(cat "$tmp/err" "$tmp/modprobe.args" 2>&1)"
	fi
done
for k in 6.14.0 6.18.2 7.0.1; do
	if FAKE_KVER=$k run "$sev" "x=1" &&
		[ "$(cat "$tmp/modprobe.args" 2>&1)" = "--ignore-install sev-guest x=1" ]; then
		ktap_ok "sev-guest loads on $k"
	else
		ktap_fail "sev-guest loads on $k" "$(cat "$tmp/err" "$tmp/modprobe.args" 2>&1)"
	fi
done
if FAKE_GID=987 run "$vhsm" "max_keys=5" &&
	[ "$(cat "$tmp/modprobe.args" 2>&1)" = "--ignore-install vhsm group=987 max_keys=5" ]; then
	ktap_ok "modprobe vhsm passes group=GID of the vhsm group, then the given options"
else
	ktap_fail "modprobe vhsm passes group=GID of the vhsm group" "$(cat "$tmp/err" "$tmp/modprobe.args" 2>&1)"
fi
if FAKE_GID= run "$vhsm" "" &&
	[ "$(cat "$tmp/modprobe.args" 2>&1)" = "--ignore-install vhsm" ]; then
	ktap_ok "without a vhsm group, no group= (root only)"
else
	ktap_fail "without a vhsm group, no group= (root only)" "$(cat "$tmp/err" "$tmp/modprobe.args" 2>&1)"
fi
# kmod itself reads the files: each install command comes back whole
if command -v modprobe >/dev/null || [ -x /sbin/modprobe ]; then
	mp=$(command -v modprobe || echo /sbin/modprobe)
	mkdir -p "$tmp/conf"
	cp "$root"/dist/modprobe/*.conf "$tmp/conf/"
	shown=$("$mp" --showconfig -C "$tmp/conf" 2>/dev/null)
	want_sev=$(sed -n 's/^install sev-guest //p' "$tmp/conf/vhsm-sev-guest.conf")
	want_vhsm=$(sed -n 's/^install vhsm //p' "$tmp/conf/vhsm.conf")
	if [ "$(printf '%s\n' "$shown" | sed -n 's/^install sev_guest //p')" = "$want_sev" ] &&
		[ "$(printf '%s\n' "$shown" | sed -n 's/^install vhsm //p')" = "$want_vhsm" ]; then
		ktap_ok "modprobe --showconfig reads both install commands whole"
	else
		ktap_fail "modprobe --showconfig reads both install commands whole" "$shown"
	fi
else
	ktap_fail "modprobe --showconfig reads both install commands" "no modprobe (kmod)"
fi
ktap_finish
