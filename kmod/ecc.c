// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — ECDSA and ECDH on NIST P-256 and P-384 (see ecc.h for the API). The
 * point arithmetic of signing and verification is ecc_point.c (a fixed-base
 * table for k·G, a joint multiplication for u1·G + u2·Q) over the Montgomery
 * field code of ecc_field.c; ECDH and public-key validation use the helpers
 * crypto/ecc.c exports. The DER encodings are in ecc_der.c.
 *
 * Scalars and field elements are arrays of u64 digits, least significant
 * digit first; everything that crosses the API is fixed-width big-endian
 * bytes. For both curves nbytes == 8 * ndigits, the order n is smaller than
 * the field prime p and the cofactor is 1.
 *
 * Side channels:
 *  - range checks, modular additions and selections on secrets are
 *    branch-free (ct_* below, vhsm_fe_* in ecc_field.c);
 *  - k·G for a secret k (ECDSA nonce, public key from a private key) reads
 *    whole table rows and selects by mask (ecc_point.c);
 *  - x(k·P) for ECDH goes through crypto_ecdh_shared_secret(), a Montgomery
 *    ladder that starts from a random projective Z;
 *  - the nonce inverse is computed as b·(k·b)^-1 with a fresh random b
 *    because vli_mod_inv() is variable-time;
 *  - verification works on public values only and is variable-time.
 *
 * Signing allocates nothing: RFC 6979's HMAC-DRBG runs on the stack over a
 * SHA-256 or SHA-384 transform allocated once at load (an unkeyed shash holds
 * no per-call state, so all CPUs share it without a lock; 6.12 has no
 * library SHA-384, and the HMAC is computed here from the plain hash).
 *
 * crypto/ecc.c only accepts private keys in [2, n-3] for its ladder, while
 * ecc.h allows [1, n-1]. k and n-k give the same X and opposite Y, so every
 * secret scalar for ECDH is folded into [1, (n-1)/2] first (without
 * branching), and the single scalar 1 that remains is special-cased.
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
#include "ecc_point.h"
#include "hmac.h"

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
	const struct vhsm_ec *pc;	/* ecc_point.c's curve */
	struct crypto_shash *hash;	/* RFC 6979's hash, nbytes of output */
};

/* Unkeyed SHA-256 and SHA-384 for RFC 6979, shared (vhsm_ecc_init()). */
static struct crypto_shash *drbg_hash[2];

static int get_curve(enum vhsm_ecc_curve curve, struct curve_info *ci)
{
	switch (curve) {
	case VHSM_ECC_P256:
		ci->id = ECC_CURVE_NIST_P256;
		ci->nd = ECC_CURVE_NIST_P256_DIGITS;
		break;
	case VHSM_ECC_P384:
		ci->id = ECC_CURVE_NIST_P384;
		ci->nd = ECC_CURVE_NIST_P384_DIGITS;
		break;
	default:
		return -EINVAL;
	}
	ci->nbytes = ci->nd * sizeof(u64);
	ci->ec = ecc_get_curve(ci->id);
	ci->pc = vhsm_ec_get(curve);
	ci->hash = drbg_hash[curve];
	if (!ci->ec || ci->ec->g.ndigits != ci->nd || !ci->pc || !ci->hash ||
	    ci->pc->nd != ci->nd)
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
 * The scalar in the order the kernel's crypto_ecdh_shared_secret() wants
 * it, in place: native digits, or before 6.10 big-endian words that its
 * ecc_swap_digits() turns back (compat.h).
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

/* pub = k·G as X || Y, for k in [1, n-1] (ecc_point.c, constant time). */
static int mult_base(const struct curve_info *ci, const u64 *k, u8 *pub)
{
	u64 x[MAX_DIGITS], y[MAX_DIGITS];
	int ret;

	ret = vhsm_ec_mul_base(ci->pc, k, x, y);
	if (!ret) {
		to_bytes(ci, x, pub);
		to_bytes(ci, y, pub + ci->nbytes);
	}
	memzero_explicit(x, sizeof(x));
	memzero_explicit(y, sizeof(y));
	return ret;
}

/* res = a·b mod n for a, b < n (Montgomery: a·(b·R)·R^-1). res may alias. */
static void n_mul(const struct curve_info *ci, u64 *res, const u64 *a,
		  const u64 *b)
{
	u64 t[MAX_DIGITS];

	vhsm_fe_to_mont(&ci->pc->n, t, b);
	vhsm_fe_mul(&ci->pc->n, res, a, t);
	memzero_explicit(t, sizeof(t));
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

/* HMAC_DRBG state of RFC 6979 3.2, on the signer's stack. */
struct drbg {
	struct crypto_shash *hash;		/* unkeyed, shared */
	unsigned int len;			/* hlen == qlen / 8 == nbytes */
	u8 k[VHSM_ECC_MAX_BYTES];
	u8 v[VHSM_ECC_MAX_BYTES];
};

static void drbg_wipe(struct drbg *d)
{
	memzero_explicit(d->k, sizeof(d->k));
	memzero_explicit(d->v, sizeof(d->v));
}

/* out = HMAC_K(V || sep || a || b || c), skipping absent parts */
static noinline_for_stack int drbg_mac(struct drbg *d, u8 *out, const u8 *sep,
				       const u8 *a, const u8 *b, const u8 *c, size_t clen)
{
	const struct vhsm_hmac_part parts[] = {
		{ d->v, d->len }, { sep, 1 }, { a, d->len }, { b, d->len }, { c, clen },
	};

	return vhsm_hmac(d->hash, d->k, d->len, parts, ARRAY_SIZE(parts), out);
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
	n_mul(ci, t, k, b);
	vli_mod_inv(t, t, ci->ec->n, ci->nd);
	n_mul(ci, t, t, b);
	memzero_explicit(b, sizeof(b));
	return 0;
}

/*
 * sig = r || s for the nonce k; -EAGAIN if r or s is 0. Not inlined: its
 * scalars and sign_loop()'s would make one frame over 1 KiB under KASAN.
 */
static noinline_for_stack int sign_k(const struct curve_info *ci, const u64 *d,
				     const u64 *e, const u64 *k, u8 *sig)
{
	u64 r[MAX_DIGITS], s[MAX_DIGITS], kinv[MAX_DIGITS], y[MAX_DIGITS];
	int ret;

	ret = vhsm_ec_mul_base(ci->pc, k, r, y);	/* r = x(k·G) */
	if (ret)
		goto out;
	reduce_once(r, r, ci->ec->n, ci->nd);
	if (ct_is_zero(r, ci->nd)) {
		ret = -EAGAIN;
		goto out;
	}

	ret = blinded_inverse(ci, k, kinv);
	if (ret)
		goto out;
	n_mul(ci, s, r, d);				/* r·d */
	mod_add(s, s, e, ci->ec->n, ci->nd);		/* e + r·d */
	n_mul(ci, s, s, kinv);				/* k^-1 (e + r·d) */
	if (ct_is_zero(s, ci->nd)) {
		ret = -EAGAIN;
		goto out;
	}
	to_bytes(ci, r, sig);
	to_bytes(ci, s, sig + ci->nbytes);
out:
	memzero_explicit(r, sizeof(r));
	memzero_explicit(s, sizeof(s));
	memzero_explicit(y, sizeof(y));
	memzero_explicit(kinv, sizeof(kinv));
	return ret;
}

/* Draw RFC 6979 candidates until one gives a signature. */
static noinline_for_stack int sign_loop(const struct curve_info *ci, struct drbg *drbg,
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

	drbg.hash = ci.hash;
	drbg.len = ci.nbytes;
	/* int2octets(x) is priv itself: fixed width and already < n */
	ret = drbg_seed(&drbg, priv, h, extra, extra_len);
	if (!ret)
		ret = sign_loop(&ci, &drbg, d, e, sig);
	drbg_wipe(&drbg);
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

int vhsm_ecc_verify(enum vhsm_ecc_curve curve, const u8 *pub,
		    const u8 *digest, size_t dlen, const u8 *sig)
{
	struct curve_info ci;
	u64 r[MAX_DIGITS], s[MAX_DIGITS], e[MAX_DIGITS];
	u64 u1[MAX_DIGITS], u2[MAX_DIGITS];
	u64 qx[MAX_DIGITS], qy[MAX_DIGITS];

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
	digest_to_scalar(&ci, digest, dlen, e);

	vli_mod_inv(s, s, ci.ec->n, ci.nd);			/* w = s^-1 */
	n_mul(&ci, u1, e, s);					/* e·w */
	n_mul(&ci, u2, r, s);					/* r·w */
	/* (u1·G + u2·Q).x mod n == r, every exceptional case handled */
	return vhsm_ec_verify_r(ci.pc, u1, u2, qx, qy, r);
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

/* ---- module lifetime ---- */

void vhsm_ecc_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(drbg_hash); i++) {
		if (!IS_ERR_OR_NULL(drbg_hash[i]))
			crypto_free_shash(drbg_hash[i]);
		drbg_hash[i] = NULL;
	}
	vhsm_ec_exit();
}

int vhsm_ecc_init(void)
{
	static const char *const names[] = { "sha256", "sha384" };
	unsigned int i;
	int ret;

	ret = vhsm_ec_init();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(drbg_hash); i++) {
		drbg_hash[i] = crypto_alloc_shash(names[i], 0, 0);
		if (IS_ERR(drbg_hash[i])) {
			ret = PTR_ERR(drbg_hash[i]);
			drbg_hash[i] = NULL;
			goto err;
		}
	}
	/* power-on self-test: refuse to load with broken signing code */
	ret = vhsm_ecc_selftest();
	if (ret)
		goto err;
	return 0;
err:
	vhsm_ecc_exit();
	return ret;
}
