// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool pubkey: the public half of a stored EC key, as
 * SubjectPublicKeyInfo in PEM or DER.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "encoding.h"
#include "subcommands.h"

static const char pubkey_help[] =
	"pubkey KEY [--pem|--der] [-o FILE]\n"
	"  Write the public key of the EC key KEY (label or #N) as\n"
	"  SubjectPublicKeyInfo: PEM (the default; 'openssl pkey -pubin' reads it)\n"
	"  or DER. FILE defaults to stdout; '-' means the same.\n";

int pubkey_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pem", no_argument, NULL, 'p' },
		{ "der", no_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *key, *out_path = NULL;
	uint8_t der[VHSM_PUBKEY_MAX];
	size_t der_len = sizeof(der);
	int c, ret, rc, format = 0;
	char *pem = NULL;
	uint32_t handle;
	struct vhsm *h;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'D':
			if (format && format != c) {
				tool_err(ctx, "pubkey: give --pem or --der, not both");
				return TOOL_USAGE;
			}
			format = c;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, pubkey_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, pubkey_help);
			return TOOL_USAGE;
		}
	}
	if (argc - optind != 1) {
		tool_err(ctx, "pubkey: %s", argc == optind ? "missing KEY" :
			 "give one KEY and nothing else");
		fprintf(stderr, "usage: %s %s", ctx->prog, pubkey_help);
		return TOOL_USAGE;
	}
	key = argv[optind];
	if (tool_check_key_arg(ctx, "pubkey", key))
		return TOOL_USAGE;
	if (format == 'D') {
		rc = tool_refuse_tty(ctx, "pubkey", out_path);
		if (rc)
			return rc;
	}

	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "pubkey", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_pubkey(h, handle, VHSM_PUBKEY_F_SPKI, der, &der_len);
	if (ret) {
		rc = tool_key_fail(ctx, "pubkey", key, ret);
		goto out;
	}
	if (format == 'D') {
		rc = tool_write_output(ctx, "pubkey", out_path, der, der_len);
		goto out;
	}
	pem = pem_encode("PUBLIC KEY", der, der_len);
	if (!pem) {
		tool_err(ctx, "pubkey: out of memory");
		rc = TOOL_ERROR;
		goto out;
	}
	rc = tool_write_output(ctx, "pubkey", out_path, pem, strlen(pem));
out:
	free(pem);
	vhsm_close(h);
	return rc;
}
