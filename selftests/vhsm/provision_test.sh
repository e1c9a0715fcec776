#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool provision end to end: the guest (sim platform) attests to vhsm-kbs
# on the host (run-vm.sh --host-server selftests/kbs/kbs-server.sh, reached
# through QEMU user networking at $VHSM_KBS_URL) and receives an AES-256 key
# into the kernel. vhsm-kbs verifies the report (signature, test-CA chain,
# policy: the sim's measurement only, no debug) and the report_data binding.
# A message the host encrypted with the resource bytes decrypts here with the
# provisioned key, and the reverse (through the test endpoints of kbs_stub at
# $VHSM_TEST_URL). A tampered resource (kbs_stub as a broken broker), a VM
# with another measurement and one whose policy allows debugging are refused
# with nothing stored and no session left open.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
GID=${VHSM_TEST_GID:?}
KBS=${VHSM_KBS_URL:-}
TEST=${VHSM_TEST_URL:-}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
PLAN=17
ktap_plan $PLAN
if [ -z "$KBS" ] || [ -z "$TEST" ]; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_skip "provisioning from a host broker" "no host server (run-vm.sh --host-server)"
		i=$((i + 1))
	done
	ktap_finish
	exit 0
fi
open_sessions() { sed -n 's/^open=\([0-9]*\).*/\1/p' /sys/module/vhsm/parameters/sessions; }
host_msg="a message the host encrypted with the resource"
guest_msg="a message the guest encrypted with the provisioned key"
res=vhsm/e2e/aes256
base=$(open_sessions)	# earlier tests may have left sessions to expire

ktap_check "the host's test endpoint answers at $TEST" wget -q -O "$d/msg.enc" "$TEST/test/message/$res"

out=$($T provision --kbs "$KBS" --resource $res --label e2e.aes --type aes256 2>&1); rc=$?
case "$rc:$out" in
0:\#[0-9]*) ktap_ok "provision from vhsm-kbs prints the new key's handle ($out)" ;;
*) ktap_fail "provision from vhsm-kbs prints the new key's handle" "exit $rc: $out" ;;
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
	wget -q -O "$d/ok" --post-file "$d/back.b64" "$TEST/test/check/$res"
ktap_check "no provisioning session is left open" test "$(open_sessions)" = "$base"

# the client's memory at the moment of the import: no resource bytes in it
tohex() { od -An -v -tx1 | tr -d ' \n'; }
if [ ! -w /proc/sys/kernel/core_pattern ]; then
	# the debug lane's small kernel has no core dumps (CONFIG_COREDUMP)
	ktap_skip "the client's core at the import holds no resource bytes" \
		"this kernel writes no core dumps"
else
	old_pattern=$(cat /proc/sys/kernel/core_pattern)
	echo "$d/core" > /proc/sys/kernel/core_pattern
	(ulimit -c unlimited; LD_PRELOAD=/usr/lib/vhsm-tests/core_at_import.so \
		$T provision --kbs "$KBS" --resource $res --label e2e.core --type aes256) >/dev/null 2>&1
	echo "$old_pattern" > /proc/sys/kernel/core_pattern
	secret=$(wget -q -O - "$TEST/test/secret/$res")
	if [ -s "$d/core" ] && [ ${#secret} = 64 ] && $T show e2e.core >/dev/null 2>&1; then
		tohex < "$d/core" > "$d/core.hex"
		if grep -q "$secret" "$d/core.hex"; then
			ktap_fail "the client's core at the import holds no resource bytes" "found in the core"
		elif ! grep -q "$(printf 'e2e.core' | tohex)" "$d/core.hex"; then
			ktap_fail "the client's core at the import holds no resource bytes" "control: the label is not in the core either"
		else
			ktap_ok "the client's core at the import holds no resource bytes ($(wc -c < "$d/core") bytes searched)"
		fi
	else
		ktap_fail "the client's core at the import holds no resource bytes" "no core ($(ls "$d")), secret '${secret}', or no key"
	fi
fi

ktap_check "an unprivileged device-group member provisions too" \
	runas 1000 1000,"$GID" $T provision --kbs "$KBS" --resource $res --label e2e.user --type aes256
out=$($T provision --kbs "$KBS" --resource vhsm/e2e/none --label e2e.none --type aes256 2>&1); rc=$?
case "$rc:$out" in
3:*"resource not found"*) ktap_ok "a resource the broker does not have is refused (3, as Trustee answers 401)" ;;
*) ktap_fail "a resource the broker does not have is refused (3, as Trustee answers 401)" "exit $rc: $out" ;;
esac
ktap_check "... and the sessions of both handshakes are closed" test "$(open_sessions)" = "$base"

ktap_expect_rc "a tampered resource is refused (3)" 3 \
	$T provision --kbs "$TEST" --resource vhsm/e2e/tampered --label e2e.bad --type aes256
ktap_expect_rc "... and nothing is stored" 1 $T show e2e.bad
ktap_check "... and its session is gone (key wiped)" test "$(open_sessions)" = "$base"

# other VM images: another launch measurement, a policy that allows debugging
refused() {	# NAME REASON INSMOD-PARAMS...
	_name=$1 _why=$2
	shift 2
	if rmmod vhsm && insmod "$VHSM_KO" platform=sim group="$GID" "$@"; then
		_out=$($T provision --kbs "$KBS" --resource $res --label e2e.other --type aes256 2>&1)
		_rc=$?
		case "$_rc:$_out" in
		3:*"$_why"*) ktap_ok "$_name is refused (3: $_why)" ;;
		*) ktap_fail "$_name is refused (3: $_why)" "exit $_rc: $_out" ;;
		esac
	else
		ktap_fail "$_name is refused" "cannot reload vhsm"
	fi
}
other=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
refused "a VM with another measurement" measurement sim_measurement=$other
ktap_expect_rc "... and nothing is stored" 1 $T show e2e.other
refused "a VM whose policy allows debugging" debug sim_policy=0xb0000
ktap_expect_rc "... and nothing is stored" 1 $T show e2e.other
rmmod vhsm && insmod "$VHSM_KO" platform=sim group="$GID"
ktap_finish
