/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Points on NIST P-256 and P-384 (ecc_point.c): the fixed-base k·G through a
 * table built at module load, constant time, and the joint u1·G + u2·Q of
 * ECDSA verification, variable time (public inputs only). Scalars and
 * coordinates crossing this API are nd u64 digits, least significant first,
 * in plain (not Montgomery) form.
 *
 * No kernel service is used beyond allocation at init, so the file also
 * builds on the host for the timing test (selftests/ct/).
 */
#ifndef _VHSM_ECC_POINT_H
#define _VHSM_ECC_POINT_H

#include "ecc_field.h"

/* Same order as enum vhsm_ecc_curve (ecc.h). */
enum {
	VHSM_EC_P256,
	VHSM_EC_P384,
	VHSM_EC_CURVES,
};

/**
 * struct vhsm_ec - a curve y^2 = x^3 - 3x + b over GF(p) of prime order n
 * @p, @n:    field prime and group order with their Montgomery constants
 * @nd:       digits per number (4 or 6)
 * @windows:  rows of @base
 * @b:        b, Montgomery form
 * @gx, @gy:  the generator, plain form
 * @base:     row i holds j·2^(5i)·G for j = 1..16, affine (x, y), Montgomery
 *            form, 2·nd digits per point
 * @godd:     (2j+1)·G for j = 0..63, same layout (for verification)
 */
struct vhsm_ec {
	struct vhsm_fmod p, n;
	unsigned int nd;
	unsigned int windows;
	u64 b[VHSM_FE_MAX];
	u64 gx[VHSM_FE_MAX], gy[VHSM_FE_MAX];
	u64 *base;
	u64 *godd;
};

/* Build the constants and tables of both curves; 0 or -ENOMEM. */
int vhsm_ec_init(void);
/* Free the tables (safe after a failed init). */
void vhsm_ec_exit(void);

/* The curve, or NULL before vhsm_ec_init() or for an unknown id. */
const struct vhsm_ec *vhsm_ec_get(unsigned int id);

/*
 * (x, y) = k·G for k in [1, n-1], in time independent of k. Returns 0, or
 * -EFAULT if the result is not on the curve (a fault; nothing is returned).
 */
int vhsm_ec_mul_base(const struct vhsm_ec *c, const u64 *k, u64 *x, u64 *y);

/*
 * 0 if u1·G + u2·Q is not the point at infinity and its x coordinate mod n
 * equals r (ECDSA), -EBADMSG if not, -ENOMEM. Q = (qx, qy) must be a valid
 * point, u1, u2 and r < n. Variable time: all inputs are public.
 */
int vhsm_ec_verify_r(const struct vhsm_ec *c, const u64 *u1, const u64 *u2,
		     const u64 *qx, const u64 *qy, const u64 *r);

/* true if x, y < p and y^2 = x^3 - 3x + b. */
bool vhsm_ec_on_curve(const struct vhsm_ec *c, const u64 *x, const u64 *y);

#endif /* _VHSM_ECC_POINT_H */
