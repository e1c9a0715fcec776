// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bulk encryption with stored keys through the kernel crypto API: AF_ALG
 * sockets (libkcapi) bound to the vhsm(...) template and keyed with a key
 * token. The data goes to the kernel's cipher directly, without the
 * /dev/vhsm ioctl's bounce buffers and its max_data_len; the key never
 * reaches this process (setkey carries the public token, and the module
 * checks the calling task against the key's owner, mode and usage there).
 *
 * The scatter lists keep the caller's buffers apart (AAD, data, tag), so
 * nothing is copied here except the AAD the kernel echoes back, into a
 * scratch buffer each handle keeps and only grows (no allocation per call
 * once it has seen the largest AAD).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <kcapi.h>

#include "internal.h"

enum bulk_kind { BULK_AEAD, BULK_SKCIPHER };

struct vhsm_bulk {
	struct kcapi_handle *kh;
	enum bulk_kind kind;
	uint8_t *echo;		/* where the kernel echoes the AAD back */
	size_t echo_len;
};

static int bulk_new(enum bulk_kind kind, const char *alg, const uint8_t *token,
		    struct vhsm_bulk **out)
{
	struct vhsm_bulk *b;
	int ret;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->kind = kind;
	if (kind == BULK_AEAD) {
		ret = kcapi_aead_init(&b->kh, alg, 0);
		if (!ret)
			ret = kcapi_aead_setkey(b->kh, token, VHSM_TOKEN_LEN);
		if (!ret)
			ret = kcapi_aead_settaglen(b->kh, VHSM_BULK_GCM_TAG_LEN);
	} else {
		ret = kcapi_cipher_init(&b->kh, alg, 0);
		if (!ret)
			ret = kcapi_cipher_setkey(b->kh, token, VHSM_TOKEN_LEN);
	}
	if (ret) {
		vhsm_bulk_close(b);
		return ret < 0 ? ret : -EIO;
	}
	*out = b;
	return 0;
}

int vhsm_bulk_aead_open_token(const uint8_t token[VHSM_TOKEN_LEN], struct vhsm_bulk **out)
{
	if (!token || !out)
		return -EINVAL;
	return bulk_new(BULK_AEAD, "vhsm(gcm(aes))", token, out);
}

int vhsm_bulk_aead_open(struct vhsm *h, uint32_t handle, struct vhsm_bulk **out)
{
	uint8_t token[VHSM_TOKEN_LEN];
	int ret;

	if (!out)
		return -EINVAL;
	ret = vhsm_key_token(h, handle, token);
	return ret ? ret : vhsm_bulk_aead_open_token(token, out);
}

/* "vhsm(xts(aes))" or "vhsm(cbc(aes))" for @mode; NULL for any other. */
static const char *bulk_skcipher_alg(const char *mode)
{
	if (mode && !strcmp(mode, "xts"))
		return "vhsm(xts(aes))";
	if (mode && !strcmp(mode, "cbc"))
		return "vhsm(cbc(aes))";
	return NULL;
}

int vhsm_bulk_skcipher_open_token(const uint8_t token[VHSM_TOKEN_LEN], const char *mode,
				  struct vhsm_bulk **out)
{
	const char *alg = bulk_skcipher_alg(mode);

	if (!token || !out || !alg)
		return -EINVAL;
	return bulk_new(BULK_SKCIPHER, alg, token, out);
}

int vhsm_bulk_skcipher_open(struct vhsm *h, uint32_t handle, const char *mode,
			    struct vhsm_bulk **out)
{
	uint8_t token[VHSM_TOKEN_LEN];
	int ret;

	if (!out || !bulk_skcipher_alg(mode))
		return -EINVAL;
	ret = vhsm_key_token(h, handle, token);
	return ret ? ret : vhsm_bulk_skcipher_open_token(token, mode, out);
}

void vhsm_bulk_close(struct vhsm_bulk *b)
{
	if (!b)
		return;
	if (b->kind == BULK_AEAD)
		kcapi_aead_destroy(b->kh);
	else
		kcapi_cipher_destroy(b->kh);
	free(b->echo);
	free(b);
}

/* The length checks every call shares: 0, -EINVAL or -E2BIG. */
static int bulk_check(const struct vhsm_bulk *b, enum bulk_kind kind, const void *iv,
		      const void *in, const void *out, size_t len)
{
	if (!b || b->kind != kind || !iv || ((!in || !out) && len))
		return -EINVAL;
	if (len > VHSM_BULK_MAX_LEN)
		return -E2BIG;
	return 0;
}

/* The AAD echo buffer, grown to @len if needed: 0 or -ENOMEM. */
static int bulk_echo_reserve(struct vhsm_bulk *b, size_t len)
{
	uint8_t *p;

	if (len <= b->echo_len && b->echo)
		return 0;
	p = realloc(b->echo, len ? len : 1);
	if (!p)
		return -ENOMEM;
	b->echo = p;
	b->echo_len = len;
	return 0;
}

/*
 * One AEAD operation. In: AAD, data and, to decrypt, the tag. Out: the AAD
 * echo, data and, to encrypt, the tag. The kernel must return exactly that.
 */
static int bulk_aead(struct vhsm_bulk *b, int enc, const uint8_t *iv, const void *aad,
		     size_t aad_len, const void *in, size_t len, uint8_t *tag, void *out)
{
	struct iovec in_iov[3], out_iov[3];
	size_t in_n = 2, out_n = 2;
	ssize_t got;
	int ret;

	ret = bulk_check(b, BULK_AEAD, iv, in, out, len);
	if (ret || !tag || (!aad && aad_len))
		return ret ? ret : -EINVAL;
	if (aad_len > VHSM_BULK_MAX_LEN - len)
		return -E2BIG;
	ret = bulk_echo_reserve(b, aad_len);
	if (ret)
		return ret;
	in_iov[0] = (struct iovec){ (void *)aad, aad_len };
	in_iov[1] = (struct iovec){ (void *)in, len };
	out_iov[0] = (struct iovec){ b->echo, aad_len };
	out_iov[1] = (struct iovec){ out, len };
	if (enc)
		out_iov[out_n++] = (struct iovec){ tag, VHSM_BULK_GCM_TAG_LEN };
	else
		in_iov[in_n++] = (struct iovec){ tag, VHSM_BULK_GCM_TAG_LEN };

	kcapi_aead_setassoclen(b->kh, aad_len);
	got = enc ? kcapi_aead_stream_init_enc(b->kh, iv, NULL, 0) :
		    kcapi_aead_stream_init_dec(b->kh, iv, NULL, 0);
	if (got >= 0)
		got = kcapi_aead_stream_update_last(b->kh, in_iov, in_n);
	if (got >= 0)
		got = kcapi_aead_stream_op(b->kh, out_iov, out_n);
	if (got < 0)
		return (int)got;
	return (size_t)got == aad_len + len + (enc ? VHSM_BULK_GCM_TAG_LEN : 0) ? 0 : -EIO;
}

int vhsm_bulk_aead_encrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_GCM_IV_LEN],
			   const void *aad, size_t aad_len, const void *in, size_t len,
			   void *out, uint8_t tag[VHSM_BULK_GCM_TAG_LEN])
{
	return bulk_aead(b, 1, iv, aad, aad_len, in, len, tag, out);
}

int vhsm_bulk_aead_decrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_GCM_IV_LEN],
			   const void *aad, size_t aad_len, const void *in, size_t len,
			   const uint8_t tag[VHSM_BULK_GCM_TAG_LEN], void *out)
{
	/* the tag is only read on this path */
	return bulk_aead(b, 0, iv, aad, aad_len, in, len, (uint8_t *)tag, out);
}

static int bulk_skcipher(struct vhsm_bulk *b, int enc, const uint8_t *iv,
			 const void *in, size_t len, void *out)
{
	ssize_t got;
	int ret;

	ret = bulk_check(b, BULK_SKCIPHER, iv, in, out, len);
	if (ret)
		return ret;
	if (!len || len % VHSM_BULK_AES_BLOCK_LEN)
		return -EINVAL;
	got = enc ? kcapi_cipher_encrypt(b->kh, in, len, iv, out, len, KCAPI_ACCESS_HEURISTIC) :
		    kcapi_cipher_decrypt(b->kh, in, len, iv, out, len, KCAPI_ACCESS_HEURISTIC);
	if (got < 0)
		return (int)got;
	return (size_t)got == len ? 0 : -EIO;
}

int vhsm_bulk_skcipher_encrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_AES_IV_LEN],
			       const void *in, size_t len, void *out)
{
	return bulk_skcipher(b, 1, iv, in, len, out);
}

int vhsm_bulk_skcipher_decrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_AES_IV_LEN],
			       const void *in, size_t len, void *out)
{
	return bulk_skcipher(b, 0, iv, in, len, out);
}
