#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The attestation flow end to end on the sim platform: vhsm-tool attest binds
# report_data; a test CA certifies the simulated AMD-SP's VCEK; the report
# verifies under that CA, with report_data pinned by policy, and fails under
# AMD's real roots.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
CA=./vhsm-testca
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
rd=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

ktap_plan 15

ktap_check "attest writes a 1184-byte report" sh -c \
	"$T attest --report-data $rd -o '$d/r.bin' && [ \$(wc -c < '$d/r.bin') -eq 1184 ]"
claims=$($T --json report show "$d/r.bin")
if printf '%s' "$claims" | jq -e --arg rd "$rd" '.report_data | startswith($rd)' >/dev/null; then
	ktap_ok "the report carries the caller's report_data"
else
	ktap_fail "the report carries the caller's report_data" "$claims"
fi
ktap_check "attest --json prints the claims" sh -c "$T --json attest --random -o '$d/r2.bin' | jq -e '.version >= 3'"
ktap_expect_rc "bad --report-data is a usage error (2)" 2 $T attest --report-data xyz -o "$d/x"
ktap_expect_rc "--vmpl above 3 is a usage error (2)" 2 $T attest --random --vmpl 4 -o "$d/x"

# certify the simulator's VCEK with the test CA (RSA-2048 keeps TCG quick)
cat /sys/module/vhsm/parameters/sim_vcek_pub > "$d/vcek.hex"
chip=$(printf '%s' "$claims" | jq -r .chip_id)
tcb=$(printf '%s' "$claims" | jq -r .reported_tcb.raw | sed 's/^0x//')
product=$(printf '%s' "$claims" | jq -r .product)
ktap_check "test CA created" $CA init "$d/ca" --bits 2048 --product "$product"
ktap_check "test CA certifies the sim VCEK" $CA vcek "$d/ca" --pubkey "$d/vcek.hex" \
	--hwid "$chip" --tcb "$tcb" --product "$product" -o "$d/vcek.der"

printf '{"report_data": "%s%s"}\n' "$rd" "$(printf '%064d' 0)" > "$d/policy.json"
ktap_check "sim report verifies under the test CA with report_data pinned" \
	$T report verify "$d/r.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem" --policy "$d/policy.json"
out=$($T report verify "$d/r.bin" --vcek "$d/vcek.der" 2>&1); rc=$?
case "$rc:$out" in
3:*chain*) ktap_ok "the same report is refused under AMD's roots (3, chain)" ;;
*) ktap_fail "the same report is refused under AMD's roots (3, chain)" "exit $rc: $out" ;;
esac
printf '{"report_data": "%s"}\n' "$(printf '%0128d' 1)" > "$d/other.json"
ktap_expect_rc "a different expected report_data is refused (3)" 3 \
	$T report verify "$d/r.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem" --policy "$d/other.json"
cp "$d/r.bin" "$d/flip.bin"
printf '\001' | dd of="$d/flip.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
ktap_expect_rc "a flipped byte in the signed region is refused (3)" 3 \
	$T report verify "$d/flip.bin" --vcek "$d/vcek.der" --roots "$d/ca/roots.pem"
# raw reports are privileged: root, or the attest_gid group (default none)
P=/sys/module/vhsm/parameters/attest_gid
ktap_expect_rc "a device-group member without attest_gid is refused (3)" 3 \
	runas 65534 65534,"$VHSM_TEST_GID" $T attest --random -o /tmp/r-user.bin
echo 3456 > $P
ktap_check "a member of the attest_gid group may attest" \
	runas 65534 65534,"$VHSM_TEST_GID",3456 $T attest --random -o /tmp/r-user.bin
ktap_expect_rc "the device group alone is still refused (3)" 3 \
	runas 65534 65534,"$VHSM_TEST_GID" $T attest --random -o /tmp/r-user.bin
echo none > $P
ktap_check "attest_gid reads none again" sh -c "[ \"\$(cat $P)\" = none ]"
ktap_finish
