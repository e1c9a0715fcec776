#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PID 1 of the test VM. Console (kernel log) on ttyS0, test TAP on ttyS1.
/bin/busybox --install -s /bin
export PATH=/usr/bin:/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec </dev/null >/dev/console 2>&1

. /etc/vhsm-test/env
export VHSM_KO=/lib/vhsm/vhsm.ko VHSM_TEST_GID

finish() {
	sync
	poweroff -f
}

for m in $(cat /etc/vhsm-test/modules); do
	insmod "/lib/vhsm/$m.ko" || echo "vhsm-run: cannot load module $m"
done

if [ "$VHSM_MODE" = demo ]; then
	echo
	echo "=== vhsm demo: loading vhsm.ko with platform=sim ==="
	insmod "$VHSM_KO" platform=sim group="$VHSM_TEST_GID"
	ls -l /dev/vhsm
	echo "=== vhsm-tool info ==="
	vhsm-tool info
	echo "=== vhsm-tool --json info ==="
	vhsm-tool --json info
	echo "=== keys born in the kernel: keygen, list ==="
	vhsm-tool keygen --type p256 --label demo.signing
	vhsm-tool keygen --type aes256 --label demo.data
	vhsm-tool list
	echo "=== sign in the kernel, verify with OpenSSL and the exported public key ==="
	echo "hello from an SEV-SNP guest" > /tmp/msg
	vhsm-tool sign demo.signing --der -i /tmp/msg -o /tmp/msg.sig
	vhsm-tool pubkey demo.signing -o /tmp/pub.pem
	cat /tmp/pub.pem
	openssl dgst -sha256 -verify /tmp/pub.pem -signature /tmp/msg.sig /tmp/msg
	echo "=== AES-GCM in the kernel: encrypt, decrypt ==="
	vhsm-tool encrypt demo.data -i /tmp/msg -o /tmp/msg.enc
	vhsm-tool decrypt demo.data -i /tmp/msg.enc -o /tmp/msg.dec && cat /tmp/msg.dec
	echo "=== vhsm demo: done ==="
	finish
fi

TAP=/dev/ttyS1
cd /usr/lib/vhsm-tests

if [ "$VHSM_MODE" = bench ]; then
	insmod "$VHSM_KO" platform=sim group="$VHSM_TEST_GID" allow_plain_import=1 \
		max_keys=200000 max_keys_per_user=200000 max_bytes_per_user=200000000
	./bench > $TAP 2>&1
	echo "vhsm-run: bench rc=$?" > $TAP
	finish
fi

for t in $VHSM_TESTS; do
	echo "vhsm-run: begin $t" > $TAP
	timeout "$VHSM_TEST_TIMEOUT" "./$t" > $TAP 2>&1
	echo "vhsm-run: end $t rc=$?" > $TAP
done
echo "vhsm-run: done" > $TAP
finish
