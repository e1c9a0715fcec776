// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool internals on the host: exit-code policy and the info JSON
 * document. Built with ASan and UBSan.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "info.h"
#include "kselftest_harness.h"
#include "subcommands.h"
#include "vhsm_test.h"

TEST(exit_codes_follow_the_documented_policy)
{
	EXPECT_EQ(TOOL_OK, tool_rc_from_errno(0));
	EXPECT_EQ(TOOL_REFUSED, tool_rc_from_errno(-EACCES));
	EXPECT_EQ(TOOL_REFUSED, tool_rc_from_errno(-EPERM));
	EXPECT_EQ(TOOL_REFUSED, tool_rc_from_errno(-EKEYREJECTED));
	EXPECT_EQ(TOOL_NODEV, tool_rc_from_errno(-ENOENT));
	EXPECT_EQ(TOOL_NODEV, tool_rc_from_errno(-ENODEV));
	EXPECT_EQ(TOOL_NODEV, tool_rc_from_errno(-ENXIO));
	EXPECT_EQ(TOOL_ERROR, tool_rc_from_errno(-EINVAL));
	EXPECT_EQ(TOOL_ERROR, tool_rc_from_errno(-ENOTTY));
	/* the enum is part of the CLI contract */
	EXPECT_EQ(0, TOOL_OK);
	EXPECT_EQ(1, TOOL_ERROR);
	EXPECT_EQ(2, TOOL_USAGE);
	EXPECT_EQ(3, TOOL_REFUSED);
	EXPECT_EQ(4, TOOL_NODEV);
}

static void fake_info(struct vhsm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_version = 1;
	info->platform_id = VHSM_PLATFORM_SIM;
	strcpy(info->module_version, "9.8.7");
	strcpy(info->platform_name, "sim");
	info->platform_flags = VHSM_PLATFORM_F_SIMULATED;
	info->capabilities = VHSM_CAP_ATTEST | VHSM_CAP_KEYSTORE;
	info->limits.max_keys = 4096;
	info->limits.max_data_len = 65536;
}

TEST(info_json_round_trips)
{
	struct vhsm_info info;
	json_t *doc, *back;
	json_error_t jerr;
	char *text;

	fake_info(&info);
	doc = info_to_json(&info, "/dev/vhsm");
	ASSERT_NE(NULL, doc);
	text = json_dumps(doc, JSON_COMPACT);
	ASSERT_NE(NULL, text);
	back = json_loads(text, 0, &jerr);
	ASSERT_NE(NULL, back) TH_LOG("%s", jerr.text);

	EXPECT_EQ(1, json_integer_value(json_object_get(back, "abi_version")));
	EXPECT_STREQ("9.8.7", json_string_value(json_object_get(back, "module_version")));
	EXPECT_STREQ("/dev/vhsm", json_string_value(json_object_get(back, "device")));
	EXPECT_STREQ("sim", json_string_value(json_object_get(
		json_object_get(back, "platform"), "name")));
	EXPECT_TRUE(json_is_true(json_object_get(json_object_get(back, "platform"),
						 "simulated")));
	EXPECT_EQ(2, json_array_size(json_object_get(back, "capabilities")));
	EXPECT_STREQ("attest", json_string_value(json_array_get(
		json_object_get(back, "capabilities"), 0)));
	EXPECT_STREQ("keystore", json_string_value(json_array_get(
		json_object_get(back, "capabilities"), 1)));
	EXPECT_EQ(4096, json_integer_value(json_object_get(
		json_object_get(back, "limits"), "max_keys")));

	free(text);
	json_decref(back);
	json_decref(doc);
}

TEST(info_json_of_real_platform_is_not_simulated)
{
	struct vhsm_info info;
	json_t *doc;

	fake_info(&info);
	info.platform_id = VHSM_PLATFORM_SNP;
	strcpy(info.platform_name, "snp");
	info.platform_flags = 0;
	info.capabilities = 0;
	doc = info_to_json(&info, "/dev/vhsm");
	ASSERT_NE(NULL, doc);
	EXPECT_TRUE(json_is_false(json_object_get(json_object_get(doc, "platform"),
						  "simulated")));
	EXPECT_EQ(0, json_array_size(json_object_get(doc, "capabilities")));
	json_decref(doc);
}

TEST_HARNESS_MAIN
