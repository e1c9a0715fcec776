// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core_at_import.so: LD_PRELOAD for provision_test.sh. It passes every
 * ioctl(2) through and aborts the process (dumping core) right after a
 * successful VHSM_IOC_SESSION_IMPORT, so the test can search the client's
 * whole memory, at the moment the key is stored, for the resource bytes.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/vhsm.h>

int ioctl(int fd, unsigned long req, ...);

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "ioctl");
	if (!real)
		abort();
	ret = real(fd, req, arg);
	if (req == VHSM_IOC_SESSION_IMPORT && ret == 0)
		abort();
	return ret;
}
