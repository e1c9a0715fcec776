// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — point arithmetic on NIST P-256 and P-384 for ECDSA (ecc_point.h):
 * the fixed-base k·G of signing and key generation, and the joint
 * u1·G + u2·Q of verification. Field elements are in Montgomery form
 * (ecc_field.c); points are Jacobian (X, Y, Z) = (X/Z^2, Y/Z^3) with Z = 0
 * the point at infinity, or affine where a table holds them.
 *
 * Fixed base (secret scalar, constant time). The scalar k is recoded into
 * W signed 5-bit digits d_i in [-16, 16] with k = sum d_i·2^(5i)
 * (d_i = b(5i-1) + bits 5i..5i+4 - 32·b(5i+4), b(-1) = 0; W = 52 for P-256,
 * 77 for P-384, enough that the top digit is never negative). At module
 * load, row i of a table gets j·2^(5i)·G for j = 1..16 (affine), so
 * k·G = sum over i of ±row_i[|d_i|], W mixed additions and no doubling.
 * Each row is read whole and the entry picked with masks, the sign applied
 * by a masked negation: no memory index and no branch depends on k.
 * Exceptional cases of the mixed addition acc + T, acc = sum of the digits
 * below i times G, T = d_i·2^(5i)·G:
 *  - acc = O (every digit so far 0): handled by a mask, the sum is T;
 *  - T = O (d_i = 0): handled by a mask, the sum stays acc;
 *  - acc = ±T, where the formula fails (it would need a doubling, or give
 *    the point at infinity): does not happen for k in [1, n-1]. Write a for
 *    the integer sum of the digits below i times 2^(5j), t = d_i·2^(5i):
 *    |a| <= 16·(2^(5i) - 1)/31 < 0.52·2^(5i) < 2^(5i) <= |t| <= 16·2^(5i),
 *    so a != ±t, and a ≡ ±t (mod n) needs |a| + |t| >= n. Below the top
 *    window |a| + |t| < 17·2^(5i) < n (5i <= 250, resp. 375). In the top
 *    window a + t = k, not ≡ 0; and a ≡ t means a = t - n (|a - t| < 2n),
 *    so n - t = |a| < 0.52·2^(5i) with t = d·2^(5i), d >= 1. P-256 (5i =
 *    255): t is 2^255, and n - 2^255 > 0.99·2^255, or 2^256 > n. P-384
 *    (5i = 380): 16·2^380 = 2^384 > n, and n - 15·2^380 > 0.99·2^380.
 * The result is checked to be on the curve (fault check) before it is
 * returned. The power-on self-test (ecc_selftest.c) compares the table
 * against crypto/ecc.c's ladder.
 *
 * Verification (public inputs, variable time). u1·G + u2·Q is one joint
 * double-and-add (Straus): u1 and u2 are written in width-8 and width-5
 * NAF; one chain of doublings, adding ±(2j+1)·G from the load-time table of
 * odd multiples and ±(2j+1)·Q from a table of 8 odd multiples built per
 * call. The additions handle every case (either input at infinity, equal
 * points, opposite points); the kernel's ecc_point_mult_shamir() did not,
 * see vhsm_ec_verify_r(). x(R) ≡ r (mod n) is tested as X = r·Z^2 or
 * X = (r + n)·Z^2 (when r + n < p), without an inversion.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#define ec_zalloc(len)	kvzalloc(len, GFP_KERNEL)
#define ec_free(p)	kvfree(p)
#else
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define ec_zalloc(len)	calloc(1, len)
#define ec_free(p)	free(p)
#endif

#include "ecc_point.h"

#define ND		VHSM_FE_MAX
#define ROW		16	/* entries per fixed-base row: |d| = 1..16 */
#define GODD		64	/* odd multiples of G: width-8 NAF digits */
#define QODD		8	/* odd multiples of Q: width-5 NAF digits */
#define NAF_MAX		(64 * ND + 1)

struct jac {
	u64 x[ND], y[ND], z[ND];
};

static struct vhsm_ec curves[VHSM_EC_CURVES];
static bool ready;

const struct vhsm_ec *vhsm_ec_get(unsigned int id)
{
	return ready && id < VHSM_EC_CURVES ? &curves[id] : NULL;
}

/* ---- point formulas (a = -3) ---- */

/*
 * r = 2·a (Jacobian, "dbl-2001-b": 3M + 5S). Z = 0 stays 0. r may alias a.
 */
static void pt_double(const struct vhsm_ec *c, struct jac *r, const struct jac *a)
{
	const struct vhsm_fmod *f = &c->p;
	u64 delta[ND], gamma[ND], beta[ND], alpha[ND], t[ND];

	vhsm_fe_sqr(f, delta, a->z);
	vhsm_fe_sqr(f, gamma, a->y);
	vhsm_fe_mul(f, beta, a->x, gamma);
	vhsm_fe_sub(f, t, a->x, delta);
	vhsm_fe_add(f, alpha, a->x, delta);
	vhsm_fe_mul(f, alpha, alpha, t);
	vhsm_fe_add(f, t, alpha, alpha);
	vhsm_fe_add(f, alpha, alpha, t);		/* 3(x - d)(x + d) */
	/* z3 = (y + z)^2 - gamma - delta */
	vhsm_fe_add(f, t, a->y, a->z);
	vhsm_fe_sqr(f, t, t);
	vhsm_fe_sub(f, t, t, gamma);
	vhsm_fe_sub(f, r->z, t, delta);
	/* x3 = alpha^2 - 8 beta */
	vhsm_fe_add(f, beta, beta, beta);
	vhsm_fe_add(f, beta, beta, beta);		/* 4 beta */
	vhsm_fe_sqr(f, t, alpha);
	vhsm_fe_sub(f, t, t, beta);
	vhsm_fe_sub(f, r->x, t, beta);
	/* y3 = alpha (4 beta - x3) - 8 gamma^2 */
	vhsm_fe_sub(f, beta, beta, r->x);
	vhsm_fe_mul(f, beta, alpha, beta);
	vhsm_fe_sqr(f, gamma, gamma);
	vhsm_fe_add(f, gamma, gamma, gamma);
	vhsm_fe_add(f, gamma, gamma, gamma);
	vhsm_fe_add(f, gamma, gamma, gamma);		/* 8 gamma^2 */
	vhsm_fe_sub(f, r->y, beta, gamma);
	vhsm_fe_wipe(alpha, sizeof(alpha));
	vhsm_fe_wipe(beta, sizeof(beta));
	vhsm_fe_wipe(t, sizeof(t));
}

/*
 * r = a + (x2, y2), the second point affine ("madd", 8M + 3S), for a != O
 * and a != ±(x2, y2): the caller rules those out. r may alias a. Sets *h0
 * and *r0 to all ones if H = U2 - X1, resp. S2 - Y1, is 0 (for the variable
 * time caller, which handles the exceptions).
 */
static void pt_add_affine(const struct vhsm_ec *c, struct jac *r,
			  const struct jac *a, const u64 *x2, const u64 *y2,
			  u64 *h0, u64 *r0)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd;
	u64 zz[ND], u2[ND], s2[ND], h[ND], rr[ND], hh[ND], hhh[ND], v[ND];

	vhsm_fe_sqr(f, zz, a->z);
	vhsm_fe_mul(f, u2, x2, zz);
	vhsm_fe_mul(f, s2, y2, a->z);
	vhsm_fe_mul(f, s2, s2, zz);
	vhsm_fe_sub(f, h, u2, a->x);
	vhsm_fe_sub(f, rr, s2, a->y);
	*h0 = vhsm_fe_is_zero(nd, h);
	*r0 = vhsm_fe_is_zero(nd, rr);
	vhsm_fe_sqr(f, hh, h);
	vhsm_fe_mul(f, hhh, h, hh);
	vhsm_fe_mul(f, v, a->x, hh);
	/* z3 = z1·H */
	vhsm_fe_mul(f, r->z, a->z, h);
	/* y1·H^3 before y is overwritten */
	vhsm_fe_mul(f, s2, a->y, hhh);
	/* x3 = R^2 - H^3 - 2V */
	vhsm_fe_sqr(f, u2, rr);
	vhsm_fe_sub(f, u2, u2, hhh);
	vhsm_fe_sub(f, u2, u2, v);
	vhsm_fe_sub(f, r->x, u2, v);
	/* y3 = R (V - x3) - y1·H^3 */
	vhsm_fe_sub(f, v, v, r->x);
	vhsm_fe_mul(f, v, rr, v);
	vhsm_fe_sub(f, r->y, v, s2);
	vhsm_fe_wipe(zz, sizeof(zz));
	vhsm_fe_wipe(u2, sizeof(u2));
	vhsm_fe_wipe(s2, sizeof(s2));
	vhsm_fe_wipe(h, sizeof(h));
	vhsm_fe_wipe(rr, sizeof(rr));
	vhsm_fe_wipe(hh, sizeof(hh));
	vhsm_fe_wipe(hhh, sizeof(hhh));
	vhsm_fe_wipe(v, sizeof(v));
}

/* ---- variable-time additions, every case handled (public points only) ---- */

static bool pt_is_inf(const struct vhsm_ec *c, const struct jac *a)
{
	return vhsm_fe_is_zero(c->nd, a->z) != 0;
}

static void pt_set_inf(struct jac *a)
{
	memset(a, 0, sizeof(*a));
}

/* a += (x2, y2) */
static void pt_add_affine_var(const struct vhsm_ec *c, struct jac *a,
			      const u64 *x2, const u64 *y2)
{
	unsigned int n = c->nd * sizeof(u64);
	struct jac t;
	u64 h0, r0;

	if (pt_is_inf(c, a)) {
		memcpy(a->x, x2, n);
		memcpy(a->y, y2, n);
		memcpy(a->z, c->p.one, n);
		return;
	}
	pt_add_affine(c, &t, a, x2, y2, &h0, &r0);
	if (h0 && r0)
		pt_double(c, a, a);	/* a = (x2, y2) */
	else
		*a = t;			/* h0 alone: a = -(x2, y2), t.z = 0 */
}

/* a += b, both Jacobian ("add", 12M + 4S) */
static void pt_add_var(const struct vhsm_ec *c, struct jac *a,
		       const struct jac *b)
{
	const struct vhsm_fmod *f = &c->p;
	u64 z1z1[ND], z2z2[ND], u1[ND], u2[ND], s1[ND], s2[ND], h[ND], rr[ND];
	unsigned int nd = c->nd;

	if (pt_is_inf(c, b))
		return;
	if (pt_is_inf(c, a)) {
		*a = *b;
		return;
	}
	vhsm_fe_sqr(f, z1z1, a->z);
	vhsm_fe_sqr(f, z2z2, b->z);
	vhsm_fe_mul(f, u1, a->x, z2z2);
	vhsm_fe_mul(f, u2, b->x, z1z1);
	vhsm_fe_mul(f, s1, a->y, b->z);
	vhsm_fe_mul(f, s1, s1, z2z2);
	vhsm_fe_mul(f, s2, b->y, a->z);
	vhsm_fe_mul(f, s2, s2, z1z1);
	vhsm_fe_sub(f, h, u2, u1);
	vhsm_fe_sub(f, rr, s2, s1);
	if (vhsm_fe_is_zero(nd, h)) {
		if (vhsm_fe_is_zero(nd, rr))
			pt_double(c, a, a);
		else
			pt_set_inf(a);
		return;
	}
	/* z3 = z1·z2·H */
	vhsm_fe_mul(f, a->z, a->z, b->z);
	vhsm_fe_mul(f, a->z, a->z, h);
	vhsm_fe_sqr(f, z1z1, h);			/* H^2 */
	vhsm_fe_mul(f, z2z2, z1z1, h);			/* H^3 */
	vhsm_fe_mul(f, u1, u1, z1z1);			/* V = U1·H^2 */
	vhsm_fe_sqr(f, u2, rr);
	vhsm_fe_sub(f, u2, u2, z2z2);
	vhsm_fe_sub(f, u2, u2, u1);
	vhsm_fe_sub(f, a->x, u2, u1);
	vhsm_fe_sub(f, u1, u1, a->x);
	vhsm_fe_mul(f, u1, rr, u1);
	vhsm_fe_mul(f, s1, s1, z2z2);
	vhsm_fe_sub(f, a->y, u1, s1);
}

/*
 * Affine (Montgomery) points out[i] = in[i] for n Jacobian points, none at
 * infinity, with one inversion. @pre holds n numbers of scratch.
 */
static void pt_normalize(const struct vhsm_ec *c, u64 *out,
			 const struct jac *in, u64 (*pre)[ND], unsigned int n)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd, i;
	u64 inv[ND], zi[ND], zi2[ND];

	memcpy(pre[0], in[0].z, sizeof(pre[0]));
	for (i = 1; i < n; i++)
		vhsm_fe_mul(f, pre[i], pre[i - 1], in[i].z);
	vhsm_fe_inv(f, inv, pre[n - 1]);
	for (i = n; i-- > 0;) {
		u64 *o = out + 2 * nd * i;

		if (i) {
			vhsm_fe_mul(f, zi, inv, pre[i - 1]);
			vhsm_fe_mul(f, inv, inv, in[i].z);
		} else {
			memcpy(zi, inv, sizeof(zi));
		}
		vhsm_fe_sqr(f, zi2, zi);
		vhsm_fe_mul(f, o, in[i].x, zi2);
		vhsm_fe_mul(f, zi2, zi2, zi);
		vhsm_fe_mul(f, o + nd, in[i].y, zi2);
	}
}

/* ---- fixed base: k·G, constant time ---- */

/* The 6 bits of k from bit @pos - 1 up (bit -1 and bits past the top are 0). */
static unsigned int window_bits(const u64 *k, unsigned int nd, unsigned int pos)
{
	unsigned int lo, off;
	u64 v;

	if (!pos)
		return (unsigned int)(k[0] << 1) & 63;
	lo = (pos - 1) / 64;
	off = (pos - 1) % 64;
	v = k[lo] >> off;
	if (off > 58 && lo + 1 < nd)
		v |= k[lo + 1] << (64 - off);
	return (unsigned int)v & 63;
}

/* all ones if a == b (small non-negative values), else 0 */
static u64 ct_eq_small(u64 a, u64 b)
{
	return 0 - (((a ^ b) - 1) >> 63);
}

/*
 * (x, y) = sign·row[idx - 1] for idx in 1..16 (0 gives zeros): reads the
 * whole row, keeps one entry by mask, negates y by mask.
 */
static void row_select(const struct vhsm_ec *c, const u64 *row,
		       unsigned int idx, u64 neg, u64 *x, u64 *y)
{
	unsigned int nd = c->nd, j, i;
	u64 ny[ND];

	memset(x, 0, nd * sizeof(u64));
	memset(y, 0, nd * sizeof(u64));
	for (j = 0; j < ROW; j++) {
		const u64 *e = row + 2 * nd * j;
		u64 mask = ct_eq_small(j + 1, idx);

		for (i = 0; i < nd; i++) {
			x[i] |= e[i] & mask;
			y[i] |= e[nd + i] & mask;
		}
	}
	vhsm_fe_neg(&c->p, ny, y);
	vhsm_fe_cmov(nd, y, ny, 0 - neg);
	vhsm_fe_wipe(ny, sizeof(ny));
}

/* acc = k·G in Jacobian form; acc->z = 0 only if k = 0 */
static void mul_base_jac(const struct vhsm_ec *c, const u64 *k, struct jac *acc)
{
	unsigned int nd = c->nd, i;
	u64 x[ND], y[ND], inf = ~0ULL, h0, r0;
	struct jac sum;

	pt_set_inf(acc);
	for (i = 0; i < c->windows; i++) {
		unsigned int v = window_bits(k, nd, 5 * i);
		int d = (int)(v >> 1) + (int)(v & 1) - (int)((v >> 5) << 5);
		u64 neg = (u64)((unsigned int)d >> 31);
		u64 mag = (u64)(((unsigned int)d ^ (0U - (unsigned int)neg)) +
				(unsigned int)neg);
		u64 skip = ct_eq_small(mag, 0);

		row_select(c, c->base + (size_t)i * ROW * 2 * nd, (unsigned int)mag,
			   neg, x, y);
		pt_add_affine(c, &sum, acc, x, y, &h0, &r0);
		/* acc = O: the sum is the table point itself */
		vhsm_fe_cmov(nd, sum.x, x, inf);
		vhsm_fe_cmov(nd, sum.y, y, inf);
		vhsm_fe_cmov(nd, sum.z, c->p.one, inf);
		/* d = 0: acc unchanged */
		vhsm_fe_cmov(nd, acc->x, sum.x, ~skip);
		vhsm_fe_cmov(nd, acc->y, sum.y, ~skip);
		vhsm_fe_cmov(nd, acc->z, sum.z, ~skip);
		inf &= skip;
	}
	vhsm_fe_wipe(&sum, sizeof(sum));
	vhsm_fe_wipe(x, sizeof(x));
	vhsm_fe_wipe(y, sizeof(y));
}

bool vhsm_ec_on_curve(const struct vhsm_ec *c, const u64 *x, const u64 *y)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd;
	u64 xm[ND], ym[ND], l[ND], r[ND], t[ND];

	if (!vhsm_fe_sub_raw(nd, t, x, f->m) || !vhsm_fe_sub_raw(nd, t, y, f->m))
		return false;
	vhsm_fe_to_mont(f, xm, x);
	vhsm_fe_to_mont(f, ym, y);
	vhsm_fe_sqr(f, l, ym);
	vhsm_fe_sqr(f, r, xm);
	vhsm_fe_mul(f, r, r, xm);
	vhsm_fe_add(f, t, xm, xm);
	vhsm_fe_add(f, t, t, xm);
	vhsm_fe_sub(f, r, r, t);
	vhsm_fe_add(f, r, r, c->b);
	return vhsm_fe_eq(nd, l, r) != 0;
}

int vhsm_ec_mul_base(const struct vhsm_ec *c, const u64 *k, u64 *x, u64 *y)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd;
	u64 zi[ND], zi2[ND], ax[ND], ay[ND];
	struct jac acc;
	int ret = 0;

	mul_base_jac(c, k, &acc);
	vhsm_fe_inv(f, zi, acc.z);
	vhsm_fe_sqr(f, zi2, zi);
	vhsm_fe_mul(f, ax, acc.x, zi2);
	vhsm_fe_mul(f, zi2, zi2, zi);
	vhsm_fe_mul(f, ay, acc.y, zi2);
	vhsm_fe_from_mont(f, ax, ax);
	vhsm_fe_from_mont(f, ay, ay);
	if (vhsm_ec_on_curve(c, ax, ay)) {
		memcpy(x, ax, nd * sizeof(u64));
		memcpy(y, ay, nd * sizeof(u64));
	} else {
		ret = -EFAULT;
	}
	vhsm_fe_wipe(&acc, sizeof(acc));
	vhsm_fe_wipe(zi, sizeof(zi));
	vhsm_fe_wipe(zi2, sizeof(zi2));
	vhsm_fe_wipe(ax, sizeof(ax));
	vhsm_fe_wipe(ay, sizeof(ay));
	return ret;
}

/* ---- verification: u1·G + u2·Q, variable time ---- */

struct verify_scratch {
	signed char naf1[NAF_MAX], naf2[NAF_MAX];
	struct jac q[QODD];
	struct jac acc;
	u64 neg[ND];
};

/*
 * Width-w NAF of k < 2^(64 nd): naf[i] odd in (-2^(w-1), 2^(w-1)) or 0,
 * k = sum naf[i]·2^i. Returns the number of digits.
 */
static unsigned int wnaf(const u64 *k, unsigned int nd, unsigned int w,
			 signed char *naf)
{
	u64 t[ND + 1] = {};
	unsigned int len = 0, i;

	memcpy(t, k, nd * sizeof(u64));
	while (!vhsm_fe_is_zero(nd + 1, t)) {
		int d = 0;

		if (t[0] & 1) {
			d = (int)(t[0] & ((1U << w) - 1));
			if (d >= 1 << (w - 1))
				d -= 1 << w;
			/* t -= d: the low w bits become 0 */
			if (d > 0) {
				u64 s[ND + 1] = { (u64)d };

				vhsm_fe_sub_raw(nd + 1, t, t, s);
			} else {
				u64 s[ND + 1] = { (u64)-d };

				vhsm_fe_add_raw(nd + 1, t, t, s);
			}
		}
		naf[len++] = (signed char)d;
		for (i = 0; i < nd; i++)
			t[i] = (t[i] >> 1) | (t[i + 1] << 63);
		t[nd] >>= 1;
	}
	return len;
}

/* s->acc += d·(table point), d an odd NAF digit */
static void add_godd(const struct vhsm_ec *c, struct verify_scratch *s, int d)
{
	unsigned int nd = c->nd;
	const u64 *e = c->godd + 2 * nd * (unsigned int)((d < 0 ? -d : d) / 2);

	if (d > 0) {
		pt_add_affine_var(c, &s->acc, e, e + nd);
	} else {
		vhsm_fe_neg(&c->p, s->neg, e + nd);
		pt_add_affine_var(c, &s->acc, e, s->neg);
	}
}

static void add_qodd(const struct vhsm_ec *c, struct verify_scratch *s, int d)
{
	struct jac t = s->q[(d < 0 ? -d : d) / 2];

	if (d < 0)
		vhsm_fe_neg(&c->p, t.y, t.y);
	pt_add_var(c, &s->acc, &t);
}

/* x(acc) ≡ r (mod n)? acc not at infinity */
static bool x_matches(const struct vhsm_ec *c, const struct jac *acc,
		      const u64 *r)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd;
	u64 zz[ND], t[ND], rn[ND];

	vhsm_fe_sqr(f, zz, acc->z);
	vhsm_fe_to_mont(f, t, r);			/* r < n < p */
	vhsm_fe_mul(f, t, t, zz);
	if (vhsm_fe_eq(nd, t, acc->x))
		return true;
	/* x in [n, p) also reduces to r */
	if (vhsm_fe_add_raw(nd, rn, r, c->n.m) || !vhsm_fe_sub_raw(nd, t, rn, f->m))
		return false;
	vhsm_fe_to_mont(f, t, rn);
	vhsm_fe_mul(f, t, t, zz);
	return vhsm_fe_eq(nd, t, acc->x) != 0;
}

/*
 * Why not the kernel's ecc_point_mult_shamir() (crypto/ecc.c, 6.12): it adds
 * with the co-Z formula xycz_add(), which assumes the two points differ and
 * are not opposite, and never checks.
 *  - It first precomputes G + Q that way. For Q = G the difference of the x
 *    coordinates is 0, vli_mod_inv() of 0 returns 0, and "G + Q" becomes
 *    (0, 0); for Q = -G the true sum is the point at infinity, which it
 *    cannot represent. Every step where both scalar bits are 1 adds that
 *    wrong point.
 *  - In the double-and-add loop, when the accumulator equals the point being
 *    added (a doubling) or its negative (a sum at infinity), the same formula
 *    multiplies Z by X1 - X2 = 0; Z stays 0 to the end, and the result is
 *    (0, 0).
 * Either way a valid signature is refused. A model of the routine (same
 * formulas, exact arithmetic mod p) reproduces it on P-256: random keys come
 * out right; Q = G gives a wrong x, Q = -G gives x = 0, and so does
 * Wycheproof's tcId 295 ("EdgeCaseShamirMultiplication", built so that an
 * intermediate sum is the point at infinity). The power-on self-test
 * verifies that vector and its P-384 twin, the point-duplication vectors and
 * signatures under the keys 1 and n - 1 (Q = G, Q = -G); the host test
 * (selftests/host/ecc_unit.c) adds Q = 2G and -2G against OpenSSL.
 */
int vhsm_ec_verify_r(const struct vhsm_ec *c, const u64 *u1, const u64 *u2,
		     const u64 *qx, const u64 *qy, const u64 *r)
{
	const struct vhsm_fmod *f = &c->p;
	unsigned int nd = c->nd, n1, n2, i;
	struct verify_scratch *s;
	struct jac q2;
	int ret;

	s = ec_zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	n1 = wnaf(u1, nd, 8, s->naf1);
	n2 = wnaf(u2, nd, 5, s->naf2);

	/* Q, 3Q, ..., 15Q */
	vhsm_fe_to_mont(f, s->q[0].x, qx);
	vhsm_fe_to_mont(f, s->q[0].y, qy);
	memcpy(s->q[0].z, f->one, sizeof(s->q[0].z));
	pt_double(c, &q2, &s->q[0]);
	for (i = 1; i < QODD; i++) {
		s->q[i] = s->q[i - 1];
		pt_add_var(c, &s->q[i], &q2);
	}

	pt_set_inf(&s->acc);
	for (i = n1 > n2 ? n1 : n2; i-- > 0;) {
		if (!pt_is_inf(c, &s->acc))
			pt_double(c, &s->acc, &s->acc);
		if (i < n1 && s->naf1[i])
			add_godd(c, s, s->naf1[i]);
		if (i < n2 && s->naf2[i])
			add_qodd(c, s, s->naf2[i]);
	}
	ret = !pt_is_inf(c, &s->acc) && x_matches(c, &s->acc, r) ? 0 : -EBADMSG;
	ec_free(s);
	return ret;
}

/* ---- tables ---- */

struct build_scratch {
	struct jac pts[GODD];
	u64 pre[GODD][ND];
};

/* row i: j·P for j = 1..16, P = 2^(5i)·G; then P = 2^5·P */
static void build_base(struct vhsm_ec *c, struct build_scratch *w)
{
	unsigned int i, j, nd = c->nd;
	struct jac p;

	vhsm_fe_to_mont(&c->p, p.x, c->gx);
	vhsm_fe_to_mont(&c->p, p.y, c->gy);
	memcpy(p.z, c->p.one, sizeof(p.z));
	for (i = 0; i < c->windows; i++) {
		w->pts[0] = p;
		pt_double(c, &w->pts[1], &p);
		for (j = 2; j < ROW; j++) {
			w->pts[j] = w->pts[j - 1];
			pt_add_var(c, &w->pts[j], &p);
		}
		pt_normalize(c, c->base + (size_t)i * ROW * 2 * nd, w->pts, w->pre,
			     ROW);
		pt_double(c, &p, &w->pts[ROW - 1]);
	}
}

/* (2j+1)·G for j = 0..63 */
static void build_godd(struct vhsm_ec *c, struct build_scratch *w)
{
	struct jac g2;
	unsigned int j;

	vhsm_fe_to_mont(&c->p, w->pts[0].x, c->gx);
	vhsm_fe_to_mont(&c->p, w->pts[0].y, c->gy);
	memcpy(w->pts[0].z, c->p.one, sizeof(w->pts[0].z));
	pt_double(c, &g2, &w->pts[0]);
	for (j = 1; j < GODD; j++) {
		w->pts[j] = w->pts[j - 1];
		pt_add_var(c, &w->pts[j], &g2);
	}
	pt_normalize(c, c->godd, w->pts, w->pre, GODD);
}

/* FIPS 186-4 D.1.2.3 and D.1.2.4, least significant digit first */
static const u64 p256_consts[5][4] = {
	{ 0xffffffffffffffffULL, 0x00000000ffffffffULL,
	  0x0000000000000000ULL, 0xffffffff00000001ULL },	/* p */
	{ 0xf3b9cac2fc632551ULL, 0xbce6faada7179e84ULL,
	  0xffffffffffffffffULL, 0xffffffff00000000ULL },	/* n */
	{ 0x3bce3c3e27d2604bULL, 0x651d06b0cc53b0f6ULL,
	  0xb3ebbd55769886bcULL, 0x5ac635d8aa3a93e7ULL },	/* b */
	{ 0xf4a13945d898c296ULL, 0x77037d812deb33a0ULL,
	  0xf8bce6e563a440f2ULL, 0x6b17d1f2e12c4247ULL },	/* Gx */
	{ 0xcbb6406837bf51f5ULL, 0x2bce33576b315eceULL,
	  0x8ee7eb4a7c0f9e16ULL, 0x4fe342e2fe1a7f9bULL },	/* Gy */
};

static const u64 p384_consts[5][6] = {
	{ 0x00000000ffffffffULL, 0xffffffff00000000ULL, 0xfffffffffffffffeULL,
	  0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL },
	{ 0xecec196accc52973ULL, 0x581a0db248b0a77aULL, 0xc7634d81f4372ddfULL,
	  0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL },
	{ 0x2a85c8edd3ec2aefULL, 0xc656398d8a2ed19dULL, 0x0314088f5013875aULL,
	  0x181d9c6efe814112ULL, 0x988e056be3f82d19ULL, 0xb3312fa7e23ee7e4ULL },
	{ 0x3a545e3872760ab7ULL, 0x5502f25dbf55296cULL, 0x59f741e082542a38ULL,
	  0x6e1d3b628ba79b98ULL, 0x8eb1c71ef320ad74ULL, 0xaa87ca22be8b0537ULL },
	{ 0x7a431d7c90ea0e5fULL, 0x0a60b1ce1d7e819dULL, 0xe9da3113b5f0b8c0ULL,
	  0xf8f41dbd289a147cULL, 0x5d9e98bf9292dc29ULL, 0x3617de4a96262c6fULL },
};

static int curve_setup(struct vhsm_ec *c, const u64 *consts, unsigned int nd,
		       struct build_scratch *w)
{
	size_t n = nd * sizeof(u64);

	c->nd = nd;
	/* ceil((bits + 1) / 5) windows: the top digit is never negative */
	c->windows = (64 * nd + 1 + 4) / 5;
	c->p.nd = nd;
	c->n.nd = nd;
	memcpy(c->p.m, consts, n);
	memcpy(c->n.m, consts + nd, n);
	vhsm_fe_setup(&c->p);
	vhsm_fe_setup(&c->n);
	vhsm_fe_to_mont(&c->p, c->b, consts + 2 * nd);
	memcpy(c->gx, consts + 3 * nd, n);
	memcpy(c->gy, consts + 4 * nd, n);

	c->base = ec_zalloc((size_t)c->windows * ROW * 2 * n);
	c->godd = ec_zalloc(GODD * 2 * n);
	if (!c->base || !c->godd)
		return -ENOMEM;
	build_base(c, w);
	build_godd(c, w);
	return 0;
}

void vhsm_ec_exit(void)
{
	unsigned int i;

	ready = false;
	for (i = 0; i < VHSM_EC_CURVES; i++) {
		ec_free(curves[i].base);
		ec_free(curves[i].godd);
		memset(&curves[i], 0, sizeof(curves[i]));
	}
}

int vhsm_ec_init(void)
{
	struct build_scratch *w = ec_zalloc(sizeof(*w));
	int ret = -ENOMEM;

	if (!w)
		return ret;
	ret = curve_setup(&curves[VHSM_EC_P256], &p256_consts[0][0], 4, w);
	if (!ret)
		ret = curve_setup(&curves[VHSM_EC_P384], &p384_consts[0][0], 6, w);
	ec_free(w);
	if (ret) {
		vhsm_ec_exit();
		return ret;
	}
	ready = true;
	return 0;
}
