// SPDX-License-Identifier: GPL-2.0-only
/*
 * HMAC (RFC 2104) over an unkeyed hash transform, for HKDF (hkdf.c) and
 * RFC 6979's HMAC-DRBG (ecc.c).
 *
 * The descriptor, the padded key and the inner hash live on the caller's
 * stack, so one shared, read-only "sha256" or "sha384" transform serves
 * every caller at once: no transform is allocated per call (which would take
 * the crypto API's global algorithm lock and the algorithm's reference
 * count), and no written state is shared. Every intermediate is wiped.
 */
#include <linux/string.h>
#include <crypto/hash.h>

#include "hmac.h"

#define HMAC_MAX_HASH	64	/* SHA-512's digest */
#define HMAC_MAX_BLOCK	128	/* SHA-384's and SHA-512's block */

/* desc = H(K ^ @pad || ...) started; @kpad holds K zero-padded to a block */
static int hmac_start(struct shash_desc *desc, u8 *kpad, unsigned int bs, u8 pad)
{
	unsigned int i;

	for (i = 0; i < bs; i++)
		kpad[i] ^= pad;
	return crypto_shash_init(desc) ?: crypto_shash_update(desc, kpad, bs);
}

/**
 * vhsm_hmac() - HMAC(@key, parts[0] || ... || parts[@n - 1])
 * @hash:  an unkeyed hash transform; only read, so it may be shared
 * @key:   the key (hashed first if longer than a block)
 * @klen:  its length
 * @parts: the message, in pieces; NULL or empty pieces are skipped
 * @n:     how many pieces
 * @out:   [out] the MAC, the hash's digest size; may alias a part
 *
 * Return: 0 or -errno (-EINVAL for a hash with a block over 128 bytes).
 */
int vhsm_hmac(struct crypto_shash *hash, const u8 *key, size_t klen,
	      const struct vhsm_hmac_part *parts, unsigned int n, u8 *out)
{
	unsigned int bs = crypto_shash_blocksize(hash);
	unsigned int hlen = crypto_shash_digestsize(hash);
	SHASH_DESC_ON_STACK(desc, hash);
	u8 kpad[HMAC_MAX_BLOCK], inner[HMAC_MAX_HASH];
	unsigned int i;
	int ret = 0;

	if (bs > sizeof(kpad) || hlen > sizeof(inner) || hlen > bs)
		return -EINVAL;
	desc->tfm = hash;
	memset(kpad, 0, sizeof(kpad));
	if (klen > bs)
		ret = crypto_shash_digest(desc, key, klen, kpad);
	else if (klen)
		memcpy(kpad, key, klen);
	if (!ret)
		ret = hmac_start(desc, kpad, bs, 0x36);
	for (i = 0; i < n && !ret; i++)
		if (parts[i].p && parts[i].len)
			ret = crypto_shash_update(desc, parts[i].p, parts[i].len);
	if (!ret)
		ret = crypto_shash_final(desc, inner);
	if (!ret)
		ret = hmac_start(desc, kpad, bs, 0x36 ^ 0x5c);
	if (!ret)
		ret = crypto_shash_finup(desc, inner, hlen, out);
	shash_desc_zero(desc);
	memzero_explicit(kpad, sizeof(kpad));
	memzero_explicit(inner, sizeof(inner));
	return ret;
}
