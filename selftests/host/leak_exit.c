// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kselftest harness runs every test in a forked child that ends with
 * _exit(), which skips LeakSanitizer's check at exit. Host tests are linked
 * with -Wl,--wrap=_exit so that each child checks for leaks before it goes:
 * a leak turns a passing test into a failing one.
 */
#include <sanitizer/lsan_interface.h>

void __real__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	if (__lsan_do_recoverable_leak_check() && status == 0)
		status = 1;
	__real__exit(status);
}
