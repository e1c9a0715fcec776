#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The attestation flow end to end on the sim platform: vhsm-tool attest binds
# report_data; a test CA certifies the simulated AMD-SP's VCEK; the report
# verifies under that CA, with report_data pinned by policy, and fails under
# AMD's real roots.  The simulated host then hands out the test CA's
# certificate table: attest --certs DIR writes snpguest's folder and
# certtable.bin, and report verify reads the folder, the table, and the table
# following the report in one file.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
CA=./vhsm-testca
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
rd=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

ktap_plan 25

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
# the certificate table round trip: the sim host serves the test CA's table
S=/sys/module/vhsm/parameters/sim_certs
$CA certtable --vcek "$d/vcek.der" --ask "$d/ca/ask.pem" --ark "$d/ca/ark.pem" -o "$d/table.bin"
{ openssl base64 -A -in "$d/table.bin"; echo; } | fold -w 2048 > "$d/table.b64"
ktap_check "the sim host takes the certificate table (in pieces)" sh -c \
	"echo none > $S && while read -r c; do echo \"+\$c\" > $S || exit 1; done < '$d/table.b64' &&
	 [ \"\$(cat $S)\" = \"\$(wc -c < '$d/table.bin') bytes\" ]"
ktap_check "malformed base64 for sim_certs is refused, the table kept" sh -c \
	"! echo '+@@@@' > $S 2>/dev/null && [ \"\$(cat $S)\" = \"\$(wc -c < '$d/table.bin') bytes\" ]"
ktap_check "attest --certs DIR writes vcek.der, ask.der, ark.der and certtable.bin" sh -c \
	"$T attest --report-data $rd -o '$d/r3.bin' --certs '$d/out' &&
	 cmp -s '$d/out/vcek.der' '$d/vcek.der' && [ -s '$d/out/ask.der' ] && [ -s '$d/out/ark.der' ]"
ktap_check "certtable.bin is the host's table byte for byte" cmp -s "$d/out/certtable.bin" "$d/table.bin"
ktap_check "report verify --certs DIR verifies what attest --certs DIR wrote" \
	$T report verify "$d/r3.bin" --certs "$d/out" --roots "$d/ca/roots.pem" --policy "$d/policy.json"
ktap_check "report verify --cert-table certtable.bin verifies" \
	$T report verify "$d/r3.bin" --cert-table "$d/out/certtable.bin" --roots "$d/ca/roots.pem"
cat "$d/r3.bin" "$d/out/certtable.bin" > "$d/r3+table.bin"
ktap_check "a report followed by its table in one file verifies" \
	$T report verify "$d/r3+table.bin" --roots "$d/ca/roots.pem"
ktap_expect_rc "the folder is refused under AMD's roots (3): its ARK is not AMD's" 3 \
	$T report verify "$d/r3.bin" --certs "$d/out"
# configfs-tsm (vhsm_tsm.ko): the same table is the auxblob
KO=${VHSM_KO%/*}/vhsm_tsm.ko cfg=/sys/kernel/config
tr=$cfg/tsm/report/certs-test
grep -q " $cfg configfs" /proc/mounts || mount -t configfs configfs "$cfg"
if [ ! -e "$KO" ]; then
	ktap_skip "configfs-tsm: the auxblob is the host's table" "no vhsm_tsm.ko (kernel 6.14+)"
else ktap_check "configfs-tsm: the auxblob is the host's table; --cert-table auxblob verifies" sh -c \
	"insmod '$KO' && mkdir '$tr' && printf '%s' '$rd' > '$tr/inblob' &&
	 cat '$tr/outblob' > '$d/tsm.bin' && cat '$tr/auxblob' > '$d/aux.bin' &&
	 cmp -s '$d/aux.bin' '$d/table.bin' &&
	 $T report verify '$d/tsm.bin' --cert-table '$d/aux.bin' --roots '$d/ca/roots.pem'"
fi
rmdir "$tr" 2>/dev/null
rmmod vhsm_tsm 2>/dev/null
ktap_check "without a table attest --certs says so, exits 0, writes nothing" sh -c \
	"echo none > $S && $T attest --report-data $rd -o '$d/r4.bin' --certs '$d/none' 2>&1 |
	 grep -q 'no certificates' && ! [ -e '$d/none/vcek.der' ]"
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
