// SPDX-License-Identifier: GPL-2.0-or-later
/* Fixed-length hex (or base64) command-line values; see hexarg.h. */
#include <errno.h>
#include <string.h>

#include "encoding.h"
#include "hexarg.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hexarg_parse(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int hexarg_parse_hex_or_b64(const char *s, uint8_t *out, size_t n)
{
	uint8_t buf[256];
	size_t len;

	if (!hexarg_parse(s, out, n))
		return 0;
	if (!s || n > sizeof(buf) - 2 || strlen(s) != B64_LEN(n) ||
	    b64_decode(s, strlen(s), buf, sizeof(buf), &len) || len != n)
		return -EINVAL;
	memcpy(out, buf, n);
	return 0;
}

void hexarg_str(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}
