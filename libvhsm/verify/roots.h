// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Trust set of the SNP report verifier (roots.c), used by the chain check.
 */
#ifndef VHSM_VERIFY_ROOTS_H
#define VHSM_VERIFY_ROOTS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "cache.h"
#include "ctx.h"

/* <cache_dir>/<Product>/{ark,ask,asvk}.pem as read (NULL when absent). */
struct root_files {
	uint8_t *buf[3];
	size_t len[3];
};

/* Push @x onto @sk with a reference of its own; -ENOMEM. */
int _vhsm_push_dup(STACK_OF(X509) *sk, X509 *x);

/* Custom roots into c->anchors/asks/asvks; -EINVAL if none parse. */
int _vhsm_load_custom_roots(struct vctx *c);

/* Read (and free) the cache directory's root files of the report's product. */
void _vhsm_read_root_files(const struct vctx *c, struct root_files *rf);
void _vhsm_free_root_files(struct root_files *rf);

/* Built-in roots of the product into c->anchors/asks/asvks, @rf replacing. */
int _vhsm_load_builtin_roots(struct vctx *c, const struct root_files *rf);

/* The trust set's part of the cache key (roots_kind, roots). */
int _vhsm_roots_id(const struct vctx *c, const struct root_files *rf,
		   struct cache_key *k);

#endif /* VHSM_VERIFY_ROOTS_H */
