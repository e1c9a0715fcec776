// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The "chain" check of the SNP report verifier: VEK -> ASK/ASVK -> ARK with
 * OpenSSL's X509_STORE (RSA-PSS), the ARK as the only trust anchor, the
 * exact shape of the chain, validity dates and, when given, CRLs.  A passed
 * chain goes into the certificate cache (cache.c) with the time window in
 * which it keeps passing; a later call with the same inputs in that window
 * skips the check.  The trust set comes from roots.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "cache.h"
#include "checks.h"
#include "load.h"
#include "roots.h"

bool _vhsm_crl_needs_parse(struct vctx *c)
{
	SHA256(c->opts->crl, c->opts->crl_len, c->crl_digest);
	return !_vhsm_cache_has_crl(c->crl_digest);
}

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	/* A CRL is only applied to certificates whose issuer published one. */
	if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

static const char *depth_role(const struct vctx *c, int depth)
{
	static const char *const vcek[] = { "VCEK", "ASK", "ARK" };
	static const char *const vlek[] = { "VLEK", "ASVK", "ARK" };

	if (depth < 0 || depth > 2)
		return "certificate";
	return c->info.is_vlek ? vlek[depth] : vcek[depth];
}

static void chain_error(struct vctx *c, int e, int depth)
{
	const char *who = depth_role(c, depth), *by = depth_role(c, depth + 1);

	switch (e) {
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		if (depth == 2)
			_vhsm_fail(c, VHSM_CHECK_CHAIN, "ARK self-signature does not verify");
		else
			_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s not signed by %s", who, by);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s not signed by %s (no trusted issuer found)",
			   who, by);
		break;
	case X509_V_ERR_CERT_REVOKED:
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s is revoked by the CRL", who);
		break;
	default:
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s: %s", who, X509_verify_cert_error_string(e));
	}
}

static bool in_stack(STACK_OF(X509) *sk, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(sk); i++)
		if (!X509_cmp(sk_X509_value(sk, i), x))
			return true;
	return false;
}

/* After a successful X509_verify_cert: exact shape VEK -> ASK/ASVK -> ARK. */
static bool check_chain_shape(struct vctx *c, STACK_OF(X509) *chain)
{
	STACK_OF(X509) *want = c->info.is_vlek ? c->asvks : c->asks;

	if (sk_X509_num(chain) != 3) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "expected %s -> %s -> ARK, got %d certificates",
			   depth_role(c, 0), depth_role(c, 1), sk_X509_num(chain));
		return false;
	}
	if (!in_stack(want, sk_X509_value(chain, 1))) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s not signed by the %s", depth_role(c, 0),
			   depth_role(c, 1));
		return false;
	}
	return true;
}

static bool crl_matches_chain(struct vctx *c, STACK_OF(X509) *chain)
{
	int i, j;

	for (i = 0; i < sk_X509_CRL_num(c->crls); i++) {
		X509_NAME *iss = X509_CRL_get_issuer(sk_X509_CRL_value(c->crls, i));

		for (j = 0; j < sk_X509_num(chain); j++)
			if (!X509_NAME_cmp(iss, X509_get_subject_name(sk_X509_value(chain, j))))
				return true;
	}
	return false;
}

/* Seconds since the epoch of an ASN.1 time; false if it does not convert. */
static bool asn1_secs(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return false;
	*out = (int64_t)timegm(&tm);
	return true;
}

/*
 * The window in which this (passed) chain check passes again: X509_verify_cert
 * rejects a certificate unless notBefore <= now < notAfter, a CRL unless
 * thisUpdate <= now < nextUpdate (when it has one).  false: do not cache.
 */
static bool chain_window(const struct vctx *c, STACK_OF(X509) *chain,
			 int64_t *from, int64_t *until)
{
	int64_t t;
	int i;

	*from = INT64_MIN;
	*until = INT64_MAX;
	if (c->opts->flags & VHSM_VERIFY_NO_CHECK_TIME)
		return true;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);

		if (!asn1_secs(X509_get0_notBefore(x), &t))
			return false;
		if (t > *from)
			*from = t;
		if (!asn1_secs(X509_get0_notAfter(x), &t))
			return false;
		if (t < *until)
			*until = t;
	}
	for (i = 0; i < sk_X509_CRL_num(c->crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(c->crls, i);

		if (!asn1_secs(X509_CRL_get0_lastUpdate(crl), &t))
			return false;
		if (t > *from)
			*from = t;
		if (!X509_CRL_get0_nextUpdate(crl))
			continue;
		if (!asn1_secs(X509_CRL_get0_nextUpdate(crl), &t))
			return false;
		if (t < *until)
			*until = t;
	}
	return true;
}

static int setup_store(struct vctx *c, X509_STORE *st)
{
	unsigned long flags = X509_V_FLAG_CHECK_SS_SIGNATURE;
	int i;

	for (i = 0; i < sk_X509_num(c->anchors); i++)
		if (!X509_STORE_add_cert(st, sk_X509_value(c->anchors, i)))
			return -ENOMEM;
	for (i = 0; i < sk_X509_CRL_num(c->crls); i++)
		if (!X509_STORE_add_crl(st, sk_X509_CRL_value(c->crls, i)))
			return -ENOMEM;
	if (c->crls)
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	if (c->opts->flags & VHSM_VERIFY_NO_CHECK_TIME)
		flags |= X509_V_FLAG_NO_CHECK_TIME;
	X509_STORE_set_flags(st, flags);
	X509_STORE_set_verify_cb(st, verify_cb);
	return 0;
}

/*
 * X509_verify_cert and the shape/CRL checks; *cache_ok when all passed and
 * the window [*from, *until) is known.
 */
static int run_chain(struct vctx *c, STACK_OF(X509) *untrusted, bool *cache_ok,
		     int64_t *from, int64_t *until)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain;
	int err = -ENOMEM;

	*cache_ok = false;
	if (!st || !ctx || setup_store(c, st) ||
	    !X509_STORE_CTX_init(ctx, st, c->vek, untrusted))
		goto out;
	err = 0;
	if (X509_verify_cert(ctx) != 1) {
		chain_error(c, X509_STORE_CTX_get_error(ctx),
			    X509_STORE_CTX_get_error_depth(ctx));
		goto out;
	}
	chain = X509_STORE_CTX_get0_chain(ctx);
	if (!check_chain_shape(c, chain))
		goto out;
	if (c->crls && !crl_matches_chain(c, chain)) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN,
			   "CRL is not issued by any certificate of the chain");
		goto out;
	}
	*cache_ok = chain_window(c, chain, from, until);
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return err;
}

/* The full chain check (a cache miss); caches a pass. */
static int verify_chain(struct vctx *c, const struct root_files *rf,
			const struct cache_key *key)
{
	STACK_OF(X509) *untrusted;
	int64_t from, until;
	bool cache_ok = false;
	int i, err;

	/* a VEK or CRL known to parse (from the cache) is parsed only now */
	if (!c->vek && !(c->vek = _vhsm_load_cert(c->vek_buf, c->vek_len)))
		return -EINVAL;
	if (c->opts->crl && !c->crls &&
	    !(c->crls = _vhsm_load_crls(c->opts->crl, c->opts->crl_len)))
		return -EINVAL;
	untrusted = sk_X509_new_null();
	if (!untrusted)
		return -ENOMEM;
	err = c->opts->roots ? _vhsm_load_custom_roots(c) : _vhsm_load_builtin_roots(c, rf);
	for (i = 0; !err && i < sk_X509_num(c->asks); i++)
		err = _vhsm_push_dup(untrusted, sk_X509_value(c->asks, i));
	for (i = 0; !err && i < sk_X509_num(c->asvks); i++)
		err = _vhsm_push_dup(untrusted, sk_X509_value(c->asvks, i));
	if (!err && sk_X509_num(c->anchors) == 0) {
		if (!(c->res->failed & VHSM_CHECK_CHAIN))
			_vhsm_fail(c, VHSM_CHECK_CHAIN, "no self-signed ARK in the trust set");
	} else if (!err) {
		err = run_chain(c, untrusted, &cache_ok, &from, &until);
	}
	sk_X509_pop_free(untrusted, X509_free);
	if (!err && cache_ok && !c->err)
		_vhsm_cache_put(key, from, until, c->pkey, &c->info);
	return err;
}

int _vhsm_check_chain(struct vctx *c)
{
	struct root_files rf;
	struct cache_key key;
	int err;

	_vhsm_ran(c, VHSM_CHECK_CHAIN);
	if (!c->opts->roots && c->rep.product == VHSM_PRODUCT_UNKNOWN) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "product unknown, no AMD root to verify against");
		return 0;
	}
	memset(&key, 0, sizeof(key));
	memcpy(key.vek, c->vek_digest, sizeof(key.vek));
	key.has_crl = c->opts->crl != NULL;
	if (key.has_crl)
		memcpy(key.crl, c->crl_digest, sizeof(key.crl));
	key.flags = c->opts->flags;
	if (!c->opts->roots)
		_vhsm_read_root_files(c, &rf);
	else
		memset(&rf, 0, sizeof(rf));
	err = _vhsm_roots_id(c, &rf, &key);
	if (!err && !_vhsm_cache_get_chain(&key, (int64_t)time(NULL)))
		err = verify_chain(c, &rf, &key);
	_vhsm_free_root_files(&rf);
	return err;
}
