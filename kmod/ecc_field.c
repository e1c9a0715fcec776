// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — Montgomery arithmetic modulo the P-256 and P-384 primes and group
 * orders (see ecc_field.h for the API).
 *
 * Multiplication is the coarsely integrated operand scanning form of
 * Montgomery's method: for each digit b[i], t += a * b[i], then t += q * m
 * with q = t[0] * minv mod 2^64, which clears the low digit, and t is shifted
 * down one digit. After nd rounds t = a * b * R^-1 + (something) * m / R < 2m
 * for a, b < m, and one subtraction of m, kept or dropped by a mask, reduces
 * it. The loops have a fixed count; each exported function dispatches once
 * on nd (public) to a copy of the code with nd known to the compiler, so that
 * both sizes are fully unrolled.
 *
 * Side channels: no branch and no memory index depends on a digit value;
 * conditional results are selected with all-ones/all-zero masks. The
 * intermediate values of the last call stay in this file's stack frames,
 * which are overwritten by the next calls; the callers in ecc_point.c wipe
 * their own (larger) temporaries.
 */
#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/string.h>
#else
#include <string.h>
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define noinline_for_stack __attribute__((__noinline__))
#endif

#include "ecc_field.h"

typedef unsigned __int128 fe_u128;

/* nd is a constant in every copy: unroll fully (GCC and clang) */
#define FE_UNROLL	_Pragma("GCC unroll 8")

/* ---- plain multi-digit helpers ---- */

static __always_inline u64 sub_n(unsigned int nd, u64 *res, const u64 *a,
				 const u64 *b)
{
	u64 borrow = 0;
	unsigned int i;

	FE_UNROLL
	for (i = 0; i < nd; i++) {
		fe_u128 d = (fe_u128)a[i] - b[i] - borrow;

		res[i] = (u64)d;
		borrow = (u64)(d >> 64) & 1;
	}
	return borrow;
}

static __always_inline u64 add_n(unsigned int nd, u64 *res, const u64 *a,
				 const u64 *b)
{
	u64 carry = 0;
	unsigned int i;

	FE_UNROLL
	for (i = 0; i < nd; i++) {
		fe_u128 s = (fe_u128)a[i] + b[i] + carry;

		res[i] = (u64)s;
		carry = (u64)(s >> 64);
	}
	return carry;
}

/* r = mask ? a : b */
static __always_inline void sel_n(unsigned int nd, u64 *r, u64 mask,
				  const u64 *a, const u64 *b)
{
	unsigned int i;

	FE_UNROLL
	for (i = 0; i < nd; i++)
		r[i] = (a[i] & mask) | (b[i] & ~mask);
}

u64 vhsm_fe_sub_raw(unsigned int nd, u64 *res, const u64 *a, const u64 *b)
{
	return sub_n(nd, res, a, b);
}

u64 vhsm_fe_add_raw(unsigned int nd, u64 *res, const u64 *a, const u64 *b)
{
	return add_n(nd, res, a, b);
}

u64 vhsm_fe_is_zero(unsigned int nd, const u64 *a)
{
	u64 acc = 0;
	unsigned int i;

	for (i = 0; i < nd; i++)
		acc |= a[i];
	/* top bit of (acc | -acc) is set iff acc != 0 */
	return ((acc | (0 - acc)) >> 63) - 1;
}

u64 vhsm_fe_eq(unsigned int nd, const u64 *a, const u64 *b)
{
	u64 acc = 0;
	unsigned int i;

	for (i = 0; i < nd; i++)
		acc |= a[i] ^ b[i];
	return ((acc | (0 - acc)) >> 63) - 1;
}

void vhsm_fe_cmov(unsigned int nd, u64 *r, const u64 *a, u64 mask)
{
	sel_n(nd, r, mask, a, r);
}

/* ---- modular addition ---- */

static __always_inline void mod_add_n(const struct vhsm_fmod *f,
				      unsigned int nd, u64 *r, const u64 *a,
				      const u64 *b)
{
	u64 s[VHSM_FE_MAX], t[VHSM_FE_MAX];
	u64 carry = add_n(nd, s, a, b);
	u64 borrow = sub_n(nd, t, s, f->m);

	/* a + b < m iff no carry out and s - m borrowed: keep s */
	sel_n(nd, r, 0 - (borrow & (carry ^ 1)), s, t);
}

static __always_inline void mod_sub_n(const struct vhsm_fmod *f,
				      unsigned int nd, u64 *r, const u64 *a,
				      const u64 *b)
{
	u64 d[VHSM_FE_MAX], t[VHSM_FE_MAX];
	u64 borrow = sub_n(nd, d, a, b);

	add_n(nd, t, d, f->m);
	sel_n(nd, r, 0 - borrow, t, d);
}

void vhsm_fe_add(const struct vhsm_fmod *f, u64 *r, const u64 *a, const u64 *b)
{
	if (f->nd == 4)
		mod_add_n(f, 4, r, a, b);
	else
		mod_add_n(f, 6, r, a, b);
}

void vhsm_fe_sub(const struct vhsm_fmod *f, u64 *r, const u64 *a, const u64 *b)
{
	if (f->nd == 4)
		mod_sub_n(f, 4, r, a, b);
	else
		mod_sub_n(f, 6, r, a, b);
}

void vhsm_fe_neg(const struct vhsm_fmod *f, u64 *r, const u64 *a)
{
	static const u64 zero[VHSM_FE_MAX];

	vhsm_fe_sub(f, r, zero, a);
}

/* ---- Montgomery multiplication ---- */

static __always_inline void mont_mul_n(const struct vhsm_fmod *f,
				       unsigned int nd, u64 *r, const u64 *a,
				       const u64 *b)
{
	u64 t[VHSM_FE_MAX + 2], u[VHSM_FE_MAX];
	const u64 *m = f->m;
	unsigned int i, j;

	FE_UNROLL
	for (j = 0; j < nd + 2; j++)
		t[j] = 0;
	FE_UNROLL
	for (i = 0; i < nd; i++) {
		fe_u128 c;
		u64 carry = 0, q;

		/* t += a * b[i] */
		FE_UNROLL
		for (j = 0; j < nd; j++) {
			c = (fe_u128)a[j] * b[i] + t[j] + carry;
			t[j] = (u64)c;
			carry = (u64)(c >> 64);
		}
		c = (fe_u128)t[nd] + carry;
		t[nd] = (u64)c;
		t[nd + 1] = (u64)(c >> 64);

		/* t = (t + q * m) / 2^64, exact by the choice of q */
		q = t[0] * f->minv;
		c = (fe_u128)q * m[0] + t[0];
		carry = (u64)(c >> 64);
		FE_UNROLL
		for (j = 1; j < nd; j++) {
			c = (fe_u128)q * m[j] + t[j] + carry;
			t[j - 1] = (u64)c;
			carry = (u64)(c >> 64);
		}
		c = (fe_u128)t[nd] + carry;
		t[nd - 1] = (u64)c;
		t[nd] = t[nd + 1] + (u64)(c >> 64);
	}
	/* t < 2m: subtract m unless t < m (no top digit and a borrow) */
	sel_n(nd, r, 0 - (sub_n(nd, u, t, m) & (t[nd] ^ 1)), t, u);
}

/*
 * The P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 has -p^-1 mod 2^64 = 1,
 * so q = t[0], and q·p needs one multiplication instead of four: digit 0 of
 * t + q·p is 0 with a carry of q, which with q·(2^32 - 1) in digit 1 makes
 * q·2^32; digit 2 of p is 0; digit 3 is 0xffffffff00000001.
 */
#define P256_D3		0xffffffff00000001ULL

/* t[0..nd] holds the running value; one reduction round, shifting it down */
static __always_inline void p256_round(u64 *t, unsigned int top)
{
	u64 q = t[0];
	fe_u128 c;
	u64 carry;
	unsigned int j;

	c = (fe_u128)t[1] + ((fe_u128)q << 32);
	t[0] = (u64)c;
	carry = (u64)(c >> 64);
	c = (fe_u128)t[2] + carry;
	t[1] = (u64)c;
	carry = (u64)(c >> 64);
	c = (fe_u128)q * P256_D3 + t[3] + carry;
	t[2] = (u64)c;
	carry = (u64)(c >> 64);
	FE_UNROLL
	for (j = 4; j <= top; j++) {
		c = (fe_u128)t[j] + carry;
		t[j - 1] = (u64)c;
		carry = (u64)(c >> 64);
	}
	t[top] = carry;
}

static const u64 p256_m[4] = {
	0xffffffffffffffffULL, 0x00000000ffffffffULL, 0, P256_D3,
};

/* r = t[0..3] + t[4]·2^256 - (p if that is >= p), for a value < 2p */
static __always_inline void p256_final(u64 *r, const u64 *t)
{
	u64 u[4];

	sel_n(4, r, 0 - (sub_n(4, u, t, p256_m) & (t[4] ^ 1)), t, u);
}

static __always_inline void p256_mul(u64 *r, const u64 *a, const u64 *b)
{
	u64 t[6] = {};
	unsigned int i, j;

	FE_UNROLL
	for (i = 0; i < 4; i++) {
		fe_u128 c;
		u64 carry = 0;

		FE_UNROLL
		for (j = 0; j < 4; j++) {
			c = (fe_u128)a[j] * b[i] + t[j] + carry;
			t[j] = (u64)c;
			carry = (u64)(c >> 64);
		}
		c = (fe_u128)t[4] + carry;
		t[4] = (u64)c;
		t[5] = (u64)(c >> 64);
		p256_round(t, 5);
	}
	p256_final(r, t);
}

/* the 512-bit square (10 products), then four reduction rounds */
static __always_inline void p256_sqr(u64 *r, const u64 *a)
{
	u64 t[9] = {};
	unsigned int i, j;
	fe_u128 c;
	u64 carry;

	FE_UNROLL
	for (i = 0; i < 3; i++) {
		carry = 0;
		FE_UNROLL
		for (j = i + 1; j < 4; j++) {
			c = (fe_u128)a[i] * a[j] + t[i + j] + carry;
			t[i + j] = (u64)c;
			carry = (u64)(c >> 64);
		}
		t[i + 4] = carry;
	}
	/* double the cross products */
	t[7] = t[6] >> 63;
	FE_UNROLL
	for (i = 6; i > 0; i--)
		t[i] = (t[i] << 1) | (t[i - 1] >> 63);
	t[0] <<= 1;
	/* add the squares */
	carry = 0;
	FE_UNROLL
	for (i = 0; i < 4; i++) {
		fe_u128 sq = (fe_u128)a[i] * a[i];

		c = (fe_u128)t[2 * i] + (u64)sq + carry;
		t[2 * i] = (u64)c;
		c = (fe_u128)t[2 * i + 1] + (u64)(sq >> 64) + (u64)(c >> 64);
		t[2 * i + 1] = (u64)c;
		carry = (u64)(c >> 64);
	}
	/* reduce: each round clears the low digit and shifts down */
	FE_UNROLL
	for (i = 0; i < 4; i++)
		p256_round(t, 8 - i);
	p256_final(r, t);
}

/*
 * Not inlined into this file's callers (other files never inline it): the
 * inversion's window table plus inlined Montgomery temporaries would make one
 * frame over 1 KiB under KASAN.
 */
noinline_for_stack void vhsm_fe_mul(const struct vhsm_fmod *f, u64 *r, const u64 *a,
				    const u64 *b)
{
	if (f->p256)
		p256_mul(r, a, b);
	else if (f->nd == 4)
		mont_mul_n(f, 4, r, a, b);
	else
		mont_mul_n(f, 6, r, a, b);
}

noinline_for_stack void vhsm_fe_sqr(const struct vhsm_fmod *f, u64 *r, const u64 *a)
{
	if (f->p256)
		p256_sqr(r, a);
	else if (f->nd == 4)
		mont_mul_n(f, 4, r, a, a);
	else
		mont_mul_n(f, 6, r, a, a);
}

void vhsm_fe_to_mont(const struct vhsm_fmod *f, u64 *r, const u64 *a)
{
	vhsm_fe_mul(f, r, a, f->rr);
}

void vhsm_fe_from_mont(const struct vhsm_fmod *f, u64 *r, const u64 *a)
{
	static const u64 one[VHSM_FE_MAX] = { 1 };

	vhsm_fe_mul(f, r, a, one);
}

/* r = a^(2^n) · b */
static void sqr_n_mul(u64 *r, const u64 *a, unsigned int n, const u64 *b)
{
	u64 t[4];
	unsigned int i;

	memcpy(t, a, sizeof(t));
	for (i = 0; i < n; i++)
		p256_sqr(t, t);
	p256_mul(r, t, b);
	vhsm_fe_wipe(t, sizeof(t));
}

/*
 * a^(p-2) for the P-256 prime, 255 squarings and 12 multiplications:
 * p - 2 = ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff
 * fffffffd; xN below is a^(2^N - 1).
 */
static noinline_for_stack void p256_inv(u64 *r, const u64 *a)
{
	u64 x2[4], x3[4], x6[4], x12[4], x15[4], x30[4], x32[4], t[4];

	sqr_n_mul(x2, a, 1, a);
	sqr_n_mul(x3, x2, 1, a);
	sqr_n_mul(x6, x3, 3, x3);
	sqr_n_mul(x12, x6, 6, x6);
	sqr_n_mul(x15, x12, 3, x3);
	sqr_n_mul(x30, x15, 15, x15);
	sqr_n_mul(x32, x30, 2, x2);
	sqr_n_mul(t, x32, 32, a);		/* ffffffff 00000001 */
	sqr_n_mul(t, t, 128, x32);		/* 96 zero bits, 32 one bits */
	sqr_n_mul(t, t, 32, x32);
	sqr_n_mul(t, t, 30, x30);		/* ...fffffffc */
	sqr_n_mul(r, t, 2, a);		/* ...fffffffd */
	vhsm_fe_wipe(x2, sizeof(x2));
	vhsm_fe_wipe(x3, sizeof(x3));
	vhsm_fe_wipe(x6, sizeof(x6));
	vhsm_fe_wipe(x12, sizeof(x12));
	vhsm_fe_wipe(x15, sizeof(x15));
	vhsm_fe_wipe(x30, sizeof(x30));
	vhsm_fe_wipe(x32, sizeof(x32));
	vhsm_fe_wipe(t, sizeof(t));
}

/* bits @pos .. @pos + @width - 1 of the public exponent @e, as a number */
static unsigned int exp_bits(const u64 *e, unsigned int pos, unsigned int width)
{
	unsigned int w = 0, j;

	for (j = width; j-- > 0;)
		w = w << 1 | (unsigned int)((e[(pos + j) / 64] >> ((pos + j) % 64)) & 1);
	return w;
}

/*
 * r = a^(m-2): 3-bit fixed windows over the public exponent (the top window
 * takes the bits left over), so the sequence of squarings and
 * multiplications is the same for every a; the table entry is chosen by the
 * exponent's digits, which are public. Three bits, not four, keep the table
 * (and the frame, under KASAN) small.
 */
void vhsm_fe_inv(const struct vhsm_fmod *f, u64 *r, const u64 *a)
{
	u64 tab[8][VHSM_FE_MAX], acc[VHSM_FE_MAX];
	unsigned int nd = f->nd, pos = 64 * nd, width, i, k;

	if (f->p256) {
		p256_inv(r, a);
		return;
	}
	memcpy(tab[0], f->one, sizeof(tab[0]));
	memcpy(tab[1], a, nd * sizeof(u64));
	for (i = 2; i < 8; i++)
		vhsm_fe_mul(f, tab[i], tab[i - 1], a);
	memcpy(acc, f->one, sizeof(acc));
	for (width = pos % 3 ? pos % 3 : 3; pos; width = 3) {
		pos -= width;
		for (k = 0; k < width; k++)
			vhsm_fe_sqr(f, acc, acc);
		vhsm_fe_mul(f, acc, acc, tab[exp_bits(f->mm2, pos, width)]);
	}
	memcpy(r, acc, nd * sizeof(u64));
	vhsm_fe_wipe(tab, sizeof(tab));
	vhsm_fe_wipe(acc, sizeof(acc));
}

/* ---- constants ---- */

void vhsm_fe_setup(struct vhsm_fmod *f)
{
	static const u64 two[VHSM_FE_MAX] = { 2 };
	static const u64 zero[VHSM_FE_MAX];
	unsigned int nd = f->nd, i;
	u64 inv = 1;

	/* Newton: each step doubles the correct low bits of m^-1 mod 2^64 */
	for (i = 0; i < 6; i++)
		inv *= 2 - f->m[0] * inv;
	f->minv = 0 - inv;

	/* R mod m = R - m, as m > R/2 */
	memset(f->one, 0, sizeof(f->one));
	sub_n(nd, f->one, zero, f->m);

	/* R^2 mod m: double R mod m 64 * nd times */
	memcpy(f->rr, f->one, sizeof(f->rr));
	for (i = 0; i < 64 * nd; i++)
		vhsm_fe_add(f, f->rr, f->rr, f->rr);

	memset(f->mm2, 0, sizeof(f->mm2));
	sub_n(nd, f->mm2, f->m, two);
	f->p256 = nd == 4 && !memcmp(f->m, p256_m, sizeof(p256_m));
}
