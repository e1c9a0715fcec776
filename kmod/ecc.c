// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — ECDSA and ECDH on NIST P-256 and P-384, built on the helpers that
 * crypto/ecc.c exports (see ecc.h for the API). The DER encodings of
 * signatures and public keys are in ecc_der.c.
 *
 * Scalars and field elements are arrays of u64 digits, least significant
 * digit first, as crypto/ecc.c wants them; everything that crosses the API is
 * fixed-width big-endian bytes. For both curves nbytes == 8 * ndigits, the
 * order n is smaller than the field prime p and the cofactor is 1.
 *
 * Side channels, as far as the kernel helpers allow:
 *  - range checks, modular additions and selections on secrets are
 *    branch-free (ct_* below);
 *  - x(k·P) for a secret k (ECDSA nonce, ECDH) goes through
 *    crypto_ecdh_shared_secret(), a Montgomery ladder that starts from a
 *    random projective Z; the public key k·G goes through ecc_make_pub_key(),
 *    the same ladder without the random Z;
 *  - the nonce inverse is computed as b·(k·b)^-1 with a fresh random b
 *    because vli_mod_inv() is variable-time;
 *  - verification works on public values only and is variable-time; it
 *    adds u1·G and u2·Q with a complete affine addition (see
 *    verify_point());
 *  - vli_mod_mult_slow() runs a fixed number of rounds but leaves its
 *    intermediate products on its own stack frame, which we cannot wipe.
 *
 * crypto/ecc.c only accepts private keys in [2, n-3] for its ladder, while
 * ecc.h allows [1, n-1]. k and n-k give the same X and opposite Y, so every
 * secret scalar is folded into [1, (n-1)/2] first (without branching), and
 * the single scalar 1 that remains is special-cased.
 */
#include <crypto/ecdh.h>
#include <crypto/hash.h>
#include <crypto/internal/ecc.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "ecc.h"

#define MAX_DIGITS	(VHSM_ECC_MAX_BYTES / sizeof(u64))
#define HEDGE_BYTES	32
/* Each try fails with probability < 2^-32 on these curves. */
#define RANDOM_TRIES	16
#define NONCE_TRIES	16

struct curve_info {
	const struct ecc_curve *ec;
	unsigned int id;		/* ECC_CURVE_NIST_* */
	unsigned int nd;		/* u64 digits */
	unsigned int nbytes;
	const char *hmac;		/* RFC 6979 HMAC, nbytes of output */
};

static int get_curve(enum vhsm_ecc_curve curve, struct curve_info *ci)
{
	switch (curve) {
	case VHSM_ECC_P256:
		ci->id = ECC_CURVE_NIST_P256;
		ci->nd = ECC_CURVE_NIST_P256_DIGITS;
		ci->hmac = "hmac(sha256)";
		break;
	case VHSM_ECC_P384:
		ci->id = ECC_CURVE_NIST_P384;
		ci->nd = ECC_CURVE_NIST_P384_DIGITS;
		ci->hmac = "hmac(sha384)";
		break;
	default:
		return -EINVAL;
	}
	ci->nbytes = ci->nd * sizeof(u64);
	ci->ec = ecc_get_curve(ci->id);
	if (!ci->ec || ci->ec->g.ndigits != ci->nd)
		return -EINVAL;
	return 0;
}

unsigned int vhsm_ecc_nbytes(enum vhsm_ecc_curve curve)
{
	switch (curve) {
	case VHSM_ECC_P256:
		return 32;
	case VHSM_ECC_P384:
		return 48;
	}
	return 0;
}

/* ---- digits <-> bytes ---- */

static void from_bytes(const struct curve_info *ci, const u8 *in, u64 *out)
{
	vhsm_ecc_digits_from_bytes(in, ci->nbytes, out, ci->nd);
}

static void to_bytes(const struct curve_info *ci, const u64 *in, u8 *out)
{
	unsigned int i;

	for (i = 0; i < ci->nd; i++)
		put_unaligned_be64(in[ci->nd - 1 - i], out + i * sizeof(u64));
}

/* ---- branch-free multi-digit arithmetic ---- */

/* res = a - b; returns the borrow (0 or 1). res may alias a or b. */
static u64 ct_sub(u64 *res, const u64 *a, const u64 *b, unsigned int nd)
{
	u64 borrow = 0;
	unsigned int i;

	for (i = 0; i < nd; i++) {
		u64 x = a[i], y = b[i], d = x - y - borrow;

		borrow = ((~x & y) | (~(x ^ y) & d)) >> 63;
		res[i] = d;
	}
	return borrow;
}

/* res = a + b; returns the carry (0 or 1). res may alias a or b. */
static u64 ct_add(u64 *res, const u64 *a, const u64 *b, unsigned int nd)
{
	u64 carry = 0;
	unsigned int i;

	for (i = 0; i < nd; i++) {
		u64 x = a[i], y = b[i], s = x + y + carry;

		carry = ((x & y) | ((x | y) & ~s)) >> 63;
		res[i] = s;
	}
	return carry;
}

/* res = bit ? a : b, for bit 0 or 1. res may alias a or b. */
static void ct_select(u64 *res, u64 bit, const u64 *a, const u64 *b,
		      unsigned int nd)
{
	u64 mask = 0 - bit;
	unsigned int i;

	for (i = 0; i < nd; i++)
		res[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* 1 if a == 0, else 0. */
static u64 ct_is_zero(const u64 *a, unsigned int nd)
{
	u64 acc = 0;
	unsigned int i;

	for (i = 0; i < nd; i++)
		acc |= a[i];
	return ((acc | (0 - acc)) >> 63) ^ 1;
}

/* 1 if a == 1, else 0. */
static u64 ct_is_one(const u64 *a, unsigned int nd)
{
	u64 acc = a[0] ^ 1;
	unsigned int i;

	for (i = 1; i < nd; i++)
		acc |= a[i];
	return ((acc | (0 - acc)) >> 63) ^ 1;
}

/* 1 if 1 <= a <= n-1, else 0. */
static u64 ct_scalar_ok(const struct curve_info *ci, const u64 *a)
{
	u64 t[MAX_DIGITS];
	u64 below_n = ct_sub(t, a, ci->ec->n, ci->nd);

	memzero_explicit(t, sizeof(t));
	return below_n & (ct_is_zero(a, ci->nd) ^ 1);
}

/* res = a mod m, for a < 2m. res may alias a. */
static void reduce_once(u64 *res, const u64 *a, const u64 *m, unsigned int nd)
{
	u64 t[MAX_DIGITS];
	u64 borrow = ct_sub(t, a, m, nd);

	ct_select(res, borrow, a, t, nd);
	memzero_explicit(t, sizeof(t));
}

/* res = (a + b) mod m, for a, b < m. res may alias a or b. */
static void mod_add(u64 *res, const u64 *a, const u64 *b, const u64 *m,
		    unsigned int nd)
{
	u64 sum[MAX_DIGITS], t[MAX_DIGITS];
	u64 carry = ct_add(sum, a, b, nd);
	u64 borrow = ct_sub(t, sum, m, nd);

	/* a + b >= m iff the addition overflowed or a + b - m did not borrow */
	ct_select(res, carry | (borrow ^ 1), t, sum, nd);
	memzero_explicit(sum, sizeof(sum));
	memzero_explicit(t, sizeof(t));
}

/*
 * kk = min(k, n - k) for k in [1, n-1], so kk is in [1, (n-1)/2]; returns 1
 * if kk is n - k (the point k·P is then the negation of kk·P).
 */
static u64 fold_scalar(const struct curve_info *ci, const u64 *k, u64 *kk)
{
	u64 nk[MAX_DIGITS], t[MAX_DIGITS];
	u64 neg;

	ct_sub(nk, ci->ec->n, k, ci->nd);
	neg = ct_sub(t, nk, k, ci->nd);		/* n - k < k */
	ct_select(kk, neg, nk, k, ci->nd);
	memzero_explicit(nk, sizeof(nk));
	memzero_explicit(t, sizeof(t));
	return neg;
}

/* Leftmost 8 * nbytes bits of the digest as an integer, reduced mod n. */
static void digest_to_scalar(const struct curve_info *ci, const u8 *digest,
			     size_t dlen, u64 *e)
{
	u8 buf[VHSM_ECC_MAX_BYTES] = {};
	size_t take = min_t(size_t, dlen, ci->nbytes);

	if (take)
		memcpy(buf + ci->nbytes - take, digest, take);
	from_bytes(ci, buf, e);
	reduce_once(e, e, ci->ec->n, ci->nd);
}

/* k uniformly random in [1, n-1]. */
static int random_scalar(const struct curve_info *ci, u64 *k)
{
	u8 buf[VHSM_ECC_MAX_BYTES];
	int ret = -EAGAIN;
	int i;

	for (i = 0; i < RANDOM_TRIES; i++) {
		ret = get_random_bytes_wait(buf, ci->nbytes);
		if (ret)
			break;
		from_bytes(ci, buf, k);
		if (ct_scalar_ok(ci, k))
			break;
		ret = -EAGAIN;
	}
	memzero_explicit(buf, sizeof(buf));
	if (ret)
		memzero_explicit(k, ci->nd * sizeof(u64));
	return ret;
}

/* ---- scalar multiplication ---- */

/*
 * The scalar in the order the kernel's ecc_make_pub_key() and
 * crypto_ecdh_shared_secret() want it, in place: native digits, or before
 * 6.10 big-endian words that their ecc_swap_digits() turns back (compat.h).
 */
static void scalar_for_lib(u64 *k, unsigned int nd)
{
#if VHSM_ECC_LIB_PRIV_BE
	unsigned int i;
	u64 t;

	for (i = 0; i < nd / 2; i++) {
		t = k[i];
		k[i] = k[nd - 1 - i];
		k[nd - 1 - i] = t;
	}
	for (i = 0; i < nd; i++)
		k[i] = (__force u64)cpu_to_be64(k[i]);
#endif
}

/*
 * x = X coordinate of k·P (big-endian) for k in [1, n-1] and a valid point
 * P = X || Y. The kernel ladder starts from a random projective Z here.
 */
static int mult_x(const struct curve_info *ci, const u64 *k, const u8 *pt,
		  u8 *x)
{
	u64 kk[MAX_DIGITS], p[2 * MAX_DIGITS], out[MAX_DIGITS];
	int ret = 0;

	fold_scalar(ci, k, kk);
	if (ct_is_one(kk, ci->nd)) {
		/* k = ±1: x(±P) = x(P) */
		memcpy(x, pt, ci->nbytes);
	} else {
		memcpy(p, pt, 2 * ci->nbytes);
		scalar_for_lib(kk, ci->nd);
		ret = crypto_ecdh_shared_secret(ci->id, ci->nd, kk, p, out);
		if (!ret)
			memcpy(x, out, ci->nbytes);
		/*
		 * The kernel's co-Z ladder reaches the point at infinity
		 * (-EFAULT) for some valid peers, those with x = 0: refuse
		 * them as unusable rather than report a bad address.
		 */
		if (ret == -EFAULT)
			ret = -EINVAL;
	}
	memzero_explicit(kk, sizeof(kk));
	memzero_explicit(out, sizeof(out));
	return ret;
}

/* pub = k·G as X || Y, for k in [1, n-1]. */
static int mult_base(const struct curve_info *ci, const u64 *k, u8 *pub)
{
	u64 kk[MAX_DIGITS], pt[2 * MAX_DIGITS], y[MAX_DIGITS], ny[MAX_DIGITS];
	u8 *ptb = (u8 *)pt;
	u64 neg;
	int ret = 0;

	neg = fold_scalar(ci, k, kk);
	if (ct_is_one(kk, ci->nd)) {
		to_bytes(ci, ci->ec->g.x, ptb);
		to_bytes(ci, ci->ec->g.y, ptb + ci->nbytes);
	} else {
		/* also checks the result is a valid point (fault check) */
		scalar_for_lib(kk, ci->nd);
		ret = ecc_make_pub_key(ci->id, ci->nd, kk, pt);
		if (ret)
			goto out;
	}
	/* k·G = -(kk·G) when kk = n - k: Y -> p - Y (Y is never 0) */
	from_bytes(ci, ptb + ci->nbytes, y);
	ct_sub(ny, ci->ec->p, y, ci->nd);
	ct_select(y, neg, ny, y, ci->nd);
	memcpy(pub, ptb, ci->nbytes);
	to_bytes(ci, y, pub + ci->nbytes);
out:
	memzero_explicit(kk, sizeof(kk));
	memzero_explicit(y, sizeof(y));
	memzero_explicit(ny, sizeof(ny));
	return ret;
}

/* ---- keys ---- */

/* Curve parameters and d = priv; -EINVAL unless 1 <= priv <= n-1. */
static int get_private(enum vhsm_ecc_curve curve, const u8 *priv,
		       struct curve_info *ci, u64 *d)
{
	if (get_curve(curve, ci))
		return -EINVAL;
	from_bytes(ci, priv, d);
	return ct_scalar_ok(ci, d) ? 0 : -EINVAL;
}

int vhsm_ecc_generate(enum vhsm_ecc_curve curve, u8 *priv)
{
	struct curve_info ci;
	u64 d[MAX_DIGITS];
	int ret;

	ret = get_curve(curve, &ci);
	if (ret)
		return ret;
	ret = random_scalar(&ci, d);
	if (!ret)
		to_bytes(&ci, d, priv);
	memzero_explicit(d, sizeof(d));
	return ret;
}

int vhsm_ecc_check_private(enum vhsm_ecc_curve curve, const u8 *priv)
{
	struct curve_info ci;
	u64 d[MAX_DIGITS];
	int ret = get_private(curve, priv, &ci, d);

	memzero_explicit(d, sizeof(d));
	return ret;
}

int vhsm_ecc_public(enum vhsm_ecc_curve curve, const u8 *priv, u8 *pub)
{
	struct curve_info ci;
	u64 d[MAX_DIGITS];
	int ret = get_private(curve, priv, &ci, d);

	if (!ret)
		ret = mult_base(&ci, d, pub);
	memzero_explicit(d, sizeof(d));
	return ret;
}

/* Range and curve-equation checks; for cofactor 1 this is full validation. */
static int point_ok(const struct curve_info *ci, const u8 *pub, u64 *x, u64 *y)
{
	struct ecc_point q = ECC_POINT_INIT(x, y, ci->nd);

	from_bytes(ci, pub, x);
	from_bytes(ci, pub + ci->nbytes, y);
	return ecc_is_pubkey_valid_partial(ci->ec, &q) ? -EINVAL : 0;
}

int vhsm_ecc_check_public(enum vhsm_ecc_curve curve, const u8 *pub)
{
	struct curve_info ci;
	u64 x[MAX_DIGITS], y[MAX_DIGITS];
	struct ecc_point q;
	int ret;

	if (get_curve(curve, &ci))
		return -EINVAL;
	from_bytes(&ci, pub, x);
	from_bytes(&ci, pub + ci.nbytes, y);
	q = ECC_POINT_INIT(x, y, ci.nd);
	/* SP 800-56A 5.6.2.3.3, including n·Q = O */
	ret = ecc_is_pubkey_valid_full(ci.ec, &q);
	if (ret == -ENOMEM)
		return ret;
	return ret ? -EINVAL : 0;
}

/* ---- RFC 6979 HMAC-DRBG ---- */

struct drbg {
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	unsigned int len;			/* hlen == qlen / 8 == nbytes */
	u8 k[VHSM_ECC_MAX_BYTES];
	u8 v[VHSM_ECC_MAX_BYTES];
};

static void drbg_free(struct drbg *d)
{
	kfree_sensitive(d->desc);
	if (d->tfm)
		crypto_free_shash(d->tfm);	/* frees with kfree_sensitive */
	memzero_explicit(d->k, sizeof(d->k));
	memzero_explicit(d->v, sizeof(d->v));
}

static int drbg_alloc(struct drbg *d, const struct curve_info *ci)
{
	struct crypto_shash *tfm;

	memset(d, 0, sizeof(*d));
	tfm = crypto_alloc_shash(ci->hmac, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	d->tfm = tfm;
	if (crypto_shash_digestsize(tfm) != ci->nbytes) {
		drbg_free(d);
		return -EINVAL;
	}
	d->desc = kzalloc(sizeof(*d->desc) + crypto_shash_descsize(tfm),
			  GFP_KERNEL_ACCOUNT);
	if (!d->desc) {
		drbg_free(d);
		return -ENOMEM;
	}
	d->desc->tfm = tfm;
	d->len = ci->nbytes;
	return 0;
}

/* out = HMAC_K(V || sep || a || b || c), skipping absent parts */
static int drbg_mac(struct drbg *d, u8 *out, const u8 *sep, const u8 *a,
		    const u8 *b, const u8 *c, size_t clen)
{
	int ret;

	ret = crypto_shash_setkey(d->tfm, d->k, d->len);
	if (!ret)
		ret = crypto_shash_init(d->desc);
	if (!ret)
		ret = crypto_shash_update(d->desc, d->v, d->len);
	if (!ret && sep)
		ret = crypto_shash_update(d->desc, sep, 1);
	if (!ret && a)
		ret = crypto_shash_update(d->desc, a, d->len);
	if (!ret && b)
		ret = crypto_shash_update(d->desc, b, d->len);
	if (!ret && clen)
		ret = crypto_shash_update(d->desc, c, clen);
	if (!ret)
		ret = crypto_shash_final(d->desc, out);
	return ret;
}

/* K = HMAC_K(V || sep || x || h || extra); V = HMAC_K(V) */
static int drbg_update(struct drbg *d, u8 sep, const u8 *x, const u8 *h,
		       const u8 *extra, size_t extra_len)
{
	int ret;

	ret = drbg_mac(d, d->k, &sep, x, h, extra, extra_len);
	if (!ret)
		ret = drbg_mac(d, d->v, NULL, NULL, NULL, NULL, 0);
	return ret;
}

/* RFC 6979 3.2 steps b-g, with the additional data of 3.6. */
static int drbg_seed(struct drbg *d, const u8 *x, const u8 *h,
		     const u8 *extra, size_t extra_len)
{
	int ret;

	memset(d->v, 0x01, d->len);
	memset(d->k, 0x00, d->len);
	ret = drbg_update(d, 0x00, x, h, extra, extra_len);
	if (!ret)
		ret = drbg_update(d, 0x01, x, h, extra, extra_len);
	return ret;
}

/* RFC 6979 3.2 step h.2 for hlen == qlen: V = HMAC_K(V); T = V */
static int drbg_generate(struct drbg *d, u8 *t)
{
	int ret = drbg_mac(d, d->v, NULL, NULL, NULL, NULL, 0);

	if (!ret)
		memcpy(t, d->v, d->len);
	return ret;
}

/* RFC 6979 3.2 step h.3, candidate rejected: K = HMAC_K(V || 0); V = HMAC_K(V) */
static int drbg_reject(struct drbg *d)
{
	return drbg_update(d, 0x00, NULL, NULL, NULL, 0);
}

/* ---- ECDSA ---- */

/* t = k^-1 mod n, computed as b·(k·b)^-1 for a random b. */
static int blinded_inverse(const struct curve_info *ci, const u64 *k, u64 *t)
{
	u64 b[MAX_DIGITS];
	int ret;

	ret = random_scalar(ci, b);
	if (ret)
		return ret;
	vli_mod_mult_slow(t, k, b, ci->ec->n, ci->nd);
	vli_mod_inv(t, t, ci->ec->n, ci->nd);
	vli_mod_mult_slow(t, t, b, ci->ec->n, ci->nd);
	memzero_explicit(b, sizeof(b));
	return 0;
}

/* sig = r || s for the nonce k; -EAGAIN if r or s is 0. */
static int sign_k(const struct curve_info *ci, const u64 *d, const u64 *e,
		  const u64 *k, u8 *sig)
{
	u64 r[MAX_DIGITS], s[MAX_DIGITS], kinv[MAX_DIGITS];
	u8 g[2 * VHSM_ECC_MAX_BYTES], x[VHSM_ECC_MAX_BYTES];
	int ret;

	to_bytes(ci, ci->ec->g.x, g);
	to_bytes(ci, ci->ec->g.y, g + ci->nbytes);
	ret = mult_x(ci, k, g, x);
	if (ret)
		goto out;
	from_bytes(ci, x, r);
	reduce_once(r, r, ci->ec->n, ci->nd);
	if (ct_is_zero(r, ci->nd)) {
		ret = -EAGAIN;
		goto out;
	}

	ret = blinded_inverse(ci, k, kinv);
	if (ret)
		goto out;
	vli_mod_mult_slow(s, r, d, ci->ec->n, ci->nd);		/* r·d */
	mod_add(s, s, e, ci->ec->n, ci->nd);			/* e + r·d */
	vli_mod_mult_slow(s, s, kinv, ci->ec->n, ci->nd);	/* k^-1 (e + r·d) */
	if (ct_is_zero(s, ci->nd)) {
		ret = -EAGAIN;
		goto out;
	}
	to_bytes(ci, r, sig);
	to_bytes(ci, s, sig + ci->nbytes);
out:
	memzero_explicit(s, sizeof(s));
	memzero_explicit(kinv, sizeof(kinv));
	memzero_explicit(x, sizeof(x));
	return ret;
}

/* Draw RFC 6979 candidates until one gives a signature. */
static int sign_loop(const struct curve_info *ci, struct drbg *drbg,
		     const u64 *d, const u64 *e, u8 *sig)
{
	u64 k[MAX_DIGITS];
	u8 t[VHSM_ECC_MAX_BYTES];
	int ret = -EAGAIN;
	int i;

	for (i = 0; i < NONCE_TRIES; i++) {
		ret = drbg_generate(drbg, t);
		if (ret)
			break;
		from_bytes(ci, t, k);
		ret = ct_scalar_ok(ci, k) ? sign_k(ci, d, e, k, sig) : -EAGAIN;
		if (ret != -EAGAIN)
			break;
		ret = drbg_reject(drbg);
		if (ret)
			break;
		ret = -EAGAIN;
	}
	memzero_explicit(k, sizeof(k));
	memzero_explicit(t, sizeof(t));
	return ret;
}

int vhsm_ecc_sign_extra(enum vhsm_ecc_curve curve, const u8 *priv,
			const u8 *digest, size_t dlen, const u8 *extra,
			size_t extra_len, u8 *sig)
{
	struct curve_info ci;
	struct drbg drbg;
	u64 d[MAX_DIGITS], e[MAX_DIGITS];
	u8 h[VHSM_ECC_MAX_BYTES];
	int ret;

	if ((dlen && !digest) || (extra_len && !extra))
		return -EINVAL;
	ret = get_private(curve, priv, &ci, d);
	if (ret)
		goto out_wipe;
	digest_to_scalar(&ci, digest, dlen, e);
	to_bytes(&ci, e, h);			/* bits2octets(h1) */

	ret = drbg_alloc(&drbg, &ci);
	if (ret)
		goto out_wipe;
	/* int2octets(x) is priv itself: fixed width and already < n */
	ret = drbg_seed(&drbg, priv, h, extra, extra_len);
	if (!ret)
		ret = sign_loop(&ci, &drbg, d, e, sig);
	drbg_free(&drbg);
out_wipe:
	memzero_explicit(d, sizeof(d));
	return ret;
}

int vhsm_ecc_sign(enum vhsm_ecc_curve curve, const u8 *priv,
		  const u8 *digest, size_t dlen, u8 *sig)
{
	u8 extra[HEDGE_BYTES];
	int ret;

	ret = get_random_bytes_wait(extra, sizeof(extra));
	if (!ret)
		ret = vhsm_ecc_sign_extra(curve, priv, digest, dlen, extra,
					  sizeof(extra), sig);
	memzero_explicit(extra, sizeof(extra));
	return ret;
}

/* res = (a - b) mod m, for a, b < m. res may alias a or b. */
static void mod_sub(u64 *res, const u64 *a, const u64 *b, const u64 *m,
		    unsigned int nd)
{
	u64 t[MAX_DIGITS];
	u64 borrow = ct_sub(res, a, b, nd);

	ct_add(t, res, m, nd);
	ct_select(res, borrow, t, res, nd);
	memzero_explicit(t, sizeof(t));
}

/*
 * res = u·P for u in [1, n-1]. With the other scalar 0,
 * ecc_point_mult_shamir() is a plain left-to-right double-and-add from P;
 * its partial results are m·P with m in [2, n-2] where it adds P, so it
 * never meets the doubling or inverse case of the addition. (Its G + Q
 * precomputation is then unused.)
 */
static void mult_point(const struct curve_info *ci, struct ecc_point *res,
		       const u64 *u, const struct ecc_point *p)
{
	u64 zero[MAX_DIGITS] = {};

	ecc_point_mult_shamir(res, zero, p, u, p, ci->ec);
}

/*
 * a += b in affine coordinates, every case handled; (0, 0) is the point at
 * infinity. Variable-time: for public points only.
 */
static void point_add(const struct curve_info *ci, struct ecc_point *a,
		      const struct ecc_point *b)
{
	const u64 *p = ci->ec->p;
	unsigned int nd = ci->nd;
	u64 l[MAX_DIGITS], t[MAX_DIGITS], x3[MAX_DIGITS];

	if (ecc_point_is_zero(b))
		return;
	if (ecc_point_is_zero(a)) {
		memcpy(a->x, b->x, nd * sizeof(u64));
		memcpy(a->y, b->y, nd * sizeof(u64));
		return;
	}
	if (!vli_cmp(a->x, b->x, nd)) {
		if (vli_cmp(a->y, b->y, nd)) {		/* a = -b */
			memset(a->x, 0, nd * sizeof(u64));
			memset(a->y, 0, nd * sizeof(u64));
			return;
		}
		/* doubling: l = (3·x^2 + a) / (2·y) */
		vli_mod_mult_slow(l, a->x, a->x, p, nd);
		mod_add(t, l, l, p, nd);
		mod_add(l, t, l, p, nd);
		mod_add(l, l, ci->ec->a, p, nd);
		mod_add(t, a->y, a->y, p, nd);
	} else {
		/* l = (yb - ya) / (xb - xa) */
		mod_sub(l, b->y, a->y, p, nd);
		mod_sub(t, b->x, a->x, p, nd);
	}
	vli_mod_inv(t, t, p, nd);
	vli_mod_mult_slow(l, l, t, p, nd);
	/* x3 = l^2 - xa - xb; y3 = l·(xa - x3) - ya */
	vli_mod_mult_slow(x3, l, l, p, nd);
	mod_sub(x3, x3, a->x, p, nd);
	mod_sub(x3, x3, b->x, p, nd);
	mod_sub(t, a->x, x3, p, nd);
	vli_mod_mult_slow(t, l, t, p, nd);
	mod_sub(a->y, t, a->y, p, nd);
	memcpy(a->x, x3, nd * sizeof(u64));
}

/*
 * x = (u1·G + u2·Q).x mod n; false if the sum is the point at infinity.
 * The two products are computed separately and added with a complete
 * addition: ecc_point_mult_shamir() with both scalars adds G, Q and G + Q
 * without checking for equal points, which goes wrong for keys such as
 * Q = ±G or Q = G/2.
 */
static bool verify_point(const struct curve_info *ci, const u64 *u1,
			 const u64 *u2, const struct ecc_point *q, u64 *x)
{
	u64 ax[MAX_DIGITS] = {}, ay[MAX_DIGITS] = {};
	u64 bx[MAX_DIGITS], by[MAX_DIGITS];
	struct ecc_point a = ECC_POINT_INIT(ax, ay, ci->nd);
	struct ecc_point b = ECC_POINT_INIT(bx, by, ci->nd);

	if (!vli_is_zero(u1, ci->nd))
		mult_point(ci, &a, u1, &ci->ec->g);
	mult_point(ci, &b, u2, q);
	point_add(ci, &a, &b);
	if (ecc_point_is_zero(&a))
		return false;
	reduce_once(x, ax, ci->ec->n, ci->nd);
	return true;
}

int vhsm_ecc_verify(enum vhsm_ecc_curve curve, const u8 *pub,
		    const u8 *digest, size_t dlen, const u8 *sig)
{
	struct curve_info ci;
	u64 r[MAX_DIGITS], s[MAX_DIGITS], e[MAX_DIGITS];
	u64 u1[MAX_DIGITS], u2[MAX_DIGITS];
	u64 qx[MAX_DIGITS], qy[MAX_DIGITS];
	struct ecc_point q;

	if (dlen && !digest)
		return -EINVAL;
	if (get_curve(curve, &ci))
		return -EINVAL;
	from_bytes(&ci, sig, r);
	from_bytes(&ci, sig + ci.nbytes, s);
	if (!ct_scalar_ok(&ci, r) || !ct_scalar_ok(&ci, s))
		return -EBADMSG;
	if (point_ok(&ci, pub, qx, qy))
		return -EBADMSG;
	q = ECC_POINT_INIT(qx, qy, ci.nd);
	digest_to_scalar(&ci, digest, dlen, e);

	vli_mod_inv(s, s, ci.ec->n, ci.nd);			/* w = s^-1 */
	vli_mod_mult_slow(u1, e, s, ci.ec->n, ci.nd);		/* e·w */
	vli_mod_mult_slow(u2, r, s, ci.ec->n, ci.nd);		/* r·w */
	if (!verify_point(&ci, u1, u2, &q, s))
		return -EBADMSG;
	return vli_cmp(s, r, ci.nd) ? -EBADMSG : 0;
}

/* ---- ECDH ---- */

int vhsm_ecc_ecdh(enum vhsm_ecc_curve curve, const u8 *priv, const u8 *peer,
		  u8 *shared)
{
	struct curve_info ci;
	u64 d[MAX_DIGITS], qx[MAX_DIGITS], qy[MAX_DIGITS];
	int ret = get_private(curve, priv, &ci, d);

	if (!ret)
		ret = point_ok(&ci, peer, qx, qy);
	if (!ret)
		ret = mult_x(&ci, d, peer, shared);
	memzero_explicit(d, sizeof(d));
	return ret;
}
