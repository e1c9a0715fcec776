/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_KEY_CMDS_H
#define _VHSM_KEY_CMDS_H

#include <linux/vhsm.h>

int vhsm_cmd_key_generate(struct vhsm_key_generate *arg);
int vhsm_cmd_key_import(struct vhsm_key_import *arg);
int vhsm_cmd_key_destroy(struct vhsm_key_destroy *arg);
int vhsm_cmd_key_info(struct vhsm_key_info *arg);
int vhsm_cmd_key_lookup(struct vhsm_key_lookup *arg);
int vhsm_cmd_key_list(struct vhsm_key_list *arg);

#endif /* _VHSM_KEY_CMDS_H */
