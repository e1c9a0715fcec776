// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VHSM_IOC_INFO: what the module is, which platform it runs on, what it can do.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int vhsm_info(struct vhsm *h, struct vhsm_info *info)
{
	int ret;

	if (!h || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	ret = _vhsm_ioctl(h, VHSM_IOC_INFO, info);
	if (ret)
		return ret;
	/* Strings come NUL-padded; make sure a newer module cannot break that. */
	info->module_version[sizeof(info->module_version) - 1] = '\0';
	info->platform_name[sizeof(info->platform_name) - 1] = '\0';
	if (info->abi_version < 1)
		return -EPROTO;
	return 0;
}
