// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool internals on the host: exit-code policy and the info JSON
 * document. Built with ASan and UBSan.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "info.h"
#include "seal_args.h"
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

TEST(seal_bind_list_parses_and_formats)
{
	uint64_t f = 0;
	char buf[96];

	EXPECT_EQ(0, seal_bind_parse("all", &f));
	EXPECT_EQ(VHSM_FIELD_ALL, f);
	EXPECT_EQ(0, seal_bind_parse("none", &f));
	EXPECT_EQ(0, f);
	EXPECT_EQ(0, seal_bind_parse("measurement,policy", &f));
	EXPECT_EQ(VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY, f);
	EXPECT_EQ(0, seal_bind_parse("svn,family-id,image-id,tcb", &f));
	EXPECT_EQ(VHSM_FIELD_GUEST_SVN | VHSM_FIELD_FAMILY_ID | VHSM_FIELD_IMAGE_ID |
		  VHSM_FIELD_TCB_VERSION, f);
	seal_bind_format(f, buf, sizeof(buf));
	EXPECT_STREQ("svn,family-id,image-id,tcb", buf);
	seal_bind_format(0, buf, sizeof(buf));
	EXPECT_STREQ("none", buf);
	seal_bind_format(VHSM_FIELD_ALL, buf, sizeof(buf));
	EXPECT_STREQ("measurement,policy,svn,family-id,image-id,tcb", buf);
	EXPECT_EQ(-EINVAL, seal_bind_parse("", &f));
	EXPECT_EQ(-EINVAL, seal_bind_parse("policy,", &f));
	EXPECT_EQ(-EINVAL, seal_bind_parse(",policy", &f));
	EXPECT_EQ(-EINVAL, seal_bind_parse("policy,policy", &f));
	EXPECT_EQ(-EINVAL, seal_bind_parse("all,policy", &f));
	EXPECT_EQ(-EINVAL, seal_bind_parse("Measurement", &f));
}

TEST(seal_tcb_and_root_parse)
{
	uint32_t flags = 99, root = 9;
	uint64_t tcb = 1;

	EXPECT_EQ(0, seal_tcb_parse("auto", &flags, &tcb));
	EXPECT_EQ(VHSM_SEAL_F_TCB_REPORTED, flags);
	EXPECT_EQ(0, tcb);
	EXPECT_EQ(0, seal_tcb_parse("committed", &flags, &tcb));
	EXPECT_EQ(VHSM_SEAL_F_TCB_COMMITTED, flags);
	EXPECT_EQ(0, seal_tcb_parse("0x7308000000000003", &flags, &tcb));
	EXPECT_EQ(0, flags);
	EXPECT_EQ(0x7308000000000003ULL, tcb);
	EXPECT_EQ(0, seal_tcb_parse("ffffffffffffffff", &flags, &tcb));
	EXPECT_EQ(UINT64_MAX, tcb);
	EXPECT_EQ(-EINVAL, seal_tcb_parse("0x", &flags, &tcb));
	EXPECT_EQ(-EINVAL, seal_tcb_parse("1ffffffffffffffff", &flags, &tcb));
	EXPECT_EQ(-EINVAL, seal_tcb_parse("-1", &flags, &tcb));
	EXPECT_EQ(-EINVAL, seal_tcb_parse("12 ", &flags, &tcb));
	EXPECT_EQ(-EINVAL, seal_tcb_parse("Auto", &flags, &tcb));
	EXPECT_EQ(0, seal_root_parse("vcek", &root));
	EXPECT_EQ(0, root);
	EXPECT_EQ(0, seal_root_parse("vmrk", &root));
	EXPECT_EQ(1, root);
	EXPECT_EQ(-EINVAL, seal_root_parse("vlek", &root));
}

TEST(seal_blob_framing_is_named)
{
	uint8_t b[VHSM_SEAL_BLOB_MAX + 1];
	struct vhsm_seal_hdr hdr;
	const char *p;

	memset(b, 0, sizeof(b));
	memcpy(b, VHSM_SEAL_MAGIC, 4);
	b[4] = 1;
	b[6] = VHSM_SEAL_HDR_LEN;
	b[0x30] = 32;		/* key_len */
	EXPECT_EQ(NULL, seal_blob_problem(b, VHSM_SEAL_HDR_LEN + 48, &hdr));
	p = seal_blob_problem(b, VHSM_SEAL_HDR_LEN + 47, &hdr);
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "truncated"));
	p = seal_blob_problem(b, VHSM_SEAL_HDR_LEN + 49, &hdr);
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "oversized"));
	p = seal_blob_problem(b, 100, &hdr);
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "truncated"));
	b[4] = 2;
	p = seal_blob_problem(b, VHSM_SEAL_HDR_LEN + 48, &hdr);
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "unknown version"));
	b[0] = 'x';
	p = seal_blob_problem(b, VHSM_SEAL_HDR_LEN + 48, &hdr);
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "not a sealed blob"));
	EXPECT_NE(NULL, seal_blob_problem(b, 3, &hdr));
}

TEST_HARNESS_MAIN
