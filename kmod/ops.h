/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_OPS_H
#define _VHSM_OPS_H

#include <linux/vhsm.h>

int vhsm_ops_init(void);
void vhsm_ops_exit(void);

int vhsm_cmd_aead(struct vhsm_aead *arg);
int vhsm_cmd_mac(struct vhsm_mac *arg);
int vhsm_cmd_sign(struct vhsm_sig *arg);
int vhsm_cmd_verify(struct vhsm_sig *arg);
int vhsm_cmd_pubkey(struct vhsm_pubkey *arg);
int vhsm_cmd_derive(struct vhsm_derive *arg);

#endif /* _VHSM_OPS_H */
