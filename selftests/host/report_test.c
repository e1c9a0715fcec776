// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests for the SNP report parser / verifier in libvhsm, on real AMD-signed
 * reports (VHSM_TESTDATA, default selftests/testdata/snp) and on reports
 * signed by a test PKI built here with OpenSSL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kselftest_harness.h"
#include "vhsm/report.h"


/* ---- test data ---- */

struct buf {
	uint8_t *p;
	size_t n;
};

static const char *testdata(void)
{
	const char *d = getenv("VHSM_TESTDATA");

	return d && *d ? d : "selftests/testdata/snp";
}

static int read_all(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	long n;

	b->p = NULL;
	b->n = 0;
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	b->p = malloc((size_t)n + 1);
	if (!b->p) {
		fclose(f);
		return -ENOMEM;
	}
	b->n = fread(b->p, 1, (size_t)n, f);
	b->p[b->n] = 0;
	fclose(f);
	return b->n == (size_t)n ? 0 : -EIO;
}

static int load_td(const char *rel, struct buf *b)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", testdata(), rel);
	return read_all(path, b);
}

static int write_all(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t w;

	if (!f)
		return -errno;
	w = fwrite(p, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -EIO;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

struct index_row {
	const char *report, *key;
	uint32_t version;
	enum vhsm_product product;
	const char *chip8;
	uint8_t bl, tee, snp, ucode;
	bool vlek;
	uint32_t vmpl;
};

static const struct index_row rows[] = {
	{ "trustee/test-report.bin", "trustee/test-vcek.der", 2, VHSM_PRODUCT_MILAN,
	  "c38427a30d4c7af9", 3, 0, 8, 115, false, 0 },
	{ "trustee/test-vlek-report.bin", "trustee/test-vlek.der", 3, VHSM_PRODUCT_MILAN,
	  "0000000000000000", 4, 0, 24, 217, true, 1 },
	{ "trustee/e2e-evidence.report.bin", "trustee/e2e-evidence.vcek.der", 3,
	  VHSM_PRODUCT_GENOA, "371c55d6d15cb50f", 10, 0, 23, 25, false, 0 },
	{ "trustee/az-snp-vtpm/hcl-report.snp-report.bin", "trustee/az-snp-vtpm/vcek.pem",
	  2, VHSM_PRODUCT_MILAN, "19752a447db501a3", 3, 0, 8, 115, false, 0 },
	{ "trustee/az-snp-vtpm/evidence-genoa.snp-report.bin",
	  "trustee/az-snp-vtpm/vcek-genoa.pem", 3, VHSM_PRODUCT_GENOA,
	  "0506ffba875e939c", 10, 0, 23, 84, false, 0 },
	{ "trustee/az-snp-vtpm/evidence-v2.snp-report.bin",
	  "trustee/az-snp-vtpm/evidence-v2.vcek.der", 3, VHSM_PRODUCT_MILAN,
	  "2e0e62a0e6f39bc4", 4, 0, 24, 219, false, 0 },
	{ "go-sev-guest/attestation.bin", "go-sev-guest/vcek.der", 2, VHSM_PRODUCT_MILAN,
	  "3ac3fe21e13fb099", 2, 0, 5, 68, false, 0 },
	{ "virtee-sev/report_milan.bin", "virtee-sev/vcek_milan.der", 2,
	  VHSM_PRODUCT_MILAN, "d49554ec717f4e5b", 3, 0, 8, 115, false, 0 },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static void hex8(const uint8_t *p, char out[17])
{
	int i;

	for (i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void log_reasons(struct __test_metadata *_metadata,
			const struct vhsm_verify_result *res)
{
	size_t i;

	for (i = 0; i < res->n_reasons; i++)
		TH_LOG("reason: %s", res->reasons[i]);
}

/* Verify a raw report buffer against a VEK buffer. */
static int verify_buf(const uint8_t *rep, size_t len, const struct buf *vek,
		      const struct vhsm_verify_opts *base,
		      struct vhsm_verify_result *res)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_report r;
	int err;

	vhsm_verify_result_free(res);
	if (base)
		o = *base;
	if (vek) {
		o.vek = vek->p;
		o.vek_len = vek->n;
	}
	err = vhsm_report_parse(rep, len, &r);
	if (err)
		return err;
	return vhsm_verify_report(&r, &o, res);
}

/* ---- real reports from the INDEX table ---- */

TEST(index_reports_verify)
{
	struct vhsm_policy pol;
	size_t i;

	vhsm_policy_init(&pol);
	pol.allow_debug = true;	/* go-sev-guest's report has DEBUG=1 */
	for (i = 0; i < N_ROWS; i++) {
		const struct index_row *row = &rows[i];
		struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .policy = &pol };
		struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
		struct buf rep, vek;
		struct vhsm_report r;
		char chip[17];
		int err;

		TH_LOG("%s", row->report);
		ASSERT_EQ(0, load_td(row->report, &rep));
		ASSERT_EQ(0, load_td(row->key, &vek));
		ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
		EXPECT_EQ(row->version, r.version);
		EXPECT_EQ(row->vmpl, r.vmpl);
		EXPECT_EQ(row->vlek ? 1 : 0, r.signing_key);
		if (r.version == 2) {
			EXPECT_EQ(VHSM_PRODUCT_UNKNOWN, r.product);
		} else {
			EXPECT_EQ(row->product, r.product);
		}
		hex8(r.chip_id, chip);
		EXPECT_STREQ(row->chip8, chip);
		EXPECT_EQ(row->bl, r.reported_tcb.bl);
		EXPECT_EQ(row->tee, r.reported_tcb.tee);
		EXPECT_EQ(row->snp, r.reported_tcb.snp);
		EXPECT_EQ(row->ucode, r.reported_tcb.ucode);
		EXPECT_EQ(0, vhsm_verify_report_signature(&r, vek.p, vek.n));

		o.vek = vek.p;
		o.vek_len = vek.n;
		o.flags = row->vlek ? VHSM_VERIFY_NO_CHECK_TIME : 0;
		err = vhsm_verify_report(&r, &o, &res);
		log_reasons(_metadata, &res);
		EXPECT_EQ(0, err);
		EXPECT_EQ(0, res.failed);
		EXPECT_EQ(row->product, res.product);
		vhsm_verify_result_free(&res);

		if (row->vlek) {
			/* the VLEK is expired: time checks must catch it */
			o.flags = 0;
			EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
			EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
			EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VLEK"));
			log_reasons(_metadata, &res);
			vhsm_verify_result_free(&res);
		}
		buf_free(&rep);
		buf_free(&vek);
	}
}

static bool flip_fails(const struct buf *rep, const struct buf *vek, size_t pos,
		       bool *sig_reason)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	uint8_t copy[VHSM_REPORT_SIZE];
	int err;

	memcpy(copy, rep->p, sizeof(copy));
	copy[pos] ^= 0x01;
	err = verify_buf(copy, sizeof(copy), vek, &o, &res);
	*sig_reason = vhsm_verify_result_has_reason(&res,
		"signature: report signature does not verify with the VCEK");
	vhsm_verify_result_free(&res);
	return err != 0;
}

TEST(bit_flips)
{
	struct buf rep, vek;
	bool sig;
	size_t pos;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vcek.der", &vek));
	for (pos = 0; pos < VHSM_REPORT_SIGNED_SIZE; pos += 16) {
		ASSERT_TRUE(flip_fails(&rep, &vek, pos, &sig)) TH_LOG("pos 0x%zx", pos);
		ASSERT_TRUE(sig) TH_LOG("pos 0x%zx", pos);
	}
	ASSERT_TRUE(flip_fails(&rep, &vek, VHSM_REPORT_SIGNED_SIZE - 1, &sig));
	ASSERT_TRUE(sig);
	/* R and S themselves */
	ASSERT_TRUE(flip_fails(&rep, &vek, 0x2A0, &sig));
	ASSERT_TRUE(sig);
	ASSERT_TRUE(flip_fails(&rep, &vek, 0x2E8 + 47, &sig));
	ASSERT_TRUE(sig);
	/* the unused area after the signature is not signed */
	for (pos = 0x330; pos < VHSM_REPORT_SIZE; pos += 37)
		ASSERT_FALSE(flip_fails(&rep, &vek, pos, &sig)) TH_LOG("pos 0x%zx", pos);
	ASSERT_FALSE(flip_fails(&rep, &vek, VHSM_REPORT_SIZE - 1, &sig));
	buf_free(&rep);
	buf_free(&vek);
}

TEST(wrong_vcek)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf rep, vek;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	/* same TCB, other chip */
	ASSERT_EQ(0, load_td("virtee-sev/vcek_milan.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_SIGNATURE);
	EXPECT_TRUE(res.failed & VHSM_CHECK_HWID);
	EXPECT_FALSE(res.failed & (VHSM_CHECK_TCB | VHSM_CHECK_CHAIN));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "signature:"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "hwid:"));
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	/* other chip and other TCB */
	ASSERT_EQ(0, load_td("go-sev-guest/vcek.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_TCB);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: VCEK snpSPL=5 != reported_tcb.snp=8"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	/* a Genoa VCEK for a Milan report: product mismatch and more */
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_SIGNATURE);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&rep);
}

static int cat_files(const char *a, const char *b, struct buf *out)
{
	struct buf x, y;
	int err = load_td(a, &x);

	if (err)
		return err;
	err = load_td(b, &y);
	if (err) {
		buf_free(&x);
		return err;
	}
	out->n = x.n + y.n;
	out->p = malloc(out->n + 1);
	if (out->p) {
		memcpy(out->p, x.p, x.n);
		memcpy(out->p + x.n, y.p, y.n);
	}
	buf_free(&x);
	buf_free(&y);
	return out->p ? 0 : -ENOMEM;
}

TEST(milan_vcek_genoa_roots)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf rep, vek, roots;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vcek.der", &vek));
	ASSERT_EQ(0, cat_files("amd-roots/genoa_ark.pem", "amd-roots/genoa_ask.pem", &roots));
	o.roots = roots.p;
	o.roots_len = roots.n;
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VCEK not signed by ASK"));
	vhsm_verify_result_free(&res);
	buf_free(&roots);

	/* the Milan ARK with a Genoa ASK: the ASK is not signed by that ARK */
	ASSERT_EQ(0, cat_files("amd-roots/milan_ark.pem", "amd-roots/genoa_ask.pem", &roots));
	o.roots = roots.p;
	o.roots_len = roots.n;
	buf_free(&rep);
	buf_free(&vek);
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: ASK not signed by ARK"));
	vhsm_verify_result_free(&res);

	buf_free(&roots);
	buf_free(&vek);
	buf_free(&rep);
}

TEST(forged_vcek)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf rep, vek;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vcek-invalid-legacy.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_CHAIN);
	EXPECT_TRUE(res.failed & VHSM_CHECK_HWID);
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	ASSERT_EQ(0, load_td("trustee/test-vcek-invalid-new.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_CHAIN);
	EXPECT_TRUE(res.failed & VHSM_CHECK_HWID);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&rep);
}

TEST(vcek_for_vlek_report)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf rep, vek;

	/* VLEK report, VCEK certificate */
	ASSERT_EQ(0, load_td("trustee/test-vlek-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/az-snp-vtpm/evidence-v2.vcek.der", &vek));
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_KEY_TYPE);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "key_type:"));
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&rep);
	/* VCEK report, VLEK certificate */
	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vlek.der", &vek));
	o.flags |= VHSM_VERIFY_NO_CHECK_TIME;
	ASSERT_EQ(-EKEYREJECTED, verify_buf(rep.p, rep.n, &vek, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_KEY_TYPE);
	EXPECT_TRUE(res.failed & VHSM_CHECK_SIGNATURE);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&rep);
}

/* ---- policy on real reports ---- */

/* Verify test-report.bin with a policy; returns the failed mask. */
static uint32_t policy_run(const char *report, const char *key,
			   const struct vhsm_policy *pol, unsigned int flags,
			   struct vhsm_verify_result *res)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .policy = pol, .flags = flags };
	struct buf rep, vek;
	int err;

	vhsm_verify_result_free(res);
	if (load_td(report, &rep) || load_td(key, &vek))
		return ~0u;
	err = verify_buf(rep.p, rep.n, &vek, &o, res);
	buf_free(&rep);
	buf_free(&vek);
	if (err && err != -EKEYREJECTED)
		return ~0u;
	if ((err == 0) != (res->failed == 0))
		return ~0u;
	return res->failed;
}

#define TR "trustee/test-report.bin", "trustee/test-vcek.der"

TEST(policy_debug)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;

	/* default policy (NULL) forbids debug */
	ASSERT_EQ(VHSM_CHECK_DEBUG, policy_run("go-sev-guest/attestation.bin",
					       "go-sev-guest/vcek.der", NULL, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "debug:"));
	vhsm_verify_result_free(&res);
	vhsm_policy_init(&pol);
	pol.allow_debug = true;
	ASSERT_EQ(0, policy_run("go-sev-guest/attestation.bin", "go-sev-guest/vcek.der",
				&pol, 0, &res));
	vhsm_verify_result_free(&res);
	ASSERT_EQ(0, policy_run(TR, NULL, 0, &res));
	vhsm_verify_result_free(&res);
}

TEST(policy_min_tcb)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;

	vhsm_policy_init(&pol);
	pol.check_min_tcb = true;
	pol.min_tcb.bl = 3;
	pol.min_tcb.snp = 9;
	pol.min_tcb.ucode = 115;
	ASSERT_EQ(VHSM_CHECK_MIN_TCB, policy_run(TR, &pol, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"min_tcb: reported_tcb.snp=8 < policy minimum 9"));
	EXPECT_EQ(1, res.n_reasons);
	vhsm_verify_result_free(&res);
	pol.min_tcb.snp = 8;
	ASSERT_EQ(0, policy_run(TR, &pol, 0, &res));
	vhsm_verify_result_free(&res);
	pol.min_tcb.ucode = 116;
	pol.min_tcb.bl = 4;
	ASSERT_EQ(VHSM_CHECK_MIN_TCB, policy_run(TR, &pol, 0, &res));
	EXPECT_EQ(2, res.n_reasons);
	vhsm_verify_result_free(&res);
}

TEST(policy_measurement_and_data)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;
	struct vhsm_report r;
	uint8_t other[48];
	struct buf rep;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
	buf_free(&rep);
	memset(other, 0x5a, sizeof(other));

	vhsm_policy_init(&pol);
	ASSERT_EQ(0, vhsm_policy_add_measurement(&pol, other));
	ASSERT_EQ(VHSM_CHECK_MEASUREMENT, policy_run(TR, &pol, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "measurement:"));
	vhsm_verify_result_free(&res);
	ASSERT_EQ(0, vhsm_policy_add_measurement(&pol, r.measurement));
	ASSERT_EQ(0, policy_run(TR, &pol, 0, &res));
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&pol);

	pol.check_report_data = true;
	memcpy(pol.report_data, r.report_data, 64);
	pol.check_host_data = true;
	memcpy(pol.host_data, r.host_data, 32);
	ASSERT_EQ(0, policy_run(TR, &pol, 0, &res));
	vhsm_verify_result_free(&res);
	pol.report_data[63] ^= 1;
	ASSERT_EQ(VHSM_CHECK_REPORT_DATA, policy_run(TR, &pol, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "report_data:"));
	vhsm_verify_result_free(&res);
	pol.report_data[63] ^= 1;
	pol.host_data[0] ^= 1;
	ASSERT_EQ(VHSM_CHECK_HOST_DATA, policy_run(TR, &pol, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "host_data:"));
	vhsm_verify_result_free(&res);
}

#define VLR "trustee/test-vlek-report.bin", "trustee/test-vlek.der"

TEST(policy_vmpl_and_keys)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;

	vhsm_policy_init(&pol);
	pol.vmpl_mode = VHSM_VMPL_MAX;
	pol.vmpl = 0;
	ASSERT_EQ(VHSM_CHECK_VMPL, policy_run(VLR, &pol, VHSM_VERIFY_NO_CHECK_TIME, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "vmpl: vmpl=1 > policy maximum 0"));
	vhsm_verify_result_free(&res);
	pol.vmpl = 1;
	ASSERT_EQ(0, policy_run(VLR, &pol, VHSM_VERIFY_NO_CHECK_TIME, &res));
	vhsm_verify_result_free(&res);
	pol.vmpl_mode = VHSM_VMPL_EXACT;
	pol.vmpl = 0;
	ASSERT_EQ(VHSM_CHECK_VMPL, policy_run(VLR, &pol, VHSM_VERIFY_NO_CHECK_TIME, &res));
	vhsm_verify_result_free(&res);
	pol.vmpl = 1;
	pol.allowed_signing_keys = VHSM_ALLOW_VCEK;
	ASSERT_EQ(VHSM_CHECK_SIGNING_KEY, policy_run(VLR, &pol, VHSM_VERIFY_NO_CHECK_TIME, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "signing_key:"));
	vhsm_verify_result_free(&res);
	pol.allowed_signing_keys = VHSM_ALLOW_VCEK | VHSM_ALLOW_VLEK;
	ASSERT_EQ(0, policy_run(VLR, &pol, VHSM_VERIFY_NO_CHECK_TIME, &res));
	vhsm_verify_result_free(&res);
}

TEST(policy_platform)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;

	/* test-report: SMT enabled, no single socket, fw 1.52, guest_svn 4 */
	vhsm_policy_init(&pol);
	pol.require_smt_disabled = true;
	pol.require_single_socket = true;
	pol.forbid_migration_agent = true;
	pol.check_min_abi = true;
	pol.min_abi_major = 1;
	pol.min_abi_minor = 53;
	pol.min_guest_svn = 5;
	ASSERT_EQ(VHSM_CHECK_SMT | VHSM_CHECK_SINGLE_SOCKET | VHSM_CHECK_ABI |
		  VHSM_CHECK_GUEST_SVN, policy_run(TR, &pol, 0, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "smt:"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "single_socket:"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "abi: firmware ABI 1.52 < policy minimum 1.53"));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "guest_svn: guest_svn=4 < policy minimum 5"));
	vhsm_verify_result_free(&res);
	pol.require_smt_disabled = false;
	pol.require_single_socket = false;
	pol.min_abi_minor = 52;
	pol.min_guest_svn = 4;
	ASSERT_EQ(0, policy_run(TR, &pol, 0, &res));
	vhsm_verify_result_free(&res);
}

TEST(policy_json)
{
	char path[] = "/tmp/vhsm-policy-XXXXXX";
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;
	const char *doc =
		"{\"allow_debug\": false, \"min_tcb\": {\"bl\": 3, \"snp\": 9},"
		" \"measurements\": [\"" "00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"],"
		" \"max_vmpl\": 0, \"min_guest_svn\": 1, \"min_abi\": \"1.51\","
		" \"signing_keys\": [\"vcek\"], \"forbid_migration_agent\": true,"
		" \"require_single_socket\": false, \"require_smt_disabled\": false}";
	int fd;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, write_all(path, doc, strlen(doc)));
	ASSERT_EQ(0, vhsm_policy_load_json(path, &pol));
	unlink(path);
	EXPECT_TRUE(pol.check_min_tcb);
	EXPECT_EQ(9, pol.min_tcb.snp);
	EXPECT_EQ(1, pol.n_measurements);
	EXPECT_EQ(0x11, pol.measurements[0][1]);
	EXPECT_EQ(VHSM_VMPL_MAX, pol.vmpl_mode);
	EXPECT_EQ(51, pol.min_abi_minor);
	EXPECT_EQ(VHSM_ALLOW_VCEK, pol.allowed_signing_keys);
	ASSERT_EQ(VHSM_CHECK_MIN_TCB | VHSM_CHECK_MEASUREMENT, policy_run(TR, &pol, 0, &res));
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&pol);

	EXPECT_EQ(-ENOENT, vhsm_policy_load_json("/nonexistent/x.json", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"bogus\": 1}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("[1]", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"max_vmpl\": 4}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"max_vmpl\": 0, \"exact_vmpl\": 0}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"host_data\": \"00\"}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"min_tcb\": {\"snp\": 256}}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"min_abi\": \"1\"}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json("{\"signing_keys\": [\"x\"]}", &pol));
	EXPECT_EQ(-EINVAL, vhsm_policy_from_json(
		"{\"measurements\": [\"00\"], \"allow_debug\": true}", &pol));
	EXPECT_EQ(0, pol.n_measurements);
	EXPECT_EQ(NULL, pol.measurements);
}

/* ---- parser ---- */

TEST(parse_rejects)
{
	uint8_t b[VHSM_REPORT_SIZE + 16];
	struct vhsm_report r;
	static const uint32_t bad[] = { 0, 1, 6, 0xffffffff, 0x200 };
	size_t i;

	memset(b, 0, sizeof(b));
	b[0] = 2;
	EXPECT_EQ(-EINVAL, vhsm_report_parse(NULL, sizeof(b), &r));
	EXPECT_EQ(-EINVAL, vhsm_report_parse(b, sizeof(b), NULL));
	EXPECT_EQ(-EINVAL, vhsm_report_parse(b, 0, &r));
	EXPECT_EQ(-EINVAL, vhsm_report_parse(b, VHSM_REPORT_SIZE - 1, &r));
	EXPECT_EQ(-EINVAL, vhsm_report_parse(b, 0x2A0, &r));
	EXPECT_EQ(0, vhsm_report_parse(b, VHSM_REPORT_SIZE, &r));
	EXPECT_EQ(0, vhsm_report_parse(b, sizeof(b), &r));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b[0] = bad[i] & 0xff;
		b[1] = (bad[i] >> 8) & 0xff;
		b[2] = (bad[i] >> 16) & 0xff;
		b[3] = (bad[i] >> 24) & 0xff;
		EXPECT_EQ(-EPROTO, vhsm_report_parse(b, VHSM_REPORT_SIZE, &r));
	}
	for (i = 2; i <= 5; i++) {
		memset(b, 0, 4);
		b[0] = (uint8_t)i;
		EXPECT_EQ(0, vhsm_report_parse(b, VHSM_REPORT_SIZE, &r));
		EXPECT_EQ(i, r.version);
		EXPECT_EQ(i >= 3, r.has_cpuid);
		EXPECT_EQ(i >= 5, r.has_mit_vector);
	}
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

TEST(parse_fields_v5_turin)
{
	uint8_t b[VHSM_REPORT_SIZE];
	struct vhsm_report r;

	memset(b, 0, sizeof(b));
	b[0] = 5;
	b[0x188] = 0x1A;
	b[0x189] = 0x02;
	b[0x18A] = 0x01;
	/* Turin TCB: fmc=1 bl=2 tee=3 snp=4 ucode=0x55 */
	put_le64(b + 0x180, 0x5500000004030201ULL);
	put_le64(b + 0x1F8, 0x1122334455667788ULL);
	put_le64(b + 0x200, 0x0102030405060708ULL);
	b[0x48] = 1 | 2 | (1 << 2);
	b[0x1E8] = 9;
	b[0x1E9] = 55;
	b[0x1EA] = 1;
	ASSERT_EQ(0, vhsm_report_parse(b, sizeof(b), &r));
	EXPECT_EQ(VHSM_PRODUCT_TURIN, r.product);
	EXPECT_TRUE(r.reported_tcb.turin);
	EXPECT_EQ(1, r.reported_tcb.fmc);
	EXPECT_EQ(2, r.reported_tcb.bl);
	EXPECT_EQ(3, r.reported_tcb.tee);
	EXPECT_EQ(4, r.reported_tcb.snp);
	EXPECT_EQ(0x55, r.reported_tcb.ucode);
	EXPECT_EQ(0x1122334455667788ULL, r.launch_mit_vector);
	EXPECT_EQ(0x0102030405060708ULL, r.current_mit_vector);
	EXPECT_TRUE(r.author_key_en);
	EXPECT_TRUE(r.mask_chip_key);
	EXPECT_EQ(1, r.signing_key);
	EXPECT_EQ(1, r.current_major);
	EXPECT_EQ(55, r.current_minor);
	EXPECT_EQ(9, r.current_build);

	/* the same bytes decoded with the Milan/Genoa layout */
	ASSERT_EQ(0, vhsm_report_set_product(&r, VHSM_PRODUCT_GENOA));
	EXPECT_FALSE(r.reported_tcb.turin);
	EXPECT_EQ(1, r.reported_tcb.bl);
	EXPECT_EQ(2, r.reported_tcb.tee);
	EXPECT_EQ(0, r.reported_tcb.snp);

	EXPECT_EQ(VHSM_PRODUCT_MILAN, vhsm_report_product_from_cpuid(0x19, 0x01));
	EXPECT_EQ(VHSM_PRODUCT_GENOA, vhsm_report_product_from_cpuid(0x19, 0x11));
	EXPECT_EQ(VHSM_PRODUCT_GENOA, vhsm_report_product_from_cpuid(0x19, 0xA0));
	EXPECT_EQ(VHSM_PRODUCT_UNKNOWN, vhsm_report_product_from_cpuid(0x19, 0x21));
	EXPECT_EQ(VHSM_PRODUCT_UNKNOWN, vhsm_report_product_from_cpuid(0x17, 0x01));
	EXPECT_EQ(VHSM_PRODUCT_TURIN, vhsm_report_product_from_cpuid(0x1A, 0x11));
	EXPECT_EQ(VHSM_PRODUCT_MILAN, vhsm_report_product_from_name("Milan-B0"));
	EXPECT_EQ(VHSM_PRODUCT_GENOA, vhsm_report_product_from_name("Genoa"));
	EXPECT_EQ(VHSM_PRODUCT_UNKNOWN, vhsm_report_product_from_name("Milanx"));
	EXPECT_EQ(VHSM_PRODUCT_UNKNOWN, vhsm_report_product_from_name(NULL));
}

/* ---- certificate table ---- */

static const uint8_t guid_vcek[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
				       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
static const uint8_t guid_ask[16] = { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
				      0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 };
static const uint8_t guid_ark[16] = { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
				      0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae };
static const uint8_t guid_vlek[16] = { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
				       0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 };

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void put_entry(uint8_t *tbl, int i, const uint8_t guid[16], uint32_t off,
		      uint32_t len)
{
	memcpy(tbl + 24 * i, guid, 16);
	put_le32(tbl + 24 * i + 16, off);
	put_le32(tbl + 24 * i + 20, len);
}

TEST(certtable)
{
	uint8_t t[512];
	struct vhsm_certtable ct;
	const struct vhsm_cert_entry *e;
	uint8_t other[16];

	memset(t, 0, sizeof(t));
	memset(other, 0x77, sizeof(other));
	put_entry(t, 0, guid_vcek, 120, 100);
	put_entry(t, 1, guid_ask, 220, 100);
	put_entry(t, 2, guid_ark, 320, 100);
	put_entry(t, 3, other, 420, 92);
	memset(t + 120, 0xaa, 100);
	ASSERT_EQ(0, vhsm_certtable_parse(t, sizeof(t), &ct));
	ASSERT_EQ(4, ct.n);
	e = vhsm_certtable_find(&ct, VHSM_CERT_VCEK);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(120, e->offset);
	EXPECT_EQ(100, e->len);
	EXPECT_EQ(t + 120, e->data);
	EXPECT_EQ(0xaa, e->data[99]);
	EXPECT_EQ(VHSM_CERT_ARK, vhsm_certtable_find(&ct, VHSM_CERT_ARK)->type);
	EXPECT_EQ(VHSM_CERT_OTHER, ct.entries[3].type);
	EXPECT_EQ(NULL, vhsm_certtable_find(&ct, VHSM_CERT_VLEK));
	vhsm_certtable_free(&ct);
	EXPECT_EQ(NULL, ct.entries);

	/* empty table: just a terminator */
	ASSERT_EQ(0, vhsm_certtable_parse(t + 480, 24, &ct));
	EXPECT_EQ(0, ct.n);
	vhsm_certtable_free(&ct);

	/* VLEK entry */
	put_entry(t, 3, guid_vlek, 420, 92);
	ASSERT_EQ(0, vhsm_certtable_parse(t, sizeof(t), &ct));
	EXPECT_EQ(VHSM_CERT_VLEK, ct.entries[3].type);
	vhsm_certtable_free(&ct);

	/* out of bounds: last byte one past the buffer */
	put_entry(t, 3, other, 420, 93);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	/* huge length / offset, u32 wrap */
	put_entry(t, 3, other, 420, 0xffffffff);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	put_entry(t, 3, other, 0xffffff00, 0x100);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	/* overlapping */
	put_entry(t, 3, other, 300, 50);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	/* into the table itself */
	put_entry(t, 3, other, 100, 10);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	/* zero length */
	put_entry(t, 3, other, 420, 0);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	/* duplicate known GUID */
	put_entry(t, 3, guid_ask, 420, 92);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	put_entry(t, 3, other, 420, 92);
	ASSERT_EQ(0, vhsm_certtable_parse(t, sizeof(t), &ct));
	vhsm_certtable_free(&ct);
	/* zero GUID with data is not a terminator */
	memset(t + 24 * 4, 0, 24);
	put_le32(t + 24 * 4 + 16, 5);
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, sizeof(t), &ct));
	memset(t + 24 * 4, 0, 24);
	/* missing terminator: buffer ends after the entries */
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, 24 * 4, &ct));
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, 24 * 4 + 23, &ct));
	EXPECT_EQ(-EBADMSG, vhsm_certtable_parse(t, 0, &ct));
	EXPECT_EQ(-EINVAL, vhsm_certtable_parse(NULL, 10, &ct));
}

TEST(certtable_too_many)
{
	size_t n = VHSM_CERTTABLE_MAX_ENTRIES + 2, len = 24 * n + 24 * n;
	uint8_t *t = calloc(1, len);
	struct vhsm_certtable ct;
	uint8_t g[16];
	size_t i;

	ASSERT_NE(NULL, t);
	for (i = 0; i < n; i++) {
		memset(g, (int)i + 1, sizeof(g));
		put_entry(t, (int)i, g, (uint32_t)(24 * (n + 1) + i), 1);
	}
	EXPECT_EQ(-E2BIG, vhsm_certtable_parse(t, len, &ct));
	free(t);
}

TEST(certtable_real_vcek)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
	const struct vhsm_cert_entry *e;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_certtable ct;
	struct buf rep, vek, ask, ark;
	struct vhsm_report r;
	uint8_t *t;
	size_t off = 4 * 24, len;

	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vcek.der", &vek));
	ASSERT_EQ(0, load_td("amd-roots/milan_ask.pem", &ask));
	ASSERT_EQ(0, load_td("amd-roots/milan_ark.pem", &ark));
	len = off + vek.n + ask.n + ark.n;
	t = calloc(1, len);
	ASSERT_NE(NULL, t);
	put_entry(t, 0, guid_ark, (uint32_t)off, (uint32_t)ark.n);
	memcpy(t + off, ark.p, ark.n);
	off += ark.n;
	put_entry(t, 1, guid_vcek, (uint32_t)off, (uint32_t)vek.n);
	memcpy(t + off, vek.p, vek.n);
	off += vek.n;
	put_entry(t, 2, guid_ask, (uint32_t)off, (uint32_t)ask.n);
	memcpy(t + off, ask.p, ask.n);
	ASSERT_EQ(0, vhsm_certtable_parse(t, len, &ct));
	ASSERT_EQ(3, ct.n);
	e = vhsm_certtable_find(&ct, VHSM_CERT_VCEK);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(vek.n, e->len);
	ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
	o.vek = e->data;
	o.vek_len = e->len;
	EXPECT_EQ(0, vhsm_verify_report(&r, &o, &res));
	vhsm_verify_result_free(&res);
	/* the ASK entry is not a VCEK */
	e = vhsm_certtable_find(&ct, VHSM_CERT_ASK);
	o.vek = e->data;
	o.vek_len = e->len;
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_SIGNATURE);
	vhsm_verify_result_free(&res);
	vhsm_certtable_free(&ct);
	free(t);
	buf_free(&rep);
	buf_free(&vek);
	buf_free(&ask);
	buf_free(&ark);
}

/* ---- JSON ---- */

TEST(report_json)
{
	struct vhsm_report r;
	json_t *j, *tcb;
	struct buf rep;
	char *s;

	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
	buf_free(&rep);
	ASSERT_EQ(0, vhsm_report_to_json(&r, &s));
	j = json_loads(s, 0, NULL);
	free(s);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(3, json_integer_value(json_object_get(j, "version")));
	EXPECT_STREQ("Genoa", json_string_value(json_object_get(j, "product")));
	EXPECT_EQ(0, strncmp("371c55d6d15cb50f",
			     json_string_value(json_object_get(j, "chip_id")), 16));
	EXPECT_EQ(128, strlen(json_string_value(json_object_get(j, "chip_id"))));
	EXPECT_EQ(96, strlen(json_string_value(json_object_get(j, "measurement"))));
	tcb = json_object_get(j, "reported_tcb");
	EXPECT_EQ(10, json_integer_value(json_object_get(tcb, "bl")));
	EXPECT_EQ(23, json_integer_value(json_object_get(tcb, "snp")));
	EXPECT_EQ(25, json_integer_value(json_object_get(tcb, "ucode")));
	EXPECT_EQ(NULL, json_object_get(tcb, "fmc"));
	EXPECT_TRUE(json_is_false(json_object_get(json_object_get(j, "policy"), "debug")));
	EXPECT_TRUE(json_is_true(json_object_get(json_object_get(j, "policy"), "smt")));
	EXPECT_STREQ("vcek", json_string_value(json_object_get(
		json_object_get(j, "key_info"), "signing_key")));
	EXPECT_EQ(0xA0, json_integer_value(json_object_get(json_object_get(j, "cpuid"), "model")));
	EXPECT_EQ(96, strlen(json_string_value(json_object_get(
		json_object_get(j, "signature"), "r"))));
	EXPECT_EQ(NULL, json_object_get(j, "launch_mit_vector"));
	json_decref(j);
}

TEST(result_json)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;
	json_t *j, *failed;
	char *s;

	vhsm_policy_init(&pol);
	pol.require_smt_disabled = true;
	ASSERT_EQ(VHSM_CHECK_SMT, policy_run(TR, &pol, 0, &res));
	ASSERT_EQ(0, vhsm_verify_result_to_json(&res, &s));
	vhsm_verify_result_free(&res);
	j = json_loads(s, 0, NULL);
	free(s);
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(json_is_false(json_object_get(j, "ok")));
	EXPECT_STREQ("Milan", json_string_value(json_object_get(j, "product")));
	failed = json_object_get(j, "failed");
	EXPECT_EQ(1, json_array_size(failed));
	EXPECT_STREQ("smt", json_string_value(json_array_get(failed, 0)));
	EXPECT_EQ(0, strncmp("smt: ", json_string_value(
		json_array_get(json_object_get(j, "reasons"), 0)), 5));
	json_decref(j);
}

/* ---- offline cache with real data ---- */

static int mkdirs(const char *path)
{
	char tmp[1024], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0700) && errno != EEXIST ? -errno : 0;
}

static int rm_rf(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

TEST(cache_dir_real)
{
	char dir[] = "/tmp/vhsm-cache-XXXXXX", path[1024], hwid[129];
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_report r;
	struct buf rep, vek;
	int i;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/test-vcek.der", &vek));
	ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
	o.cache_dir = dir;
	/* not there yet */
	EXPECT_EQ(-ENOKEY, vhsm_verify_report(&r, &o, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "cert:"));
	vhsm_verify_result_free(&res);

	for (i = 0; i < 64; i++)
		sprintf(hwid + 2 * i, "%02x", r.chip_id[i]);
	snprintf(path, sizeof(path), "%s/vcek/Milan/%s", dir, hwid);
	ASSERT_EQ(0, mkdirs(path));
	snprintf(path, sizeof(path), "%s/vcek/Milan/%s/%016llx.der", dir, hwid,
		 (unsigned long long)r.reported_tcb.raw);
	ASSERT_EQ(0, write_all(path, vek.p, vek.n));
	EXPECT_EQ(0, vhsm_verify_report(&r, &o, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);

	/* a wrong ARK in the cache overrides the built-in one */
	snprintf(path, sizeof(path), "%s/Milan", dir);
	ASSERT_EQ(0, mkdirs(path));
	buf_free(&vek);
	ASSERT_EQ(0, load_td("amd-roots/genoa_ark.pem", &vek));
	snprintf(path, sizeof(path), "%s/Milan/ark.pem", dir);
	ASSERT_EQ(0, write_all(path, vek.p, vek.n));
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: ASK not signed by ARK"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);

	EXPECT_EQ(0, rm_rf(dir));
	buf_free(&vek);
	buf_free(&rep);
}

TEST(bad_inputs)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_report r;
	struct buf rep;
	uint8_t junk[100];

	memset(junk, 0x30, sizeof(junk));
	ASSERT_EQ(0, load_td("trustee/test-report.bin", &rep));
	ASSERT_EQ(0, vhsm_report_parse(rep.p, rep.n, &r));
	buf_free(&rep);
	EXPECT_EQ(-EINVAL, vhsm_verify_report(NULL, &o, &res));
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&r, NULL, &res));
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&r, &o, NULL));
	o.vek = junk;
	o.vek_len = sizeof(junk);
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&r, &o, &res));
	vhsm_verify_result_free(&res);
	EXPECT_EQ(-EINVAL, vhsm_verify_report_signature(&r, junk, sizeof(junk)));
	/* no VEK, no cache */
	o.vek = NULL;
	EXPECT_EQ(-ENOKEY, vhsm_verify_report(&r, &o, &res));
	vhsm_verify_result_free(&res);
	/* unparsable CRL */
	ASSERT_EQ(0, load_td("trustee/test-vcek.der", &rep));
	o.vek = rep.p;
	o.vek_len = rep.n;
	o.crl = junk;
	o.crl_len = sizeof(junk);
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&r, &o, &res));
	vhsm_verify_result_free(&res);
	o.crl = NULL;
	o.roots = junk;
	o.roots_len = sizeof(junk);
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&r, &o, &res));
	vhsm_verify_result_free(&res);
	buf_free(&rep);
}

/* ---- a test PKI: ARK -> ASK/ASVK -> VCEK/VLEK, reports signed here ---- */

static EVP_PKEY *g_ark_key, *g_ask_key, *g_vek_key, *g_vek2_key;

__attribute__((constructor)) static void make_keys(void)
{
	g_ark_key = EVP_RSA_gen(2048);
	g_ask_key = EVP_RSA_gen(2048);
	g_vek_key = EVP_EC_gen("P-384");
	g_vek2_key = EVP_EC_gen("P-384");
}

__attribute__((destructor)) static void free_keys(void)
{
	EVP_PKEY_free(g_ark_key);
	EVP_PKEY_free(g_ask_key);
	EVP_PKEY_free(g_vek_key);
	EVP_PKEY_free(g_vek2_key);
}

static int sign_x509(X509 *x, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	int ok = md && EVP_DigestSignInit(md, &pctx, EVP_sha384(), NULL, key) == 1;

	if (ok && EVP_PKEY_is_a(key, "RSA"))
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) == 1;
	ok = ok && X509_sign_ctx(x, md) > 0;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

static void add_ext_conf(X509 *x, X509 *issuer, int nid, const char *val)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, val);
	if (e) {
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
}

static X509 *new_cert(const char *cn, EVP_PKEY *key, X509 *issuer, long serial,
		      const char *bc)
{
	X509 *x = X509_new();
	X509_NAME *name;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
				   (const unsigned char *)"vhsm test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	if (bc)
		add_ext_conf(x, issuer ? issuer : x, NID_basic_constraints, bc);
	return x;
}

static void add_ext_raw(X509 *x, const char *sfx, const void *val, int len)
{
	char oid[64];
	ASN1_OBJECT *obj;
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.1.%s", sfx);
	obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING_set(os, val, len);
	e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
}

static void add_ext_int(X509 *x, const char *sfx, long v)
{
	ASN1_INTEGER *ai = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int len;

	ASN1_INTEGER_set(ai, v);
	len = i2d_ASN1_INTEGER(ai, &der);
	add_ext_raw(x, sfx, der, len);
	OPENSSL_free(der);
	ASN1_INTEGER_free(ai);
}

static void add_ext_ia5(X509 *x, const char *sfx, const char *s)
{
	ASN1_IA5STRING *a = ASN1_IA5STRING_new();
	unsigned char *der = NULL;
	int len;

	ASN1_STRING_set(a, s, -1);
	len = i2d_ASN1_IA5STRING(a, &der);
	add_ext_raw(x, sfx, der, len);
	OPENSSL_free(der);
	ASN1_IA5STRING_free(a);
}

struct vek_spec {
	const char *product;
	bool vlek, turin;
	uint8_t fmc, bl, tee, snp, ucode;
	const uint8_t *hwid;
	int hwid_len;
	EVP_PKEY *key;
};

static int to_der(X509 *x, struct buf *out)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);

	if (len <= 0)
		return -1;
	out->p = malloc((size_t)len);
	memcpy(out->p, der, (size_t)len);
	out->n = (size_t)len;
	OPENSSL_free(der);
	return 0;
}

static int to_pem(X509 *const *certs, int n, struct buf *out)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int i;

	for (i = 0; i < n; i++)
		PEM_write_bio_X509(bio, certs[i]);
	len = BIO_get_mem_data(bio, &data);
	out->p = malloc((size_t)len + 1);
	memcpy(out->p, data, (size_t)len);
	out->p[len] = 0;
	out->n = (size_t)len;
	BIO_free(bio);
	return 0;
}

static const uint8_t test_chip[64] = {
	0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	[63] = 0x99,
};

static uint64_t tcb_encode(const struct vek_spec *s)
{
	if (s->turin)
		return s->fmc | (uint64_t)s->bl << 8 | (uint64_t)s->tee << 16 |
		       (uint64_t)s->snp << 24 | (uint64_t)s->ucode << 56;
	return s->bl | (uint64_t)s->tee << 8 | (uint64_t)s->snp << 48 |
	       (uint64_t)s->ucode << 56;
}

/* (Re-)sign a report with key: R and S into 0x2A0 / 0x2E8. */
static int sign_report(uint8_t *b, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[160];
	const unsigned char *p = der;
	const BIGNUM *r, *sv;
	ECDSA_SIG *sig;
	size_t len = sizeof(der);
	int ok;

	ok = md && EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
	     EVP_DigestSign(md, der, &len, b, VHSM_REPORT_SIGNED_SIZE) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return -1;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	if (!sig)
		return -1;
	ECDSA_SIG_get0(sig, &r, &sv);
	memset(b + 0x2A0, 0, 2 * 72);
	BN_bn2lebinpad(r, b + 0x2A0, 72);
	BN_bn2lebinpad(sv, b + 0x2E8, 72);
	ECDSA_SIG_free(sig);
	return 0;
}

/* A v3/v5 report for spec, signed with key. */
static int make_report(uint8_t *b, const struct vek_spec *s, uint32_t version,
		       EVP_PKEY *key)
{
	uint64_t tcb = tcb_encode(s);

	memset(b, 0, VHSM_REPORT_SIZE);
	put_le32(b, version);
	put_le32(b + 0x04, 7);
	put_le64(b + 0x08, 0x30000);
	put_le32(b + 0x34, 1);
	put_le64(b + 0x38, tcb);
	put_le32(b + 0x48, (s->vlek ? 1 : 0) << 2);
	memset(b + 0x50, 0x42, 64);
	memset(b + 0x90, 0x24, 48);
	put_le64(b + 0x180, tcb);
	b[0x188] = s->turin ? 0x1A : 0x19;
	b[0x189] = s->turin ? 0x02 : 0x01;
	if (!s->vlek)
		memcpy(b + 0x1A0, test_chip, s->turin ? 8 : 64);
	put_le64(b + 0x1E0, tcb);
	b[0x1E8] = 3;
	b[0x1E9] = 55;
	b[0x1EA] = 1;
	put_le64(b + 0x1F0, tcb);
	if (version >= 5) {
		put_le64(b + 0x1F8, 0x3);
		put_le64(b + 0x200, 0x7);
	}
	return sign_report(b, key);
}

FIXTURE(pki) {
	X509 *ark, *ask, *asvk;
	struct buf roots;
	struct vek_spec spec;
	uint8_t report[VHSM_REPORT_SIZE];
};

FIXTURE_SETUP(pki)
{
	X509 *all[3];

	ASSERT_NE(NULL, g_ark_key);
	ASSERT_NE(NULL, g_vek2_key);
	self->ark = new_cert("ARK-Test", g_ark_key, NULL, 1, "critical,CA:TRUE");
	add_ext_conf(self->ark, self->ark, NID_key_usage, "critical,keyCertSign,cRLSign");
	ASSERT_EQ(0, sign_x509(self->ark, g_ark_key));
	self->ask = new_cert("SEV-Test", g_ask_key, self->ark, 2,
			     "critical,CA:TRUE,pathlen:0");
	ASSERT_EQ(0, sign_x509(self->ask, g_ark_key));
	self->asvk = new_cert("SEV-VLEK-Test", g_ask_key, self->ark, 3,
			      "critical,CA:TRUE,pathlen:0");
	ASSERT_EQ(0, sign_x509(self->asvk, g_ark_key));
	all[0] = self->ark;
	all[1] = self->ask;
	all[2] = self->asvk;
	to_pem(all, 3, &self->roots);
	self->spec = (struct vek_spec){ .product = "Milan-B0", .bl = 3, .tee = 1,
					.snp = 9, .ucode = 200, .hwid = test_chip,
					.hwid_len = 64, .key = g_vek_key };
	ASSERT_EQ(0, make_report(self->report, &self->spec, 3, g_vek_key));
}

FIXTURE_TEARDOWN(pki)
{
	X509_free(self->ark);
	X509_free(self->ask);
	X509_free(self->asvk);
	buf_free(&self->roots);
}

/*
 * Build a VCEK/VLEK as DER from spec, issued by issuer, valid until
 * not_after seconds from now (0: a year).
 */
static int make_vek_until(const struct vek_spec *s, X509 *issuer, long not_after,
			  struct buf *out)
{
	X509 *x = new_cert(s->vlek ? "SEV-VLEK" : "SEV-VCEK", s->key, issuer, 77, NULL);
	int err;

	if (not_after)
		X509_gmtime_adj(X509_getm_notAfter(x), not_after);

	add_ext_int(x, "1", s->turin ? 1 : 0);
	add_ext_ia5(x, "2", s->product);
	add_ext_int(x, "3.1", s->bl);
	add_ext_int(x, "3.2", s->tee);
	add_ext_int(x, "3.3", s->snp);
	add_ext_int(x, "3.8", s->ucode);
	if (s->turin)
		add_ext_int(x, "3.9", s->fmc);
	if (s->vlek)
		add_ext_ia5(x, "5", "CN=test-csp");
	else if (s->hwid)
		add_ext_raw(x, "4", s->hwid, s->hwid_len);
	err = sign_x509(x, g_ask_key);
	if (!err)
		err = to_der(x, out);
	X509_free(x);
	return err;
}

static int make_vek(const struct vek_spec *s, X509 *issuer, struct buf *out)
{
	return make_vek_until(s, issuer, 0, out);
}

static int pki_verify(FIXTURE_DATA(pki) *self, const struct vek_spec *s,
		      X509 *issuer, const struct vhsm_verify_opts *base,
		      struct vhsm_verify_result *res)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct buf vek;
	int err;

	if (base)
		o = *base;
	o.roots = self->roots.p;
	o.roots_len = self->roots.n;
	o.flags |= VHSM_VERIFY_NO_POLICY;
	if (make_vek(s, issuer, &vek))
		return -1000;
	err = verify_buf(self->report, sizeof(self->report), &vek, &o, res);
	buf_free(&vek);
	return err;
}

TEST_F(pki, custom_roots_pass)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;

	ASSERT_EQ(0, pki_verify(self, &self->spec, self->ask, NULL, &res));
	log_reasons(_metadata, &res);
	EXPECT_EQ(VHSM_PRODUCT_MILAN, res.product);
	vhsm_verify_result_free(&res);
	/* the same with the built-in AMD roots fails on the chain only */
	{
		struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .flags = VHSM_VERIFY_NO_POLICY };
		struct buf vek;

		ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
		ASSERT_EQ(-EKEYREJECTED, verify_buf(self->report, sizeof(self->report),
						    &vek, &o, &res));
		EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
		vhsm_verify_result_free(&res);
		buf_free(&vek);
	}
}

TEST_F(pki, tcb_mismatch)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vek_spec s = self->spec;

	s.snp = 8;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_TCB, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"tcb: VCEK snpSPL=8 != reported_tcb.snp=9"));
	vhsm_verify_result_free(&res);
	s = self->spec;
	s.ucode = 1;
	s.tee = 0;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_TCB, res.failed);
	EXPECT_EQ(2, res.n_reasons);
	vhsm_verify_result_free(&res);
}

TEST_F(pki, hwid_mismatch)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vek_spec s = self->spec;
	uint8_t other[64];
	uint8_t wrapped[66];

	memcpy(other, test_chip, 64);
	other[40] ^= 1;
	s.hwid = other;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_HWID, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "hwid:"));
	vhsm_verify_result_free(&res);
	/* a DER OCTET STRING wrapped hwID is accepted */
	wrapped[0] = 0x04;
	wrapped[1] = 0x40;
	memcpy(wrapped + 2, test_chip, 64);
	s.hwid = wrapped;
	s.hwid_len = 66;
	ASSERT_EQ(0, pki_verify(self, &s, self->ask, NULL, &res));
	vhsm_verify_result_free(&res);
	/* 8-byte hwID on a non-Turin product is not enough */
	s.hwid = test_chip;
	s.hwid_len = 8;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_HWID, res.failed);
	vhsm_verify_result_free(&res);
}

TEST_F(pki, wrong_key_and_product)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vek_spec s = self->spec;

	s.key = g_vek2_key;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_SIGNATURE, res.failed);
	vhsm_verify_result_free(&res);
	s = self->spec;
	s.product = "Genoa";
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_PRODUCT, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "product:"));
	vhsm_verify_result_free(&res);
	s.product = "Bogus";
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_PRODUCT, res.failed);
	vhsm_verify_result_free(&res);
	/* VCEK signed by the ASVK */
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &self->spec, self->asvk, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VCEK not signed by the ASK"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
}

TEST_F(pki, vlek)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vek_spec s = self->spec;

	s.vlek = true;
	ASSERT_EQ(0, make_report(self->report, &s, 3, g_vek_key));
	ASSERT_EQ(0, pki_verify(self, &s, self->asvk, NULL, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	/* VLEK must be signed by the ASVK */
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VLEK not signed by the ASVK"));
	vhsm_verify_result_free(&res);
	/* a VCEK for the VLEK report */
	s.vlek = false;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_KEY_TYPE);
	vhsm_verify_result_free(&res);
}

TEST_F(pki, turin_v5)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vek_spec s = self->spec;
	struct vhsm_report r;

	s.turin = true;
	s.product = "Turin";
	s.fmc = 2;
	s.hwid_len = 8;
	ASSERT_EQ(0, make_report(self->report, &s, 5, g_vek_key));
	ASSERT_EQ(0, vhsm_report_parse(self->report, sizeof(self->report), &r));
	EXPECT_EQ(VHSM_PRODUCT_TURIN, r.product);
	EXPECT_EQ(2, r.reported_tcb.fmc);
	EXPECT_EQ(9, r.reported_tcb.snp);
	EXPECT_EQ(7, r.current_mit_vector);
	ASSERT_EQ(0, pki_verify(self, &s, self->ask, NULL, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	/* fmcSPL mismatch */
	s.fmc = 3;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_EQ(VHSM_CHECK_TCB, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "tcb: VCEK fmcSPL=3 != reported_tcb.fmc=2"));
	vhsm_verify_result_free(&res);
	/* Turin chip_id must be zero past the first 8 bytes */
	s.fmc = 2;
	self->report[0x1A0 + 20] = 1;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &s, self->ask, NULL, &res));
	EXPECT_TRUE(res.failed & VHSM_CHECK_HWID);
	vhsm_verify_result_free(&res);
}

static int make_crl(X509 *issuer, EVP_PKEY *key, long revoked_serial, struct buf *out)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_new();
	unsigned char *der = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	int len = -1;

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
	X509_gmtime_adj(t, -3600);
	X509_CRL_set1_lastUpdate(crl, t);
	X509_gmtime_adj(t, 86400);
	X509_CRL_set1_nextUpdate(crl, t);
	if (revoked_serial) {
		X509_REVOKED *rv = X509_REVOKED_new();
		ASN1_INTEGER *sn = ASN1_INTEGER_new();

		ASN1_INTEGER_set(sn, revoked_serial);
		X509_REVOKED_set_serialNumber(rv, sn);
		X509_gmtime_adj(t, -1800);
		X509_REVOKED_set_revocationDate(rv, t);
		X509_CRL_add0_revoked(crl, rv);
		ASN1_INTEGER_free(sn);
	}
	X509_CRL_sort(crl);
	if (EVP_DigestSignInit(md, &pctx, EVP_sha384(), NULL, key) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	    X509_CRL_sign_ctx(crl, md) > 0)
		len = i2d_X509_CRL(crl, &der);
	if (len > 0) {
		out->p = malloc((size_t)len);
		memcpy(out->p, der, (size_t)len);
		out->n = (size_t)len;
	}
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	return len > 0 ? 0 : -1;
}

TEST_F(pki, crl)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf crl;

	/* CRL by the ARK, not revoking anything */
	ASSERT_EQ(0, make_crl(self->ark, g_ark_key, 0, &crl));
	o.crl = crl.p;
	o.crl_len = crl.n;
	ASSERT_EQ(0, pki_verify(self, &self->spec, self->ask, &o, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&crl);
	/* the ARK revokes the ASK (serial 2) */
	ASSERT_EQ(0, make_crl(self->ark, g_ark_key, 2, &crl));
	o.crl = crl.p;
	o.crl_len = crl.n;
	ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &self->spec, self->ask, &o, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: ASK is revoked"));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	buf_free(&crl);
	/* the ASK revokes the VCEK (serial 77), PEM form */
	{
		X509_CRL *c;
		const unsigned char *p;
		BIO *bio = BIO_new(BIO_s_mem());
		char *data;
		long n;

		ASSERT_EQ(0, make_crl(self->ask, g_ask_key, 77, &crl));
		p = crl.p;
		c = d2i_X509_CRL(NULL, &p, (long)crl.n);
		PEM_write_bio_X509_CRL(bio, c);
		X509_CRL_free(c);
		buf_free(&crl);
		n = BIO_get_mem_data(bio, &data);
		o.crl = data;
		o.crl_len = (size_t)n;
		ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &self->spec, self->ask, &o, &res));
		EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VCEK is revoked"));
		vhsm_verify_result_free(&res);
		BIO_free(bio);
	}
	/* a CRL from an unrelated issuer is an error, not silently ignored */
	{
		X509 *other = new_cert("Other", g_ask_key, NULL, 9, "critical,CA:TRUE");

		ASSERT_EQ(0, sign_x509(other, g_ask_key));
		ASSERT_EQ(0, make_crl(other, g_ask_key, 0, &crl));
		X509_free(other);
		o.crl = crl.p;
		o.crl_len = crl.n;
		ASSERT_EQ(-EKEYREJECTED, pki_verify(self, &self->spec, self->ask, &o, &res));
		EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: CRL is not issued"));
		vhsm_verify_result_free(&res);
		buf_free(&crl);
	}
}

TEST_F(pki, cache_dir)
{
	char dir[] = "/tmp/vhsm-cache-XXXXXX", path[1024], hwid[129];
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_report r;
	struct buf vek, pem;
	int i;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, vhsm_report_parse(self->report, sizeof(self->report), &r));
	ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
	for (i = 0; i < 64; i++)
		sprintf(hwid + 2 * i, "%02x", test_chip[i]);
	snprintf(path, sizeof(path), "%s/vcek/Milan/%s", dir, hwid);
	ASSERT_EQ(0, mkdirs(path));
	snprintf(path, sizeof(path), "%s/vcek/Milan/%s/%016llx.der", dir, hwid,
		 (unsigned long long)r.reported_tcb.raw);
	ASSERT_EQ(0, write_all(path, vek.p, vek.n));
	buf_free(&vek);
	o.cache_dir = dir;
	o.flags = VHSM_VERIFY_NO_POLICY;
	/* found, but the built-in AMD roots do not trust the test ASK */
	ASSERT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	vhsm_verify_result_free(&res);
	/* test ARK and ASK in the cache replace the built-in ones */
	snprintf(path, sizeof(path), "%s/Milan", dir);
	ASSERT_EQ(0, mkdirs(path));
	to_pem(&self->ark, 1, &pem);
	snprintf(path, sizeof(path), "%s/Milan/ark.pem", dir);
	ASSERT_EQ(0, write_all(path, pem.p, pem.n));
	buf_free(&pem);
	to_pem(&self->ask, 1, &pem);
	snprintf(path, sizeof(path), "%s/Milan/ask.pem", dir);
	ASSERT_EQ(0, write_all(path, pem.p, pem.n));
	buf_free(&pem);
	ASSERT_EQ(0, vhsm_verify_report(&r, &o, &res));
	log_reasons(_metadata, &res);
	vhsm_verify_result_free(&res);
	/* the root files are part of the certificate cache key: without the
	 * test ARK the built-in one is used again and the chain fails */
	snprintf(path, sizeof(path), "%s/Milan/ark.pem", dir);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(-EKEYREJECTED, vhsm_verify_report(&r, &o, &res));
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	vhsm_verify_result_free(&res);
	EXPECT_EQ(0, rm_rf(dir));
}

/* ---- the certificate cache of the verifier (libvhsm/verify/cache.c) ---- */

/* Library internals; these tests link the library objects in. */
void _vhsm_verify_cache_flush(void);
void _vhsm_verify_cache_stats(unsigned long *hits, unsigned long *misses);

static unsigned long cache_hits(void)
{
	unsigned long hits, misses;

	_vhsm_verify_cache_stats(&hits, &misses);
	return hits;
}

/* Same failed checks, product and reasons (in order). */
static bool same_result(const struct vhsm_verify_result *a,
			const struct vhsm_verify_result *b)
{
	size_t i;

	if (a->failed != b->failed || a->product != b->product ||
	    a->n_reasons != b->n_reasons)
		return false;
	for (i = 0; i < a->n_reasons; i++)
		if (strcmp(a->reasons[i], b->reasons[i]))
			return false;
	return true;
}

struct outcome {
	int rc;
	struct vhsm_verify_result res;
};

/*
 * Verify rep with an empty cache (cold), then again after warm_rep (same
 * VEK and options) has filled it (warm); *hit: the warm call was a hit.
 */
static void cold_and_warm(const uint8_t *rep, size_t len, const uint8_t *warm_rep,
			  const struct buf *vek, const struct vhsm_verify_opts *o,
			  struct outcome *cold, struct outcome *warm, bool *hit)
{
	struct vhsm_verify_result tmp = VHSM_VERIFY_RESULT_INIT;
	unsigned long h;

	_vhsm_verify_cache_flush();
	cold->rc = verify_buf(rep, len, vek, o, &cold->res);
	_vhsm_verify_cache_flush();
	verify_buf(warm_rep, len, vek, o, &tmp);
	vhsm_verify_result_free(&tmp);
	h = cache_hits();
	warm->rc = verify_buf(rep, len, vek, o, &warm->res);
	*hit = cache_hits() == h + 1;
}

static void outcome_free(struct outcome *a, struct outcome *b)
{
	vhsm_verify_result_free(&a->res);
	vhsm_verify_result_free(&b->res);
}

/* The bench's report: built-in AMD roots, default policy. */
TEST(cache_real_report)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct outcome cold = { .res = VHSM_VERIFY_RESULT_INIT }, warm = { .res = VHSM_VERIFY_RESULT_INIT };
	uint8_t flipped[VHSM_REPORT_SIZE];
	struct buf rep, vek;
	unsigned long h;
	bool hit;
	int i;

	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vek));
	ASSERT_EQ(VHSM_REPORT_SIZE, rep.n);
	cold_and_warm(rep.p, rep.n, rep.p, &vek, &o, &cold, &warm, &hit);
	EXPECT_TRUE(hit);
	EXPECT_EQ(0, cold.rc);
	EXPECT_EQ(0, warm.rc);
	EXPECT_EQ(VHSM_PRODUCT_GENOA, warm.res.product);
	EXPECT_TRUE(same_result(&cold.res, &warm.res));
	outcome_free(&cold, &warm);
	/* a flipped signed byte fails with the chain cached for this VCEK */
	memcpy(flipped, rep.p, sizeof(flipped));
	flipped[0x90] ^= 1;
	cold_and_warm(flipped, sizeof(flipped), rep.p, &vek, &o, &cold, &warm, &hit);
	EXPECT_TRUE(hit);
	EXPECT_EQ(-EKEYREJECTED, cold.rc);
	EXPECT_EQ(-EKEYREJECTED, warm.rc);
	EXPECT_EQ(VHSM_CHECK_SIGNATURE, warm.res.failed);
	EXPECT_TRUE(same_result(&cold.res, &warm.res));
	log_reasons(_metadata, &warm.res);
	outcome_free(&cold, &warm);
	/* the signature is never cached: good, bad, good, bad ... */
	for (i = 0; i < 4; i++) {
		h = cache_hits();
		EXPECT_EQ(i & 1 ? -EKEYREJECTED : 0,
			  verify_buf(i & 1 ? flipped : rep.p, rep.n, &vek, &o, &res));
		EXPECT_EQ(i & 1 ? VHSM_CHECK_SIGNATURE : 0, res.failed);
		EXPECT_EQ(h + 1, cache_hits());
		vhsm_verify_result_free(&res);
	}
	buf_free(&rep);
	buf_free(&vek);
}

/* Every failure type: a cache hit gives what the full verification gives. */
TEST_F(pki, cache_same_results)
{
	static const struct {
		const char *what;
		uint32_t failed;
	} cases[] = {
		{ "pass", 0 },
		{ "flipped signed byte", VHSM_CHECK_SIGNATURE },
		{ "signed by another key", VHSM_CHECK_SIGNATURE },
		{ "reported TCB not the VCEK's", VHSM_CHECK_TCB },
		{ "other CHIP_ID", VHSM_CHECK_HWID },
		{ "SIGNING_KEY says VLEK", VHSM_CHECK_KEY_TYPE },
		{ "CPUID says Genoa", VHSM_CHECK_PRODUCT },
		{ "unsigned", VHSM_CHECK_SIGNATURE | VHSM_CHECK_KEY_TYPE },
	};
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .roots = self->roots.p, .roots_len = self->roots.n,
				      .flags = VHSM_VERIFY_NO_POLICY };
	uint8_t rep[VHSM_REPORT_SIZE];
	struct buf vek;
	size_t i;

	ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vek_spec s = self->spec;
		struct outcome cold = { .res = VHSM_VERIFY_RESULT_INIT }, warm = { .res = VHSM_VERIFY_RESULT_INIT };
		bool hit;

		memcpy(rep, self->report, sizeof(rep));
		switch (i) {
		case 1:
			rep[0x90] ^= 1;
			break;
		case 2:
			ASSERT_EQ(0, sign_report(rep, g_vek2_key));
			break;
		case 3:
			s.snp = 8;
			ASSERT_EQ(0, make_report(rep, &s, 3, g_vek_key));
			break;
		case 4:
			rep[0x1A0 + 5] ^= 1;
			ASSERT_EQ(0, sign_report(rep, g_vek_key));
			break;
		case 5:
			rep[0x48] |= 1 << 2;
			ASSERT_EQ(0, sign_report(rep, g_vek_key));
			break;
		case 6:
			rep[0x189] = 0x11;
			ASSERT_EQ(0, sign_report(rep, g_vek_key));
			break;
		case 7:
			rep[0x48] |= 7 << 2;
			break;
		}
		TH_LOG("%s", cases[i].what);
		cold_and_warm(rep, sizeof(rep), self->report, &vek, &o, &cold, &warm, &hit);
		EXPECT_TRUE(hit);
		EXPECT_EQ(cases[i].failed ? -EKEYREJECTED : 0, cold.rc);
		EXPECT_EQ(cold.rc, warm.rc);
		EXPECT_EQ(cases[i].failed, cold.res.failed);
		EXPECT_TRUE(same_result(&cold.res, &warm.res));
		log_reasons(_metadata, &warm.res);
		outcome_free(&cold, &warm);
	}
	buf_free(&vek);
}

/* A CRL is part of the key: revoking the cached chain's ASK fails it. */
TEST_F(pki, cache_crl)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .roots = self->roots.p, .roots_len = self->roots.n,
				      .flags = VHSM_VERIFY_NO_POLICY };
	static const uint8_t junk[] = "-----BEGIN X509 CRL-----\nnot base64\n";
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf vek, crl_ok, crl_ask;
	unsigned long h;
	int i;

	ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
	ASSERT_EQ(0, make_crl(self->ark, g_ark_key, 0, &crl_ok));
	ASSERT_EQ(0, make_crl(self->ark, g_ark_key, 2, &crl_ask));
	_vhsm_verify_cache_flush();
	/* no CRL, then one revoking nothing: each passes, the second time cached */
	ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
	vhsm_verify_result_free(&res);
	o.crl = crl_ok.p;
	o.crl_len = crl_ok.n;
	for (i = 0; i < 2; i++) {
		h = cache_hits();
		ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
		EXPECT_EQ(h + (unsigned long)i, cache_hits());
		vhsm_verify_result_free(&res);
	}
	/* the same (known good) CRL under another key: parsed and checked again */
	o.flags |= VHSM_VERIFY_NO_CHECK_TIME;
	h = cache_hits();
	ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
	EXPECT_EQ(h, cache_hits());
	vhsm_verify_result_free(&res);
	o.flags &= ~VHSM_VERIFY_NO_CHECK_TIME;
	/* the ARK revokes the ASK: a miss and a failure, every time */
	o.crl = crl_ask.p;
	o.crl_len = crl_ask.n;
	for (i = 0; i < 2; i++) {
		h = cache_hits();
		ASSERT_EQ(-EKEYREJECTED, verify_buf(self->report, sizeof(self->report),
						    &vek, &o, &res));
		EXPECT_EQ(h, cache_hits());
		EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
		EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
			"chain: ASK is revoked by the CRL"));
		vhsm_verify_result_free(&res);
	}
	/* a CRL that does not parse is still rejected before any check */
	o.crl = junk;
	o.crl_len = sizeof(junk) - 1;
	EXPECT_EQ(-EINVAL, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
	EXPECT_EQ(0, res.n_reasons);
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&crl_ok);
	buf_free(&crl_ask);
}

/* A cached chain is not used once one of its certificates has expired. */
TEST_F(pki, cache_expiry)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .roots = self->roots.p, .roots_len = self->roots.n,
				      .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT, cold = VHSM_VERIFY_RESULT_INIT;
	struct buf vek;
	unsigned long h;
	int i;

	/* a VCEK that expires 3 seconds from now */
	ASSERT_EQ(0, make_vek_until(&self->spec, self->ask, 3, &vek));
	_vhsm_verify_cache_flush();
	for (i = 0; i < 2; i++) {
		h = cache_hits();
		ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
		EXPECT_EQ(h + (unsigned long)i, cache_hits());
		vhsm_verify_result_free(&res);
	}
	sleep(4);
	h = cache_hits();
	ASSERT_EQ(-EKEYREJECTED, verify_buf(self->report, sizeof(self->report), &vek,
					    &o, &res));
	EXPECT_EQ(h, cache_hits());
	EXPECT_EQ(VHSM_CHECK_CHAIN, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chain: VCEK: certificate has expired"));
	log_reasons(_metadata, &res);
	/* exactly what an empty cache gives */
	_vhsm_verify_cache_flush();
	ASSERT_EQ(-EKEYREJECTED, verify_buf(self->report, sizeof(self->report), &vek,
					    &o, &cold));
	EXPECT_TRUE(same_result(&res, &cold));
	vhsm_verify_result_free(&res);
	vhsm_verify_result_free(&cold);
	/* without date checks it passes, and that is cached */
	o.flags |= VHSM_VERIFY_NO_CHECK_TIME;
	for (i = 0; i < 2; i++) {
		h = cache_hits();
		ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &vek, &o, &res));
		EXPECT_EQ(h + (unsigned long)i, cache_hits());
		vhsm_verify_result_free(&res);
	}
	buf_free(&vek);
}

/* Bounded: more distinct chains than entries still verify right. */
TEST_F(pki, cache_eviction)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .roots = self->roots.p, .roots_len = self->roots.n,
				      .flags = VHSM_VERIFY_NO_POLICY };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf vek, pem;
	X509 *x;
	const unsigned char *p;
	unsigned long h;
	int i;

	ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
	p = vek.p;
	x = d2i_X509(NULL, &p, (long)vek.n);
	ASSERT_NE(NULL, x);
	ASSERT_EQ(0, to_pem(&x, 1, &pem));
	X509_free(x);
	_vhsm_verify_cache_flush();
	/* 70 different VEK buffers (the PEM with 0..69 trailing newlines) */
	for (i = 0; i < 70; i++) {
		struct buf b = { .n = pem.n + (size_t)i };

		b.p = malloc(b.n);
		ASSERT_NE(NULL, b.p);
		memcpy(b.p, pem.p, pem.n);
		memset(b.p + pem.n, '\n', (size_t)i);
		ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &b, &o, &res));
		vhsm_verify_result_free(&res);
		if (i == 0 || i == 69) {
			/* the newest is cached; the first is evicted by now at 69 */
			h = cache_hits();
			ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &b, &o,
						&res));
			EXPECT_EQ(h + 1, cache_hits());
			vhsm_verify_result_free(&res);
		}
		free(b.p);
	}
	h = cache_hits();
	ASSERT_EQ(0, verify_buf(self->report, sizeof(self->report), &pem, &o, &res));
	EXPECT_EQ(h, cache_hits());
	vhsm_verify_result_free(&res);
	buf_free(&vek);
	buf_free(&pem);
}

struct race_arg {
	const uint8_t *rep, *bad;
	const struct buf *vek;
	const struct vhsm_verify_opts *o;
	int errors;
};

static void *race_thread(void *p)
{
	struct race_arg *a = p;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	int i, rc;

	for (i = 0; i < 16; i++) {
		rc = verify_buf(i & 1 ? a->bad : a->rep, VHSM_REPORT_SIZE, a->vek, a->o, &res);
		if (rc != (i & 1 ? -EKEYREJECTED : 0) ||
		    res.failed != (i & 1 ? VHSM_CHECK_SIGNATURE : 0u))
			a->errors++;
		vhsm_verify_result_free(&res);
		if (i % 5 == 4)
			_vhsm_verify_cache_flush();
	}
	return NULL;
}

/* Threads verifying (and flushing) at once: same results, no races. */
TEST_F(pki, cache_threads)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .roots = self->roots.p, .roots_len = self->roots.n,
				      .flags = VHSM_VERIFY_NO_POLICY };
	uint8_t bad[VHSM_REPORT_SIZE];
	struct race_arg args[4];
	pthread_t th[4];
	struct buf vek;
	int i;

	ASSERT_EQ(0, make_vek(&self->spec, self->ask, &vek));
	memcpy(bad, self->report, sizeof(bad));
	bad[0x90] ^= 1;
	for (i = 0; i < 4; i++) {
		args[i] = (struct race_arg){ .rep = self->report, .bad = bad, .vek = &vek,
					     .o = &o };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, race_thread, &args[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		EXPECT_EQ(0, args[i].errors);
	}
	buf_free(&vek);
}

TEST_HARNESS_MAIN
