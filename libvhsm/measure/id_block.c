// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ID block and its authentication information (SNP firmware ABI,
 * SNP_LAUNCH_FINISH): the image owner signs the expected launch digest, its
 * IDs, SVN and policy with the ID key, and the author key signs the ID key.
 * The AMD-SP refuses to finish a launch whose digest or policy differs, and
 * reports the SHA-384 of both public keys (ID_KEY_DIGEST, AUTHOR_KEY_DIGEST).
 *
 * ID_BLOCK (0x60): LD 48 | FAMILY_ID 16 | IMAGE_ID 16 | VERSION u32 = 1 |
 *                  GUEST_SVN u32 | POLICY u64
 * ID_AUTH_INFO (0x1000): ID_KEY_ALGO u32 @0 | AUTH_KEY_ALGO u32 @4 |
 *   ID_BLOCK_SIG @0x40 | ID_KEY @0x240 | ID_KEY_SIG @0x680 | AUTHOR_KEY @0x880
 * public key (0x404): CURVE u32 (2 = P-384) | QX 72 | QY 72 (little-endian)
 * signature (0x200):  R 72 | S 72 (little-endian), ECDSA P-384 with SHA-384
 */
#include <errno.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <vhsm/measure.h>

#include "measure_internal.h"

#define ALGO_ECDSA_P384_SHA384	1
#define CURVE_P384		2
#define COORD_LEN		72
#define AUTH_ID_BLOCK_SIG	0x040
#define AUTH_ID_KEY		0x240
#define AUTH_ID_KEY_SIG		0x680
#define AUTH_AUTHOR_KEY		0x880
#define SNP_POLICY_RSVD1	(1ull << 17)

/* never prompt for a passphrase: an encrypted key is refused */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf; (void)size; (void)rwflag; (void)u;
	return -1;
}

static EVP_PKEY *load_key(const char *pem, size_t len)
{
	EVP_PKEY *k = NULL;
	char name[16];
	BIO *b;

	if (!pem || !len || len > 1u << 20)
		return NULL;
	b = BIO_new_mem_buf(pem, (int)len);
	if (b)
		k = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	BIO_free(b);
	if (k && (!EVP_PKEY_is_a(k, "EC") ||
		  !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, name,
						  sizeof(name), NULL) ||
		  strcmp(name, "secp384r1"))) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

static int bn_le(const BIGNUM *bn, uint8_t *out)
{
	return BN_bn2lebinpad(bn, out, COORD_LEN) == COORD_LEN ? 0 : -EIO;
}

/* the 0x404-byte public key structure */
static int pubkey(EVP_PKEY *k, uint8_t out[VHSM_ID_PUBKEY_SIZE])
{
	BIGNUM *x = NULL, *y = NULL;
	int ret = -EIO;

	memset(out, 0, VHSM_ID_PUBKEY_SIZE);
	_vm_put32(out, CURVE_P384);
	if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) &&
	    !bn_le(x, out + 4) && !bn_le(y, out + 4 + COORD_LEN))
		ret = 0;
	BN_free(x);
	BN_free(y);
	return ret;
}

/* ECDSA P-384/SHA-384 over MSG into the 0x200-byte signature structure */
static int sign(EVP_PKEY *k, const uint8_t *msg, size_t len, uint8_t out[0x200])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const BIGNUM *r, *s;
	uint8_t der[128];
	const uint8_t *p = der;
	size_t dlen = sizeof(der);
	ECDSA_SIG *sig = NULL;
	int ret = -EIO;

	memset(out, 0, 0x200);
	if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, der, &dlen, msg, len) != 1)
		goto out;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	if (!sig)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	if (!bn_le(r, out) && !bn_le(s, out + COORD_LEN))
		ret = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
	return ret;
}

static void block_bytes(const struct vhsm_id_block *b, uint8_t out[VHSM_ID_BLOCK_SIZE])
{
	memcpy(out, b->launch_digest, VHSM_LD_SIZE);
	memcpy(out + 0x30, b->family_id, 16);
	memcpy(out + 0x40, b->image_id, 16);
	_vm_put32(out + 0x50, 1);		/* VERSION */
	_vm_put32(out + 0x54, b->guest_svn);
	_vm_put64(out + 0x58, b->policy);
}

static int digest(const uint8_t *key, uint8_t out[VHSM_LD_SIZE])
{
	return EVP_Digest(key, VHSM_ID_PUBKEY_SIZE, out, NULL, EVP_sha384(), NULL) == 1 ?
	       0 : -EIO;
}

int vhsm_id_block_build(const struct vhsm_id_block *blk,
			const char *id_key_pem, size_t id_key_len,
			const char *author_key_pem, size_t author_key_len,
			uint8_t block[VHSM_ID_BLOCK_SIZE], uint8_t auth[VHSM_ID_AUTH_SIZE],
			uint8_t id_key_digest[VHSM_LD_SIZE],
			uint8_t author_key_digest[VHSM_LD_SIZE],
			char *err, size_t errlen)
{
	EVP_PKEY *idk = NULL, *ak = NULL;
	int ret;

	if (!blk || !block || !auth || !id_key_digest || !author_key_digest)
		return _vm_fail(err, errlen, -EINVAL, "missing argument");
	if (!(blk->policy & SNP_POLICY_RSVD1))
		return _vm_fail(err, errlen, -EINVAL,
				"guest policy 0x%llx: bit 17 is reserved and must be 1",
				(unsigned long long)blk->policy);
	idk = load_key(id_key_pem, id_key_len);
	if (!idk)
		return _vm_fail(err, errlen, -EINVAL, "the ID key is not an unencrypted P-384 private key in PEM");
	ak = load_key(author_key_pem, author_key_len);
	if (!ak) {
		ret = _vm_fail(err, errlen, -EINVAL,
			       "the author key is not an unencrypted P-384 private key in PEM");
		goto out;
	}
	memset(auth, 0, VHSM_ID_AUTH_SIZE);
	block_bytes(blk, block);
	_vm_put32(auth, ALGO_ECDSA_P384_SHA384);
	_vm_put32(auth + 4, ALGO_ECDSA_P384_SHA384);
	ret = pubkey(idk, auth + AUTH_ID_KEY);
	ret = ret ?: pubkey(ak, auth + AUTH_AUTHOR_KEY);
	ret = ret ?: sign(idk, block, VHSM_ID_BLOCK_SIZE, auth + AUTH_ID_BLOCK_SIG);
	ret = ret ?: sign(ak, auth + AUTH_ID_KEY, VHSM_ID_PUBKEY_SIZE, auth + AUTH_ID_KEY_SIG);
	ret = ret ?: digest(auth + AUTH_ID_KEY, id_key_digest);
	ret = ret ?: digest(auth + AUTH_AUTHOR_KEY, author_key_digest);
	if (ret)
		_vm_fail(err, errlen, ret, "signing the ID block failed (OpenSSL)");
out:
	EVP_PKEY_free(ak);
	EVP_PKEY_free(idk);
	return ret;
}
