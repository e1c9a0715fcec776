/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vhsm/kbs.h - client of the Trustee KBS "RCAR" protocol (version 0.4.0) and
 * the encoders both its ends need.
 *
 * The client never sees a secret: the caller's evidence callback produces the
 * SNP report (and certificate table) together with the tee-pubkey the report
 * binds (in vhsm, a provisioning session inside the kernel), and the resource
 * comes back as the server's JWE, untouched, to be opened where the private
 * key lives.
 *
 * Every function returns 0 or a negative errno and prints nothing.  Strings
 * returned through char ** are malloc()ed; release them with free().
 */
#ifndef VHSM_KBS_H
#define VHSM_KBS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VHSM_KBS_PROTOCOL_VERSION "0.4.0"
#define VHSM_KBS_REPORT_DATA_LEN 64
#define VHSM_KBS_SNP_REPORT_LEN 0x4A0
#define VHSM_KBS_P256_COORD_LEN 32

/* ---- encoders (no network) ---- */

/**
 * vhsm_kbs_canonicalize() - RFC 8785 (JCS) form of a JSON text
 * @json: NUL-terminated JSON text
 * @out:  canonical text (compact, object members sorted by their UTF-16 code
 *        units at every level, strings escaped as RFC 8785 says)
 *
 * Numbers must be integers of magnitude at most 2^53 - 1 (the only numbers
 * the protocol's runtime data could hold); others give -EDOM rather than a
 * form that might differ from another implementation's.
 *
 * Return: 0; -EINVAL on NULL arguments or malformed JSON; -EDOM; -ENOMEM.
 */
int vhsm_kbs_canonicalize(const char *json, char **out);

/**
 * vhsm_kbs_jwk_p256() - the tee-pubkey JWK of a P-256 key
 * @x, @y: the affine coordinates, big-endian
 * @out:   {"kty":"EC","crv":"P-256","alg":"ECDH-ES+A256KW","x":...,"y":...}
 *         with base64url coordinates without padding
 *
 * Return: 0; -EINVAL on NULL arguments; -ENOMEM.
 */
int vhsm_kbs_jwk_p256(const uint8_t x[VHSM_KBS_P256_COORD_LEN],
		      const uint8_t y[VHSM_KBS_P256_COORD_LEN], char **out);

/**
 * vhsm_kbs_jwk_parse_p256() - coordinates of an EC P-256 tee-pubkey JWK
 * @jwk:  JSON object text
 * @x, @y: [out] big-endian coordinates
 *
 * Requires kty "EC", crv "P-256", an "alg" (if present) of
 * "ECDH-ES+A256KW", and x, y of exactly 32 bytes each in unpadded base64url.
 * The point must lie on the curve (OpenSSL checks it as it takes the key).
 *
 * Return: 0; -EINVAL on NULL arguments, a malformed JWK or a point off the
 *  curve; -EOPNOTSUPP for
 *  another key type, curve or algorithm.
 */
int vhsm_kbs_jwk_parse_p256(const char *jwk, uint8_t x[VHSM_KBS_P256_COORD_LEN],
			    uint8_t y[VHSM_KBS_P256_COORD_LEN]);

/**
 * vhsm_kbs_runtime_data() - the canonical runtime data REPORT_DATA covers
 * @nonce:  the challenge nonce, as the server sent it
 * @jwk:    the tee-pubkey JWK (JSON object text)
 * @additional_evidence: the "additional-evidence" string ("" when there is
 *          no device evidence; NULL means "")
 * @out:    JCS({"additional-evidence":..,"nonce":..,"tee-pubkey":..})
 *
 * Return: 0; -EINVAL on NULL arguments or a @jwk that is not an object;
 *  the errors of vhsm_kbs_canonicalize().
 */
int vhsm_kbs_runtime_data(const char *nonce, const char *jwk,
			  const char *additional_evidence, char **out);

/**
 * vhsm_kbs_report_data() - REPORT_DATA for a nonce and tee-pubkey
 * @nonce, @jwk, @additional_evidence: as for vhsm_kbs_runtime_data()
 * @out: SHA-384 of the canonical runtime data, then 16 zero bytes
 *
 * Return: as vhsm_kbs_runtime_data(); -EIO if hashing fails.
 */
int vhsm_kbs_report_data(const char *nonce, const char *jwk,
			 const char *additional_evidence,
			 uint8_t out[VHSM_KBS_REPORT_DATA_LEN]);

/**
 * vhsm_kbs_evidence_json() - SNP evidence in the JSON form Trustee expects
 * @report:    the raw attestation report
 * @report_len: at least VHSM_KBS_SNP_REPORT_LEN
 * @certs:     the GHCB certificate table the platform returned, or NULL
 * @certs_len: its length (0 with NULL)
 * @out:       {"attestation_report":{...},"cert_chain":[...]|null}: the
 *             serde form of the sev crate's AttestationReport (byte arrays
 *             as arrays of numbers, TCBs with named parts, the signature's
 *             r and s little-endian as in the report)
 *
 * The TCB layout (Turin or Milan/Genoa) follows the report's CPUID fields.
 *
 * Return: 0; -EINVAL on NULL arguments or a short report; -EPROTO for a
 *  report version outside 2..5; -EBADMSG for a malformed certificate
 *  table; -ERANGE for a 64-bit field above 2^63 - 1; -ENOMEM.
 */
int vhsm_kbs_evidence_json(const void *report, size_t report_len,
			   const void *certs, size_t certs_len, char **out);

/* the cert_chain entry types vhsm_kbs_evidence_parse() returns */
enum vhsm_kbs_cert_type {
	VHSM_KBS_CERT_OTHER = 0,	/* "CRL", "Empty" or {"OTHER": uuid} */
	VHSM_KBS_CERT_ARK,
	VHSM_KBS_CERT_ASK,
	VHSM_KBS_CERT_VCEK,
	VHSM_KBS_CERT_VLEK,
};

struct vhsm_kbs_cert {
	enum vhsm_kbs_cert_type type;
	uint8_t *der;
	size_t len;
};

/**
 * struct vhsm_kbs_evidence_parsed - what vhsm_kbs_evidence_parse() decodes
 * @report:  the report re-encoded to its binary form (reserved bytes zero),
 *           the bytes the signature must cover
 * @n_certs: entries in @certs (0 when cert_chain is null or absent)
 * @certs:   the cert_chain entries
 *
 * Release with vhsm_kbs_evidence_free().
 */
struct vhsm_kbs_evidence_parsed {
	uint8_t report[VHSM_KBS_SNP_REPORT_LEN];
	size_t n_certs;
	struct vhsm_kbs_cert *certs;
};

#define VHSM_KBS_MAX_CERTS 16

/**
 * vhsm_kbs_evidence_parse() - decode Trustee's SNP evidence JSON
 * @json: {"attestation_report":{...},"cert_chain":[...]|null}
 * @out:  filled on success
 *
 * Every field of the report must be present with the right type and range
 * (the Option fields cpuid_* and *_mit_vector may be null or absent; fmc is
 * required to be a number when the CPUID says Turin).
 *
 * Return: 0; -EINVAL on NULL arguments; -EBADMSG on malformed or
 *  incomplete evidence; -E2BIG for more than VHSM_KBS_MAX_CERTS
 *  certificates; -ENOMEM.
 */
int vhsm_kbs_evidence_parse(const char *json, struct vhsm_kbs_evidence_parsed *out);

/** vhsm_kbs_evidence_free() - release the certificates (NULL-safe) */
void vhsm_kbs_evidence_free(struct vhsm_kbs_evidence_parsed *ev);

/**
 * vhsm_kbs_b64url_encode() - base64url without padding
 * @buf, @len: bytes
 * @out: NUL-terminated text
 *
 * Return: 0; -EINVAL; -ENOMEM.
 */
int vhsm_kbs_b64url_encode(const void *buf, size_t len, char **out);

/**
 * vhsm_kbs_b64url_decode() - decode unpadded base64url
 * @text: NUL-terminated text; padding, whitespace or the standard
 *        alphabet's '+' and '/' are refused
 * @out:  bytes (NUL-terminated for convenience), @out_len their number
 *
 * Return: 0; -EINVAL on NULL arguments or invalid text; -ENOMEM.
 */
int vhsm_kbs_b64url_decode(const char *text, uint8_t **out, size_t *out_len);

/**
 * struct vhsm_kbs_jwe - a resource JWE taken apart, not decrypted
 * @protected_b64: the "protected" member as received: its ASCII bytes are
 *                 the AES-GCM AAD (NUL-terminated)
 * @epk_x, @epk_y: the sender's ephemeral P-256 key from the header
 * @encrypted_key: the wrapped CEK (RFC 3394, 40 bytes for a 32-byte CEK)
 * @iv:            the 96-bit GCM IV
 * @ciphertext:    @ciphertext_len bytes
 * @tag:           the GCM tag
 *
 * What the kernel needs to open it: ECDH(session key, epk) → Z, the Concat
 * KDF (SHA-256, AlgorithmID "ECDH-ES+A256KW", keydatalen 256) → KEK, AES
 * key unwrap → CEK, AES-256-GCM with @protected_b64 as AAD. Release with
 * vhsm_kbs_jwe_free().
 */
struct vhsm_kbs_jwe {
	char *protected_b64;
	uint8_t epk_x[VHSM_KBS_P256_COORD_LEN];
	uint8_t epk_y[VHSM_KBS_P256_COORD_LEN];
	uint8_t encrypted_key[40];
	uint8_t iv[12];
	uint8_t *ciphertext;
	size_t ciphertext_len;
	uint8_t tag[16];
};

/**
 * vhsm_kbs_jwe_parse() - take a resource response apart
 * @body: the flattened JSON serialization Trustee and vhsm-kbs send
 *        ({"protected","encrypted_key","iv","ciphertext","tag"}), or the
 *        compact one (five base64url parts separated by '.')
 * @out:  filled on success
 *
 * Requires the header's "alg" to be "ECDH-ES+A256KW", "enc" "A256GCM" and
 * "epk" an EC P-256 JWK, and the parts to have the lengths above. Nothing
 * is decrypted.
 *
 * Return: 0; -EINVAL on NULL arguments; -EBADMSG on a malformed JWE;
 *  -EOPNOTSUPP for other algorithms; -ENOMEM.
 */
int vhsm_kbs_jwe_parse(const char *body, struct vhsm_kbs_jwe *out);

/** vhsm_kbs_jwe_free() - release (NULL-safe) and zero */
void vhsm_kbs_jwe_free(struct vhsm_kbs_jwe *jwe);

/* ---- the client ---- */

/**
 * struct vhsm_kbs_config - where and how to reach the KBS
 * @url:          base URL, e.g. "https://kbs.example:8080" (the client
 *                appends "/kbs/v0/..."); http:// only for tests on loopback
 * @cacert:       PEM file of the CAs to trust for HTTPS; NULL: system CAs
 * @max_attempts: attempts per request on transient failures (connection
 *                errors, timeouts, 5xx, 429; /attest only when no connection
 *                was made, since the server consumes its nonce); 0 means 3,
 *                at most 10
 * @backoff_ms:   delay before the second attempt, doubled for each later
 *                one (capped at 5 s); 0 means 200
 * @timeout_s:    limit for one HTTP exchange; 0 means 30
 */
struct vhsm_kbs_config {
	const char *url;
	const char *cacert;
	unsigned int max_attempts;
	unsigned int backoff_ms;
	long timeout_s;
};

/**
 * struct vhsm_kbs_evidence - what the evidence callback returns
 * @report:     the raw SNP report; REPORT_DATA must be
 *              vhsm_kbs_report_data(nonce, JWK of (@x, @y), "")
 * @report_len: bytes in @report (VHSM_KBS_SNP_REPORT_LEN)
 * @certs:      the platform's GHCB certificate table, malloc()ed by the
 *              callback and freed by the client; NULL when there is none
 * @certs_len:  its length
 * @x, @y:      the tee-pubkey (P-256) the JWE will be encrypted to
 */
struct vhsm_kbs_evidence {
	uint8_t report[VHSM_KBS_SNP_REPORT_LEN];
	size_t report_len;
	uint8_t *certs;
	size_t certs_len;
	uint8_t x[VHSM_KBS_P256_COORD_LEN];
	uint8_t y[VHSM_KBS_P256_COORD_LEN];
};

/**
 * struct vhsm_kbs_challenge - what the evidence callback is given
 * @nonce:               the server's nonce (base64, as received; the
 *                       client has checked it is plain base64 of at most
 *                       1 KiB)
 * @additional_evidence: always "" (no device evidence)
 * @hash_alg:            "sha384", the digest REPORT_DATA must carry
 */
struct vhsm_kbs_challenge {
	const char *nonce;
	const char *additional_evidence;
	const char *hash_alg;
};

/*
 * The evidence callback: fill @ev (zeroed beforehand) for @ch; 0 or a
 * negative errno, which the client returns unchanged.
 */
typedef int (*vhsm_kbs_evidence_fn)(void *arg, const struct vhsm_kbs_challenge *ch,
				    struct vhsm_kbs_evidence *ev);

struct vhsm_kbs_client;

/**
 * vhsm_kbs_client_new() - a client for one KBS
 * @cfg: configuration (copied)
 * @out: the client; release with vhsm_kbs_client_free()
 *
 * Return: 0; -EINVAL on NULL arguments, a URL that is not http(s)://, or
 *  out-of-range limits; -ENOMEM; -EIO if libcurl cannot be initialised.
 */
int vhsm_kbs_client_new(const struct vhsm_kbs_config *cfg,
			struct vhsm_kbs_client **out);

/** vhsm_kbs_client_free() - release (NULL-safe; wipes the token) */
void vhsm_kbs_client_free(struct vhsm_kbs_client *c);

/**
 * vhsm_kbs_attest() - the RCAR handshake: /auth, the callback, /attest
 * @c:   client
 * @fn:  evidence callback
 * @arg: passed to @fn
 *
 * Keeps the session cookie and stores the attestation token for later
 * resource requests.  Before sending, checks that the evidence's REPORT_DATA
 * binds the nonce and the tee-pubkey (-EBADMSG otherwise).
 *
 * Return: 0; -EACCES when the server refused (status 401/403; see
 *  vhsm_kbs_errmsg() for its problem details); -EPROTO on a malformed
 *  answer; -ECONNREFUSED, -ETIMEDOUT, -EHOSTUNREACH, -EIO on transport
 *  failures after the retries; the callback's error; -ENOMEM.
 */
int vhsm_kbs_attest(struct vhsm_kbs_client *c, vhsm_kbs_evidence_fn fn, void *arg);

/**
 * vhsm_kbs_get_resource() - GET /kbs/v0/resource/REPO/TYPE/TAG
 * @c:    client (after vhsm_kbs_attest() or vhsm_kbs_set_token())
 * @path: "REPO/TYPE/TAG", each part of [A-Za-z0-9._-], not starting with '.'
 * @body: [out] the response body as sent (the JWE in flattened JSON or
 *        compact serialization), NUL-terminated
 * @len:  [out] its length
 *
 * Sends the session cookie when there is one, and the token as
 * "Authorization: Bearer".  The body is never decrypted or interpreted
 * beyond being non-empty.
 *
 * Return: 0; -EINVAL on a bad @path; -EACCES (401/403); -ENOENT (404);
 *  transport errors as vhsm_kbs_attest(); -ENOMEM.
 */
int vhsm_kbs_get_resource(struct vhsm_kbs_client *c, const char *path,
			  char **body, size_t *len);

/**
 * vhsm_kbs_provision() - vhsm_kbs_attest() then vhsm_kbs_get_resource()
 * @c, @fn, @arg: as for vhsm_kbs_attest()
 * @path, @body, @len: as for vhsm_kbs_get_resource()
 *
 * A 401 on the resource request (token expired) runs one new handshake and
 * asks once more, as guest-components does: @fn may then be called a
 * second time, with a new nonce, and @body is encrypted to the tee-pubkey
 * of its last call (a kernel session must be opened per call).
 */
int vhsm_kbs_provision(struct vhsm_kbs_client *c, vhsm_kbs_evidence_fn fn, void *arg,
		       const char *path, char **body, size_t *len);

/**
 * vhsm_kbs_set_token() - use an attestation token obtained elsewhere
 * @c:     client
 * @token: the JWS compact token (copied); NULL forgets it
 */
int vhsm_kbs_set_token(struct vhsm_kbs_client *c, const char *token);

/** vhsm_kbs_token() - the current attestation token or NULL */
const char *vhsm_kbs_token(const struct vhsm_kbs_client *c);

/**
 * vhsm_kbs_errmsg() - what went wrong in the last failed call
 *
 * E.g. "POST /kbs/v0/attest: HTTP 401: AttestationError: report refused:
 * measurement" (the server's RFC 7807 type and detail), or a transport
 * message.  Never NULL; "" after success.
 */
const char *vhsm_kbs_errmsg(const struct vhsm_kbs_client *c);

/** vhsm_kbs_http_status() - HTTP status of the last exchange (0: none) */
long vhsm_kbs_http_status(const struct vhsm_kbs_client *c);

#ifdef __cplusplus
}
#endif

#endif /* VHSM_KBS_H */
