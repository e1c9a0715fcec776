// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session table: /auth creates a session (random id for the
 * kbs-session-id cookie, a random 32-byte nonce), /attest takes its nonce
 * once, and a verified attestation leaves the token in it for resource
 * requests that bring the cookie. Sessions expire @ttl seconds after /auth
 * (Trustee's default is 5 minutes) and are forgotten then; the table holds at
 * most @max live sessions. Lookups are by hash chain; ids are compared in
 * constant time.
 *
 * Locking: one mutex (s->lock) guards the whole table; every function takes
 * it for its whole run and calls nothing that could block on I/O.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "kbs.h"

enum kbs_session_state { S_NEW = 1, S_NONCE_USED, S_ATTESTED };

struct kbs_session {
	struct kbs_session *next;	/* in its hash bucket */
	enum kbs_session_state state;
	char id[KBS_SESSION_ID_LEN + 1];
	char nonce[KBS_NONCE_LEN + 1];
	uint64_t expires_ms;	/* CLOCK_MONOTONIC: a wall-clock step moves nothing */
	char *token;
};

#define KBS_BUCKETS 4096	/* power of two */

/*
 * Session lifetimes run on the monotonic clock in milliseconds: with whole
 * wall-clock seconds, a session made at x.999 s with a 1 s ttl would expire
 * a millisecond later.
 */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * Sessions hang off KBS_BUCKETS hash chains, keyed by their random id. Each
 * create sweeps one chain round-robin, and a full table sweeps them all,
 * so expired sessions are reclaimed without a timer.
 */
struct kbs_sessions {
	pthread_mutex_t lock;
	unsigned int max, count, sweep;
	struct kbs_session *bucket[KBS_BUCKETS];
};

int kbs_sessions_new(unsigned int max, struct kbs_sessions **out)
{
	struct kbs_sessions *s;

	if (!max)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->max = max;
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return 0;
}

static void session_free(struct kbs_session *e)
{
	if (e->token) {
		OPENSSL_cleanse(e->token, strlen(e->token));
		free(e->token);
	}
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

void kbs_sessions_free(struct kbs_sessions *s)
{
	struct kbs_session *e, *n;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < KBS_BUCKETS; i++)
		for (e = s->bucket[i]; e; e = n) {
			n = e->next;
			session_free(e);
		}
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The chain of an id: its first 8 hex digits (random) select it. */
static unsigned int bucket_of(const char *id)
{
	unsigned int h = 0;
	int i;

	for (i = 0; i < 8 && id[i]; i++)
		h = h * 16 + (unsigned int)(id[i] <= '9' ? id[i] - '0' : (id[i] | 0x20) - 'a' + 10);
	return h & (KBS_BUCKETS - 1);
}

/* Drop the expired sessions of chain @b. Caller holds s->lock. */
static void sweep_bucket(struct kbs_sessions *s, unsigned int b, uint64_t now)
{
	struct kbs_session **pp = &s->bucket[b], *e;

	while ((e = *pp)) {
		if (e->expires_ms <= now) {
			*pp = e->next;
			session_free(e);
			s->count--;
		} else {
			pp = &e->next;
		}
	}
}

/* Caller holds s->lock. An expired session is dropped and reported. */
static struct kbs_session *find(struct kbs_sessions *s, const char *id, uint64_t now,
				bool *expired)
{
	struct kbs_session **pp, *e;

	*expired = false;
	if (!id || strlen(id) != KBS_SESSION_ID_LEN)
		return NULL;
	for (pp = &s->bucket[bucket_of(id)]; (e = *pp); pp = &e->next) {
		if (CRYPTO_memcmp(e->id, id, KBS_SESSION_ID_LEN))
			continue;
		if (e->expires_ms <= now) {
			*pp = e->next;
			session_free(e);
			s->count--;
			*expired = true;
			return NULL;
		}
		return e;
	}
	return NULL;
}

int kbs_session_create(struct kbs_sessions *s, time_t ttl, char id[KBS_SESSION_ID_LEN + 1],
		       char nonce[KBS_NONCE_LEN + 1], time_t *expires)
{
	static const char hex[] = "0123456789abcdef";
	struct kbs_session *e = calloc(1, sizeof(*e));
	uint8_t rid[16], rn[32];
	uint64_t now = now_ms();
	unsigned int i, b;
	int err = 0;

	if (!e)
		return -ENOMEM;
	if (RAND_bytes(rid, sizeof(rid)) != 1 || RAND_bytes(rn, sizeof(rn)) != 1) {
		free(e);
		return -EIO;
	}
	rid[6] = (rid[6] & 0x0f) | 0x40;	/* UUID v4 bits */
	rid[8] = (rid[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++) {
		id[2 * i] = hex[rid[i] >> 4];
		id[2 * i + 1] = hex[rid[i] & 15];
	}
	id[KBS_SESSION_ID_LEN] = 0;
	EVP_EncodeBlock((unsigned char *)nonce, rn, sizeof(rn));	/* 44 chars + NUL */
	e->state = S_NEW;
	memcpy(e->id, id, sizeof(e->id));
	memcpy(e->nonce, nonce, sizeof(e->nonce));
	e->expires_ms = now + (uint64_t)ttl * 1000u;
	*expires = time(NULL) + ttl;	/* wall time, for the cookie's Expires */

	pthread_mutex_lock(&s->lock);
	sweep_bucket(s, s->sweep++ & (KBS_BUCKETS - 1), now);
	if (s->count >= s->max)
		for (b = 0; b < KBS_BUCKETS; b++)
			sweep_bucket(s, b, now);
	if (s->count >= s->max) {
		err = -ENOSPC;
	} else {
		b = bucket_of(id);
		e->next = s->bucket[b];
		s->bucket[b] = e;
		s->count++;
		e = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	if (e)
		session_free(e);
	return err;
}

int kbs_session_take_nonce(struct kbs_sessions *s, const char *id,
			   char nonce[KBS_NONCE_LEN + 1])
{
	struct kbs_session *e;
	bool expired;
	int err = 0;

	pthread_mutex_lock(&s->lock);
	e = find(s, id, now_ms(), &expired);
	if (!e)
		err = expired ? -ETIME : -ENOENT;
	else if (e->state != S_NEW)
		err = -EALREADY;
	else {
		memcpy(nonce, e->nonce, KBS_NONCE_LEN + 1);
		e->state = S_NONCE_USED;
	}
	pthread_mutex_unlock(&s->lock);
	return err;
}

int kbs_session_set_token(struct kbs_sessions *s, const char *id, const char *token)
{
	struct kbs_session *e;
	char *t = strdup(token);
	bool expired;
	int err = 0;

	if (!t)
		return -ENOMEM;
	pthread_mutex_lock(&s->lock);
	e = find(s, id, now_ms(), &expired);
	if (!e) {
		err = expired ? -ETIME : -ENOENT;
	} else {
		char *old = e->token;

		e->token = t;
		e->state = S_ATTESTED;
		t = old;	/* none: one attestation per session */
	}
	pthread_mutex_unlock(&s->lock);
	if (t) {
		OPENSSL_cleanse(t, strlen(t));
		free(t);
	}
	return err;
}

int kbs_session_token(struct kbs_sessions *s, const char *id, char **token)
{
	struct kbs_session *e;
	bool expired;
	int err = 0;

	pthread_mutex_lock(&s->lock);
	e = find(s, id, now_ms(), &expired);
	if (!e)
		err = expired ? -ETIME : -ENOENT;
	else if (e->state != S_ATTESTED)
		err = -ENOKEY;
	else if (!(*token = strdup(e->token)))
		err = -ENOMEM;
	pthread_mutex_unlock(&s->lock);
	return err;
}
