// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The encrypt/decrypt file format: magic, IV, tag, ciphertext (container.h).
 */
#include <errno.h>
#include <string.h>

#include "container.h"

void container_format(uint8_t *hdr, const uint8_t *iv, const uint8_t *tag)
{
	memcpy(hdr, CONTAINER_MAGIC, CONTAINER_MAGIC_LEN);
	memcpy(hdr + CONTAINER_MAGIC_LEN, iv, VHSM_AEAD_IV_LEN);
	memcpy(hdr + CONTAINER_MAGIC_LEN + VHSM_AEAD_IV_LEN, tag,
	       VHSM_AEAD_TAG_LEN);
}

int container_parse(const uint8_t *buf, size_t len, struct container *c)
{
	size_t m = len < CONTAINER_MAGIC_LEN ? len : CONTAINER_MAGIC_LEN;

	if (!len)
		return -ENODATA;
	if (memcmp(buf, CONTAINER_MAGIC, m))
		return -EBADMSG;
	if (len < CONTAINER_HDR_LEN)
		return -ENODATA;
	c->iv = buf + CONTAINER_MAGIC_LEN;
	c->tag = c->iv + VHSM_AEAD_IV_LEN;
	c->ct_len = len - CONTAINER_HDR_LEN;
	c->ct = c->ct_len ? buf + CONTAINER_HDR_LEN : NULL;
	return 0;
}
