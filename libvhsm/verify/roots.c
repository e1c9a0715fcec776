// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Trust set of the SNP report verifier: custom roots (a PEM bundle: the
 * self-signed certificates become the anchors, the others candidate
 * ASKs/ASVKs), or the built-in AMD ARK, ASK and ASVK of the product (from
 * the certificate cache), each of which a file of the offline cache
 * directory can replace; and the identity of the trust set that keys the
 * cache.  Used by the chain check (chain.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "cache.h"
#include "load.h"
#include "roots.h"

int _vhsm_push_dup(STACK_OF(X509) *sk, X509 *x)
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
int _vhsm_load_custom_roots(struct vctx *c)
{
	STACK_OF(X509) *sk = _vhsm_load_certs(c->opts->roots, c->opts->roots_len);
	int i, err = 0;

	if (!sk)
		return -EINVAL;
	for (i = 0; i < sk_X509_num(sk) && !err; i++) {
		X509 *x = sk_X509_value(sk, i);

		if (X509_self_signed(x, 0) == 1)
			err = _vhsm_push_dup(c->anchors, x);
		else if (cn_contains(x, "VLEK"))
			err = _vhsm_push_dup(c->asvks, x);
		else
			err = _vhsm_push_dup(c->asks, x);
	}
	sk_X509_pop_free(sk, X509_free);
	return err;
}

static STACK_OF(X509) *role_stack(struct vctx *c, enum vhsm_root_role role)
{
	if (role == ROLE_ARK)
		return c->anchors;
	return role == ROLE_ASK ? c->asks : c->asvks;
}

void _vhsm_read_root_files(const struct vctx *c, struct root_files *rf)
{
	static const char *const files[] = { "ark.pem", "ask.pem", "asvk.pem" };
	char path[4096];
	int role;

	memset(rf, 0, sizeof(*rf));
	if (!c->opts->cache_dir)
		return;
	for (role = ROLE_ARK; role <= ROLE_ASVK; role++) {
		snprintf(path, sizeof(path), "%s/%s/%s", c->opts->cache_dir,
			 vhsm_report_product_name(c->rep.product), files[role]);
		if (_vhsm_read_file(path, &rf->buf[role], &rf->len[role]))
			rf->buf[role] = NULL;
	}
}

void _vhsm_free_root_files(struct root_files *rf)
{
	int role;

	for (role = ROLE_ARK; role <= ROLE_ASVK; role++)
		free(rf->buf[role]);
}

/* A root file replaces the built-in root when it holds a certificate. */
int _vhsm_load_builtin_roots(struct vctx *c, const struct root_files *rf)
{
	enum vhsm_product p = c->rep.product;
	int role, err = 0;

	for (role = ROLE_ARK; role <= ROLE_ASVK && !err; role++) {
		X509 *x = NULL;

		if (rf->buf[role])
			x = _vhsm_load_cert(rf->buf[role], rf->len[role]);
		if (!x)
			x = _vhsm_cache_builtin_root(p, role);
		if (!x)
			return -ENOMEM;
		err = _vhsm_push_dup(role_stack(c, role), x);
		X509_free(x);
	}
	return err;
}

/*
 * Identity of the trust set: SHA-256 of the custom roots bundle, or of the
 * product and the root files that may replace its built-in roots.
 */
int _vhsm_roots_id(const struct vctx *c, const struct root_files *rf,
		    struct cache_key *k)
{
	EVP_MD_CTX *md;
	uint8_t tag[9];
	int role, ok;

	if (c->opts->roots) {
		k->roots_kind = ROOTS_CUSTOM;
		SHA256(c->opts->roots, c->opts->roots_len, k->roots);
		return 0;
	}
	k->roots_kind = ROOTS_BUILTIN;
	md = EVP_MD_CTX_new();
	tag[0] = (uint8_t)c->rep.product;
	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(md, tag, 1);
	for (role = ROLE_ARK; ok && role <= ROLE_ASVK; role++) {
		uint64_t len = rf->buf[role] ? rf->len[role] : 0;

		tag[0] = rf->buf[role] != NULL;
		memcpy(tag + 1, &len, sizeof(len));
		ok = EVP_DigestUpdate(md, tag, sizeof(tag)) &&
		     (!len || EVP_DigestUpdate(md, rf->buf[role], len));
	}
	ok = ok && EVP_DigestFinal_ex(md, k->roots, NULL);
	EVP_MD_CTX_free(md);
	return ok ? 0 : -ENOMEM;
}
