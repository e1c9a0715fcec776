// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The process-wide certificate cache of the SNP report verifier (cache.c;
 * what it keeps and why a hit gives the same answer is explained there):
 * parsed VEKs, verified chains and the built-in AMD roots.  Used by the
 * chain check (chain.c), the trust set (roots.c) and the VEK lookup
 * (vek.c); below them, above load.c.  Every call takes the cache's mutex.
 */
#ifndef VHSM_VERIFY_CACHE_H
#define VHSM_VERIFY_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ctx.h"

#define CACHE_SIZE 64

enum vhsm_root_role { ROLE_ARK, ROLE_ASK, ROLE_ASVK };

enum roots_kind { ROOTS_BUILTIN = 1, ROOTS_CUSTOM };

/* What a verified chain depends on (see cache.c). */
struct cache_key {
	uint8_t vek[32];	/* SHA-256 of the VEK bytes as given */
	uint8_t roots[32];	/* SHA-256 of the trust set, see _vhsm_roots_id() */
	uint8_t crl[32];	/* SHA-256 of the CRL bytes */
	enum roots_kind roots_kind;
	bool has_crl;
	unsigned int flags;	/* opts->flags */
};

/* The parsed VEK of any entry with this VEK digest (pkey up-ref'd). */
bool _vhsm_cache_get_vek(const uint8_t digest[32], struct vek_info *info,
			 EVP_PKEY **pkey);

/* Whether a chain with this key passed and still passes at @now. */
bool _vhsm_cache_get_chain(const struct cache_key *k, int64_t now);

/* Record a passed chain check valid in [from, until) (best effort). */
void _vhsm_cache_put(const struct cache_key *k, int64_t from, int64_t until,
		     EVP_PKEY *pkey, const struct vek_info *info);

/* Whether a cached chain was verified with a CRL of this SHA-256. */
bool _vhsm_cache_has_crl(const uint8_t digest[32]);

/* Built-in root of product @p (known) and @role, up-ref'd; NULL on ENOMEM. */
X509 *_vhsm_cache_builtin_root(enum vhsm_product p, enum vhsm_root_role role);

/* For tests: drop every entry; hit and miss counters. */
void _vhsm_verify_cache_flush(void);
void _vhsm_verify_cache_stats(unsigned long *hits, unsigned long *misses);

#endif /* VHSM_VERIFY_CACHE_H */
