// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * RFC 8785 JSON Canonicalization Scheme over jansson values: what Trustee
 * and guest-components hash into REPORT_DATA (serde_json_canonicalizer).
 *
 * The rules applied (RFC 8785 section 3.2):
 * - no whitespace; object members sorted by their names compared as arrays
 *   of UTF-16 code units (not UTF-8 bytes: the two orders differ for names
 *   holding characters above U+FFFF next to U+E000..U+FFFF);
 * - strings: '"' and '\' escaped, U+0008/09/0A/0C/0D as \b \t \n \f \r,
 *   other controls below U+0020 as \u00xx with lowercase hex, everything
 *   else (including U+007F and non-ASCII) as raw UTF-8 (jansson only holds
 *   valid UTF-8, so there are no lone surrogates to worry about);
 * - numbers as ECMAScript prints them. Only integral values of magnitude at
 *   most 2^53 - 1 are accepted, for which that is plain decimal ("-0" is
 *   "0"); anything else is refused with -EDOM rather than risk a form
 *   another implementation would not produce.
 *
 * jansson's own JSON_SORT_KEYS|JSON_COMPACT differs: it sorts by bytes and
 * writes \u001F in uppercase.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

#define JCS_MAX_SAFE_INT 9007199254740991LL	/* 2^53 - 1 */
#define JCS_MAX_DEPTH 64

/* Next code point of valid UTF-8 at *s, advancing *s. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = 0;

	if (c >= 0xF0) {
		c &= 0x07;
		n = 3;
	} else if (c >= 0xE0) {
		c &= 0x0F;
		n = 2;
	} else if (c >= 0xC0) {
		c &= 0x1F;
		n = 1;
	}
	p++;
	while (n-- > 0 && (*p & 0xC0) == 0x80)
		c = (c << 6) | (*p++ & 0x3F);
	*s = p;
	return c;
}

/* Walks a UTF-8 string as UTF-16 code units; U16_END at the end. */
struct u16_iter {
	const unsigned char *p;
	uint32_t low;	/* pending low surrogate, 0 if none */
};

#define U16_END UINT32_MAX

static uint32_t u16_next(struct u16_iter *it)
{
	uint32_t cp;

	if (it->low) {
		cp = it->low;
		it->low = 0;
		return cp;
	}
	if (!*it->p)
		return U16_END;
	cp = utf8_next(&it->p);
	if (cp < 0x10000)
		return cp;
	cp -= 0x10000;
	it->low = 0xDC00 | (cp & 0x3FF);
	return 0xD800 | (cp >> 10);
}

static int utf16_cmp(const char *a, const char *b)
{
	struct u16_iter ia = { (const unsigned char *)a, 0 };
	struct u16_iter ib = { (const unsigned char *)b, 0 };

	for (;;) {
		uint32_t ua = u16_next(&ia), ub = u16_next(&ib);

		if (ua == ub && ua == U16_END)
			return 0;
		if (ua == U16_END || ub == U16_END)	/* a prefix sorts first */
			return ua == U16_END ? -1 : 1;
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
}

static int key_cmp(const void *a, const void *b)
{
	return utf16_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void jcs_string(struct kbs_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	_vhsm_kbs_buf_add(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				esc[6] = 0;
				e = esc;
			}
		}
		if (!e)
			continue;
		_vhsm_kbs_buf_add(b, s + run, i - run);
		_vhsm_kbs_buf_str(b, e);
		run = i + 1;
	}
	_vhsm_kbs_buf_add(b, s + run, n - run);
	_vhsm_kbs_buf_add(b, "\"", 1);
}

static int jcs_number(struct kbs_buf *b, const json_t *v)
{
	long long i;

	if (json_is_integer(v)) {
		i = json_integer_value(v);
	} else {
		double d = json_real_value(v);

		if (!isfinite(d) || d != floor(d) || fabs(d) > (double)JCS_MAX_SAFE_INT)
			return -EDOM;
		i = (long long)d;
	}
	if (i > JCS_MAX_SAFE_INT || i < -JCS_MAX_SAFE_INT)
		return -EDOM;
	_vhsm_kbs_buf_printf(b, "%lld", i);
	return 0;
}

static int jcs_value(struct kbs_buf *b, const json_t *v, int depth);

static int jcs_object(struct kbs_buf *b, const json_t *v, int depth)
{
	size_t n = json_object_size(v), i = 0;
	const char **keys, *k;
	json_t *m;
	int err = 0;

	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	json_object_foreach((json_t *)v, k, m)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), key_cmp);
	_vhsm_kbs_buf_add(b, "{", 1);
	for (i = 0; i < n && !err; i++) {
		if (i)
			_vhsm_kbs_buf_add(b, ",", 1);
		jcs_string(b, keys[i], strlen(keys[i]));
		_vhsm_kbs_buf_add(b, ":", 1);
		err = jcs_value(b, json_object_get(v, keys[i]), depth + 1);
	}
	_vhsm_kbs_buf_add(b, "}", 1);
	free(keys);
	return err;
}

static int jcs_value(struct kbs_buf *b, const json_t *v, int depth)
{
	size_t i;
	int err = 0;

	if (!v || depth > JCS_MAX_DEPTH)
		return -EINVAL;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return jcs_object(b, v, depth);
	case JSON_ARRAY:
		_vhsm_kbs_buf_add(b, "[", 1);
		for (i = 0; i < json_array_size(v) && !err; i++) {
			if (i)
				_vhsm_kbs_buf_add(b, ",", 1);
			err = jcs_value(b, json_array_get(v, i), depth + 1);
		}
		_vhsm_kbs_buf_add(b, "]", 1);
		return err;
	case JSON_STRING:
		jcs_string(b, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
	case JSON_REAL:
		return jcs_number(b, v);
	case JSON_TRUE:
		_vhsm_kbs_buf_str(b, "true");
		return 0;
	case JSON_FALSE:
		_vhsm_kbs_buf_str(b, "false");
		return 0;
	case JSON_NULL:
		_vhsm_kbs_buf_str(b, "null");
		return 0;
	}
	return -EINVAL;
}

int _vhsm_kbs_jcs(const json_t *v, char **out)
{
	struct kbs_buf b = { 0 };
	int err = jcs_value(&b, v, 0);

	if (err) {
		free(b.p);
		return err;
	}
	return _vhsm_kbs_buf_finish(&b, out);
}

int vhsm_kbs_canonicalize(const char *json, char **out)
{
	json_error_t jerr;
	json_t *v;
	int err;

	if (!json || !out)
		return -EINVAL;
	v = json_loads(json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return -EINVAL;
	err = _vhsm_kbs_jcs(v, out);
	json_decref(v);
	return err;
}
