#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot Debian's kernel under QEMU with the vhsm initramfs and collect the
# results: LOG.tap (tests, from ttyS1), LOG.console (kernel log, ttyS0),
# LOG.status (ok, timeout or qemu-error) and LOG.expected (tests that must report).
#
# usage: run-vm.sh --kver KVER --build DIR --log PREFIX (--tests "T..." | --demo | --bench)
#                  [--kernel IMAGE --moddir DIR --kmod DIR] [--append ARGS] [--env VAR=VALUE]...
#        [--host-server CMD]
#        --kernel boots IMAGE instead of /boot/vmlinuz-KVER, with the modules
#        of DIR (its lib/modules/KVER) and vhsm.ko from --kmod (the debug lane);
#        --append adds kernel arguments, --env exports VAR to the guest's tests.
#        env: VHSM_KVM=0|1 forces TCG or KVM (default: probe), VHSM_VM_TIMEOUT (s),
#        VHSM_TEST_TIMEOUT (s, per test program, default 300), VHSM_VM_MEM (MiB)
# --host-server CMD: servers run on the host for the VM's life; they listen on
# 127.0.0.1 and CMD writes their ports to $VHSM_PORT_FILE, one a line. The
# guest reaches the first as http://10.0.2.100 (VHSM_KBS_URL) and the second
# as http://10.0.2.101 (VHSM_TEST_URL) through QEMU user networking with
# restrict=on (the guest can reach nothing else), each connection relayed by
# BUILD/host/tcprelay. Their output goes to LOG.server.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kver= build=build log= tests= mode=check server= kernel= moddir= kmod= append= extra_env=
while [ $# -gt 0 ]; do
	case "$1" in
	--kver) kver=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--moddir) moddir=$2; shift 2 ;;
	--kmod) kmod=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--env) extra_env="${extra_env}export $2
"; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--demo) mode=demo; shift ;;
	--bench) mode=bench; shift ;;
	--host-server) server=$2; shift 2 ;;
	*) echo "run-vm.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] && [ -n "$log" ] || { echo "run-vm.sh: --kver and --log are required" >&2; exit 2; }
kernel=${kernel:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || { echo "run-vm.sh: $kernel missing: the VM boots the kernel the module was built for (make deps)" >&2; exit 1; }

mkdir -p "$build/vm" "$(dirname "$log")"
env=$build/vm/env
cat > "$env" <<ENV
VHSM_MODE=$mode
VHSM_TESTS="$tests"
VHSM_TEST_GID=2345
VHSM_TEST_TIMEOUT=${VHSM_TEST_TIMEOUT:-300}
VHSM_KBS_URL=${server:+http://10.0.2.100}
VHSM_TEST_URL=${server:+http://10.0.2.101}
ENV
printf '%s' "$extra_env" >> "$env"
initrd=$build/vm/initramfs.cpio.gz
"$here/mkinitramfs.sh" "$kver" "$build" "$initrd" "$env" \
	"${moddir:+$moddir/lib/modules/$kver}" "$kmod"

accel=tcg
case "${VHSM_KVM:-probe}" in
1) accel=kvm ;;
0) ;;
*) "$here/kvm-probe.sh" "$kernel" "$build/vm" && accel=kvm ;;
esac

cmdline="console=ttyS0 panic=-1 printk.devkmsg=on${append:+ $append}"
set -- qemu-system-x86_64 -machine q35,accel=$accel -cpu max -m "${VHSM_VM_MEM:-1024}" -smp 2 \
	-no-reboot -display none -monitor none -nodefaults \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"

# the host server and the guest's only network path to it
spid=
stop_server() { [ -z "$spid" ] || { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true; }; }
trap stop_server EXIT
if [ -n "$server" ]; then
	pf=$build/vm/server.port
	rm -f "$pf"
	VHSM_PORT_FILE=$pf sh -c "exec $server" > "$log.server" 2>&1 &
	spid=$!
	i=0
	while [ ! -s "$pf" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$pf" ] || { echo "run-vm.sh: the host server did not start (see $log.server)" >&2; exit 1; }
	# a relay per guest connection (a tcp: chardev would carry only the first)
	relay=$(cd "$build/host" && pwd)/tcprelay
	[ -x "$relay" ] || { echo "run-vm.sh: $relay missing (make host-tests)" >&2; exit 1; }
	fwd= ip=100
	for port in $(cat "$pf"); do
		fwd="$fwd,guestfwd=tcp:10.0.2.$ip:80-cmd:$relay $port"
		ip=$((ip + 1))
	done
	set -- "$@" -netdev "user,id=n0,restrict=on$fwd" -device virtio-net-pci,netdev=n0
fi

if [ "$mode" = demo ]; then
	echo "demo: booting $kernel ($accel); the kernel's boot log goes to $log.console"
	rm -f "$log.console"
	rc=0
	timeout 300 "$@" -serial "file:$log.console" -serial stdio </dev/null || rc=$?
	echo "demo: finished (qemu exit $rc); kernel log: $log.console"
	exit $rc
fi

if [ "$mode" = bench ]; then
	echo "vm: booting $kernel with $accel for the benchmark"
	timeout 1800 "$@" -serial "file:$log.console" -serial "file:$log.out"
	tr -d '\r' < "$log.out"
	grep -q "^vhsm-run: bench rc=0" "$log.out"
	exit $?
fi

printf '%s\n' $tests > "$log.expected"
rm -f "$log.tap" "$log.console"
echo "vm: booting $kernel with $accel; tests: $tests"
start=$(date +%s)
rc=0
timeout "${VHSM_VM_TIMEOUT:-1800}" "$@" -serial "file:$log.console" -serial "file:$log.tap" || rc=$?
echo "vm: finished in $(( $(date +%s) - start )) s (qemu exit $rc)"
case $rc in
0) echo ok > "$log.status" ;;
124) echo "timeout: the VM did not finish in ${VHSM_VM_TIMEOUT:-1800} s" > "$log.status" ;;
*) echo "qemu-error: exit $rc" > "$log.status" ;;
esac
exit 0
