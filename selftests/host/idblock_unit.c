// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ID blocks (libvhsm/measure/id_block.c): the published ID block and key
 * digests of sev-snp-measure for its test keys, ID-auth signatures verified
 * with OpenSSL against the keys' public halves, refusals; and the verifier
 * policy's id_key_digest / author_key_digest allowlists.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "kselftest_harness.h"
#include "vhsm/measure.h"
#include "vhsm/report.h"

struct file {
	uint8_t *p;
	size_t n;
};

static int load(const char *name, struct file *f)
{
	const char *d = getenv("VHSM_TESTDATA");
	char path[4096];
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/../measure/%s", d && *d ? d : "selftests/testdata/snp",
		 name);
	fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	f->p = malloc((size_t)n + 1);
	f->n = f->p ? fread(f->p, 1, (size_t)n, fp) : 0;
	fclose(fp);
	return f->p && f->n == (size_t)n ? 0 : -EIO;
}

static void sha(const char *md, const void *p, size_t n, uint8_t *out)
{
	EVP_Digest(p, n, out, NULL, EVP_get_digestbyname(md), NULL);
}

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* ---- the verifier policy's key digest allowlists ---- */

TEST(policy_json_key_digests)
{
	char json[1024], d1[97], d2[97];
	struct vhsm_policy p;

	memset(d1, 'a', 96); d1[96] = '\0';
	memset(d2, '0', 96); d2[96] = '\0';
	snprintf(json, sizeof(json), "{\"id_key_digest\": [\"%s\", \"%s\"], "
		 "\"author_key_digest\": \"%s\"}", d1, d2, d1);
	ASSERT_EQ(0, vhsm_policy_from_json(json, &p));
	EXPECT_EQ(2, p.n_id_keys);
	EXPECT_EQ(1, p.n_author_keys);
	EXPECT_EQ(0xaa, p.id_key_digests[0][47]);
	EXPECT_EQ(0, p.id_key_digests[1][0]);
	vhsm_policy_free(&p);
	EXPECT_EQ(0, p.n_id_keys);
	EXPECT_EQ(NULL, p.author_key_digests);
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"id_key_digest\": [\"abcd\"]}", &p));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"id_key_digest\": 5}", &p));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"author_key_digest\": [7]}", &p));
	EXPECT_EQ(-EINVAL, vhsm_policy_add_id_key(NULL, (const uint8_t *)d1));
	EXPECT_STREQ("id_key", vhsm_verify_check_name(VHSM_CHECK_ID_KEY));
	EXPECT_STREQ("author_key", vhsm_verify_check_name(VHSM_CHECK_AUTHOR_KEY));
}

/* ---- ID blocks ---- */

#define PUB_LD "B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t"

static int b64d(const char *s, uint8_t *out)
{
	return EVP_DecodeBlock(out, (const unsigned char *)s, (int)strlen(s));
}

/* verify the 0x200-byte SNP signature SIG over MSG with the 0x404-byte key KEY */
static int snp_verify(const uint8_t *key, const uint8_t *msg, size_t len, const uint8_t *sig)
{
	uint8_t pt[97], be[72], der[128], *p = der;
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *kc;
	EVP_MD_CTX *mc;
	OSSL_PARAM params[3];
	ECDSA_SIG *es = ECDSA_SIG_new();
	int i, dlen, ok;

	pt[0] = 4;	/* SEC1 point from the little-endian coordinates */
	for (i = 0; i < 48; i++) {
		pt[1 + i] = key[4 + 47 - i];
		pt[49 + i] = key[4 + 72 + 47 - i];
	}
	params[0] = OSSL_PARAM_construct_utf8_string("group", "P-384", 0);
	params[1] = OSSL_PARAM_construct_octet_string("pub", pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	kc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY_fromdata_init(kc);
	EVP_PKEY_fromdata(kc, &pk, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(kc);
	for (i = 0; i < 72; i++)
		be[i] = sig[71 - i];
	BIGNUM *r = BN_bin2bn(be, 72, NULL);
	for (i = 0; i < 72; i++)
		be[i] = sig[72 + 71 - i];
	BIGNUM *s = BN_bin2bn(be, 72, NULL);
	ECDSA_SIG_set0(es, r, s);
	dlen = i2d_ECDSA_SIG(es, &p);
	mc = EVP_MD_CTX_new();
	ok = pk && EVP_DigestVerifyInit(mc, NULL, EVP_sha384(), NULL, pk) == 1 &&
	     EVP_DigestVerify(mc, der, (size_t)dlen, msg, len) == 1;
	EVP_MD_CTX_free(mc);
	ECDSA_SIG_free(es);
	EVP_PKEY_free(pk);
	return ok;
}

/*
 * The public half of a PEM private key, as a key object that holds no private
 * part, and its SEC1 point.
 */
static EVP_PKEY *public_half(const struct file *pem, uint8_t pt[97])
{
	BIO *b = BIO_new_mem_buf(pem->p, (int)pem->n);
	EVP_PKEY *priv = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	unsigned char *der = NULL;
	const unsigned char *q;
	EVP_PKEY *pub = NULL;
	size_t n = 0;
	int len;

	BIO_free(b);
	if (!priv)
		return NULL;
	len = i2d_PUBKEY(priv, &der);
	q = der;
	if (len > 0)
		pub = d2i_PUBKEY(NULL, &q, len);
	OPENSSL_free(der);
	EVP_PKEY_get_octet_string_param(priv, "encoded-pub-key", pt, 97, &n);
	EVP_PKEY_free(priv);
	return n == 97 ? pub : (EVP_PKEY_free(pub), NULL);
}

/* verify the 0x200-byte SNP signature SIG over MSG with the key PK */
static int snp_verify_pem(EVP_PKEY *pk, const uint8_t *msg, size_t len, const uint8_t *sig)
{
	uint8_t be[72], der[128], *p = der;
	ECDSA_SIG *es = ECDSA_SIG_new();
	EVP_MD_CTX *mc = EVP_MD_CTX_new();
	BIGNUM *r, *s;
	int i, dlen, ok;

	for (i = 0; i < 72; i++)
		be[i] = sig[71 - i];
	r = BN_bin2bn(be, 72, NULL);
	for (i = 0; i < 72; i++)
		be[i] = sig[72 + 71 - i];
	s = BN_bin2bn(be, 72, NULL);
	ECDSA_SIG_set0(es, r, s);
	dlen = i2d_ECDSA_SIG(es, &p);
	ok = EVP_DigestVerifyInit(mc, NULL, EVP_sha384(), NULL, pk) == 1 &&
	     EVP_DigestVerify(mc, der, (size_t)dlen, msg, len) == 1;
	EVP_MD_CTX_free(mc);
	ECDSA_SIG_free(es);
	return ok;
}

/* the 0x404-byte structure KEY holds the point PT (little-endian coordinates) */
static int same_point(const uint8_t *key, const uint8_t pt[97])
{
	int i;

	for (i = 0; i < 48; i++)
		if (key[4 + i] != pt[48 - i] || key[4 + 72 + i] != pt[96 - i])
			return 0;
	for (i = 48; i < 72; i++)
		if (key[4 + i] || key[4 + 72 + i])
			return 0;
	return le(key, 4) == 2;
}

TEST(id_auth_verifies_with_the_pem_public_halves)
{
	uint8_t block[VHSM_ID_BLOCK_SIZE], auth[VHSM_ID_AUTH_SIZE], idd[48], ad[48];
	uint8_t id_pt[97], a_pt[97];
	struct vhsm_id_block b = { .policy = VHSM_ID_DEFAULT_POLICY, .guest_svn = 7 };
	EVP_PKEY *id_pub, *a_pub;
	struct file idk, ak;
	char err[256] = "";

	ASSERT_EQ(0, load("id_key_test.pem", &idk));
	ASSERT_EQ(0, load("author_key_test.pem", &ak));
	id_pub = public_half(&idk, id_pt);
	a_pub = public_half(&ak, a_pt);
	ASSERT_NE(NULL, id_pub);
	ASSERT_NE(NULL, a_pub);
	memset(b.launch_digest, 0x42, sizeof(b.launch_digest));
	memset(b.family_id, 0x11, sizeof(b.family_id));
	memset(b.image_id, 0x22, sizeof(b.image_id));
	ASSERT_EQ(0, vhsm_id_block_build(&b, (char *)idk.p, idk.n, (char *)ak.p, ak.n,
					 block, auth, idd, ad, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0x11, block[0x30]);
	EXPECT_EQ(0x22, block[0x40]);
	EXPECT_EQ(7, le(block + 0x54, 4));
	EXPECT_EQ(VHSM_ID_DEFAULT_POLICY, le(block + 0x58, 8));
	EXPECT_TRUE(same_point(auth + 0x240, id_pt));
	EXPECT_TRUE(same_point(auth + 0x880, a_pt));
	EXPECT_TRUE(snp_verify_pem(id_pub, block, sizeof(block), auth + 0x40));
	EXPECT_TRUE(snp_verify_pem(a_pub, auth + 0x240, 0x404, auth + 0x680));
	EXPECT_FALSE(snp_verify_pem(a_pub, block, sizeof(block), auth + 0x40));
	EXPECT_FALSE(snp_verify_pem(id_pub, auth + 0x240, 0x404, auth + 0x680));
	EVP_PKEY_free(id_pub);
	EVP_PKEY_free(a_pub);
	free(idk.p);
	free(ak.p);
}

TEST(id_block_published)
{
	uint8_t block[VHSM_ID_BLOCK_SIZE], auth[VHSM_ID_AUTH_SIZE], want[128];
	uint8_t idd[48], ad[48], want_d[66];
	struct vhsm_id_block b = { .policy = VHSM_ID_DEFAULT_POLICY };
	struct file idk, ak;
	char err[256] = "";

	ASSERT_EQ(0, load("id_key_test.pem", &idk));
	ASSERT_EQ(0, load("author_key_test.pem", &ak));
	ASSERT_EQ(48, b64d(PUB_LD, b.launch_digest));
	ASSERT_EQ(0, vhsm_id_block_build(&b, (char *)idk.p, idk.n, (char *)ak.p, ak.n,
					 block, auth, idd, ad, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(96, b64d(PUB_LD "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA", want));
	EXPECT_EQ(0, memcmp(block, want, 96));
	b64d("hwt+NcU/inLQ0yL3WrKvgmJ5Kq9leWIs5BMcPyHyied8sFYKXjuQs5MuZ07HCcsU", want_d);
	EXPECT_EQ(0, memcmp(idd, want_d, 48));
	b64d("YxEcNLv8Ckk4+aAJvQdJgNgXIyPmFZnJ/TNtqGcySOHcqY0L6PdjdqEGuK/UwKBX", want_d);
	EXPECT_EQ(0, memcmp(ad, want_d, 48));
	/* algorithms, the digests are of the embedded keys, the signatures verify */
	EXPECT_EQ(1, le(auth, 4));
	EXPECT_EQ(1, le(auth + 4, 4));
	EXPECT_EQ(2, le(auth + 0x240, 4));
	sha("SHA384", auth + 0x240, 0x404, want_d);
	EXPECT_EQ(0, memcmp(idd, want_d, 48));
	EXPECT_TRUE(snp_verify(auth + 0x240, block, sizeof(block), auth + 0x40));
	EXPECT_TRUE(snp_verify(auth + 0x880, auth + 0x240, 0x404, auth + 0x680));
	/* and fail on anything else */
	EXPECT_FALSE(snp_verify(auth + 0x880, block, sizeof(block), auth + 0x40));
	block[0] ^= 1;
	EXPECT_FALSE(snp_verify(auth + 0x240, block, sizeof(block), auth + 0x40));
	free(idk.p);
	free(ak.p);
}

TEST(id_block_refusals)
{
	uint8_t block[VHSM_ID_BLOCK_SIZE], auth[VHSM_ID_AUTH_SIZE], idd[48], ad[48];
	struct vhsm_id_block b = { .policy = 0x10000 };
	struct file idk;
	char err[256] = "", *pem = NULL;
	EVP_PKEY *p256 = EVP_EC_gen("P-256");
	BIO *bio = BIO_new(BIO_s_mem());
	long n;

	ASSERT_EQ(0, load("id_key_test.pem", &idk));
	EXPECT_EQ(-EINVAL, vhsm_id_block_build(&b, (char *)idk.p, idk.n, (char *)idk.p,
					       idk.n, block, auth, idd, ad, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "bit 17")) TH_LOG("%s", err);
	b.policy = VHSM_ID_DEFAULT_POLICY;
	ASSERT_TRUE(PEM_write_bio_PrivateKey(bio, p256, NULL, NULL, 0, NULL, NULL));
	n = BIO_get_mem_data(bio, &pem);
	EXPECT_EQ(-EINVAL, vhsm_id_block_build(&b, (char *)idk.p, idk.n, pem, (size_t)n,
					       block, auth, idd, ad, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "author key")) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, vhsm_id_block_build(&b, "junk", 4, (char *)idk.p, idk.n,
					       block, auth, idd, ad, err, sizeof(err)));
	BIO_free(bio);
	EVP_PKEY_free(p256);
	free(idk.p);
}

TEST_HARNESS_MAIN
