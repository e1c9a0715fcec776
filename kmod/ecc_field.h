/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arithmetic modulo the primes and group orders of NIST P-256 and P-384 in
 * Montgomery form (ecc_field.c). Numbers are arrays of nd u64 digits, least
 * significant first (nd = 4 or 6); every function takes reduced inputs
 * (< m) and returns reduced outputs, and outputs may alias inputs.
 *
 * Every function here runs in time independent of the values of its
 * operands (no branch and no memory index depends on them). The file uses
 * no kernel service, so the same code builds on the host for the timing
 * test (selftests/ct/).
 */
#ifndef _VHSM_ECC_FIELD_H
#define _VHSM_ECC_FIELD_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#define vhsm_fe_wipe(p, len)	memzero_explicit(p, len)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
static inline void vhsm_fe_wipe(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
#endif

#define VHSM_FE_MAX	6	/* digits of the largest modulus (P-384) */

/**
 * struct vhsm_fmod - a modulus m with its Montgomery constants, R = 2^(64 nd)
 * @nd:   digits (4 or 6)
 * @minv: -m^-1 mod 2^64
 * @m:    the modulus, odd, with its top bit set
 * @one:  R mod m (1 in Montgomery form)
 * @rr:   R^2 mod m (for conversion into Montgomery form)
 * @mm2:  m - 2, the exponent of Fermat inversion
 * @p256: m is the P-256 prime (a faster reduction applies)
 */
struct vhsm_fmod {
	unsigned int nd;
	bool p256;
	u64 minv;
	u64 m[VHSM_FE_MAX];
	u64 one[VHSM_FE_MAX];
	u64 rr[VHSM_FE_MAX];
	u64 mm2[VHSM_FE_MAX];
};

/* Fill @f's constants from f->nd and f->m. */
void vhsm_fe_setup(struct vhsm_fmod *f);

/* r = a * b * R^-1 mod m */
void vhsm_fe_mul(const struct vhsm_fmod *f, u64 *r, const u64 *a, const u64 *b);
/* r = a^2 * R^-1 mod m */
void vhsm_fe_sqr(const struct vhsm_fmod *f, u64 *r, const u64 *a);
/* r = a + b mod m; r = a - b mod m */
void vhsm_fe_add(const struct vhsm_fmod *f, u64 *r, const u64 *a, const u64 *b);
void vhsm_fe_sub(const struct vhsm_fmod *f, u64 *r, const u64 *a, const u64 *b);
/* r = -a mod m (0 stays 0) */
void vhsm_fe_neg(const struct vhsm_fmod *f, u64 *r, const u64 *a);
/* r = a * R mod m (into Montgomery form); r = a * R^-1 mod m (out of it) */
void vhsm_fe_to_mont(const struct vhsm_fmod *f, u64 *r, const u64 *a);
void vhsm_fe_from_mont(const struct vhsm_fmod *f, u64 *r, const u64 *a);
/* r = a^-1 in Montgomery form (a^(m-2), m prime); 0 gives 0 */
void vhsm_fe_inv(const struct vhsm_fmod *f, u64 *r, const u64 *a);

/* All ones if a == 0, else 0. */
u64 vhsm_fe_is_zero(unsigned int nd, const u64 *a);
/* All ones if a == b, else 0. */
u64 vhsm_fe_eq(unsigned int nd, const u64 *a, const u64 *b);
/* r = mask ? a : r, for mask all ones or 0. */
void vhsm_fe_cmov(unsigned int nd, u64 *r, const u64 *a, u64 mask);
/* res = a - b as plain integers; returns the borrow (0 or 1). */
u64 vhsm_fe_sub_raw(unsigned int nd, u64 *res, const u64 *a, const u64 *b);
/* res = a + b as plain integers; returns the carry (0 or 1). */
u64 vhsm_fe_add_raw(unsigned int nd, u64 *res, const u64 *a, const u64 *b);

#endif /* _VHSM_ECC_FIELD_H */
