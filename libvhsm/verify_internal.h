// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Private header of the SNP report verifier, shared by verify.c (the
 * vhsm_verify_report() entry point) and the verify_*.c files that do its
 * parts: verify_sig.c (report signature), verify_chain.c (certificate
 * loading, trust set, AMD chain, CRL and offline cache), verify_ext.c
 * (VCEK/VLEK extensions), verify_policy.c (appraisal policy) and
 * verify_result.c (result object). It holds the verification context they
 * pass around and the functions they call in each other; none of it is
 * exported from the library (every name is prefixed _vhsm_).
 */
#ifndef VHSM_VERIFY_INTERNAL_H
#define VHSM_VERIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/x509.h>

#include "vhsm/report.h"

/* What the VCEK/VLEK certificate says about itself. */
struct vek_info {
	bool is_vlek;
	bool has_hwid;
	enum vhsm_product product;
	char product_name[32];
	uint8_t hwid[64];
	size_t hwid_len;
};

/* State of one vhsm_verify_report() call. */
struct vctx {
	const struct vhsm_verify_opts *opts;
	struct vhsm_verify_result *res;
	struct vhsm_report rep;
	X509 *vek;
	struct vek_info info;
	STACK_OF(X509) *anchors;
	STACK_OF(X509) *asks;
	STACK_OF(X509) *asvks;
	STACK_OF(X509_CRL) *crls;
	int err;
};

/* Lower-case hex of p[0..n-1] into out (2 * n + 1 bytes, NUL-terminated). */
static inline void _vhsm_hex_str(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- verify_result.c ---- */

/*
 * Mark @check failed and add the reason "<check name>: <message>" (while
 * there is room; a failed allocation sets c->err to -ENOMEM).
 */
__attribute__((format(printf, 3, 4)))
void _vhsm_fail(struct vctx *c, enum vhsm_check check, const char *fmt, ...);

/* ---- verify_chain.c ---- */

/* First certificate of a PEM or DER buffer; NULL if none. */
X509 *_vhsm_load_cert(const void *buf, size_t len);

/* All CRLs of a PEM buffer, or the one DER CRL; NULL if none. */
STACK_OF(X509_CRL) *_vhsm_load_crls(const void *buf, size_t len);

/*
 * Read a whole (small) file, NUL-terminated, into a malloc'd *buf;
 * -ENOENT etc. from open, -EFBIG if too big.
 */
int _vhsm_read_file(const char *path, uint8_t **buf, size_t *len);

/* c->vek from opts->vek or the cache directory; -ENOKEY (and a reason) if none. */
int _vhsm_load_vek(struct vctx *c);

/* Trust set (custom or built-in roots) and the VEK -> ASK/ASVK -> ARK chain. */
int _vhsm_check_chain(struct vctx *c);

/* ---- verify_ext.c ---- */

void _vhsm_read_vek_info(X509 *x, struct vek_info *vi);

/* "VLEK" or "VCEK", as the certificate says. */
const char *_vhsm_vek_name(const struct vctx *c);

void _vhsm_check_product(struct vctx *c);
void _vhsm_check_key_type(struct vctx *c);
void _vhsm_check_tcb(struct vctx *c);
void _vhsm_check_hwid(struct vctx *c);

/* ---- verify_sig.c ---- */

void _vhsm_check_signature(struct vctx *c);

/* ---- verify_policy.c ---- */

void _vhsm_check_policy(struct vctx *c);

#endif /* VHSM_VERIFY_INTERNAL_H */
