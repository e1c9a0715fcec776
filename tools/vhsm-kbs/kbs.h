/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vhsm-kbs internals: the state directory, the session table, tokens, the
 * JWE encryptor, the HTTP front end and the decision log. Functions return
 * 0 or a negative errno unless said otherwise.
 */
#ifndef VHSM_KBS_SERVER_H
#define VHSM_KBS_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include <vhsm/kbs.h>
#include <vhsm/report.h>

/* exit codes, as vhsm-tool's */
enum { KBS_OK = 0, KBS_ERROR = 1, KBS_USAGE = 2 };

#define KBS_MAX_RESOURCE	(64 * 1024)	/* bytes of one resource */
#define KBS_MAX_BODY		(128 * 1024)	/* bytes of one request body */
#define KBS_PART_MAX		128		/* bytes of one path component */

/* ---- state.c: the state directory ---- */

/* Open (creating with mode 0700) DIR and DIR/resources; a directory fd. */
int kbs_state_open(const char *dir, int *dirfd);
/* "REPO/TYPE/TAG" with parts of [A-Za-z0-9._-], not starting with '.'. */
bool kbs_resource_path_ok(const char *path);
bool kbs_resource_parts_ok(const char *repo, const char *type, const char *tag);
/*
 * Write @len bytes to DIR/@rel (mode @mode) atomically: a temporary file in
 * the same directory, fsync, rename over @rel, fsync of the directory. A
 * crash at any point leaves the old file or the new one, never a mix.
 */
int kbs_state_write(int dirfd, const char *rel, const void *buf, size_t len,
		    unsigned int mode);
int kbs_resource_put(int dirfd, const char *path, const void *buf, size_t len);
int kbs_resource_get(int dirfd, const char *path, uint8_t **buf, size_t *len);
int kbs_resource_delete(int dirfd, const char *path);
/* Calls @fn for every resource path, sorted; stops at its first error. */
int kbs_resource_list(int dirfd, int (*fn)(void *arg, const char *path), void *arg);
/* Validate @json as a verifier policy, then store it as DIR/policy.json. */
int kbs_policy_set(int dirfd, const char *json, size_t len, char **errmsg);
/* The stored policy (default when there is none); free with vhsm_policy_free. */
int kbs_policy_load(int dirfd, struct vhsm_policy *p, bool *found);
/* The token signing key (created on first use), or only the public key. */
int kbs_token_key_load(int dirfd, bool create, EVP_PKEY **key);
int kbs_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);

/* ---- session.c: auth → attest → resource, in memory ---- */

#define KBS_SESSION_ID_LEN	32	/* lowercase hex, a v4 UUID's bits */
#define KBS_NONCE_LEN		44	/* base64 of 32 bytes */

struct kbs_sessions;

int kbs_sessions_new(unsigned int max, struct kbs_sessions **out);
void kbs_sessions_free(struct kbs_sessions *s);
/* A new session with a fresh nonce: -ENOSPC when @max live ones exist. */
int kbs_session_create(struct kbs_sessions *s, time_t ttl, char id[KBS_SESSION_ID_LEN + 1],
		       char nonce[KBS_NONCE_LEN + 1], time_t *expires);
/*
 * Take the session's nonce for /attest: single use. -ENOENT unknown,
 * -ETIME expired (and forgotten), -EALREADY already used.
 */
int kbs_session_take_nonce(struct kbs_sessions *s, const char *id,
			   char nonce[KBS_NONCE_LEN + 1]);
int kbs_session_set_token(struct kbs_sessions *s, const char *id, const char *token);
/* The session's token: -ENOENT, -ETIME, or -ENOKEY (not attested). */
int kbs_session_token(struct kbs_sessions *s, const char *id, char **token);

/* ---- token.c: EAR-style attestation tokens, JWS ES256 ---- */

/* Sign @claims (not consumed) into a JWS compact token. */
int kbs_token_sign(EVP_PKEY *key, const json_t *claims, char **token);
/*
 * Verify @token with @key (a public or private P-256 key) at time @now:
 * -EBADMSG malformed, -EKEYREJECTED bad signature or algorithm,
 * -EKEYEXPIRED expired or not yet valid. The claims on success.
 */
int kbs_token_verify(EVP_PKEY *key, const char *token, time_t now, json_t **claims);
/* The tee-pubkey the claims carry (runtime_data_claims), as coordinates. */
int kbs_token_tee_pubkey(const json_t *claims, uint8_t x[32], uint8_t y[32]);

/* ---- jwe.c: the resource encrypted to the tee-pubkey ---- */

/* Fixed inputs for known-answer tests; NULL in the service. */
struct kbs_jwe_fixed {
	const uint8_t *eph_priv;	/* 32 bytes */
	const uint8_t *cek;		/* 32 bytes */
	const uint8_t *iv;		/* 12 bytes */
};

/*
 * Flattened JWE JSON {"protected","encrypted_key","iv","ciphertext","tag"}:
 * ECDH-ES+A256KW (Concat KDF, SHA-256) and A256GCM, the protected header's
 * base64url as AAD. -EINVAL if (@x, @y) is not a P-256 point.
 */
int kbs_jwe_encrypt(const uint8_t x[32], const uint8_t y[32], const void *pt, size_t len,
		    const struct kbs_jwe_fixed *fixed, char **out);

/* ---- log.c: one JSON line per decision on stderr ---- */

/* Adds "time" and prints @line (consumed) as one line. */
void kbs_log(json_t *line);

/* ---- http.c: the service ---- */

struct kbs_serve_opts {
	const char *listen;		/* ADDR:PORT, [v6]:PORT */
	const char *tls_cert, *tls_key;	/* PEM files; both or none */
	const char *port_file;		/* write the bound port here */
	const char *token_pubkey;	/* resource-only mode: verify with this */
	struct vhsm_verify_opts verify;	/* roots, crl, cache_dir, flags */
	unsigned int session_ttl, token_ttl, max_sessions, threads;
};

int kbs_serve(int dirfd, const struct kbs_serve_opts *o);

/* ---- attest.c: evidence → verdict → token ---- */

/* What the request handlers share; read-only after start except @sessions. */
struct kbs_server {
	int dirfd;
	struct kbs_sessions *sessions;
	EVP_PKEY *token_key;		/* signing key, or only the public key */
	bool resource_only;		/* --token-pubkey: no /auth, /attest */
	atomic_int active;		/* requests in progress (drained on SIGTERM) */
	const struct kbs_serve_opts *opts;
};

struct kbs_verdict {
	unsigned int status;		/* HTTP status */
	const char *type;		/* problem type (Trustee's error variant) */
	char detail[512];
	json_t *failed;			/* names of failed checks */
	char measurement[97];		/* of the report, hex, once parsed */
	char *token;			/* on success */
};

void kbs_attest(struct kbs_server *srv, const char *session, const char *body,
		struct kbs_verdict *v);

#endif /* VHSM_KBS_SERVER_H */
