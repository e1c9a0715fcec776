#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build vhsm.ko with W=1 and sparse (C=1); fail on any compiler or sparse warning.
# usage: kbuild.sh KDIR SRC [VAR=VALUE...]   (e.g. VHSM_SIM=n, passed to Kbuild)
set -eu
kdir=$1 src=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -C "$kdir" M="$src" W=1 C=1 KCFLAGS=-Werror "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
grep -v -E '^make(\[[0-9]+\])?: (Entering|Leaving) directory' "$log" | grep -E '^  [A-Z]' || true
# make's own notes (e.g. "jobserver unavailable" under make -jN) are not
# compiler or sparse warnings
if grep -v -E '^make(\[[0-9]+\])?: ' "$log" | grep -E 'warning:|error:' >&2; then
	echo "kbuild: warnings above (W=1 or sparse); the module must build clean" >&2
	exit 1
fi
