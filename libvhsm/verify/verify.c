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
#include <stdint.h>
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
	c->rep.size = sizeof(c->rep);
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

/* What the caller's options leave out of a full verification. */
static uint32_t weakened(const struct vhsm_verify_opts *o)
{
	uint32_t w = 0;

	if (o->flags & VHSM_VERIFY_NO_CHECK_TIME)
		w |= VHSM_WEAK_NO_CHECK_TIME;
	if (o->roots)
		w |= VHSM_WEAK_CUSTOM_ROOTS;
	if (!o->crl)
		w |= VHSM_WEAK_NO_CRL;
	if (o->flags & VHSM_VERIFY_NO_POLICY)
		w |= VHSM_WEAK_NO_POLICY;
	return w;
}

/* The claims and the signing key into the result (after the checks). */
static int fill_claims(const struct vctx *c, struct vhsm_verify_result *res)
{
	res->report = malloc(sizeof(*res->report));
	if (!res->report)
		return -ENOMEM;
	*res->report = c->rep;
	if (!c->vek_buf)
		return 0;	/* no VEK was read */
	if (c->info.serial[0] && !(res->vek_serial = strdup(c->info.serial)))
		return -ENOMEM;
	if (c->info.subject[0] && !(res->vek_subject = strdup(c->info.subject)))
		return -ENOMEM;
	return 0;
}

static int verify(const struct vhsm_report *r, const struct vhsm_verify_opts *opts,
		  struct vhsm_verify_result *res)
{
	struct vhsm_policy def;
	struct vctx *c;
	int err, err2;

	if (opts->policy && opts->policy->size < VHSM_POLICY_STRUCT_MIN)
		return -EINVAL;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	ERR_set_mark();
	err = ctx_init(c, r, opts, res);
	vhsm_policy_init(&def);
	c->policy = opts->policy ? opts->policy : &def;
	if (!err)
		err = run_checks(c);
	err2 = fill_claims(c, res);
	if (!err || err == -ENOKEY)
		err = err2 ?: err;
	ctx_free(c);
	free(c);
	ERR_pop_to_mark();
	return err;
}

int vhsm_verify_report(const struct vhsm_report *r,
		       const struct vhsm_verify_opts *opts,
		       struct vhsm_verify_result *res)
{
	int err;

	if (!res || res->size < VHSM_RESULT_STRUCT_MIN)
		return -EINVAL;
	memset((char *)res + sizeof(res->size), 0, sizeof(*res) - sizeof(res->size));
	if (!r || r->size < VHSM_REPORT_STRUCT_MIN || !opts ||
	    opts->size < VHSM_OPTS_STRUCT_MIN || (opts->roots && !opts->roots_len))
		return -EINVAL;
	res->weakened = weakened(opts);
	err = verify(r, opts, res);
	if (!err && res->failed)
		err = -EKEYREJECTED;
	return err;
}

int vhsm_verify_report_bytes(const void *buf, size_t len,
			     const struct vhsm_verify_opts *opts,
			     struct vhsm_verify_result *res)
{
	struct vhsm_report r;
	int err;

	if (!res || res->size < VHSM_RESULT_STRUCT_MIN)
		return -EINVAL;
	err = vhsm_report_parse(buf, len, &r);
	if (err) {
		memset((char *)res + sizeof(res->size), 0, sizeof(*res) - sizeof(res->size));
		return err;
	}
	return vhsm_verify_report(&r, opts, res);
}
