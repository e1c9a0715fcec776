/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Read-only module parameters (counters, derived values): shown in
 * /sys/module/.../parameters, refused on the insmod command line. A
 * kernel_param_ops without .set would have the kernel call a NULL pointer
 * when such a parameter is given at load.
 */
#ifndef _VHSM_PARAM_RO_H
#define _VHSM_PARAM_RO_H

#include <linux/moduleparam.h>
#include <linux/printk.h>

static inline int vhsm_param_set_readonly(const char *val, const struct kernel_param *kp)
{
	pr_err("%s is read-only: it reports state and cannot be set\n", kp->name);
	return -EPERM;
}

#endif /* _VHSM_PARAM_RO_H */
