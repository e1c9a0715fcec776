// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The JSON appraisal policy of the SNP report verifier:
 * vhsm_policy_from_json() and vhsm_policy_load_json(), which fill a struct
 * vhsm_policy through its public helpers (policy.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "load.h"

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

static int json_hex(json_t *v, uint8_t *out, size_t n)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s || strlen(s) != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int json_uint(json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -EINVAL;
	*out = (uint64_t)i;
	return 0;
}

static int json_flag(json_t *v, bool *out)
{
	if (!json_is_boolean(v))
		return -EINVAL;
	*out = json_is_true(v);
	return 0;
}

static int json_u8(json_t *v, uint8_t *out)
{
	uint64_t x;
	int err = json_uint(v, 255, &x);

	if (!err)
		*out = (uint8_t)x;
	return err;
}

static int json_min_tcb(json_t *v, struct vhsm_policy *p)
{
	const char *key;
	json_t *val;
	int err = 0;

	if (!json_is_object(v))
		return -EINVAL;
	p->check_min_tcb = true;
	json_object_foreach(v, key, val) {
		if (!strcmp(key, "fmc"))
			err = json_u8(val, &p->min_tcb.fmc);
		else if (!strcmp(key, "bl"))
			err = json_u8(val, &p->min_tcb.bl);
		else if (!strcmp(key, "tee"))
			err = json_u8(val, &p->min_tcb.tee);
		else if (!strcmp(key, "snp"))
			err = json_u8(val, &p->min_tcb.snp);
		else if (!strcmp(key, "ucode"))
			err = json_u8(val, &p->min_tcb.ucode);
		else
			err = -EINVAL;
		if (err)
			return err;
	}
	return 0;
}

/* An array of hex96 strings (or, for the key digests, one string) */
static int json_digests(json_t *v, bool one_ok, struct vhsm_policy *p,
			int (*add)(struct vhsm_policy *p, const uint8_t m[48]))
{
	uint8_t m[48];
	size_t i;
	json_t *e;
	int err;

	if (one_ok && json_is_string(v))
		return json_hex(v, m, sizeof(m)) ?: add(p, m);
	if (!json_is_array(v))
		return -EINVAL;
	json_array_foreach(v, i, e) {
		err = json_hex(e, m, sizeof(m));
		if (!err)
			err = add(p, m);
		if (err)
			return err;
	}
	return 0;
}

static int json_vmpl(json_t *v, enum vhsm_vmpl_mode mode, struct vhsm_policy *p)
{
	uint64_t x;

	if (p->vmpl_mode != VHSM_VMPL_ANY || json_uint(v, 3, &x))
		return -EINVAL;
	p->vmpl_mode = mode;
	p->vmpl = (uint32_t)x;
	return 0;
}

static int json_abi(json_t *v, struct vhsm_policy *p)
{
	const char *s = json_string_value(v);
	unsigned int major, minor;
	int used = 0;

	if (!s || sscanf(s, "%3u.%3u%n", &major, &minor, &used) != 2 ||
	    s[used] || major > 255 || minor > 255)
		return -EINVAL;
	p->check_min_abi = true;
	p->min_abi_major = (uint8_t)major;
	p->min_abi_minor = (uint8_t)minor;
	return 0;
}

static int json_keys(json_t *v, struct vhsm_policy *p)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || !json_array_size(v))
		return -EINVAL;
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (s && !strcmp(s, "vcek"))
			p->allowed_signing_keys |= VHSM_ALLOW_VCEK;
		else if (s && !strcmp(s, "vlek"))
			p->allowed_signing_keys |= VHSM_ALLOW_VLEK;
		else
			return -EINVAL;
	}
	return 0;
}

static int json_u32(json_t *v, uint32_t *out)
{
	uint64_t x;
	int err = json_uint(v, UINT32_MAX, &x);

	if (!err)
		*out = (uint32_t)x;
	return err;
}

static int policy_key(const char *key, json_t *v, struct vhsm_policy *p)
{
	if (!strcmp(key, "allow_debug"))
		return json_flag(v, &p->allow_debug);
	if (!strcmp(key, "min_tcb"))
		return json_min_tcb(v, p);
	if (!strcmp(key, "measurements"))
		return json_digests(v, false, p, vhsm_policy_add_measurement);
	if (!strcmp(key, "id_key_digest"))
		return json_digests(v, true, p, vhsm_policy_add_id_key);
	if (!strcmp(key, "author_key_digest"))
		return json_digests(v, true, p, vhsm_policy_add_author_key);
	if (!strcmp(key, "host_data"))
		return p->check_host_data = true, json_hex(v, p->host_data, 32);
	if (!strcmp(key, "report_data"))
		return p->check_report_data = true, json_hex(v, p->report_data, 64);
	if (!strcmp(key, "max_vmpl"))
		return json_vmpl(v, VHSM_VMPL_MAX, p);
	if (!strcmp(key, "exact_vmpl"))
		return json_vmpl(v, VHSM_VMPL_EXACT, p);
	if (!strcmp(key, "min_guest_svn"))
		return json_u32(v, &p->min_guest_svn);
	if (!strcmp(key, "require_smt_disabled"))
		return json_flag(v, &p->require_smt_disabled);
	if (!strcmp(key, "forbid_migration_agent"))
		return json_flag(v, &p->forbid_migration_agent);
	if (!strcmp(key, "require_single_socket"))
		return json_flag(v, &p->require_single_socket);
	if (!strcmp(key, "min_abi"))
		return json_abi(v, p);
	if (!strcmp(key, "signing_keys"))
		return json_keys(v, p);
	return -EINVAL;
}

int vhsm_policy_from_json(const char *json, struct vhsm_policy *p)
{
	const char *key;
	json_t *root, *v;
	int err = 0;

	if (!json || !p)
		return -EINVAL;
	vhsm_policy_init(p);
	root = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return -EINVAL;
	if (!json_is_object(root))
		err = -EINVAL;
	if (!err) {
		json_object_foreach(root, key, v) {
			err = policy_key(key, v, p);
			if (err)
				break;
		}
	}
	json_decref(root);
	if (err)
		vhsm_policy_free(p);
	return err;
}

int vhsm_policy_load_json(const char *path, struct vhsm_policy *p)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (!path || !p)
		return -EINVAL;
	vhsm_policy_init(p);
	err = _vhsm_read_file(path, &buf, &len);
	if (err)
		return err;
	if (memchr(buf, 0, len))
		err = -EINVAL;
	else
		err = vhsm_policy_from_json((const char *)buf, p);
	free(buf);
	return err;
}
