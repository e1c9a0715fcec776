// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The certificate cache of the SNP report verifier.
 *
 * Verifying one report is one ECDSA P-384 verification;
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
 * signature (sig.c), the product, key type, TCB and hwID checks
 * against the report (ext.c, which only read struct vek_info) and the
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
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cache.h"
#include "load.h"

/*
 * Generated at build time by libvhsm/roots/gen-roots.sh:
 * [Milan, Genoa, Turin][ARK, ASK, ASVK] as PEM strings.
 */
extern const char *const vhsm_verify_builtin_pem[3][3];

#define CACHE_SIZE 64

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
bool _vhsm_cache_get_vek(const uint8_t digest[32], struct vek_info *info,
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
bool _vhsm_cache_get_chain(const struct cache_key *k, int64_t now)
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
void _vhsm_cache_put(const struct cache_key *k, int64_t from, int64_t until,
		     EVP_PKEY *pkey, const struct vek_info *info)
{
	struct cache_entry *slot = NULL;
	int i;

	if (pkey && !EVP_PKEY_up_ref(pkey))
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
	slot->pkey = pkey;
	slot->info = *info;
	pthread_mutex_unlock(&cache.lock);
}

bool _vhsm_cache_has_crl(const uint8_t digest[32])
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
X509 *_vhsm_cache_builtin_root(enum vhsm_product p, enum vhsm_root_role role)
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
