/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Encodings for public material: base64, PEM armour, and EC public keys as
 * SEC1 points or SubjectPublicKeyInfo. Never used for secrets.
 */
#ifndef VHSM_TOOL_ENCODING_H
#define VHSM_TOOL_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/* Bytes b64_encode() writes for LEN bytes, without the terminator. */
#define B64_LEN(len)		(((len) + 2) / 3 * 4)
/* Largest SEC1 uncompressed point (P-384). */
#define EC_POINT_MAX		97

/* Base64 (RFC 4648, padded) of IN into OUT[OUT_SIZE], NUL-terminated; 0 or -ENOSPC. */
int b64_encode(const uint8_t *in, size_t len, char *out, size_t out_size);
/*
 * Decode base64 text, skipping white space; padding is required and must be
 * last. OUT needs B64 length / 4 * 3 bytes. 0, or -EINVAL (not base64),
 * -ENOSPC.
 */
int b64_decode(const char *in, size_t len, uint8_t *out, size_t out_size,
	       size_t *out_len);
/* "-----BEGIN LABEL-----", 64-column base64, "-----END LABEL-----"; malloc()ed. */
char *pem_encode(const char *label, const uint8_t *der, size_t len);
/*
 * The DER inside the first LABEL block of IN (not NUL-terminated). 0 with a
 * malloc()ed *DER, or -EINVAL (no such block, bad base64), -ENOMEM.
 */
int pem_decode(const char *label, const uint8_t *in, size_t len,
	       uint8_t **der, size_t *der_len);
/*
 * The SEC1 point inside a P-256 or P-384 SubjectPublicKeyInfo (named curve,
 * uncompressed point: the only DER encodings there are). 0 with *TYPE a
 * VHSM_KEY_EC_* and *POINT pointing into DER, or -EINVAL.
 */
int spki_ec_point(const uint8_t *der, size_t len, uint32_t *type,
		  const uint8_t **point, size_t *point_len);
/*
 * An EC public key as users hand it over: PEM or DER SubjectPublicKeyInfo, or
 * a SEC1 uncompressed point. Copies the point to POINT[EC_POINT_MAX]. 0, or
 * -EINVAL (none of these), -ENOMEM.
 */
int ec_pubkey_parse(const uint8_t *in, size_t len, uint32_t *type,
		    uint8_t *point, size_t *point_len);

#endif /* VHSM_TOOL_ENCODING_H */
