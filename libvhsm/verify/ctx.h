// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bottom layer of the SNP report verifier (libvhsm/verify/): the state of
 * one vhsm_verify_report() call (struct vctx), what the VCEK/VLEK says about
 * itself (struct vek_info) and the helpers every check uses to record a
 * failure (_vhsm_fail, in ctx.c) and print bytes (_vhsm_hex_str).  It
 * includes nothing of the verifier; every other file of the verifier
 * includes it.  The files point one way, from the public API down:
 *
 *   verify.c                 vhsm_verify_report(): runs the checks (checks.h)
 *   sig.c ext.c chain.c      the checks: report signature, VEK extensions vs
 *   vek.c policy.c           the report, the AMD chain, finding the VEK,
 *                            the appraisal policy
 *   roots.c                  the trust set the chain check uses (roots.h)
 *   cache.c                  the process-wide certificate cache (cache.h)
 *   load.c vekinfo.c         reading certificates, CRLs, files (load.h)
 *   ctx.c  result.c          failures and check names; the public result
 *   policy_json.c            the JSON policy loader (public)
 *
 * None of it is exported from the library (every name is prefixed _vhsm_).
 */
#ifndef VHSM_VERIFY_CTX_H
#define VHSM_VERIFY_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "../report_internal.h"

/* SPL extensions 1.3.6.1.4.1.3704.1.3.<n>, n = 1..9 */
#define VEK_N_SPL 10

/*
 * What the VCEK/VLEK certificate says about itself: everything the checks
 * of ext.c read from it, decoded once by vekinfo.c (and kept in the
 * certificate cache, so a plain value, no pointers).
 */
struct vek_info {
	bool is_vlek;
	bool has_hwid;
	enum vhsm_product product;
	char product_name[32];
	uint8_t hwid[64];
	size_t hwid_len;
	/* 3.<n>: spl_err[n] 0, -ENOENT (absent) or -EBADMSG; value in spl[n] */
	int spl_err[VEK_N_SPL];
	int64_t spl[VEK_N_SPL];
	char serial[130];	/* serial number, lowercase hex */
	char subject[512];	/* subject, RFC 2253 ("" if it does not fit) */
};

/* State of one vhsm_verify_report() call. */
struct vctx {
	const struct vhsm_verify_opts *opts;
	const struct vhsm_policy *policy;	/* opts->policy or the default */
	struct vhsm_verify_result *res;
	struct vhsm_report rep;
	/*
	 * The VEK as given (opts->vek, or vek_own read from the cache dir) and
	 * its SHA-256.  vek is the parsed certificate, NULL when info and pkey
	 * came from the certificate cache (parsed by the chain check only on a
	 * cache miss); pkey is its public key (own reference, may be NULL).
	 */
	const uint8_t *vek_buf;
	size_t vek_len;
	uint8_t *vek_own;
	uint8_t vek_digest[32];
	X509 *vek;
	EVP_PKEY *pkey;
	struct vek_info info;
	STACK_OF(X509) *anchors;
	STACK_OF(X509) *asks;
	STACK_OF(X509) *asvks;
	STACK_OF(X509_CRL) *crls;	/* NULL until parsed (see ctx_init) */
	uint8_t crl_digest[32];		/* SHA-256 of opts->crl, if given */
	int err;
};

/* Lower-case hex of p[0..n-1] into out (2 * n + 1 bytes, NUL-terminated). */
static inline void _vhsm_hex_str(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* "VLEK" or "VCEK", as the certificate says. */
static inline const char *_vhsm_vek_name(const struct vctx *c)
{
	return c->info.is_vlek ? "VLEK" : "VCEK";
}

/* Record that the checks of @mask ran. */
static inline void _vhsm_ran(struct vctx *c, uint32_t mask)
{
	c->res->checks |= mask;
}

/*
 * Mark @check failed and add the reason "<check name>: <message>" (while
 * there is room; a failed allocation sets c->err to -ENOMEM).  ctx.c.
 */
__attribute__((format(printf, 3, 4)))
void _vhsm_fail(struct vctx *c, enum vhsm_check check, const char *fmt, ...);

#endif /* VHSM_VERIFY_CTX_H */
