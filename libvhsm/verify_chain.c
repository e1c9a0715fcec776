// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Certificate chain of the SNP report verifier: loading certificates, CRLs
 * and small files; the trust set (custom roots, or the built-in AMD ARK,
 * ASK and ASVK of the product, each of which the offline cache directory can
 * override); the VCEK/VLEK taken from the options or the cache directory;
 * and the "chain" check, VEK -> ASK/ASVK -> ARK with OpenSSL's X509_STORE
 * (RSA-PSS), optionally against a CRL.
 *
 * Certificate cache.  Verifying one report is one ECDSA P-384 verification;
 * everything around it (parsing the VEK and the built-in roots, three
 * RSA-4096 PSS verifications in the chain, decoding the extensions) costs
 * more than that and gives the same answer for the same inputs every time.
 * So this file keeps, process-wide:
 *
 *  - the built-in AMD roots, parsed on first use and kept until unload;
 *  - up to CACHE_SIZE verified chains (the oldest is evicted first).  Key:
 *    SHA-256 of the VEK bytes as given (DER, or the PEM text), the trust
 *    set (custom roots: SHA-256 of the roots bundle; built-in: the product
 *    and the contents of any <cache_dir>/<Product>/{ark,ask,asvk}.pem that
 *    replace them), SHA-256 of the CRL bytes (or none) and opts->flags.
 *    Value: only that the chain check passed (a failure is never cached),
 *    the time window in which that holds, and what else is a function of
 *    the VEK bytes alone: its public key (EVP_PKEY, an own reference handed
 *    out up-ref'd) and its decoded extensions (struct vek_info).
 *
 * Why a hit gives the same result as a full verification: the chain check
 * is a pure function of the key's inputs and of the current time.  The
 * time only matters through the validity of the chain certificates and of
 * the CRLs, so an entry is used only while latest notBefore/thisUpdate <=
 * now < earliest notAfter/nextUpdate (the same comparisons OpenSSL makes);
 * past that a call misses and the full check reports the expired (or not yet
 * valid) certificate or CRL.  With VHSM_VERIFY_NO_CHECK_TIME (part of the
 * key) no date is checked, so the entry has no window.  Everything that
 * depends on the report runs on every call, hit or miss: the ECDSA
 * signature (verify_sig.c), the product, key type, TCB and hwID checks
 * against the report (verify_ext.c, which only read struct vek_info) and the
 * policy.  The parsed VEK (public key, vek_info) is looked up by the VEK
 * digest alone, as it depends on nothing else; on a chain miss the VEK
 * certificate is parsed again for X509_verify_cert.  A CRL that a cached
 * chain was verified with is known to parse, so ctx_init only parses CRLs it
 * has not seen (keeping -EINVAL for a bad CRL before any check runs).
 *
 * All of it sits behind one mutex, held only to look up, copy out (up-ref)
 * or insert, never during a verification.  The library destructor frees it
 * (unless OPENSSL_cleanup() already ran, as at process exit, when OpenSSL
 * objects may no longer be freed; the memory stays reachable then).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
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

/* ---- certificate cache (see the comment at the top) ---- */

#define CACHE_SIZE 64

enum roots_kind { ROOTS_BUILTIN = 1, ROOTS_CUSTOM };

struct cache_key {
	uint8_t vek[32];	/* SHA-256 of the VEK bytes as given */
	uint8_t roots[32];	/* SHA-256 of the trust set, see roots_id() */
	uint8_t crl[32];	/* SHA-256 of the CRL bytes */
	enum roots_kind roots_kind;
	bool has_crl;
	unsigned int flags;	/* opts->flags */
};

struct cache_entry {
	bool used;
	uint64_t seq;			/* insertion order: evict the lowest */
	struct cache_key key;
	int64_t valid_from;		/* the chain passes for valid_from <= now */
	int64_t valid_until;		/* ... and now < valid_until */
	EVP_PKEY *pkey;			/* VEK public key, own reference (or NULL) */
	struct vek_info info;		/* VEK extensions */
};

static struct {
	pthread_mutex_t lock;
	struct cache_entry e[CACHE_SIZE];
	uint64_t seq;
	unsigned long hits, misses;
	X509 *builtin[3][3];		/* [product - 1][role], parsed on first use */
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool key_eq(const struct cache_key *a, const struct cache_key *b)
{
	return !memcmp(a->vek, b->vek, sizeof(a->vek)) &&
	       !memcmp(a->roots, b->roots, sizeof(a->roots)) &&
	       a->roots_kind == b->roots_kind && a->has_crl == b->has_crl &&
	       (!a->has_crl || !memcmp(a->crl, b->crl, sizeof(a->crl))) &&
	       a->flags == b->flags;
}

static void entry_clear(struct cache_entry *e)
{
	EVP_PKEY_free(e->pkey);
	memset(e, 0, sizeof(*e));
}

/* The parsed VEK of any entry with this VEK digest (the same in all). */
static bool cache_get_vek(const uint8_t digest[32], struct vek_info *info,
			  EVP_PKEY **pkey)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SIZE && !found; i++) {
		struct cache_entry *e = &cache.e[i];

		if (!e->used || memcmp(e->key.vek, digest, 32))
			continue;
		if (e->pkey && !EVP_PKEY_up_ref(e->pkey))
			break;
		*info = e->info;
		*pkey = e->pkey;
		found = true;
	}
	pthread_mutex_unlock(&cache.lock);
	return found;
}

/* Whether a chain with this key passed and still passes at @now. */
static bool cache_get_chain(const struct cache_key *k, int64_t now)
{
	bool hit = false;
	int i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SIZE && !hit; i++) {
		const struct cache_entry *e = &cache.e[i];

		hit = e->used && key_eq(&e->key, k) && e->valid_from <= now &&
		      now < e->valid_until;
	}
	if (hit)
		cache.hits++;
	else
		cache.misses++;
	pthread_mutex_unlock(&cache.lock);
	return hit;
}

/* Record a passed chain check (best effort: nothing happens on failure). */
static void cache_put(const struct cache_key *k, int64_t from, int64_t until,
		      const struct vctx *c)
{
	struct cache_entry *slot = NULL;
	int i;

	if (c->pkey && !EVP_PKEY_up_ref(c->pkey))
		return;
	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SIZE; i++) {
		struct cache_entry *e = &cache.e[i];

		if (e->used && key_eq(&e->key, k)) {
			slot = e;	/* same key (an expired window): replace */
			break;
		}
		if (!slot || (slot->used && (!e->used || e->seq < slot->seq)))
			slot = e;	/* else the first free, else the oldest */
	}
	entry_clear(slot);
	slot->used = true;
	slot->seq = ++cache.seq;
	slot->key = *k;
	slot->valid_from = from;
	slot->valid_until = until;
	slot->pkey = c->pkey;
	slot->info = c->info;
	pthread_mutex_unlock(&cache.lock);
}

static bool cache_has_crl(const uint8_t digest[32])
{
	bool found = false;
	int i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SIZE && !found; i++)
		found = cache.e[i].used && cache.e[i].key.has_crl &&
			!memcmp(cache.e[i].key.crl, digest, 32);
	pthread_mutex_unlock(&cache.lock);
	return found;
}

/* Built-in root of product @p (known) and @role, up-ref'd; NULL on ENOMEM. */
static X509 *builtin_root(enum vhsm_product p, enum root_role role)
{
	X509 **slot = &cache.builtin[p - 1][role];
	X509 *x;

	pthread_mutex_lock(&cache.lock);
	if (!*slot) {
		const char *pem = vhsm_verify_builtin_pem[p - 1][role];

		*slot = _vhsm_load_cert(pem, strlen(pem));
		/* cache the extensions now, not in concurrent verifications */
		if (*slot)
			X509_check_purpose(*slot, -1, 0);
	}
	x = *slot;
	if (x && !X509_up_ref(x))
		x = NULL;
	pthread_mutex_unlock(&cache.lock);
	return x;
}

void _vhsm_verify_cache_flush(void)
{
	int i;

	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < CACHE_SIZE; i++)
		entry_clear(&cache.e[i]);
	pthread_mutex_unlock(&cache.lock);
}

void _vhsm_verify_cache_stats(unsigned long *hits, unsigned long *misses)
{
	pthread_mutex_lock(&cache.lock);
	*hits = cache.hits;
	*misses = cache.misses;
	pthread_mutex_unlock(&cache.lock);
}

/* Not public: OpenSSL's own probe that answers 0 once OPENSSL_cleanup() ran. */
#ifndef OPENSSL_INIT_BASE_ONLY
#define OPENSSL_INIT_BASE_ONLY 0x00040000L
#endif

__attribute__((destructor)) static void cache_fini(void)
{
	bool any = false;
	int i, j;

	for (i = 0; i < CACHE_SIZE; i++)
		any |= cache.e[i].used;
	for (i = 0; i < 9; i++)
		any |= cache.builtin[i / 3][i % 3] != NULL;
	if (!any || OPENSSL_init_crypto(OPENSSL_INIT_BASE_ONLY, NULL) != 1)
		return;
	for (i = 0; i < CACHE_SIZE; i++)
		entry_clear(&cache.e[i]);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			X509_free(cache.builtin[i][j]);
			cache.builtin[i][j] = NULL;
		}
}

static void sha256(const void *buf, size_t len, uint8_t out[32])
{
	SHA256(buf, len, out);
}

bool _vhsm_crl_needs_parse(struct vctx *c)
{
	sha256(c->opts->crl, c->opts->crl_len, c->crl_digest);
	return !cache_has_crl(c->crl_digest);
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

/* <cache_dir>/<Product>/{ark,ask,asvk}.pem as read (NULL when absent). */
struct root_files {
	uint8_t *buf[3];
	size_t len[3];
};

static void read_root_files(const struct vctx *c, struct root_files *rf)
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

static void free_root_files(struct root_files *rf)
{
	int role;

	for (role = ROLE_ARK; role <= ROLE_ASVK; role++)
		free(rf->buf[role]);
}

/* A root file replaces the built-in root when it holds a certificate. */
static int load_builtin_roots(struct vctx *c, const struct root_files *rf)
{
	enum vhsm_product p = c->rep.product;
	int role, err = 0;

	for (role = ROLE_ARK; role <= ROLE_ASVK && !err; role++) {
		X509 *x = NULL;

		if (rf->buf[role])
			x = _vhsm_load_cert(rf->buf[role], rf->len[role]);
		if (!x)
			x = builtin_root(p, role);
		if (!x)
			return -ENOMEM;
		err = push_dup(role_stack(c, role), x);
		X509_free(x);
	}
	return err;
}

/*
 * Identity of the trust set: SHA-256 of the custom roots bundle, or of the
 * product and the root files that may replace its built-in roots.
 */
static int roots_id(const struct vctx *c, const struct root_files *rf,
		    struct cache_key *k)
{
	EVP_MD_CTX *md;
	uint8_t tag[9];
	int role, ok;

	if (c->opts->roots) {
		k->roots_kind = ROOTS_CUSTOM;
		sha256(c->opts->roots, c->opts->roots_len, k->roots);
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
	err = c->opts->roots ? load_custom_roots(c) : load_builtin_roots(c, rf);
	for (i = 0; !err && i < sk_X509_num(c->asks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asks, i));
	for (i = 0; !err && i < sk_X509_num(c->asvks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asvks, i));
	if (!err && sk_X509_num(c->anchors) == 0) {
		if (!(c->res->failed & VHSM_CHECK_CHAIN))
			_vhsm_fail(c, VHSM_CHECK_CHAIN, "no self-signed ARK in the trust set");
	} else if (!err) {
		err = run_chain(c, untrusted, &cache_ok, &from, &until);
	}
	sk_X509_pop_free(untrusted, X509_free);
	if (!err && cache_ok && !c->err)
		cache_put(key, from, until, c);
	return err;
}

int _vhsm_check_chain(struct vctx *c)
{
	struct root_files rf;
	struct cache_key key;
	int err;

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
		read_root_files(c, &rf);
	else
		memset(&rf, 0, sizeof(rf));
	err = roots_id(c, &rf, &key);
	if (!err && !cache_get_chain(&key, (int64_t)time(NULL)))
		err = verify_chain(c, &rf, &key);
	free_root_files(&rf);
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

/*
 * Take the VEK bytes: c->info and c->pkey from the certificate cache, or
 * by parsing them (c->vek); -EINVAL if they hold no certificate.
 */
static int use_vek(struct vctx *c, const void *buf, size_t len)
{
	c->vek_buf = buf;
	c->vek_len = len;
	sha256(buf, len, c->vek_digest);
	if (cache_get_vek(c->vek_digest, &c->info, &c->pkey))
		return 0;
	c->vek = _vhsm_load_cert(buf, len);
	if (!c->vek)
		return -EINVAL;
	_vhsm_read_vek_info(c->vek, &c->info);
	c->pkey = X509_get0_pubkey(c->vek);
	if (c->pkey && !EVP_PKEY_up_ref(c->pkey))
		return -ENOMEM;
	return 0;
}

/* The first cache file (of the report's product, or any) with a certificate. */
static int load_cached_vek(struct vctx *c)
{
	enum vhsm_product p, first = c->rep.product, last = c->rep.product;
	char path[4096];
	uint8_t *buf;
	size_t len;
	int err;

	if (!c->opts->cache_dir)
		return -ENOKEY;
	if (first == VHSM_PRODUCT_UNKNOWN) {
		first = VHSM_PRODUCT_MILAN;
		last = VHSM_PRODUCT_TURIN;
	}
	for (p = first; p <= last; p++) {
		cache_vek_path(c, p, path, sizeof(path));
		if (_vhsm_read_file(path, &buf, &len))
			continue;
		err = use_vek(c, buf, len);
		if (!err) {
			c->vek_own = buf;
			return 0;
		}
		free(buf);
		c->vek_buf = NULL;
		c->vek_len = 0;
		if (err != -EINVAL)
			return err;
	}
	return -ENOKEY;
}

int _vhsm_load_vek(struct vctx *c)
{
	const struct vhsm_verify_opts *o = c->opts;
	int err;

	if (o->vek)
		return use_vek(c, o->vek, o->vek_len);
	err = load_cached_vek(c);
	if (err == -ENOKEY)
		_vhsm_fail(c, VHSM_CHECK_CERT, "no %s given and none found in the cache",
			   c->rep.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK");
	return err;
}
