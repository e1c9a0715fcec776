/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_HMAC_H
#define _VHSM_HMAC_H

#include <linux/types.h>

struct crypto_shash;

/* One piece of an HMAC's message; a NULL or empty piece is skipped. */
struct vhsm_hmac_part {
	const u8 *p;
	size_t len;
};

int vhsm_hmac(struct crypto_shash *hash, const u8 *key, size_t klen,
	      const struct vhsm_hmac_part *parts, unsigned int n, u8 *out);

#endif /* _VHSM_HMAC_H */
