// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The resource JWE taken apart for whoever holds the private key (in vhsm,
 * the kernel's provisioning session): base64url decoding, the protected
 * header's algorithm checks and its ephemeral key, the lengths of the parts.
 * Nothing here decrypts: the caller gets ciphertext and the AAD string.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

/* Decode @text into exactly @n bytes at @dst. */
static int fixed(const char *text, uint8_t *dst, size_t n)
{
	uint8_t *b;
	size_t len;
	int err;

	if (!text)
		return -EBADMSG;
	err = vhsm_kbs_b64url_decode(text, &b, &len);
	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	if (len == n)
		memcpy(dst, b, n);
	free(b);
	return len == n ? 0 : -EBADMSG;
}

static int header(const char *prot, struct vhsm_kbs_jwe *out)
{
	const char *alg, *enc;
	uint8_t *h;
	size_t len;
	json_t *j, *epk;
	char *epks = NULL;
	int err;

	err = vhsm_kbs_b64url_decode(prot, &h, &len);
	if (err)
		return err == -ENOMEM ? err : -EBADMSG;
	j = json_loadb((char *)h, len, JSON_REJECT_DUPLICATES, NULL);
	free(h);
	alg = json_string_value(json_object_get(j, "alg"));
	enc = json_string_value(json_object_get(j, "enc"));
	epk = json_object_get(j, "epk");
	if (!alg || !enc || !json_is_object(epk))
		err = -EBADMSG;
	else if (strcmp(alg, "ECDH-ES+A256KW") || strcmp(enc, "A256GCM"))
		err = -EOPNOTSUPP;
	else if (!(epks = json_dumps(epk, JSON_COMPACT)))
		err = -ENOMEM;
	else
		err = vhsm_kbs_jwk_parse_p256(epks, out->epk_x, out->epk_y);
	if (err == -EINVAL)
		err = -EBADMSG;
	free(epks);
	json_decref(j);
	return err;
}

/* The five parts, from either serialization; strings owned by @parts. */
static int split(const char *body, char *parts[5], json_t **doc)
{
	static const char *const names[5] = { "protected", "encrypted_key", "iv",
					      "ciphertext", "tag" };
	const char *p = body, *dot;
	int i;

	*doc = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	if (*doc) {
		for (i = 0; i < 5; i++) {
			const char *s = json_string_value(json_object_get(*doc, names[i]));

			if (!s)
				return -EBADMSG;
			parts[i] = (char *)s;
		}
		return 0;
	}
	for (i = 0; i < 5; i++) {
		dot = strchr(p, '.');
		if ((i < 4) != (dot != NULL))
			return -EBADMSG;
		parts[i] = strndup(p, dot ? (size_t)(dot - p) : strlen(p));
		if (!parts[i])
			return -ENOMEM;
		p = dot ? dot + 1 : p;
	}
	return 0;
}

int vhsm_kbs_jwe_parse(const char *body, struct vhsm_kbs_jwe *out)
{
	char *parts[5] = { 0 };
	json_t *doc = NULL;
	int err, i;

	if (!body || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	err = split(body, parts, &doc);
	if (!err)
		err = header(parts[0], out);
	if (!err && !(out->protected_b64 = strdup(parts[0])))
		err = -ENOMEM;
	if (!err)
		err = fixed(parts[1], out->encrypted_key, sizeof(out->encrypted_key));
	if (!err)
		err = fixed(parts[2], out->iv, sizeof(out->iv));
	if (!err)
		err = fixed(parts[4], out->tag, sizeof(out->tag));
	if (!err && vhsm_kbs_b64url_decode(parts[3], &out->ciphertext, &out->ciphertext_len))
		err = -EBADMSG;
	if (!doc)
		for (i = 0; i < 5; i++)
			free(parts[i]);
	json_decref(doc);
	if (err)
		vhsm_kbs_jwe_free(out);
	return err;
}

void vhsm_kbs_jwe_free(struct vhsm_kbs_jwe *jwe)
{
	if (!jwe)
		return;
	free(jwe->protected_b64);
	free(jwe->ciphertext);
	memset(jwe, 0, sizeof(*jwe));
}
