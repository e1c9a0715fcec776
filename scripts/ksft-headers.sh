#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Extract the kernel's kselftest framework headers (kselftest_harness.h and
# kselftest.h) from Debian's linux-source-6.12 tarball into DIR. They are used
# at build time only and never committed.
set -eu
out=${1:?usage: ksft-headers.sh OUTDIR}
[ -f "$out/kselftest_harness.h" ] && [ -f "$out/kselftest.h" ] && exit 0
tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "ksft-headers: linux-source-6.12 is not installed (run: make deps)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h"
mkdir -p "$out"
cp "$tmp/$top/tools/testing/selftests/kselftest_harness.h" \
   "$tmp/$top/tools/testing/selftests/kselftest.h" "$out/"
