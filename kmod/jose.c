// SPDX-License-Identifier: GPL-2.0-only
/*
 * JOSE text for provisioning sessions: strict base64url, the KBS nonce check
 * and a parser for exactly one shape of JWE protected header (jose.h).
 *
 * The header parser is deliberately not a JSON parser: it accepts one object
 * whose members it knows, with string values made of printable ASCII and no
 * escapes, and one nested object (epk). Every read is bounded by the end
 * pointer; there is no recursion and no allocation. Anything it does not
 * expect is -EBADMSG. It is fuzzed on the host (selftests/fuzz/jose_fuzz.c).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "jose.h"

static int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

int vhsm_b64url_decode(const char *in, size_t len, u8 *out, size_t cap)
{
	size_t i, n = 0;
	u32 acc = 0;
	int bits = 0;

	if (len % 4 == 1)
		return -EBADMSG;
	if (len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0) > cap)
		return -ENOSPC;
	for (i = 0; i < len; i++) {
		int v = b64url_value(in[i]);

		if (v < 0)
			return -EBADMSG;
		acc = (acc << 6) | (u32)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (u8)(acc >> bits);
		}
	}
	/* the unused low bits of the last character must be zero */
	if (acc & ((1U << bits) - 1))
		return -EBADMSG;
	return (int)n;
}

size_t vhsm_b64url_len(size_t len)
{
	return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

void vhsm_b64url_encode(const u8 *in, size_t len, char *out)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, n = 0;
	u32 acc = 0;
	int bits = 0;

	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = alphabet[(acc >> bits) & 63];
		}
	}
	if (bits)
		out[n++] = alphabet[(acc << (6 - bits)) & 63];
	out[n] = '\0';
}

static bool b64_std_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool vhsm_b64_nonce_ok(const char *s, size_t len, size_t max)
{
	size_t i, pad = 0;

	if (len < 4 || len > max || len % 4)
		return false;
	while (pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	for (i = 0; i < len - pad; i++)
		if (!b64_std_char(s[i]))
			return false;
	return true;
}

/* ---- the protected header ---------------------------------------------------- */

struct jp {
	const char *p;
	const char *end;
};

struct jstr {
	const char *s;
	size_t len;
};

static void jp_ws(struct jp *j)
{
	while (j->p < j->end &&
	       (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jp_expect(struct jp *j, char c)
{
	jp_ws(j);
	if (j->p >= j->end || *j->p != c)
		return -EBADMSG;
	j->p++;
	return 0;
}

/* True and consumed if the next token is @c. */
static bool jp_accept(struct jp *j, char c)
{
	jp_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

/* A string of printable ASCII without escapes. */
static int jp_string(struct jp *j, struct jstr *out)
{
	const char *start;

	if (jp_expect(j, '"'))
		return -EBADMSG;
	start = j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20 || *j->p > 0x7e || *j->p == '\\')
			return -EBADMSG;
		j->p++;
	}
	if (j->p >= j->end)
		return -EBADMSG;
	out->s = start;
	out->len = (size_t)(j->p - start);
	j->p++;
	return 0;
}

static bool jstr_is(const struct jstr *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->len == n && !memcmp(s->s, lit, n);
}

/* Index of @key in @names (NULL-terminated), or -1. */
static int member_index(const struct jstr *key, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (jstr_is(key, names[i]))
			return i;
	return -1;
}

/*
 * Iterates "key": value pairs of an object whose '{' was consumed: returns
 * the index of the next key in @names (refusing unknown and repeated keys,
 * tracked in @seen) with the parser before its value, 1 << 8 at the closing
 * '}', or -EBADMSG.
 */
#define JP_END	(1 << 8)
static int jp_next_member(struct jp *j, const char *const *names, u32 *seen, bool first)
{
	struct jstr key;
	int idx;

	if (jp_accept(j, '}'))
		return first ? -EBADMSG : JP_END;
	if (!first && jp_expect(j, ','))
		return -EBADMSG;
	if (jp_string(j, &key))
		return -EBADMSG;
	idx = member_index(&key, names);
	if (idx < 0 || *seen & (1U << idx))
		return -EBADMSG;
	*seen |= 1U << idx;
	if (jp_expect(j, ':'))
		return -EBADMSG;
	return idx;
}

static int decode_exact(const struct jstr *s, u8 *out, size_t len)
{
	int n = vhsm_b64url_decode(s->s, s->len, out, len);

	return n == (int)len ? 0 : -EBADMSG;
}

enum { EPK_KTY, EPK_CRV, EPK_X, EPK_Y, EPK_ALL = 0xf };

static int parse_epk(struct jp *j, struct vhsm_jwe_header *hdr)
{
	static const char *const names[] = { "kty", "crv", "x", "y", NULL };
	struct jstr v;
	u32 seen = 0;
	bool first = true;
	int idx, ret;

	if (jp_expect(j, '{'))
		return -EBADMSG;
	while ((idx = jp_next_member(j, names, &seen, first)) != JP_END) {
		if (idx < 0 || jp_string(j, &v))
			return -EBADMSG;
		first = false;
		switch (idx) {
		case EPK_KTY:
			ret = jstr_is(&v, "EC") ? 0 : -EBADMSG;
			break;
		case EPK_CRV:
			ret = jstr_is(&v, "P-256") ? 0 : -EBADMSG;
			break;
		case EPK_X:
			ret = decode_exact(&v, hdr->epk_x, VHSM_JOSE_P256_BYTES);
			break;
		default:
			ret = decode_exact(&v, hdr->epk_y, VHSM_JOSE_P256_BYTES);
			break;
		}
		if (ret)
			return ret;
	}
	return seen == EPK_ALL ? 0 : -EBADMSG;
}

static int decode_party(const struct jstr *v, u8 *out, u32 *len)
{
	int n = vhsm_b64url_decode(v->s, v->len, out, VHSM_JOSE_PARTY_MAX);

	if (n < 0)
		return -EBADMSG;
	*len = (u32)n;
	return 0;
}

enum { HDR_ALG, HDR_ENC, HDR_EPK, HDR_APU, HDR_APV };
#define HDR_REQUIRED	((1U << HDR_ALG) | (1U << HDR_ENC) | (1U << HDR_EPK))

static int parse_member(struct jp *j, int idx, struct vhsm_jwe_header *hdr)
{
	struct jstr v;

	if (idx == HDR_EPK)
		return parse_epk(j, hdr);
	if (jp_string(j, &v))
		return -EBADMSG;
	switch (idx) {
	case HDR_ALG:
		return jstr_is(&v, "ECDH-ES+A256KW") ? 0 : -EBADMSG;
	case HDR_ENC:
		return jstr_is(&v, "A256GCM") ? 0 : -EBADMSG;
	case HDR_APU:
		return decode_party(&v, hdr->apu, &hdr->apu_len);
	default:
		return decode_party(&v, hdr->apv, &hdr->apv_len);
	}
}

int vhsm_jwe_header_parse(const char *json, size_t len, struct vhsm_jwe_header *hdr)
{
	static const char *const names[] = { "alg", "enc", "epk", "apu", "apv", NULL };
	struct jp j = { .p = json, .end = json + len };
	bool first = true;
	u32 seen = 0;
	int idx;

	memset(hdr, 0, sizeof(*hdr));
	if (jp_expect(&j, '{'))
		return -EBADMSG;
	while ((idx = jp_next_member(&j, names, &seen, first)) != JP_END) {
		if (idx < 0 || parse_member(&j, idx, hdr))
			return -EBADMSG;
		first = false;
	}
	jp_ws(&j);
	if (j.p != j.end || (seen & HDR_REQUIRED) != HDR_REQUIRED)
		return -EBADMSG;
	return 0;
}
