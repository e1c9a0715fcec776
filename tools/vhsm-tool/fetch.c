// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool fetch vcek|ca|crl REPORT --cache DIR [--kds URL]: what a report
 * needs for verification, from AMD's Key Distribution Service into the
 * offline cache report verify --cache reads (kds.c, docs/kds.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/report.h>

#include "kds.h"
#include "subcommands.h"

static const char fetch_help[] =
	"fetch vcek|ca|crl REPORT --cache DIR [--kds URL] [--product NAME] [--roots FILE]\n"
	"  Fetch from AMD's KDS (default " KDS_DEFAULT_URL ") into the cache DIR:\n"
	"    vcek  the report's VCEK: DIR/vcek/<Product>/<hwid>/<tcb>.der\n"
	"    ca    the ASK (ASVK for a VLEK report) and ARK: DIR/<Product>/{ask,asvk,ark}.pem;\n"
	"          stored only if the ARK is AMD's (or one of --roots)\n"
	"    crl   the ARK's CRL: DIR/<Product>/crl.der (vlek-crl.der)\n"
	"  REPORT is the raw report ('-' = stdin). --product Milan|Genoa|Turin is needed\n"
	"  for a v2 report (no CPUID). Retries transient failures and honours the KDS's\n"
	"  rate limit (429 Retry-After up to 30 s). Exit 0 stored, 1 error, 2 usage,\n"
	"  3 refused (the answer does not chain to a trusted ARK).\n";

static int load(const struct tool_ctx *ctx, const char *path, struct vhsm_report *r)
{
	uint8_t *buf;
	size_t len;
	int rc, err;

	rc = tool_read_input(ctx, "fetch", "report", path, 1 << 20, NULL, &buf, &len);
	if (rc)
		return rc;
	err = vhsm_report_parse(buf, len, r);
	tool_free_secret(buf, len);
	if (err) {
		tool_err(ctx, "fetch: %s is not an SEV-SNP attestation report (%s)", path,
			 err == -EPROTO ? "unsupported version" : "too short");
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

/* The report's product, or --product's for a v2 report. */
static int set_product(const struct tool_ctx *ctx, struct vhsm_report *r, const char *name)
{
	enum vhsm_product p = name ? vhsm_report_product_from_name(name) : VHSM_PRODUCT_UNKNOWN;

	if (name && p == VHSM_PRODUCT_UNKNOWN) {
		tool_err(ctx, "fetch: --product takes Milan, Genoa or Turin");
		return TOOL_USAGE;
	}
	if (r->product != VHSM_PRODUCT_UNKNOWN) {
		if (name && p != r->product) {
			tool_err(ctx, "fetch: the report is from a %s, not a %s",
				 vhsm_report_product_name(r->product), name);
			return TOOL_USAGE;
		}
		return TOOL_OK;
	}
	if (!name) {
		tool_err(ctx, "fetch: a v%u report does not name its product: give --product "
			 "Milan|Genoa|Turin", r->version);
		return TOOL_USAGE;
	}
	return vhsm_report_set_product(r, p) ? TOOL_ERROR : TOOL_OK;
}

int fetch_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cache", required_argument, NULL, 'c' },
		{ "kds", required_argument, NULL, 'k' },
		{ "product", required_argument, NULL, 'p' },
		{ "roots", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *product = NULL, *roots_path = NULL;
	struct kds_req q = { 0 };
	enum kds_item what;
	struct vhsm_report r;
	uint8_t *roots = NULL;
	size_t roots_len = 0;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			q.cache = optarg;
			break;
		case 'k':
			q.base = optarg;
			break;
		case 'p':
			product = optarg;
			break;
		case 'R':
			roots_path = optarg;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, fetch_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, fetch_help);
			return TOOL_USAGE;
		}
	}
	if (argc - optind != 2) {
		tool_err(ctx, "fetch: give what (vcek, ca or crl) and the REPORT");
		fprintf(stderr, "usage: %s %s", ctx->prog, fetch_help);
		return TOOL_USAGE;
	}
	if (!strcmp(argv[optind], "vcek")) {
		what = KDS_VEK;
	} else if (!strcmp(argv[optind], "ca")) {
		what = KDS_CHAIN;
	} else if (!strcmp(argv[optind], "crl")) {
		what = KDS_CRL;
	} else {
		tool_err(ctx, "fetch: unknown item '%s' (vcek, ca or crl)", argv[optind]);
		return TOOL_USAGE;
	}
	if (!q.cache) {
		tool_err(ctx, "fetch: --cache DIR is required (where the certificates go)");
		return TOOL_USAGE;
	}
	if (q.base && strncmp(q.base, "https://", 8) && strncmp(q.base, "http://", 7)) {
		tool_err(ctx, "fetch: --kds takes an http:// or https:// URL");
		return TOOL_USAGE;
	}
	rc = load(ctx, argv[optind + 1], &r);
	if (!rc)
		rc = set_product(ctx, &r, product);
	if (!rc && roots_path)
		rc = tool_read_input(ctx, "fetch", "roots", roots_path, 1 << 20, NULL, &roots,
				     &roots_len);
	if (rc)
		goto out;
	q.r = &r;
	q.roots = roots;
	q.roots_len = roots_len;
	rc = kds_fetch(ctx, "fetch", &q, what);
out:
	if (roots)
		tool_free_secret(roots, roots_len);
	return rc;
}
