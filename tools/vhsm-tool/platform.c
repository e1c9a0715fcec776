// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool platform key: store a key the platform derives (SNP MSG_KEY_REQ,
 * VHSM_IOC_PLATFORM_KEY) from its root key and the launch fields chosen with
 * --bind; the same request in the same launch on the same chip gives the
 * same key, so it can be made again after a reboot instead of stored.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "subcommands.h"

#define CMD "platform key"
#define BIND_DEFAULT "measurement,policy,guest-svn,family-id,image-id"

static const char platform_key_help[] =
	"platform key --label LABEL --type TYPE [--root vcek|vmrk] [--bind LIST]\n"
	"             [--tcb HEX] [--guest-svn N] [--vmpl N] [--usage LIST] [--mode OCTAL]\n"
	"  Store a key derived by the platform from its root key (VCEK, default, or\n"
	"  VMRK) and the launch fields in LIST, comma-separated from measurement,\n"
	"  policy, guest-svn, family-id, image-id, tcb (default " BIND_DEFAULT ").\n"
	"  The same fields in the same kind of launch give the same key again: a new\n"
	"  image (measurement), policy or SVN gives another. --tcb HEX (16 hex digits,\n"
	"  at most the launch TCB) mixes in a TCB version, so a firmware update\n"
	"  keeps the key until the TCB is raised. TYPE is a symmetric type (aes*,\n"
	"  hmac-*, secretN); LIST and OCTAL as for keygen. Prints the handle (#N).\n";

static void platform_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s", ctx->prog, platform_key_help);
}

static int usage_err(const struct tool_ctx *ctx, const char *msg)
{
	tool_err(ctx, CMD ": %s", msg);
	platform_usage(ctx, stderr);
	return TOOL_USAGE;
}

/* "measurement,policy,..." into VHSM_FIELD_* bits; 0 or -EINVAL */
static int parse_bind(const char *list, uint64_t *fields)
{
	static const struct { const char *name; uint64_t bit; } names[] = {
		{ "policy", VHSM_FIELD_POLICY }, { "image-id", VHSM_FIELD_IMAGE_ID },
		{ "family-id", VHSM_FIELD_FAMILY_ID }, { "measurement", VHSM_FIELD_MEASUREMENT },
		{ "guest-svn", VHSM_FIELD_GUEST_SVN }, { "tcb", VHSM_FIELD_TCB_VERSION },
	};
	const char *p = list;
	size_t i, n;

	*fields = 0;
	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (n == strlen(names[i].name) && !strncmp(p, names[i].name, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]) || *fields & names[i].bit)
			return -EINVAL;
		*fields |= names[i].bit;
		p += n;
		if (*p == ',' && *++p == '\0')
			return -EINVAL;
	}
	return 0;
}

struct pk_args {
	const char *label, *type, *root, *bind, *tcb, *svn, *vmpl, *usage, *mode;
};

/* the request from the options; a TOOL_* code */
static int build_request(const struct tool_ctx *ctx, const struct pk_args *a,
			 struct vhsm_platform_key *req)
{
	uint64_t v, fields;
	int rc;

	memset(req, 0, sizeof(*req));
	if (!a->label || !a->type)
		return usage_err(ctx, "--label and --type are required");
	if (!a->root || !strcmp(a->root, "vcek"))
		req->root_key_select = 0;
	else if (!strcmp(a->root, "vmrk"))
		req->root_key_select = 1;
	else
		return usage_err(ctx, "--root takes vcek or vmrk");
	if (parse_bind(a->bind ? a->bind : BIND_DEFAULT, &fields))
		return usage_err(ctx, "--bind takes a comma-separated list of measurement, policy, guest-svn, family-id, image-id, tcb, each once");
	req->guest_field_select = fields;
	if (a->tcb) {
		if (strlen(a->tcb) != 16 || tool_parse_u64(a->tcb, 16, UINT64_MAX, &v))
			return usage_err(ctx, "--tcb takes a TCB version as 16 hex digits (as report show prints reported_tcb, without 0x)");
		req->tcb_version = v;
		req->guest_field_select |= VHSM_FIELD_TCB_VERSION;
	} else if (req->guest_field_select & VHSM_FIELD_TCB_VERSION) {
		return usage_err(ctx, "--bind tcb needs --tcb HEX");
	}
	if (a->svn) {
		if (tool_parse_u64(a->svn, 10, UINT32_MAX, &v))
			return usage_err(ctx, "--guest-svn takes a number");
		req->guest_svn = (uint32_t)v;
	}
	if (a->vmpl) {
		if (tool_parse_u64(a->vmpl, 10, 3, &v))
			return usage_err(ctx, "--vmpl takes 0 to 3");
		req->vmpl = (uint32_t)v;
	}
	rc = tool_key_attr(ctx, CMD, a->type, a->label, a->usage, a->mode, &req->attr);
	if (!rc && (req->attr.type == VHSM_KEY_EC_P256 || req->attr.type == VHSM_KEY_EC_P384))
		return usage_err(ctx, "--type must be symmetric: the platform's key becomes key material, not an EC key");
	return rc;
}

static int platform_key_fail(const struct tool_ctx *ctx, const struct pk_args *a,
			     const struct vhsm_platform_key *req, int err)
{
	if (err == -EIO) {
		/* SNP firmware status: 0x16 INVALID_PARAM, 0x27 INVALID_KEY */
		tool_err(ctx, CMD ": the platform firmware refused the request (status %#x)%s",
			 req->fw_error,
			 req->fw_error == 0x16 ? ": a --tcb, --guest-svn or --vmpl beyond the launch's?" :
			 req->fw_error == 0x27 ? ": that root key is not available (the VMRK needs a migration agent)" : "");
		return TOOL_ERROR;
	}
	if (err == -EOPNOTSUPP) {
		tool_err(ctx, CMD ": this platform cannot derive keys: %s", vhsm_strerror(err));
		return TOOL_NODEV;
	}
	return tool_key_fail(ctx, CMD, a->label, err);
}

static int platform_key_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct pk_args a = { 0 };
	const struct tool_opt opts[] = {
		{ .name = "label", .str = &a.label }, { .name = "type", .str = &a.type },
		{ .name = "root", .str = &a.root }, { .name = "bind", .str = &a.bind },
		{ .name = "tcb", .str = &a.tcb }, { .name = "guest-svn", .str = &a.svn },
		{ .name = "vmpl", .str = &a.vmpl }, { .name = "usage", .str = &a.usage },
		{ .name = "mode", .str = &a.mode },
	};
	struct vhsm_platform_key req;
	struct vhsm *h;
	int rc, ret;

	rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), platform_usage);
	if (rc >= 0)
		return rc;
	if (optind != argc)
		return usage_err(ctx, "unexpected operand (give each value with its option)");
	rc = build_request(ctx, &a, &req);
	if (rc)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	ret = vhsm_platform_key(h, &req);
	vhsm_close(h);
	if (ret)
		return platform_key_fail(ctx, &a, &req, ret);
	return tool_print_new_key(ctx, req.handle, &req.attr);
}

int platform_main(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "key"))
		return platform_key_main(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		platform_usage(ctx, stdout);
		return TOOL_OK;
	}
	tool_err(ctx, "platform: say 'key'");
	platform_usage(ctx, stderr);
	return TOOL_USAGE;
}
