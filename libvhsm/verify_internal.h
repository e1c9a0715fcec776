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

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "vhsm/report.h"

/* SPL extensions 1.3.6.1.4.1.3704.1.3.<n>, n = 1..9 */
#define VEK_N_SPL 10

/*
 * What the VCEK/VLEK certificate says about itself: everything the checks
 * of verify_ext.c read from it, decoded once (and kept in the certificate
 * cache of verify_chain.c, so a plain value, no pointers).
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
};

/* State of one vhsm_verify_report() call. */
struct vctx {
	const struct vhsm_verify_opts *opts;
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

/*
 * The VEK from opts->vek or the cache directory: c->info and c->pkey, from
 * the certificate cache or by parsing it (c->vek); -ENOKEY (and a reason)
 * if none, -EINVAL if it does not parse.
 */
int _vhsm_load_vek(struct vctx *c);

/*
 * For ctx_init, with opts->crl given: sets c->crl_digest and says whether
 * the CRL must be parsed now (to fail early with -EINVAL); false when the
 * certificate cache holds a chain verified with exactly these CRL bytes
 * (so they are known to parse; the chain check parses them on a miss).
 */
bool _vhsm_crl_needs_parse(struct vctx *c);

/* Trust set (custom or built-in roots) and the VEK -> ASK/ASVK -> ARK chain. */
int _vhsm_check_chain(struct vctx *c);

/* Certificate cache (verify_chain.c), for tests: drop every entry; counters. */
void _vhsm_verify_cache_flush(void);
void _vhsm_verify_cache_stats(unsigned long *hits, unsigned long *misses);

/* ---- verify_ext.c ---- */

/* Decode everything the checks need from the VEK's extensions. */
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
