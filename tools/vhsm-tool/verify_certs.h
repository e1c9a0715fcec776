/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where report verify takes its certificates from: --vcek FILE (read by
 * report.c), --certs DIR (snpguest's folder), --cert-table FILE, a table
 * following the report in its file, --cache DIR (with --fetch: whatever the
 * cache lacks, from the KDS first).
 */
#ifndef VHSM_TOOL_VERIFY_CERTS_H
#define VHSM_TOOL_VERIFY_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vhsm/report.h>

#include "certdir.h"
#include "subcommands.h"

struct verify_cert_args {
	const char *vcek;	/* --vcek FILE (read elsewhere) */
	const char *certs;	/* --certs DIR */
	const char *table;	/* --cert-table FILE */
	const char *cache;	/* --cache DIR */
	const char *kds;	/* --kds URL */
	bool fetch;		/* --fetch */
	bool have_crl;		/* --crl given */
	const uint8_t *roots;	/* --roots bundle (NULL: AMD's) */
	size_t roots_len;
};

/* what report verify hands the verifier: a VEK and a CRL when found */
struct verify_certs {
	struct certsrc src;	/* src.vek NULL: --vcek, or the cache */
	uint8_t *crl;		/* the cache's CRL when no --crl was given */
	size_t crl_len;
	char crl_path[4096];
};

/* Option checks that need no input: TOOL_OK or TOOL_USAGE with a message. */
int verify_certs_check_args(const struct tool_ctx *ctx, const struct verify_cert_args *a);

/*
 * Gather the certificates for @r (@tail: the bytes after the report in its
 * file).  The folder's or table's ARK and ASK must be trusted ones
 * (certsrc_check_roots).  A TOOL_* code; a message on failure.
 */
int verify_certs_prepare(const struct tool_ctx *ctx, const struct verify_cert_args *a,
			 const struct vhsm_report *r, const uint8_t *tail, size_t tail_len,
			 struct verify_certs *out);

void verify_certs_free(struct verify_certs *vc);

#endif /* VHSM_TOOL_VERIFY_CERTS_H */
