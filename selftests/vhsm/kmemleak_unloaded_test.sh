#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The debug lane's last kmemleak pass, after unload_test.sh has removed vhsm:
# what vhsm allocated and did not free is unreferenced now (a second name
# for kmemleak_test.sh, since the harness reports each program once).
exec "$(dirname "$0")/kmemleak_test.sh" "$@"
