// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm's verifier as its users meet it (issue 12): the verdict carries
 * what was verified (item 3), the size-versioned structs and the raw-bytes
 * call (item 5), and the policy's error messages and go-sev-guest checks
 * (item 4), on the real AMD-signed reports of selftests/testdata/snp.
 * Env: VHSM_TESTDATA (default selftests/testdata/snp).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kselftest_harness.h"
#include "vhsm/report.h"

struct buf {
	uint8_t *p;
	size_t n;
};

static int load_td(const char *rel, struct buf *b)
{
	const char *d = getenv("VHSM_TESTDATA");
	char path[1024];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", d && *d ? d : "selftests/testdata/snp", rel);
	b->p = NULL;
	b->n = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b->p = malloc((size_t)n + 1))) {
		fclose(f);
		return -EIO;
	}
	b->n = fread(b->p, 1, (size_t)n, f);
	fclose(f);
	return b->n == (size_t)n ? 0 : -EIO;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* The real reports (testdata/snp/INDEX) and what their verdict must say. */
static const struct row {
	const char *report, *key;
	uint32_t version;
	const char *product;
	unsigned int snp;
	bool vlek;
} rows[] = {
	{ "trustee/test-report.bin", "trustee/test-vcek.der", 2, "Milan", 8, false },
	{ "trustee/test-vlek-report.bin", "trustee/test-vlek.der", 3, "Milan", 24, true },
	{ "trustee/e2e-evidence.report.bin", "trustee/e2e-evidence.vcek.der", 3, "Genoa",
	  23, false },
	{ "trustee/az-snp-vtpm/hcl-report.snp-report.bin", "trustee/az-snp-vtpm/vcek.pem",
	  2, "Milan", 8, false },
	{ "trustee/az-snp-vtpm/evidence-genoa.snp-report.bin",
	  "trustee/az-snp-vtpm/vcek-genoa.pem", 3, "Genoa", 23, false },
	{ "go-sev-guest/attestation.bin", "go-sev-guest/vcek.der", 2, "Milan", 5, false },
	{ "virtee-sev/report_milan.bin", "virtee-sev/vcek_milan.der", 2, "Milan", 8, false },
};

static bool json_has_str(json_t *arr, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_is_string(e) && !strcmp(json_string_value(e), s))
			return true;
	return false;
}

/* Verify a row with @pol (may be NULL) and @flags; the verdict as JSON. */
static int verdict(const struct row *r, const struct vhsm_policy *pol, unsigned int flags,
		   struct vhsm_verify_result *res, struct vhsm_report *rep, json_t **j)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct buf b, k;
	char *s = NULL;
	int err;

	*j = NULL;
	if (load_td(r->report, &b) || load_td(r->key, &k))
		return -EIO;
	o.vek = k.p;
	o.vek_len = k.n;
	o.policy = pol;
	o.flags = flags | (r->vlek ? VHSM_VERIFY_NO_CHECK_TIME : 0);	/* expired VLEK */
	err = vhsm_report_parse(b.p, b.n, rep);
	if (!err)
		err = vhsm_verify_report(rep, &o, res);
	if ((!err || err == -EKEYREJECTED) && !vhsm_verify_result_to_json(res, &s))
		*j = json_loads(s, 0, NULL);
	free(s);
	free(b.p);
	free(k.p);
	return err;
}

/* ---- item 3: the verdict carries what was verified ---- */

TEST(verdict_carries_the_claims)
{
	struct vhsm_policy pol;
	size_t i;

	vhsm_policy_init(&pol);
	pol.allow_debug = true;	/* go-sev-guest's report has DEBUG=1 */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
		const struct row *r = &rows[i];
		char m[97], rd[129], chip[129];
		struct vhsm_report rep;
		json_t *j, *c, *sk;

		TH_LOG("%s", r->report);
		ASSERT_EQ(0, verdict(r, &pol, 0, &res, &rep, &j));
		ASSERT_NE(NULL, j);
		c = json_object_get(j, "claims");
		sk = json_object_get(j, "signing_key");
		EXPECT_EQ(VHSM_VERIFY_JSON_SCHEMA, json_integer_value(json_object_get(j, "schema")));
		EXPECT_TRUE(json_is_true(json_object_get(j, "ok")));
		EXPECT_STREQ(r->product, json_string_value(json_object_get(j, "product")));
		EXPECT_EQ(r->version, json_integer_value(json_object_get(c, "version")));
		EXPECT_STREQ(r->product, json_string_value(json_object_get(c, "product")));
		hex(rep.measurement, 48, m);
		hex(rep.report_data, 64, rd);
		hex(rep.chip_id, 64, chip);
		EXPECT_STREQ(m, json_string_value(json_object_get(c, "measurement")));
		EXPECT_STREQ(rd, json_string_value(json_object_get(c, "report_data")));
		EXPECT_STREQ(chip, json_string_value(json_object_get(c, "chip_id")));
		EXPECT_EQ(r->snp, json_integer_value(json_object_get(
			json_object_get(c, "reported_tcb"), "snp")));
		EXPECT_NE(NULL, json_object_get(c, "launch_tcb"));
		EXPECT_NE(NULL, json_object_get(c, "committed_tcb"));
		EXPECT_NE(NULL, json_object_get(c, "current_tcb"));
		EXPECT_NE(NULL, json_object_get(c, "host_data"));
		EXPECT_NE(NULL, json_object_get(c, "id_key_digest"));
		EXPECT_NE(NULL, json_object_get(c, "author_key_digest"));
		EXPECT_EQ(rep.vmpl, json_integer_value(json_object_get(c, "vmpl")));
		EXPECT_TRUE(json_is_boolean(json_object_get(json_object_get(c, "policy"), "debug")));
		/* the signing key: AMD's VCEKs and VLEKs all carry serial 0 */
		EXPECT_STREQ(r->vlek ? "vlek" : "vcek",
			     json_string_value(json_object_get(sk, "type")));
		EXPECT_STREQ("00", json_string_value(json_object_get(sk, "serial")));
		EXPECT_STREQ(r->vlek ? "CN=SEV-VLEK,O=Advanced Micro Devices,ST=CA,"
				       "L=Santa Clara,C=US,OU=Engineering" :
				       "CN=SEV-VCEK,O=Advanced Micro Devices,ST=CA,"
				       "L=Santa Clara,C=US,OU=Engineering",
			     json_string_value(json_object_get(sk, "subject")));
		/* checks that ran, and what the options weakened */
		EXPECT_TRUE(json_has_str(json_object_get(j, "checks"), "signature"));
		EXPECT_TRUE(json_has_str(json_object_get(j, "checks"), "chain"));
		EXPECT_TRUE(json_has_str(json_object_get(j, "checks"), "tcb"));
		EXPECT_TRUE(json_has_str(json_object_get(j, "checks"), "debug"));
		EXPECT_EQ(!r->vlek, json_has_str(json_object_get(j, "checks"), "hwid"));
		EXPECT_FALSE(json_has_str(json_object_get(j, "checks"), "measurement"));
		EXPECT_TRUE(json_has_str(json_object_get(j, "weakened"), "no_crl"));
		EXPECT_EQ(r->vlek, json_has_str(json_object_get(j, "weakened"), "no_check_time"));
		EXPECT_FALSE(json_has_str(json_object_get(j, "weakened"), "custom_roots"));
		EXPECT_EQ(0, json_array_size(json_object_get(j, "failed")));
		/* the struct says the same */
		ASSERT_NE(NULL, res.report);
		EXPECT_EQ(0, memcmp(res.report->measurement, rep.measurement, 48));
		EXPECT_TRUE(res.checks & VHSM_CHECK_SIGNATURE);
		EXPECT_TRUE(res.weakened & VHSM_WEAK_NO_CRL);
		json_decref(j);
		vhsm_verify_result_free(&res);
		EXPECT_EQ(sizeof(res), res.size);	/* free keeps the size */
	}
	vhsm_policy_free(&pol);
}

TEST(verdict_refused_and_weakened)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	const struct row *r = &rows[2];	/* Genoa, DEBUG=0 */
	struct vhsm_policy pol;
	struct vhsm_report rep;
	json_t *j;

	vhsm_policy_init(&pol);
	ASSERT_EQ(0, vhsm_policy_add_measurement(&pol, (const uint8_t *)
		"000000000000000000000000000000000000000000000000")); /* 48 '0' chars */
	EXPECT_EQ(-EKEYREJECTED, verdict(r, &pol, 0, &res, &rep, &j));
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(json_is_false(json_object_get(j, "ok")));
	EXPECT_TRUE(json_has_str(json_object_get(j, "failed"), "measurement"));
	EXPECT_TRUE(json_has_str(json_object_get(j, "checks"), "measurement"));
	EXPECT_NE(NULL, json_object_get(j, "claims"));	/* what was refused */
	json_decref(j);
	vhsm_verify_result_free(&res);

	EXPECT_EQ(0, verdict(r, NULL, VHSM_VERIFY_NO_POLICY | VHSM_VERIFY_NO_CHECK_TIME,
			     &res, &rep, &j));
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(json_has_str(json_object_get(j, "weakened"), "no_policy"));
	EXPECT_TRUE(json_has_str(json_object_get(j, "weakened"), "no_check_time"));
	EXPECT_FALSE(json_has_str(json_object_get(j, "checks"), "debug"));
	EXPECT_FALSE(json_has_str(json_object_get(j, "checks"), "provisional"));
	json_decref(j);
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&pol);
}

/* ---- item 5: size-versioned structs, raw bytes, threads ---- */

TEST(struct_sizes_are_checked)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy pol;
	struct vhsm_report rep;
	struct buf b, k;
	char *s;

	ASSERT_EQ(0, load_td(rows[2].report, &b));
	ASSERT_EQ(0, load_td(rows[2].key, &k));
	ASSERT_EQ(0, vhsm_report_parse(b.p, b.n, &rep));
	EXPECT_EQ(sizeof(rep), rep.size);
	EXPECT_EQ(-EINVAL, vhsm_report_parse_size(b.p, b.n, &rep, sizeof(rep) - 8));
	ASSERT_EQ(0, vhsm_report_parse(b.p, b.n, &rep));
	o.vek = k.p;
	o.vek_len = k.n;
	ASSERT_EQ(0, vhsm_verify_report(&rep, &o, &res));
	vhsm_verify_result_free(&res);

	/* a caller that did not set a size is refused, nothing written */
	res.size = 0;
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&rep, &o, &res));
	res.size = sizeof(res);
	o.size = 4;
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&rep, &o, &res));
	o.size = sizeof(o);
	rep.size = 0;
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&rep, &o, &res));
	EXPECT_EQ(-EINVAL, vhsm_report_to_json(&rep, &s));
	rep.size = sizeof(rep);
	memset(&pol, 0, sizeof(pol));	/* not vhsm_policy_init()ed */
	o.policy = &pol;
	EXPECT_EQ(-EINVAL, vhsm_verify_report(&rep, &o, &res));
	EXPECT_EQ(-EINVAL, vhsm_policy_add_measurement(&pol, rep.measurement));
	EXPECT_EQ(-EINVAL, vhsm_policy_parse_json(&pol, "{}", NULL));
	vhsm_policy_init(&pol);
	EXPECT_EQ(sizeof(pol), pol.size);
	EXPECT_EQ(0, vhsm_verify_report(&rep, &o, &res));
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&pol);
	EXPECT_EQ(sizeof(pol), pol.size);
	free(b.p);
	free(k.p);
}

TEST(verify_report_bytes)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct buf b, k;

	ASSERT_EQ(0, load_td(rows[2].report, &b));
	ASSERT_EQ(0, load_td(rows[2].key, &k));
	o.vek = k.p;
	o.vek_len = k.n;
	EXPECT_EQ(0, vhsm_verify_report_bytes(b.p, b.n, &o, &res));
	EXPECT_EQ(VHSM_PRODUCT_GENOA, res.product);
	ASSERT_NE(NULL, res.report);
	EXPECT_EQ(3, res.report->version);
	vhsm_verify_result_free(&res);
	EXPECT_EQ(-EINVAL, vhsm_verify_report_bytes(b.p, VHSM_REPORT_SIZE - 1, &o, &res));
	EXPECT_EQ(NULL, res.report);
	b.p[0] = 9;	/* VERSION 9 */
	EXPECT_EQ(-EPROTO, vhsm_verify_report_bytes(b.p, b.n, &o, &res));
	b.p[0] = 3;
	b.p[0x90] ^= 1;	/* MEASUREMENT: signature fails */
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report_bytes(b.p, b.n, &o, &res));
	EXPECT_EQ(VHSM_CHECK_SIGNATURE, res.failed);
	vhsm_verify_result_free(&res);
	free(b.p);
	free(k.p);
}

struct worker {
	const struct buf *rep;
	const struct vhsm_verify_opts *o;
	int bad;
};

static void *verify_many(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < 40; i++) {
		struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;

		if (vhsm_verify_report_bytes(w->rep->p, w->rep->n, w->o, &res) || res.failed)
			w->bad++;
		vhsm_verify_result_free(&res);
	}
	return NULL;
}

/* The header says verification is thread-safe on shared opts and policy. */
TEST(concurrent_verifications_share_opts)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct worker w[4];
	pthread_t t[4];
	struct vhsm_policy pol;
	struct buf b, k;
	int i;

	ASSERT_EQ(0, load_td(rows[2].report, &b));
	ASSERT_EQ(0, load_td(rows[2].key, &k));
	vhsm_policy_init(&pol);
	ASSERT_EQ(0, vhsm_policy_parse_json(&pol, "{\"max_vmpl\": 0, \"min_tcb\": {\"snp\": 23}}",
					    NULL));
	o.vek = k.p;
	o.vek_len = k.n;
	o.policy = &pol;
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ .rep = &b, .o = &o };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, verify_many, &w[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].bad);
	}
	vhsm_policy_free(&pol);
	free(b.p);
	free(k.p);
}

/* ---- item 4: policy errors name the problem; go-sev-guest's checks ---- */

/* parse_json must fail with -EINVAL and a message containing @want. */
static bool policy_error(const char *json, const char *want, char *got, size_t n)
{
	struct vhsm_policy p;
	char *msg = NULL;
	int err;

	vhsm_policy_init(&p);
	err = vhsm_policy_parse_json(&p, json, &msg);
	snprintf(got, n, "%d: %s", err, msg ? msg : "(none)");
	vhsm_policy_free(&p);
	err = err == -EINVAL && msg && strstr(msg, want);
	free(msg);
	return err;
}

TEST(policy_errors_name_the_problem)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{ "{\n  \"max_vmpl\": 1,\n  \"debug\" true\n}", "line 3, column" },
		{ "{\"max_vmpl\": 1, \"bogus\": 2}", "unknown key \"bogus\"" },
		{ "{\"max_vmpl\": 7}", "\"max_vmpl\": 7 is out of range 0..3" },
		{ "{\"max_vmpl\": \"1\"}", "\"max_vmpl\": expected an integer 0..3" },
		{ "{\"host_data\": \"abcd\"}", "\"host_data\": \"abcd\" has 4 hex digits, expected 64" },
		{ "{\"family_id\": \"zz000000000000000000000000000000\"}", "\"family_id\": \"zz00" },
		{ "{\"min_tcb\": {\"snp\": 300}}", "\"min_tcb\": 300 is out of range 0..255" },
		{ "{\"min_launch_tcb\": {\"sp\": 1}}", "unknown TCB part \"sp\"" },
		{ "{\"allow_debug\": 1}", "\"allow_debug\": expected true or false" },
		{ "{\"platform_info_required\": [\"tsme\"]}", "not a platform_info bit name" },
		{ "{\"signing_keys\": [\"vcek\", \"ask\"]}", "element 1 is not \"vcek\" or \"vlek\"" },
		{ "{\"max_vmpl\": 1, \"exact_vmpl\": 1}", "only one of max_vmpl and exact_vmpl" },
		{ "{\"min_abi\": \"1\"}", "\"min_abi\": expected \"MAJOR.MINOR\"" },
		{ "{\"min_build\": 1, \"min_build\": 2}", "duplicate object key" },
		{ "[1, 2]", "must be a JSON object" },
	};
	char got[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		EXPECT_TRUE(policy_error(cases[i].json, cases[i].want, got, sizeof(got)))
			TH_LOG("%s -> %s (wanted \"%s\")", cases[i].json, got, cases[i].want);
}

/* Verify the Genoa report (rows[2]) with policy @json; the failed mask. */
static uint32_t genoa_with(struct __test_metadata *_metadata, const char *json,
			   struct vhsm_verify_result *res)
{
	struct vhsm_report rep;
	struct vhsm_policy p;
	char *msg = NULL;
	json_t *j;
	int err;

	vhsm_policy_init(&p);
	err = vhsm_policy_parse_json(&p, json, &msg);
	EXPECT_EQ(0, err) TH_LOG("%s: %s", json, msg);
	free(msg);
	vhsm_verify_result_free(res);
	err = verdict(&rows[2], &p, 0, res, &rep, &j);
	json_decref(j);
	vhsm_policy_free(&p);
	EXPECT_TRUE(err == 0 || err == -EKEYREJECTED) TH_LOG("%s: %d", json, err);
	return res->failed;
}

#define GENOA_CHIP "371c55d6d15cb50f16dc31d39a24e300caaabff4431e841111429b73ec45ad67" \
		   "ea6e687ffae7bf84b54a5d0e6d79b3ef6ff0bd8b4cff94c2163af5c5de8718e8"
#define ZERO32 "00000000000000000000000000000000"

TEST(go_sev_guest_checks)
{
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;

	/* the report's own values pass (its TCBs are bl 10, snp 23, ucode 25; 1.55.40) */
	EXPECT_EQ(0, genoa_with(_metadata, "{\"family_id\": \"" ZERO32 "\", \"image_id\": \""
		  ZERO32 "\", \"chip_ids\": [\"" GENOA_CHIP "\"], \"min_launch_tcb\": "
		  "{\"bl\": 10, \"snp\": 23, \"ucode\": 25}, \"min_committed_tcb\": {\"snp\": 23}, "
		  "\"min_build\": 40, \"min_abi\": \"1.55\", \"platform_info_required\": "
		  "[\"ecc_en\", \"alias_check_complete\"], \"platform_info_forbidden\": "
		  "[\"tsme_en\"]}", &res));
	EXPECT_TRUE(res.checks & VHSM_CHECK_FAMILY_ID);
	EXPECT_TRUE(res.checks & VHSM_CHECK_CHIP_ID);
	EXPECT_TRUE(res.checks & VHSM_CHECK_PLATFORM);
	EXPECT_TRUE(res.checks & VHSM_CHECK_BUILD);
	EXPECT_TRUE(res.checks & VHSM_CHECK_PROVISIONAL);	/* runs by default */

	EXPECT_EQ(VHSM_CHECK_FAMILY_ID, genoa_with(_metadata,
		"{\"family_id\": \"" "0102030405060708090a0b0c0d0e0f10" "\"}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "family_id: FAMILY_ID " ZERO32
						  " differs from the expected value"));
	EXPECT_EQ(VHSM_CHECK_IMAGE_ID, genoa_with(_metadata,
		"{\"image_id\": \"" "0102030405060708090a0b0c0d0e0f10" "\"}", &res));
	EXPECT_EQ(VHSM_CHECK_CHIP_ID, genoa_with(_metadata, "{\"chip_ids\": [\"" ZERO32 ZERO32
		ZERO32 ZERO32 "\"]}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "chip_id: chip_id 371c55d6"));
	EXPECT_EQ(VHSM_CHECK_MIN_TCB, genoa_with(_metadata,
		"{\"min_launch_tcb\": {\"snp\": 24}}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"min_tcb: launch_tcb.snp=23 < policy minimum 24"));
	EXPECT_EQ(VHSM_CHECK_MIN_TCB, genoa_with(_metadata,
		"{\"min_committed_tcb\": {\"ucode\": 26}}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"min_tcb: committed_tcb.ucode=25 < policy minimum 26"));
	EXPECT_EQ(VHSM_CHECK_BUILD, genoa_with(_metadata, "{\"min_build\": 41}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"build: firmware build 40 (committed 40) < policy minimum 41"));
	EXPECT_EQ(VHSM_CHECK_PLATFORM, genoa_with(_metadata,
		"{\"platform_info_required\": [\"tsme_en\"]}", &res));
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res,
		"platform_info: platform_info.tsme_en is clear, policy requires set"));
	EXPECT_EQ(VHSM_CHECK_PLATFORM, genoa_with(_metadata,
		"{\"platform_info_forbidden\": [\"smt_en\"]}", &res));
	vhsm_verify_result_free(&res);
}

/*
 * Provisional firmware: COMMITTED_BUILD != CURRENT_BUILD.  No signed report
 * here has it, so the byte is changed: the signature fails as well, but the
 * policy check still names it (and allow_provisional_firmware silences it).
 */
TEST(provisional_firmware_is_refused)
{
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_policy p;
	struct buf b, k;

	ASSERT_EQ(0, load_td(rows[2].report, &b));
	ASSERT_EQ(0, load_td(rows[2].key, &k));
	b.p[0x1E8] = 41;	/* CURRENT_BUILD 41, committed 40 */
	o.vek = k.p;
	o.vek_len = k.n;
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report_bytes(b.p, b.n, &o, &res));
	EXPECT_EQ(VHSM_CHECK_SIGNATURE | VHSM_CHECK_PROVISIONAL, res.failed);
	EXPECT_TRUE(vhsm_verify_result_has_reason(&res, "provisional: firmware 1.55 build 41 "
						  "is provisional (committed 1.55 build 40)"));
	vhsm_verify_result_free(&res);
	vhsm_policy_init(&p);
	ASSERT_EQ(0, vhsm_policy_parse_json(&p, "{\"allow_provisional_firmware\": true}", NULL));
	o.policy = &p;
	EXPECT_EQ(-EKEYREJECTED, vhsm_verify_report_bytes(b.p, b.n, &o, &res));
	EXPECT_EQ(VHSM_CHECK_SIGNATURE, res.failed);
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&p);
	free(b.p);
	free(k.p);
}

TEST_HARNESS_MAIN
