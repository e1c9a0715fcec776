/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Elliptic-curve operations on NIST P-256 and P-384 for stored keys (ecc.c,
 * ecc_point.c, ecc_field.c; ECDH on the kernel's exported crypto/ecc.c). All byte strings are big-endian,
 * fixed width (nbytes = 32 for P-256, 48 for P-384); public keys are X || Y
 * (2 * nbytes, no 0x04 prefix) unless a function says otherwise.
 *
 * Functions may sleep. Every temporary holding a private scalar, a nonce or a
 * shared secret is wiped with memzero_explicit before returning.
 */
#ifndef _VHSM_ECC_H
#define _VHSM_ECC_H

#include <linux/types.h>

enum vhsm_ecc_curve {
	VHSM_ECC_P256,
	VHSM_ECC_P384,
};

#define VHSM_ECC_MAX_BYTES	48

/* 32 or 48 */
unsigned int vhsm_ecc_nbytes(enum vhsm_ecc_curve curve);

/* New private scalar in [1, n-1] from the kernel RNG. */
int vhsm_ecc_generate(enum vhsm_ecc_curve curve, u8 *priv);

/* -EINVAL unless 1 <= priv <= n-1. */
int vhsm_ecc_check_private(enum vhsm_ecc_curve curve, const u8 *priv);

/* pub = priv * G. */
int vhsm_ecc_public(enum vhsm_ecc_curve curve, const u8 *priv, u8 *pub);

/* 0 if pub is a valid point on the curve (full validation), else -EINVAL. */
int vhsm_ecc_check_public(enum vhsm_ecc_curve curve, const u8 *pub);

/*
 * ECDSA signature over a digest (any length: the leftmost min(bitlen(n),
 * 8*dlen) bits are used, as in FIPS 186-4). Nonce: RFC 6979 HMAC-DRBG with
 * the curve's hash, hedged with 32 fresh random bytes as extra input
 * (RFC 6979 §3.6); the inversion is blinded by a random factor. sig = r || s.
 */
int vhsm_ecc_sign(enum vhsm_ecc_curve curve, const u8 *priv,
		  const u8 *digest, size_t dlen, u8 *sig);

/*
 * 0 if valid, -EBADMSG if not (including r or s out of [1, n-1]); -ENOMEM
 * if the scratch of the joint multiplication cannot be allocated.
 */
int vhsm_ecc_verify(enum vhsm_ecc_curve curve, const u8 *pub,
		    const u8 *digest, size_t dlen, const u8 *sig);

/* shared = X coordinate of priv * peer; -EINVAL for an invalid peer. */
int vhsm_ecc_ecdh(enum vhsm_ecc_curve curve, const u8 *priv, const u8 *peer,
		  u8 *shared);

/*
 * X9.62 DER ECDSA-Sig-Value <-> raw r || s. to_der returns the DER length or
 * -ENOSPC; from_der returns 0 or -EBADMSG (strict DER: minimal integers, no
 * trailing bytes, positive, values < 2^(8*nbytes)).
 */
int vhsm_ecc_sig_to_der(enum vhsm_ecc_curve curve, const u8 *sig, u8 *der,
			size_t der_cap);
int vhsm_ecc_sig_from_der(enum vhsm_ecc_curve curve, const u8 *der,
			  size_t der_len, u8 *sig);

/*
 * SubjectPublicKeyInfo DER (id-ecPublicKey, namedCurve prime256v1 or
 * secp384r1, uncompressed point) for pub. Returns the length or -ENOSPC.
 */
int vhsm_ecc_spki(enum vhsm_ecc_curve curve, const u8 *pub, u8 *out,
		  size_t cap);

/*
 * Sign with caller-chosen additional data for the RFC 6979 HMAC-DRBG;
 * @extra_len 0 gives plain deterministic RFC 6979 (used by the self-test).
 */
int vhsm_ecc_sign_extra(enum vhsm_ecc_curve curve, const u8 *priv,
			const u8 *digest, size_t dlen, const u8 *extra,
			size_t extra_len, u8 *sig);

/* Power-on self-test: 0, or -ENOTRECOVERABLE naming the failed check. */
int vhsm_ecc_selftest(void);

/*
 * At module load, before any other call: build the fixed-base tables,
 * allocate RFC 6979's hashes, run the self-test. 0, -ENOMEM, or the
 * self-test's -ENOTRECOVERABLE. vhsm_ecc_exit() frees it all.
 */
int vhsm_ecc_init(void);
void vhsm_ecc_exit(void);

#endif /* _VHSM_ECC_H */
