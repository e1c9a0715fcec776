#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool (ASan/UBSan build) on the host, where there is no vhsm device:
# usage handling, exit codes, and the input/output rules (stdout write
# errors, stdin read once, --quiet after the command, attest's arguments).
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset VHSM_DEVICE

# expect_msg NAME RC PATTERN CMD...: exit RC and stderr matching PATTERN (a case glob)
expect_msg() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	case "$rc:$err" in
	$want:$pat) ktap_ok "$name" ;;
	*) ktap_fail "$name" "exit $rc: $err" ;;
	esac
}

ktap_plan 34
ktap_expect_rc "--help exits 0" 0 $T --help
ktap_expect_rc "--version exits 0" 0 $T --version
ktap_expect_rc "no command exits 2" 2 $T
ktap_expect_rc "unknown command exits 2" 2 $T frobnicate
ktap_expect_rc "unknown global option exits 2" 2 $T --frobnicate info
ktap_expect_rc "info with a stray argument exits 2" 2 $T info extra
ktap_expect_rc "missing device exits 4" 4 $T --device /nonexistent/vhsm info
ktap_expect_rc "a device that is not vhsm exits 1" 1 $T --device /dev/null info
expect_msg "a mistyped --device path is named, not blamed on the module" 4 \
	"*--device /nonexistent/vhsm: no such file*" $T --device /nonexistent/vhsm info
out=$($T --device /nonexistent/vhsm info 2>&1)
case "$out" in
*vhsm.ko*) ktap_fail "a mistyped --device does not ask whether vhsm.ko is loaded" "$out" ;;
*) ktap_ok "a mistyped --device does not ask whether vhsm.ko is loaded" ;;
esac
expect_msg "a mistyped VHSM_DEVICE is named too" 4 "*VHSM_DEVICE /nonexistent/x: no such file*" \
	env VHSM_DEVICE=/nonexistent/x $T info
if [ ! -e /dev/vhsm ]; then
	expect_msg "the default device missing asks whether vhsm.ko is loaded" 4 "*vhsm.ko*" $T info
else
	ktap_skip "the default device missing asks whether vhsm.ko is loaded" "/dev/vhsm exists here"
fi

# stdout write errors: a full disk fails the command with a message
if [ -w /dev/full ]; then
	expect_msg "--help > /dev/full fails" 1 "*cannot write to stdout*" sh -c "$T --help > /dev/full"
	expect_msg "--version > /dev/full fails" 1 "*cannot write to stdout*" sh -c "$T --version > /dev/full"
	expect_msg "measure --help > /dev/full fails" 1 "*cannot write to stdout*" \
		sh -c "$T measure --help > /dev/full"
	expect_msg "policy new > /dev/full fails" 1 "*No space left*" \
		sh -c "$T policy new --measurement $(printf 'ab%.0s' $(seq 48)) > /dev/full"
else
	for n in 1 2 3 4; do ktap_skip "/dev/full case $n" "no writable /dev/full"; done
fi

# --quiet and --json after the command, as before it
ktap_expect_rc "info --quiet is accepted (then: no device, 4)" 4 $T info --quiet
ktap_expect_rc "keygen --quiet is accepted" 4 $T keygen --type aes256 --label q --quiet
ktap_expect_rc "list --quiet --json are accepted" 4 $T list --quiet --json
ktap_expect_rc "attest --random --quiet is accepted" 4 sh -c "$T attest --random --quiet -o '$tmp/r' 2>/dev/null"
out=$($T policy new --measurement "$(printf 'cd%.0s' $(seq 48))" -o "$tmp/p.json" --quiet 2>&1)
if [ -z "$out" ] && [ -s "$tmp/p.json" ]; then ktap_ok "policy new --quiet writes the file silently"
else ktap_fail "policy new --quiet writes the file silently" "$out"; fi
ktap_expect_rc "--quiet takes no argument" 2 $T info --quiet=1

# attest: a nonce or --random, and nothing but the report on stdout
expect_msg "attest without --report-data or --random is a usage error" 2 \
	"*--report-data*--random*freshness*" $T attest -o "$tmp/r"
expect_msg "attest --report-data and --random together is a usage error" 2 "*not both*" \
	$T attest --random --report-data 00 -o "$tmp/r"
expect_msg "attest --json with the report on stdout is a usage error" 2 "*-o FILE*" \
	sh -c "$T attest --random --json > '$tmp/r'"
expect_msg "attest --random -o - passes its checks, then needs the device" 4 "*vhsm*" \
	sh -c "$T attest --random -o - > '$tmp/r'"

# stdin is read by one input only
printf 'x' > "$tmp/one"
expect_msg "report verify - --vcek - is refused" 2 "*stdin*give one of them as a file*" \
	sh -c "$T report verify - --vcek - < '$tmp/one'"
expect_msg "report verify REPORT --vcek - --crl - is refused" 2 "*stdin*" \
	sh -c "$T report verify '$tmp/one' --vcek - --crl - < '$tmp/one'"

# platform key: the request is checked before the device is opened
expect_msg "platform key needs --label and --type" 2 "*--label and --type*" $T platform key --type aes256
expect_msg "platform key --bind with an unknown field" 2 "*--bind*" \
	$T platform key --label k --type aes256 --bind measurement,colour
expect_msg "platform key --bind tcb needs --tcb" 2 "*--tcb HEX*" \
	$T platform key --label k --type aes256 --bind tcb
expect_msg "platform key refuses an EC type" 2 "*symmetric*" $T platform key --label k --type p256
expect_msg "platform key --root takes vcek or vmrk" 2 "*vcek or vmrk*" \
	$T platform key --label k --type aes256 --root ark
ktap_expect_rc "platform key with good arguments reaches the device (4)" 4 \
	$T platform key --label k --type aes256 --root vmrk --tcb 0000000000000003 --guest-svn 1
ktap_finish
