#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The host side of the VM's provisioning test (provision_test.sh): a fresh
# random AES-256 resource, served by kbs_stub on 127.0.0.1 (port written to
# $VHSM_PORT_FILE) to a guest whose MEASUREMENT is the simulator's default.
# run-vm.sh starts it with --host-server and stops it after the VM.
# usage: stub-server.sh KBS_STUB DIR
set -eu
stub=$1 dir=$2
mkdir -p "$dir"
head -c 32 /dev/urandom > "$dir/aes256.bin"
# the sim's default sim_measurement (kmod/platform_sim.c)
m=0123456789abcdef0123456789abcdef0123456789abcdef
exec "$stub" --port-file "${VHSM_PORT_FILE:?}" --measurement "$m$m" \
	--resource vhsm/e2e/aes256="$dir/aes256.bin" \
	--tampered vhsm/e2e/tampered="$dir/aes256.bin"
