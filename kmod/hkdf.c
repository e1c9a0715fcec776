// SPDX-License-Identifier: GPL-2.0-only
/*
 * HKDF (RFC 5869) over the kernel's HMAC, for keys derived by ECDH. Linux 6.12
 * has no HKDF of its own.
 */
#include <linux/err.h>
#include <linux/string.h>
#include <crypto/hash.h>

#include "hkdf.h"

#define HKDF_MAX_HASH	64

static int hkdf_expand(struct crypto_shash *tfm, const u8 *info, size_t info_len,
		       u8 *okm, size_t okm_len)
{
	unsigned int hlen = crypto_shash_digestsize(tfm);
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 t[HKDF_MAX_HASH];
	size_t done = 0;
	u8 counter = 1;
	int ret = 0;

	desc->tfm = tfm;
	while (done < okm_len) {
		size_t n = min_t(size_t, hlen, okm_len - done);

		ret = crypto_shash_init(desc);
		if (!ret && done)
			ret = crypto_shash_update(desc, t, hlen);
		if (!ret)
			ret = crypto_shash_update(desc, info, info_len);
		if (!ret)
			ret = crypto_shash_finup(desc, &counter, 1, t);
		if (ret)
			break;
		memcpy(okm + done, t, n);
		done += n;
		counter++;
	}
	shash_desc_zero(desc);
	memzero_explicit(t, sizeof(t));
	return ret;
}

/**
 * vhsm_hkdf() - HKDF-Extract then HKDF-Expand
 * @hmac_alg: "hmac(sha256)" or "hmac(sha384)"
 * @salt:     salt (may be empty: a string of hash-length zeros is used)
 * @salt_len: its length
 * @ikm:      input keying material
 * @ikm_len:  its length
 * @info:     context
 * @info_len: its length
 * @okm:      [out] output keying material
 * @okm_len:  at most 255 hash lengths
 *
 * Return: 0 or -errno.
 */
int vhsm_hkdf(const char *hmac_alg, const u8 *salt, size_t salt_len,
	      const u8 *ikm, size_t ikm_len, const u8 *info, size_t info_len,
	      u8 *okm, size_t okm_len)
{
	static const u8 zeros[HKDF_MAX_HASH];
	struct crypto_shash *tfm;
	u8 prk[HKDF_MAX_HASH];
	unsigned int hlen;
	int ret;

	tfm = crypto_alloc_shash(hmac_alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	hlen = crypto_shash_digestsize(tfm);
	if (hlen > HKDF_MAX_HASH || okm_len > 255 * hlen) {
		ret = -EINVAL;
		goto out;
	}
	ret = crypto_shash_setkey(tfm, salt_len ? salt : zeros, salt_len ?: hlen);
	if (!ret)
		ret = crypto_shash_tfm_digest(tfm, ikm, ikm_len, prk);
	if (!ret)
		ret = crypto_shash_setkey(tfm, prk, hlen);
	if (!ret)
		ret = hkdf_expand(tfm, info, info_len, okm, okm_len);
out:
	memzero_explicit(prk, sizeof(prk));
	crypto_free_shash(tfm);
	return ret;
}
