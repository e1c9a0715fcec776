// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Error descriptions for the key store and key operations. The device-level
 * descriptions (vhsm_strerror()) read -ENOENT and -EACCES as "no device" and
 * "not in the device group"; once the device is open they mean the key.
 */
#include <errno.h>

#include "internal.h"

struct errmsg {
	int err;
	const char *msg;
};

static const struct errmsg key_errmsgs[] = {
	{ ENOENT, "no such key, or one you may not see: 'vhsm-tool list' shows yours" },
	{ EACCES, "the key's mode does not let you do this: ask its owner" },
	{ EPERM, "not permitted: the key lacks the usage flag for this operation, or the operation needs privileges you lack" },
	{ EOPNOTSUPP, "this key's type cannot do this, or the module does not support the request" },
	{ EEXIST, "you already own a key with this label: choose another or destroy the old one" },
	{ EDQUOT, "key quota exhausted: destroy keys you no longer need" },
	{ E2BIG, "data too large for one call: see max_data_len in 'vhsm-tool info'" },
	{ ENOSPC, "output buffer too small" },
	{ EBADMSG, "authentication failed: wrong key, or the data, IV, tag or signature was modified" },
	{ EINVAL, "invalid argument: the module refused the type, usage, mode, length, label or data" },
	{ EBUSY, "the module is busy: no new keys while the system hibernates (try again once it has resumed)" },
	{ EMSGSIZE, "sealed blob truncated or oversized: its length is not what its header says" },
	{ EPROTONOSUPPORT, "sealed blob of a version this module does not know" },
	{ ENOTTY, "not a vhsm device, or a module without a key store (module older than the library?)" },
};

const char *vhsm_key_strerror(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(key_errmsgs) / sizeof(key_errmsgs[0]); i++)
		if (key_errmsgs[i].err == err)
			return key_errmsgs[i].msg;
	return vhsm_strerror(err);
}
