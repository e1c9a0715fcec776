// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Error descriptions in vhsm's terms: each says what went wrong and what to do.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

struct errmsg {
	int err;
	const char *msg;
};

static const struct errmsg vhsm_errmsgs[] = {
	{ ENOENT, "vhsm device not found: is vhsm.ko loaded (modprobe vhsm)?" },
	{ ENODEV, "no vhsm device or platform available" },
	{ ENXIO, "vhsm device not available" },
	{ EACCES, "permission denied: the caller is not in the vhsm device group" },
	{ EPERM, "operation not permitted for this caller" },
	{ ENOTTY, "not a vhsm device, or an ioctl this module does not know (module older than the library?)" },
	{ EINVAL, "invalid argument: a size, length or reserved field is wrong" },
	{ EOPNOTSUPP, "operation or flag not supported by this module or platform" },
	{ E2BIG, "argument too large for this module" },
	{ EFAULT, "bad address passed to the vhsm device" },
	{ ENOMEM, "out of memory" },
	{ EPROTO, "the module answered in an ABI this library does not understand" },
	{ EDQUOT, "key quota exhausted" },
	{ EKEYREJECTED, "refused: verification or policy check failed" },
	{ EBADMSG, "malformed or unauthenticated input" },
};

const char *vhsm_strerror(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	if (err == 0)
		return "success";
	for (i = 0; i < sizeof(vhsm_errmsgs) / sizeof(vhsm_errmsgs[0]); i++)
		if (vhsm_errmsgs[i].err == err)
			return vhsm_errmsgs[i].msg;
	return strerror(err);
}
