// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a VCEK/VLEK says about itself: the AMD extensions under
 * 1.3.6.1.4.1.3704.1 (productName, hwID, cspId, the TCB SPLs) decoded once
 * into struct vek_info, which the certificate cache keeps and the checks of
 * ext.c read (never the certificate itself).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "load.h"

#define OID_PREFIX "1.3.6.1.4.1.3704.1."

/* Value of the extension with the given OID suffix; NULL if absent. */
static const ASN1_OCTET_STRING *ext_data(X509 *x, const char *suffix)
{
	char oid[64];
	ASN1_OBJECT *obj;
	int idx;

	snprintf(oid, sizeof(oid), OID_PREFIX "%s", suffix);
	obj = OBJ_txt2obj(oid, 1);
	if (!obj)
		return NULL;
	idx = X509_get_ext_by_OBJ(x, obj, -1);
	ASN1_OBJECT_free(obj);
	if (idx < 0)
		return NULL;
	return X509_EXTENSION_get_data(X509_get_ext(x, idx));
}

/* DER INTEGER extension: 0, -ENOENT if absent, -EBADMSG if malformed. */
static int ext_int(X509 *x, const char *suffix, int64_t *val)
{
	const ASN1_OCTET_STRING *os = ext_data(x, suffix);
	const unsigned char *p, *end;
	ASN1_INTEGER *ai;
	int err = 0;

	if (!os)
		return -ENOENT;
	p = ASN1_STRING_get0_data(os);
	end = p + ASN1_STRING_length(os);
	ai = d2i_ASN1_INTEGER(NULL, &p, end - p);
	if (!ai || p != end || !ASN1_INTEGER_get_int64(val, ai))
		err = -EBADMSG;
	ASN1_INTEGER_free(ai);
	return err;
}

/* DER string extension (IA5/UTF8/Printable) copied NUL-terminated. */
static int ext_str(X509 *x, const char *suffix, char *buf, size_t size)
{
	const ASN1_OCTET_STRING *os = ext_data(x, suffix);
	const unsigned char *p, *end;
	ASN1_TYPE *t;
	int err = -EBADMSG;

	buf[0] = '\0';
	if (!os)
		return -ENOENT;
	p = ASN1_STRING_get0_data(os);
	end = p + ASN1_STRING_length(os);
	t = d2i_ASN1_TYPE(NULL, &p, end - p);
	if (t && p == end && (t->type == V_ASN1_IA5STRING ||
			      t->type == V_ASN1_UTF8STRING ||
			      t->type == V_ASN1_PRINTABLESTRING)) {
		int n = ASN1_STRING_length(t->value.asn1_string);

		if (n >= 0 && (size_t)n < size &&
		    !memchr(ASN1_STRING_get0_data(t->value.asn1_string), 0, n)) {
			memcpy(buf, ASN1_STRING_get0_data(t->value.asn1_string), n);
			buf[n] = '\0';
			err = 0;
		}
	}
	ASN1_TYPE_free(t);
	return err;
}

/* hwID: raw 64 (or 8) bytes; a DER OCTET STRING wrapper is tolerated. */
static void read_hwid(X509 *x, struct vek_info *vi)
{
	const ASN1_OCTET_STRING *os = ext_data(x, "4");
	const uint8_t *p;
	size_t n;

	if (!os)
		return;
	p = ASN1_STRING_get0_data(os);
	n = (size_t)ASN1_STRING_length(os);
	if (n >= 2 && p[0] == 0x04 && p[1] == n - 2 && (n - 2 == 64 || n - 2 == 8)) {
		p += 2;
		n -= 2;
	}
	vi->has_hwid = true;
	vi->hwid_len = n <= sizeof(vi->hwid) ? n : 0;
	memcpy(vi->hwid, p, vi->hwid_len);
}

/* Serial number (hex) and subject (RFC 2253) for the verdict. */
static void read_names(X509 *x, struct vek_info *vi)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	BIO *bio = BIO_new(BIO_s_mem());
	size_t i;
	int n;

	/* whole bytes, as openssl x509 -serial prints it ("00" for zero) */
	if (hex && strlen(hex) + 1 < sizeof(vi->serial)) {
		size_t odd = strlen(hex) % 2;

		vi->serial[0] = '0';
		for (i = 0; hex[i]; i++)
			vi->serial[i + odd] = (char)tolower((unsigned char)hex[i]);
		vi->serial[i + odd] = '\0';
	}
	if (bio && X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
				      XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_read(bio, vi->subject, sizeof(vi->subject) - 1);
		vi->subject[n > 0 && n < (int)sizeof(vi->subject) - 1 ? n : 0] = '\0';
	}
	BIO_free(bio);
	OPENSSL_free(hex);
	BN_free(bn);
}

void _vhsm_read_vek_info(X509 *x, struct vek_info *vi)
{
	char sfx[8];
	int n;

	memset(vi, 0, sizeof(*vi));
	read_names(x, vi);
	if (ext_str(x, "2", vi->product_name, sizeof(vi->product_name)) == 0)
		vi->product = vhsm_report_product_from_name(vi->product_name);
	read_hwid(x, vi);
	vi->is_vlek = !vi->has_hwid && ext_data(x, "5") != NULL;
	for (n = 1; n < VEK_N_SPL; n++) {
		snprintf(sfx, sizeof(sfx), "3.%d", n);
		vi->spl_err[n] = ext_int(x, sfx, &vi->spl[n]);
	}
}
