#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The host side of the VM's provisioning test (provision_test.sh), started by
# run-vm.sh --host-server for the VM's life:
#  1. vhsm-kbs, the real attestation and provisioning service, on 127.0.0.1:
#     a test CA (vhsm-testca) certifies the simulated AMD-SP's VCEK, which the
#     host computes from the sim's chip secret (sim_vcek) as AMD's KDS knows a
#     chip's VCEK, into vhsm-kbs's certificate cache (--certs); --roots is the
#     test CA; the policy allows only the sim's default MEASUREMENT (debug is
#     forbidden by default); the resource vhsm/e2e/aes256 is 32 random bytes;
#  2. kbs_stub, for what vhsm-kbs must not do: the test endpoints that carry
#     messages encrypted with the resource between host and guest, and a
#     broker that tampers with its JWE.
# The two ports go to $VHSM_PORT_FILE, one a line (vhsm-kbs first).
# usage: kbs-server.sh BUILD DIR
set -eu
b=$1 dir=$2
pf=${VHSM_PORT_FILE:?}
export LD_LIBRARY_PATH=$b/lib
rm -rf "$dir"
mkdir -p "$dir/state"
m=0123456789abcdef0123456789abcdef0123456789abcdef	# half the sim's default
tcb=7308000000000003				# the sim's default REPORTED_TCB

"$b/host/vhsm-testca" init "$dir/ca" --bits 2048 --product Milan >/dev/null
"$b/host/sim_vcek" --tcb "$tcb" > "$dir/sim.txt"
sed -n 1p "$dir/sim.txt" > "$dir/vcek.hex"
chip=$(sed -n 2p "$dir/sim.txt")
mkdir -p "$dir/certs/vcek/Milan/$chip"
"$b/host/vhsm-testca" vcek "$dir/ca" --pubkey "$dir/vcek.hex" --hwid "$chip" --tcb "$tcb" \
	--product Milan -o "$dir/certs/vcek/Milan/$chip/$tcb.der" >/dev/null
head -c 32 /dev/urandom > "$dir/aes256.bin"
"$b/bin/vhsm-kbs" --state "$dir/state" resource put vhsm/e2e/aes256 "$dir/aes256.bin"
printf '{"measurements": ["%s%s"]}\n' "$m" "$m" > "$dir/policy.json"
"$b/bin/vhsm-kbs" --state "$dir/state" policy set "$dir/policy.json"

kbs= stub=
stop() { kill $kbs $stub 2>/dev/null; wait; exit 0; }
trap stop TERM INT
"$b/bin/vhsm-kbs" --state "$dir/state" serve --listen 127.0.0.1:0 --port-file "$dir/kbs.port" \
	--certs "$dir/certs" --roots "$dir/ca/roots.pem" &
kbs=$!
"$b/host/kbs_stub" --port-file "$dir/stub.port" --measurement "$m$m" \
	--resource vhsm/e2e/aes256="$dir/aes256.bin" --tampered vhsm/e2e/tampered="$dir/aes256.bin" &
stub=$!
i=0
while { [ ! -s "$dir/kbs.port" ] || [ ! -s "$dir/stub.port" ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cat "$dir/kbs.port" "$dir/stub.port" > "$pf.tmp" && mv "$pf.tmp" "$pf"
wait
