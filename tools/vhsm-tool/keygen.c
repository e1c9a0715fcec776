// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool keygen and import: new keys, made by the module or handed to it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "encoding.h"
#include "subcommands.h"

#define TYPES_HELP \
	"aes128, aes256, aes256-xts, hmac-sha256, hmac-sha384, p256, p384, secret16 ... secret64"
#define USAGES_HELP \
	"encrypt,decrypt,sign,verify,mac,derive,export-kernel,caller-iv"
/* Largest import file: key material is at most 128 bytes, a PEM key ~250. */
#define IMPORT_MAX	16384

/* The options keygen and import share. */
struct key_args {
	const char *type;
	const char *label;
	const char *usage;
	const char *mode;
};

/* The getopt_long() entries of the key_args options. */
#define KEY_ARGS_OPTS						\
	{ "type", required_argument, NULL, 't' },		\
	{ "label", required_argument, NULL, 'l' },		\
	{ "usage", required_argument, NULL, 'u' },		\
	{ "mode", required_argument, NULL, 'm' },		\
	{ "json", no_argument, NULL, 'j' },			\
	{ "quiet", no_argument, NULL, 'Q' }

/* Take option C if it is one keygen and import share; false if not. */
static bool key_args_opt(struct tool_ctx *ctx, struct key_args *args, int c,
			 const char *arg)
{
	switch (c) {
	case 't':
		args->type = arg;
		break;
	case 'l':
		args->label = arg;
		break;
	case 'u':
		args->usage = arg;
		break;
	case 'm':
		args->mode = arg;
		break;
	case 'Q':
		ctx->quiet = true;
		break;
	case 'j':
		ctx->json = true;
		break;
	default:
		return false;
	}
	return true;
}

/* Turn ARGS into ATTR with the library's defaults; a TOOL_* code. */
static int build_attr(const struct tool_ctx *ctx, const char *cmd,
		      const struct key_args *args, unsigned int import_flags,
		      struct vhsm_key_attr *attr)
{
	uint32_t type, key_len;

	if (!args->type || !args->label) {
		tool_err(ctx, "%s: missing %s", cmd,
			 !args->type ? "--type TYPE" : "--label LABEL");
		return TOOL_USAGE;
	}
	if (vhsm_key_type_parse(args->type, &type, &key_len)) {
		tool_err(ctx, "%s: unknown key type '%s': use one of " TYPES_HELP,
			 cmd, args->type);
		return TOOL_USAGE;
	}
	if (vhsm_key_label_check(args->label)) {
		tool_err(ctx, "%s: bad label '%s': use 1 to %d characters from A-Z a-z 0-9 . _ : @ / + = -",
			 cmd, args->label, VHSM_LABEL_MAX - 1);
		return TOOL_USAGE;
	}
	if (vhsm_key_attr_init(attr, type, key_len, args->label)) {
		tool_err(ctx, "%s: cannot use --type %s", cmd, args->type);
		return TOOL_USAGE;
	}
	attr->usage = vhsm_key_default_usage(type, import_flags);
	if (args->usage && vhsm_usage_parse(args->usage, &attr->usage)) {
		tool_err(ctx, "%s: bad --usage '%s': give a comma-separated list from " USAGES_HELP,
			 cmd, args->usage);
		return TOOL_USAGE;
	}
	if (args->mode && tool_parse_mode(args->mode, &attr->mode)) {
		tool_err(ctx, "%s: bad --mode '%s': give octal 0 to 0777 (owner, group, others; 4 see, 2 destroy, 1 use)",
			 cmd, args->mode);
		return TOOL_USAGE;
	}
	return TOOL_OK;
}

int tool_print_new_key(const struct tool_ctx *ctx, uint32_t handle,
		       const struct vhsm_key_attr *attr)
{
	char key[16];

	snprintf(key, sizeof(key), "#%u", handle);
	if (ctx->json)
		return tool_print_json(ctx, json_pack("{s:I, s:s, s:s}",
						      "handle", (json_int_t)handle,
						      "key", key,
						      "label", attr->label));
	printf("%s\n", key);
	return TOOL_OK;
}

/* The module's answer to a new key's attributes, said in the tool's terms. */
static int new_key_fail(const struct tool_ctx *ctx, const char *cmd,
			const struct key_args *args, int err)
{
	if (err == -EINVAL) {
		tool_err(ctx, "%s: the module refused the key: check that --usage suits --type %s (see '%s %s --help'), the mode and the label",
			 cmd, args->type, ctx->prog, cmd);
		return TOOL_ERROR;
	}
	return tool_key_fail(ctx, cmd, args->label, err);
}

int tool_key_attr(const struct tool_ctx *ctx, const char *cmd, const char *type,
		  const char *label, const char *usage, const char *mode,
		  struct vhsm_key_attr *attr)
{
	const struct key_args args = { .type = type, .label = label, .usage = usage, .mode = mode };

	return build_attr(ctx, cmd, &args, 0, attr);
}

static const char keygen_help[] =
	"[--json] keygen --type TYPE --label LABEL [--usage LIST] [--mode OCTAL]\n"
	"  Make a new key inside the module and print its handle (#N).\n"
	"  TYPE   " TYPES_HELP "\n"
	"         (secretN: N bytes for kernel use, 16 to 64)\n"
	"  LIST   comma-separated from " USAGES_HELP ";\n"
	"         default: aes encrypt,decrypt; hmac mac; p256/p384 sign,verify;\n"
	"         aes256-xts and secrets export-kernel; caller-iv (aes only)\n"
	"         lets programs encrypt under IVs they choose\n"
	"  OCTAL  who may see (4), destroy (2) and use (1) it, for owner, group,\n"
	"         others; default 0700\n";

int keygen_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		KEY_ARGS_OPTS,
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct key_args args = { 0 };
	struct vhsm_key_attr attr;
	uint32_t handle;
	struct vhsm *h;
	int c, ret, rc;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (key_args_opt(ctx, &args, c, optarg))
			continue;
		switch (c) {
		case 'h':
			printf("usage: %s %s", ctx->prog, keygen_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, keygen_help);
			return TOOL_USAGE;
		}
	}
	if (optind != argc) {
		tool_err(ctx, "keygen: unexpected argument '%s'", argv[optind]);
		return TOOL_USAGE;
	}
	rc = build_attr(ctx, "keygen", &args, 0, &attr);
	if (rc)
		return rc;

	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	ret = vhsm_key_generate(h, &attr, &handle);
	if (ret)
		rc = new_key_fail(ctx, "keygen", &args, ret);
	else
		rc = tool_print_new_key(ctx, handle, &attr);
	vhsm_close(h);
	return rc;
}

static const char import_help[] =
	"[--json] import --type TYPE --label LABEL -i FILE [--public]\n"
	"                 [--usage LIST] [--mode OCTAL]\n"
	"  Store key material from FILE ('-': stdin) and print the new handle (#N).\n"
	"  Secret material (raw bytes; EC: the big-endian private scalar) needs root\n"
	"  and the module parameter allow_plain_import=1: it is meant for tests and\n"
	"  migrations. With --public (p256, p384) FILE is an EC public key, PEM or\n"
	"  DER SubjectPublicKeyInfo or a SEC1 uncompressed point; any user may\n"
	"  import one, for verify only.\n"
	"  TYPE, LIST, OCTAL as for keygen.\n";

/* Check and shape the material read for a secret import; a TOOL_* code. */
static int check_secret(const struct tool_ctx *ctx, const char *file,
			struct vhsm_key_attr *attr, size_t len)
{
	if (!len) {
		tool_err(ctx, "import: '%s' is empty", file);
		return TOOL_ERROR;
	}
	if (attr->type == VHSM_KEY_SECRET && len != attr->key_len) {
		tool_err(ctx, "import: '%s' holds %zu bytes but the type needs exactly %u (a trailing newline?)",
			 file, len, attr->key_len);
		return TOOL_ERROR;
	}
	attr->key_len = (uint32_t)len;
	return TOOL_OK;
}

/* Parse a public key; on success *POINT holds the SEC1 point. */
static int parse_public(const struct tool_ctx *ctx, const char *file,
			const struct vhsm_key_attr *attr, const uint8_t *in,
			size_t len, uint8_t *point, size_t *point_len)
{
	uint32_t type;

	if (ec_pubkey_parse(in, len, &type, point, point_len)) {
		tool_err(ctx, "import: '%s' is not a P-256 or P-384 public key: give PEM or DER SubjectPublicKeyInfo ('openssl ec -pubout') or a SEC1 uncompressed point",
			 file);
		return TOOL_ERROR;
	}
	if (type != attr->type) {
		tool_err(ctx, "import: '%s' holds a %s public key: use --type %s",
			 file, type == VHSM_KEY_EC_P256 ? "P-256" : "P-384",
			 type == VHSM_KEY_EC_P256 ? "p256" : "p384");
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int import_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		KEY_ARGS_OPTS,
		{ "public", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint8_t *in = NULL, point[EC_POINT_MAX];
	const uint8_t *material;
	struct key_args args = { 0 };
	struct vhsm_key_attr attr;
	const char *file = NULL;
	unsigned int flags = 0;
	size_t len = 0, mlen;
	uint32_t handle;
	struct vhsm *h;
	int c, ret, rc;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		if (key_args_opt(ctx, &args, c, optarg))
			continue;
		switch (c) {
		case 'i':
			file = optarg;
			break;
		case 'p':
			flags |= VHSM_IMPORT_F_PUBLIC;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, import_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, import_help);
			return TOOL_USAGE;
		}
	}
	if (optind != argc) {
		tool_err(ctx, "import: unexpected argument '%s'", argv[optind]);
		return TOOL_USAGE;
	}
	if (!file) {
		tool_err(ctx, "import: missing -i FILE (the key material; '-' reads stdin)");
		return TOOL_USAGE;
	}
	rc = build_attr(ctx, "import", &args, flags, &attr);
	if (rc)
		return rc;
	if ((flags & VHSM_IMPORT_F_PUBLIC) && attr.type != VHSM_KEY_EC_P256 &&
	    attr.type != VHSM_KEY_EC_P384) {
		tool_err(ctx, "import: --public needs --type p256 or p384");
		return TOOL_USAGE;
	}

	rc = tool_read_input(ctx, "import", "key file", file, IMPORT_MAX,
			     "that is not key material", &in, &len);
	if (rc)
		return rc;
	if (flags & VHSM_IMPORT_F_PUBLIC) {
		rc = parse_public(ctx, file, &attr, in, len, point, &mlen);
		material = point;
	} else {
		rc = check_secret(ctx, file, &attr, len);
		material = in;
		mlen = len;
	}
	if (rc)
		goto out_free;

	rc = tool_open(ctx, &h);
	if (rc)
		goto out_free;
	ret = vhsm_key_import(h, &attr, material, mlen, flags, &handle);
	if (ret == -EPERM && !(flags & VHSM_IMPORT_F_PUBLIC)) {
		tool_err(ctx, "import: refused: importing secret material needs root and the module loaded with allow_plain_import=1 (keygen makes keys without exposing them)");
		rc = TOOL_REFUSED;
	} else if (ret) {
		rc = new_key_fail(ctx, "import", &args, ret);
	} else {
		rc = tool_print_new_key(ctx, handle, &attr);
	}
	vhsm_close(h);
out_free:
	explicit_bzero(point, sizeof(point));
	tool_free_secret(in, len);
	return rc;
}
