#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# "This is my image" to "only this image passes", on the sim platform:
# vhsm-tool measure computes a launch digest, vhsm.ko is reloaded with that
# digest as the simulated launch's MEASUREMENT, and a policy made by
# `vhsm-tool policy new` from the digest accepts the sim's report (test CA
# chain) while one made from another measurement, or pinning an ID key the
# launch did not have, refuses it. The module is reloaded with its previous
# parameters at the end.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
CA=./vhsm-testca
MD=/usr/share/vhsm-tests/measure
P=/sys/module/vhsm/parameters
d=$(mktemp -d)

# the load-time parameters the module has now (not the run-time ones)
params() {
	for f in "$P"/*; do
		n=${f##*/}
		case $n in sim_vcek_pub|sim_stats|sim_fault|sessions|sim_measurement|sim_certs) continue ;; esac
		v=$(cat "$f" 2>/dev/null) || continue
		[ "$v" = "(null)" ] || printf '%s=%s ' "$n" "$v"
	done
}
base=$(params)
reload() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmmod vhsm 2>/dev/null && break
		sleep 1
	done
	# shellcheck disable=SC2086 # one word per parameter
	insmod "$VHSM_KO" $base "$@"
}
restored=
cleanup() {
	[ -n "$restored" ] || reload >/dev/null 2>&1
	rm -rf "$d"
}
trap cleanup EXIT

ktap_plan 9

printf 'a test kernel' > "$d/vmlinuz"
printf 'a test initrd' > "$d/initrd.img"
meas=$($T measure --mode snp --vcpus 2 --vcpu-type EPYC-Milan --ovmf "$MD/ovmf_AmdSev_suffix.bin" \
	--kernel "$d/vmlinuz" --initrd "$d/initrd.img" --append "console=ttyS0 root=/dev/vda1" \
	--guest-features 0x1)
case $meas in
????????????????????????????????????????????????????????????????????????????????????????????????)
	ktap_ok "measure computes a 48-byte digest in the guest" ;;
*) ktap_fail "measure computes a 48-byte digest in the guest" "$meas" ;;
esac
ktap_check "vhsm.ko reloads with sim_measurement set to it" reload "sim_measurement=$meas"

$T attest --random -o "$d/r.bin" >/dev/null
got=$($T --json report show "$d/r.bin" | jq -r .measurement)
if [ "$got" = "$meas" ]; then ktap_ok "the sim's report carries the computed measurement"
else ktap_fail "the sim's report carries the computed measurement" "got $got, want $meas"; fi

claims=$($T --json report show "$d/r.bin")
cat "$P/sim_vcek_pub" > "$d/vcek.hex"
product=$(printf '%s' "$claims" | jq -r .product)
$CA init "$d/ca" --bits 2048 --product "$product" >/dev/null 2>&1
ktap_check "test CA certifies the sim VCEK" $CA vcek "$d/ca" --pubkey "$d/vcek.hex" \
	--hwid "$(printf '%s' "$claims" | jq -r .chip_id)" \
	--tcb "$(printf '%s' "$claims" | jq -r .reported_tcb.raw | sed 's/^0x//')" \
	--product "$product" -o "$d/vcek.der"

ktap_check "policy new writes a policy from the digest" \
	$T policy new --measurement "$meas" -o "$d/mine.json"
out=$($T report verify "$d/r.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem" \
	--policy "$d/mine.json" 2>&1); rc=$?
case "$rc:$out" in
0:*verified*"measurement        $meas"*) ktap_ok "that policy accepts the sim's report" ;;
*) ktap_fail "that policy accepts the sim's report" "exit $rc: $out" ;;
esac

# the same image with one vCPU more is another image
other=$($T measure --mode snp --vcpus 3 --vcpu-type EPYC-Milan --ovmf "$MD/ovmf_AmdSev_suffix.bin" \
	--kernel "$d/vmlinuz" --initrd "$d/initrd.img" --append "console=ttyS0 root=/dev/vda1" \
	--guest-features 0x1)
$T policy new --measurement "$other" -o "$d/other.json" 2>/dev/null
out=$($T report verify "$d/r.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem" \
	--policy "$d/other.json" 2>&1); rc=$?
case "$rc:$out" in
3:*"refused: measurement:"*) ktap_ok "a policy from another measurement refuses it (3)" ;;
*) ktap_fail "a policy from another measurement refuses it (3)" "exit $rc: $out" ;;
esac

# the sim launches without an ID block: pinning an ID key refuses it
idk=$($T --json id-block --measurement "$meas" --id-key "$MD/id_key_test.pem" \
	--author-key "$MD/author_key_test.pem" | jq -r .id_key_digest)
$T policy new --measurement "$meas" --id-key-digest "$idk" -o "$d/idk.json" 2>/dev/null
out=$($T report verify "$d/r.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem" \
	--policy "$d/idk.json" 2>&1); rc=$?
case "$rc:$out" in
3:*"refused: id_key:"*) ktap_ok "a policy pinning an ID key refuses a launch without one (3)" ;;
*) ktap_fail "a policy pinning an ID key refuses a launch without one (3)" "exit $rc: $out" ;;
esac
ktap_check "vhsm.ko reloads with its previous parameters" reload
restored=1
ktap_finish
