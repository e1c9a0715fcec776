/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An independent JWE opener for the tests: RFC 7516 flattened JSON with
 * ECDH-ES+A256KW and A256GCM, written from the RFCs with plain OpenSSL
 * calls (none of vhsm-kbs's code), as guest-components opens Trustee's
 * responses: the AAD is the received "protected" string.
 */
#ifndef KBS_JWE_OPEN_H
#define KBS_JWE_OPEN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "vhsm/kbs.h"

static int jo_b64(const json_t *o, const char *k, uint8_t **out, size_t *n)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? vhsm_kbs_b64url_decode(s, out, n) : -1;
}

static EVP_PKEY *jo_peer(const json_t *epk)
{
	uint8_t pub[65], *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	EVP_PKEY *k = NULL;

	if (!jo_b64(epk, "x", &x, &nx) && !jo_b64(epk, "y", &y, &ny) && nx == 32 && ny == 32 &&
	    c && b) {
		pub[0] = 4;
		memcpy(pub + 1, x, 32);
		memcpy(pub + 33, y, 32);
		if (OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) &&
		    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, 65) &&
		    (p = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(c) == 1 &&
		    EVP_PKEY_fromdata(c, &k, EVP_PKEY_PUBLIC_KEY, p) != 1)
			k = NULL;
	}
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(c);
	free(x);
	free(y);
	return k;
}

/*
 * Open @jwe with the recipient's private key @priv; the plaintext (malloc)
 * in *pt. 0 or -1. @hdr_out, if not NULL, gets the decoded header text.
 */
static __attribute__((unused)) int jwe_open(const char *jwe, EVP_PKEY *priv, uint8_t **pt, size_t *pt_len,
		    char **hdr_out)
{
	json_t *o = json_loads(jwe, 0, NULL), *hdr = NULL;
	uint8_t *h = NULL, *ek = NULL, *iv = NULL, *ct = NULL, *tag = NULL, *out = NULL;
	size_t hl = 0, ekl = 0, ivl = 0, ctl = 0, tagl = 0, zl = 32;
	uint8_t z[32], kek[32], cek[40], buf[256];
	const char *prot = json_string_value(json_object_get(o, "protected"));
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *dc = NULL;
	EVP_CIPHER_CTX *c = NULL;
	unsigned int dl = 0;
	int n = 0, f = 0, ret = -1, cekl = 0;
	size_t off = 0;

	if (!o || !prot || vhsm_kbs_b64url_decode(prot, &h, &hl) || jo_b64(o, "encrypted_key", &ek, &ekl) ||
	    jo_b64(o, "iv", &iv, &ivl) || jo_b64(o, "ciphertext", &ct, &ctl) ||
	    jo_b64(o, "tag", &tag, &tagl) || ekl != 40 || ivl != 12 || tagl != 16)
		goto out;
	hdr = json_loads((char *)h, 0, NULL);
	if (strcmp(json_string_value(json_object_get(hdr, "alg")) ?: "", "ECDH-ES+A256KW") ||
	    strcmp(json_string_value(json_object_get(hdr, "enc")) ?: "", "A256GCM"))
		goto out;
	peer = jo_peer(json_object_get(hdr, "epk"));
	dc = peer ? EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL) : NULL;
	if (!dc || EVP_PKEY_derive_init(dc) != 1 || EVP_PKEY_derive_set_peer(dc, peer) != 1 ||
	    EVP_PKEY_derive(dc, z, &zl) != 1 || zl != 32)
		goto out;
	/* Concat KDF, RFC 7518 4.6.2: round 1 || Z || AlgorithmID || U || V || keydatalen */
	memcpy(buf + off, "\0\0\0\1", 4), off += 4;
	memcpy(buf + off, z, 32), off += 32;
	memcpy(buf + off, "\0\0\0\x0e" "ECDH-ES+A256KW", 18), off += 18;
	memcpy(buf + off, "\0\0\0\0\0\0\0\0\0\0\1\0", 12), off += 12;
	if (EVP_Digest(buf, off, kek, &dl, EVP_sha256(), NULL) != 1)
		goto out;
	c = EVP_CIPHER_CTX_new();
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_DecryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) != 1 ||
	    EVP_DecryptUpdate(c, cek, &n, ek, 40) != 1 || EVP_DecryptFinal_ex(c, cek + n, &f) != 1)
		goto out;
	cekl = n + f;
	EVP_CIPHER_CTX_free(c);
	c = EVP_CIPHER_CTX_new();
	out = malloc(ctl + 1);
	if (cekl != 32 || !out || EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_DecryptInit_ex(c, NULL, NULL, cek, iv) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &n, (const uint8_t *)prot, (int)strlen(prot)) != 1 ||
	    (ctl && EVP_DecryptUpdate(c, out, &n, ct, (int)ctl) != 1) ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1 ||
	    EVP_DecryptFinal_ex(c, out + (ctl ? n : 0), &f) != 1)
		goto out;
	*pt = out;
	*pt_len = ctl;
	out = NULL;
	if (hdr_out)
		*hdr_out = strdup((char *)h);
	ret = 0;
out:
	EVP_CIPHER_CTX_free(c);
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_free(peer);
	json_decref(hdr);
	json_decref(o);
	free(out);
	free(h);
	free(ek);
	free(iv);
	free(ct);
	free(tag);
	return ret;
}

/* A P-256 private key from its scalar (for the vectors). */
static __attribute__((unused)) EVP_PKEY *p256_priv_from_hex(const char *hex)
{
	uint8_t d[32];
	unsigned int v, i;
	BIGNUM *bn;
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *q = EC_POINT_new(g);
	uint8_t pub[65];
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *p = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	for (i = 0; i < 32; i++) {
		sscanf(hex + 2 * i, "%2x", &v);
		d[i] = (uint8_t)v;
	}
	bn = BN_bin2bn(d, 32, NULL);
	if (EC_POINT_mul(g, q, bn, NULL, NULL, NULL) == 1 &&
	    EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pub, 65, NULL) == 65 &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, 65) &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, bn) &&
	    (p = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(c) == 1 &&
	    EVP_PKEY_fromdata(c, &k, EVP_PKEY_KEYPAIR, p) != 1)
		k = NULL;
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(c);
	BN_free(bn);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return k;
}

#endif /* KBS_JWE_OPEN_H */
