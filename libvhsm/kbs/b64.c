// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Base64 for the KBS protocol: base64url without padding (JWK coordinates,
 * JWS and JWE parts, RFC 7515 section 2) and a check of the standard padded
 * alphabet the nonce uses. Both sit on OpenSSL's codec (EVP_EncodeBlock,
 * EVP_DecodeBlock): base64url is standard base64 with '+' '/' written '-' '_'
 * and the padding left off.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

/* standard <-> url alphabet, in place */
static void b64_map(char *s, char from62, char from63, char to62, char to63)
{
	for (; *s; s++) {
		if (*s == from62)
			*s = to62;
		else if (*s == from63)
			*s = to63;
	}
}

int vhsm_kbs_b64url_encode(const void *buf, size_t len, char **out)
{
	char *s;
	size_t n;

	if ((!buf && len) || !out || len > INT32_MAX / 2)
		return -EINVAL;
	s = malloc((len + 2) / 3 * 4 + 1);
	if (!s)
		return -ENOMEM;
	EVP_EncodeBlock((unsigned char *)s, buf, (int)len);
	n = strlen(s);
	while (n && s[n - 1] == '=')
		s[--n] = '\0';
	b64_map(s, '+', '/', '-', '_');
	*out = s;
	return 0;
}

/*
 * Decode standard base64 TEXT (length a multiple of 4, PAD '=' at the end)
 * into OUT; the text must be what EVP_EncodeBlock() gives for the bytes
 * (no '=' inside, no stray bits under the padding). Length or -EINVAL.
 */
static long b64_decode_canonical(const char *text, size_t n, size_t pad, uint8_t *out)
{
	char *again = malloc(n + 1);
	int got = n ? EVP_DecodeBlock(out, (const unsigned char *)text, (int)n) : 0;
	long len = -EINVAL;

	if (again && got >= 0 && (size_t)got >= pad) {
		EVP_EncodeBlock((unsigned char *)again, out, got - (int)pad);
		if (!strncmp(again, text, n) && again[n] == '\0')
			len = got - (long)pad;
	}
	free(again);
	return again ? len : -ENOMEM;
}

int vhsm_kbs_b64url_decode(const char *text, uint8_t **out, size_t *out_len)
{
	size_t n, pad;
	char *std;
	uint8_t *p;
	long len;

	if (!text || !out || !out_len)
		return -EINVAL;
	n = strlen(text);
	if (n % 4 == 1 || n > INT32_MAX / 2 || strpbrk(text, "+/="))
		return -EINVAL;
	pad = (4 - n % 4) % 4;
	std = malloc(n + pad + 1);
	p = malloc((n + pad) / 4 * 3 + 1);
	if (!std || !p) {
		free(std);
		free(p);
		return -ENOMEM;
	}
	memcpy(std, text, n);
	memset(std + n, '=', pad);
	std[n + pad] = '\0';
	b64_map(std, '-', '_', '+', '/');
	len = b64_decode_canonical(std, n + pad, pad, p);
	free(std);
	if (len < 0) {
		free(p);
		return (int)len;
	}
	p[len] = 0;
	*out = p;
	*out_len = (size_t)len;
	return 0;
}

bool _vhsm_kbs_is_std_b64(const char *s)
{
	size_t n = strlen(s), pad = 0;
	uint8_t *p;
	bool ok;

	if (!n || n % 4 || n > INT32_MAX / 2)
		return false;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	p = malloc(n / 4 * 3);
	if (!p)
		return false;
	/* EVP_DecodeBlock() also takes white space: the alphabet alone is ours */
	ok = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") == n - pad &&
	     EVP_DecodeBlock(p, (const unsigned char *)s, (int)n) >= 0;
	free(p);
	return ok;
}
