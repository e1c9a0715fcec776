#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the host unit tests (built with ASan and UBSan) and record their TAP in
# LOG with the same begin/end markers as the VM run; LOG.expected lists them.
# usage: run.sh BUILD LOG "C_TESTS" "SH_TESTS"
set -u
build=$1 log=$2 ctests=$3 shtests=$4
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export VHSM_HOST_TOOL="$build/host/vhsm-tool"
export VHSM_TESTCA="$build/host/vhsm-testca"
export VHSM_KBS="$build/host/vhsm-kbs"
export VHSM_TESTDATA="$here/../testdata/snp"
export VHSM_FUZZ_DIR="$build/fuzz" VHSM_FUZZ_TIME="${VHSM_FUZZ_TIME:-15}"
printf '%s\n' $ctests $shtests > "$log.expected"
: > "$log"
for t in $ctests $shtests; do
	case $t in
	*.sh) cmd="$here/$t" ;;
	*) cmd="$build/host/$t" ;;
	esac
	echo "vhsm-run: begin $t" >> "$log"
	timeout 300 "$cmd" >> "$log" 2>&1
	echo "vhsm-run: end $t rc=$?" >> "$log"
done
echo "host: $(grep -c '^ok ' "$log") ok, $(grep -c '^not ok ' "$log") not ok (details in $log)"
