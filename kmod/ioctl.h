/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_IOCTL_H
#define _VHSM_IOCTL_H

struct file;

long vhsm_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _VHSM_IOCTL_H */
