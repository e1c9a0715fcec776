/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_JWE_H
#define _VHSM_JWE_H

#include <linux/types.h>

/* A flattened JWE's members as base64url text, exactly as received. */
struct vhsm_jwe_parts {
	const char *protected;
	const char *encrypted_key;
	const char *iv;
	const char *ciphertext;
	const char *tag;
	u32 protected_len;
	u32 encrypted_key_len;
	u32 iv_len;
	u32 ciphertext_len;
	u32 tag_len;
};

#define VHSM_JWE_PLAINTEXT_MAX	128

int vhsm_jwe_open(const u8 *priv, const struct vhsm_jwe_parts *jwe,
		  u8 *plain, u32 cap, u32 *plain_len);

#endif /* _VHSM_JWE_H */
