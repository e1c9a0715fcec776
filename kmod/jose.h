/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text side of JOSE for provisioning sessions: base64url, the KBS nonce
 * alphabet and the JWE protected header. Pure functions over bounded byte
 * strings, with no allocation and no kernel services, so that the same file
 * builds on the host for the fuzzer (selftests/fuzz/jose_fuzz.c).
 */
#ifndef _VHSM_JOSE_H
#define _VHSM_JOSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint32_t u32;
#endif

#define VHSM_JOSE_P256_BYTES	32
#define VHSM_JOSE_PARTY_MAX	64	/* apu / apv, decoded bytes */

/**
 * struct vhsm_jwe_header - what the kernel takes from a JWE protected header
 * @epk_x, @epk_y: the sender's ephemeral P-256 public key (not yet checked
 *                 to be on the curve)
 * @apu, @apu_len: PartyUInfo for the Concat KDF (empty when absent)
 * @apv, @apv_len: PartyVInfo likewise
 */
struct vhsm_jwe_header {
	u8 epk_x[VHSM_JOSE_P256_BYTES];
	u8 epk_y[VHSM_JOSE_P256_BYTES];
	u8 apu[VHSM_JOSE_PARTY_MAX];
	u8 apv[VHSM_JOSE_PARTY_MAX];
	u32 apu_len;
	u32 apv_len;
};

/*
 * Strict base64url without padding (RFC 7515 §2): only [A-Za-z0-9_-], no
 * '=', no whitespace, a length that is not 1 mod 4, and unused trailing bits
 * zero (one encoding per byte string). Writes at most @cap bytes.
 * Returns the decoded length or -EBADMSG (-ENOSPC when @cap is too small).
 */
int vhsm_b64url_decode(const char *in, size_t len, u8 *out, size_t cap);

/* Length of the base64url (no padding) text of @len bytes, without a NUL. */
size_t vhsm_b64url_len(size_t len);

/* Encodes @len bytes into @out (vhsm_b64url_len(len) + 1 bytes, NUL-terminated). */
void vhsm_b64url_encode(const u8 *in, size_t len, char *out);

/*
 * A KBS challenge nonce: standard base64 ([A-Za-z0-9+/], at most two '=' at
 * the end only), a length that is a multiple of 4, between 4 and @max. Such a
 * string needs no escaping inside a JSON string.
 */
bool vhsm_b64_nonce_ok(const char *s, size_t len, size_t max);

/*
 * Parse a decoded JWE protected header: one JSON object with exactly the
 * members alg "ECDH-ES+A256KW", enc "A256GCM", epk (an object with exactly
 * kty "EC", crv "P-256", x and y, 32 bytes each) and optionally apu and apv
 * (base64url, at most VHSM_JOSE_PARTY_MAX bytes). Whitespace between tokens
 * is allowed; escapes, non-ASCII, duplicate or unknown members, other
 * values and trailing bytes are not. Returns 0 or -EBADMSG.
 */
int vhsm_jwe_header_parse(const char *json, size_t len, struct vhsm_jwe_header *hdr);

#endif /* _VHSM_JOSE_H */
