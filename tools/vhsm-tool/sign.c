// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool sign and verify: ECDSA with a stored EC key (P-256 with SHA-256,
 * P-384 with SHA-384).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

#define TOO_BIG_HINT \
	"the module takes no more in one call (max_data_len in 'vhsm-tool info'): sign a hash of it with --digest"
/* r||s lengths: P-256 and P-384. */
#define RAW_SIG_P256	64
#define RAW_SIG_P384	96

enum sig_format { SIG_AUTO, SIG_RAW, SIG_DER };

struct sig_args {
	const char *key;
	const char *in;
	const char *out;	/* sign */
	const char *sig;	/* verify */
	bool digest;
	enum sig_format format;
};

static const char sign_help[] =
	"sign KEY [--digest] [--raw|--der] [-i IN] [-o SIG]\n"
	"  Sign IN with the EC key KEY (label or #N): ECDSA, P-256 with SHA-256,\n"
	"  P-384 with SHA-384.\n"
	"  --digest  IN is already the hash (32 bytes for p256, 48 for p384)\n"
	"  --raw     write r||s (64 or 96 bytes; the default)\n"
	"  --der     write an X9.62 DER signature (as OpenSSL does)\n"
	"  IN and SIG default to stdin and stdout; '-' means the same.\n";
static const char verify_help[] =
	"[--json] verify KEY --sig SIG [--digest] [--raw|--der] [-i IN]\n"
	"  Check the signature in file SIG over IN with the EC key KEY.\n"
	"  Exit 0: valid; exit 3: invalid (or malformed).\n"
	"  --digest  IN is the hash, as signed with 'sign --digest'\n"
	"  --raw, --der  the signature's format; by default a signature of\n"
	"            64 or 96 bytes is r||s and anything else DER\n"
	"  IN defaults to stdin; '-' means the same.\n";

/* -1 to go on, else the exit code. */
static int parse_args(struct tool_ctx *ctx, const char *cmd, const char *help,
		      bool verify, int argc, char **argv, struct sig_args *a)
{
	static const struct option opts[] = {
		{ "digest", no_argument, NULL, 'g' },
		{ "raw", no_argument, NULL, 'r' },
		{ "der", no_argument, NULL, 'D' },
		{ "sig", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, verify ? "i:h" : "i:o:h", opts,
				NULL)) != -1) {
		switch (c) {
		case 'g':
			a->digest = true;
			break;
		case 'r':
		case 'D':
			if (a->format != SIG_AUTO &&
			    a->format != (c == 'r' ? SIG_RAW : SIG_DER)) {
				tool_err(ctx, "%s: give --raw or --der, not both", cmd);
				return TOOL_USAGE;
			}
			a->format = c == 'r' ? SIG_RAW : SIG_DER;
			break;
		case 'i':
			a->in = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 's':
		case 'j':
			if (verify) {
				if (c == 's')
					a->sig = optarg;
				else
					ctx->json = true;
				break;
			}
			/* fall through */
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, help);
			return TOOL_USAGE;
		case 'h':
			printf("usage: %s %s", ctx->prog, help);
			return TOOL_OK;
		}
	}
	if (tool_key_operands(ctx, cmd, help, argc, argv, 1, &a->key,
			      "give one KEY and nothing else"))
		return TOOL_USAGE;
	if (verify && !a->sig) {
		tool_err(ctx, "verify: missing --sig SIG (the signature file)");
		return TOOL_USAGE;
	}
	if (verify && !strcmp(a->sig, "-") && (!a->in || !strcmp(a->in, "-"))) {
		tool_err(ctx, "verify: --sig and the input cannot both be stdin: give -i FILE");
		return TOOL_USAGE;
	}
	return -1;
}

/* Open, find the key, read the data: what both commands do first. */
static int prepare(const struct tool_ctx *ctx, const char *cmd,
		   const struct sig_args *a, struct vhsm **h, uint32_t *handle,
		   uint8_t **data, size_t *len)
{
	size_t max;
	int rc;

	rc = tool_open(ctx, h);
	if (rc)
		return rc;
	rc = tool_data_limit(ctx, cmd, *h, &max);
	if (!rc)
		rc = tool_resolve_key(ctx, cmd, *h, a->key, handle);
	if (!rc)
		rc = tool_read_input(ctx, cmd, "input", a->in, max,
				     TOO_BIG_HINT, data, len);
	if (!rc && a->digest && *len != 32 && *len != 48) {
		tool_err(ctx, "%s: with --digest the input must be the hash itself: 32 bytes (SHA-256, p256) or 48 (SHA-384, p384), not %zu",
			 cmd, *len);
		tool_free_secret(*data, *len);
		*data = NULL;
		rc = TOOL_ERROR;
	}
	if (rc) {
		vhsm_close(*h);
		*h = NULL;
	}
	return rc;
}

int sign_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct sig_args a = { 0 };
	uint8_t sig[VHSM_SIG_MAX], *data = NULL;
	size_t len = 0, sig_len = sizeof(sig);
	unsigned int flags;
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_args(ctx, "sign", sign_help, false, argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = tool_refuse_tty(ctx, "sign", a.out);
	if (rc)
		return rc;
	rc = prepare(ctx, "sign", &a, &h, &handle, &data, &len);
	if (rc)
		return rc;
	flags = (a.digest ? VHSM_SIG_F_DIGEST : 0) |
		(a.format == SIG_DER ? VHSM_SIG_F_DER : 0);
	ret = vhsm_sign(h, handle, flags, data, len, sig, &sig_len);
	if (ret)
		rc = tool_key_fail(ctx, "sign", a.key, ret);
	else
		rc = tool_write_output(ctx, "sign", a.out, sig, sig_len);
	tool_free_secret(data, len);
	vhsm_close(h);
	return rc;
}

static int report(const struct tool_ctx *ctx, bool valid)
{
	int rc = valid ? TOOL_OK : TOOL_REFUSED;

	if (ctx->json) {
		if (tool_print_json(ctx, json_pack("{s:b}", "valid", valid)))
			return TOOL_ERROR;
		return rc;
	}
	if (!ctx->quiet)
		printf("%s\n", valid ? "valid" : "invalid");
	return rc;
}

int verify_main(struct tool_ctx *ctx, int argc, char **argv)
{
	uint8_t *data = NULL, *sig = NULL;
	size_t len = 0, sig_len = 0;
	struct sig_args a = { 0 };
	enum sig_format format;
	unsigned int flags;
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_args(ctx, "verify", verify_help, true, argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = prepare(ctx, "verify", &a, &h, &handle, &data, &len);
	if (rc)
		return rc;
	/* A little more than any signature, to tell "too long" apart. */
	rc = tool_read_input(ctx, "verify", "signature file", a.sig,
			     VHSM_SIG_MAX + 1, NULL, &sig, &sig_len);
	if (rc)
		goto out;
	if (!sig_len || sig_len > VHSM_SIG_MAX) {
		tool_err(ctx, "verify: '%s' is %s: not an ECDSA signature", a.sig,
			 sig_len ? "too long" : "empty");
		rc = report(ctx, false);
		goto out;
	}
	format = a.format;
	if (format == SIG_AUTO)
		format = sig_len == RAW_SIG_P256 || sig_len == RAW_SIG_P384 ?
			 SIG_RAW : SIG_DER;
	flags = (a.digest ? VHSM_SIG_F_DIGEST : 0) |
		(format == SIG_DER ? VHSM_SIG_F_DER : 0);
	ret = vhsm_verify(h, handle, flags, data, len, sig, sig_len);
	if (ret == -EBADMSG) {
		tool_err(ctx, "verify: the signature does not match: wrong key, changed data or signature, or a --digest/--der different from signing");
		rc = report(ctx, false);
	} else if (ret) {
		rc = tool_key_fail(ctx, "verify", a.key, ret);
	} else {
		rc = report(ctx, true);
	}
out:
	free(sig);
	tool_free_secret(data, len);
	vhsm_close(h);
	return rc;
}
