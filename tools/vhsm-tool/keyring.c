// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool keyring token|export: key references for the kernel's own clients
 * and export of keys into kernel keyrings (dm-crypt, fscrypt, AF_ALG, the
 * vhsm(...) crypto template). Key bytes never pass through this program.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <linux/keyctl.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

static const char token_help[] =
	"keyring token KEY\n"
	"  Print the token of KEY (label or #N): 32 hex digits naming this key\n"
	"  and no later one. It grants nothing; whoever presents it is checked\n"
	"  against the key's owner, mode and usage. 'keyctl padd asymmetric NAME\n"
	"  RING' takes \"vhsm:\" followed by it.\n";

static const char export_help[] =
	"keyring export KEY --as logon|fscrypt|token --desc DESC [--keyring RING]\n"
	"  Put KEY (which needs usage export-kernel) into a kernel keyring; the\n"
	"  kernel copies the bytes, they never pass through this program.\n"
	"    logon    the key bytes in a logon key (dm-crypt: :LEN:logon:DESC)\n"
	"    fscrypt  an fscrypt-provisioning key for fscrypt v2 (secretN keys)\n"
	"    token    the 16-byte token in a logon key (AF_ALG key serial,\n"
	"             the vhsm(...) crypto template)\n"
	"  DESC: printable, no spaces; logon and token need a prefix, e.g.\n"
	"  vhsm:disk1. RING as keyctl spells it: @u (default), @s, @us or a\n"
	"  serial (not @t or @p: they would end with this program); you need\n"
	"  write permission on it. Without a session keyring, @s makes a new one\n"
	"  that ends with this program, as 'keyctl add' does. Prints the new\n"
	"  key's serial.\n";

static void keyring_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s       %s %s", ctx->prog, token_help, ctx->prog,
		export_help);
}

static int token_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint8_t token[VHSM_TOKEN_LEN];
	char hex[2 * VHSM_TOKEN_LEN + 1];
	const char *key;
	uint32_t handle;
	struct vhsm *h;
	int c, ret, rc;
	size_t i;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'j' || c == 'Q') {
			*(c == 'j' ? &ctx->json : &ctx->quiet) = true;
			continue;
		}
		if (c == 'h') {
			printf("usage: %s %s", ctx->prog, token_help);
			return TOOL_OK;
		}
		fprintf(stderr, "usage: %s %s", ctx->prog, token_help);
		return TOOL_USAGE;
	}
	if (tool_key_operands(ctx, "keyring token", token_help, argc, argv, 1,
			      &key, "give one KEY and nothing else"))
		return TOOL_USAGE;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "keyring token", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_key_token(h, handle, token);
	if (ret) {
		rc = tool_key_fail(ctx, "keyring token", key, ret);
		goto out;
	}
	for (i = 0; i < sizeof(token); i++)
		snprintf(hex + 2 * i, 3, "%02x", token[i]);
	if (ctx->json)
		rc = tool_print_json(ctx, json_pack("{s:s, s:s}", "key", key, "token", hex));
	else
		rc = printf("%s\n", hex) < 0 || fflush(stdout) ? TOOL_ERROR : TOOL_OK;
out:
	vhsm_close(h);
	return rc;
}

/* The export-specific meanings of errors, where the generic text misleads. */
static int export_fail(const struct tool_ctx *ctx, const char *key,
		       const char *ring, int ret)
{
	switch (-ret) {
	case EEXIST:
		tool_err(ctx, "keyring export: a key of that type and description is already in keyring %s: unlink it (keyctl unlink) or choose another --desc",
			 ring);
		return TOOL_ERROR;
	case EINVAL:
		tool_err(ctx, "keyring export: refused: the description must be printable without spaces, and logon/token need a prefix such as vhsm:NAME");
		return TOOL_ERROR;
	case EOPNOTSUPP:
		tool_err(ctx, "keyring export: key '%s' cannot be exported that way: logon takes any symmetric key, fscrypt a secretN key", key);
		return TOOL_ERROR;
	case EPERM:
		tool_err(ctx, "keyring export: key '%s' lacks usage export-kernel (set it at keygen: --usage ...,export-kernel)", key);
		return TOOL_REFUSED;
	case EACCES:
		tool_err(ctx, "keyring export: refused: the key's mode does not let you use it, or you may not write to keyring %s", ring);
		return TOOL_REFUSED;
	case EDQUOT:
		tool_err(ctx, "keyring export: your kernel key quota is full (/proc/sys/kernel/keys/maxkeys, maxbytes)");
		return TOOL_ERROR;
	default:
		return tool_key_fail(ctx, "keyring export", key, ret);
	}
}

static int export_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "desc", required_argument, NULL, 'D' },
		{ "keyring", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *key, *as_name = NULL, *desc = NULL, *ring = "@u";
	int32_t ring_id, serial;
	uint32_t handle, as;
	struct vhsm *h;
	int c, ret, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			as_name = optarg;
			break;
		case 'D':
			desc = optarg;
			break;
		case 'k':
			ring = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, export_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, export_help);
			return TOOL_USAGE;
		}
	}
	if (tool_key_operands(ctx, "keyring export", export_help, argc, argv, 1,
			      &key, "give one KEY and nothing else"))
		return TOOL_USAGE;
	if (!as_name || vhsm_export_as_parse(as_name, &as)) {
		tool_err(ctx, "keyring export: --as must be logon, fscrypt or token");
		return TOOL_USAGE;
	}
	if (!desc || !desc[0]) {
		tool_err(ctx, "keyring export: --desc DESC is required (e.g. vhsm:disk1)");
		return TOOL_USAGE;
	}
	if (vhsm_keyring_parse(ring, &ring_id)) {
		tool_err(ctx, "keyring export: '%s' is not a keyring: give @u, @s, @p, @t, @us or a serial number", ring);
		return TOOL_USAGE;
	}
	if (ring_id == KEY_SPEC_THREAD_KEYRING || ring_id == KEY_SPEC_PROCESS_KEYRING) {
		tool_err(ctx, "keyring export: %s is this program's own keyring and ends with it: give @s, @u, @us or a serial", ring);
		return TOOL_USAGE;
	}
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "keyring export", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_key_export(h, handle, as, ring_id, desc, &serial);
	if (ret) {
		rc = export_fail(ctx, key, ring, ret);
		goto out;
	}
	if (ctx->json)
		rc = tool_print_json(ctx, json_pack("{s:s, s:s, s:s, s:i}", "key", key,
						    "as", as_name, "desc", desc,
						    "serial", (int)serial));
	else
		rc = printf("%d\n", (int)serial) < 0 || fflush(stdout) ? TOOL_ERROR : TOOL_OK;
out:
	vhsm_close(h);
	return rc;
}

int keyring_main(struct tool_ctx *ctx, int argc, char **argv)
{
	char name[64];

	if (argc < 2) {
		tool_err(ctx, "keyring: say 'token' or 'export'");
		keyring_usage(ctx, stderr);
		return TOOL_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		keyring_usage(ctx, stdout);
		return TOOL_OK;
	}
	snprintf(name, sizeof(name), "%s keyring %s", ctx->prog, argv[1]);
	if (!strcmp(argv[1], "token")) {
		argv[1] = name;
		return token_main(ctx, argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "export")) {
		argv[1] = name;
		return export_main(ctx, argc - 1, argv + 1);
	}
	tool_err(ctx, "keyring: unknown command '%s' (token or export)", argv[1]);
	keyring_usage(ctx, stderr);
	return TOOL_USAGE;
}
