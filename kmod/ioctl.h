/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_IOCTL_H
#define _VHSM_IOCTL_H

#include <linux/types.h>

struct file;

long vhsm_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/*
 * Variable-length user buffers: copied in exactly once into kernel memory
 * (free with kfree_sensitive), bounded by @max (-E2BIG above).
 */
void *vhsm_ubuf_copy_in(u64 uptr, u32 len, u32 max);
int vhsm_ubuf_copy_out(u64 uptr, const void *buf, u32 len);

/* True when @p[0..len) is all zero: reserved fields and padding. */
bool vhsm_all_zero(const void *p, size_t len);

#endif /* _VHSM_IOCTL_H */
