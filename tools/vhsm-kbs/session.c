// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session table: /auth creates a session (random id for the
 * kbs-session-id cookie, a random 32-byte nonce), /attest takes its nonce
 * once, and a verified attestation leaves the token in it for resource
 * requests that bring the cookie. Sessions expire @ttl seconds after /auth
 * (Trustee's default is 5 minutes) and are forgotten then; the table holds at
 * most @max live sessions.
 *
 * Locking: one mutex (s->lock) guards the whole table; every function takes
 * it for its whole run and calls nothing that could block on I/O.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "kbs.h"

enum kbs_session_state { S_FREE = 0, S_NEW, S_NONCE_USED, S_ATTESTED };

struct kbs_session {
	enum kbs_session_state state;
	char id[KBS_SESSION_ID_LEN + 1];
	char nonce[KBS_NONCE_LEN + 1];
	time_t expires;
	char *token;
};

struct kbs_sessions {
	pthread_mutex_t lock;
	unsigned int max;
	struct kbs_session *tab;	/* max entries */
};

int kbs_sessions_new(unsigned int max, struct kbs_sessions **out)
{
	struct kbs_sessions *s = calloc(1, sizeof(*s));

	if (!s || !max)
		goto fail;
	s->tab = calloc(max, sizeof(*s->tab));
	if (!s->tab)
		goto fail;
	s->max = max;
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return 0;
fail:
	free(s);
	return max ? -ENOMEM : -EINVAL;
}

static void slot_clear(struct kbs_session *e)
{
	if (e->token) {
		OPENSSL_cleanse(e->token, strlen(e->token));
		free(e->token);
	}
	memset(e, 0, sizeof(*e));
}

void kbs_sessions_free(struct kbs_sessions *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->max; i++)
		slot_clear(&s->tab[i]);
	pthread_mutex_destroy(&s->lock);
	free(s->tab);
	free(s);
}

/* Caller holds s->lock. Expired sessions are cleared on the way. */
static struct kbs_session *find(struct kbs_sessions *s, const char *id, time_t now,
				bool *expired)
{
	unsigned int i;

	*expired = false;
	if (!id || strlen(id) != KBS_SESSION_ID_LEN)
		return NULL;
	for (i = 0; i < s->max; i++) {
		struct kbs_session *e = &s->tab[i];

		if (e->state == S_FREE || CRYPTO_memcmp(e->id, id, KBS_SESSION_ID_LEN))
			continue;
		if (e->expires <= now) {
			slot_clear(e);
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
	struct kbs_session *slot = NULL;
	uint8_t rid[16], rn[32];
	time_t now = time(NULL);
	unsigned int i;

	if (RAND_bytes(rid, sizeof(rid)) != 1 || RAND_bytes(rn, sizeof(rn)) != 1)
		return -EIO;
	rid[6] = (rid[6] & 0x0f) | 0x40;	/* UUID v4 bits */
	rid[8] = (rid[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++) {
		id[2 * i] = hex[rid[i] >> 4];
		id[2 * i + 1] = hex[rid[i] & 15];
	}
	id[KBS_SESSION_ID_LEN] = 0;
	EVP_EncodeBlock((unsigned char *)nonce, rn, sizeof(rn));	/* 44 chars + NUL */

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->max; i++) {
		struct kbs_session *e = &s->tab[i];

		if (e->state != S_FREE && e->expires <= now)
			slot_clear(e);
		if (e->state == S_FREE && !slot)
			slot = e;
	}
	if (slot) {
		slot->state = S_NEW;
		memcpy(slot->id, id, sizeof(slot->id));
		memcpy(slot->nonce, nonce, sizeof(slot->nonce));
		slot->expires = now + ttl;
		*expires = slot->expires;
	}
	pthread_mutex_unlock(&s->lock);
	return slot ? 0 : -ENOSPC;
}

int kbs_session_take_nonce(struct kbs_sessions *s, const char *id,
			   char nonce[KBS_NONCE_LEN + 1])
{
	struct kbs_session *e;
	bool expired;
	int err = 0;

	pthread_mutex_lock(&s->lock);
	e = find(s, id, time(NULL), &expired);
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
	e = find(s, id, time(NULL), &expired);
	if (!e) {
		err = expired ? -ETIME : -ENOENT;
	} else {
		e->token = t;
		e->state = S_ATTESTED;
		t = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	free(t);
	return err;
}

int kbs_session_token(struct kbs_sessions *s, const char *id, char **token)
{
	struct kbs_session *e;
	bool expired;
	int err = 0;

	pthread_mutex_lock(&s->lock);
	e = find(s, id, time(NULL), &expired);
	if (!e)
		err = expired ? -ETIME : -ENOENT;
	else if (e->state != S_ATTESTED)
		err = -ENOKEY;
	else if (!(*token = strdup(e->token)))
		err = -ENOMEM;
	pthread_mutex_unlock(&s->lock);
	return err;
}
