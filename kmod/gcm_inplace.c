// SPDX-License-Identifier: GPL-2.0-only
/*
 * One AES-GCM operation in place, with a transform of its own, for the
 * paths that open or make one object at a time (a sealed blob, a
 * provisioned secret's JWE). The key-by-handle operations (ops.c) keep
 * their transforms with the key instead.
 */
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <crypto/aead.h>

#include "gcm_inplace.h"

/**
 * vhsm_gcm_inplace() - AES-GCM over @buf = AAD || text || tag
 * @key:      AES key
 * @key_len:  16, 24 or 32
 * @iv:       the 96-bit IV
 * @buf:      AAD (@aad_len bytes), then the text, then room for the tag
 * @aad_len:  authenticated, not encrypted
 * @text_len: the plaintext's (= the ciphertext's) length, without the tag
 * @enc:      encrypt and append the tag, or check the tag and decrypt
 *
 * Return: 0; -EBADMSG when decryption finds a wrong tag (the text is then
 * undefined: the caller wipes it); other -errno from the crypto API.
 */
int vhsm_gcm_inplace(const u8 *key, unsigned int key_len, const u8 iv[VHSM_GCM_IV_LEN],
		     u8 *buf, u32 aad_len, u32 text_len, bool enc)
{
	u8 ivbuf[VHSM_GCM_IV_LEN];
	struct crypto_aead *tfm;
	struct aead_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_aead_setkey(tfm, key, key_len) ?:
	      crypto_aead_setauthsize(tfm, VHSM_GCM_TAG_LEN);
	if (ret)
		goto out_tfm;
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		ret = -ENOMEM;
		goto out_tfm;
	}
	memcpy(ivbuf, iv, sizeof(ivbuf));	/* the request may write its IV */
	sg_init_one(&sg, buf, aad_len + text_len + VHSM_GCM_TAG_LEN);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	aead_request_set_ad(req, aad_len);
	aead_request_set_crypt(req, &sg, &sg, text_len + (enc ? 0 : VHSM_GCM_TAG_LEN), ivbuf);
	ret = crypto_wait_req(enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req),
			      &wait);
	aead_request_free(req);
out_tfm:
	crypto_free_aead(tfm);
	return ret;
}
