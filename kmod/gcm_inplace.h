/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_GCM_INPLACE_H
#define _VHSM_GCM_INPLACE_H

#include <linux/types.h>

#define VHSM_GCM_IV_LEN		12
#define VHSM_GCM_TAG_LEN	16

int vhsm_gcm_inplace(const u8 *key, unsigned int key_len, const u8 iv[VHSM_GCM_IV_LEN],
		     u8 *buf, u32 aad_len, u32 text_len, bool enc);

#endif /* _VHSM_GCM_INPLACE_H */
