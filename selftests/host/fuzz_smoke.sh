#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run each libFuzzer target for VHSM_FUZZ_TIME seconds on seeds made from the
# real reports and certificates; a crash, leak or sanitizer report fails.
# `make check` runs it briefly, `make fuzz` for long.
. "$(dirname "$0")/../vhsm/ktap.sh"
dir=${VHSM_FUZZ_DIR:?} td=${VHSM_TESTDATA:?} secs=${VHSM_FUZZ_TIME:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/report" "$work/certtable" "$work/ovmf" "$work/kbs" "$work/jose" "$work/seal" \
	"$work/policy"
# policy seeds: every key of the verifier's JSON policy
echo '{"allow_debug": true, "min_tcb": {"bl": 1, "tee": 0, "snp": 8, "ucode": 115, "fmc": 1}, "max_vmpl": 1}' > "$work/policy/a.json"
echo '{"measurements": ["'"$(printf '%096d' 0)"'"], "host_data": "'"$(printf '%064d' 0)"'", "report_data": "'"$(printf '%0128d' 0)"'"}' > "$work/policy/b.json"
echo '{"family_id": "'"$(printf '%032d' 0)"'", "image_id": "'"$(printf '%032d' 1)"'", "chip_ids": ["'"$(printf '%0128d' 0)"'"], "min_build": 3}' > "$work/policy/c.json"
echo '{"platform_info_required": ["tsme_en"], "platform_info_forbidden": ["smt_en"], "allow_provisional_firmware": false, "min_abi": "1.55", "signing_keys": ["vcek"], "exact_vmpl": 0}' > "$work/policy/d.json"
echo '{"min_launch_tcb": {"snp": 1}, "min_committed_tcb": {"ucode": 2}, "id_key_digest": "'"$(printf '%096d' 0)"'", "author_key_digest": [], "min_guest_svn": 2, "require_smt_disabled": true, "forbid_migration_agent": true, "require_single_socket": true}' > "$work/policy/e.json"
cp "$td"/../measure/*.bin "$work/ovmf/"
cp "$td/trustee/e2e-evidence.json" "$td"/../kbs/*.json "$work/kbs/"
for f in $(find "$td" -name '*report*.bin' -size 1184c) "$td/go-sev-guest/attestation.bin"; do
	cp "$f" "$work/report/$(echo "$f" | tr '/' '_')"
done

# JOSE seeds: the reference JWE's protected header (selector 0), its
# base64url members (1) and its nonce (2)
kbs=${VHSM_KBS_TESTDATA:-$td/../kbs}
jwe="$kbs/jwe_ecdh_es_a256kw_example.json"
{ printf '\000'; jq -j .protected_header_json "$jwe"; } > "$work/jose/header"
for m in protected encrypted_key iv ciphertext tag; do
	{ printf '\001'; jq -j ".response.$m" "$jwe"; } > "$work/jose/b64_$m"
done
{ printf '\002'; jq -j .nonce "$kbs/report_data_example.json"; } > "$work/jose/nonce"

# a well-formed version 1 sealed blob: an aes256 key labelled "seed" with
# usage encrypt,decrypt,seal and mode 0700, bound to every field (0x3f);
# salt, IV, ciphertext and tag zero (the parser does not decrypt)
{ printf 'vhSB\001\000\260\000'; head -c 8 /dev/zero; printf '\077'; head -c 19 /dev/zero
  printf '\002\000\000\000\003\001\000\000\300\001\000\000\040\000\000\000'
  head -c 60 /dev/zero; printf 'seed'; head -c 108 /dev/zero; } > "$work/seal/aes256"

ktap_plan 8
ktap_check "certificate-table seeds built from real certificates" "$dir/certtable_seed" \
	"$work/certtable" "$td/trustee/test-vcek.der" "$td/amd-roots/milan_ask.pem" \
	"$td/amd-roots/milan_ark.pem"
for t in report certtable ovmf kbs jose seal policy; do
	if out=$("$dir/${t}_fuzz" -max_total_time="$secs" -print_final_stats=1 \
		 -artifact_prefix="$work/" "$work/$t" 2>&1); then
		ktap_ok "${t}_fuzz ran ${secs}s: $(printf '%s\n' "$out" | grep -o 'stat::number_of_executed_units: *[0-9]*' | grep -o '[0-9]*$') inputs, no crash"
	else
		ktap_fail "${t}_fuzz" "$(printf '%s\n' "$out" | tail -n 30)"
	fi
done
ktap_finish
