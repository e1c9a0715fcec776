// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Base64, PEM and EC public key encodings. Only public keys pass through
 * here, so the code is plain rather than constant-time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vhsm.h>

#include "encoding.h"

static const char b64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_encode(const uint8_t *in, size_t len, char *out, size_t out_size)
{
	size_t i, o = 0;
	uint32_t v;

	if (out_size < B64_LEN(len) + 1)
		return -ENOSPC;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64_chars[v >> 18 & 63];
		out[o++] = b64_chars[v >> 12 & 63];
		out[o++] = b64_chars[v >> 6 & 63];
		out[o++] = b64_chars[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64_chars[v >> 18 & 63];
		out[o++] = b64_chars[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64_chars[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return 0;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_chars, c) : NULL;

	return p ? (int)(p - b64_chars) : -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int b64_decode(const char *in, size_t len, uint8_t *out, size_t out_size,
	       size_t *out_len)
{
	size_t i, n = 0, o = 0, pad = 0;
	uint32_t v = 0;
	int d;

	for (i = 0; i < len; i++) {
		if (is_space(in[i]))
			continue;
		if (in[i] == '=') {
			/* only in the last quantum's last one or two places */
			if (n % 4 < 2 || ++pad > 2)
				return -EINVAL;
			d = 0;
		} else {
			d = b64_value(in[i]);
			if (d < 0 || pad)
				return -EINVAL;
		}
		v = v << 6 | (uint32_t)d;
		if (++n % 4)
			continue;
		/* the bits the padding leaves over must be zero (canonical) */
		if ((pad == 2 && (v & 0xffff)) || (pad == 1 && (v & 0xff)))
			return -EINVAL;
		if (o + 3 - pad > out_size)
			return -ENOSPC;
		out[o++] = (uint8_t)(v >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(v >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)v;
		v = 0;
	}
	if (n % 4)
		return -EINVAL;
	*out_len = o;
	return 0;
}

char *pem_encode(const char *label, const uint8_t *der, size_t len)
{
	size_t b64_len = B64_LEN(len), lines = (b64_len + 63) / 64, i, o;
	size_t size = 2 * (sizeof("-----BEGIN -----\n") + strlen(label)) +
		      b64_len + lines + 1;
	char *b64, *out;

	b64 = malloc(b64_len + 1);
	out = malloc(size);
	if (!b64 || !out || b64_encode(der, len, b64, b64_len + 1)) {
		free(b64);
		free(out);
		return NULL;
	}
	o = (size_t)snprintf(out, size, "-----BEGIN %s-----\n", label);
	for (i = 0; i < b64_len; i += 64) {
		size_t n = b64_len - i < 64 ? b64_len - i : 64;

		memcpy(out + o, b64 + i, n);
		o += n;
		out[o++] = '\n';
	}
	snprintf(out + o, size - o, "-----END %s-----\n", label);
	free(b64);
	return out;
}

int pem_decode(const char *label, const uint8_t *in, size_t len,
	       uint8_t **der, size_t *der_len)
{
	char begin[96], end[96];
	const uint8_t *b, *e;
	size_t blen;
	uint8_t *buf;
	int ret;

	if (strlen(label) > 64)
		return -EINVAL;
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
	snprintf(end, sizeof(end), "-----END %s-----", label);
	b = memmem(in, len, begin, strlen(begin));
	if (!b)
		return -EINVAL;
	b += strlen(begin);
	e = memmem(b, len - (size_t)(b - in), end, strlen(end));
	if (!e)
		return -EINVAL;
	blen = (size_t)(e - b);
	buf = malloc(blen / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	ret = b64_decode((const char *)b, blen, buf, blen / 4 * 3 + 1, der_len);
	if (ret || !*der_len) {
		free(buf);
		return -EINVAL;
	}
	*der = buf;
	return 0;
}

/* SubjectPublicKeyInfo up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey,
 * curve }, BIT STRING (0 unused bits) } */
static const uint8_t spki_p256[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00,
};
static const uint8_t spki_p384[] = {
	0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
};

static const struct {
	uint32_t type;
	const uint8_t *prefix;
	size_t prefix_len;
	size_t point_len;
} spki_forms[] = {
	{ VHSM_KEY_EC_P256, spki_p256, sizeof(spki_p256), 65 },
	{ VHSM_KEY_EC_P384, spki_p384, sizeof(spki_p384), 97 },
};

int spki_ec_point(const uint8_t *der, size_t len, uint32_t *type,
		  const uint8_t **point, size_t *point_len)
{
	size_t i;

	for (i = 0; i < sizeof(spki_forms) / sizeof(spki_forms[0]); i++) {
		size_t pl = spki_forms[i].prefix_len;

		if (len != pl + spki_forms[i].point_len ||
		    memcmp(der, spki_forms[i].prefix, pl) || der[pl] != 0x04)
			continue;
		*type = spki_forms[i].type;
		*point = der + pl;
		*point_len = spki_forms[i].point_len;
		return 0;
	}
	return -EINVAL;
}

int ec_pubkey_parse(const uint8_t *in, size_t len, uint32_t *type,
		    uint8_t *point, size_t *point_len)
{
	const uint8_t *p;
	uint8_t *der;
	size_t der_len, n;
	int ret;

	if (len == 65 && in[0] == 0x04) {
		*type = VHSM_KEY_EC_P256;
		goto sec1;
	}
	if (len == 97 && in[0] == 0x04) {
		*type = VHSM_KEY_EC_P384;
		goto sec1;
	}
	if (len && in[0] == 0x30) {
		ret = spki_ec_point(in, len, type, &p, &n);
		if (ret)
			return ret;
		memcpy(point, p, n);
		*point_len = n;
		return 0;
	}
	ret = pem_decode("PUBLIC KEY", in, len, &der, &der_len);
	if (ret)
		return ret;
	ret = spki_ec_point(der, der_len, type, &p, &n);
	if (!ret) {
		memcpy(point, p, n);
		*point_len = n;
	}
	free(der);
	return ret;

sec1:
	memcpy(point, in, len);
	*point_len = len;
	return 0;
}
