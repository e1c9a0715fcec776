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

# a host server (run-vm.sh --host-server) at 10.0.2.100 through QEMU user networking
ip link set lo up
if [ -n "${VHSM_KBS_URL:-}" ]; then
	ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 ||
		echo "vhsm-run: cannot bring up eth0 for $VHSM_KBS_URL"
	export VHSM_KBS_URL VHSM_TEST_URL
fi

if [ "$VHSM_MODE" = demo ]; then
	# the demo's own lines on ttyS1 (the terminal); the kernel keeps ttyS0
	exec >/dev/ttyS1 2>&1
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
	echo "=== attestation: a report carrying our nonce, from the simulated AMD-SP ==="
	vhsm-tool attest --report-data 6e6f6e63652d31323334 -o /tmp/r.bin
	vhsm-tool report show /tmp/r.bin | head -n 14
	echo "=== a test CA certifies the simulator's VCEK; the report verifies under it ==="
	claims=$(vhsm-tool --json report show /tmp/r.bin)
	product=$(printf '%s' "$claims" | jq -r .product)
	/usr/lib/vhsm-tests/vhsm-testca init /tmp/ca --bits 2048 --product "$product"
	cat /sys/module/vhsm/parameters/sim_vcek_pub > /tmp/vcek.hex
	/usr/lib/vhsm-tests/vhsm-testca vcek /tmp/ca --pubkey /tmp/vcek.hex --product "$product" \
		--hwid "$(printf '%s' "$claims" | jq -r .chip_id)" \
		--tcb "$(printf '%s' "$claims" | jq -r .reported_tcb.raw | sed 's/^0x//')" -o /tmp/vcek.der
	vhsm-tool report verify /tmp/r.bin --vcek /tmp/vcek.der --roots /tmp/ca/roots.pem &&
		echo "verified under the test CA"
	echo "=== ... and is refused under AMD's real roots, as a simulator must be ==="
	vhsm-tool report verify /tmp/r.bin --vcek /tmp/vcek.der || echo "refused (exit $?)"
	echo "=== dm-crypt with a vHSM key: capi:vhsm(xts(aes))-plain64, keyed by the key's token ==="
	export DM_DISABLE_UDEV=1
	vhsm-tool keygen --type aes256-xts --label demo.disk --usage export-kernel
	dd if=/dev/zero of=/tmp/disk.img bs=1M count=4 2>/dev/null
	loop=$(losetup -f) && losetup "$loop" /tmp/disk.img
	vhsm-tool keyring export demo.disk --as token --desc vhsm-token:demo.disk
	table=$(vhsm-tool --quiet dmcrypt table demo.disk --device "$loop" --template)
	echo "table: $table"
	dmsetup create demo --table "$table"
	echo "payroll 2026: alice 1000, bob 2000" | dd of=/dev/mapper/demo conv=fsync 2>/dev/null
	dmsetup remove demo
	echo "--- the backing file holds ciphertext:"
	xxd -l 48 /tmp/disk.img
	grep -q payroll /tmp/disk.img && echo "PLAINTEXT ON DISK" || echo "(no plaintext on the backing file)"
	dmsetup create demo --table "$table"
	echo "--- reopened, read through dm-crypt:"
	head -n 1 /dev/mapper/demo
	dmsetup remove demo
	losetup -d "$loop"
	if [ -n "${VHSM_KBS_URL:-}" ]; then
		echo "=== provisioning: attest to vhsm-kbs on the host ($VHSM_KBS_URL), receive a key into the kernel ==="
		vhsm-tool provision --kbs "$VHSM_KBS_URL" --resource vhsm/e2e/aes256 --label demo.provisioned \
			--type aes256
		vhsm-tool show demo.provisioned
		echo "=== the key works: a message the host encrypted with the resource decrypts in the kernel ==="
		wget -q -O /tmp/host.enc "$VHSM_TEST_URL/test/message/vhsm/e2e/aes256" &&
			vhsm-tool decrypt demo.provisioned -i /tmp/host.enc && echo
		echo "=== a VM with another measurement is refused by the broker ==="
		rmmod vhsm && insmod "$VHSM_KO" platform=sim group="$VHSM_TEST_GID" \
			sim_measurement=$(printf 'fe%.0s' $(seq 48))
		vhsm-tool provision --kbs "$VHSM_KBS_URL" --resource vhsm/e2e/aes256 --label demo.other \
			--type aes256 || echo "refused (exit $?)"
	fi
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
