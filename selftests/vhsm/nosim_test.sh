#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The production module (VHSM_SIM=n, /lib/vhsm/vhsm_nosim.ko in the VM) refuses
# platform=sim at load with a message saying why, and leaves nothing behind;
# the test build then loads and unloads as before. Runs with vhsm unloaded
# (after unload_test.sh) and leaves it unloaded.
. "$(dirname "$0")/ktap.sh"
KO=${VHSM_KO:?VHSM_KO must name vhsm.ko}
NOSIM=${VHSM_NOSIM_KO:-/lib/vhsm/vhsm_nosim.ko}

loaded() { grep -q '^vhsm ' /proc/modules; }
# the kernel log since MARK (a line written to /dev/kmsg)
since() { dmesg | sed -n "/vhsm-nosim-mark $1\$/,\$p"; }
mark() { echo "vhsm-nosim-mark $1" > /dev/kmsg; }

ktap_plan 9

if [ ! -f "$NOSIM" ]; then
	ktap_fail "the VHSM_SIM=n module is in the VM" "$NOSIM missing (make module-nosim)"
else
	ktap_ok "the VHSM_SIM=n module is in the VM"
fi
if loaded; then
	ktap_fail "vhsm not loaded at start"
	rmmod vhsm 2>/dev/null
else
	ktap_ok "vhsm not loaded at start"
fi

# refuses NAME MARK WANT [UNWANTED] PARAMS...: insmod of the production
# module with PARAMS fails, WANT is in the kernel log, UNWANTED is not
refuses() {
	_name=$1 _mark=$2 _want=$3 _unwanted=$4; shift 4
	mark "$_mark"
	_out=$(insmod "$NOSIM" "$@" 2>&1); _rc=$?
	if [ "$_rc" -eq 0 ] || loaded; then
		ktap_fail "$_name" "it loaded"
		rmmod vhsm 2>/dev/null
	elif ! since "$_mark" | grep -q -- "$_want"; then
		ktap_fail "$_name" "no message '$_want' in dmesg: $(since "$_mark" | tail -n 3)"
	elif [ -n "$_unwanted" ] && since "$_mark" | grep -q -- "$_unwanted"; then
		ktap_fail "$_name" "dmesg says '$_unwanted'"
	else
		ktap_ok "$_name"
		echo "# insmod: $_out"
		since "$_mark" | grep -- "$_want" | sed 's/^/# /'
	fi
}

refuses "VHSM_SIM=n refuses platform=sim, saying why" sim \
	"platform=sim: this is a production build without the simulator" "" platform=sim
case $_out in
*[Ii]nvalid*) ktap_ok "insmod reports -EINVAL for platform=sim" ;;
*) ktap_fail "insmod reports -EINVAL for platform=sim" "insmod said: $_out" ;;
esac
if ! loaded && [ ! -e /dev/vhsm ] && [ ! -d /sys/class/vhsm ]; then
	ktap_ok "nothing left behind by the refused load"
else
	ktap_fail "nothing left behind by the refused load" "$(ls -d /dev/vhsm /sys/class/vhsm 2>&1)"
fi
refuses "VHSM_SIM=n platform=auto refuses without SEV-SNP, no hint at sim" auto \
	"platform=auto: this is not an SEV-SNP guest" "load with platform=sim" platform=auto
refuses "VHSM_SIM=n names only auto and snp for an unknown platform" bogus \
	"platform=bogus: unknown platform (use auto or snp)" "" platform=bogus

if insmod "$KO" platform=sim && loaded && [ -c /dev/vhsm ]; then
	ktap_ok "the test build loads with platform=sim afterwards"
else
	ktap_fail "the test build loads with platform=sim afterwards" "$(dmesg | tail -n 5)"
fi
if rmmod vhsm && ! loaded; then
	ktap_ok "and unloads"
else
	ktap_fail "and unloads"
fi
ktap_finish
