#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vhsm-tool (ASan/UBSan build) on the host, where there is no vhsm device:
# usage handling and exit codes.
. "$(dirname "$0")/../vhsm/ktap.sh"
T=${VHSM_HOST_TOOL:?}

ktap_plan 9
ktap_expect_rc "--help exits 0" 0 $T --help
ktap_expect_rc "--version exits 0" 0 $T --version
ktap_expect_rc "no command exits 2" 2 $T
ktap_expect_rc "unknown command exits 2" 2 $T frobnicate
ktap_expect_rc "unknown global option exits 2" 2 $T --frobnicate info
ktap_expect_rc "info with a stray argument exits 2" 2 $T info extra
ktap_expect_rc "missing device exits 4" 4 $T --device /nonexistent/vhsm info
ktap_expect_rc "a device that is not vhsm exits 1" 1 $T --device /dev/null info
out=$($T --device /nonexistent/vhsm info 2>&1)
case "$out" in
*"cannot open /nonexistent/vhsm"*"vhsm.ko"*) ktap_ok "missing device message says what to do" ;;
*) ktap_fail "missing device message says what to do" "$out" ;;
esac
ktap_finish
