/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file "vhsm-tool encrypt" writes and "vhsm-tool decrypt" reads:
 *
 *   offset  length  content
 *   0       8       magic "VHSMGCM1" (ASCII, no terminator)
 *   8       12      AES-GCM IV, chosen at random by the module
 *   20      16      AES-GCM authentication tag
 *   36      n       ciphertext, as long as the plaintext
 *
 * The key is not named in the file; AAD (--aad) is not stored either and must
 * be given again to decrypt. Nothing in the header is secret.
 */
#ifndef VHSM_TOOL_CONTAINER_H
#define VHSM_TOOL_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vhsm.h>

#define CONTAINER_MAGIC		"VHSMGCM1"
#define CONTAINER_MAGIC_LEN	8
#define CONTAINER_HDR_LEN	(CONTAINER_MAGIC_LEN + VHSM_AEAD_IV_LEN + \
				 VHSM_AEAD_TAG_LEN)

/* A parsed container; the pointers point into the buffer given to parse. */
struct container {
	const uint8_t *iv;	/* VHSM_AEAD_IV_LEN bytes */
	const uint8_t *tag;	/* VHSM_AEAD_TAG_LEN bytes */
	const uint8_t *ct;	/* ct_len bytes; NULL when ct_len is 0 */
	size_t ct_len;
};

/* Write the CONTAINER_HDR_LEN-byte header. */
void container_format(uint8_t *hdr, const uint8_t *iv, const uint8_t *tag);
/*
 * Split BUF[LEN] into its parts. 0, or -EBADMSG (the magic is wrong: not a
 * vhsm-tool encrypt file), -ENODATA (shorter than the header: truncated).
 */
int container_parse(const uint8_t *buf, size_t len, struct container *c);

#endif /* VHSM_TOOL_CONTAINER_H */
