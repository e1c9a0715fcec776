#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build vhsm.ko and vhsm_tsm.ko for the debug-lane kernel (KDIR) without
# touching the normal build, which builds in kmod/ itself: the module's
# sources (Kbuild, VERSION, kmod/*.[ch], uapi/) are mirrored into DIR and
# built there, with the same W=1 + sparse + -Werror rules (scripts/kbuild.sh).
# Only sources are copied (mtimes kept, so a rebuild is incremental); a source
# gone from kmod/ is removed from DIR too.
#
# usage: kbuild-debug.sh KDIR DIR [VAR=VALUE...]   (the modules end up in
#        DIR/kmod/; VAR=VALUE go to Kbuild, e.g. VHSM_SIM=n for the production
#        build that `make module-nosim` and `make install` use)
set -eu
kdir=$1 dir=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

mkdir -p "$dir/kmod" "$dir/uapi"
cp -p "$top/Kbuild" "$top/VERSION" "$dir/"
for f in "$dir"/kmod/*.[ch]; do
	[ -e "$f" ] && [ ! -e "$top/kmod/$(basename "$f")" ] && rm -f "$f"
done
cp -p "$top"/kmod/*.[ch] "$top/kmod/Kbuild" "$dir/kmod/"
cp -pR "$top/uapi/." "$dir/uapi/"
"$here/kbuild.sh" "$kdir" "$(cd "$dir" && pwd)" "$@"
