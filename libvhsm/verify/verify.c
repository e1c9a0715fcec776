// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SEV-SNP report verification, vhsm_verify_report(): the top of the
 * verifier (libvhsm/verify/, layered as ctx.h describes).  It sets up the
 * verification context, finds the VCEK/VLEK (vek.c) and runs the checks in
 * order (product, signature, key type, TCB, chip id, chain, policy); the
 * checks live in ext.c (VCEK/VLEK extensions), sig.c (report signature),
 * chain.c (the AMD chain, on the trust set of roots.c) and policy.c, the
 * reasons and the JSON in ctx.c and result.c.  What does not change from
 * call to call (the parsed VEK, the verified chain) comes from the
 * certificate cache (cache.c); the report signature and the report checks
 * run every time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "checks.h"
#include "load.h"

static int ctx_init(struct vctx *c, const struct vhsm_report *r,
		    const struct vhsm_verify_opts *opts, struct vhsm_verify_result *res)
{
	memset(c, 0, sizeof(*c));
	c->opts = opts;
	c->res = res;
	c->rep = *r;
	c->res->product = r->product;
	res->reasons = calloc(VHSM_VERIFY_MAX_REASONS, sizeof(char *));
	c->anchors = sk_X509_new_null();
	c->asks = sk_X509_new_null();
	c->asvks = sk_X509_new_null();
	if (!res->reasons || !c->anchors || !c->asks || !c->asvks)
		return -ENOMEM;
	/* a CRL known to parse (from the certificate cache) is parsed on demand */
	if (opts->crl && _vhsm_crl_needs_parse(c)) {
		c->crls = _vhsm_load_crls(opts->crl, opts->crl_len);
		if (!c->crls)
			return -EINVAL;
	}
	return 0;
}

static void ctx_free(struct vctx *c)
{
	X509_free(c->vek);
	EVP_PKEY_free(c->pkey);
	free(c->vek_own);
	sk_X509_pop_free(c->anchors, X509_free);
	sk_X509_pop_free(c->asks, X509_free);
	sk_X509_pop_free(c->asvks, X509_free);
	sk_X509_CRL_pop_free(c->crls, X509_CRL_free);
}

static int run_checks(struct vctx *c)
{
	int err = _vhsm_load_vek(c);

	if (err)
		return err;
	_vhsm_check_product(c);
	_vhsm_check_signature(c);
	_vhsm_check_key_type(c);
	_vhsm_check_tcb(c);
	_vhsm_check_hwid(c);
	err = _vhsm_check_chain(c);
	if (err)
		return err;
	_vhsm_check_policy(c);
	return c->err;
}

int vhsm_verify_report(const struct vhsm_report *r,
		       const struct vhsm_verify_opts *opts,
		       struct vhsm_verify_result *res)
{
	struct vctx *c;
	int err;

	if (!res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (!r || !opts || (opts->roots && !opts->roots_len))
		return -EINVAL;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	ERR_set_mark();
	err = ctx_init(c, r, opts, res);
	if (!err)
		err = run_checks(c);
	ctx_free(c);
	free(c);
	ERR_pop_to_mark();
	if (!err && res->failed)
		err = -EKEYREJECTED;
	return err;
}
