/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef VHSM_INTERNAL_H
#define VHSM_INTERNAL_H

#include <errno.h>
#include <stdint.h>

#include <vhsm/vhsm.h>

struct vhsm {
	int fd;
	char *path;
};

/* ioctl(2) with EINTR retry; 0 or -errno. The only caller of ioctl(2). */
int _vhsm_ioctl(struct vhsm *h, unsigned long cmd, void *arg);

/*
 * The end of a call that makes a key: @ret is what _vhsm_ioctl() returned,
 * @got the handle the module wrote back. A handle is never 0.
 */
static inline int _vhsm_handle_out(int ret, uint32_t got, uint32_t *handle)
{
	if (ret)
		return ret;
	if (!got)
		return -EPROTO;
	*handle = got;
	return 0;
}

#endif /* VHSM_INTERNAL_H */
