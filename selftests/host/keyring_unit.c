// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm kernel-integration API on the host (no module): keyring spellings,
 * export forms, and argument checks of vhsm_key_token() and
 * vhsm_key_export(). Built with ASan and UBSan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/keyctl.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"

TEST(keyring_spellings)
{
	static const struct {
		const char *name;
		int32_t id;
	} ok[] = {
		{ "@t", KEY_SPEC_THREAD_KEYRING }, { "@p", KEY_SPEC_PROCESS_KEYRING },
		{ "@s", KEY_SPEC_SESSION_KEYRING }, { "@u", KEY_SPEC_USER_KEYRING },
		{ "@us", KEY_SPEC_USER_SESSION_KEYRING }, { "1", 1 },
		{ "123456789", 123456789 }, { "2147483647", 2147483647 },
	};
	static const char *const bad[] = {
		"", "@", "@x", "@U", "@uss", "0", "-4", "+5", "05", "12a", " 1",
		"2147483648", "99999999999999999999", "@g",
	};
	int32_t id;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		id = 0;
		EXPECT_EQ(0, vhsm_keyring_parse(ok[i].name, &id)) TH_LOG("%s", ok[i].name);
		EXPECT_EQ(ok[i].id, id) TH_LOG("%s", ok[i].name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vhsm_keyring_parse(bad[i], &id)) TH_LOG("bad[%zu]", i);
	EXPECT_EQ(-EINVAL, vhsm_keyring_parse(NULL, &id));
	EXPECT_EQ(-EINVAL, vhsm_keyring_parse("@u", NULL));
}

TEST(export_forms)
{
	uint32_t as = 0;

	EXPECT_EQ(0, vhsm_export_as_parse("logon", &as));
	EXPECT_EQ(VHSM_EXPORT_LOGON, as);
	EXPECT_EQ(0, vhsm_export_as_parse("fscrypt", &as));
	EXPECT_EQ(VHSM_EXPORT_FSCRYPT, as);
	EXPECT_EQ(0, vhsm_export_as_parse("token", &as));
	EXPECT_EQ(VHSM_EXPORT_TOKEN, as);
	EXPECT_EQ(-EINVAL, vhsm_export_as_parse("user", &as));
	EXPECT_EQ(-EINVAL, vhsm_export_as_parse("", &as));
	EXPECT_EQ(-EINVAL, vhsm_export_as_parse("Logon", &as));
	EXPECT_EQ(-EINVAL, vhsm_export_as_parse(NULL, &as));
	EXPECT_EQ(-EINVAL, vhsm_export_as_parse("logon", NULL));
}

static void check_nulls(struct __test_metadata *_metadata, struct vhsm *h)
{
	uint8_t token[VHSM_TOKEN_LEN];
	char longdesc[VHSM_EXPORT_DESC_MAX + 2];
	int32_t serial;

	EXPECT_EQ(-EINVAL, vhsm_key_token(h, 0, token));
	EXPECT_EQ(-EINVAL, vhsm_key_token(h, 1, NULL));
	EXPECT_EQ(-EINVAL, vhsm_key_export(h, 0, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   "vhsm:x", &serial));
	EXPECT_EQ(-EINVAL, vhsm_key_export(h, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   NULL, &serial));
	EXPECT_EQ(-EINVAL, vhsm_key_export(h, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   "", &serial));
	EXPECT_EQ(-EINVAL, vhsm_key_export(h, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   "vhsm:x", NULL));
	memset(longdesc, 'a', sizeof(longdesc) - 1);
	longdesc[sizeof(longdesc) - 1] = '\0';
	EXPECT_EQ(-EINVAL, vhsm_key_export(h, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   longdesc, &serial));
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
	uint8_t token[VHSM_TOKEN_LEN];
	int32_t serial;

	check_nulls(_metadata, NULL);
	EXPECT_EQ(-EINVAL, vhsm_key_token(NULL, 1, token));
	EXPECT_EQ(-EINVAL, vhsm_key_export(NULL, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   "vhsm:x", &serial));
}

TEST(not_a_vhsm_device_is_enotty)
{
	uint8_t token[VHSM_TOKEN_LEN];
	int32_t serial;
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	EXPECT_EQ(-ENOTTY, vhsm_key_token(h, 1, token));
	EXPECT_EQ(-ENOTTY, vhsm_key_export(h, 1, VHSM_EXPORT_LOGON, KEY_SPEC_USER_KEYRING,
					   "vhsm:x", &serial));
	vhsm_close(h);
}

TEST_HARNESS_MAIN
