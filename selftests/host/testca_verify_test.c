// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The test CA (tools/vhsm-testca/testca.c) against libvhsm's report
 * verifier: reports built and signed here, VCEKs/VLEKs issued by the test
 * CA, verified under the test roots (pass) and under AMD's roots (fail).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kselftest_harness.h"
#include "vhsm/report.h"
#include "testca.h"


/* One CA (RSA-4096, as the tool makes it) and two P-384 keys for all tests. */
static struct testca g_ca;
static int g_ca_err;
static EVP_PKEY *g_vek, *g_other;

__attribute__((constructor)) static void setup_ca(void)
{
	g_ca_err = testca_create(&g_ca, TESTCA_MILAN, TESTCA_DEFAULT_BITS);
	g_vek = EVP_EC_gen("P-384");
	g_other = EVP_EC_gen("P-384");
}

__attribute__((destructor)) static void teardown_ca(void)
{
	testca_free(&g_ca);
	EVP_PKEY_free(g_vek);
	EVP_PKEY_free(g_other);
}

struct buf {
	uint8_t *p;
	size_t n;
};

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

static int pem_bundle(X509 *const *certs, int n, struct buf *out)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int i, ok = bio != NULL;

	for (i = 0; ok && i < n; i++)
		ok = PEM_write_bio_X509(bio, certs[i]) == 1;
	if (ok) {
		len = BIO_get_mem_data(bio, &data);
		out->p = malloc((size_t)len + 1);
		ok = out->p != NULL;
		if (ok) {
			memcpy(out->p, data, (size_t)len);
			out->p[len] = 0;
			out->n = (size_t)len;
		}
	}
	BIO_free(bio);
	return ok ? 0 : -1;
}

static int cert_der(X509 *x, struct buf *out)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);

	if (len <= 0)
		return -1;
	out->p = malloc((size_t)len);
	if (out->p)
		memcpy(out->p, der, (size_t)len);
	out->n = (size_t)len;
	OPENSSL_free(der);
	return out->p ? 0 : -1;
}

/* ---- a report built here, field by field (SNP ABI table 23) ---- */

static void le32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static const uint8_t chip64[64] = {
	0xc0, 0xff, 0xee, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	[32] = 0x5a, [63] = 0xa5,
};

struct rep_spec {
	uint32_t version;
	enum testca_product product;
	uint64_t tcb;
	bool vlek;
	const uint8_t *chip;	/* NULL: zero */
	size_t chip_len;
};

static void build_report(uint8_t *b, const struct rep_spec *s)
{
	memset(b, 0, VHSM_REPORT_SIZE);
	le32(b + 0x000, s->version);
	le32(b + 0x004, 2);				/* GUEST_SVN */
	le64(b + 0x008, 0x30000);			/* POLICY: rsvd1, SMT */
	memset(b + 0x010, 0x01, 16);			/* FAMILY_ID */
	memset(b + 0x020, 0x02, 16);			/* IMAGE_ID */
	le32(b + 0x030, 0);				/* VMPL */
	le32(b + 0x034, 1);				/* SIGNATURE_ALGO */
	le64(b + 0x038, s->tcb);			/* CURRENT_TCB */
	le64(b + 0x040, VHSM_PLATFORM_SMT_EN | VHSM_PLATFORM_TSME_EN);
	le32(b + 0x048, (s->vlek ? 1u : 0u) << 2);	/* SIGNING_KEY */
	memset(b + 0x050, 0x42, 64);			/* REPORT_DATA */
	memset(b + 0x090, 0x24, 48);			/* MEASUREMENT */
	memset(b + 0x0C0, 0x33, 32);			/* HOST_DATA */
	memset(b + 0x140, 0x77, 32);			/* REPORT_ID */
	le64(b + 0x180, s->tcb);			/* REPORTED_TCB */
	if (s->version >= 3) {
		b[0x188] = s->product == TESTCA_TURIN ? 0x1A : 0x19;
		b[0x189] = s->product == TESTCA_TURIN ? 0x02 :
			   s->product == TESTCA_GENOA ? 0x11 : 0x01;
		b[0x18A] = 0x01;
	}
	if (s->chip)
		memcpy(b + 0x1A0, s->chip, s->chip_len);	/* CHIP_ID */
	le64(b + 0x1E0, s->tcb);			/* COMMITTED_TCB */
	b[0x1E8] = 7;					/* CURRENT_BUILD */
	b[0x1E9] = 55;					/* CURRENT_MINOR */
	b[0x1EA] = 1;					/* CURRENT_MAJOR */
	b[0x1EC] = 7;
	b[0x1ED] = 55;
	b[0x1EE] = 1;
	le64(b + 0x1F0, s->tcb);			/* LAUNCH_TCB */
	if (s->version >= 5) {
		le64(b + 0x1F8, 0x3);			/* LAUNCH_MIT_VECTOR */
		le64(b + 0x200, 0x7);			/* CURRENT_MIT_VECTOR */
	}
}

/* ECDSA P-384 / SHA-384 over 0x000-0x29F; R, S little-endian, 72 bytes each. */
static int sign_report(uint8_t *b, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[160];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig = NULL;
	size_t len = sizeof(der);
	int err = -1;

	if (md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
	    EVP_DigestSign(md, der, &len, b, VHSM_REPORT_SIGNED_SIZE) == 1 &&
	    (sig = d2i_ECDSA_SIG(NULL, &p, (long)len))) {
		ECDSA_SIG_get0(sig, &r, &s);
		memset(b + 0x2A0, 0, 144);
		if (BN_bn2lebinpad(r, b + 0x2A0, 72) == 72 &&
		    BN_bn2lebinpad(s, b + 0x2E8, 72) == 72)
			err = 0;
	}
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	return err;
}

static const struct rep_spec milan_v3 = {
	.version = 3, .product = TESTCA_MILAN,
	/* bl=3 tee=1 snp=9 ucode=217: [bl,tee,0,0,0,0,snp,ucode] */
	.tcb = 0xD909000000000103ULL, .chip = chip64, .chip_len = 64,
};

static int verify(const uint8_t *rep, X509 *vek, const struct buf *roots,
		  unsigned int flags, struct vhsm_verify_result *res)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = flags };
	struct vhsm_report r;
	struct buf der = { 0 };
	int err;

	vhsm_verify_result_free(res);
	err = vhsm_report_parse(rep, VHSM_REPORT_SIZE, &r);
	if (err)
		return err;
	if (cert_der(vek, &der))
		return -ENOMEM;
	o.vek = der.p;
	o.vek_len = der.n;
	if (roots) {
		o.roots = roots->p;
		o.roots_len = roots->n;
	}
	err = vhsm_verify_report(&r, &o, res);
	buf_free(&der);
	return err;
}

static void log_reasons(struct __test_metadata *_metadata,
			const struct vhsm_verify_result *res)
{
	size_t i;

	for (i = 0; i < res->n_reasons; i++)
		TH_LOG("reason: %s", res->reasons[i]);
}

static X509 *issue(const struct testca_vek_req *req)
{
	X509 *x = NULL;

	return testca_issue_vek(&g_ca, req, &x) ? NULL : x;
}

/* build_report() and sign_report() with g_vek: a report the VEK signed. */
static void signed_report(struct __test_metadata *_metadata, uint8_t *rep,
			  const struct rep_spec *spec)
{
	build_report(rep, spec);
	ASSERT_EQ(0, sign_report(rep, g_vek));
}

/* issue(), which must succeed. */
static X509 *must_issue(struct __test_metadata *_metadata,
			const struct testca_vek_req *req)
{
	X509 *x = issue(req);

	ASSERT_NE(NULL, x) TH_LOG("%s", testca_errmsg());
	return x;
}

/* The usual pair: a signed milan_v3 report in REP and a VCEK for it. */
static X509 *milan_v3_vcek(struct __test_metadata *_metadata, uint8_t *rep)
{
	struct testca_vek_req req = { .pubkey = g_vek, .tcb = milan_v3.tcb,
				      .hwid = chip64, .hwid_len = 64 };

	signed_report(_metadata, rep, &milan_v3);
	return must_issue(_metadata, &req);
}

FIXTURE(ca) {
	struct buf roots;	/* ARK, ASK, ASVK */
};

FIXTURE_SETUP(ca)
{
	X509 *all[3];

	ASSERT_EQ(0, g_ca_err) TH_LOG("%s", testca_errmsg());
	ASSERT_NE(NULL, g_vek);
	all[0] = g_ca.ark;
	all[1] = g_ca.ask;
	all[2] = g_ca.asvk;
	ASSERT_EQ(0, pem_bundle(all, 3, &self->roots));
}

FIXTURE_TEARDOWN(ca)
{
	buf_free(&self->roots);
}

/* The CA certificates look like AMD's: PSS/SHA-384/48, CA bits, names. */
TEST_F(ca, ca_shape)
{
	X509 *certs[3] = { g_ca.ark, g_ca.ask, g_ca.asvk };
	static const char *const cns[3] = { "ARK-Milan", "SEV-Milan", "SEV-VLEK-Milan" };
	char cn[64];
	int i;

	for (i = 0; i < 3; i++) {
		const X509_ALGOR *alg;
		int pk_nid, md_nid, bits;
		uint32_t flags;

		X509_get0_signature(NULL, &alg, certs[i]);
		EXPECT_EQ(NID_rsassaPss, OBJ_obj2nid(alg->algorithm));
		ASSERT_EQ(1, X509_get_signature_info(certs[i], &md_nid, &pk_nid, &bits,
						     &flags));
		EXPECT_EQ(NID_sha384, md_nid);
		EXPECT_EQ(4096, EVP_PKEY_get_bits(X509_get0_pubkey(certs[i])));
		EXPECT_TRUE(X509_check_ca(certs[i]) > 0);
		EXPECT_TRUE(X509_get_key_usage(certs[i]) & KU_KEY_CERT_SIGN);
		ASSERT_LT(0, X509_NAME_get_text_by_NID(X509_get_subject_name(certs[i]),
						       NID_commonName, cn, sizeof(cn)));
		EXPECT_STREQ(cns[i], cn);
	}
	EXPECT_EQ(1, X509_self_signed(g_ca.ark, 1));
	EXPECT_EQ(0, X509_get_pathlen(g_ca.ask));
	EXPECT_EQ(0, X509_get_pathlen(g_ca.asvk));
	EXPECT_EQ(X509_V_OK, X509_check_issued(g_ca.ark, g_ca.ask));
	EXPECT_EQ(1, X509_verify(g_ca.ask, g_ca.ark_key));
	EXPECT_EQ(1, X509_verify(g_ca.asvk, g_ca.ark_key));
}

TEST_F(ca, milan_v3_test_roots_pass)
{
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	X509 *vcek;

	vcek = milan_v3_vcek(_metadata, rep);
	EXPECT_EQ(0, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(0, res.failed);
	EXPECT_EQ(VHSM_PRODUCT_MILAN, res.product);
	vhsm_verify_result_free(&res);

	/* a v2 report takes its product from the VCEK productName */
	{
		struct rep_spec v2 = milan_v3;

		v2.version = 2;
		signed_report(_metadata, rep, &v2);
		EXPECT_EQ(0, verify(rep, vcek, &self->roots, 0, &res));
		log_reasons(_metadata, &res);
		EXPECT_EQ(VHSM_PRODUCT_MILAN, res.product);
		vhsm_verify_result_free(&res);
	}
	X509_free(vcek);
}

TEST_F(ca, builtin_amd_roots_fail)
{
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	X509 *vcek;

	vcek = milan_v3_vcek(_metadata, rep);
	/* roots NULL: AMD's built-in Milan ARK/ASK */
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, NULL, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain:"));
	vhsm_verify_result_free(&res);
	X509_free(vcek);
}

/* A trust set without the ARK, or with another CA's ARK, fails the chain. */
TEST_F(ca, wrong_roots_fail)
{
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf only_ask;
	X509 *vcek;

	vcek = milan_v3_vcek(_metadata, rep);
	ASSERT_EQ(0, pem_bundle(&g_ca.ask, 1, &only_ask));
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &only_ask, 0, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&only_ask);
	X509_free(vcek);
}

TEST_F(ca, genoa_and_turin)
{
	static const uint8_t chip8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rep_spec genoa = { .version = 3, .product = TESTCA_GENOA,
		.tcb = testca_tcb_encode(TESTCA_GENOA, 0, 10, 0, 23, 84),
		.chip = chip64, .chip_len = 64 };
	struct rep_spec turin = { .version = 5, .product = TESTCA_TURIN,
		.tcb = testca_tcb_encode(TESTCA_TURIN, 1, 2, 3, 4, 0x55),
		.chip = chip8, .chip_len = 8 };
	struct testca_vek_req req = { .pubkey = g_vek };
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	X509 *vcek;

	EXPECT_EQ(0x541700000000000aULL, genoa.tcb);
	EXPECT_EQ(0x5500000004030201ULL, turin.tcb);

	signed_report(_metadata, rep, &genoa);
	req.product = TESTCA_GENOA;
	req.tcb = genoa.tcb;
	req.hwid = chip64;
	req.hwid_len = 64;
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(0, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_PRODUCT_GENOA, res.product);
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	signed_report(_metadata, rep, &turin);
	req.product = TESTCA_TURIN;
	req.tcb = turin.tcb;
	req.hwid = chip8;
	req.hwid_len = 8;
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(0, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(0, res.failed);
	EXPECT_EQ(VHSM_PRODUCT_TURIN, res.product);
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	/* a Turin VCEK whose fmcSPL differs */
	req.tcb = testca_tcb_encode(TESTCA_TURIN, 9, 2, 3, 4, 0x55);
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &self->roots, 0, &res));
	EXPECT_EQ(VHSM_CHECK_TCB, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: VCEK fmcSPL=9"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	/* Turin hwID is 8 bytes: 64 non-zero bytes are refused by the CA */
	req.hwid = chip64;
	req.hwid_len = 64;
	EXPECT_EQ(-EINVAL, testca_issue_vek(&g_ca, &req, &vcek));
}

TEST_F(ca, vlek)
{
	struct rep_spec s = milan_v3;
	struct testca_vek_req req = { .pubkey = g_vek, .vlek = true, .tcb = s.tcb };
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	X509 *vlek;
	char cn[64];

	s.vlek = true;
	s.chip = NULL;
	signed_report(_metadata, rep, &s);
	vlek = must_issue(_metadata, &req);
	X509_NAME_get_text_by_NID(X509_get_issuer_name(vlek), NID_commonName, cn, sizeof(cn));
	EXPECT_STREQ("SEV-VLEK-Milan", cn);
	EXPECT_EQ(0, verify(rep, vlek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(0, res.failed);
	vhsm_verify_result_free(&res);
	/* a VCEK report checked with the VLEK */
	s.vlek = false;
	s.chip = chip64;
	signed_report(_metadata, rep, &s);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vlek, &self->roots, 0, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_KEY_TYPE);
	vhsm_verify_result_free(&res);
	X509_free(vlek);
}

TEST_F(ca, mismatches_named)
{
	static uint8_t other_chip[64];
	/* Each certificate differs from the report in one thing. */
	const struct {
		const char *what;
		uint64_t tcb;
		const uint8_t *hwid;
		EVP_PKEY *pubkey;
		bool flip;		/* one byte of the signed area flipped */
		uint32_t failed;
		const char *reason;	/* NULL: not checked */
	} cases[] = {
		{ "other TCB: snp 8 instead of 9", 0xD908000000000103ULL, chip64,
		  g_vek, false, VHSM_CHECK_TCB,
		  "tcb: VCEK snpSPL=8 != reported_tcb.snp=9" },
		{ "other chip", milan_v3.tcb, other_chip, g_vek, false,
		  VHSM_CHECK_HWID, NULL },
		{ "other key", milan_v3.tcb, chip64, g_other, false,
		  VHSM_CHECK_SIGNATURE, NULL },
		{ "right key, one flipped byte in the signed area", milan_v3.tcb,
		  chip64, g_vek, true, VHSM_CHECK_SIGNATURE, "signature:" },
	};
	struct testca_vek_req req = { .hwid_len = 64 };
	uint8_t rep[VHSM_REPORT_SIZE], r[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	X509 *vcek;
	size_t i;

	signed_report(_metadata, rep, &milan_v3);
	memcpy(other_chip, chip64, 64);
	other_chip[5] ^= 0xff;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req.tcb = cases[i].tcb;
		req.hwid = cases[i].hwid;
		req.pubkey = cases[i].pubkey;
		vcek = must_issue(_metadata, &req);
		memcpy(r, rep, sizeof(r));
		if (cases[i].flip)
			r[0x90] ^= 1;
		EXPECT_EQ(-EKEYREJECTED, verify(r, vcek, &self->roots, 0, &res))
			TH_LOG("%s", cases[i].what);
		EXPECT_EQ(cases[i].failed, res.failed) TH_LOG("%s", cases[i].what);
		if (cases[i].reason) {
			EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
								  cases[i].reason))
				TH_LOG("%s", cases[i].what);
		}
		vhsm_verify_result_free(&res);
		X509_free(vcek);
	}
}

TEST_F(ca, validity_and_crl)
{
	struct testca_vek_req req = { .pubkey = g_vek, .tcb = milan_v3.tcb,
				      .hwid = chip64, .hwid_len = 64,
				      .days = 30, .backdate = 60, .serial = 4242 };
	uint8_t rep[VHSM_REPORT_SIZE];
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_report r;
	struct buf der;
	unsigned char *crl;
	uint64_t revoke;
	int crl_len;
	X509 *vcek;

	signed_report(_metadata, rep, &milan_v3);
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &self->roots, 0, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VCEK: certificate has expired"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	EXPECT_EQ(0, verify(rep, vcek, &self->roots, VHSM_VERIFY_NO_CHECK_TIME, &res));
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	/* CRLs signed by the test ARK */
	req.days = 0;
	req.backdate = 0;
	vcek = must_issue(_metadata, &req);
	ASSERT_EQ(0, cert_der(vcek, &der));
	ASSERT_EQ(0, vhsm_report_parse(rep, sizeof(rep), &r));
	o.vek = der.p;
	o.vek_len = der.n;
	o.roots = self->roots.p;
	o.roots_len = self->roots.n;
	ASSERT_EQ(0, testca_make_crl(&g_ca, NULL, 0, 30, &crl, &crl_len));
	o.crl = crl;
	o.crl_len = (size_t)crl_len;
	EXPECT_EQ(0, vhsm_verify_report(&r, &o, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	OPENSSL_free(crl);
	revoke = 0x10001;	/* the ASK */
	ASSERT_EQ(0, testca_make_crl(&g_ca, &revoke, 1, 30, &crl, &crl_len));
	o.crl = crl;
	o.crl_len = (size_t)crl_len;
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: ASK is revoked"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	OPENSSL_free(crl);
	buf_free(&der);
	X509_free(vcek);
}

/* Extension values encoded byte for byte as the KDS encodes them. */
static const ASN1_OCTET_STRING *ext(X509 *x, const char *oid, int *pos)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int idx = obj ? X509_get_ext_by_OBJ(x, obj, -1) : -1;

	ASN1_OBJECT_free(obj);
	if (pos)
		*pos = idx;
	return idx < 0 ? NULL : X509_EXTENSION_get_data(X509_get_ext(x, idx));
}

static bool ext_is(X509 *x, const char *oid, const void *want, int len)
{
	const ASN1_OCTET_STRING *os = ext(x, oid, NULL);

	return os && ASN1_STRING_length(os) == len &&
	       !memcmp(ASN1_STRING_get0_data(os), want, (size_t)len);
}

TEST_F(ca, extension_encoding)
{
	static const char *const milan_order[] = {
		"1", "2", "3.1", "3.2", "3.4", "3.5", "3.6", "3.7", "3.3", "3.8", "4",
	};
	struct testca_vek_req req = { .pubkey = g_vek, .tcb = milan_v3.tcb,
				      .hwid = chip64, .hwid_len = 64 };
	X509 *vcek = must_issue(_metadata, &req);
	char oid[64];
	size_t i;
	int pos;

	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.1", "\x02\x01\x00", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.2", "\x16\x08Milan-B0", 10));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.1", "\x02\x01\x03", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.2", "\x02\x01\x01", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.3", "\x02\x01\x09", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.8", "\x02\x02\x00\xd9", 4));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.4", chip64, 64));
	EXPECT_EQ(NULL, ext(vcek, "1.3.6.1.4.1.3704.1.5", NULL));
	EXPECT_EQ(NULL, ext(vcek, "1.3.6.1.4.1.3704.1.3.9", NULL));
	for (i = 0; i < sizeof(milan_order) / sizeof(milan_order[0]); i++) {
		snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.1.%s", milan_order[i]);
		ext(vcek, oid, &pos);
		EXPECT_EQ((int)i, pos) TH_LOG("%s", oid);
	}
	X509_free(vcek);

	req.vlek = true;
	req.csp_id = "CN=example-csp";
	vcek = must_issue(_metadata, &req);
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.2", "\x16\x05Milan", 7));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.5", "\x16\x0e" "CN=example-csp", 16));
	EXPECT_EQ(NULL, ext(vcek, "1.3.6.1.4.1.3704.1.4", NULL));
	X509_free(vcek);

	req.vlek = false;
	req.product = TESTCA_TURIN;
	req.hwid_len = 8;
	req.tcb = testca_tcb_encode(TESTCA_TURIN, 1, 2, 3, 4, 5);
	vcek = must_issue(_metadata, &req);
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.1", "\x02\x01\x01", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.2", "\x16\x05Turin", 7));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.9", "\x02\x01\x01", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.1", "\x02\x01\x02", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.3", "\x02\x01\x04", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.3.8", "\x02\x01\x05", 3));
	EXPECT_TRUE(ext_is(vcek, "1.3.6.1.4.1.3704.1.4", chip64, 8));
	X509_free(vcek);
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	long n;

	b->p = NULL;
	b->n = 0;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	b->p = malloc((size_t)n + 1);
	if (b->p)
		b->n = fread(b->p, 1, (size_t)n, f);
	fclose(f);
	if (!b->p || b->n != (size_t)n)
		return -1;
	b->p[n] = 0;
	return 0;
}

/* Public keys in every accepted form certify the same key. */
TEST(pubkey_forms)
{
	unsigned char *der = NULL, pt[97];
	char hex[2 * 97 + 8];
	EVP_PKEY *k = NULL, *p256;
	BIO *bio;
	char *data;
	long len;
	int n, i;

	ASSERT_NE(NULL, g_vek);
	/* PEM SPKI */
	bio = BIO_new(BIO_s_mem());
	ASSERT_EQ(1, PEM_write_bio_PUBKEY(bio, g_vek));
	len = BIO_get_mem_data(bio, &data);
	ASSERT_EQ(0, testca_load_pubkey(data, (size_t)len, &k));
	EXPECT_EQ(1, EVP_PKEY_eq(k, g_vek));
	EVP_PKEY_free(k);
	BIO_free(bio);
	/* PEM private key */
	bio = BIO_new(BIO_s_mem());
	ASSERT_EQ(1, PEM_write_bio_PrivateKey(bio, g_vek, NULL, NULL, 0, NULL, NULL));
	len = BIO_get_mem_data(bio, &data);
	ASSERT_EQ(0, testca_load_pubkey(data, (size_t)len, &k));
	EXPECT_EQ(1, EVP_PKEY_eq(k, g_vek));
	EVP_PKEY_free(k);
	ASSERT_EQ(0, testca_load_privkey(data, (size_t)len, &k));
	EVP_PKEY_free(k);
	BIO_free(bio);
	/* DER SPKI */
	n = i2d_PUBKEY(g_vek, &der);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, testca_load_pubkey(der, (size_t)n, &k));
	EXPECT_EQ(1, EVP_PKEY_eq(k, g_vek));
	EVP_PKEY_free(k);
	OPENSSL_free(der);
	der = NULL;
	/* SEC1 hex, uncompressed, with a newline */
	ASSERT_EQ(97, EVP_PKEY_get1_encoded_public_key(g_vek, &der));
	memcpy(pt, der, 97);
	OPENSSL_free(der);
	der = NULL;
	for (i = 0; i < 97; i++)
		sprintf(hex + 2 * i, "%02x", pt[i]);
	strcat(hex, "\n");
	ASSERT_EQ(0, testca_load_pubkey(hex, strlen(hex), &k));
	EXPECT_EQ(1, EVP_PKEY_eq(k, g_vek));
	EVP_PKEY_free(k);
	/* not on the curve */
	hex[100] = hex[100] == '0' ? '1' : '0';
	EXPECT_EQ(-EKEYREJECTED, testca_load_pubkey(hex, strlen(hex), &k));
	/* junk, P-256 */
	EXPECT_EQ(-EINVAL, testca_load_pubkey("hello", 5, &k));
	p256 = EVP_EC_gen("P-256");
	ASSERT_NE(NULL, p256);
	n = i2d_PUBKEY(p256, &der);
	EXPECT_EQ(-EKEYREJECTED, testca_load_pubkey(der, (size_t)n, &k));
	OPENSSL_free(der);
	EVP_PKEY_free(p256);
}

/* The tool's file layout: save, modes, chain order, load, issue, verify. */
TEST(save_load_roundtrip)
{
	char dir[] = "/tmp/vhsm-testca-XXXXXX", path[256];
	static const char *const keys[] = { "ark.key", "ask.key", "asvk.key" };
	struct testca ca;
	struct testca_vek_req req = { .pubkey = g_vek, .tcb = milan_v3.tcb,
				      .hwid = chip64, .hwid_len = 64 };
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_report r;
	uint8_t rep[VHSM_REPORT_SIZE];
	struct buf roots, chain, der;
	struct stat st;
	X509 *vcek, *first;
	BIO *bio;
	size_t i;

	ASSERT_EQ(0, g_ca_err);
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, testca_save(&g_ca, dir, false)) TH_LOG("%s", testca_errmsg());
	EXPECT_EQ(-EEXIST, testca_save(&g_ca, dir, false));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, keys[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0600, st.st_mode & 0777) TH_LOG("%s", path);
	}
	/* cert_chain.pem is ASK then ARK, like the KDS */
	snprintf(path, sizeof(path), "%s/cert_chain.pem", dir);
	ASSERT_EQ(0, read_file(path, &chain));
	bio = BIO_new_mem_buf(chain.p, (int)chain.n);
	first = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	ASSERT_NE(NULL, first);
	EXPECT_EQ(0, X509_cmp(first, g_ca.ask));
	X509_free(first);
	first = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	ASSERT_NE(NULL, first);
	EXPECT_EQ(0, X509_cmp(first, g_ca.ark));
	X509_free(first);
	BIO_free(bio);
	buf_free(&chain);

	ASSERT_EQ(0, testca_load(&ca, dir)) TH_LOG("%s", testca_errmsg());
	EXPECT_EQ(TESTCA_MILAN, ca.product);
	ASSERT_EQ(0, testca_issue_vek(&ca, &req, &vcek));
	testca_free(&ca);
	snprintf(path, sizeof(path), "%s/vcek.der", dir);
	ASSERT_EQ(0, testca_write_cert(vcek, path, false));
	X509_free(vcek);

	build_report(rep, &milan_v3);
	/* the CA library's signer, checked by the same verifier */
	ASSERT_EQ(0, testca_sign_report(rep, g_vek));
	ASSERT_EQ(0, vhsm_report_parse(rep, sizeof(rep), &r));
	ASSERT_EQ(0, read_file(path, &der));
	EXPECT_EQ(0, vhsm_verify_report_signature(&r, der.p, der.n));
	snprintf(path, sizeof(path), "%s/roots.pem", dir);
	ASSERT_EQ(0, read_file(path, &roots));
	o.vek = der.p;
	o.vek_len = der.n;
	o.roots = roots.p;
	o.roots_len = roots.n;
	EXPECT_EQ(0, vhsm_verify_report(&r, &o, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&roots);
	buf_free(&der);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	EXPECT_EQ(0, system(path));
}

/*
 * Turin fidelity (issue 12 item 9): Turin's TCB bytes 4..6 are reserved.
 * The Genoa-layout default the simulator used to give Turin reports,
 * 0x7308000000000003, read as Turin sets byte 6: refused, even with a VCEK
 * that repeats it; the product-specific default verifies.
 */
TEST_F(ca, turin_reserved_tcb_bytes)
{
	static const uint8_t chip8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rep_spec turin = { .version = 3, .product = TESTCA_TURIN,
		.tcb = 0x7308000000000003ULL, .chip = chip8, .chip_len = 8 };
	struct testca_vek_req req = { .pubkey = g_vek, .product = TESTCA_TURIN,
				      .hwid = chip8, .hwid_len = 8 };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	uint8_t rep[VHSM_REPORT_SIZE];
	X509 *vcek;

	signed_report(_metadata, rep, &turin);
	req.tcb = turin.tcb;
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_CHECK_TCB, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"tcb: reported_tcb byte 6 = 0x08 is reserved on Turin"));
	/* all four TCBs carry it (build_report copies the TCB into each) */
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: current_tcb byte 6"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: committed_tcb byte 6"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: launch_tcb byte 6"));
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	/* the Turin layout: FMC, BL, TEE, SNP, reserved x3, ucode */
	turin.tcb = testca_tcb_encode(TESTCA_TURIN, 1, 3, 0, 0x18, 0x73);
	signed_report(_metadata, rep, &turin);
	req.tcb = turin.tcb;
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(0, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	X509_free(vcek);

	/* a byte 4 or 5 alone is refused too */
	turin.tcb |= 0x10ULL << 32;
	signed_report(_metadata, rep, &turin);
	req.tcb = turin.tcb;
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &self->roots, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"tcb: reported_tcb byte 4 = 0x10 is reserved on Turin"));
	vhsm_verify_result_free(&res);
	X509_free(vcek);
}

/* A VCEK claiming an SPL the product does not define (spl4..7 on Turin). */
TEST_F(ca, turin_undefined_spl)
{
	static const uint8_t chip8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rep_spec turin = { .version = 3, .product = TESTCA_TURIN,
		.tcb = testca_tcb_encode(TESTCA_TURIN, 1, 2, 3, 4, 5),
		.chip = chip8, .chip_len = 8 };
	/* Genoa's extension layout, named Turin: 3.4 = TCB byte 2 = 3 */
	struct testca_vek_req req = { .pubkey = g_vek, .product = TESTCA_GENOA,
				      .product_name = "Turin", .hwid = chip64,
				      .hwid_len = 64, .tcb = turin.tcb };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	uint8_t rep[VHSM_REPORT_SIZE];
	X509 *vcek;

	signed_report(_metadata, rep, &turin);
	vcek = must_issue(_metadata, &req);
	EXPECT_EQ(-EKEYREJECTED, verify(rep, vcek, &self->roots, 0, &res));
	log_reasons(_metadata, &res);
	EXPECT_TRUE(res.failed & VHSM_CHECK_TCB);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"tcb: VCEK carries SPL extension 3.4 = 3, which Turin does not define"));
	vhsm_verify_result_free(&res);
	X509_free(vcek);
}

TEST_HARNESS_MAIN
