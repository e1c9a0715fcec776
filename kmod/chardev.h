/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_CHARDEV_H
#define _VHSM_CHARDEV_H

#include <linux/types.h>

int vhsm_chardev_init(void);
void vhsm_chardev_exit(void);
bool vhsm_chardev_caller_allowed(void);

#endif /* _VHSM_CHARDEV_H */
