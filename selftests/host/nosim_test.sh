#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The production module (VHSM_SIM=n, `make module-nosim`, as packages and
# `make install` build it) carries no simulator: no sim symbol, no sim_*
# parameter, no vhsm_sim_hw.ko, platform=sim not offered. The test build
# (kmod/vhsm.ko) is the control: the same checks find the simulator there, so
# a check that cannot see it fails instead of passing.
# Env: VHSM_NOSIM_KO (default BUILD/nosim/ksrc/kmod/vhsm.ko, BUILD from
# VHSM_HOST_TOOL's location, else build/), VHSM_SIM_KO (default kmod/vhsm.ko).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

build=$root/build
[ -n "${VHSM_HOST_TOOL:-}" ] && build=$(cd "$(dirname "$VHSM_HOST_TOOL")/.." && pwd)
NOSIM=${VHSM_NOSIM_KO:-$build/nosim/ksrc/kmod/vhsm.ko}
SIM=${VHSM_SIM_KO:-$root/kmod/vhsm.ko}

ktap_plan 11
for ko in "$NOSIM" "$SIM"; do
	if [ -f "$ko" ]; then ktap_ok "module built: $ko"
	else ktap_fail "module built: $ko" "missing (make module module-nosim)"; fi
done

# every symbol, local ones included (static functions and the parameters'
# __UNIQUE_ID_sim_* entries), whose name says sim
simsyms() { nm "$1" 2>/dev/null | awk '{ print $NF }' | grep -i 'sim'; }
simparms() { modinfo -F parm "$1" 2>/dev/null | grep '^sim_'; }

n=$(simsyms "$SIM" | wc -l)
if [ "$n" -gt 20 ] && simsyms "$SIM" | grep -qx vhsm_platform_sim; then
	ktap_ok "control: the test build has the simulator's symbols ($n)"
else
	ktap_fail "control: the test build has the simulator's symbols" "found $n"
fi
out=$(simsyms "$NOSIM")
if [ -f "$NOSIM" ] && [ -z "$out" ]; then
	ktap_ok "VHSM_SIM=n: no symbol names sim (nm)"
else
	ktap_fail "VHSM_SIM=n: no symbol names sim (nm)" "$out"
fi
if nm "$NOSIM" 2>/dev/null | awk '{ print $NF }' | grep -qx vhsm_platform_snp; then
	ktap_ok "VHSM_SIM=n: the snp platform is there"
else
	ktap_fail "VHSM_SIM=n: the snp platform is there"
fi

n=$(simparms "$SIM" | wc -l)
if [ "$n" -gt 5 ]; then ktap_ok "control: the test build has sim_* parameters ($n)"
else ktap_fail "control: the test build has sim_* parameters" "found $n"; fi
out=$(simparms "$NOSIM")
if [ -f "$NOSIM" ] && [ -z "$out" ]; then ktap_ok "VHSM_SIM=n: no sim_* parameter"
else ktap_fail "VHSM_SIM=n: no sim_* parameter" "$out"; fi

desc=$(modinfo -F parm "$NOSIM" 2>/dev/null | grep '^platform:')
case $desc in
*"this build has no simulator"*) ktap_ok "VHSM_SIM=n: platform= offers auto and snp only" ;;
*) ktap_fail "VHSM_SIM=n: platform= offers auto and snp only" "$desc" ;;
esac
case $(modinfo -F parm "$SIM" 2>/dev/null | grep '^platform:') in
*"or sim"*) ktap_ok "control: the test build offers platform=sim" ;;
*) ktap_fail "control: the test build offers platform=sim" ;;
esac

if strings "$NOSIM" 2>/dev/null | grep -q 'production build without the simulator'; then
	ktap_ok "VHSM_SIM=n: carries the refusal of platform=sim"
else
	ktap_fail "VHSM_SIM=n: carries the refusal of platform=sim"
fi

nosimdir=$(dirname "$NOSIM")
if [ ! -e "$nosimdir/vhsm_sim_hw.ko" ] && [ -e "$(dirname "$SIM")/vhsm_sim_hw.ko" ]; then
	ktap_ok "VHSM_SIM=n: no vhsm_sim_hw.ko (the test build has one)"
else
	ktap_fail "VHSM_SIM=n: no vhsm_sim_hw.ko (the test build has one)" \
		"$(ls "$nosimdir"/*.ko "$(dirname "$SIM")"/*.ko 2>&1)"
fi
ktap_finish
