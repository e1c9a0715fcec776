// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool key commands' internals on the host: the encrypt container,
 * base64/PEM/SubjectPublicKeyInfo, key JSON, modes and exit codes. Built with
 * ASan and UBSan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "container.h"
#include "encoding.h"
#include "keys.h"
#include "kselftest_harness.h"
#include "subcommands.h"
#include "vhsm_test.h"

/* An OpenSSL-made P-256 public key ("openssl ec -pubout"). */
static const char p256_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKHRVVWdUPuGvz/kdCZ6BxWB0L0sO\n"
	"glHRUy9/Di2hkad6jaR9u8QkrKNDuv5Js3hAift7xDd5cCiPOp3vFsELKw==\n"
	"-----END PUBLIC KEY-----\n";
static const uint8_t p256_der[91] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04, 0x28, 0x74, 0x55, 0x55, 0x67, 0x54, 0x3e, 0xe1, 0xaf,
	0xcf, 0xf9, 0x1d, 0x09, 0x9e, 0x81, 0xc5, 0x60, 0x74, 0x2f, 0x4b, 0x0e,
	0x82, 0x51, 0xd1, 0x53, 0x2f, 0x7f, 0x0e, 0x2d, 0xa1, 0x91, 0xa7, 0x7a,
	0x8d, 0xa4, 0x7d, 0xbb, 0xc4, 0x24, 0xac, 0xa3, 0x43, 0xba, 0xfe, 0x49,
	0xb3, 0x78, 0x40, 0x89, 0xfb, 0x7b, 0xc4, 0x37, 0x79, 0x70, 0x28, 0x8f,
	0x3a, 0x9d, 0xef, 0x16, 0xc1, 0x0b, 0x2b
};
/* P-384 SubjectPublicKeyInfo header ("openssl ec -pubout -outform DER"). */
static const uint8_t p384_prefix[23] = {
	0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
};

TEST(container_round_trip)
{
	uint8_t iv[VHSM_AEAD_IV_LEN], tag[VHSM_AEAD_TAG_LEN], buf[CONTAINER_HDR_LEN + 5];
	struct container c;

	ASSERT_EQ(36, CONTAINER_HDR_LEN);
	memset(iv, 0x11, sizeof(iv));
	memset(tag, 0x22, sizeof(tag));
	container_format(buf, iv, tag);
	memcpy(buf + CONTAINER_HDR_LEN, "hello", 5);
	EXPECT_EQ(0, memcmp(buf, "VHSMGCM1", 8));
	ASSERT_EQ(0, container_parse(buf, sizeof(buf), &c));
	EXPECT_EQ(0, memcmp(c.iv, iv, sizeof(iv)));
	EXPECT_EQ(0, memcmp(c.tag, tag, sizeof(tag)));
	EXPECT_EQ(5, c.ct_len);
	EXPECT_EQ(0, memcmp(c.ct, "hello", 5));
	/* empty plaintext: header only */
	ASSERT_EQ(0, container_parse(buf, CONTAINER_HDR_LEN, &c));
	EXPECT_EQ(0, c.ct_len);
	EXPECT_EQ(NULL, c.ct);
}

TEST(container_rejects_truncated_and_foreign)
{
	uint8_t buf[CONTAINER_HDR_LEN + 4] = { 0 }, iv[VHSM_AEAD_IV_LEN] = { 0 };
	uint8_t tag[VHSM_AEAD_TAG_LEN] = { 0 };
	struct container c;
	size_t n;

	container_format(buf, iv, tag);
	EXPECT_EQ(-ENODATA, container_parse(buf, 0, &c));
	EXPECT_EQ(-ENODATA, container_parse(NULL, 0, &c));
	for (n = 1; n < CONTAINER_HDR_LEN; n++)
		EXPECT_EQ(-ENODATA, container_parse(buf, n, &c)) TH_LOG("len %zu", n);
	buf[7] = '2';	/* VHSMGCM2: a format this tool does not know */
	EXPECT_EQ(-EBADMSG, container_parse(buf, sizeof(buf), &c));
	EXPECT_EQ(-EBADMSG, container_parse(buf, 8, &c));
	EXPECT_EQ(-EBADMSG, container_parse((const uint8_t *)"X", 1, &c));
	EXPECT_EQ(-EBADMSG, container_parse((const uint8_t *)p256_pem, sizeof(p256_pem), &c));
}

TEST(base64_vectors)
{
	static const struct {
		const char *in, *out;
	} v[] = {	/* RFC 4648 section 10 */
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	uint8_t back[16];
	char out[16];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ASSERT_EQ(0, b64_encode((const uint8_t *)v[i].in, strlen(v[i].in),
					out, sizeof(out)));
		EXPECT_STREQ(v[i].out, out);
		EXPECT_EQ(strlen(v[i].out), B64_LEN(strlen(v[i].in)));
		ASSERT_EQ(0, b64_decode(v[i].out, strlen(v[i].out), back,
					sizeof(back), &n));
		EXPECT_EQ(strlen(v[i].in), n);
		EXPECT_EQ(0, memcmp(back, v[i].in, n));
	}
	EXPECT_EQ(-ENOSPC, b64_encode((const uint8_t *)"foo", 3, out, 4));
	ASSERT_EQ(0, b64_decode(" Zm9v\r\nYmFy\n", 12, back, sizeof(back), &n));
	EXPECT_EQ(6, n);
	EXPECT_EQ(-ENOSPC, b64_decode("Zm9vYmFy", 8, back, 5, &n));
}

TEST(base64_rejects)
{
	static const char *const bad[] = {
		"Z", "Zm", "Zm9", "Zm9vY", "Zg=", "Z===", "=Zg=", "Zg==Zg==",
		"Zm9v!", "Zg=a", "Zh==", "Zm9=", "Zm-v", "Zm_v",
	};
	uint8_t out[16];
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, b64_decode(bad[i], strlen(bad[i]), out,
					      sizeof(out), &n)) TH_LOG("bad[%zu]", i);
}

TEST(pem_matches_openssl)
{
	char *pem = pem_encode("PUBLIC KEY", p256_der, sizeof(p256_der));
	uint8_t *der;
	size_t n;

	ASSERT_NE(NULL, pem);
	EXPECT_STREQ(p256_pem, pem);
	ASSERT_EQ(0, pem_decode("PUBLIC KEY", (const uint8_t *)pem, strlen(pem),
				&der, &n));
	ASSERT_EQ(sizeof(p256_der), n);
	EXPECT_EQ(0, memcmp(der, p256_der, n));
	free(der);
	free(pem);
	EXPECT_EQ(-EINVAL, pem_decode("PRIVATE KEY", (const uint8_t *)p256_pem,
				      strlen(p256_pem), &der, &n));
	/* no END line */
	EXPECT_EQ(-EINVAL, pem_decode("PUBLIC KEY", (const uint8_t *)p256_pem, 60,
				      &der, &n));
}

/* the SubjectPublicKeyInfo of a fresh P-384 key (a point on the curve) */
static void p384_spki(uint8_t der[23 + 97])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	unsigned char *p = der;

	if (!k || i2d_PUBKEY(k, NULL) != 23 + 97 || i2d_PUBKEY(k, &p) != 23 + 97)
		abort();
	EVP_PKEY_free(k);
	if (memcmp(der, p384_prefix, sizeof(p384_prefix)))
		abort();
}

TEST(spki_gives_the_point)
{
	uint8_t der384[23 + 97], point[EC_POINT_MAX], bad[sizeof(p256_der)];
	const uint8_t *p;
	uint32_t type;
	size_t n;

	ASSERT_EQ(0, spki_ec_point(p256_der, sizeof(p256_der), &type, &p, &n));
	EXPECT_EQ(VHSM_KEY_EC_P256, type);
	EXPECT_EQ(65, n);
	EXPECT_EQ(p256_der + 26, p);
	p384_spki(der384);
	ASSERT_EQ(0, spki_ec_point(der384, sizeof(der384), &type, &p, &n));
	EXPECT_EQ(VHSM_KEY_EC_P384, type);
	EXPECT_EQ(97, n);

	EXPECT_EQ(-EINVAL, spki_ec_point(p256_der, sizeof(p256_der) - 1, &type, &p, &n));
	memcpy(bad, p256_der, sizeof(bad));
	bad[26] = 0x02;		/* compressed point */
	EXPECT_EQ(-EINVAL, spki_ec_point(bad, sizeof(bad), &type, &p, &n));
	memcpy(bad, p256_der, sizeof(bad));
	bad[22] = 0x08;		/* another curve */
	EXPECT_EQ(-EINVAL, spki_ec_point(bad, sizeof(bad), &type, &p, &n));

	/* every form users hand to import --public */
	ASSERT_EQ(0, ec_pubkey_parse((const uint8_t *)p256_pem, strlen(p256_pem),
				     &type, point, &n));
	EXPECT_EQ(VHSM_KEY_EC_P256, type);
	ASSERT_EQ(65, n);
	EXPECT_EQ(0, memcmp(point, p256_der + 26, 65));
	ASSERT_EQ(0, ec_pubkey_parse(p256_der, sizeof(p256_der), &type, point, &n));
	EXPECT_EQ(65, n);
	ASSERT_EQ(0, ec_pubkey_parse(p256_der + 26, 65, &type, point, &n));
	EXPECT_EQ(VHSM_KEY_EC_P256, type);
	ASSERT_EQ(0, ec_pubkey_parse(der384 + 23, 97, &type, point, &n));
	EXPECT_EQ(VHSM_KEY_EC_P384, type);
	/* a point off the curve is no key */
	der384[23 + 96] ^= 1;
	EXPECT_EQ(-EINVAL, ec_pubkey_parse(der384 + 23, 97, &type, point, &n));
	EXPECT_EQ(-EINVAL, spki_ec_point(der384, sizeof(der384), &type, &p, &n));
	EXPECT_EQ(-EINVAL, ec_pubkey_parse(p256_der + 26, 64, &type, point, &n));
	EXPECT_EQ(-EINVAL, ec_pubkey_parse((const uint8_t *)"hello", 5, &type, point, &n));
	EXPECT_EQ(-EINVAL, ec_pubkey_parse(p256_der, 0, &type, point, &n));
}

TEST(key_json)
{
	struct vhsm_key_info ki;
	json_t *doc, *usage;

	memset(&ki, 0, sizeof(ki));
	ki.handle = 7;
	ki.origin = VHSM_ORIGIN_GENERATED;
	ki.owner_uid = 1000;
	ki.owner_gid = 100;
	ki.created = 1700000000;
	ki.attr.type = VHSM_KEY_SECRET;
	ki.attr.key_len = 32;
	ki.attr.usage = VHSM_USAGE_EXPORT_KERNEL | VHSM_USAGE_DERIVE;
	ki.attr.mode = 0750;
	strcpy(ki.attr.label, "disk");
	doc = key_info_to_json(&ki);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(7, json_integer_value(json_object_get(doc, "handle")));
	EXPECT_STREQ("#7", json_string_value(json_object_get(doc, "key")));
	EXPECT_STREQ("disk", json_string_value(json_object_get(doc, "label")));
	EXPECT_STREQ("secret32", json_string_value(json_object_get(doc, "type")));
	EXPECT_EQ(32, json_integer_value(json_object_get(doc, "key_len")));
	EXPECT_STREQ("0750", json_string_value(json_object_get(doc, "mode")));
	EXPECT_STREQ("generated", json_string_value(json_object_get(doc, "origin")));
	EXPECT_EQ(1700000000, json_integer_value(json_object_get(doc, "created")));
	EXPECT_TRUE(json_is_false(json_object_get(doc, "public_only")));
	usage = json_object_get(doc, "usage");
	ASSERT_EQ(2, json_array_size(usage));
	EXPECT_STREQ("derive", json_string_value(json_array_get(usage, 0)));
	EXPECT_STREQ("export-kernel", json_string_value(json_array_get(usage, 1)));
	json_decref(doc);

	/* what a newer module might say still prints */
	ki.attr.type = 99;
	ki.origin = 99;
	ki.public_only = 1;
	doc = key_info_to_json(&ki);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("type-99", json_string_value(json_object_get(doc, "type")));
	EXPECT_STREQ("unknown", json_string_value(json_object_get(doc, "origin")));
	EXPECT_TRUE(json_is_true(json_object_get(doc, "public_only")));
	json_decref(doc);
}

TEST(modes)
{
	static const struct {
		const char *in;
		uint32_t mode;
	} good[] = {
		{ "0700", 0700 }, { "640", 0640 }, { "0", 0 }, { "777", 0777 },
	};
	static const char *const bad[] = {
		"", "800", "1777", "00700", "0o700", "-700", "rwx",
	};
	uint32_t m = 1;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		EXPECT_EQ(0, tool_parse_mode(good[i].in, &m)) TH_LOG("good[%zu]", i);
		EXPECT_EQ(good[i].mode, m) TH_LOG("good[%zu]", i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, tool_parse_mode(bad[i], &m)) TH_LOG("bad[%zu]", i);
	EXPECT_EQ(0777, m);	/* a refused mode leaves it alone */
}

TEST(key_exit_codes)
{
	EXPECT_EQ(TOOL_OK, tool_key_rc(0));
	EXPECT_EQ(TOOL_ERROR, tool_key_rc(-ENOENT));	/* a key, not the device */
	EXPECT_EQ(TOOL_REFUSED, tool_key_rc(-EBADMSG));
	EXPECT_EQ(TOOL_REFUSED, tool_key_rc(-EACCES));
	EXPECT_EQ(TOOL_REFUSED, tool_key_rc(-EPERM));
	EXPECT_EQ(TOOL_ERROR, tool_key_rc(-EINVAL));
	EXPECT_EQ(TOOL_ERROR, tool_key_rc(-EEXIST));
	EXPECT_EQ(TOOL_NODEV, tool_key_rc(-ENODEV));
}

TEST_HARNESS_MAIN
