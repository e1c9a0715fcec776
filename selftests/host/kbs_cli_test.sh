#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-kbs's command line (ASan/UBSan build, with the crash points of
# tools/vhsm-kbs/state.c): resources and policy in the state directory,
# path checks, crash-safe replacement (SIGKILL injected after the write,
# before and after the rename, and at random moments of a put), TLS serving
# on loopback checked with curl, the JSON log and the SIGTERM exit.
# Env: VHSM_KBS (default build/host/vhsm-kbs).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

KBS=${VHSM_KBS:-$root/build/host/vhsm-kbs}
case $KBS in /*) ;; *) KBS=$PWD/$KBS ;; esac
N=32
ktap_plan $N
if [ ! -x "$KBS" ] || ! command -v openssl >/dev/null || ! command -v curl >/dev/null ||
   ! command -v jq >/dev/null; then
	i=0
	while [ $i -lt $N ]; do ktap_fail "kbs cli" "no $KBS, openssl, curl or jq"; i=$((i + 1)); done
	ktap_finish
	exit 1
fi

tmp=$(mktemp -d)
srv_pid=
trap '[ -n "$srv_pid" ] && kill -9 $srv_pid 2>/dev/null; rm -rf "$tmp"' EXIT
st=$tmp/state
kbs() { "$KBS" --state "$st" "$@"; }
ktap_eq() {
	if [ "$2" = "$3" ]; then ktap_ok "$1"; else ktap_fail "$1" "want '$2', got '$3'"; fi
}

# ---- resources -----------------------------------------------------------------
printf 'first' > "$tmp/v1"
printf 'second' > "$tmp/v2"
ktap_check "resource put" kbs resource put repo/type/tag "$tmp/v1"
ktap_check "resource put from stdin" sh -c "printf x | '$KBS' --state '$st' resource put a/b/c -"
ktap_eq "resource list, sorted" "a/b/c repo/type/tag" "$(kbs resource list | tr '\n' ' ' | sed 's/ $//')"
ktap_eq "resource file is mode 0600, directories 0700" "600 700 700" \
	"$(stat -c %a "$st/resources/repo/type/tag" "$st/resources/repo" "$st" | tr '\n' ' ' | sed 's/ $//')"
ktap_check "resource put replaces" kbs resource put repo/type/tag "$tmp/v2"
ktap_eq "the new bytes are stored" "second" "$(cat "$st/resources/repo/type/tag")"
ktap_check "resource delete" kbs resource delete a/b/c
ktap_expect_rc "deleting a missing resource fails" 1 kbs resource delete a/b/c
ok=1
for p in ../x/y x/../y x/y/.. .x/y/z a/b a/b/c/d /a/b/c 'a/b/c d' 'a/b/%2e%2e'; do
	out=$(kbs resource put "$p" "$tmp/v1" 2>&1); rc=$?
	if [ $rc != 2 ]; then ok=0; echo "# $p: exit $rc: $out"; fi
done
if [ $ok = 1 ] && [ ! -e "$tmp/x" ] && [ ! -e "$st/x" ]; then
	ktap_ok "traversal and malformed paths refused (exit 2), nothing written"
else
	ktap_fail "traversal and malformed paths refused (exit 2), nothing written"
fi
head -c 65537 /dev/zero > "$tmp/big"
ktap_expect_rc "a resource over 64 KiB is refused" 1 kbs resource put repo/type/big "$tmp/big"
ktap_expect_rc "no --state: usage" 2 "$KBS" resource list
ktap_expect_rc "unknown command: usage" 2 kbs frobnicate
ktap_check "--help" "$KBS" --help

# ---- crash-safe replacement ----------------------------------------------------
kbs resource put repo/type/tag "$tmp/v1"
for point in after-write before-rename; do
	VHSM_KBS_FAULT=$point "$KBS" --state "$st" resource put repo/type/tag "$tmp/v2" 2>/dev/null
	rc=$?
	ktap_eq "killed $point (SIGKILL)" 137 "$rc"
	ktap_eq "killed $point: the old resource is intact" "first" \
		"$(cat "$st/resources/repo/type/tag")"
done
ktap_eq "the crash leftovers are not listed" "repo/type/tag" "$(kbs resource list)"
VHSM_KBS_FAULT=after-rename "$KBS" --state "$st" resource put repo/type/tag "$tmp/v2" 2>/dev/null
ktap_eq "killed after the rename: the new resource is complete" "second" \
	"$(cat "$st/resources/repo/type/tag")"
# SIGKILL at random moments of puts that alternate two 60 KiB contents:
# the file is always one of them, whole.
head -c 61440 /dev/zero | tr '\0' A > "$tmp/A"
head -c 61440 /dev/zero | tr '\0' B > "$tmp/B"
kbs resource put repo/type/race "$tmp/A"
ok=1 i=0
while [ $i -lt 20 ]; do
	f=$tmp/A; [ $((i % 2)) = 1 ] && f=$tmp/B
	"$KBS" --state "$st" resource put repo/type/race "$f" 2>/dev/null &
	p=$!
	sleep "0.0$((i % 10))"
	kill -9 $p 2>/dev/null
	wait $p 2>/dev/null
	if ! cmp -s "$st/resources/repo/type/race" "$tmp/A" &&
	   ! cmp -s "$st/resources/repo/type/race" "$tmp/B"; then
		ok=0
		echo "# round $i: torn file"
	fi
	i=$((i + 1))
done
if [ $ok = 1 ]; then ktap_ok "20 puts killed at random moments: never a torn resource"
else ktap_fail "20 puts killed at random moments: never a torn resource"; fi

# ---- policy ----------------------------------------------------------------------
echo '{"allow_debug": false, "min_tcb": {"bl": 3}}' > "$tmp/p1"
echo '{"allow_debug": true}' > "$tmp/p2"
ktap_check "policy set" kbs policy set "$tmp/p1"
ktap_eq "policy file is mode 0600" 600 "$(stat -c %a "$st/policy.json")"
echo '{"allow_debug": "yes"}' > "$tmp/bad"
out=$(kbs policy set "$tmp/bad" 2>&1); rc=$?
case "$rc:$out" in
1:*'"allow_debug": expected true or false'*) ktap_ok "an invalid policy is refused, the bad key named" ;;
*) ktap_fail "an invalid policy is refused, the bad key named" "exit $rc: $out" ;;
esac
VHSM_KBS_FAULT=before-rename "$KBS" --state "$st" policy set "$tmp/p2" 2>/dev/null
ktap_eq "policy set killed before the rename: the old policy stays" "$(cat "$tmp/p1")" \
	"$(cat "$st/policy.json")"

# ---- serving ---------------------------------------------------------------------
ktap_expect_rc "plain HTTP on 0.0.0.0 refused (usage)" 2 kbs serve --listen 0.0.0.0:0
ktap_expect_rc "--tls-cert without --tls-key: usage" 2 kbs serve --listen 127.0.0.1:0 \
	--tls-cert "$tmp/v1"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null
"$KBS" --state "$st" serve --listen 127.0.0.1:0 --port-file "$tmp/port" \
	--tls-cert "$tmp/tls.crt" --tls-key "$tmp/tls.key" 2> "$tmp/log" &
srv_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$tmp/port" 2>/dev/null)
out=$(curl -s --max-time 10 --cacert "$tmp/tls.crt" -X POST \
	-d '{"version":"0.4.0","tee":"snp","extra-params":""}' \
	"https://127.0.0.1:$port/kbs/v0/auth")
case $out in
*'"nonce":'*) ktap_ok "TLS on loopback: /auth answers a nonce" ;;
*) ktap_fail "TLS on loopback: /auth answers a nonce" "$out" ;;
esac
if curl -s --max-time 10 "https://127.0.0.1:$port/kbs/v0/auth" -o /dev/null; then
	ktap_fail "an untrusted certificate is refused by the client"
else
	ktap_ok "an untrusted certificate is refused by the client"
fi
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/kbs/v0/auth")
ktap_eq "plain HTTP to the TLS port gets no HTTP answer" 000 "$code"
kill -TERM $srv_pid
wait $srv_pid
rc=$?
srv_pid=
ktap_eq "SIGTERM: exit 0" 0 "$rc"
if jq -e . < "$tmp/log" > /dev/null 2>&1 && [ "$(jq -r .event < "$tmp/log" | tail -1)" = stopped ]; then
	ktap_ok "every log line is JSON, the last says stopped"
else
	ktap_fail "every log line is JSON, the last says stopped" "$(cat "$tmp/log")"
fi
ktap_eq "the /auth decision was logged" "auth allow 200" \
	"$(jq -r 'select(.endpoint) | "\(.endpoint) \(.verdict) \(.status)"' < "$tmp/log" | head -1)"
ktap_finish
