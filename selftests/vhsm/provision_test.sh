#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool provision end to end: the guest attests to a key broker on the
# host (run-vm.sh --host-server, reached through QEMU user networking at
# $VHSM_KBS_URL) and receives an AES-256 key into the kernel. The broker is
# selftests/kbs/kbs_stub (a test double: it checks the REPORT_DATA binding and
# the MEASUREMENT, not the report's signature). A message the host encrypted
# with the resource decrypts here with the provisioned key, and the reverse;
# a tampered resource and a VM with another measurement are refused with
# nothing stored and no session left open.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
URL=${VHSM_KBS_URL:-}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
PLAN=12
ktap_plan $PLAN
if [ -z "$URL" ]; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_skip "provisioning from a host broker" "no host server (run-vm.sh --host-server)"
		i=$((i + 1))
	done
	ktap_finish
	exit 0
fi
sessions() { cat /sys/module/vhsm/parameters/sessions; }
open_sessions() { sessions | sed -n 's/^open=\([0-9]*\).*/\1/p'; }
host_msg="a message the host encrypted with the resource"
guest_msg="a message the guest encrypted with the provisioned key"
res=vhsm/e2e/aes256
base=$(open_sessions)	# earlier tests may have left sessions to expire

ktap_check "the host broker answers at $URL" wget -q -O "$d/msg.enc" "$URL/test/message/$res"

out=$($T provision --kbs "$URL" --resource $res --label e2e.aes --type aes256 2>&1); rc=$?
case "$rc:$out" in
0:\#[0-9]*) ktap_ok "provision prints the new key's handle ($out)" ;;
*) ktap_fail "provision prints the new key's handle" "exit $rc: $out" ;;
esac
ktap_check "the key is a provisioned aes256 key" sh -c \
	"set -o pipefail; $T --json show e2e.aes | jq -e '.origin == \"provisioned\" and .type == \"aes256\" and .key_len == 32'"
if $T decrypt e2e.aes -i "$d/msg.enc" -o "$d/msg" 2>"$d/err" &&
   [ "$(cat "$d/msg")" = "$host_msg" ]; then
	ktap_ok "a message the host encrypted with the resource decrypts with the key"
else
	ktap_fail "a message the host encrypted with the resource decrypts with the key" "$(cat "$d/err")"
fi
printf '%s' "$guest_msg" | $T encrypt e2e.aes -o "$d/back.enc" && base64 -w 0 "$d/back.enc" > "$d/back.b64"
ktap_check "the host decrypts with the resource what the key encrypted" \
	wget -q -O "$d/ok" --post-file "$d/back.b64" "$URL/test/check/$res"
ktap_check "no provisioning session is left open" test "$(open_sessions)" = "$base"

ktap_check "an unprivileged device-group member provisions too" \
	runas 1000 1000,"$GID" $T provision --kbs "$URL" --resource $res --label e2e.user --type aes256

ktap_expect_rc "a tampered resource is refused (3)" 3 \
	$T provision --kbs "$URL" --resource vhsm/e2e/tampered --label e2e.bad --type aes256
ktap_expect_rc "... and nothing is stored" 1 $T show e2e.bad
ktap_check "... and its session is gone (key wiped)" test "$(open_sessions)" = "$base"

# another VM image: the same guest with another launch measurement
params="platform=sim group=$GID"
other=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
if rmmod vhsm && insmod "$VHSM_KO" $params sim_measurement=$other; then
	out=$($T provision --kbs "$URL" --resource $res --label e2e.other --type aes256 2>&1); rc=$?
	case "$rc:$out" in
	3:*measurement*) ktap_ok "a VM with another measurement is refused (3, the broker's reason shown)" ;;
	*) ktap_fail "a VM with another measurement is refused (3, the broker's reason shown)" "exit $rc: $out" ;;
	esac
	ktap_expect_rc "... and nothing is stored" 1 $T show e2e.other
else
	ktap_fail "a VM with another measurement is refused" "cannot reload vhsm"
	ktap_fail "... and nothing is stored" "cannot reload vhsm"
fi
rmmod vhsm && insmod "$VHSM_KO" $params
ktap_finish
