// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm against OpenSSL: ECDSA signatures made in the kernel verify in OpenSSL
 * with the exported public key, and ECDH between a kernel key and an OpenSSL
 * key agrees on both sides.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/x509.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

FIXTURE(ossl) {
	int fd;
};

FIXTURE_SETUP(ossl)
{
	self->fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ossl)
{
	close(self->fd);
}

FIXTURE_VARIANT(ossl) {
	uint32_t type;
	const char *md;
	const char *group;
	size_t n;
};

FIXTURE_VARIANT_ADD(ossl, p256) {
	.type = VHSM_KEY_EC_P256, .md = "SHA256", .group = "P-256", .n = 32,
};

FIXTURE_VARIANT_ADD(ossl, p384) {
	.type = VHSM_KEY_EC_P384, .md = "SHA384", .group = "P-384", .n = 48,
};

static EVP_PKEY *spki_to_pkey(const uint8_t *der, uint32_t len)
{
	const uint8_t *p = der;

	return d2i_PUBKEY(NULL, &p, len);
}

/* OpenSSL verifies @sig (DER) over @msg with @pk. */
static int ossl_verify(EVP_PKEY *pk, const char *md, const void *msg, size_t len,
		       const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_get_digestbyname(md), NULL, pk) > 0 &&
		 EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok;
}

TEST_F(ossl, kernel_signatures_verify_in_openssl)
{
	uint8_t spki[VHSM_PUBKEY_MAX], sig[VHSM_SIG_MAX];
	uint32_t h, len = sizeof(spki), slen;
	char msg[64];
	EVP_PKEY *pk;
	int i;

	ASSERT_EQ(0, ko_generate(self->fd, variant->type, VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY,
				 0700, variant->group, &h));
	ASSERT_EQ(0, ko_pubkey(self->fd, h, VHSM_PUBKEY_F_SPKI, spki, &len));
	pk = spki_to_pkey(spki, len);
	ASSERT_NE(NULL, pk) TH_LOG("OpenSSL cannot parse the exported SubjectPublicKeyInfo");
	for (i = 0; i < 20; i++) {
		snprintf(msg, sizeof(msg), "message number %d", i);
		slen = sizeof(sig);
		ASSERT_EQ(0, ko_sign(self->fd, h, VHSM_SIG_F_DER, msg, strlen(msg), sig, &slen));
		EXPECT_TRUE(ossl_verify(pk, variant->md, msg, strlen(msg), sig, slen)) TH_LOG("%d", i);
		/* and a wrong message does not */
		EXPECT_FALSE(ossl_verify(pk, variant->md, msg, strlen(msg) - 1, sig, slen));
	}
	EVP_PKEY_free(pk);
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(ossl, openssl_signatures_verify_in_kernel)
{
	uint8_t point[97], sig[VHSM_SIG_MAX];
	size_t plen, slen = sizeof(sig);
	struct vhsm_key_attr a;
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", variant->group);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint32_t h;

	ASSERT_NE(NULL, pk);
	ASSERT_LT(0, EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     point, sizeof(point), &plen));
	ASSERT_LT(0, EVP_DigestSignInit(ctx, NULL, EVP_get_digestbyname(variant->md), NULL, pk));
	ASSERT_LT(0, EVP_DigestSign(ctx, sig, &slen, (const uint8_t *)"hello", 5));
	ko_attr(&a, variant->type, VHSM_USAGE_VERIFY, 0700, "ossl.pub");
	ASSERT_EQ(0, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &a, point, plen, &h));
	EXPECT_EQ(0, ko_verify(self->fd, h, VHSM_SIG_F_DER, "hello", 5, sig, slen));
	EXPECT_EQ(-EBADMSG, ko_verify(self->fd, h, VHSM_SIG_F_DER, "hellO", 5, sig, slen));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
}

static int ossl_ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t *out, size_t *len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(mine, NULL);
	int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
		 EVP_PKEY_derive(ctx, out, len) > 0;

	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int ossl_hkdf_hmac(const char *md, const uint8_t *ikm, size_t n, uint8_t *mac)
{
	uint8_t okm[32];
	size_t okm_len = sizeof(okm);
	unsigned int mlen;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 &&
		 EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_get_digestbyname(md)) > 0 &&
		 EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const uint8_t *)"salt", 4) > 0 &&
		 EVP_PKEY_CTX_set1_hkdf_key(ctx, ikm, n) > 0 &&
		 EVP_PKEY_CTX_add1_hkdf_info(ctx, (const uint8_t *)"info", 4) > 0 &&
		 EVP_PKEY_derive(ctx, okm, &okm_len) > 0 &&
		 HMAC(EVP_sha256(), okm, sizeof(okm), (const uint8_t *)"msg", 3, mac, &mlen);

	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

TEST_F(ossl, ecdh_agrees_with_openssl)
{
	uint8_t spki[VHSM_PUBKEY_MAX], point[97], shared[48], want[32], got[48];
	uint32_t h, d, len = sizeof(spki), mlen;
	size_t plen, slen = sizeof(shared);
	struct vhsm_key_attr a;
	EVP_PKEY *ours = EVP_PKEY_Q_keygen(NULL, NULL, "EC", variant->group), *kernel;

	ASSERT_NE(NULL, ours);
	ASSERT_EQ(0, ko_generate(self->fd, variant->type, VHSM_USAGE_DERIVE, 0700, "ossl.ecdh", &h));
	ASSERT_EQ(0, ko_pubkey(self->fd, h, VHSM_PUBKEY_F_SPKI, spki, &len));
	kernel = spki_to_pkey(spki, len);
	ASSERT_NE(NULL, kernel);
	ASSERT_LT(0, EVP_PKEY_get_octet_string_param(ours, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     point, sizeof(point), &plen));

	ko_attr(&a, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, "ossl.ecdh.mac");
	ASSERT_EQ(0, ko_derive(self->fd, h, point, plen, "salt", 4, "info", 4, &a, &d));
	ASSERT_EQ(0, ko_mac(self->fd, d, "msg", 3, got, &mlen));

	ASSERT_EQ(0, ossl_ecdh(ours, kernel, shared, &slen));
	ASSERT_EQ(variant->n, slen);
	ASSERT_EQ(0, ossl_hkdf_hmac(variant->md, shared, slen, want));
	EXPECT_EQ(0, memcmp(got, want, 32));

	EXPECT_EQ(0, ko_destroy(self->fd, d));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
	EVP_PKEY_free(kernel);
	EVP_PKEY_free(ours);
}

TEST_HARNESS_MAIN
