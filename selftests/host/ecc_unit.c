// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's point code (kmod/ecc_field.c, kmod/ecc_point.c) built on the
 * host and checked against OpenSSL: fixed-base k·G for random and edge
 * scalars, the joint verification on OpenSSL signatures (good and bad), and
 * verification under the keys whose sums hit the exceptional cases (Q = G,
 * Q = -G, Q = 2G). Built with ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include "kselftest_harness.h"
#include "ecc_point.h"

static const int nids[VHSM_EC_CURVES] = { NID_X9_62_prime256v1, NID_secp384r1 };

static void bn_to_digits(const BIGNUM *bn, unsigned int nd, u64 *out)
{
	uint8_t be[48];
	unsigned int i, j;

	BN_bn2binpad(bn, be, 8 * nd);
	for (i = 0; i < nd; i++) {
		out[i] = 0;
		for (j = 0; j < 8; j++)
			out[i] = out[i] << 8 | be[8 * (nd - 1 - i) + j];
	}
}

/* our k·G equals OpenSSL's */
static int base_ok(const struct vhsm_ec *c, EC_GROUP *g, const BIGNUM *k)
{
	u64 kd[6], x[6], y[6], ex[6], ey[6];
	EC_POINT *p = EC_POINT_new(g);
	BIGNUM *bx = BN_new(), *by = BN_new();
	int ok;

	bn_to_digits(k, c->nd, kd);
	ok = EC_POINT_mul(g, p, k, NULL, NULL, NULL) &&
	     EC_POINT_get_affine_coordinates(g, p, bx, by, NULL);
	bn_to_digits(bx, c->nd, ex);
	bn_to_digits(by, c->nd, ey);
	ok = ok && !vhsm_ec_mul_base(c, kd, x, y) &&
	     !memcmp(x, ex, 8 * c->nd) && !memcmp(y, ey, 8 * c->nd);
	EC_POINT_free(p);
	BN_free(bx);
	BN_free(by);
	return ok;
}

FIXTURE(ec) {
	const struct vhsm_ec *c;
	EC_GROUP *g;
	BIGNUM *n;
};

FIXTURE_VARIANT(ec) {
	unsigned int id;
};

FIXTURE_VARIANT_ADD(ec, p256) { .id = VHSM_EC_P256 };
FIXTURE_VARIANT_ADD(ec, p384) { .id = VHSM_EC_P384 };

FIXTURE_SETUP(ec)
{
	ASSERT_EQ(0, vhsm_ec_init());
	self->c = vhsm_ec_get(variant->id);
	ASSERT_NE(NULL, self->c);
	self->g = EC_GROUP_new_by_curve_name(nids[variant->id]);
	self->n = BN_dup(EC_GROUP_get0_order(self->g));
}

FIXTURE_TEARDOWN(ec)
{
	BN_free(self->n);
	EC_GROUP_free(self->g);
	vhsm_ec_exit();
}

TEST_F(ec, base_mult_matches_openssl)
{
	static const char *const edge[] = { "1", "2", "3", "F", "10", "11", "1F", "20", "21",
					     "3FF", "400", "401", "FFFFFFFF" };
	BIGNUM *k = BN_new();
	unsigned int i;
	int j;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		BN_hex2bn(&k, edge[i]);
		EXPECT_TRUE(base_ok(self->c, self->g, k)) TH_LOG("k = %s", edge[i]);
	}
	for (j = 1; j <= 40; j++) {		/* n - j */
		BN_sub(k, self->n, BN_value_one());
		BN_sub_word(k, (BN_ULONG)j - 1);
		EXPECT_TRUE(base_ok(self->c, self->g, k)) TH_LOG("k = n - %d", j);
	}
	for (j = 0; j < 8 * (int)self->c->nd * 8 - 1; j++) {	/* 2^j, 2^j - 1 */
		BN_zero(k);
		BN_set_bit(k, j);
		EXPECT_TRUE(base_ok(self->c, self->g, k)) TH_LOG("k = 2^%d", j);
		BN_sub_word(k, 1);
		if (!BN_is_zero(k))
			EXPECT_TRUE(base_ok(self->c, self->g, k)) TH_LOG("k = 2^%d - 1", j);
	}
	for (i = 0; i < 300; i++) {
		BN_rand_range(k, self->n);
		if (BN_is_zero(k))
			continue;
		ASSERT_TRUE(base_ok(self->c, self->g, k));
	}
	BN_free(k);
}

/* u1 = e/s, u2 = r/s and our joint check of an OpenSSL signature */
static int verify(const struct vhsm_ec *c, EC_GROUP *g, const BIGNUM *order,
		  const EC_POINT *q, const uint8_t *dig, const ECDSA_SIG *sig)
{
	const BIGNUM *r, *s;
	BIGNUM *e, *w, *u1, *u2, *qx = BN_new(), *qy = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	u64 u1d[6], u2d[6], rd[6], qxd[6], qyd[6];
	int ret;

	ECDSA_SIG_get0(sig, &r, &s);
	e = BN_bin2bn(dig, 8 * c->nd, NULL);
	BN_nnmod(e, e, order, ctx);
	w = BN_mod_inverse(NULL, s, order, ctx);
	u1 = BN_new();
	u2 = BN_new();
	BN_mod_mul(u1, e, w, order, ctx);
	BN_mod_mul(u2, r, w, order, ctx);
	EC_POINT_get_affine_coordinates(g, q, qx, qy, ctx);
	bn_to_digits(u1, c->nd, u1d);
	bn_to_digits(u2, c->nd, u2d);
	bn_to_digits(r, c->nd, rd);
	bn_to_digits(qx, c->nd, qxd);
	bn_to_digits(qy, c->nd, qyd);
	ret = vhsm_ec_verify_r(c, u1d, u2d, qxd, qyd, rd);
	BN_free(e);
	BN_free(w);
	BN_free(u1);
	BN_free(u2);
	BN_free(qx);
	BN_free(qy);
	BN_CTX_free(ctx);
	return ret;
}

/* a key with private scalar d; OpenSSL signs, we verify (and refuse a bad one) */
static void sign_and_check(struct __test_metadata *_metadata, const struct vhsm_ec *c,
			   EC_GROUP *g, const BIGNUM *order, const BIGNUM *d, int rounds)
{
	EC_KEY *key = EC_KEY_new();
	uint8_t dig[48];
	int i;

	ASSERT_TRUE(EC_KEY_set_group(key, g));
	if (d) {
		EC_POINT *q = EC_POINT_new(g);

		ASSERT_TRUE(EC_POINT_mul(g, q, d, NULL, NULL, NULL));
		ASSERT_TRUE(EC_KEY_set_private_key(key, d));
		ASSERT_TRUE(EC_KEY_set_public_key(key, q));
		EC_POINT_free(q);
	} else {
		ASSERT_TRUE(EC_KEY_generate_key(key));
	}
	for (i = 0; i < rounds; i++) {
		ECDSA_SIG *sig;

		RAND_bytes(dig, sizeof(dig));
		sig = ECDSA_do_sign(dig, 8 * c->nd, key);
		ASSERT_NE(NULL, sig);
		EXPECT_EQ(0, verify(c, g, order, EC_KEY_get0_public_key(key), dig, sig));
		dig[3] ^= 1;
		EXPECT_EQ(-EBADMSG, verify(c, g, order, EC_KEY_get0_public_key(key), dig, sig));
		ECDSA_SIG_free(sig);
	}
	EC_KEY_free(key);
}

TEST_F(ec, verify_openssl_signatures)
{
	int i;

	for (i = 0; i < 30; i++)
		sign_and_check(_metadata, self->c, self->g, self->n, NULL, 4);
}

TEST_F(ec, verify_under_exceptional_keys)
{
	static const char *const keys[] = { "1", "2", "3", "-1", "-2" };
	BIGNUM *d = BN_new();
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		BN_dec2bn(&d, keys[i]);
		if (BN_is_negative(d))
			BN_add(d, d, self->n);		/* n - 1, n - 2 */
		sign_and_check(_metadata, self->c, self->g, self->n, d, 40);
	}
	BN_free(d);
}

TEST_HARNESS_MAIN
