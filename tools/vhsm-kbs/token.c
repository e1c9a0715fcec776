// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attestation tokens: JWS compact serialization, ES256 (ECDSA P-256 with
 * SHA-256, the signature as the 64-byte r || s of RFC 7518 3.4), header
 * {"alg":"ES256","typ":"JWT"}. The claims are EAR-style (built in
 * attest.c); here they are only signed, checked and read. A second
 * vhsm-kbs holding just the public key checks them the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "kbs.h"

#define TOKEN_HEADER "{\"alg\":\"ES256\",\"typ\":\"JWT\"}"
#define TOKEN_MAX (64 * 1024)

static int der_to_raw(const uint8_t *der, size_t len, uint8_t raw[64])
{
	const uint8_t *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	int err = -EIO;

	if (!sig)
		return -EIO;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32)
		err = 0;
	ECDSA_SIG_free(sig);
	return err;
}

static int raw_to_der(const uint8_t raw[64], uint8_t **der, int *len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);

	*der = NULL;
	if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return -ENOMEM;
	}
	*len = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);
	return *len > 0 ? 0 : -ENOMEM;
}

int kbs_token_sign(EVP_PKEY *key, const json_t *claims, char **token)
{
	char *hdr = NULL, *body = NULL, *sig = NULL, *payload = NULL, *input = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80], raw[64];
	size_t dlen = sizeof(der);
	int err = -ENOMEM;

	payload = json_dumps(claims, JSON_COMPACT);
	if (!md || !payload)
		goto out;
	err = vhsm_kbs_b64url_encode(TOKEN_HEADER, strlen(TOKEN_HEADER), &hdr);
	if (!err)
		err = vhsm_kbs_b64url_encode(payload, strlen(payload), &body);
	if (err)
		goto out;
	if (asprintf(&input, "%s.%s", hdr, body) < 0) {
		input = NULL;
		err = -ENOMEM;
		goto out;
	}
	err = -EIO;
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &dlen, (uint8_t *)input, strlen(input)) != 1 ||
	    der_to_raw(der, dlen, raw))
		goto out;
	err = vhsm_kbs_b64url_encode(raw, 64, &sig);
	if (!err && asprintf(token, "%s.%s", input, sig) < 0)
		err = -ENOMEM;
out:
	free(hdr);
	free(body);
	free(sig);
	free(payload);
	free(input);
	EVP_MD_CTX_free(md);
	return err;
}

static int check_sig(EVP_PKEY *key, const char *input, size_t ilen, const char *sig64)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t *raw = NULL, *der = NULL;
	size_t rlen = 0;
	int dlen = 0, err;

	err = vhsm_kbs_b64url_decode(sig64, &raw, &rlen);
	if (err || rlen != 64) {
		err = -EKEYREJECTED;
		goto out;
	}
	err = raw_to_der(raw, &der, &dlen);
	if (err)
		goto out;
	if (!md || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestVerify(md, der, (size_t)dlen, (const uint8_t *)input, ilen) != 1)
		err = -EKEYREJECTED;
out:
	free(raw);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return err;
}

static json_t *decode_part(const char *p, size_t n)
{
	char *s = strndup(p, n);
	uint8_t *d = NULL;
	size_t dlen;
	json_t *j = NULL;

	if (s && !vhsm_kbs_b64url_decode(s, &d, &dlen))
		j = json_loadb((char *)d, dlen, JSON_REJECT_DUPLICATES, NULL);
	free(s);
	free(d);
	return j;
}

int kbs_token_verify(EVP_PKEY *key, const char *token, time_t now, json_t **claims)
{
	const char *d1, *d2;
	json_t *hdr = NULL, *c = NULL;
	json_int_t exp, nbf;
	int err = -EBADMSG;

	*claims = NULL;
	if (strlen(token) > TOKEN_MAX || !(d1 = strchr(token, '.')) ||
	    !(d2 = strchr(d1 + 1, '.')) || strchr(d2 + 1, '.'))
		return -EBADMSG;
	hdr = decode_part(token, (size_t)(d1 - token));
	c = decode_part(d1 + 1, (size_t)(d2 - d1 - 1));
	if (!json_is_object(hdr) || !json_is_object(c))
		goto out;
	if (!json_is_string(json_object_get(hdr, "alg")) ||
	    strcmp(json_string_value(json_object_get(hdr, "alg")), "ES256")) {
		err = -EKEYREJECTED;
		goto out;
	}
	err = check_sig(key, token, (size_t)(d2 - token), d2 + 1);
	if (err)
		goto out;
	if (!json_is_integer(json_object_get(c, "exp"))) {
		err = -EBADMSG;
		goto out;
	}
	exp = json_integer_value(json_object_get(c, "exp"));
	nbf = json_integer_value(json_object_get(c, "nbf"));
	if (exp <= now || nbf > now) {
		err = -EKEYEXPIRED;
		goto out;
	}
	*claims = c;
	c = NULL;
out:
	json_decref(hdr);
	json_decref(c);
	return err;
}

int kbs_token_tee_pubkey(const json_t *claims, uint8_t x[32], uint8_t y[32])
{
	const json_t *ae = json_object_get(json_object_get(json_object_get(claims, "submods"),
							   "cpu0"),
					   "ear.veraison.annotated-evidence");
	const json_t *k = json_object_get(json_object_get(ae, "runtime_data_claims"), "tee-pubkey");
	char *s = json_is_object(k) ? json_dumps(k, JSON_COMPACT) : NULL;
	int err;

	if (!s)
		return -EBADMSG;
	err = vhsm_kbs_jwk_parse_p256(s, x, y);
	free(s);
	return err;
}
