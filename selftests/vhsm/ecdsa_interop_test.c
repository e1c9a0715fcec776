// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The signing fast path (kmod/ecc_point.c's fixed-base table) against
 * OpenSSL at scale: VHSM_INTEROP_KEYS fresh kernel keys per curve (default
 * 5000, so 10000 keys and signatures over P-256 and P-384), each signing one
 * random message of random length; OpenSSL verifies every signature with the
 * exported SubjectPublicKeyInfo (and, for every 50th, refuses it for a
 * changed message).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

FIXTURE(many) {
	int fd;
};

FIXTURE_SETUP(many)
{
	self->fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(many)
{
	close(self->fd);
}

FIXTURE_VARIANT(many) {
	uint32_t type;
	const char *md;
	const char *group;
};

FIXTURE_VARIANT_ADD(many, p256) {
	.type = VHSM_KEY_EC_P256, .md = "SHA256", .group = "P-256",
};

FIXTURE_VARIANT_ADD(many, p384) {
	.type = VHSM_KEY_EC_P384, .md = "SHA384", .group = "P-384",
};

static int ossl_verify(EVP_PKEY *pk, const char *md, const void *msg, size_t len,
		       const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_get_digestbyname(md), NULL, pk) > 0 &&
		 EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok;
}

/* one fresh kernel key signs one random message; NULL, or what went wrong (*err: -errno) */
static const char *one_key(int fd, uint32_t type, const char *md, unsigned int i, int *err)
{
	uint8_t spki[VHSM_PUBKEY_MAX], sig[VHSM_SIG_MAX], msg[64];
	uint32_t h, len = sizeof(spki), slen = sizeof(sig), mlen;
	const uint8_t *p = spki;
	const char *bad = NULL;
	EVP_PKEY *pk = NULL;

	*err = 0;
	if (RAND_bytes(msg, sizeof(msg)) != 1)
		return "RAND_bytes";
	mlen = 1 + msg[0] % (sizeof(msg) - 1);
	*err = ko_generate(fd, type, VHSM_USAGE_SIGN, 0700, "interop.many", &h);
	if (*err)
		return "generate";
	if ((*err = ko_pubkey(fd, h, VHSM_PUBKEY_F_SPKI, spki, &len)))
		bad = "public key";
	else if (!(pk = d2i_PUBKEY(NULL, &p, len)))
		bad = "OpenSSL cannot parse the SubjectPublicKeyInfo";
	else if ((*err = ko_sign(fd, h, VHSM_SIG_F_DER, msg, mlen, sig, &slen)))
		bad = "sign";
	else if (!ossl_verify(pk, md, msg, mlen, sig, slen))
		bad = "OpenSSL refuses the signature";
	else if (i % 50 == 0 && (msg[mlen - 1] ^= 1, ossl_verify(pk, md, msg, mlen, sig, slen)))
		bad = "OpenSSL accepts the signature for another message";
	EVP_PKEY_free(pk);
	if (ko_destroy(fd, h) && !bad)
		bad = "destroy";
	return bad;
}

TEST_F_TIMEOUT(many, kernel_signatures_verify_in_openssl, 900)
{
	const char *env = getenv("VHSM_INTEROP_KEYS");
	unsigned int n = env && *env ? (unsigned int)atoi(env) : 5000, i, failed = 0;
	struct timespec t0, t1;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		const char *bad = one_key(self->fd, variant->type, variant->md, i, &err);

		if (bad && failed++ < 5)
			TH_LOG("key %u: %s (%d)", i, bad, err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%s: %u fresh keys, %u signatures verified by OpenSSL, %u failed, %.1f s",
	       variant->group, n, n - failed, failed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	EXPECT_EQ(0, failed);
}

TEST_HARNESS_MAIN
