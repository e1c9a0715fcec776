// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening a KBS resource JWE (RFC 7516/7518) with a session's P-256 private
 * key, the way Trustee's KBS seals it:
 *
 *   Z     = ECDH(session key, epk).x                            (32 bytes)
 *   KEK   = SHA-256(BE32(1) || Z || BE32(14) || "ECDH-ES+A256KW" ||
 *                   BE32(|apu|) || apu || BE32(|apv|) || apv || BE32(256))
 *           (Concat KDF, RFC 7518 §4.6.2, one round)
 *   CEK   = AES-256 key unwrap (RFC 3394) of encrypted_key under KEK
 *   plain = AES-256-GCM decrypt of ciphertext with CEK, the 12-byte iv and
 *           16-byte tag, AAD = the ASCII of the protected member as received
 *
 * Every intermediate secret (Z, KEK, the expanded AES schedule, CEK, the
 * decrypted buffer) lives in one heap work area freed with kfree_sensitive.
 * Any failure is -EBADMSG (or -ENOMEM); nothing is written to @plain then.
 */
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vhsm.h>

#include "compat.h"
#include "ecc.h"
#include "jose.h"
#include "gcm_inplace.h"
#include "jwe.h"

#define JWE_ALG		"ECDH-ES+A256KW"
#define KW_BLOCKS	4			/* a 256-bit CEK in 64-bit blocks */
#define KW_WRAPPED_LEN	(8 * (KW_BLOCKS + 1))
#define CEK_LEN		32
#define GCM_IV_LEN	VHSM_GCM_IV_LEN
#define GCM_TAG_LEN	VHSM_GCM_TAG_LEN

struct jwe_work {
	struct vhsm_jwe_header hdr;
	struct vhsm_aes_key aes;
	u8 peer[2 * VHSM_JOSE_P256_BYTES];
	u8 z[VHSM_JOSE_P256_BYTES];
	u8 kek[SHA256_DIGEST_SIZE];
	u8 wrapped[KW_WRAPPED_LEN];
	u8 cek[CEK_LEN];
	u8 iv[GCM_IV_LEN];
	char header[VHSM_JWE_PROTECTED_MAX];
};

static void be32_update(struct vhsm_sha256_ctx *st, u32 v)
{
	__be32 b = cpu_to_be32(v);

	sha256_update(st, (const u8 *)&b, sizeof(b));
}

static void concat_kdf(struct jwe_work *w)
{
	struct vhsm_sha256_ctx st;

	sha256_init(&st);
	be32_update(&st, 1);
	sha256_update(&st, w->z, sizeof(w->z));
	be32_update(&st, strlen(JWE_ALG));
	sha256_update(&st, JWE_ALG, strlen(JWE_ALG));
	be32_update(&st, w->hdr.apu_len);
	sha256_update(&st, w->hdr.apu, w->hdr.apu_len);
	be32_update(&st, w->hdr.apv_len);
	sha256_update(&st, w->hdr.apv, w->hdr.apv_len);
	be32_update(&st, 8 * CEK_LEN);
	sha256_final(&st, w->kek);
	memzero_explicit(&st, sizeof(st));
}

/* RFC 3394 §2.2.2 unwrap of w->wrapped under w->kek into w->cek. */
static int key_unwrap(struct jwe_work *w)
{
	static const u8 iv[8] = { 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6 };
	u8 block[AES_BLOCK_SIZE], a[8];
	int i, j, ret;

	ret = vhsm_aes_preparekey(&w->aes, w->kek, sizeof(w->kek));
	if (ret)
		return ret;
	memcpy(a, w->wrapped, 8);
	memcpy(w->cek, w->wrapped + 8, CEK_LEN);
	for (j = 5; j >= 0; j--) {
		for (i = KW_BLOCKS; i >= 1; i--) {
			u64 t = (u64)KW_BLOCKS * j + i;

			put_unaligned_be64(get_unaligned_be64(a) ^ t, block);
			memcpy(block + 8, w->cek + 8 * (i - 1), 8);
			aes_decrypt(&w->aes, block, block);
			memcpy(a, block, 8);
			memcpy(w->cek + 8 * (i - 1), block + 8, 8);
		}
	}
	ret = crypto_memneq(a, iv, sizeof(iv)) ? -EBADMSG : 0;
	memzero_explicit(block, sizeof(block));
	memzero_explicit(a, sizeof(a));
	return ret;
}

/* Z and KEK from the header's epk and the session key. */
static int jwe_agree(struct jwe_work *w, const u8 *priv, const struct vhsm_jwe_parts *jwe)
{
	int n;

	n = vhsm_b64url_decode(jwe->protected, jwe->protected_len, w->header,
			       sizeof(w->header));
	if (n < 0 || vhsm_jwe_header_parse(w->header, n, &w->hdr))
		return -EBADMSG;
	memcpy(w->peer, w->hdr.epk_x, VHSM_JOSE_P256_BYTES);
	memcpy(w->peer + VHSM_JOSE_P256_BYTES, w->hdr.epk_y, VHSM_JOSE_P256_BYTES);
	if (vhsm_ecc_ecdh(VHSM_ECC_P256, priv, w->peer, w->z))
		return -EBADMSG;
	concat_kdf(w);
	n = vhsm_b64url_decode(jwe->encrypted_key, jwe->encrypted_key_len,
			       w->wrapped, sizeof(w->wrapped));
	if (n != KW_WRAPPED_LEN)
		return -EBADMSG;
	return key_unwrap(w) ? -EBADMSG : 0;
}

/* buf = AAD || ciphertext || tag from the parts; returns the ciphertext length. */
static int jwe_content(struct jwe_work *w, const struct vhsm_jwe_parts *jwe, u8 *buf)
{
	u8 *ct = buf + jwe->protected_len;
	int n;

	memcpy(buf, jwe->protected, jwe->protected_len);
	if (vhsm_b64url_decode(jwe->iv, jwe->iv_len, w->iv, sizeof(w->iv)) != GCM_IV_LEN)
		return -EBADMSG;
	n = vhsm_b64url_decode(jwe->ciphertext, jwe->ciphertext_len, ct,
			       VHSM_JWE_PLAINTEXT_MAX);
	if (n <= 0)
		return -EBADMSG;
	if (vhsm_b64url_decode(jwe->tag, jwe->tag_len, ct + n, GCM_TAG_LEN) != GCM_TAG_LEN)
		return -EBADMSG;
	return n;
}

/**
 * vhsm_jwe_open() - decrypt a resource JWE to a session key
 * @priv:      the session's P-256 private scalar (32 bytes, big-endian)
 * @jwe:       the members (lengths bounded by the caller: protected at most
 *             VHSM_JWE_PROTECTED_MAX, the others at most a few hundred)
 * @plain:     [out] the plaintext, written only on success
 * @cap:       its capacity
 * @plain_len: [out] the plaintext length
 *
 * Return: 0, -EBADMSG (malformed, unsupported, not for this key, tampered,
 * or longer than @cap), -ENOMEM, or an error from allocating "gcm(aes)".
 */
int vhsm_jwe_open(const u8 *priv, const struct vhsm_jwe_parts *jwe,
		  u8 *plain, u32 cap, u32 *plain_len)
{
	struct jwe_work *w;
	u8 *buf;
	int n, ret;

	if (jwe->protected_len > VHSM_JWE_PROTECTED_MAX ||
	    jwe->ciphertext_len > VHSM_JWE_CIPHERTEXT_MAX)
		return -EBADMSG;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	buf = kzalloc(jwe->protected_len + VHSM_JWE_PLAINTEXT_MAX + GCM_TAG_LEN, GFP_KERNEL);
	ret = -ENOMEM;
	if (!w || !buf)
		goto out;
	ret = jwe_agree(w, priv, jwe);
	if (ret)
		goto out;
	n = jwe_content(w, jwe, buf);
	ret = n;
	if (n < 0)
		goto out;
	ret = vhsm_gcm_inplace(w->cek, CEK_LEN, w->iv, buf, jwe->protected_len, n, false);
	if (ret)
		goto out;	/* -EBADMSG: authentication failed */
	ret = -EBADMSG;
	if (n > cap)
		goto out;
	memcpy(plain, buf + jwe->protected_len, n);
	*plain_len = n;
	ret = 0;
out:
	kfree_sensitive(buf);
	kfree_sensitive(w);
	return ret;
}
