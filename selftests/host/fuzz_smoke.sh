#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run each libFuzzer target for VHSM_FUZZ_TIME seconds on seeds made from the
# real reports and certificates; a crash, leak or sanitizer report fails.
# `make check` runs it briefly, `make fuzz` for long.
. "$(dirname "$0")/../vhsm/ktap.sh"
dir=${VHSM_FUZZ_DIR:?} td=${VHSM_TESTDATA:?} secs=${VHSM_FUZZ_TIME:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/report" "$work/certtable" "$work/ovmf" "$work/kbs"
cp "$td"/../measure/*.bin "$work/ovmf/"
cp "$td/trustee/e2e-evidence.json" "$td"/../kbs/*.json "$work/kbs/"
for f in $(find "$td" -name '*report*.bin' -size 1184c) "$td/go-sev-guest/attestation.bin"; do
	cp "$f" "$work/report/$(echo "$f" | tr '/' '_')"
done

ktap_plan 5
ktap_check "certificate-table seeds built from real certificates" "$dir/certtable_seed" \
	"$work/certtable" "$td/trustee/test-vcek.der" "$td/amd-roots/milan_ask.pem" \
	"$td/amd-roots/milan_ark.pem"
for t in report certtable ovmf kbs; do
	if out=$("$dir/${t}_fuzz" -max_total_time="$secs" -print_final_stats=1 \
		 -artifact_prefix="$work/" "$work/$t" 2>&1); then
		ktap_ok "${t}_fuzz ran ${secs}s: $(printf '%s\n' "$out" | grep -o 'stat::number_of_executed_units: *[0-9]*' | grep -o '[0-9]*$') inputs, no crash"
	else
		ktap_fail "${t}_fuzz" "$(printf '%s\n' "$out" | tail -n 30)"
	fi
done
ktap_finish
