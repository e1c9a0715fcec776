/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_HKDF_H
#define _VHSM_HKDF_H

#include <linux/types.h>

struct crypto_shash;

int vhsm_hkdf_hash(struct crypto_shash *hash, const u8 *salt, size_t salt_len,
		   const u8 *ikm, size_t ikm_len, const u8 *info, size_t info_len,
		   u8 *okm, size_t okm_len);

int vhsm_hkdf(const char *hmac_alg, const u8 *salt, size_t salt_len,
	      const u8 *ikm, size_t ikm_len, const u8 *info, size_t info_len,
	      u8 *okm, size_t okm_len);

#endif /* _VHSM_HKDF_H */
