/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_KEYRING_EXPORT_H
#define _VHSM_KEYRING_EXPORT_H

#include <linux/vhsm.h>

int vhsm_cmd_key_export(struct vhsm_key_export *arg);

#endif /* _VHSM_KEYRING_EXPORT_H */
