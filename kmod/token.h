/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_TOKEN_H
#define _VHSM_TOKEN_H

#include <linux/types.h>
#include <linux/vhsm.h>

struct vhsm_key;

void vhsm_token_make(const struct vhsm_key *key, u8 token[VHSM_TOKEN_LEN]);
struct vhsm_key *vhsm_token_resolve(const u8 *token, size_t len,
				    unsigned int need_mode, u32 need_usage,
				    int *err);
int vhsm_cmd_key_token(struct vhsm_key_token *arg);

#endif /* _VHSM_TOKEN_H */
