// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool internals on the host: exit-code policy, the info JSON
 * document, the shared option parser and the report input forms. Built with ASan and UBSan.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include <vhsm/report.h>

#include "encoding.h"
#include "info.h"
#include "seal_args.h"
#include "report_input.h"
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

/* ---- the shared option parser ---- */

static void no_usage(const struct tool_ctx *ctx, FILE *out)
{
}

static int count_opt(const struct tool_ctx *ctx, const struct tool_opt *o,
		     const char *arg)
{
	++*(int *)o->data;
	return strcmp(arg, "bad") ? TOOL_OK : TOOL_USAGE;
}

TEST(option_parser_takes_common_options_after_the_command)
{
	char a0[] = "cmd", a1[] = "--name", a2[] = "v", a3[] = "--quiet", a4[] = "-o",
	     a5[] = "out", a6[] = "--json", a7[] = "--rep", a8[] = "x", a9[] = "--rep",
	     a10[] = "y", a11[] = "--flag", a12[] = "operand";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, NULL };
	struct tool_ctx ctx = { .prog = "t" };
	const char *name = NULL, *out = NULL;
	bool flag = false;
	int reps = 0;
	const struct tool_opt opts[] = {
		{ .name = "name", .str = &name },
		{ .short_name = 'o', .str = &out },
		{ .name = "rep", .fn = count_opt, .data = &reps },
		{ .name = "flag", .flag = &flag },
	};

	EXPECT_EQ(-1, tool_parse_opts(&ctx, 13, argv, opts, TOOL_NOPTS(opts), no_usage));
	EXPECT_STREQ("v", name);
	EXPECT_STREQ("out", out);
	EXPECT_EQ(2, reps);
	EXPECT_TRUE(flag);
	EXPECT_TRUE(ctx.quiet);
	EXPECT_TRUE(ctx.json);
	EXPECT_EQ(12, optind);
}

TEST(option_parser_errors)
{
	char a0[] = "cmd", a1[] = "--nope", b1[] = "--rep", b2[] = "bad", c1[] = "--help",
	     d1[] = "--output", d2[] = "x";
	char *bad[] = { a0, a1, NULL }, *cb[] = { a0, b1, b2, NULL }, *help[] = { a0, c1, NULL };
	char *nolong[] = { a0, d1, d2, NULL };
	struct tool_ctx ctx = { .prog = "t" };
	const char *out = NULL;
	int reps = 0;
	const struct tool_opt opts[] = {
		{ .name = "rep", .fn = count_opt, .data = &reps },
		{ .short_name = 'o', .str = &out },
	};

	EXPECT_EQ(TOOL_USAGE, tool_parse_opts(&ctx, 2, bad, opts, TOOL_NOPTS(opts), no_usage));
	EXPECT_EQ(TOOL_USAGE, tool_parse_opts(&ctx, 3, cb, opts, TOOL_NOPTS(opts), no_usage));
	EXPECT_EQ(TOOL_OK, tool_parse_opts(&ctx, 2, help, opts, TOOL_NOPTS(opts), no_usage));
	/* an option with only a letter has no long name */
	EXPECT_EQ(TOOL_USAGE, tool_parse_opts(&ctx, 3, nolong, opts, TOOL_NOPTS(opts), no_usage));
	EXPECT_EQ(NULL, out);
}

TEST(stdin_is_claimed_once)
{
	struct tool_ctx ctx = { .prog = "t" };

	EXPECT_EQ(TOOL_OK, tool_claim_stdin(&ctx, "cmd", "the input"));
	EXPECT_EQ(TOOL_USAGE, tool_claim_stdin(&ctx, "cmd", "--aad"));
}

/* ---- report input forms ---- */

static uint8_t report_bin[VHSM_REPORT_SIZE];

static void fill_report(void)
{
	size_t i;

	for (i = 0; i < sizeof(report_bin); i++)
		report_bin[i] = (uint8_t)(i * 7 + 3);
	report_bin[0] = 3;	/* version 3, as bytes: not text */
	report_bin[1] = report_bin[2] = report_bin[3] = 0;
}

TEST(report_forms_are_found)
{
	char hex[2 * VHSM_REPORT_SIZE + 64], b64[B64_LEN(VHSM_REPORT_SIZE) + 1];
	struct report_bytes b;
	size_t i, o = 0;

	fill_report();
	ASSERT_EQ(0, report_decode(report_bin, sizeof(report_bin), REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(REPORT_INFORM_RAW, b.found);
	EXPECT_EQ(NULL, b.table);
	report_bytes_free(&b);

	for (i = 0; i < sizeof(report_bin); i++) {
		o += (size_t)sprintf(hex + o, "%02X", report_bin[i]);
		if (i % 32 == 31)
			hex[o++] = '\n';	/* xxd -p style lines */
	}
	ASSERT_EQ(0, report_decode((uint8_t *)hex, o, REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(REPORT_INFORM_HEX, b.found);
	ASSERT_EQ(sizeof(report_bin), b.len);
	EXPECT_EQ(0, memcmp(b.buf, report_bin, b.len));
	report_bytes_free(&b);

	ASSERT_EQ(0, b64_encode(report_bin, sizeof(report_bin), b64, sizeof(b64)));
	ASSERT_EQ(0, report_decode((uint8_t *)b64, strlen(b64), REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(REPORT_INFORM_BASE64, b.found);
	ASSERT_EQ(sizeof(report_bin), b.len);
	EXPECT_EQ(0, memcmp(b.buf, report_bin, b.len));
	report_bytes_free(&b);

	/* a form given must be that form */
	EXPECT_EQ(-EINVAL, report_decode((uint8_t *)b64, strlen(b64), REPORT_INFORM_HEX, &b));
	EXPECT_EQ(-EINVAL, report_decode((uint8_t *)"hello, world", 12, REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(-EINVAL, report_decode((uint8_t *)"", 0, REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(-EINVAL, report_decode((uint8_t *)"abc", 3, REPORT_INFORM_HEX, &b));
}

TEST(bytes_after_the_report)
{
	/* a table of one ARK entry (GUID c0b406a4-a803-4952-9743-3fb6014cd0ae) */
	static const uint8_t ark_guid[16] = {
		0xa4, 0x06, 0xb4, 0xc0, 0x03, 0xa8, 0x52, 0x49,
		0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae,
	};
	uint8_t buf[VHSM_REPORT_SIZE + 3 * 24 + 16];
	uint8_t *t = buf + VHSM_REPORT_SIZE;
	struct report_bytes b;

	fill_report();
	memcpy(buf, report_bin, sizeof(report_bin));
	memset(t, 0, sizeof(buf) - VHSM_REPORT_SIZE);
	memcpy(t, ark_guid, 16);
	t[16] = 48;	/* offset: after the entry and the terminator */
	t[20] = 16;	/* length */
	memset(t + 48, 0x5a, 16);
	ASSERT_EQ(0, report_decode(buf, VHSM_REPORT_SIZE + 64, REPORT_INFORM_RAW, &b));
	EXPECT_EQ(64, b.table_len);
	EXPECT_EQ(1, b.table_ok);
	report_bytes_free(&b);

	memset(t, 0xee, 64);	/* not a table */
	ASSERT_EQ(0, report_decode(buf, VHSM_REPORT_SIZE + 64, REPORT_INFORM_AUTO, &b));
	EXPECT_EQ(64, b.table_len);
	EXPECT_EQ(0, b.table_ok);
	report_bytes_free(&b);
}

TEST(inform_names)
{
	enum report_inform f;

	EXPECT_EQ(0, report_inform_parse("base64", &f));
	EXPECT_EQ(REPORT_INFORM_BASE64, f);
	EXPECT_STREQ("hex", report_inform_name(REPORT_INFORM_HEX));
	EXPECT_EQ(-EINVAL, report_inform_parse("pem", &f));
}

TEST_HARNESS_MAIN
