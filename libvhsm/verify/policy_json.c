// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The JSON appraisal policy of the SNP report verifier:
 * vhsm_policy_parse_json() and vhsm_policy_read_json(), which apply a
 * document's keys to a struct vhsm_policy (its helpers are in policy.c).
 * Every rejected document gets a message that names the problem: jansson's
 * line and column for malformed JSON, the unknown key, or the key and its
 * bad value.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "load.h"

/* One document being applied: the policy and the first error message. */
struct pj {
	struct vhsm_policy *p;
	const char *key;	/* the top-level key being applied */
	char msg[256];
};

/* Record "KEY: <message>" (the first one only); returns -EINVAL. */
__attribute__((format(printf, 2, 3)))
static int bad(struct pj *j, const char *fmt, ...)
{
	char text[200];
	va_list ap;

	if (j->msg[0])
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(j->msg, sizeof(j->msg), "\"%s\": %s", j->key, text);
	return -EINVAL;
}

static int hex_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int json_hex(struct pj *j, json_t *v, uint8_t *out, size_t n)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s)
		return bad(j, "expected a string of %zu hex digits", 2 * n);
	if (strlen(s) != 2 * n)
		return bad(j, "\"%.40s%s\" has %zu hex digits, expected %zu", s,
			   strlen(s) > 40 ? "..." : "", strlen(s), 2 * n);
	for (i = 0; i < n; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return bad(j, "\"%.40s%s\" is not hex", s, strlen(s) > 40 ? "..." : "");
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int json_uint(struct pj *j, json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return bad(j, "expected an integer 0..%llu", (unsigned long long)max);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return bad(j, "%lld is out of range 0..%llu", (long long)i,
			   (unsigned long long)max);
	*out = (uint64_t)i;
	return 0;
}

static int json_flag(struct pj *j, json_t *v, bool *out)
{
	if (!json_is_boolean(v))
		return bad(j, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int json_u8(struct pj *j, json_t *v, uint8_t *out)
{
	uint64_t x = 0;
	int err = json_uint(j, v, 255, &x);

	if (!err)
		*out = (uint8_t)x;
	return err;
}

static int json_u32(struct pj *j, json_t *v, uint32_t *out)
{
	uint64_t x = 0;
	int err = json_uint(j, v, UINT32_MAX, &x);

	if (!err)
		*out = (uint32_t)x;
	return err;
}

/* {"fmc","bl","tee","snp","ucode": int} into *t, *on set */
static int json_tcb(struct pj *j, json_t *v, bool *on, struct vhsm_tcb *t)
{
	const char *key;
	json_t *val;
	int err = 0;

	if (!json_is_object(v))
		return bad(j, "expected an object {\"fmc\",\"bl\",\"tee\",\"snp\",\"ucode\": int}");
	*on = true;
	json_object_foreach(v, key, val) {
		if (!strcmp(key, "fmc"))
			err = json_u8(j, val, &t->fmc);
		else if (!strcmp(key, "bl"))
			err = json_u8(j, val, &t->bl);
		else if (!strcmp(key, "tee"))
			err = json_u8(j, val, &t->tee);
		else if (!strcmp(key, "snp"))
			err = json_u8(j, val, &t->snp);
		else if (!strcmp(key, "ucode"))
			err = json_u8(j, val, &t->ucode);
		else
			err = bad(j, "unknown TCB part \"%s\" (fmc, bl, tee, snp, ucode)", key);
		if (err)
			return err;
	}
	return 0;
}

/* An array of hex strings of @n bytes (or, if @one_ok, one string) */
static int json_list(struct pj *j, json_t *v, bool one_ok, size_t n,
		     int (*add)(struct vhsm_policy *p, const uint8_t *m))
{
	uint8_t m[64];
	size_t i;
	json_t *e;
	int err;

	if (one_ok && json_is_string(v))
		return json_hex(j, v, m, n) ?: add(j->p, m);
	if (!json_is_array(v))
		return bad(j, "expected an array of hex strings");
	json_array_foreach(v, i, e) {
		err = json_hex(j, e, m, n);
		if (!err)
			err = add(j->p, m);
		if (err)
			return err;
	}
	return 0;
}

static int json_vmpl(struct pj *j, json_t *v, enum vhsm_vmpl_mode mode)
{
	uint64_t x = 0;

	if (j->p->vmpl_mode != VHSM_VMPL_ANY)
		return bad(j, "only one of max_vmpl and exact_vmpl");
	if (json_uint(j, v, 3, &x))
		return -EINVAL;
	j->p->vmpl_mode = mode;
	j->p->vmpl = (uint32_t)x;
	return 0;
}

static int json_abi(struct pj *j, json_t *v)
{
	const char *s = json_string_value(v);
	unsigned int major, minor;
	int used = 0;

	if (!s || sscanf(s, "%3u.%3u%n", &major, &minor, &used) != 2 ||
	    s[used] || major > 255 || minor > 255)
		return bad(j, "expected \"MAJOR.MINOR\" (each 0..255)");
	j->p->check_min_abi = true;
	j->p->min_abi_major = (uint8_t)major;
	j->p->min_abi_minor = (uint8_t)minor;
	return 0;
}

static int json_keys(struct pj *j, json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || !json_array_size(v))
		return bad(j, "expected a non-empty array of \"vcek\", \"vlek\"");
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (s && !strcmp(s, "vcek"))
			j->p->allowed_signing_keys |= VHSM_ALLOW_VCEK;
		else if (s && !strcmp(s, "vlek"))
			j->p->allowed_signing_keys |= VHSM_ALLOW_VLEK;
		else
			return bad(j, "element %zu is not \"vcek\" or \"vlek\"", i);
	}
	return 0;
}

/* An array of PLATFORM_INFO bit names ("tsme_en", ...) into *mask. */
static int json_platform(struct pj *j, json_t *v, uint64_t *mask)
{
	unsigned int bit;
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return bad(j, "expected an array of platform_info bit names");
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e), *name;

		for (bit = 0; s && bit < 64; bit++) {
			name = vhsm_report_bit_name(VHSM_REPORT_BITS_PLATFORM_INFO, bit);
			if (name && !strcmp(name, s))
				break;
		}
		if (!s || bit == 64)
			return bad(j, "element %zu is not a platform_info bit name (smt_en, tsme_en, ...)",
				   i);
		*mask |= 1ULL << bit;
	}
	return 0;
}

static int add_chip(struct vhsm_policy *p, const uint8_t *m)
{
	return vhsm_policy_add_chip_id(p, m);
}

static int add_measurement(struct vhsm_policy *p, const uint8_t *m)
{
	return vhsm_policy_add_measurement(p, m);
}

static int add_id_key(struct vhsm_policy *p, const uint8_t *m)
{
	return vhsm_policy_add_id_key(p, m);
}

static int add_author_key(struct vhsm_policy *p, const uint8_t *m)
{
	return vhsm_policy_add_author_key(p, m);
}

static int key_bytes(struct pj *j, const char *key, json_t *v)
{
	struct vhsm_policy *p = j->p;

	if (!strcmp(key, "host_data"))
		return p->check_host_data = true, json_hex(j, v, p->host_data, 32);
	if (!strcmp(key, "report_data"))
		return p->check_report_data = true, json_hex(j, v, p->report_data, 64);
	if (!strcmp(key, "family_id"))
		return p->check_family_id = true, json_hex(j, v, p->family_id, 16);
	if (!strcmp(key, "image_id"))
		return p->check_image_id = true, json_hex(j, v, p->image_id, 16);
	if (!strcmp(key, "measurements"))
		return json_list(j, v, false, 48, add_measurement);
	if (!strcmp(key, "id_key_digest"))
		return json_list(j, v, true, 48, add_id_key);
	if (!strcmp(key, "author_key_digest"))
		return json_list(j, v, true, 48, add_author_key);
	if (!strcmp(key, "chip_ids"))
		return json_list(j, v, false, 64, add_chip);
	return -ENOENT;
}

static int key_tcb_vmpl(struct pj *j, const char *key, json_t *v)
{
	struct vhsm_policy *p = j->p;

	if (!strcmp(key, "min_tcb"))
		return json_tcb(j, v, &p->check_min_tcb, &p->min_tcb);
	if (!strcmp(key, "min_launch_tcb"))
		return json_tcb(j, v, &p->check_min_launch_tcb, &p->min_launch_tcb);
	if (!strcmp(key, "min_committed_tcb"))
		return json_tcb(j, v, &p->check_min_committed_tcb, &p->min_committed_tcb);
	if (!strcmp(key, "max_vmpl"))
		return json_vmpl(j, v, VHSM_VMPL_MAX);
	if (!strcmp(key, "exact_vmpl"))
		return json_vmpl(j, v, VHSM_VMPL_EXACT);
	if (!strcmp(key, "min_guest_svn"))
		return json_u32(j, v, &p->min_guest_svn);
	if (!strcmp(key, "min_abi"))
		return json_abi(j, v);
	if (!strcmp(key, "min_build"))
		return p->check_min_build = true, json_u8(j, v, &p->min_build);
	return -ENOENT;
}

static int key_flags(struct pj *j, const char *key, json_t *v)
{
	struct vhsm_policy *p = j->p;

	if (!strcmp(key, "allow_debug"))
		return json_flag(j, v, &p->allow_debug);
	if (!strcmp(key, "require_smt_disabled"))
		return json_flag(j, v, &p->require_smt_disabled);
	if (!strcmp(key, "forbid_migration_agent"))
		return json_flag(j, v, &p->forbid_migration_agent);
	if (!strcmp(key, "require_single_socket"))
		return json_flag(j, v, &p->require_single_socket);
	if (!strcmp(key, "allow_provisional_firmware"))
		return json_flag(j, v, &p->allow_provisional);
	if (!strcmp(key, "signing_keys"))
		return json_keys(j, v);
	if (!strcmp(key, "platform_info_required"))
		return json_platform(j, v, &p->platform_require);
	if (!strcmp(key, "platform_info_forbidden"))
		return json_platform(j, v, &p->platform_forbid);
	return -ENOENT;
}

static int policy_key(struct pj *j, const char *key, json_t *v)
{
	int err;

	j->key = key;
	err = key_bytes(j, key, v);
	if (err == -ENOENT)
		err = key_tcb_vmpl(j, key, v);
	if (err == -ENOENT)
		err = key_flags(j, key, v);
	if (err == -ENOENT) {
		snprintf(j->msg, sizeof(j->msg), "unknown key \"%s\"", key);
		err = -EINVAL;
	}
	return err;
}

/* Hand the message out (best effort: no message on ENOMEM). */
static void set_errmsg(char **errmsg, const char *msg)
{
	if (errmsg && msg[0])
		*errmsg = strdup(msg);
}

int vhsm_policy_parse_json(struct vhsm_policy *p, const char *json, char **errmsg)
{
	struct pj j = { .p = p };
	json_error_t jerr;
	const char *key;
	json_t *root, *v;
	int err = 0;

	if (errmsg)
		*errmsg = NULL;
	if (!json || !p || p->size < VHSM_POLICY_STRUCT_MIN)
		return -EINVAL;
	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(j.msg, sizeof(j.msg), "line %d, column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		set_errmsg(errmsg, j.msg);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		snprintf(j.msg, sizeof(j.msg), "the policy must be a JSON object");
		err = -EINVAL;
	}
	if (!err) {
		json_object_foreach(root, key, v) {
			err = policy_key(&j, key, v);
			if (err)
				break;
		}
	}
	json_decref(root);
	if (err == -EINVAL)
		set_errmsg(errmsg, j.msg);
	return err;
}

int vhsm_policy_read_json(struct vhsm_policy *p, const char *path, char **errmsg)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (errmsg)
		*errmsg = NULL;
	if (!path || !p || p->size < VHSM_POLICY_STRUCT_MIN)
		return -EINVAL;
	err = _vhsm_read_file(path, &buf, &len);
	if (err)
		return err;
	if (memchr(buf, 0, len)) {
		set_errmsg(errmsg, "the policy file holds a NUL byte");
		err = -EINVAL;
	} else {
		err = vhsm_policy_parse_json(p, (const char *)buf, errmsg);
	}
	free(buf);
	return err;
}
