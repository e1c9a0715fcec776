// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Base64, PEM and EC public key encodings, on OpenSSL's codecs and key
 * parsers (EVP_EncodeBlock/EVP_DecodeBlock, PEM_write_bio/PEM_read_bio,
 * d2i_PUBKEY/i2d_PUBKEY). Only public material passes through here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <linux/vhsm.h>

#include "encoding.h"

int b64_encode(const uint8_t *in, size_t len, char *out, size_t out_size)
{
	if (out_size < B64_LEN(len) + 1 || len > INT32_MAX / 2)
		return -ENOSPC;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * EVP_DecodeBlock() of the text without white space; the padding must be
 * the last one or two places, and the bits it leaves over zero: the text
 * must be what b64_encode() gives back for the bytes (canonical).
 */
int b64_decode(const char *in, size_t len, uint8_t *out, size_t out_size,
	       size_t *out_len)
{
	char *text, *again;
	uint8_t *bin;
	size_t i, n = 0, pad = 0, blen;
	int got, ret = -EINVAL;

	if (len > INT32_MAX / 2)
		return -EINVAL;
	text = malloc(len + 1);
	bin = calloc(1, len / 4 * 3 + 3);
	again = malloc(len + 1);
	if (!text || !bin || !again) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < len; i++)
		if (!is_space(in[i]))
			text[n++] = in[i];
	text[n] = '\0';
	if (n % 4)
		goto out;
	while (pad < n && pad < 3 && text[n - 1 - pad] == '=')
		pad++;
	got = n ? EVP_DecodeBlock(bin, (unsigned char *)text, (int)n) : 0;
	if (got < 0 || pad > 2 || (size_t)got < pad)
		goto out;
	blen = (size_t)got - pad;
	/* EVP_DecodeBlock() takes '=' anywhere and stray bits: re-encode */
	EVP_EncodeBlock((unsigned char *)again, bin, (int)blen);
	if (strcmp(again, text))
		goto out;
	ret = -ENOSPC;
	if (blen > out_size)
		goto out;
	memcpy(out, bin, blen);
	*out_len = blen;
	ret = 0;
out:
	free(text);
	free(bin);
	free(again);
	return ret;
}

char *pem_encode(const char *label, const uint8_t *der, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (bio && len <= INT32_MAX &&
	    PEM_write_bio(bio, label, "", der, (long)len) > 0) {
		n = BIO_get_mem_data(bio, &data);
		out = n > 0 ? strndup(data, (size_t)n) : NULL;
	}
	BIO_free(bio);
	return out;
}

int pem_decode(const char *label, const uint8_t *in, size_t len,
	       uint8_t **der, size_t *der_len)
{
	BIO *bio = len <= INT32_MAX ? BIO_new_mem_buf(in, (int)len) : NULL;
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long n = 0;
	int ret = -EINVAL;

	if (!bio)
		return len <= INT32_MAX ? -ENOMEM : -EINVAL;
	/* the first block with this label */
	while (PEM_read_bio(bio, &name, &header, &data, &n) > 0) {
		bool match = !strcmp(name, label) && n > 0;

		OPENSSL_free(name);
		OPENSSL_free(header);
		if (match) {
			*der = malloc((size_t)n);
			ret = *der ? 0 : -ENOMEM;
			if (*der) {
				memcpy(*der, data, (size_t)n);
				*der_len = (size_t)n;
			}
			OPENSSL_free(data);
			break;
		}
		OPENSSL_free(data);
	}
	BIO_free(bio);
	ERR_clear_error();	/* "no start line" and the like: said by -EINVAL */
	return ret;
}

/* VHSM_KEY_EC_* of a P-256 or P-384 key with its SEC1 point length; -EINVAL */
static int ec_key_type(EVP_PKEY *pkey, uint32_t *type, size_t *point_len)
{
	char group[32];

	if (!EVP_PKEY_is_a(pkey, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
					    sizeof(group), NULL))
		return -EINVAL;
	if (!strcmp(group, "prime256v1")) {
		*type = VHSM_KEY_EC_P256;
		*point_len = 65;
	} else if (!strcmp(group, "secp384r1")) {
		*type = VHSM_KEY_EC_P384;
		*point_len = 97;
	} else {
		return -EINVAL;
	}
	return 0;
}

int spki_ec_point(const uint8_t *der, size_t len, uint32_t *type,
		  const uint8_t **point, size_t *point_len)
{
	const unsigned char *p = der;
	unsigned char *back = NULL;
	EVP_PKEY *pkey;
	size_t plen;
	int n, ret = -EINVAL;

	if (len > INT32_MAX)
		return -EINVAL;
	pkey = d2i_PUBKEY(NULL, &p, (long)len);
	if (!pkey) {
		ERR_clear_error();
		return -EINVAL;
	}
	/*
	 * a named curve with an uncompressed point is the one DER form: the
	 * key must encode back to the very bytes, its point their tail
	 */
	n = i2d_PUBKEY(pkey, &back);
	if (p == der + len && !ec_key_type(pkey, type, &plen) && n > 0 &&
	    (size_t)n == len && !memcmp(back, der, len) && der[len - plen] == 0x04) {
		*point = der + len - plen;
		*point_len = plen;
		ret = 0;
	}
	OPENSSL_free(back);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return ret;
}

/* a SEC1 uncompressed point of P-256 or P-384, checked to lie on the curve */
static int sec1_point(const uint8_t *in, size_t len, uint32_t *type)
{
	const char *group = len == 65 ? "prime256v1" : len == 97 ? "secp384r1" : NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM params[3];
	int ret = -EINVAL;

	if (!group || in[0] != 0x04)
		return -EINVAL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      (void *)in, len);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (ctx && EVP_PKEY_fromdata_init(ctx) > 0 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0) {
		*type = len == 65 ? VHSM_KEY_EC_P256 : VHSM_KEY_EC_P384;
		ret = 0;
	}
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

/* the point of a PEM "PUBLIC KEY", through PEM_read_bio_PUBKEY() and DER */
static int pem_ec_point(const uint8_t *in, size_t len, uint32_t *type,
			uint8_t *point, size_t *point_len)
{
	BIO *bio = len <= INT32_MAX ? BIO_new_mem_buf(in, (int)len) : NULL;
	EVP_PKEY *pkey = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	unsigned char *der = NULL;
	const uint8_t *p;
	int n = pkey ? i2d_PUBKEY(pkey, &der) : -1;
	int ret = n > 0 ? spki_ec_point(der, (size_t)n, type, &p, point_len) : -EINVAL;

	if (!ret)
		memcpy(point, p, *point_len);
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	ERR_clear_error();
	return ret;
}

int ec_pubkey_parse(const uint8_t *in, size_t len, uint32_t *type,
		    uint8_t *point, size_t *point_len)
{
	const uint8_t *p;
	size_t n;
	int ret;

	if (!len)
		return -EINVAL;
	if ((len == 65 || len == 97) && in[0] == 0x04) {
		ret = sec1_point(in, len, type);
		if (!ret) {
			memcpy(point, in, len);
			*point_len = len;
		}
		return ret;
	}
	if (in[0] == 0x30) {
		ret = spki_ec_point(in, len, type, &p, &n);
		if (ret)
			return ret;
		memcpy(point, p, n);
		*point_len = n;
		return 0;
	}
	return pem_ec_point(in, len, type, point, point_len);
}
