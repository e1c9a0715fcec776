/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AMD's Key Distribution Service (KDS): its URLs, the offline cache that
 * report verify --cache reads, and fetching with retries (docs/kds.md).
 */
#ifndef VHSM_TOOL_KDS_H
#define VHSM_TOOL_KDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vhsm/report.h>

#include "subcommands.h"

#define KDS_DEFAULT_URL "https://kdsintf.amd.com"

enum kds_item {
	KDS_VEK,	/* the report's VCEK (VLEKs go only to cloud providers) */
	KDS_CHAIN,	/* ASK (ASVK for a VLEK report) and ARK */
	KDS_CRL,	/* the ARK's CRL */
};

/* what a fetch needs to know besides the item */
struct kds_req {
	const struct vhsm_report *r;	/* product known (vhsm_report_set_product) */
	const char *cache;		/* cache directory */
	const char *base;		/* KDS base URL, NULL for AMD's */
	const uint8_t *roots;		/* --roots bundle, NULL for AMD's built-in */
	size_t roots_len;
};

/* URL of @what for the report; -EOPNOTSUPP for a VLEK, -ENAMETOOLONG. */
int kds_url(const struct kds_req *q, enum kds_item what, char *buf, size_t size);
/* The cache file of @what (for KDS_CHAIN: the ASK/ASVK's); -ENAMETOOLONG. */
int kds_cache_path(const struct kds_req *q, enum kds_item what, char *buf, size_t size);
/* Whether the cache holds @what. */
bool kds_cached(const struct kds_req *q, enum kds_item what);
/*
 * Fetch @what into the cache (checked before it is stored: a certificate,
 * the chain's ARK a trusted one, a CRL).  Prints one message on failure.
 * TOOL_OK, TOOL_ERROR, TOOL_USAGE (VLEK), TOOL_REFUSED (untrusted chain).
 */
int kds_fetch(const struct tool_ctx *ctx, const char *cmd, const struct kds_req *q,
	      enum kds_item what);

#endif /* VHSM_TOOL_KDS_H */
