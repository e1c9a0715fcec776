// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool id-block: sign an SNP ID block for an expected launch
 * measurement. The ID block and ID authentication structure go to QEMU's
 * sev-snp-guest object (id-block=, id-auth=, base64) or to any other VMM
 * (raw); the AMD-SP then refuses to launch a guest with another measurement
 * or policy, and the reports of the guest carry the two key digests printed
 * here, which a verifier policy can pin (vhsm-tool policy new --id-key-digest).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <vhsm/measure.h>

#include "encoding.h"
#include "hexarg.h"
#include "subcommands.h"

#define CMD "id-block"
#define KEY_FILE_MAX (64 * 1024)

static const char id_block_help[] =
	"id-block --measurement HEX --id-key PEM --author-key PEM [--family-id HEX]\n"
	"         [--image-id HEX] [--guest-svn N] [--policy HEX] [-o DIR]\n"
	"  Sign an ID block for the launch MEASUREMENT (96 hex digits, or base64)\n"
	"  with the ID key, and the ID key with the author key (P-384 private keys,\n"
	"  PEM). FAMILY_ID and IMAGE_ID are 16 bytes (32 hex digits, default zero),\n"
	"  the policy is the guest policy the launch must use (default 0x30000).\n"
	"  Prints id-block= and id-auth= (base64, for QEMU's sev-snp-guest object)\n"
	"  and the ID and author key digests the guest's reports will carry; -o DIR\n"
	"  also writes id-block.bin, id-auth.bin and their .b64 forms there.\n";

struct id_args {
	const char *measurement, *id_key, *author_key, *family, *image, *svn, *policy, *dir;
};

static int usage_err(const struct tool_ctx *ctx, const char *msg)
{
	tool_err(ctx, CMD ": %s", msg);
	fprintf(stderr, "usage: %s %s", ctx->prog, id_block_help);
	return TOOL_USAGE;
}

static void id_block_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s", ctx->prog, id_block_help);
}

/* TOOL_OK to go on, -1 after --help, else the exit code */
static int parse_opts(struct tool_ctx *ctx, int argc, char **argv, struct id_args *a)
{
	const struct tool_opt opts[] = {
		{ .name = "measurement", .str = &a->measurement },
		{ .name = "id-key", .str = &a->id_key },
		{ .name = "author-key", .str = &a->author_key },
		{ .name = "family-id", .str = &a->family },
		{ .name = "image-id", .str = &a->image },
		{ .name = "guest-svn", .str = &a->svn },
		{ .name = "policy", .str = &a->policy },
		{ .short_name = 'o', .str = &a->dir },
	};
	int rc;

	memset(a, 0, sizeof(*a));
	rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), id_block_usage);
	if (rc >= 0)
		return rc ? rc : -1;
	if (optind != argc)
		return usage_err(ctx, "unexpected operand");
	if (!a->measurement || !a->id_key || !a->author_key)
		return usage_err(ctx, "--measurement, --id-key and --author-key are required");
	return TOOL_OK;
}

static int block_fields(const struct tool_ctx *ctx, const struct id_args *a,
			struct vhsm_id_block *b)
{
	uint64_t v;

	memset(b, 0, sizeof(*b));
	b->policy = VHSM_ID_DEFAULT_POLICY;
	if (hexarg_parse_hex_or_b64(a->measurement, b->launch_digest, VHSM_LD_SIZE))
		return usage_err(ctx, "--measurement must be 48 bytes: 96 hex digits or base64");
	if (a->family && hexarg_parse(a->family, b->family_id, 16))
		return usage_err(ctx, "--family-id must be 16 bytes (32 hex digits)");
	if (a->image && hexarg_parse(a->image, b->image_id, 16))
		return usage_err(ctx, "--image-id must be 16 bytes (32 hex digits)");
	if (a->svn) {
		if (tool_parse_u64(a->svn, 0, UINT32_MAX, &v))
			return usage_err(ctx, "--guest-svn must be a number from 0 to 4294967295");
		b->guest_svn = (uint32_t)v;
	}
	if (a->policy && tool_parse_u64(a->policy, 16, UINT64_MAX, &b->policy))
		return usage_err(ctx, "--policy must be a hex number (e.g. 0x30000)");
	return TOOL_OK;
}

/* DIR/NAME.bin and DIR/NAME.b64 */
static int write_pair(const struct tool_ctx *ctx, const char *dir, const char *name,
		      const uint8_t *buf, size_t len, const char *b64)
{
	char path[4096];
	char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	rc = tool_write_output(ctx, CMD, path, buf, len);
	if (rc)
		return rc;
	if (asprintf(&text, "%s\n", b64) < 0) {
		tool_err(ctx, CMD ": out of memory");
		return TOOL_ERROR;
	}
	snprintf(path, sizeof(path), "%s/%s.b64", dir, name);
	rc = tool_write_output(ctx, CMD, path, text, strlen(text));
	free(text);
	return rc;
}

struct id_out {
	uint8_t block[VHSM_ID_BLOCK_SIZE], auth[VHSM_ID_AUTH_SIZE];
	uint8_t id_digest[VHSM_LD_SIZE], author_digest[VHSM_LD_SIZE];
	char block_b64[B64_LEN(VHSM_ID_BLOCK_SIZE) + 1];
	char auth_b64[B64_LEN(VHSM_ID_AUTH_SIZE) + 1];
	char id_hex[2 * VHSM_LD_SIZE + 1], author_hex[2 * VHSM_LD_SIZE + 1];
	char id_b64[B64_LEN(VHSM_LD_SIZE) + 1], author_b64[B64_LEN(VHSM_LD_SIZE) + 1];
};

static int print_out(const struct tool_ctx *ctx, const struct id_args *a,
		     const struct id_out *o)
{
	if (ctx->json)
		return tool_print_json(ctx, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s?}",
			"id_block", o->block_b64, "id_auth", o->auth_b64,
			"id_key_digest", o->id_hex, "author_key_digest", o->author_hex,
			"id_key_digest_base64", o->id_b64,
			"author_key_digest_base64", o->author_b64, "dir", a->dir));
	printf("id-block=%s\nid-auth=%s\nid_key_digest %s\nauthor_key_digest %s\n",
	       o->block_b64, o->auth_b64, o->id_hex, o->author_hex);
	if (!ctx->quiet)
		printf("# QEMU: -object sev-snp-guest,...,id-block=<id-block>,id-auth=<id-auth>,"
		       "author-key-enabled=on\n"
		       "# pin the key: %s policy new --measurement <measurement> "
		       "--id-key-digest %s\n", ctx->prog, o->id_hex);
	return fflush(stdout) ? TOOL_ERROR : TOOL_OK;
}

static int build(const struct tool_ctx *ctx, const struct id_args *a,
		 const struct vhsm_id_block *b, struct id_out *o)
{
	uint8_t *idk = NULL, *ak = NULL;
	size_t idk_len = 0, ak_len = 0;
	char err[256] = "";
	int rc, ret;

	rc = tool_read_input(ctx, CMD, "ID key", a->id_key, KEY_FILE_MAX, NULL, &idk, &idk_len);
	if (!rc)
		rc = tool_read_input(ctx, CMD, "author key", a->author_key, KEY_FILE_MAX, NULL,
				     &ak, &ak_len);
	if (rc)
		goto out;
	ret = vhsm_id_block_build(b, (const char *)idk, idk_len, (const char *)ak, ak_len,
				  o->block, o->auth, o->id_digest, o->author_digest,
				  err, sizeof(err));
	if (ret) {
		tool_err(ctx, CMD ": %s", err[0] ? err : strerror(-ret));
		rc = TOOL_ERROR;
	}
out:
	tool_free_secret(idk, idk_len);
	tool_free_secret(ak, ak_len);
	return rc;
}

int id_block_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct vhsm_id_block b;
	struct id_args a;
	struct id_out o;
	int rc;

	rc = parse_opts(ctx, argc, argv, &a);
	if (rc)
		return rc < 0 ? TOOL_OK : rc;
	rc = block_fields(ctx, &a, &b);
	if (rc)
		return rc;
	rc = build(ctx, &a, &b, &o);
	if (rc)
		return rc;
	b64_encode(o.block, sizeof(o.block), o.block_b64, sizeof(o.block_b64));
	b64_encode(o.auth, sizeof(o.auth), o.auth_b64, sizeof(o.auth_b64));
	b64_encode(o.id_digest, VHSM_LD_SIZE, o.id_b64, sizeof(o.id_b64));
	b64_encode(o.author_digest, VHSM_LD_SIZE, o.author_b64, sizeof(o.author_b64));
	hexarg_str(o.id_digest, VHSM_LD_SIZE, o.id_hex);
	hexarg_str(o.author_digest, VHSM_LD_SIZE, o.author_hex);
	if (a.dir && mkdir(a.dir, 0700) && errno != EEXIST) {
		tool_err(ctx, CMD ": cannot create '%s': %s", a.dir, strerror(errno));
		return TOOL_ERROR;
	}
	if (a.dir) {
		rc = write_pair(ctx, a.dir, "id-block", o.block, sizeof(o.block), o.block_b64);
		if (!rc)
			rc = write_pair(ctx, a.dir, "id-auth", o.auth, sizeof(o.auth), o.auth_b64);
		if (rc)
			return rc;
	}
	return print_out(ctx, &a, &o);
}
