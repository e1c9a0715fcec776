// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The checks of the SNP report verifier, as verify.c (the top) runs them.
 * Each records its failures through _vhsm_fail() (ctx.h).
 */
#ifndef VHSM_VERIFY_CHECKS_H
#define VHSM_VERIFY_CHECKS_H

#include <stdbool.h>

#include "ctx.h"

/* ---- vek.c ---- */

/*
 * The VEK from opts->vek or the cache directory: c->info and c->pkey, from
 * the certificate cache or by parsing it (c->vek); -ENOKEY (and a reason)
 * if none, -EINVAL if it does not parse.
 */
int _vhsm_load_vek(struct vctx *c);

/* ---- chain.c ---- */

/*
 * For ctx_init, with opts->crl given: sets c->crl_digest and says whether
 * the CRL must be parsed now (to fail early with -EINVAL); false when the
 * certificate cache holds a chain verified with exactly these CRL bytes
 * (so they are known to parse; the chain check parses them on a miss).
 */
bool _vhsm_crl_needs_parse(struct vctx *c);

/* Trust set (custom or built-in roots) and the VEK -> ASK/ASVK -> ARK chain. */
int _vhsm_check_chain(struct vctx *c);

/* ---- ext.c ---- */

void _vhsm_check_product(struct vctx *c);
void _vhsm_check_key_type(struct vctx *c);
void _vhsm_check_tcb(struct vctx *c);
void _vhsm_check_hwid(struct vctx *c);

/* ---- sig.c ---- */

void _vhsm_check_signature(struct vctx *c);

/* ---- policy.c ---- */

void _vhsm_check_policy(struct vctx *c);

#endif /* VHSM_VERIFY_CHECKS_H */
