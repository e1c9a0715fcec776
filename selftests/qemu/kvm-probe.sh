#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Does a KVM guest boot here? /dev/kvm exists on these machines but guests may
# fault at once. Boots KERNEL with a one-line init under KVM; the answer is
# cached in DIR/kvm-probe. Exit 0 when KVM works.
set -u
kernel=$1 dir=$2
cache=$dir/kvm-probe
if [ -f "$cache" ]; then
	[ "$(cat "$cache")" = yes ]
	exit $?
fi
answer=no
if [ -w /dev/kvm ]; then
	tmp=$(mktemp -d)
	mkdir -p "$tmp/root/bin" "$tmp/root/dev"
	cp /bin/busybox "$tmp/root/bin/busybox"
	printf '#!/bin/busybox sh\n/bin/busybox echo VHSM-KVM-PROBE-OK\n/bin/busybox poweroff -f\n' > "$tmp/root/init"
	chmod +x "$tmp/root/init"
	mknod -m 600 "$tmp/root/dev/console" c 5 1
	(cd "$tmp/root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$tmp/probe.cpio.gz"
	timeout 20 qemu-system-x86_64 -machine q35,accel=kvm -cpu host -m 256 -smp 1 \
		-no-reboot -display none -monitor none -nodefaults -serial "file:$tmp/out" \
		-kernel "$kernel" -initrd "$tmp/probe.cpio.gz" \
		-append "console=ttyS0 panic=-1" >/dev/null 2>&1
	grep -q VHSM-KVM-PROBE-OK "$tmp/out" 2>/dev/null && answer=yes
	rm -rf "$tmp"
fi
echo "$answer" > "$cache"
echo "vm: KVM probe: $answer" >&2
[ "$answer" = yes ]
