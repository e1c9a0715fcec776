#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Keys must not reach a hibernation image: while keys are held, vhsm refuses
# hibernation (unless allow_hibernation=1), and while a hibernation is under
# way (PM_HIBERNATION_PREPARE until PM_POST_HIBERNATION) no key may be made.
# Opening /dev/snapshot for reading runs the PREPARE notifiers and closing it
# the POST ones (the uswsusp interface), without freezing anything, so the
# window can be held open while vhsm-tool runs. Leaves three keys for
# unload_test.
. "$(dirname "$0")/ktap.sh"
T=vhsm-tool
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

ktap_plan 9

n=$($T --json list | jq '.keys | length')
if [ "$n" = 0 ]; then
	ktap_ok "no keys held at the start"
else
	ktap_fail "no keys held at the start" "$n keys left by earlier tests: $($T list)"
fi

openssl ecparam -name prime256v1 -genkey -noout -out "$d/ec.key" 2>/dev/null
openssl ec -in "$d/ec.key" -pubout -out "$d/ec.pub" 2>/dev/null
# with /dev/snapshot open: hibernation prepared; every way of making a key is refused
out=$( { echo opened
	$T keygen --type aes256 --label pm.busy; echo "keygen=$?"
	$T import --public --type p256 --label pm.pub -i "$d/ec.pub"; echo "import=$?"
	$T --json list | jq '.keys | length'; } 3<"/dev/snapshot" 2>&1 )
case "$out" in
*opened*) ktap_ok "hibernation prepared with no keys held (/dev/snapshot opened)" ;;
*) ktap_fail "hibernation prepared with no keys held (/dev/snapshot opened)" "$out" ;;
esac
case "$out" in
*keygen=1*import=1*) ktap_ok "keygen and public import refused while hibernation is under way (1)" ;;
*) ktap_fail "keygen and public import refused while hibernation is under way (1)" "$out" ;;
esac
case "$out" in
*"busy"*) ktap_ok "the refusal says the device is busy" ;;
*) ktap_fail "the refusal says the device is busy" "$out" ;;
esac

# closed: PM_POST_HIBERNATION ends the window
ok=1
for i in 1 2 3; do $T keygen --type aes256 --label pm.$i >/dev/null || ok=0; done
[ $ok = 1 ] && ktap_ok "three keys made once hibernation ended" ||
	ktap_fail "three keys made once hibernation ended"

if ! grep -qw disk /sys/power/state; then
	ktap_fail "hibernation available in the test VM" "$(cat /sys/power/state)"
else
	ktap_ok "hibernation available in the test VM"
fi
err=$( (echo disk > /sys/power/state) 2>&1 ); rc=$?
if [ $rc -ne 0 ] && dmesg | tail -n 30 | grep -qE "refusing hibernation: [0-9]+ keys"; then
	ktap_ok "hibernation refused while keys are held"
else
	ktap_fail "hibernation refused while keys are held" "rc=$rc $err; $(dmesg | tail -n 5)"
fi
if (: 3<"/dev/snapshot") 2>/dev/null; then
	ktap_fail "/dev/snapshot refused while keys are held" "it opened"
else
	ktap_ok "/dev/snapshot refused while keys are held"
fi
# a refused hibernation leaves no window open behind it
ktap_check "keys can still be made after a refused hibernation" sh -c \
	"$T keygen --type aes128 --label pm.after >/dev/null && $T destroy pm.after"
ktap_finish
