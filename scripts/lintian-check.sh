#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lintian on the packages `make deb` built in DIR: any error (E:) fails;
# warnings and the rest are listed in DIR/lintian.txt and counted.
# usage: lintian-check.sh DIR
set -eu
dir=$1
changes=$(ls "$dir"/*.changes 2>/dev/null | head -n 1)
[ -n "$changes" ] || { echo "lintian-check: no .changes in $dir (make deb)" >&2; exit 1; }
command -v lintian >/dev/null || { echo "lintian-check: lintian not installed (make deps)" >&2; exit 1; }
# lintian exits non-zero on errors; the count below decides
lintian --display-info --pedantic "$changes" > "$dir/lintian.txt" 2>&1 || true
e=$(grep -c '^E: ' "$dir/lintian.txt" || true)
w=$(grep -c '^W: ' "$dir/lintian.txt" || true)
echo "  LINTIAN  $(ls "$dir"/*.deb | wc -l) packages: $e errors, $w warnings ($dir/lintian.txt)"
if [ "$e" -ne 0 ]; then
	grep '^E: ' "$dir/lintian.txt" >&2
	exit 1
fi
