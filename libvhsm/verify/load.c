// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading what the SNP report verifier is given: certificates (PEM or DER),
 * CRLs and small files (the offline cache directory).  Buffers over
 * VHSM_VERIFY_MAX_FILE bytes are refused.  Calls nothing else of the
 * verifier.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "load.h"

static bool is_pem(const void *buf, size_t len)
{
	return memmem(buf, len, "-----BEGIN", 10) != NULL;
}

static BIO *mem_bio(const void *buf, size_t len)
{
	if (len > VHSM_VERIFY_MAX_FILE)
		return NULL;
	return BIO_new_mem_buf(buf, (int)len);
}

X509 *_vhsm_load_cert(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *x = NULL;
	BIO *bio;

	if (!is_pem(buf, len))
		return len <= VHSM_VERIFY_MAX_FILE ? d2i_X509(NULL, &p, (long)len) : NULL;
	bio = mem_bio(buf, len);
	if (bio) {
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	return x;
}

/*
 * Defines STACK_OF(TYPE) *name(buf, len) for TYPE X509 or X509_CRL: every
 * TYPE of a PEM buffer (up to the first block that does not parse), or the
 * one TYPE of a DER buffer; NULL if there is none.
 */
#define DEFINE_LOAD_ALL(name, TYPE)						\
STACK_OF(TYPE) *name(const void *buf, size_t len)			\
{										\
	STACK_OF(TYPE) *sk = sk_##TYPE##_new_null();				\
	const unsigned char *p = buf;						\
	TYPE *x = NULL;								\
	BIO *bio;								\
										\
	if (!sk || len > VHSM_VERIFY_MAX_FILE)						\
		goto fail;							\
	if (!is_pem(buf, len)) {						\
		x = d2i_##TYPE(NULL, &p, (long)len);				\
		if (!x || !sk_##TYPE##_push(sk, x))				\
			goto fail;						\
		return sk;							\
	}									\
	bio = mem_bio(buf, len);						\
	if (!bio)								\
		goto fail;							\
	while ((x = PEM_read_bio_##TYPE(bio, NULL, NULL, NULL))) {		\
		if (!sk_##TYPE##_push(sk, x)) {					\
			BIO_free(bio);						\
			goto fail;						\
		}								\
	}									\
	BIO_free(bio);								\
	if (sk_##TYPE##_num(sk) > 0)						\
		return sk;							\
fail:										\
	TYPE##_free(x);								\
	sk_##TYPE##_pop_free(sk, TYPE##_free);					\
	return NULL;								\
}

DEFINE_LOAD_ALL(_vhsm_load_certs, X509)
DEFINE_LOAD_ALL(_vhsm_load_crls, X509_CRL)

int _vhsm_read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t n;
	FILE *f;

	*buf = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || st.st_size > VHSM_VERIFY_MAX_FILE) {
		fclose(f);
		return -EFBIG;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}
