// SPDX-License-Identifier: GPL-2.0-only
/*
 * HKDF (RFC 5869) for keys derived by ECDH and by the platform. Linux 6.12
 * has no HKDF of its own.
 *
 * The HMAC underneath (hmac.c) runs over an unkeyed hash transform with its
 * state on the stack, so one shared, read-only transform serves every caller
 * at once: the ECDH path allocates no transform per call.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/hash.h>

#include "hkdf.h"
#include "hmac.h"

#define HKDF_MAX_HASH	64

/* HMAC(@key, @a || @b || @c) into @out */
static int hkdf_hmac(struct crypto_shash *hash, const u8 *key, size_t klen,
		     const u8 *a, size_t alen, const u8 *b, size_t blen,
		     const u8 *c, size_t clen, u8 *out)
{
	const struct vhsm_hmac_part parts[] = { { a, alen }, { b, blen }, { c, clen } };

	return vhsm_hmac(hash, key, klen, parts, ARRAY_SIZE(parts), out);
}

static int hkdf_expand(struct crypto_shash *hash, const u8 *prk, const u8 *info,
		       size_t info_len, u8 *okm, size_t okm_len)
{
	unsigned int hlen = crypto_shash_digestsize(hash);
	u8 t[HKDF_MAX_HASH];
	size_t done = 0;
	u8 counter = 1;
	int ret = 0;

	while (done < okm_len) {
		size_t n = min_t(size_t, hlen, okm_len - done);

		/* T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty */
		ret = hkdf_hmac(hash, prk, hlen, t, done ? hlen : 0, info, info_len,
				&counter, 1, t);
		if (ret)
			break;
		memcpy(okm + done, t, n);
		done += n;
		counter++;
	}
	memzero_explicit(t, sizeof(t));
	return ret;
}

/**
 * vhsm_hkdf_hash() - HKDF-Extract then HKDF-Expand with HMAC over @hash
 * @hash:     an unkeyed hash transform ("sha256", "sha384"); only read, so
 *            it may be shared by concurrent callers
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
int vhsm_hkdf_hash(struct crypto_shash *hash, const u8 *salt, size_t salt_len,
		   const u8 *ikm, size_t ikm_len, const u8 *info, size_t info_len,
		   u8 *okm, size_t okm_len)
{
	static const u8 zeros[HKDF_MAX_HASH];
	unsigned int hlen = crypto_shash_digestsize(hash);
	u8 prk[HKDF_MAX_HASH];
	int ret;

	if (hlen > HKDF_MAX_HASH || okm_len > 255 * hlen)
		return -EINVAL;
	ret = hkdf_hmac(hash, salt_len ? salt : zeros, salt_len ?: hlen, ikm, ikm_len,
			NULL, 0, NULL, 0, prk);
	if (!ret)
		ret = hkdf_expand(hash, prk, info, info_len, okm, okm_len);
	memzero_explicit(prk, sizeof(prk));
	return ret;
}

/*
 * vhsm_hkdf() - HKDF with a hash transform of its own, for callers off the
 * hot paths (attestation, the platform's keys). @hmac_alg is "hmac(sha256)"
 * or "hmac(sha384)" (-EINVAL otherwise); the other arguments are
 * vhsm_hkdf_hash()'s. Return: 0 or -errno.
 */
int vhsm_hkdf(const char *hmac_alg, const u8 *salt, size_t salt_len,
	      const u8 *ikm, size_t ikm_len, const u8 *info, size_t info_len,
	      u8 *okm, size_t okm_len)
{
	struct crypto_shash *hash;
	const char *name;
	int ret;

	if (!strcmp(hmac_alg, "hmac(sha256)"))
		name = "sha256";
	else if (!strcmp(hmac_alg, "hmac(sha384)"))
		name = "sha384";
	else
		return -EINVAL;
	hash = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(hash))
		return PTR_ERR(hash);
	ret = vhsm_hkdf_hash(hash, salt, salt_len, ikm, ikm_len, info, info_len,
			     okm, okm_len);
	crypto_free_shash(hash);
	return ret;
}
