// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Base64 for the KBS protocol: base64url without padding (JWK coordinates,
 * JWS and JWE parts, RFC 7515 section 2) and a strict check of the standard
 * padded alphabet the nonce uses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int vhsm_kbs_b64url_encode(const void *buf, size_t len, char **out)
{
	const uint8_t *p = buf;
	size_t i, o = 0;
	char *s;

	if ((!buf && len) || !out || len > SIZE_MAX / 2)
		return -EINVAL;
	s = malloc(len / 3 * 4 + 5);
	if (!s)
		return -ENOMEM;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		s[o++] = b64url_alphabet[v >> 18];
		s[o++] = b64url_alphabet[(v >> 12) & 63];
		s[o++] = b64url_alphabet[(v >> 6) & 63];
		s[o++] = b64url_alphabet[v & 63];
	}
	if (len - i == 1) {
		s[o++] = b64url_alphabet[p[i] >> 2];
		s[o++] = b64url_alphabet[(p[i] & 3) << 4];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 8 | p[i + 1];

		s[o++] = b64url_alphabet[v >> 10];
		s[o++] = b64url_alphabet[(v >> 4) & 63];
		s[o++] = b64url_alphabet[(v & 15) << 2];
	}
	s[o] = 0;
	*out = s;
	return 0;
}

/* Value of a character of @alphabet's 64, or -1. */
static int b64_val(char c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

int vhsm_kbs_b64url_decode(const char *text, uint8_t **out, size_t *out_len)
{
	size_t n, i, o = 0;
	uint32_t acc = 0;
	int bits = 0;
	uint8_t *p;

	if (!text || !out || !out_len)
		return -EINVAL;
	n = strlen(text);
	if (n % 4 == 1)
		return -EINVAL;
	p = malloc(n / 4 * 3 + 3);
	if (!p)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		int v = b64_val(text[i], true);

		if (v < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))	/* non-canonical trailing bits */
		goto bad;
	p[o] = 0;
	*out = p;
	*out_len = o;
	return 0;
bad:
	free(p);
	return -EINVAL;
}

bool _vhsm_kbs_is_std_b64(const char *s)
{
	size_t n = strlen(s), i, pad = 0;

	if (!n || n % 4)
		return false;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n - pad; i++)
		if (b64_val(s[i], false) < 0)
			return false;
	return true;
}
