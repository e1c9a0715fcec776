// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — DER encodings for the ECC keys and signatures of ecc.c: X9.62
 * ECDSA-Sig-Value <-> raw r || s (strict DER on input), and the
 * SubjectPublicKeyInfo of a P-256 or P-384 public key. Pure byte handling on
 * public values, no curve arithmetic; the API is in ecc.h.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ecc.h"

/*
 * X9.62:  ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * An INTEGER is at most 1 + 48 content bytes here, so the SEQUENCE content
 * is at most 2 * (2 + 49) = 102 bytes and every length fits the short form.
 */
#define DER_SEQUENCE	0x30
#define DER_INTEGER	0x02
#define DER_SHORT_MAX	0x7f

/* Content length of the minimal INTEGER for an unsigned big-endian value. */
static unsigned int der_int_len(const u8 *v, unsigned int nbytes,
				unsigned int *skip)
{
	unsigned int i = 0;

	while (i < nbytes - 1 && !v[i])
		i++;
	*skip = i;
	return nbytes - i + (v[i] >> 7);
}

static u8 *der_put_int(u8 *p, const u8 *v, unsigned int nbytes)
{
	unsigned int skip;
	unsigned int len = der_int_len(v, nbytes, &skip);

	*p++ = DER_INTEGER;
	*p++ = len;
	if (len > nbytes - skip)
		*p++ = 0;
	memcpy(p, v + skip, nbytes - skip);
	return p + nbytes - skip;
}

int vhsm_ecc_sig_to_der(enum vhsm_ecc_curve curve, const u8 *sig, u8 *der,
			size_t der_cap)
{
	unsigned int nbytes = vhsm_ecc_nbytes(curve);
	unsigned int skip, content;
	u8 *p;

	if (!nbytes)
		return -EINVAL;
	content = 2 + der_int_len(sig, nbytes, &skip) +
		  2 + der_int_len(sig + nbytes, nbytes, &skip);
	if (der_cap < 2 + content)
		return -ENOSPC;
	der[0] = DER_SEQUENCE;
	der[1] = content;
	p = der_put_int(der + 2, sig, nbytes);
	der_put_int(p, sig + nbytes, nbytes);
	return 2 + content;
}

/* Strict DER INTEGER, positive and below 2^(8 * nbytes), into out. */
static int der_get_int(const u8 **pp, const u8 *end, u8 *out,
		       unsigned int nbytes)
{
	const u8 *p = *pp;
	size_t len;

	if (end - p < 2 || p[0] != DER_INTEGER || p[1] > DER_SHORT_MAX)
		return -EBADMSG;
	len = p[1];
	p += 2;
	if (!len || len > (size_t)(end - p))
		return -EBADMSG;
	if (p[0] & 0x80)			/* negative */
		return -EBADMSG;
	if (!p[0]) {
		if (len == 1)			/* zero */
			return -EBADMSG;
		if (!(p[1] & 0x80))		/* not minimal */
			return -EBADMSG;
		p++;
		len--;
	}
	if (len > nbytes)
		return -EBADMSG;
	memset(out, 0, nbytes - len);
	memcpy(out + nbytes - len, p, len);
	*pp = p + len;
	return 0;
}

int vhsm_ecc_sig_from_der(enum vhsm_ecc_curve curve, const u8 *der,
			  size_t der_len, u8 *sig)
{
	unsigned int nbytes = vhsm_ecc_nbytes(curve);
	u8 raw[2 * VHSM_ECC_MAX_BYTES];
	const u8 *p, *end;

	if (!nbytes)
		return -EINVAL;
	if (der_len < 2 || der[0] != DER_SEQUENCE || der[1] > DER_SHORT_MAX ||
	    der[1] != der_len - 2)
		return -EBADMSG;
	p = der + 2;
	end = der + der_len;
	if (der_get_int(&p, end, raw, nbytes) ||
	    der_get_int(&p, end, raw + nbytes, nbytes) || p != end)
		return -EBADMSG;
	memcpy(sig, raw, 2 * nbytes);
	return 0;
}

/*
 * SubjectPublicKeyInfo ::= SEQUENCE {
 *	algorithm AlgorithmIdentifier ::= SEQUENCE {
 *		algorithm  OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1),
 *		parameters OBJECT IDENTIFIER namedCurve },
 *	subjectPublicKey BIT STRING (0 unused bits, 0x04 || X || Y) }
 */
static const u8 spki_p256[] = {
	0x30, 0x59,				/* SEQUENCE, 89 */
	0x30, 0x13,				/* SEQUENCE, 19 */
	0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
						/* prime256v1 1.2.840.10045.3.1.7 */
	0x03, 0x42, 0x00, 0x04,			/* BIT STRING, 66 */
};

static const u8 spki_p384[] = {
	0x30, 0x76,				/* SEQUENCE, 118 */
	0x30, 0x10,				/* SEQUENCE, 16 */
	0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22,
						/* secp384r1 1.3.132.0.34 */
	0x03, 0x62, 0x00, 0x04,			/* BIT STRING, 98 */
};

int vhsm_ecc_spki(enum vhsm_ecc_curve curve, const u8 *pub, u8 *out,
		  size_t cap)
{
	unsigned int nbytes = vhsm_ecc_nbytes(curve);
	const u8 *prefix;
	size_t plen;

	switch (curve) {
	case VHSM_ECC_P256:
		prefix = spki_p256;
		plen = sizeof(spki_p256);
		break;
	case VHSM_ECC_P384:
		prefix = spki_p384;
		plen = sizeof(spki_p384);
		break;
	default:
		return -EINVAL;
	}
	if (cap < plen + 2 * nbytes)
		return -ENOSPC;
	memcpy(out, prefix, plen);
	memcpy(out + plen, pub, 2 * nbytes);
	return plen + 2 * nbytes;
}
