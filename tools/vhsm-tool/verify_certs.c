// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The certificate sources of report verify (see verify_certs.h).  Exactly
 * one of --vcek, --certs and --cert-table may name the VCEK/VLEK; without
 * any, a certificate table following the report in its file is used, and
 * else the cache (--cache) is searched by the verifier.  --fetch first
 * fetches from the KDS what the cache lacks: the VCEK (unless another source
 * gives it), the CA chain (unless --roots replaces AMD's) and the CRL (unless
 * --crl gives one).  The cache's CRL is used when no --crl is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kds.h"
#include "verify_certs.h"

int verify_certs_check_args(const struct tool_ctx *ctx, const struct verify_cert_args *a)
{
	int n = !!a->vcek + !!a->certs + !!a->table;

	if (n > 1) {
		tool_err(ctx, "report verify: --vcek, --certs and --cert-table each name the "
			 "VCEK/VLEK: give one of them");
		return TOOL_USAGE;
	}
	if (a->fetch && !a->cache) {
		tool_err(ctx, "report verify: --fetch needs --cache DIR (where the fetched "
			 "certificates go)");
		return TOOL_USAGE;
	}
	if (a->kds && !a->fetch) {
		tool_err(ctx, "report verify: --kds URL only matters with --fetch");
		return TOOL_USAGE;
	}
	return TOOL_OK;
}

static int read_table(const struct tool_ctx *ctx, const struct verify_cert_args *a,
		      bool vlek, struct certsrc *s)
{
	uint8_t *buf;
	size_t len;
	char what[600];
	int rc;

	rc = tool_read_input(ctx, "report verify", "certificate table", a->table, 1 << 20,
			     NULL, &buf, &len);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "--cert-table %s", a->table);
	rc = certsrc_from_table(ctx, what, buf, len, vlek, s);
	tool_free_secret(buf, len);
	return rc;
}

/* --fetch: what the cache lacks */
static int fetch_missing(const struct tool_ctx *ctx, const struct verify_cert_args *a,
			 const struct vhsm_report *r, bool have_vek)
{
	struct kds_req q = {
		.r = r, .cache = a->cache, .base = a->kds,
		.roots = a->roots, .roots_len = a->roots_len,
	};
	int rc = TOOL_OK;

	if (r->product == VHSM_PRODUCT_UNKNOWN) {
		tool_err(ctx, "report verify: --fetch: a v%u report does not name its product; "
			 "fetch with 'vhsm-tool fetch ... --product NAME'", r->version);
		return TOOL_USAGE;
	}
	if (!have_vek && !kds_cached(&q, KDS_VEK))
		rc = kds_fetch(ctx, "report verify", &q, KDS_VEK);
	if (!rc && !a->roots && !kds_cached(&q, KDS_CHAIN))
		rc = kds_fetch(ctx, "report verify", &q, KDS_CHAIN);
	if (!rc && !a->have_crl && !kds_cached(&q, KDS_CRL))
		rc = kds_fetch(ctx, "report verify", &q, KDS_CRL);
	return rc;
}

/* The cache's CRL for this report, when there is one. */
static int cached_crl(const struct tool_ctx *ctx, const struct verify_cert_args *a,
		      const struct vhsm_report *r, struct verify_certs *vc)
{
	struct kds_req q = { .r = r, .cache = a->cache };

	if (r->product == VHSM_PRODUCT_UNKNOWN || !kds_cached(&q, KDS_CRL) ||
	    kds_cache_path(&q, KDS_CRL, vc->crl_path, sizeof(vc->crl_path)))
		return TOOL_OK;
	return tool_read_input(ctx, "report verify", "CRL", vc->crl_path, 1 << 20, NULL,
			       &vc->crl, &vc->crl_len);
}

int verify_certs_prepare(const struct tool_ctx *ctx, const struct verify_cert_args *a,
			 const struct vhsm_report *r, const uint8_t *tail, size_t tail_len,
			 struct verify_certs *vc)
{
	bool vlek = r->signing_key == VHSM_SIGNING_KEY_VLEK;
	int rc = TOOL_OK;

	memset(vc, 0, sizeof(*vc));
	if (a->certs)
		rc = certsrc_from_dir(ctx, a->certs, vlek, &vc->src);
	else if (a->table)
		rc = read_table(ctx, a, vlek, &vc->src);
	else if (!a->vcek && tail_len)
		rc = certsrc_from_table(ctx, "the bytes after the report", tail, tail_len,
					vlek, &vc->src);
	else if (!a->vcek && !a->cache) {
		tool_err(ctx, "report verify: give the VCEK/VLEK: --vcek FILE, --certs DIR "
			 "(snpguest's folder), --cert-table FILE, or a cache with --cache DIR");
		return TOOL_USAGE;
	}
	if (!rc)
		rc = certsrc_check_roots(ctx, &vc->src, r->product, vlek, a->roots,
					 a->roots_len);
	if (!rc && a->fetch)
		rc = fetch_missing(ctx, a, r, a->vcek || vc->src.vek);
	if (!rc && a->cache && !a->have_crl)
		rc = cached_crl(ctx, a, r, vc);
	if (rc)
		verify_certs_free(vc);
	return rc;
}

void verify_certs_free(struct verify_certs *vc)
{
	certsrc_free(&vc->src);
	if (vc->crl)
		tool_free_secret(vc->crl, vc->crl_len);
	memset(vc, 0, sizeof(*vc));
}
