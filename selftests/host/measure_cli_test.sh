#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool measure, id-block and policy new (ASan/UBSan build): the published
# answers of sev-snp-measure through the command line, --json's input hashes
# against sha256sum, --dump-vmsa, exit codes and messages for bad input, the
# published ID block, and policies from measurements and ID key digests
# checked by report verify on a real AMD-signed report that carries an ID key.
# Env: VHSM_HOST_TOOL (vhsm-tool), VHSM_TESTDATA (the snp test data; the
# measure data is beside it).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/selftests/vhsm/ktap.sh"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
T=$(abspath "${VHSM_HOST_TOOL:-$root/build/host/vhsm-tool}")
TD=$(abspath "${VHSM_TESTDATA:-$root/selftests/testdata/snp}")
MD=$TD/../measure
A=$MD/ovmf_AmdSev_suffix.bin
X=$MD/ovmf_OvmfX64_suffix.bin

PLAN=68
ktap_plan $PLAN
if [ ! -x "$T" ] || [ ! -f "$A" ] || ! command -v jq >/dev/null; then
	i=0
	while [ $i -lt $PLAN ]; do
		ktap_fail "measure cli" "needs $T, $A and jq (make deps)"; i=$((i + 1))
	done
	ktap_finish
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_rc_msg() {
	_name=$1 _want=$2 _pat=$3; shift 3
	_out=$("$@" 2>&1); _rc=$?
	case "$_out" in
	*$_pat*) [ "$_rc" = "$_want" ] && { ktap_ok "$_name"; return; } ;;
	esac
	ktap_fail "$_name" "exit $_rc (wanted $_want), output: $_out"
}
ktap_eq_() { if [ "$2" = "$3" ]; then ktap_ok "$1"; else ktap_fail "$1" "want '$2', got '$3'"; fi; }
m() { "$T" measure --mode snp --vcpu-type EPYC-v4 "$@"; }
K="--kernel /dev/null --initrd /dev/null"

# ---- the published answers (selftests/testdata/measure/README.md) ------------------------
ktap_eq_ "AmdSev, 1 vCPU, kernel, append" \
	803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977 \
	"$(m --vcpus 1 --ovmf "$A" $K --append "console=ttyS0 loglevel=7" --guest-features 0x21)"
ktap_eq_ "AmdSev, 1 vCPU, kernel, empty append" \
	329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198 \
	"$(m --vcpus 1 --ovmf "$A" $K --append "" --guest-features 0x21)"
ktap_eq_ "AmdSev, 1 vCPU, no kernel" \
	e1e1ca029dd7973ab9513295be68198472dcd4fc834bd9af9b63f6e8a1674dbf281a9278a4a2ebe0eed9f22adbcd0e2b \
	"$(m --vcpus 1 --ovmf "$A" --guest-features 0x21)"
ktap_eq_ "AmdSev, 4 vCPUs, kernel" \
	4953b1fb416fa874980e8442b3706d345926d5f38879134e00813c5d7abcbe78eafe7b422907be0b4698e2414a631942 \
	"$(m --vcpus 4 --ovmf "$A" $K --append "" --guest-features 0x21)"
ktap_eq_ "OvmfX64, 1 vCPU, no kernel" \
	28797ae0afaba4005a81e629acebfb59e6687949d6be44007cd5506823b0dd66f146aaae26ff291eed7b493d8a64c385 \
	"$(m --vcpus 1 --ovmf "$X" --guest-features 0x21)"
ktap_rc_msg "OvmfX64 with a kernel: exit 1, no SNP_KERNEL_HASHES section" 1 \
	"no SNP_KERNEL_HASHES section" m --vcpus 1 --ovmf "$X" $K --append "" --guest-features 0x21
OH=086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74
ktap_eq_ "snp:ovmf-hash" "$OH" "$("$T" measure --mode snp:ovmf-hash --ovmf "$A")"
ktap_eq_ "--snp-ovmf-hash gives the full digest" \
	329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198 \
	"$(m --vcpus 1 --ovmf "$A" $K --append "" --guest-features 0x21 --snp-ovmf-hash "$OH")"
ktap_eq_ "ec2 (published)" \
	0ce9ccc06bab55eebe8abc234f3df6514883977a68a591b71052498ab52b2f1aa415db338033946ef93aa8278c0d67fb \
	"$(m --vcpus 1 --ovmf "$A" $K --append "" --guest-features 0x21 --vmm-type ec2)"
ktap_eq_ "gce, 4 vCPUs, no vCPU type needed (published)" \
	5c5debf100fc339f90276e761ee1f1658d08922c3b20e2a2e6c7a6c3370b2452a15a00eae11886a93d6fd1e7ab81e29d \
	"$("$T" measure --mode snp --vcpus 4 --ovmf "$A" $K --append "" --vmm-type gce)"
ktap_eq_ "default guest features are 0x1 (published)" \
	6d287813eb5222d770f75005c664e34c204f385ce832cc2ce7d0d6f354454362f390ef83a92046c042e706363b4b08fa \
	"$(m --vcpus 1 --ovmf "$A" $K --append "console=ttyS0 loglevel=7")"

# ---- output forms --------------------------------------------------------------------------
hex=$(m --vcpus 2 --ovmf "$A")
b64=$(m --vcpus 2 --ovmf "$A" --output-format base64)
ktap_eq_ "--output-format base64 is the same digest" "$hex" "$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
ktap_eq_ "--vcpu-family/model/stepping = EPYC-v4" "$hex" \
	"$("$T" measure --mode snp --vcpus 2 --ovmf "$A" --vcpu-family 23 --vcpu-model 1 --vcpu-stepping 2)"
ktap_eq_ "--vcpu-sig 0x800f12 = EPYC-v4" "$hex" \
	"$("$T" measure --mode snp --vcpus 2 --ovmf "$A" --vcpu-sig 0x800f12)"
milan=$("$T" measure --mode snp --vcpus 2 --ovmf "$A" --vcpu-type EPYC-Milan)
ktap_eq_ "EPYC-Milan = family 25 model 1 stepping 1" "$milan" \
	"$("$T" measure --mode snp --vcpus 2 --ovmf "$A" --vcpu-family 25 --vcpu-model 1 --vcpu-stepping 1)"
if [ "$milan" != "$hex" ]; then ktap_ok "another vCPU type, another digest"
else ktap_fail "another vCPU type, another digest"; fi

printf 'kernel bytes' > "$tmp/k"; printf 'initrd bytes' > "$tmp/i"
"$T" --json measure --mode snp --vcpus 3 --vcpu-type EPYC-Genoa --ovmf "$A" --kernel "$tmp/k" \
	--initrd "$tmp/i" --append "root=/dev/vda1 ro" --guest-features 0x21 > "$tmp/j.json"
ktap_eq_ "--json: kernel sha256 = sha256sum" "$(sha256sum < "$tmp/k" | cut -d' ' -f1)" \
	"$(jq -r .kernel.sha256 "$tmp/j.json")"
ktap_eq_ "--json: initrd sha256 = sha256sum" "$(sha256sum < "$tmp/i" | cut -d' ' -f1)" \
	"$(jq -r .initrd.sha256 "$tmp/j.json")"
ktap_eq_ "--json: cmdline sha256 covers the trailing NUL" \
	"$(printf 'root=/dev/vda1 ro\0' | sha256sum | cut -d' ' -f1)" "$(jq -r .cmdline.sha256 "$tmp/j.json")"
ktap_eq_ "--json: ovmf_hash = snp:ovmf-hash" "$OH" "$(jq -r .ovmf.ovmf_hash "$tmp/j.json")"
ktap_eq_ "--json: measurement = the plain output" \
	"$("$T" measure --mode snp --vcpus 3 --vcpu-type EPYC-Genoa --ovmf "$A" --kernel "$tmp/k" \
	   --initrd "$tmp/i" --append "root=/dev/vda1 ro" --guest-features 0x21)" \
	"$(jq -r .measurement "$tmp/j.json")"
ktap_eq_ "--json: signature, VMM, sections, pages" "0xa10f10 QEMU 7 SNP_KERNEL_HASHES 35" \
	"$(jq -r '[.vcpu_sig, .vmm_type, (.ovmf.sections | length), .ovmf.sections[5].type, .pages] | join(" ")' "$tmp/j.json")"
ktap_eq_ "a different initrd changes the measurement" "different" \
	"$(printf x >> "$tmp/i"; [ "$(m --vcpus 3 --ovmf "$A" --kernel "$tmp/k" --initrd "$tmp/i")" != \
	   "$(m --vcpus 3 --ovmf "$A" --kernel "$tmp/k" --initrd "$tmp/k")" ] && echo different)"

mkdir "$tmp/d"
(cd "$tmp/d" && "$T" --json measure --mode snp --vcpus 4 --vcpu-type EPYC-v4 --ovmf "$A" --dump-vmsa) > "$tmp/d.json"
ktap_check "--dump-vmsa writes vmsa0..3.bin, 4096 bytes each" sh -c \
	"[ \$(cat '$tmp'/d/vmsa[0-3].bin | wc -c) -eq 16384 ] && [ ! -e '$tmp/d/vmsa4.bin' ]"
ktap_check "the three AP VMSAs are identical" sh -c \
	"cmp '$tmp/d/vmsa1.bin' '$tmp/d/vmsa2.bin' && cmp '$tmp/d/vmsa1.bin' '$tmp/d/vmsa3.bin'"
ktap_eq_ "the BSP VMSA's SHA-384 is the one --json reports" "$(jq -r .vmsa.bsp_sha384 "$tmp/d.json")" \
	"$(openssl dgst -sha384 -r "$tmp/d/vmsa0.bin" | cut -d' ' -f1)"
ktap_eq_ "the AP VMSA's SHA-384 too" "$(jq -r .vmsa.ap_sha384 "$tmp/d.json")" \
	"$(openssl dgst -sha384 -r "$tmp/d/vmsa3.bin" | cut -d' ' -f1)"

# ---- bad input ---------------------------------------------------------------------------
ktap_rc_msg "no --mode: usage (2)" 2 "--mode" "$T" measure --vcpus 1 --ovmf "$A"
ktap_rc_msg "--mode sev: usage (2)" 2 "snp" "$T" measure --mode sev --ovmf "$A"
ktap_rc_msg "no --vcpus: usage (2)" 2 "--vcpus" m --ovmf "$A"
ktap_rc_msg "--vcpus 0: usage (2)" 2 "at least 1" m --vcpus 0 --ovmf "$A"
ktap_rc_msg "--vcpus 5000: usage (2)" 2 "--vcpus" m --vcpus 5000 --ovmf "$A"
ktap_rc_msg "unknown --vcpu-type: usage (2), lists the types" 2 "EPYC-Milan" \
	"$T" measure --mode snp --vcpus 1 --ovmf "$A" --vcpu-type EPYC-Banana
ktap_rc_msg "QEMU without a vCPU type: usage (2)" 2 "--vcpu-type" \
	"$T" measure --mode snp --vcpus 1 --ovmf "$A"
ktap_rc_msg "unknown --vmm-type: usage (2)" 2 "QEMU, ec2 or gce" m --vcpus 1 --ovmf "$A" --vmm-type kvm
ktap_rc_msg "--initrd without --kernel: usage (2)" 2 "--kernel required" \
	m --vcpus 1 --ovmf "$A" --initrd /dev/null
ktap_rc_msg "--append without --kernel: usage (2)" 2 "--kernel required" \
	m --vcpus 1 --ovmf "$A" --append quiet
ktap_rc_msg "bad --guest-features: usage (2)" 2 "--guest-features" \
	m --vcpus 1 --ovmf "$A" --guest-features 0xzz
ktap_rc_msg "short --snp-ovmf-hash: usage (2)" 2 "96 hex" m --vcpus 1 --ovmf "$A" --snp-ovmf-hash abcd
ktap_rc_msg "snp:svsm without --svsm: usage (2)" 2 "--svsm" \
	"$T" measure --mode snp:svsm --vcpus 1 --vcpu-type EPYC-v4 --ovmf "$A"
ktap_rc_msg "missing firmware file: exit 1" 1 "cannot open firmware" m --vcpus 1 --ovmf "$tmp/nope.fd"
ktap_rc_msg "missing kernel file: exit 1" 1 "cannot read kernel" \
	m --vcpus 1 --ovmf "$A" --kernel "$tmp/nope"
cp "$A" "$tmp/bad.fd"
printf '\377\377' | dd of="$tmp/bad.fd" bs=1 seek=$((4096 - 50)) conv=notrunc 2>/dev/null
ktap_rc_msg "corrupt footer table: exit 1, says truncated" 1 "truncated" m --vcpus 1 --ovmf "$tmp/bad.fd"
head -c 4000 "$A" > "$tmp/odd.fd"
ktap_rc_msg "firmware not whole pages: exit 1" 1 "4 KiB pages" m --vcpus 1 --ovmf "$tmp/odd.fd"
truncate -s 129M "$tmp/big.fd"
ktap_rc_msg "firmware over 128 MiB: exit 1" 1 "larger than" m --vcpus 1 --ovmf "$tmp/big.fd"
rm -f "$tmp/big.fd"

# ---- snp:svsm on a synthetic SVSM image (the library's digest is checked in measure_unit)
# 8 KiB: SEV metadata at 0x100 (SVSM_CAA at 0x800000), SVSM entry at 0x1000, footer table
head -c 8192 /dev/zero > "$tmp/svsm.bin"
put() { printf "$2" | dd of="$tmp/svsm.bin" bs=1 seek=$(($1)) conv=notrunc 2>/dev/null; }
put 0x100 'ASEV\034\0\0\0\001\0\0\0\001\0\0\0\0\0\200\0\0\020\0\0\004\0\0\0'
put 0x1000 '\364\364\364\364'
put 8142 '\076\0\336\202\265\226\262\037\367\105\272\352\243\146\305\132\010\055'
put 8120 '\0\020\0\0\026\0\022\246\211\247\227\005\113\114\244\237\313\261\376\235\035\335'
put 8098 '\0\037\0\0\026\0\146\145\210\334\112\230\230\107\247\136\125\205\247\277\147\314'
head -c 16384 /dev/zero > "$tmp/vars.fd"
sv() { "$T" measure --mode snp:svsm --vcpus 2 --vcpu-type EPYC-v4 --ovmf "$A" --svsm "$tmp/svsm.bin" "$@"; }
s1=$(sv --vars-size 16384)
ktap_eq_ "snp:svsm: --vars-file = --vars-size of its size" "$s1" "$(sv --vars-file "$tmp/vars.fd")"
s2=$(sv --vars-size 8192)
if [ -n "$s1" ] && [ -n "$s2" ] && [ "$s1" != "$s2" ]; then ktap_ok "snp:svsm: the OVMF_VARS size moves the SVSM: another digest"
else ktap_fail "snp:svsm: the OVMF_VARS size moves the SVSM: another digest" "'$s1' '$s2'"; fi
mkdir "$tmp/sd"
(cd "$tmp/sd" && sv --vars-size 16384 --dump-vmsa --guest-features 0x21 >/dev/null)
ktap_check "snp:svsm --dump-vmsa: both vCPUs start alike" cmp "$tmp/sd/vmsa0.bin" "$tmp/sd/vmsa1.bin"
ktap_rc_msg "snp:svsm without an SVSM information entry: exit 1" 1 "SVSM information" \
	"$T" measure --mode snp:svsm --vcpus 1 --vcpu-type EPYC-v4 --ovmf "$A" --svsm "$A" --vars-size 0
ktap_rc_msg "snp:svsm on ec2: exit 1" 1 "QEMU only" sv --vars-size 16384 --vmm-type ec2

# ---- id-block ------------------------------------------------------------------------------
LD=B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t
"$T" --json id-block --measurement "$LD" --id-key "$MD/id_key_test.pem" \
	--author-key "$MD/author_key_test.pem" -o "$tmp/idb" > "$tmp/idb.json"
ktap_eq_ "id-block: the published ID block" \
	"${LD}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA" "$(jq -r .id_block "$tmp/idb.json")"
ktap_eq_ "id-block: the published ID key digest" \
	hwt+NcU/inLQ0yL3WrKvgmJ5Kq9leWIs5BMcPyHyied8sFYKXjuQs5MuZ07HCcsU "$(jq -r .id_key_digest_base64 "$tmp/idb.json")"
ktap_eq_ "id-block: the published author key digest" \
	YxEcNLv8Ckk4+aAJvQdJgNgXIyPmFZnJ/TNtqGcySOHcqY0L6PdjdqEGuK/UwKBX "$(jq -r .author_key_digest_base64 "$tmp/idb.json")"
ktap_check "id-block -o: raw 96 + 4096 bytes and their base64" sh -c \
	"[ \$(wc -c < '$tmp/idb/id-block.bin') -eq 96 ] && [ \$(wc -c < '$tmp/idb/id-auth.bin') -eq 4096 ] &&
	 [ \"\$(base64 -d < '$tmp/idb/id-auth.b64' | od -An -tx1 -v)\" = \"\$(od -An -tx1 -v < '$tmp/idb/id-auth.bin')\" ]"
hexld=$(printf '%s' "$LD" | base64 -d | od -An -v -tx1 | tr -d ' \n')
ktap_eq_ "id-block: hex measurement = base64 measurement" "$(jq -r .id_block "$tmp/idb.json")" \
	"$("$T" --json id-block --measurement "$hexld" --id-key "$MD/id_key_test.pem" \
	   --author-key "$MD/author_key_test.pem" | jq -r .id_block)"
ktap_rc_msg "id-block: bad measurement: usage (2)" 2 "--measurement" \
	"$T" id-block --measurement abc --id-key "$MD/id_key_test.pem" --author-key "$MD/author_key_test.pem"
ktap_rc_msg "id-block: policy without bit 17: exit 1" 1 "bit 17" \
	"$T" id-block --measurement "$LD" --policy 0x10000 --id-key "$MD/id_key_test.pem" \
	--author-key "$MD/author_key_test.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/p256.pem" 2>/dev/null
ktap_rc_msg "id-block: a P-256 ID key: exit 1" 1 "P-384" \
	"$T" id-block --measurement "$LD" --id-key "$tmp/p256.pem" --author-key "$MD/author_key_test.pem"

openssl ec -in "$MD/id_key_test.pem" -aes256 -passout pass:x -out "$tmp/enc.pem" 2>/dev/null
ktap_rc_msg "id-block: an encrypted ID key: exit 1, no prompt" 1 "unencrypted" \
	"$T" id-block --measurement "$LD" --id-key "$tmp/enc.pem" --author-key "$MD/author_key_test.pem"

# ---- policy new, checked by report verify on a report with an ID key -------------------
R=$TD/trustee/test-report.bin
V=$TD/trustee/test-vcek.der
meas=$("$T" --json report show "$R" | jq -r .measurement)
idk=$("$T" --json report show "$R" | jq -r .id_key_digest)
"$T" policy new --measurement "$meas" --id-key-digest "$idk" --min-tcb bl=0,snp=1 -o "$tmp/p.json" 2>/dev/null
ktap_rc_msg "policy of this measurement and ID key: verified, digest shown" 0 "id_key_digest      $idk" \
	"$T" report verify "$R" --vcek "$V" --policy "$tmp/p.json"
ktap_eq_ "policy new writes the existing keys" "1 $meas 1 1" \
	"$(jq -r '[(.measurements | length), .measurements[0], .min_tcb.snp, (.id_key_digest | length)] | join(" ")' "$tmp/p.json")"
"$T" policy new --measurement "$hex" -o "$tmp/other.json" 2>/dev/null
ktap_rc_msg "another measurement is refused (3)" 3 "refused: measurement:" \
	"$T" report verify "$R" --vcek "$V" --policy "$tmp/other.json"
"$T" policy new --measurement "$meas" --id-key-digest "$(jq -r .id_key_digest "$tmp/idb.json")" > "$tmp/k.json"
ktap_rc_msg "another ID key is refused (3), named id_key" 3 "refused: id_key:" \
	"$T" report verify "$R" --vcek "$V" --policy "$tmp/k.json"
"$T" policy new --measurement "$meas" --author-key-digest "$(jq -r .author_key_digest "$tmp/idb.json")" > "$tmp/a.json"
ktap_rc_msg "an author key pinned, none in the launch: refused (3)" 3 "no author key" \
	"$T" report verify "$R" --vcek "$V" --policy "$tmp/a.json"
printf '{"id_key_digest": "%s"}\n' "$idk" > "$tmp/s.json"
ktap_check "id_key_digest as a single string" "$T" report verify "$R" --vcek "$V" --policy "$tmp/s.json"
ktap_rc_msg "policy new without --measurement: usage (2)" 2 "--measurement" "$T" policy new
ktap_rc_msg "policy new --min-tcb bad: usage (2)" 2 "--min-tcb" \
	"$T" policy new --measurement "$meas" --min-tcb snp=300
ktap_rc_msg "policy without 'new': usage (2)" 2 "new" "$T" policy old
ktap_finish
