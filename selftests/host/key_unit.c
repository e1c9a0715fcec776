// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm key store API on the host (no module): name helpers, "#N" and label
 * parsing, defaults, and argument checks of every key function. Built with
 * ASan and UBSan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"

static const char *const type_names[] = {
	"aes128", "aes256", "aes256-xts", "hmac-sha256", "hmac-sha384",
	"p256", "p384", "secret16", "secret32", "secret33", "secret64",
};

TEST(type_names_round_trip)
{
	char buf[VHSM_KEY_TYPE_NAME_MAX];
	uint32_t type, len;
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		ASSERT_EQ(0, vhsm_key_type_parse(type_names[i], &type, &len))
			TH_LOG("%s", type_names[i]);
		ASSERT_EQ(0, vhsm_key_type_name(type, len, buf, sizeof(buf)));
		EXPECT_STREQ(type_names[i], buf);
	}
	ASSERT_EQ(0, vhsm_key_type_parse("aes256", &type, &len));
	EXPECT_EQ(VHSM_KEY_AES256_GCM, type);
	EXPECT_EQ(0, len);
	ASSERT_EQ(0, vhsm_key_type_parse("aes256-xts", &type, &len));
	EXPECT_EQ(VHSM_KEY_AES256_XTS, type);
	ASSERT_EQ(0, vhsm_key_type_parse("p384", &type, &len));
	EXPECT_EQ(VHSM_KEY_EC_P384, type);
	ASSERT_EQ(0, vhsm_key_type_parse("secret48", &type, &len));
	EXPECT_EQ(VHSM_KEY_SECRET, type);
	EXPECT_EQ(48, len);
	/* every type the ABI knows has a name */
	for (type = 1; type < __VHSM_KEY_TYPE_MAX; type++)
		EXPECT_EQ(0, vhsm_key_type_name(type, 32, buf, sizeof(buf)));
	/* a non-secret's length does not change its name */
	ASSERT_EQ(0, vhsm_key_type_name(VHSM_KEY_HMAC_SHA256, 100, buf, sizeof(buf)));
	EXPECT_STREQ("hmac-sha256", buf);
}

TEST(type_names_reject)
{
	static const char *const bad[] = {
		"", "AES256", "aes", "aes256 ", " aes256", "aes256-gcm", "p521",
		"secret", "secret15", "secret65", "secret016", "secret+16",
		"secret16x", "secret-16", "secret100", "secret 16", "hmac",
	};
	char buf[VHSM_KEY_TYPE_NAME_MAX];
	uint32_t type = 99, len = 99;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vhsm_key_type_parse(bad[i], &type, &len))
			TH_LOG("bad[%zu]", i);
	EXPECT_EQ(99, type);
	EXPECT_EQ(99, len);
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(__VHSM_KEY_TYPE_MAX, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(VHSM_KEY_SECRET, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(VHSM_KEY_SECRET, 15, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(VHSM_KEY_SECRET, 65, buf, sizeof(buf)));
	EXPECT_EQ(-ENOSPC, vhsm_key_type_name(VHSM_KEY_AES256_XTS, 0, buf, 10));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(-ENOSPC, vhsm_key_type_name(VHSM_KEY_SECRET, 16, buf, 8));
	EXPECT_EQ(-ENOSPC, vhsm_key_type_name(VHSM_KEY_EC_P256, 0, buf, 0));
	EXPECT_EQ(0, vhsm_key_type_name(VHSM_KEY_EC_P256, 0, buf, 5));
	EXPECT_STREQ("p256", buf);
}

TEST(usage_round_trip)
{
	char buf[VHSM_USAGE_STR_MAX];
	uint32_t u, back;

	for (u = 0; u <= VHSM_USAGE_ALL; u++) {
		ASSERT_EQ(0, vhsm_usage_format(u, buf, sizeof(buf)));
		if (!u) {
			EXPECT_STREQ("", buf);
			continue;
		}
		ASSERT_EQ(0, vhsm_usage_parse(buf, &back)) TH_LOG("%s", buf);
		ASSERT_EQ(u, back);
	}
	ASSERT_EQ(0, vhsm_usage_format(VHSM_USAGE_ALL, buf, sizeof(buf)));
	EXPECT_STREQ("encrypt,decrypt,sign,verify,mac,derive,export-kernel,caller-iv,seal", buf);
	ASSERT_EQ(0, vhsm_usage_parse("verify,sign,sign", &u));
	EXPECT_EQ(VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY, u);
	ASSERT_EQ(0, vhsm_usage_parse("export-kernel", &u));
	EXPECT_EQ(VHSM_USAGE_EXPORT_KERNEL, u);
}

TEST(usage_rejects)
{
	static const char *const bad[] = {
		"", ",", "encrypt,", ",encrypt", "encrypt,,decrypt", "Encrypt",
		"encrypt decrypt", "encrypt, decrypt", "export", "exportkernel",
		"all", "none", "mac ", "sig",
	};
	char buf[VHSM_USAGE_STR_MAX];
	uint32_t u = 1234;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vhsm_usage_parse(bad[i], &u)) TH_LOG("bad[%zu]", i);
	EXPECT_EQ(1234, u);
	EXPECT_EQ(-EINVAL, vhsm_usage_format(VHSM_USAGE_ALL + 1, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vhsm_usage_format(1U << 31, buf, sizeof(buf)));
	EXPECT_EQ(-ENOSPC, vhsm_usage_format(VHSM_USAGE_ALL, buf, 20));
	EXPECT_STREQ("", buf);
}

TEST(origin_names_round_trip)
{
	static const char *const names[] = {
		NULL, "generated", "provisioned", "imported", "unsealed", "derived",
	};
	uint32_t o, back;

	for (o = VHSM_ORIGIN_GENERATED; o <= VHSM_ORIGIN_DERIVED; o++) {
		ASSERT_NE(NULL, vhsm_origin_name(o));
		EXPECT_STREQ(names[o], vhsm_origin_name(o));
		ASSERT_EQ(0, vhsm_origin_parse(vhsm_origin_name(o), &back));
		EXPECT_EQ(o, back);
	}
	EXPECT_EQ(NULL, vhsm_origin_name(0));
	EXPECT_EQ(NULL, vhsm_origin_name(6));
	EXPECT_EQ(NULL, vhsm_origin_name(UINT32_MAX));
	EXPECT_EQ(-EINVAL, vhsm_origin_parse("", &back));
	EXPECT_EQ(-EINVAL, vhsm_origin_parse("Generated", &back));
	EXPECT_EQ(-EINVAL, vhsm_origin_parse("unknown", &back));
}

TEST(handle_forms)
{
	static const struct {
		const char *s;
		uint32_t v;
	} good[] = {
		{ "#1", 1 }, { "#42", 42 }, { "#007", 7 },
		{ "#4294967295", UINT32_MAX },
	};
	static const char *const bad[] = {
		"", "#", "1", "42", "#0", "#00", "#-1", "#+1", "# 1", "#1 ",
		"#1x", "#x1", "#0x10", "##1", "#4294967296", "#99999999999999999999",
		"label", "a#1",
	};
	uint32_t h;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, vhsm_key_handle_parse(good[i].s, &h)) TH_LOG("%s", good[i].s);
		EXPECT_EQ(good[i].v, h);
	}
	h = 77;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vhsm_key_handle_parse(bad[i], &h)) TH_LOG("bad[%zu]", i);
	EXPECT_EQ(77, h);
}

TEST(labels)
{
	char label[VHSM_LABEL_MAX + 1];

	EXPECT_EQ(0, vhsm_key_label_check("disk"));
	EXPECT_EQ(0, vhsm_key_label_check("a"));
	EXPECT_EQ(0, vhsm_key_label_check("A-Z_a.z:0@9/+=-"));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check(""));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check("a b"));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check("#1"));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check("caf\xc3\xa9"));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check("tab\t"));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check("new\nline"));
	memset(label, 'x', sizeof(label));
	label[VHSM_LABEL_MAX - 1] = '\0';	/* 63 characters */
	EXPECT_EQ(0, vhsm_key_label_check(label));
	label[VHSM_LABEL_MAX - 1] = 'x';
	label[VHSM_LABEL_MAX] = '\0';		/* 64 */
	EXPECT_EQ(-EINVAL, vhsm_key_label_check(label));
}

TEST(defaults_live_in_the_library)
{
	struct vhsm_key_attr a;

	EXPECT_EQ(0700, VHSM_KEY_DEFAULT_MODE);
	EXPECT_EQ(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT,
		  vhsm_key_default_usage(VHSM_KEY_AES128_GCM, 0));
	EXPECT_EQ(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT,
		  vhsm_key_default_usage(VHSM_KEY_AES256_GCM, 0));
	EXPECT_EQ(VHSM_USAGE_EXPORT_KERNEL,
		  vhsm_key_default_usage(VHSM_KEY_AES256_XTS, 0));
	EXPECT_EQ(VHSM_USAGE_MAC, vhsm_key_default_usage(VHSM_KEY_HMAC_SHA256, 0));
	EXPECT_EQ(VHSM_USAGE_MAC, vhsm_key_default_usage(VHSM_KEY_HMAC_SHA384, 0));
	EXPECT_EQ(VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY,
		  vhsm_key_default_usage(VHSM_KEY_EC_P256, 0));
	EXPECT_EQ(VHSM_USAGE_VERIFY,
		  vhsm_key_default_usage(VHSM_KEY_EC_P384, VHSM_IMPORT_F_PUBLIC));
	EXPECT_EQ(VHSM_USAGE_EXPORT_KERNEL, vhsm_key_default_usage(VHSM_KEY_SECRET, 0));
	EXPECT_EQ(0, vhsm_key_default_usage(0, 0));
	EXPECT_EQ(0, vhsm_key_default_usage(__VHSM_KEY_TYPE_MAX, 0));

	memset(&a, 0xaa, sizeof(a));
	ASSERT_EQ(0, vhsm_key_attr_init(&a, VHSM_KEY_HMAC_SHA384, 0, "mac-key"));
	EXPECT_EQ(VHSM_KEY_HMAC_SHA384, a.type);
	EXPECT_EQ(VHSM_USAGE_MAC, a.usage);
	EXPECT_EQ(0700, a.mode);
	EXPECT_EQ(0, a.key_len);
	EXPECT_STREQ("mac-key", a.label);
	EXPECT_EQ(0, a.label[sizeof(a.label) - 1]);	/* NUL-padded */
	ASSERT_EQ(0, vhsm_key_attr_init(&a, VHSM_KEY_SECRET, 64, "s"));
	EXPECT_EQ(64, a.key_len);
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(&a, VHSM_KEY_SECRET, 0, "s"));
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(&a, VHSM_KEY_SECRET, 65, "s"));
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(&a, 0, 0, "s"));
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(&a, VHSM_KEY_AES256_GCM, 0, "a b"));
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(&a, VHSM_KEY_AES256_GCM, 0, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(NULL, VHSM_KEY_AES256_GCM, 0, "a"));
}

TEST(key_strerror_speaks_of_keys)
{
	EXPECT_NE(NULL, strstr(vhsm_key_strerror(-ENOENT), "no such key"));
	EXPECT_NE(NULL, strstr(vhsm_key_strerror(-EACCES), "mode"));
	EXPECT_NE(NULL, strstr(vhsm_key_strerror(-EEXIST), "label"));
	EXPECT_NE(NULL, strstr(vhsm_key_strerror(EBADMSG), "authentication"));
	/* falls back to the device descriptions */
	EXPECT_STREQ(vhsm_strerror(-EPROTO), vhsm_key_strerror(-EPROTO));
	EXPECT_STREQ("success", vhsm_key_strerror(0));
}

/* Every function, with each pointer NULL in turn, and with h NULL. */
static void check_nulls(struct __test_metadata *_metadata, struct vhsm *h)
{
	struct vhsm_key_attr attr;
	struct vhsm_key_info ki;
	uint8_t buf[128], iv[VHSM_AEAD_IV_LEN], tag[VHSM_AEAD_TAG_LEN];
	uint32_t handle, *handles, type, len;
	size_t n = sizeof(buf);

	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_AES256_GCM, 0, "k"));
	EXPECT_EQ(-EINVAL, vhsm_key_generate(h, NULL, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_generate(h, &attr, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_import(h, NULL, buf, 32, 0, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_import(h, &attr, NULL, 32, 0, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_import(h, &attr, buf, 0, 0, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_import(h, &attr, buf, 32, 0, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_destroy(h, 0));
	EXPECT_EQ(-EINVAL, vhsm_key_info(h, 1, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_info(h, 0, &ki));
	EXPECT_EQ(-EINVAL, vhsm_key_lookup(h, NULL, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_lookup(h, "k", NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_lookup(h, "bad label", &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_list(h, NULL, &n));
	EXPECT_EQ(-EINVAL, vhsm_key_list(h, &handles, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_resolve(h, NULL, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_resolve(h, "#1", NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_resolve(h, "#0", &handle));

	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 1, buf, 16, buf + 16, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 0, NULL, 16, buf, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 0, buf, 16, NULL, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 0, buf, 16, buf + 16, NULL, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 0, buf, 16, buf + 16, iv, NULL, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 0, NULL, 0, buf, 16, buf + 16, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(h, 1, NULL, 1, buf, 16, buf + 16, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(h, 1, NULL, 0, NULL, 16, buf, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(h, 1, NULL, 0, buf, 16, NULL, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(h, 1, NULL, 0, buf, 16, buf + 16, NULL, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(h, 1, NULL, 0, buf, 16, buf + 16, iv, NULL, 0));
	EXPECT_EQ(-EINVAL, vhsm_mac(h, 1, NULL, 4, buf, &n));
	EXPECT_EQ(-EINVAL, vhsm_mac(h, 1, buf, 4, NULL, &n));
	EXPECT_EQ(-EINVAL, vhsm_mac(h, 1, buf, 4, buf, NULL));
	EXPECT_EQ(-EINVAL, vhsm_mac_verify(h, 1, NULL, 4, buf, 32));
	EXPECT_EQ(-EINVAL, vhsm_mac_verify(h, 1, buf, 4, NULL, 32));
	EXPECT_EQ(-EINVAL, vhsm_sign(h, 1, 0, NULL, 4, buf, &n));
	EXPECT_EQ(-EINVAL, vhsm_sign(h, 1, 0, buf, 4, NULL, &n));
	EXPECT_EQ(-EINVAL, vhsm_sign(h, 1, 0, buf, 4, buf, NULL));
	EXPECT_EQ(-EINVAL, vhsm_verify(h, 1, 0, NULL, 4, buf, 64));
	EXPECT_EQ(-EINVAL, vhsm_verify(h, 1, 0, buf, 4, NULL, 64));
	EXPECT_EQ(-EINVAL, vhsm_pubkey(h, 1, 0, NULL, &n));
	EXPECT_EQ(-EINVAL, vhsm_pubkey(h, 1, 0, buf, NULL));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, NULL, 65, NULL, 0, NULL, 0, &attr, &handle));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, buf, 0, NULL, 0, NULL, 0, &attr, &handle));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, buf, 65, NULL, 1, NULL, 0, &attr, &handle));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, buf, 65, NULL, 0, NULL, 1, &attr, &handle));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, buf, 65, NULL, 0, NULL, 0, NULL, &handle));
	EXPECT_EQ(-EINVAL, vhsm_derive(h, 1, buf, 65, NULL, 0, NULL, 0, &attr, NULL));

	EXPECT_EQ(-EINVAL, vhsm_key_attr_init(NULL, 1, 0, "k"));
	EXPECT_EQ(-EINVAL, vhsm_key_handle_parse(NULL, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_handle_parse("#1", NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_label_check(NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_type_parse(NULL, &type, &len));
	EXPECT_EQ(-EINVAL, vhsm_key_type_parse("aes256", NULL, &len));
	EXPECT_EQ(-EINVAL, vhsm_key_type_parse("aes256", &type, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_type_name(VHSM_KEY_AES256_GCM, 0, NULL, 16));
	EXPECT_EQ(-EINVAL, vhsm_usage_parse(NULL, &type));
	EXPECT_EQ(-EINVAL, vhsm_usage_parse("mac", NULL));
	EXPECT_EQ(-EINVAL, vhsm_usage_format(VHSM_USAGE_MAC, NULL, 16));
	EXPECT_EQ(-EINVAL, vhsm_origin_parse(NULL, &type));
	EXPECT_EQ(-EINVAL, vhsm_origin_parse("derived", NULL));
	EXPECT_NE(NULL, vhsm_key_strerror(0));
}

TEST(every_function_rejects_null_with_a_device)
{
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	check_nulls(_metadata, h);
	vhsm_close(h);
}

TEST(every_function_rejects_a_null_handle)
{
	struct vhsm_key_attr attr;
	struct vhsm_key_info ki;
	uint8_t buf[128], iv[VHSM_AEAD_IV_LEN] = { 0 }, tag[VHSM_AEAD_TAG_LEN] = { 0 };
	uint32_t handle, *handles;
	size_t n = sizeof(buf);

	check_nulls(_metadata, NULL);
	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_AES256_GCM, 0, "k"));
	EXPECT_EQ(-EINVAL, vhsm_key_generate(NULL, &attr, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_import(NULL, &attr, buf, 32, 0, &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_destroy(NULL, 1));
	EXPECT_EQ(-EINVAL, vhsm_key_info(NULL, 1, &ki));
	EXPECT_EQ(-EINVAL, vhsm_key_lookup(NULL, "k", &handle));
	EXPECT_EQ(-EINVAL, vhsm_key_list(NULL, &handles, &n));
	EXPECT_EQ(-EINVAL, vhsm_key_resolve(NULL, "#1", &handle));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(NULL, 1, NULL, 0, buf, 16, buf + 16, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_aead_decrypt(NULL, 1, NULL, 0, buf, 16, buf + 16, iv, tag, 0));
	EXPECT_EQ(-EINVAL, vhsm_mac(NULL, 1, buf, 4, buf, &n));
	EXPECT_EQ(-EINVAL, vhsm_mac_verify(NULL, 1, buf, 4, buf, 32));
	EXPECT_EQ(-EINVAL, vhsm_sign(NULL, 1, 0, buf, 4, buf, &n));
	EXPECT_EQ(-EINVAL, vhsm_verify(NULL, 1, 0, buf, 4, buf, 64));
	EXPECT_EQ(-EINVAL, vhsm_pubkey(NULL, 1, 0, buf, &n));
	EXPECT_EQ(-EINVAL, vhsm_derive(NULL, 1, buf, 65, NULL, 0, NULL, 0, &attr, &handle));
}

TEST(calls_on_a_non_vhsm_device_are_enotty)
{
	struct vhsm_key_attr attr;
	struct vhsm_key_info ki;
	uint8_t buf[128], iv[VHSM_AEAD_IV_LEN] = { 0 }, tag[VHSM_AEAD_TAG_LEN] = { 0 };
	uint32_t handle, *handles = (uint32_t *)&handle;
	size_t n = sizeof(buf);
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_AES256_GCM, 0, "k"));
	EXPECT_EQ(-ENOTTY, vhsm_key_generate(h, &attr, &handle));
	EXPECT_EQ(-ENOTTY, vhsm_key_import(h, &attr, buf, 32, 0, &handle));
	EXPECT_EQ(-ENOTTY, vhsm_key_destroy(h, 1));
	EXPECT_EQ(-ENOTTY, vhsm_key_info(h, 1, &ki));
	EXPECT_EQ(-ENOTTY, vhsm_key_lookup(h, "k", &handle));
	EXPECT_EQ(-ENOTTY, vhsm_key_resolve(h, "k", &handle));
	EXPECT_EQ(-ENOTTY, vhsm_key_list(h, &handles, &n));
	EXPECT_EQ(NULL, handles);
	EXPECT_EQ(0, n);
	EXPECT_EQ(-ENOTTY, vhsm_aead_encrypt(h, 1, NULL, 0, NULL, 0, NULL, iv, tag, 0));
	EXPECT_EQ(-ENOTTY, vhsm_aead_decrypt(h, 1, NULL, 0, buf, 16, buf + 16, iv, tag, 0));
	n = sizeof(buf);
	EXPECT_EQ(-ENOTTY, vhsm_mac(h, 1, NULL, 0, buf, &n));
	EXPECT_EQ(-ENOTTY, vhsm_mac_verify(h, 1, buf, 4, buf, 32));
	EXPECT_EQ(-ENOTTY, vhsm_sign(h, 1, 0, buf, 4, buf, &n));
	EXPECT_EQ(-ENOTTY, vhsm_verify(h, 1, 0, buf, 4, buf, 64));
	EXPECT_EQ(-ENOTTY, vhsm_pubkey(h, 1, 0, buf, &n));
	EXPECT_EQ(-ENOTTY, vhsm_derive(h, 1, buf, 65, NULL, 0, NULL, 0, &attr, &handle));
	/* "#N" needs no module */
	EXPECT_EQ(0, vhsm_key_resolve(h, "#12", &handle));
	EXPECT_EQ(12, handle);
	vhsm_close(h);
}

TEST(argument_limits_checked_before_the_module)
{
	uint8_t buf[VHSM_MAC_MAX + 1] = { 0 }, iv[VHSM_AEAD_IV_LEN], tag[VHSM_AEAD_TAG_LEN];
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	EXPECT_EQ(-EBADMSG, vhsm_mac_verify(h, 1, buf, 4, buf, VHSM_MAC_MAX + 1));
	EXPECT_EQ(-EINVAL, vhsm_aead_encrypt(h, 1, NULL, 0, buf, 4, buf, iv, tag,
					     VHSM_AEAD_F_DECRYPT));
	if (sizeof(size_t) > 4) {
		EXPECT_EQ(-E2BIG, vhsm_mac(h, 1, buf, (size_t)UINT32_MAX + 1, buf,
					   &(size_t){ 48 }));
		EXPECT_EQ(-E2BIG, vhsm_sign(h, 1, 0, buf, (size_t)UINT32_MAX + 1, buf,
					    &(size_t){ 104 }));
	}
	vhsm_close(h);
}

TEST_HARNESS_MAIN
