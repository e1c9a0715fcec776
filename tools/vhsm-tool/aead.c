// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool encrypt and decrypt: AES-GCM with a stored key, in the file
 * format of container.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "container.h"
#include "subcommands.h"

#define TOO_BIG_HINT \
	"the module takes no more in one call (max_data_len in 'vhsm-tool info'): split the data"

struct aead_args {
	const char *key;
	const char *in;
	const char *out;
	const char *aad;
};

static const char encrypt_help[] =
	"encrypt KEY [--aad FILE] [-i IN] [-o OUT]\n"
	"  Encrypt IN with the AES-GCM key KEY (label or #N) into OUT.\n"
	"  OUT is \"VHSMGCM1\" || IV (12 bytes, random) || tag (16) || ciphertext.\n"
	"  --aad FILE  authenticate FILE's contents too; decrypt needs the same.\n"
	"  IN and OUT default to stdin and stdout; '-' means the same.\n";
static const char decrypt_help[] =
	"decrypt KEY [--aad FILE] [-i IN] [-o OUT]\n"
	"  Decrypt a file made by 'vhsm-tool encrypt' with KEY (label or #N).\n"
	"  Nothing is written unless the tag checks out (exit 3 if it does not).\n"
	"  --aad FILE  the additional data given to encrypt.\n"
	"  IN and OUT default to stdin and stdout; '-' means the same.\n";

/* -1 to go on, else the exit code. */
static int parse_args(struct tool_ctx *ctx, const char *cmd, const char *help,
		      int argc, char **argv, struct aead_args *a)
{
	static const struct option opts[] = {
		{ "aad", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "i:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			a->aad = optarg;
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
		case 'h':
			printf("usage: %s %s", ctx->prog, help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, help);
			return TOOL_USAGE;
		}
	}
	if (tool_key_operands(ctx, cmd, help, argc, argv, 1, &a->key,
			      "give one KEY and nothing else"))
		return TOOL_USAGE;
	if (a->aad && !strcmp(a->aad, "-") && (!a->in || !strcmp(a->in, "-"))) {
		tool_err(ctx, "%s: --aad and the input cannot both be stdin: give -i FILE",
			 cmd);
		return TOOL_USAGE;
	}
	return -1;
}

/* Open the device, find the key, read the AAD: what both commands do first. */
static int prepare(const struct tool_ctx *ctx, const char *cmd,
		   const struct aead_args *a, struct vhsm **h, uint32_t *handle,
		   size_t *max, uint8_t **aad, size_t *aad_len)
{
	int rc;

	*aad = NULL;
	*aad_len = 0;
	rc = tool_open(ctx, h);
	if (rc)
		return rc;
	rc = tool_data_limit(ctx, cmd, *h, max);
	if (!rc)
		rc = tool_resolve_key(ctx, cmd, *h, a->key, handle);
	if (!rc && a->aad)
		rc = tool_read_input(ctx, cmd, "AAD file", a->aad, *max,
				     TOO_BIG_HINT, aad, aad_len);
	if (rc) {
		vhsm_close(*h);
		*h = NULL;
	}
	return rc;
}

int encrypt_main(struct tool_ctx *ctx, int argc, char **argv)
{
	uint8_t iv[VHSM_AEAD_IV_LEN], tag[VHSM_AEAD_TAG_LEN];
	uint8_t *aad, *in = NULL, *out = NULL;
	size_t aad_len, len = 0, max;
	struct aead_args a = { 0 };
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_args(ctx, "encrypt", encrypt_help, argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = tool_refuse_tty(ctx, "encrypt", a.out);
	if (rc)
		return rc;
	rc = prepare(ctx, "encrypt", &a, &h, &handle, &max, &aad, &aad_len);
	if (rc)
		return rc;
	rc = tool_read_input(ctx, "encrypt", "input", a.in, max, TOO_BIG_HINT,
			     &in, &len);
	if (rc)
		goto out;
	out = malloc(CONTAINER_HDR_LEN + len);
	if (!out) {
		tool_err(ctx, "encrypt: out of memory");
		rc = TOOL_ERROR;
		goto out;
	}
	ret = vhsm_aead_encrypt(h, handle, aad, aad_len, in, len,
				len ? out + CONTAINER_HDR_LEN : NULL, iv, tag, 0);
	if (ret) {
		rc = tool_key_fail(ctx, "encrypt", a.key, ret);
		goto out;
	}
	container_format(out, iv, tag);
	rc = tool_write_output(ctx, "encrypt", a.out, out,
			       CONTAINER_HDR_LEN + len);
out:
	free(out);
	tool_free_secret(in, len);
	free(aad);
	vhsm_close(h);
	return rc;
}

int decrypt_main(struct tool_ctx *ctx, int argc, char **argv)
{
	uint8_t *aad, *in = NULL, *out = NULL;
	size_t aad_len, len = 0, max;
	struct aead_args a = { 0 };
	struct container c = { 0 };
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_args(ctx, "decrypt", decrypt_help, argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = prepare(ctx, "decrypt", &a, &h, &handle, &max, &aad, &aad_len);
	if (rc)
		return rc;
	rc = tool_read_input(ctx, "decrypt", "input", a.in,
			     max + CONTAINER_HDR_LEN, TOO_BIG_HINT, &in, &len);
	if (rc)
		goto out;
	ret = container_parse(in, len, &c);
	if (ret) {
		tool_err(ctx, "decrypt: '%s' %s", a.in ? a.in : "-",
			 ret == -ENODATA ?
			 "is truncated: shorter than the 36-byte header of 'vhsm-tool encrypt' output" :
			 "was not made by 'vhsm-tool encrypt' (no VHSMGCM1 header)");
		rc = TOOL_ERROR;
		goto out;
	}
	out = malloc(c.ct_len ? c.ct_len : 1);
	if (!out) {
		tool_err(ctx, "decrypt: out of memory");
		rc = TOOL_ERROR;
		goto out;
	}
	ret = vhsm_aead_decrypt(h, handle, aad, aad_len, c.ct, c.ct_len,
				c.ct_len ? out : NULL, c.iv, c.tag, 0);
	if (ret == -EBADMSG) {
		tool_err(ctx, "decrypt: authentication failed: wrong key or --aad, or the file was modified; nothing was written");
		rc = TOOL_REFUSED;
		goto out;
	}
	if (ret) {
		rc = tool_key_fail(ctx, "decrypt", a.key, ret);
		goto out;
	}
	rc = tool_write_output(ctx, "decrypt", a.out, out, c.ct_len);
out:
	tool_free_secret(out, c.ct_len);
	free(in);
	free(aad);
	vhsm_close(h);
	return rc;
}
