// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Certificate chain of the SNP report verifier: loading certificates, CRLs
 * and small files; the trust set (custom roots, or the built-in AMD ARK,
 * ASK and ASVK of the product, each of which the offline cache directory can
 * override); the VCEK/VLEK taken from the options or the cache directory;
 * and the "chain" check, VEK -> ASK/ASVK -> ARK with OpenSSL's X509_STORE
 * (RSA-PSS), optionally against a CRL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "verify_internal.h"

/*
 * Generated at build time by libvhsm/roots/gen-roots.sh:
 * [Milan, Genoa, Turin][ARK, ASK, ASVK] as PEM strings.
 */
extern const char *const vhsm_verify_builtin_pem[3][3];

#define MAX_FILE_SIZE (1u << 20)

enum root_role { ROLE_ARK, ROLE_ASK, ROLE_ASVK };

/* ---- loading certificates, CRLs and files ---- */

static bool is_pem(const void *buf, size_t len)
{
	return memmem(buf, len, "-----BEGIN", 10) != NULL;
}

static BIO *mem_bio(const void *buf, size_t len)
{
	if (len > MAX_FILE_SIZE)
		return NULL;
	return BIO_new_mem_buf(buf, (int)len);
}

X509 *_vhsm_load_cert(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *x = NULL;
	BIO *bio;

	if (!is_pem(buf, len))
		return len <= MAX_FILE_SIZE ? d2i_X509(NULL, &p, (long)len) : NULL;
	bio = mem_bio(buf, len);
	if (bio) {
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	return x;
}

/*
 * Defines STACK_OF(TYPE) *name(buf, len) for TYPE X509 or X509_CRL: every
 * TYPE of a PEM buffer (up to the first block that does not parse), or the
 * one TYPE of a DER buffer; NULL if there is none.
 */
#define DEFINE_LOAD_ALL(name, TYPE)						\
static STACK_OF(TYPE) *name(const void *buf, size_t len)			\
{										\
	STACK_OF(TYPE) *sk = sk_##TYPE##_new_null();				\
	const unsigned char *p = buf;						\
	TYPE *x = NULL;								\
	BIO *bio;								\
										\
	if (!sk || len > MAX_FILE_SIZE)						\
		goto fail;							\
	if (!is_pem(buf, len)) {						\
		x = d2i_##TYPE(NULL, &p, (long)len);				\
		if (!x || !sk_##TYPE##_push(sk, x))				\
			goto fail;						\
		return sk;							\
	}									\
	bio = mem_bio(buf, len);						\
	if (!bio)								\
		goto fail;							\
	while ((x = PEM_read_bio_##TYPE(bio, NULL, NULL, NULL))) {		\
		if (!sk_##TYPE##_push(sk, x)) {					\
			BIO_free(bio);						\
			goto fail;						\
		}								\
	}									\
	BIO_free(bio);								\
	if (sk_##TYPE##_num(sk) > 0)						\
		return sk;							\
fail:										\
	TYPE##_free(x);								\
	sk_##TYPE##_pop_free(sk, TYPE##_free);					\
	return NULL;								\
}

DEFINE_LOAD_ALL(load_certs, X509)
DEFINE_LOAD_ALL(load_crls, X509_CRL)

STACK_OF(X509_CRL) *_vhsm_load_crls(const void *buf, size_t len)
{
	return load_crls(buf, len);
}

int _vhsm_read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t n;
	FILE *f;

	*buf = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || st.st_size > MAX_FILE_SIZE) {
		fclose(f);
		return -EFBIG;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

/* First certificate of a (small) PEM or DER file; NULL if none. */
static X509 *load_cert_file(const char *path)
{
	uint8_t *buf;
	size_t len;
	X509 *x;

	if (_vhsm_read_file(path, &buf, &len))
		return NULL;
	x = _vhsm_load_cert(buf, len);
	free(buf);
	return x;
}

/* ---- trust set ---- */

static int push_dup(STACK_OF(X509) *sk, X509 *x)
{
	if (!X509_up_ref(x))
		return -ENOMEM;
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return -ENOMEM;
	}
	return 0;
}

static bool cn_contains(X509 *x, const char *needle)
{
	char cn[256];

	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
				      cn, sizeof(cn)) < 0)
		return false;
	return strstr(cn, needle) != NULL;
}

/* Custom roots: self-signed -> anchor; CN with "VLEK" -> ASVK; else ASK. */
static int load_custom_roots(struct vctx *c)
{
	STACK_OF(X509) *sk = load_certs(c->opts->roots, c->opts->roots_len);
	int i, err = 0;

	if (!sk)
		return -EINVAL;
	for (i = 0; i < sk_X509_num(sk) && !err; i++) {
		X509 *x = sk_X509_value(sk, i);

		if (X509_self_signed(x, 0) == 1)
			err = push_dup(c->anchors, x);
		else if (cn_contains(x, "VLEK"))
			err = push_dup(c->asvks, x);
		else
			err = push_dup(c->asks, x);
	}
	sk_X509_pop_free(sk, X509_free);
	return err;
}

static STACK_OF(X509) *role_stack(struct vctx *c, enum root_role role)
{
	if (role == ROLE_ARK)
		return c->anchors;
	return role == ROLE_ASK ? c->asks : c->asvks;
}

static X509 *cached_root(struct vctx *c, enum root_role role)
{
	static const char *const files[] = { "ark.pem", "ask.pem", "asvk.pem" };
	char path[4096];

	if (!c->opts->cache_dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s/%s", c->opts->cache_dir,
		 vhsm_report_product_name(c->rep.product), files[role]);
	return load_cert_file(path);
}

static int load_builtin_roots(struct vctx *c)
{
	enum vhsm_product p = c->rep.product;
	int role, err = 0;

	if (p == VHSM_PRODUCT_UNKNOWN) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "product unknown, no AMD root to verify against");
		return 0;
	}
	for (role = ROLE_ARK; role <= ROLE_ASVK && !err; role++) {
		const char *pem = vhsm_verify_builtin_pem[p - 1][role];
		X509 *x = cached_root(c, role);

		if (!x)
			x = _vhsm_load_cert(pem, strlen(pem));
		if (!x)
			return -ENOMEM;
		err = push_dup(role_stack(c, role), x);
		X509_free(x);
	}
	return err;
}

/* ---- chain ---- */

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
static void check_chain_shape(struct vctx *c, STACK_OF(X509) *chain)
{
	STACK_OF(X509) *want = c->info.is_vlek ? c->asvks : c->asks;

	if (sk_X509_num(chain) != 3) {
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "expected %s -> %s -> ARK, got %d certificates",
			   depth_role(c, 0), depth_role(c, 1), sk_X509_num(chain));
		return;
	}
	if (!in_stack(want, sk_X509_value(chain, 1)))
		_vhsm_fail(c, VHSM_CHECK_CHAIN, "%s not signed by the %s", depth_role(c, 0),
			   depth_role(c, 1));
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

static int run_chain(struct vctx *c, STACK_OF(X509) *untrusted)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int err = -ENOMEM;

	if (!st || !ctx || setup_store(c, st) ||
	    !X509_STORE_CTX_init(ctx, st, c->vek, untrusted))
		goto out;
	err = 0;
	if (X509_verify_cert(ctx) != 1) {
		chain_error(c, X509_STORE_CTX_get_error(ctx),
			    X509_STORE_CTX_get_error_depth(ctx));
		goto out;
	}
	check_chain_shape(c, X509_STORE_CTX_get0_chain(ctx));
	if (c->crls && !crl_matches_chain(c, X509_STORE_CTX_get0_chain(ctx)))
		_vhsm_fail(c, VHSM_CHECK_CHAIN,
			   "CRL is not issued by any certificate of the chain");
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return err;
}

int _vhsm_check_chain(struct vctx *c)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int i, err;

	if (!untrusted)
		return -ENOMEM;
	err = c->opts->roots ? load_custom_roots(c) : load_builtin_roots(c);
	for (i = 0; !err && i < sk_X509_num(c->asks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asks, i));
	for (i = 0; !err && i < sk_X509_num(c->asvks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asvks, i));
	if (!err && sk_X509_num(c->anchors) == 0) {
		if (!(c->res->failed & VHSM_CHECK_CHAIN))
			_vhsm_fail(c, VHSM_CHECK_CHAIN, "no self-signed ARK in the trust set");
	} else if (!err) {
		err = run_chain(c, untrusted);
	}
	sk_X509_pop_free(untrusted, X509_free);
	return err;
}

/* ---- VCEK / VLEK from the options or the cache ---- */

static void cache_vek_path(const struct vctx *c, enum vhsm_product p,
			   char *path, size_t size)
{
	char hwid[129], tcb[17];
	size_t n = p == VHSM_PRODUCT_TURIN ? 8 : 64;

	snprintf(tcb, sizeof(tcb), "%016" PRIx64, c->rep.reported_tcb.raw);
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK) {
		snprintf(path, size, "%s/vlek/%s/%s.der", c->opts->cache_dir,
			 vhsm_report_product_name(p), tcb);
		return;
	}
	_vhsm_hex_str(c->rep.chip_id, n, hwid);
	snprintf(path, size, "%s/vcek/%s/%s/%s.der", c->opts->cache_dir,
		 vhsm_report_product_name(p), hwid, tcb);
}

static X509 *load_cached_vek(struct vctx *c)
{
	enum vhsm_product p, first = c->rep.product, last = c->rep.product;
	char path[4096];
	X509 *x;

	if (!c->opts->cache_dir)
		return NULL;
	if (first == VHSM_PRODUCT_UNKNOWN) {
		first = VHSM_PRODUCT_MILAN;
		last = VHSM_PRODUCT_TURIN;
	}
	for (p = first; p <= last; p++) {
		cache_vek_path(c, p, path, sizeof(path));
		x = load_cert_file(path);
		if (x)
			return x;
	}
	return NULL;
}

int _vhsm_load_vek(struct vctx *c)
{
	const struct vhsm_verify_opts *o = c->opts;

	if (o->vek) {
		c->vek = _vhsm_load_cert(o->vek, o->vek_len);
		return c->vek ? 0 : -EINVAL;
	}
	c->vek = load_cached_vek(c);
	if (!c->vek) {
		_vhsm_fail(c, VHSM_CHECK_CERT, "no %s given and none found in the cache",
			   c->rep.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK");
		return -ENOKEY;
	}
	return 0;
}
