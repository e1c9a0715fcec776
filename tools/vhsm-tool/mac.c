// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool mac: HMAC with a stored HMAC key.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "subcommands.h"

static const char mac_help[] =
	"mac KEY [-i IN] [-o OUT]\n"
	"  Write the HMAC of IN under the HMAC key KEY (label or #N) to OUT:\n"
	"  32 bytes for hmac-sha256, 48 for hmac-sha384.\n"
	"  IN and OUT default to stdin and stdout; '-' means the same.\n";

int mac_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *key, *in_path = NULL, *out_path = NULL;
	uint8_t mac[VHSM_MAC_MAX], *data = NULL;
	size_t len = 0, mac_len = sizeof(mac), max;
	uint32_t handle;
	struct vhsm *h;
	int c, ret, rc;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "i:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			in_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, mac_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, mac_help);
			return TOOL_USAGE;
		}
	}
	if (argc - optind != 1) {
		tool_err(ctx, "mac: %s", argc == optind ? "missing KEY" :
			 "give one KEY and nothing else");
		fprintf(stderr, "usage: %s %s", ctx->prog, mac_help);
		return TOOL_USAGE;
	}
	key = argv[optind];
	if (tool_check_key_arg(ctx, "mac", key))
		return TOOL_USAGE;
	rc = tool_refuse_tty(ctx, "mac", out_path);
	if (rc)
		return rc;

	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_data_limit(ctx, "mac", h, &max);
	if (!rc)
		rc = tool_resolve_key(ctx, "mac", h, key, &handle);
	if (!rc)
		rc = tool_read_input(ctx, "mac", "input", in_path, max,
				     "the module takes no more in one call (max_data_len in 'vhsm-tool info')",
				     &data, &len);
	if (rc)
		goto out;
	ret = vhsm_mac(h, handle, data, len, mac, &mac_len);
	if (ret)
		rc = tool_key_fail(ctx, "mac", key, ret);
	else
		rc = tool_write_output(ctx, "mac", out_path, mac, mac_len);
	explicit_bzero(mac, sizeof(mac));
out:
	tool_free_secret(data, len);
	vhsm_close(h);
	return rc;
}
