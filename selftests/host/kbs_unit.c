// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm's KBS encoders against known answers: RFC 8785 canonical JSON
 * (Trustee's vector and the RFC's own rules), the runtime data and
 * REPORT_DATA of selftests/testdata/kbs/report_data_example.json, the
 * tee-pubkey JWK, base64url, and Trustee's SNP evidence JSON both ways on
 * its real e2e evidence (the re-encoded report's signature verifies with the
 * VCEK).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "kselftest_harness.h"
#include "vhsm/kbs.h"
#include "vhsm/report.h"

struct buf {
	uint8_t *p;
	size_t n;
};

/* VHSM_TESTDATA is selftests/testdata/snp; the KBS vectors sit next to it. */
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
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	b->p = malloc((size_t)n + 1);
	if (b->p) {
		b->n = fread(b->p, 1, (size_t)n, f);
		b->p[b->n] = 0;
	}
	fclose(f);
	return b->p && b->n == (size_t)n ? 0 : -EIO;
}

static json_t *load_json(const char *rel)
{
	struct buf b;
	json_t *j;

	if (load_td(rel, &b))
		return NULL;
	j = json_loads((char *)b.p, 0, NULL);
	free(b.p);
	return j;
}

static void unhex(const char *h, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int v;

	for (i = 0; i < n; i++) {
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void canon_is(struct __test_metadata *_metadata, const char *in, const char *want)
{
	char *out = NULL;

	ASSERT_EQ(0, vhsm_kbs_canonicalize(in, &out)) TH_LOG("input %s", in);
	EXPECT_STREQ(want, out);
	free(out);
}

/* Trustee's parse_runtimedata_json_binding vector. */
TEST(jcs_trustee_vector)
{
	uint8_t d[48], want[48];
	unsigned int dl = 0;
	char *out = NULL;

	ASSERT_EQ(0, vhsm_kbs_canonicalize("{\"b\":1,\"a\":\"test\",\"c\":{\"d\":\"e\"}}", &out));
	EXPECT_STREQ("{\"a\":\"test\",\"b\":1,\"c\":{\"d\":\"e\"}}", out);
	ASSERT_EQ(1, EVP_Digest(out, strlen(out), d, &dl, EVP_sha384(), NULL));
	unhex("e71ce8e70d814ba6639c3612ebee0ff1f76f650f8dbb5e47157e0f3f525cd22c"
	      "4597480a186427c813ca941da78870c3", want, 48);
	EXPECT_EQ(0, memcmp(d, want, 48));
	free(out);
}

/* RFC 8785 3.2.2.2 and 3.2.3: escapes, raw non-ASCII, UTF-16 member order. */
TEST(jcs_rules)
{
	char *out = NULL;

	canon_is(_metadata, "{ \"a\" : [ 1 , true , false , null , \"x\" ] }",
		 "{\"a\":[1,true,false,null,\"x\"]}");
	/* controls: short forms and lowercase \u00xx; '/' and DEL stay raw */
	canon_is(_metadata, "\"\\u0008\\t\\n\\u000c\\r\\u001f\\u0001\\\"\\\\/\\u007f\"",
		 "\"\\b\\t\\n\\f\\r\\u001f\\u0001\\\"\\\\/\x7f\"");
	/* non-ASCII is written as UTF-8, not escaped */
	canon_is(_metadata, "\"\\u20ac\\ud83d\\ude00\"", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"");
	/*
	 * RFC 8785 3.2.3's example order: "\r" < "1" < "\u0080" < "\u00f6" <
	 * "\u20ac" < "\ud83d\ude00" < "\ufb33" (UTF-16: the surrogate pair
	 * U+D83D sorts before U+FB33, though its UTF-8 bytes sort after).
	 */
	canon_is(_metadata,
		 "{\"\\u20ac\":1,\"\\r\":2,\"\\ufb33\":3,\"1\":4,\"\\ud83d\\ude00\":5,"
		 "\"\\u0080\":6,\"\\u00f6\":7}",
		 "{\"\\r\":2,\"1\":4,\"\xc2\x80\":6,\"\xc3\xb6\":7,\"\xe2\x82\xac\":1,"
		 "\"\xf0\x9f\x98\x80\":5,\"\xef\xac\xb3\":3}");
	/* a prefix sorts first; nested objects are sorted too */
	canon_is(_metadata, "{\"ab\":{\"z\":1,\"y\":2},\"a\":0}",
		 "{\"a\":0,\"ab\":{\"y\":2,\"z\":1}}");
	/* integral reals print as ECMAScript does; others are refused */
	canon_is(_metadata, "[1.0,-0.0,1e2,-9007199254740991]", "[1,0,100,-9007199254740991]");
	EXPECT_EQ(-EDOM, vhsm_kbs_canonicalize("[1.5]", &out));
	EXPECT_EQ(-EDOM, vhsm_kbs_canonicalize("[9007199254740992]", &out));
	EXPECT_EQ(-EINVAL, vhsm_kbs_canonicalize("{\"a\":1,\"a\":2}", &out));
	EXPECT_EQ(-EINVAL, vhsm_kbs_canonicalize("{", &out));
	EXPECT_EQ(-EINVAL, vhsm_kbs_canonicalize(NULL, &out));
}

/* testdata/kbs/report_data_example.json */
TEST(runtime_data_vector)
{
	json_t *v = load_json("../kbs/report_data_example.json");
	const char *nonce, *x64, *y64;
	uint8_t x[32], y[32], rd[64], want[64], *bx, *by;
	char *jwk = NULL, *canon = NULL, *vjwk;
	size_t nx, ny;

	ASSERT_NE(NULL, v);
	nonce = json_string_value(json_object_get(v, "nonce"));
	x64 = json_string_value(json_object_get(json_object_get(v, "tee-pubkey"), "x"));
	y64 = json_string_value(json_object_get(json_object_get(v, "tee-pubkey"), "y"));
	ASSERT_EQ(0, vhsm_kbs_b64url_decode(x64, &bx, &nx));
	ASSERT_EQ(0, vhsm_kbs_b64url_decode(y64, &by, &ny));
	ASSERT_EQ(32, nx);
	ASSERT_EQ(32, ny);
	memcpy(x, bx, 32);
	memcpy(y, by, 32);
	free(bx);
	free(by);

	/* the JWK from the coordinates equals the vector's (member order aside) */
	ASSERT_EQ(0, vhsm_kbs_jwk_p256(x, y, &jwk));
	EXPECT_STREQ("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"x\":"
		     "\"YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y\",\"y\":"
		     "\"eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk\"}", jwk);
	vjwk = json_dumps(json_object_get(v, "tee-pubkey"), JSON_COMPACT);
	ASSERT_NE(NULL, vjwk);

	ASSERT_EQ(0, vhsm_kbs_runtime_data(nonce, jwk, "", &canon));
	EXPECT_STREQ(json_string_value(json_object_get(v, "hashed_bytes_utf8")), canon);
	free(canon);
	ASSERT_EQ(0, vhsm_kbs_runtime_data(nonce, vjwk, NULL, &canon));
	EXPECT_STREQ(json_string_value(json_object_get(v, "hashed_bytes_utf8")), canon);
	free(canon);

	ASSERT_EQ(0, vhsm_kbs_report_data(nonce, jwk, "", rd));
	unhex(json_string_value(json_object_get(v, "report_data_64_hex")), want, 64);
	EXPECT_EQ(0, memcmp(rd, want, 64));
	/* another nonce, another REPORT_DATA */
	ASSERT_EQ(0, vhsm_kbs_report_data("AAAA", jwk, "", rd));
	EXPECT_NE(0, memcmp(rd, want, 64));

	free(vjwk);
	free(jwk);
	json_decref(v);
}

TEST(jwk_parse)
{
	/* P-256's base point G (SEC 2), a point on the curve */
	static const uint8_t x[32] = {
		0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
		0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
		0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	};
	static const uint8_t y[32] = {
		0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a,
		0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
		0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
	};
	uint8_t x2[32], y2[32], off[32];
	char *jwk = NULL;

	ASSERT_EQ(0, vhsm_kbs_jwk_p256(x, y, &jwk));
	ASSERT_EQ(0, vhsm_kbs_jwk_parse_p256(jwk, x2, y2));
	EXPECT_EQ(0, memcmp(x, x2, 32));
	EXPECT_EQ(0, memcmp(y, y2, 32));
	free(jwk);
	/* well-formed coordinates of a point off the curve are no key */
	memcpy(off, y, 32);
	off[31] ^= 1;
	jwk = NULL;
	ASSERT_EQ(0, vhsm_kbs_jwk_p256(x, off, &jwk));
	EXPECT_EQ(-EINVAL, vhsm_kbs_jwk_parse_p256(jwk, x2, y2));
	free(jwk);
	EXPECT_EQ(-EOPNOTSUPP, vhsm_kbs_jwk_parse_p256(
		"{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", x2, y2));
	EXPECT_EQ(-EOPNOTSUPP, vhsm_kbs_jwk_parse_p256(
		"{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"}", x2, y2));
	/* 31-byte coordinate, padding, standard alphabet */
	EXPECT_EQ(-EINVAL, vhsm_kbs_jwk_parse_p256(
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
		"\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", x2, y2));
	EXPECT_EQ(-EINVAL, vhsm_kbs_jwk_parse_p256(
		"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
		"\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", x2, y2));
	EXPECT_EQ(-EINVAL, vhsm_kbs_jwk_parse_p256("[]", x2, y2));
}

TEST(b64url)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "\xfb\xff", "-_8" },
	};
	uint8_t *d;
	size_t i, n;
	char *e;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ASSERT_EQ(0, vhsm_kbs_b64url_encode(v[i].in, strlen(v[i].in), &e));
		EXPECT_STREQ(v[i].out, e);
		free(e);
		ASSERT_EQ(0, vhsm_kbs_b64url_decode(v[i].out, &d, &n));
		EXPECT_EQ(strlen(v[i].in), n);
		EXPECT_EQ(0, memcmp(d, v[i].in, n));
		free(d);
	}
	EXPECT_EQ(-EINVAL, vhsm_kbs_b64url_decode("Zg==", &d, &n));
	EXPECT_EQ(-EINVAL, vhsm_kbs_b64url_decode("+/8", &d, &n));
	EXPECT_EQ(-EINVAL, vhsm_kbs_b64url_decode("Z", &d, &n));
	EXPECT_EQ(-EINVAL, vhsm_kbs_b64url_decode("Zh", &d, &n));	/* trailing bits */
	EXPECT_EQ(-EINVAL, vhsm_kbs_b64url_decode("Zm 9v", &d, &n));
}

/* Trustee's e2e evidence: our JSON of its report is its JSON. */
TEST(evidence_encode_trustee)
{
	struct buf rep, vcek;
	json_t *want = load_json("trustee/e2e-evidence.json"), *got, *ar;
	char *json = NULL;

	ASSERT_NE(NULL, want);
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vcek));
	ASSERT_EQ(0, vhsm_kbs_evidence_json(rep.p, rep.n, NULL, 0, &json));
	got = json_loads(json, 0, NULL);
	ASSERT_NE(NULL, got);
	ar = json_object_get(got, "attestation_report");
	/* a v3 report: the mitigation vectors (v5) are null; Trustee's older
	 * sev crate left them out */
	EXPECT_TRUE(json_is_null(json_object_get(ar, "launch_mit_vector")));
	EXPECT_TRUE(json_is_null(json_object_get(ar, "current_mit_vector")));
	json_object_del(ar, "launch_mit_vector");
	json_object_del(ar, "current_mit_vector");
	EXPECT_TRUE(json_equal(json_object_get(want, "attestation_report"), ar));
	/* the same member order as the sev crate's */
	{
		const char *k1, *k2;
		void *i1 = json_object_iter(json_object_get(want, "attestation_report"));
		void *i2 = json_object_iter(ar);

		while (i1 && i2) {
			k1 = json_object_iter_key(i1);
			k2 = json_object_iter_key(i2);
			EXPECT_STREQ(k1, k2);
			i1 = json_object_iter_next(json_object_get(want, "attestation_report"), i1);
			i2 = json_object_iter_next(ar, i2);
		}
		EXPECT_TRUE(!i1 && !i2);
	}
	EXPECT_TRUE(json_is_null(json_object_get(got, "cert_chain")));
	json_decref(got);
	free(json);
	free(rep.p);
	free(vcek.p);
	json_decref(want);
}

/* Its JSON decodes to the binary report, whose signature verifies. */
TEST(evidence_parse_trustee)
{
	struct vhsm_kbs_evidence_parsed ev;
	struct buf js, rep, vcek;
	struct vhsm_report r;

	ASSERT_EQ(0, load_td("trustee/e2e-evidence.json", &js));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vcek));
	ASSERT_EQ(0, vhsm_kbs_evidence_parse((char *)js.p, &ev));
	EXPECT_EQ(0, memcmp(ev.report, rep.p, VHSM_KBS_SNP_REPORT_LEN));
	ASSERT_EQ(1, ev.n_certs);
	EXPECT_EQ(VHSM_KBS_CERT_VCEK, ev.certs[0].type);
	ASSERT_EQ(vcek.n, ev.certs[0].len);
	EXPECT_EQ(0, memcmp(vcek.p, ev.certs[0].der, vcek.n));
	ASSERT_EQ(0, vhsm_report_parse(ev.report, sizeof(ev.report), &r));
	EXPECT_EQ(0, vhsm_verify_report_signature(&r, ev.certs[0].der, ev.certs[0].len));
	/* one changed measurement byte: the signature no longer verifies */
	ev.report[0x90] ^= 1;
	ASSERT_EQ(0, vhsm_report_parse(ev.report, sizeof(ev.report), &r));
	EXPECT_EQ(-EBADMSG, vhsm_verify_report_signature(&r, ev.certs[0].der, ev.certs[0].len));
	vhsm_kbs_evidence_free(&ev);
	free(js.p);
	free(rep.p);
	free(vcek.p);
}

/* Encode with a certificate table, then decode: the same bytes and DER. */
TEST(evidence_roundtrip_certtable)
{
	static const uint8_t vcek_guid[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
					       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
	struct vhsm_kbs_evidence_parsed ev;
	struct buf rep, vcek;
	uint8_t *tbl;
	size_t tlen;
	char *json = NULL;

	ASSERT_EQ(0, load_td("trustee/e2e-evidence.report.bin", &rep));
	ASSERT_EQ(0, load_td("trustee/e2e-evidence.vcek.der", &vcek));
	/* table: VCEK entry, terminator, then the certificate */
	tlen = 48 + vcek.n;
	tbl = calloc(1, tlen);
	ASSERT_NE(NULL, tbl);
	memcpy(tbl, vcek_guid, 16);
	tbl[16] = 48;				/* offset, LE */
	tbl[20] = (uint8_t)vcek.n;
	tbl[21] = (uint8_t)(vcek.n >> 8);
	memcpy(tbl + 48, vcek.p, vcek.n);
	ASSERT_EQ(0, vhsm_kbs_evidence_json(rep.p, rep.n, tbl, tlen, &json));
	EXPECT_NE(NULL, strstr(json, "\"cert_chain\":[{\"cert_type\":\"VCEK\",\"data\":[48,"));
	ASSERT_EQ(0, vhsm_kbs_evidence_parse(json, &ev));
	EXPECT_EQ(0, memcmp(ev.report, rep.p, VHSM_KBS_SNP_REPORT_LEN));
	ASSERT_EQ(1, ev.n_certs);
	EXPECT_EQ(0, memcmp(ev.certs[0].der, vcek.p, vcek.n));
	vhsm_kbs_evidence_free(&ev);
	free(json);
	/* a broken table is refused */
	tbl[16] = 0xff;
	tbl[17] = 0xff;
	EXPECT_EQ(-EBADMSG, vhsm_kbs_evidence_json(rep.p, rep.n, tbl, tlen, &json));
	EXPECT_EQ(-EINVAL, vhsm_kbs_evidence_json(rep.p, 100, NULL, 0, &json));
	free(tbl);
	free(rep.p);
	free(vcek.p);
}

/* Malformed evidence: each gets -EBADMSG (or -E2BIG), nothing leaks. */
TEST(evidence_parse_refusals)
{
	static const char *const edits[][2] = {
		{ "\"vmpl\":0,", "" },				/* missing field */
		{ "\"vmpl\":0,", "\"vmpl\":-1," },		/* negative */
		{ "\"vmpl\":0,", "\"vmpl\":4294967296," },	/* > u32 */
		{ "\"vmpl\":0,", "\"vmpl\":\"0\"," },		/* wrong type */
		{ "\"guest_svn\":0,", "\"guest_svn\":0.5," },
		{ "\"family_id\":[0,", "\"family_id\":[256," },	/* byte > 255 */
		{ "\"family_id\":[0,", "\"family_id\":[" },	/* 15 bytes */
		{ "\"fmc\":null,\"bootloader\":10", "\"fmc\":1,\"bootloader\":10" },
		{ "\"cert_type\":\"VCEK\"", "\"cert_type\":\"PEK\"" },
		{ "\"cert_type\":\"VCEK\"", "\"cert_type\":{\"OTHER\":1}" },
		{ "\"major\":1,", "" },
	};
	struct vhsm_kbs_evidence_parsed ev;
	struct buf js;
	size_t i;

	ASSERT_EQ(0, load_td("trustee/e2e-evidence.json", &js));
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr((char *)js.p, edits[i][0]), *m;
		size_t pre, olen = strlen(edits[i][0]);

		ASSERT_NE(NULL, at) TH_LOG("edit %zu", i);
		pre = (size_t)(at - (char *)js.p);
		ASSERT_LE(0, asprintf(&m, "%.*s%s%s", (int)pre, (char *)js.p, edits[i][1],
				      at + olen));
		EXPECT_EQ(-EBADMSG, vhsm_kbs_evidence_parse(m, &ev)) TH_LOG("edit %zu", i);
		free(m);
	}
	EXPECT_EQ(-EBADMSG, vhsm_kbs_evidence_parse("[]", &ev));
	EXPECT_EQ(-EBADMSG, vhsm_kbs_evidence_parse("{\"attestation_report\":{}}", &ev));
	EXPECT_EQ(-EINVAL, vhsm_kbs_evidence_parse(NULL, &ev));
	free(js.p);
}

/* The resource JWE taken apart (for the kernel): both serializations. */
TEST(jwe_parse_vector)
{
	json_t *v = load_json("../kbs/jwe_ecdh_es_a256kw_example.json"), *r;
	struct vhsm_kbs_jwe j;
	uint8_t iv[12], *ex;
	char *flat, *compact, *bad;
	size_t n;

	ASSERT_NE(NULL, v);
	r = json_object_get(v, "response");
	flat = json_dumps(r, JSON_COMPACT);
	ASSERT_NE(NULL, flat);
	ASSERT_EQ(0, vhsm_kbs_jwe_parse(flat, &j));
	EXPECT_STREQ(json_string_value(json_object_get(v, "aad_ascii")), j.protected_b64);
	unhex(json_string_value(json_object_get(v, "iv_hex")), iv, 12);
	EXPECT_EQ(0, memcmp(iv, j.iv, 12));
	EXPECT_EQ(strlen(json_string_value(json_object_get(v, "plaintext"))), j.ciphertext_len);
	ASSERT_EQ(0, vhsm_kbs_b64url_decode("6tIYWQEZ6IdrKRRv-JymF3DE7bv5fTjOOF7SgdimsjA", &ex, &n));
	EXPECT_EQ(0, memcmp(ex, j.epk_x, 32));
	free(ex);
	vhsm_kbs_jwe_free(&j);
	/* compact: protected.encrypted_key.iv.ciphertext.tag */
	ASSERT_LE(0, asprintf(&compact, "%s.%s.%s.%s.%s",
			      json_string_value(json_object_get(r, "protected")),
			      json_string_value(json_object_get(r, "encrypted_key")),
			      json_string_value(json_object_get(r, "iv")),
			      json_string_value(json_object_get(r, "ciphertext")),
			      json_string_value(json_object_get(r, "tag"))));
	ASSERT_EQ(0, vhsm_kbs_jwe_parse(compact, &j));
	EXPECT_EQ(0, memcmp(iv, j.iv, 12));
	vhsm_kbs_jwe_free(&j);
	*strrchr(compact, '.') = 0;	/* four parts */
	EXPECT_EQ(-EBADMSG, vhsm_kbs_jwe_parse(compact, &j));
	free(compact);
	/* no tag; a short IV; another algorithm */
	json_object_del(r, "tag");
	bad = json_dumps(r, JSON_COMPACT);
	EXPECT_EQ(-EBADMSG, vhsm_kbs_jwe_parse(bad, &j));
	free(bad);
	json_object_set_new(r, "tag", json_string("ICGQIY1oc_OsW4mNSzJXvg"));
	json_object_set_new(r, "iv", json_string("oKGio6Slpqeoqao"));
	bad = json_dumps(r, JSON_COMPACT);
	EXPECT_EQ(-EBADMSG, vhsm_kbs_jwe_parse(bad, &j));
	free(bad);
	json_object_set_new(r, "iv", json_string("oKGio6Slpqeoqaqr"));
	json_object_set_new(r, "protected",	/* {"alg":"RSA-OAEP-256","enc":"A256GCM"} */
			    json_string("eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0"));
	bad = json_dumps(r, JSON_COMPACT);
	EXPECT_EQ(-EBADMSG, vhsm_kbs_jwe_parse(bad, &j));	/* no epk */
	free(bad);
	json_object_set_new(r, "protected",	/* {"alg":"dir","enc":"A256GCM","epk":{}} */
			    json_string("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiZXBrIjp7fX0"));
	bad = json_dumps(r, JSON_COMPACT);
	EXPECT_EQ(-EOPNOTSUPP, vhsm_kbs_jwe_parse(bad, &j));
	free(bad);
	free(flat);
	json_decref(v);
}

TEST_HARNESS_MAIN
