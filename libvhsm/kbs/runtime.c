// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The KBS runtime data and the REPORT_DATA that binds it (protocol 0.4.0):
 *
 *   REPORT_DATA = SHA-384(JCS({"additional-evidence": <string>,
 *                               "nonce": <challenge nonce>,
 *                               "tee-pubkey": <JWK>})) || 16 zero bytes
 *
 * and the tee-pubkey JWK of an EC P-256 key, in the member order
 * guest-components sends (the order does not matter to the digest: JCS
 * sorts).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

#define KBS_JWE_ALG "ECDH-ES+A256KW"

int vhsm_kbs_jwk_p256(const uint8_t x[VHSM_KBS_P256_COORD_LEN],
		      const uint8_t y[VHSM_KBS_P256_COORD_LEN], char **out)
{
	char *bx = NULL, *by = NULL;
	json_t *jwk;
	int err;

	if (!x || !y || !out)
		return -EINVAL;
	err = vhsm_kbs_b64url_encode(x, VHSM_KBS_P256_COORD_LEN, &bx);
	if (!err)
		err = vhsm_kbs_b64url_encode(y, VHSM_KBS_P256_COORD_LEN, &by);
	if (err)
		goto out;
	jwk = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256",
			"alg", KBS_JWE_ALG, "x", bx, "y", by);
	*out = jwk ? json_dumps(jwk, JSON_COMPACT) : NULL;
	json_decref(jwk);
	err = *out ? 0 : -ENOMEM;
out:
	free(bx);
	free(by);
	return err;
}

static int coord(const json_t *jwk, const char *name, uint8_t out[VHSM_KBS_P256_COORD_LEN])
{
	const char *s = json_string_value(json_object_get(jwk, name));
	uint8_t *b;
	size_t n;

	if (!s || vhsm_kbs_b64url_decode(s, &b, &n))
		return -EINVAL;
	if (n == VHSM_KBS_P256_COORD_LEN)
		memcpy(out, b, n);
	free(b);
	return n == VHSM_KBS_P256_COORD_LEN ? 0 : -EINVAL;
}

/* OpenSSL takes (x, y) as a P-256 public key only if the point is on the curve */
static bool p256_on_curve(const uint8_t *x, const uint8_t *y)
{
	uint8_t point[1 + 2 * VHSM_KBS_P256_COORD_LEN];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM params[3];
	bool ok;

	point[0] = 0x04;
	memcpy(point + 1, x, VHSM_KBS_P256_COORD_LEN);
	memcpy(point + 1 + VHSM_KBS_P256_COORD_LEN, y, VHSM_KBS_P256_COORD_LEN);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)"prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point,
						      sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	ok = ctx && EVP_PKEY_fromdata_init(ctx) > 0 &&
	     EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0;
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

static int jwk_parse(const json_t *jwk, uint8_t *x, uint8_t *y)
{
	const char *kty, *crv;
	const json_t *alg;

	if (!json_is_object(jwk))
		return -EINVAL;
	kty = json_string_value(json_object_get(jwk, "kty"));
	crv = json_string_value(json_object_get(jwk, "crv"));
	alg = json_object_get(jwk, "alg");
	if (!kty || (alg && !json_is_string(alg)))
		return -EINVAL;
	if (strcmp(kty, "EC"))
		return -EOPNOTSUPP;
	if (!crv)
		return -EINVAL;
	if (strcmp(crv, "P-256") || (alg && strcmp(json_string_value(alg), KBS_JWE_ALG)))
		return -EOPNOTSUPP;
	if (coord(jwk, "x", x) || coord(jwk, "y", y) || !p256_on_curve(x, y))
		return -EINVAL;
	return 0;
}

int vhsm_kbs_jwk_parse_p256(const char *jwk, uint8_t x[VHSM_KBS_P256_COORD_LEN],
			    uint8_t y[VHSM_KBS_P256_COORD_LEN])
{
	json_t *v;
	int err;

	if (!jwk || !x || !y)
		return -EINVAL;
	v = json_loads(jwk, JSON_REJECT_DUPLICATES, NULL);
	err = v ? jwk_parse(v, x, y) : -EINVAL;
	json_decref(v);
	return err;
}

int vhsm_kbs_runtime_data(const char *nonce, const char *jwk,
			  const char *additional_evidence, char **out)
{
	json_t *key, *rd = NULL;
	int err;

	if (!nonce || !jwk || !out)
		return -EINVAL;
	key = json_loads(jwk, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(key)) {
		json_decref(key);
		return -EINVAL;
	}
	rd = json_pack("{s:s,s:s,s:o}", "additional-evidence",
		       additional_evidence ? additional_evidence : "",
		       "nonce", nonce, "tee-pubkey", key);
	if (!rd)	/* json_pack() released @key; a bad UTF-8 string fails too */
		return -EINVAL;
	err = _vhsm_kbs_jcs(rd, out);
	json_decref(rd);
	return err;
}

int vhsm_kbs_report_data(const char *nonce, const char *jwk,
			 const char *additional_evidence,
			 uint8_t out[VHSM_KBS_REPORT_DATA_LEN])
{
	unsigned int dlen = 0;
	char *canon;
	int err;

	if (!out)
		return -EINVAL;
	err = vhsm_kbs_runtime_data(nonce, jwk, additional_evidence, &canon);
	if (err)
		return err;
	memset(out, 0, VHSM_KBS_REPORT_DATA_LEN);
	if (EVP_Digest(canon, strlen(canon), out, &dlen, EVP_sha384(), NULL) != 1 ||
	    dlen != 48)
		err = -EIO;
	free(canon);
	return err;
}
