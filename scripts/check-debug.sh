#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The debug-kernel lane (make check-debug): get the debug kernel (built once,
# then cached; scripts/debug-kernel.sh), build vhsm.ko against it in
# BUILD/debug/ (scripts/kbuild-debug.sh), boot it with the VM suite plus the
# lane's own tests, and judge the run with scripts/tap-summary.sh: any test
# failure, lockdep, KASAN, KFENCE, UBSAN or DEBUG_OBJECTS report, kmemleak
# leak, BUG or WARNING fails the lane.
#
# usage: check-debug.sh BUILD "TESTS" ["HOST-SERVER"]
#   HOST-SERVER: run-vm.sh --host-server's command (the provisioning tests' broker)
#   env: VHSM_FUZZ_SECONDS (ioctl_fuzz_test, default 300), VHSM_INTEROP_KEYS
#        (ecdsa_interop_test's keys per curve, default 1000 under KASAN), VHSM_VM_TIMEOUT,
#        VHSM_TEST_TIMEOUT, VHSM_VM_MEM, VHSM_CACHE_DIR (see debug-kernel.sh)
set -eu
build=$1 tests=$2 server=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cd "$top"

t0=$(date +%s)
kdir=$("$here/debug-kernel.sh")
release=$(cat "$kdir/release")
t1=$(date +%s)
echo "debug lane: kernel $release from $kdir ($((t1 - t0)) s)"

"$here/kbuild-debug.sh" "$kdir/build" "$build/debug/ksrc"
t2=$(date +%s)
echo "debug lane: vhsm.ko for $release in $build/debug/ksrc/kmod ($((t2 - t1)) s)"

mkdir -p "$build/results"
rm -f "$build"/results/debug-vm.*
VHSM_VM_TIMEOUT=${VHSM_VM_TIMEOUT:-14400} VHSM_TEST_TIMEOUT=${VHSM_TEST_TIMEOUT:-3000} \
VHSM_VM_MEM=${VHSM_VM_MEM:-2048} \
	"$top/selftests/qemu/run-vm.sh" --kver "$release" --build "$build" \
	--kernel "$kdir/bzImage" --moddir "$kdir/modules" --kmod "$build/debug/ksrc/kmod" \
	--append "kasan_multi_shot no5lvl" --env "VHSM_FUZZ_SECONDS=${VHSM_FUZZ_SECONDS:-300}" \
	--env "VHSM_INTEROP_KEYS=${VHSM_INTEROP_KEYS:-1000}" \
	${server:+--host-server "$server"} \
	--tests "$tests" --log "$build/results/debug-vm"
t3=$(date +%s)
echo "debug lane: kernel $((t1 - t0)) s, module $((t2 - t1)) s, VM $((t3 - t2)) s, total $((t3 - t0)) s"
echo "debug lane: results in $build/results/debug-vm.{tap,console}"
"$here/tap-summary.sh" "$build/results/debug-vm.tap"
