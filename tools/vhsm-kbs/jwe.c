// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The resource as a JWE to the attested tee-pubkey, in the form Trustee
 * sends and guest-components opens (RFC 7516 flattened JSON, RFC 7518
 * ECDH-ES+A256KW and A256GCM):
 *
 *   Z      = ECDH(ephemeral private, tee-pubkey), the x-coordinate (32 B)
 *   KEK    = SHA-256(BE32(1) || Z || BE32(14) || "ECDH-ES+A256KW" ||
 *                    BE32(0) || BE32(0) || BE32(256))     (Concat KDF)
 *   wrapped = AES-256 key wrap (RFC 3394) of a random 32-byte CEK, 40 bytes
 *   header = {"alg":"ECDH-ES+A256KW","enc":"A256GCM",
 *             "epk":{"crv":"P-256","kty":"EC","x":..,"y":..}}
 *   ciphertext, tag = AES-256-GCM(CEK, random 96-bit IV, plaintext,
 *                                 AAD = ASCII(base64url(header)))
 *
 * The header is written in exactly that member order and without spaces,
 * because guest-components re-serializes the decoded header to get the AAD
 * instead of using the received string. Z, KEK and CEK are wiped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "kbs.h"

#define JWE_ALG "ECDH-ES+A256KW"

/* A P-256 key from coordinates and optionally a private scalar. */
static EVP_PKEY *p256_key(const uint8_t *x, const uint8_t *y, const uint8_t *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *d = NULL;
	uint8_t pub[65];

	pub[0] = 4;
	memcpy(pub + 1, x, 32);
	memcpy(pub + 33, y, 32);
	if (!bld || !ctx ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub)))
		goto out;
	if (priv && (!(d = BN_bin2bn(priv, 32, NULL)) ||
		     !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
			      params) != 1)
		pk = NULL;
out:
	OSSL_PARAM_free(params);
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

/* Whether the public key is a valid point of the curve. */
static bool point_ok(EVP_PKEY *pk)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	bool ok = c && EVP_PKEY_public_check(c) == 1;

	EVP_PKEY_CTX_free(c);
	return ok;
}

/* Public coordinates of an ephemeral key given only its scalar. */
static EVP_PKEY *p256_from_priv(const uint8_t priv[32])
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *q = g ? EC_POINT_new(g) : NULL;
	BIGNUM *d = BN_bin2bn(priv, 32, NULL);
	uint8_t pub[65];
	EVP_PKEY *pk = NULL;

	if (q && d && EC_POINT_mul(g, q, d, NULL, NULL, NULL) == 1 &&
	    EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL) == 65)
		pk = p256_key(pub + 1, pub + 33, priv);
	BN_clear_free(d);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return pk;
}

static int pub_coords(EVP_PKEY *pk, uint8_t x[32], uint8_t y[32])
{
	uint8_t pub[65];
	size_t n = 0;

	if (EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &n) != 1 ||
	    n != 65 || pub[0] != 4)
		return -EIO;
	memcpy(x, pub + 1, 32);
	memcpy(y, pub + 33, 32);
	return 0;
}

static int ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t z[32])
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
	size_t n = 32;
	int err = -EIO;

	if (c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
	    EVP_PKEY_derive(c, z, &n) == 1 && n == 32)
		err = 0;
	EVP_PKEY_CTX_free(c);
	return err;
}

/* Concat KDF (NIST SP 800-56A), one SHA-256 round, RFC 7518 4.6.2 inputs. */
static int concat_kdf(const uint8_t z[32], uint8_t kek[32])
{
	static const uint8_t counter[4] = { 0, 0, 0, 1 };
	static const uint8_t other[] = {
		0, 0, 0, 14, 'E', 'C', 'D', 'H', '-', 'E', 'S', '+', 'A', '2', '5', '6', 'K', 'W',
		0, 0, 0, 0,		/* PartyUInfo: empty */
		0, 0, 0, 0,		/* PartyVInfo: empty */
		0, 0, 1, 0,		/* SuppPubInfo: keydatalen 256 bits */
	};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	int err = -EIO;

	if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, counter, 4) == 1 && EVP_DigestUpdate(md, z, 32) == 1 &&
	    EVP_DigestUpdate(md, other, sizeof(other)) == 1 &&
	    EVP_DigestFinal_ex(md, kek, &n) == 1 && n == 32)
		err = 0;
	EVP_MD_CTX_free(md);
	return err;
}

static int key_wrap(const uint8_t kek[32], const uint8_t cek[32], uint8_t out[40])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0, err = -EIO;

	if (!c)
		return -ENOMEM;
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) == 1 &&
	    EVP_EncryptUpdate(c, out, &n1, cek, 32) == 1 &&
	    EVP_EncryptFinal_ex(c, out + n1, &n2) == 1 && n1 + n2 == 40)
		err = 0;
	EVP_CIPHER_CTX_free(c);
	return err;
}

static int gcm_encrypt(const uint8_t cek[32], const uint8_t iv[12], const char *aad,
		       const void *pt, size_t len, uint8_t *ct, uint8_t tag[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, f = 0, err = -EIO;

	if (!c)
		return -ENOMEM;
	if (len > INT32_MAX)
		goto out;
	if (EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1 &&
	    EVP_EncryptInit_ex(c, NULL, NULL, cek, iv) == 1 &&
	    EVP_EncryptUpdate(c, NULL, &n, (const uint8_t *)aad, (int)strlen(aad)) == 1 &&
	    (len == 0 || EVP_EncryptUpdate(c, ct, &n, pt, (int)len) == 1) &&
	    EVP_EncryptFinal_ex(c, ct + (len ? n : 0), &f) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1)
		err = 0;
out:
	EVP_CIPHER_CTX_free(c);
	return err;
}

/* The protected header, base64url, from the ephemeral public key. */
static int header_b64(EVP_PKEY *eph, char **out)
{
	uint8_t ex[32], ey[32];
	char *bx = NULL, *by = NULL, *hdr = NULL;
	int err = pub_coords(eph, ex, ey);

	if (!err)
		err = vhsm_kbs_b64url_encode(ex, 32, &bx);
	if (!err)
		err = vhsm_kbs_b64url_encode(ey, 32, &by);
	if (!err && asprintf(&hdr, "{\"alg\":\"" JWE_ALG "\",\"enc\":\"A256GCM\",\"epk\":"
			     "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}",
			     bx, by) < 0) {
		hdr = NULL;
		err = -ENOMEM;
	}
	if (!err)
		err = vhsm_kbs_b64url_encode(hdr, strlen(hdr), out);
	free(hdr);
	free(bx);
	free(by);
	return err;
}

static int b64_member(json_t *o, const char *k, const void *p, size_t n)
{
	char *s;
	int err = vhsm_kbs_b64url_encode(p, n, &s);

	if (err)
		return err;
	err = json_object_set_new(o, k, json_string(s)) ? -ENOMEM : 0;
	free(s);
	return err;
}

int kbs_jwe_encrypt(const uint8_t x[32], const uint8_t y[32], const void *pt, size_t len,
		    const struct kbs_jwe_fixed *fixed, char **out)
{
	uint8_t z[32], kek[32], cek[32], iv[12], wrapped[40], tag[16], *ct = NULL;
	EVP_PKEY *peer = NULL, *eph = NULL;
	char *prot = NULL;
	json_t *o = NULL;
	int err = -EINVAL;

	if (!x || !y || (!pt && len) || !out || len > KBS_MAX_RESOURCE)
		return -EINVAL;
	peer = p256_key(x, y, NULL);
	if (!peer || !point_ok(peer))
		goto out;
	eph = fixed ? p256_from_priv(fixed->eph_priv) : EVP_EC_gen("P-256");
	err = -EIO;
	if (!eph)
		goto out;
	if (fixed) {
		memcpy(cek, fixed->cek, 32);
		memcpy(iv, fixed->iv, 12);
	} else if (RAND_priv_bytes(cek, 32) != 1 || RAND_bytes(iv, 12) != 1) {
		goto out;
	}
	ct = malloc(len ? len : 1);
	err = ct ? 0 : -ENOMEM;
	if (!err)
		err = ecdh(eph, peer, z);
	if (!err)
		err = concat_kdf(z, kek);
	if (!err)
		err = key_wrap(kek, cek, wrapped);
	if (!err)
		err = header_b64(eph, &prot);
	if (!err)
		err = gcm_encrypt(cek, iv, prot, pt, len, ct, tag);
	if (err)
		goto out;
	o = json_pack("{s:s}", "protected", prot);
	err = o ? 0 : -ENOMEM;
	if (!err)
		err = b64_member(o, "encrypted_key", wrapped, 40);
	if (!err)
		err = b64_member(o, "iv", iv, 12);
	if (!err)
		err = b64_member(o, "ciphertext", ct, len);
	if (!err)
		err = b64_member(o, "tag", tag, 16);
	if (!err && !(*out = json_dumps(o, JSON_COMPACT)))
		err = -ENOMEM;
out:
	OPENSSL_cleanse(z, sizeof(z));
	OPENSSL_cleanse(kek, sizeof(kek));
	OPENSSL_cleanse(cek, sizeof(cek));
	if (ct) {
		OPENSSL_cleanse(ct, len);
		free(ct);
	}
	json_decref(o);
	free(prot);
	EVP_PKEY_free(eph);
	EVP_PKEY_free(peer);
	return err;
}
