/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef VHSM_INTERNAL_H
#define VHSM_INTERNAL_H

#include <vhsm/vhsm.h>

struct vhsm {
	int fd;
	char *path;
};

/* ioctl(2) with EINTR retry; 0 or -errno. The only caller of ioctl(2). */
int _vhsm_ioctl(struct vhsm *h, unsigned long cmd, void *arg);

#endif /* VHSM_INTERNAL_H */
