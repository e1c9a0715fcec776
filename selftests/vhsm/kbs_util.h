/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The broker's side of a provisioning session, written independently of the
 * kernel with OpenSSL and jansson, for the session selftests:
 * - the KBS runtime data as RFC 8785 canonical JSON (jansson with sorted keys
 *   and compact separators: for string-only members this is the canonical
 *   form) and its SHA-384 REPORT_DATA;
 * - a flattened JWE sealed to a P-256 JWK exactly as Trustee's KBS does it
 *   (ECDH-ES+A256KW, Concat KDF with SHA-256, RFC 3394 wrap, A256GCM with the
 *   base64url protected header as AAD), with optional fixed ephemeral key,
 *   CEK and IV so the result can be compared with the reference vector.
 * Functions return 0 or -1.
 */
#ifndef VHSM_KBS_UTIL_H
#define VHSM_KBS_UTIL_H

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KU_B64_MAX	512

/* base64url without padding into out (NUL-terminated). */
static inline void ku_b64url(const uint8_t *in, size_t len, char *out)
{
	int n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);

	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	for (int i = 0; i < n; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
}

/* Decodes base64url (no padding); returns the length or -1. */
static inline int ku_unb64url(const char *in, uint8_t *out, size_t cap)
{
	char buf[KU_B64_MAX + 4];
	size_t len = strlen(in), i;
	uint8_t tmp[KU_B64_MAX];
	int n;

	if (len > KU_B64_MAX)
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
	while (i % 4)
		buf[i++] = '=';
	n = EVP_DecodeBlock(tmp, (unsigned char *)buf, (int)i);
	if (n < 0)
		return -1;
	n -= (int)(i - len);		/* padding characters */
	if (n < 0 || (size_t)n > cap)
		return -1;
	memcpy(out, tmp, n);
	return n;
}

static inline int ku_hex(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return strlen(hex) == 2 * len ? 0 : -1;
}

/* The canonical runtime data (malloc'd string). */
static inline char *ku_runtime_data(const char *nonce, const char *x, const char *y,
				    int with_addev)
{
	json_t *o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "nonce", nonce,
			      "tee-pubkey", "kty", "EC", "crv", "P-256",
			      "alg", "ECDH-ES+A256KW", "x", x, "y", y);
	char *s;

	if (!o)
		return NULL;
	if (with_addev)
		json_object_set_new(o, "additional-evidence", json_string(""));
	s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(o);
	return s;
}

/* REPORT_DATA = SHA-384(runtime data) || 16 zero bytes. */
static inline int ku_report_data(const char *nonce, const char *x, const char *y,
				 int with_addev, uint8_t rd[64])
{
	char *s = ku_runtime_data(nonce, x, y, with_addev);
	unsigned int n = 0;
	int ok;

	if (!s)
		return -1;
	memset(rd, 0, 64);
	ok = EVP_Digest(s, strlen(s), rd, &n, EVP_sha384(), NULL);
	free(s);
	return ok && n == 48 ? 0 : -1;
}

/* An EVP_PKEY for a P-256 public key from its base64url coordinates. */
static inline EVP_PKEY *ku_p256_pub(const char *x, const char *y)
{
	uint8_t pt[65] = { 0x04 };
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;

	if (!b || ku_unb64url(x, pt + 1, 32) != 32 || ku_unb64url(y, pt + 33, 32) != 32)
		goto out;
	if (!OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)))
		goto out;
	p = OSSL_PARAM_BLD_to_param(b);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!p || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, p) <= 0)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	return pk;
}

/* A P-256 key pair from a fixed private scalar (hex), or a fresh one. */
static inline EVP_PKEY *ku_p256_keypair(const char *d_hex)
{
	OSSL_PARAM_BLD *b;
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *d = NULL;
	EC_POINT *pub = NULL;
	EC_GROUP *g = NULL;
	uint8_t pt[65];

	if (!d_hex)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	b = OSSL_PARAM_BLD_new();
	g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	if (!b || !g || !BN_hex2bn(&d, d_hex) || !(pub = EC_POINT_new(g)) ||
	    !EC_POINT_mul(g, pub, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(g, pub, POINT_CONVERSION_UNCOMPRESSED, pt, 65, NULL) != 65)
		goto out;
	if (!OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pt, 65) ||
	    !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d))
		goto out;
	p = OSSL_PARAM_BLD_to_param(b);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!p || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, p) <= 0)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	EC_POINT_free(pub);
	EC_GROUP_free(g);
	BN_free(d);
	return pk;
}

/* The flattened JWE's members, base64url text. */
struct ku_jwe {
	char protected[KU_B64_MAX];
	char encrypted_key[KU_B64_MAX];
	char iv[KU_B64_MAX];
	char ciphertext[KU_B64_MAX];
	char tag[KU_B64_MAX];
};

/* Fixed inputs for known-answer sealing; NULL members are random. */
struct ku_seal_fixed {
	const char *eph_d_hex;
	const uint8_t *cek;	/* 32 bytes */
	const uint8_t *iv;	/* 12 bytes */
	const char *header_fmt;	/* printf format with %s %s for x, y; NULL: Trustee's */
};

#define KU_TRUSTEE_HEADER \
	"{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\"," \
	"\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}"

static inline int ku_ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t z[32])
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(mine, NULL);
	size_t zl = 32;
	int ok = c && EVP_PKEY_derive_init(c) > 0 && EVP_PKEY_derive_set_peer(c, peer) > 0 &&
		 EVP_PKEY_derive(c, z, &zl) > 0 && zl == 32;

	EVP_PKEY_CTX_free(c);
	return ok ? 0 : -1;
}

static inline int ku_concat_kdf(const uint8_t z[32], uint8_t kek[32])
{
	static const uint8_t pre[4] = { 0, 0, 0, 1 };
	static const uint8_t other[] = {
		0, 0, 0, 14, 'E', 'C', 'D', 'H', '-', 'E', 'S', '+', 'A', '2', '5', '6', 'K', 'W',
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
	};
	uint8_t buf[4 + 32 + sizeof(other)];
	unsigned int n = 0;

	memcpy(buf, pre, 4);
	memcpy(buf + 4, z, 32);
	memcpy(buf + 36, other, sizeof(other));
	return EVP_Digest(buf, sizeof(buf), kek, &n, EVP_sha256(), NULL) && n == 32 ? 0 : -1;
}

static inline int ku_wrap(const uint8_t kek[32], const uint8_t cek[32], uint8_t out[40])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, m = 0, ok;

	if (!c)
		return -1;
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	ok = EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) &&
	     EVP_EncryptUpdate(c, out, &n, cek, 32) && EVP_EncryptFinal_ex(c, out + n, &m) &&
	     n + m == 40;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* AES-256-GCM encrypt; tag 16 bytes. */
static inline int ku_gcm(const uint8_t key[32], const uint8_t iv[12], const void *aad,
			 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
			 uint8_t tag[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, m = 0, ok;

	ok = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv) &&
	     EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) &&
	     EVP_EncryptUpdate(c, out, &n, in, (int)len) && EVP_EncryptFinal_ex(c, out + n, &m) &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* Seal @plain to the P-256 key (x, y) as a KBS resource. */
static inline int ku_seal(const char *x, const char *y, const uint8_t *plain, size_t len,
			  const struct ku_seal_fixed *fx, struct ku_jwe *out)
{
	uint8_t z[32], kek[32], cek[32], iv[12], wrapped[40], tag[16], ct[256], pt[65];
	char hdr[KU_B64_MAX], ex[64], ey[64];
	EVP_PKEY *peer = ku_p256_pub(x, y), *eph = ku_p256_keypair(fx ? fx->eph_d_hex : NULL);
	size_t ptl = sizeof(pt);
	int ret = -1;

	if (!peer || !eph || len > sizeof(ct) ||
	    !EVP_PKEY_get_octet_string_param(eph, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &ptl) ||
	    ptl != 65)
		goto out;
	ku_b64url(pt + 1, 32, ex);
	ku_b64url(pt + 33, 32, ey);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(hdr, sizeof(hdr), fx && fx->header_fmt ? fx->header_fmt : KU_TRUSTEE_HEADER, ex, ey);
#pragma GCC diagnostic pop
	if (fx && fx->cek)
		memcpy(cek, fx->cek, 32);
	else
		RAND_bytes(cek, 32);
	if (fx && fx->iv)
		memcpy(iv, fx->iv, 12);
	else
		RAND_bytes(iv, 12);
	if (ku_ecdh(eph, peer, z) || ku_concat_kdf(z, kek) || ku_wrap(kek, cek, wrapped))
		goto out;
	ku_b64url((const uint8_t *)hdr, strlen(hdr), out->protected);
	if (ku_gcm(cek, iv, out->protected, strlen(out->protected), plain, len, ct, tag))
		goto out;
	ku_b64url(wrapped, 40, out->encrypted_key);
	ku_b64url(iv, 12, out->iv);
	ku_b64url(ct, len, out->ciphertext);
	ku_b64url(tag, 16, out->tag);
	ret = 0;
out:
	EVP_PKEY_free(peer);
	EVP_PKEY_free(eph);
	return ret;
}

#endif /* VHSM_KBS_UTIL_H */
