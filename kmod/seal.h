/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_SEAL_H
#define _VHSM_SEAL_H

#include <linux/types.h>
#include <linux/vhsm.h>

struct vhsm_key;

/**
 * struct vhsm_seal_binding - what a sealing key is derived for
 * @root_key_select:    0 VCEK, 1 VMRK
 * @guest_field_select: VHSM_FIELD_*
 * @tcb_flags:          VHSM_SEAL_F_TCB_COMMITTED or _REPORTED, or 0 for
 * @tcb_version:        this explicit TCB
 */
struct vhsm_seal_binding {
	u32 root_key_select;
	u64 guest_field_select;
	u32 tcb_flags;
	u64 tcb_version;
};

/* The binding of "keyctl pipe" and vhsm-tool seal's defaults. */
#define VHSM_SEAL_DEFAULT_BINDING ((struct vhsm_seal_binding){		\
	.root_key_select = 0, .guest_field_select = VHSM_FIELD_ALL,	\
	.tcb_flags = VHSM_SEAL_F_TCB_REPORTED })

int vhsm_seal_key(struct vhsm_key *key, const struct vhsm_seal_binding *b,
		  u8 *blob, u32 *blob_len, u32 *fw_error);
int vhsm_seal_check(const struct vhsm_key *key);
int vhsm_unseal_store(const u8 *blob, u32 len, const char *label,
		      u32 *handle, u32 *fw_error);
int vhsm_cmd_seal(struct vhsm_seal *arg);
int vhsm_cmd_unseal(struct vhsm_unseal *arg);

#endif /* _VHSM_SEAL_H */
