// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Appraisal policy of the SNP report verifier: the public struct
 * vhsm_policy helpers, the policy checks vhsm_verify_report() runs after the
 * signature and chain (debug, migration, minimum TCB, measurements,
 * HOST_DATA, REPORT_DATA, VMPL, guest SVN, SMT, firmware ABI, signing key,
 * ID and author key digests),
 * and the JSON policy loader (vhsm_policy_from_json, vhsm_policy_load_json).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "verify_internal.h"

/* ---- struct vhsm_policy ---- */

void vhsm_policy_init(struct vhsm_policy *p)
{
	if (p)
		memset(p, 0, sizeof(*p));
}

void vhsm_policy_free(struct vhsm_policy *p)
{
	if (!p)
		return;
	free(p->measurements);
	free(p->id_key_digests);
	free(p->author_key_digests);
	vhsm_policy_init(p);
}

/* Append M to the list (*LIST, *COUNT) of 48-byte values. */
static int policy_list_add(uint8_t (**list)[48], size_t *count, const uint8_t m[48])
{
	uint8_t (*n)[48];

	if (!m)
		return -EINVAL;
	n = realloc(*list, (*count + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memcpy(n[(*count)++], m, 48);
	*list = n;
	return 0;
}

int vhsm_policy_add_measurement(struct vhsm_policy *p, const uint8_t m[48])
{
	return p ? policy_list_add(&p->measurements, &p->n_measurements, m) : -EINVAL;
}

int vhsm_policy_add_id_key(struct vhsm_policy *p, const uint8_t d[48])
{
	return p ? policy_list_add(&p->id_key_digests, &p->n_id_keys, d) : -EINVAL;
}

int vhsm_policy_add_author_key(struct vhsm_policy *p, const uint8_t d[48])
{
	return p ? policy_list_add(&p->author_key_digests, &p->n_author_keys, d) : -EINVAL;
}

/* ---- checks ---- */

static void policy_tcb_part(struct vctx *c, const char *part, unsigned int have,
			    unsigned int min)
{
	if (have < min)
		_vhsm_fail(c, VHSM_CHECK_MIN_TCB, "reported_tcb.%s=%u < policy minimum %u",
			   part, have, min);
}

static void policy_tcb(struct vctx *c, const struct vhsm_policy *p)
{
	const struct vhsm_tcb *t = &c->rep.reported_tcb;

	if (!p->check_min_tcb)
		return;
	if (t->turin)
		policy_tcb_part(c, "fmc", t->fmc, p->min_tcb.fmc);
	policy_tcb_part(c, "bl", t->bl, p->min_tcb.bl);
	policy_tcb_part(c, "tee", t->tee, p->min_tcb.tee);
	policy_tcb_part(c, "snp", t->snp, p->min_tcb.snp);
	policy_tcb_part(c, "ucode", t->ucode, p->min_tcb.ucode);
}

static void policy_measurement(struct vctx *c, const struct vhsm_policy *p)
{
	char hex[97];
	size_t i;

	if (!p->n_measurements)
		return;
	for (i = 0; i < p->n_measurements; i++)
		if (!memcmp(p->measurements[i], c->rep.measurement, 48))
			return;
	_vhsm_hex_str(c->rep.measurement, 48, hex);
	_vhsm_fail(c, VHSM_CHECK_MEASUREMENT, "measurement %s is not in the allowed list", hex);
}

/* the launch's ID block was signed by an allowed ID key (and author key) */
static void policy_id_keys(struct vctx *c, const struct vhsm_policy *p)
{
	char hex[97];
	size_t i;

	for (i = 0; i < p->n_id_keys; i++)
		if (!memcmp(p->id_key_digests[i], c->rep.id_key_digest, 48))
			break;
	if (p->n_id_keys && i == p->n_id_keys) {
		_vhsm_hex_str(c->rep.id_key_digest, 48, hex);
		_vhsm_fail(c, VHSM_CHECK_ID_KEY, "id_key_digest %s is not in the allowed list", hex);
	}
	for (i = 0; i < p->n_author_keys; i++)
		if (!memcmp(p->author_key_digests[i], c->rep.author_key_digest, 48))
			break;
	if (p->n_author_keys && i == p->n_author_keys) {
		_vhsm_hex_str(c->rep.author_key_digest, 48, hex);
		_vhsm_fail(c, VHSM_CHECK_AUTHOR_KEY,
			   "author_key_digest %s is not in the allowed list%s", hex,
			   c->rep.author_key_en ? "" : " (the launch had no author key)");
	}
}

static void policy_data(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->check_host_data &&
	    memcmp(p->host_data, c->rep.host_data, sizeof(p->host_data)))
		_vhsm_fail(c, VHSM_CHECK_HOST_DATA, "HOST_DATA differs from the expected value");
	if (p->check_report_data &&
	    memcmp(p->report_data, c->rep.report_data, sizeof(p->report_data)))
		_vhsm_fail(c, VHSM_CHECK_REPORT_DATA,
			   "REPORT_DATA differs from the expected value");
}

static void policy_vmpl(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->vmpl_mode == VHSM_VMPL_MAX && c->rep.vmpl > p->vmpl)
		_vhsm_fail(c, VHSM_CHECK_VMPL, "vmpl=%u > policy maximum %u", c->rep.vmpl, p->vmpl);
	if (p->vmpl_mode == VHSM_VMPL_EXACT && c->rep.vmpl != p->vmpl)
		_vhsm_fail(c, VHSM_CHECK_VMPL, "vmpl=%u != policy vmpl %u", c->rep.vmpl, p->vmpl);
}

static void policy_bits(struct vctx *c, const struct vhsm_policy *p)
{
	uint64_t pol = c->rep.policy;

	if (!p->allow_debug && (pol & VHSM_POLICY_DEBUG))
		_vhsm_fail(c, VHSM_CHECK_DEBUG, "guest policy allows debugging (POLICY.DEBUG=1)");
	if (p->forbid_migration_agent && (pol & VHSM_POLICY_MIGRATE_MA))
		_vhsm_fail(c, VHSM_CHECK_MIGRATION, "guest policy allows a migration agent");
	if (p->require_single_socket && !(pol & VHSM_POLICY_SINGLE_SOCKET))
		_vhsm_fail(c, VHSM_CHECK_SINGLE_SOCKET,
			   "guest policy does not require a single socket");
	if (p->require_smt_disabled && (c->rep.platform_info & VHSM_PLATFORM_SMT_EN))
		_vhsm_fail(c, VHSM_CHECK_SMT, "SMT is enabled on the platform");
}

static void policy_versions(struct vctx *c, const struct vhsm_policy *p)
{
	unsigned int have, want;

	if (c->rep.guest_svn < p->min_guest_svn)
		_vhsm_fail(c, VHSM_CHECK_GUEST_SVN, "guest_svn=%u < policy minimum %u",
			   c->rep.guest_svn, p->min_guest_svn);
	have = (unsigned int)c->rep.current_major << 8 | c->rep.current_minor;
	want = (unsigned int)p->min_abi_major << 8 | p->min_abi_minor;
	if (p->check_min_abi && have < want)
		_vhsm_fail(c, VHSM_CHECK_ABI, "firmware ABI %u.%u < policy minimum %u.%u",
			   c->rep.current_major, c->rep.current_minor,
			   p->min_abi_major, p->min_abi_minor);
	if (p->allowed_signing_keys && (c->rep.signing_key > 7 ||
	    !(p->allowed_signing_keys & (1u << c->rep.signing_key))))
		_vhsm_fail(c, VHSM_CHECK_SIGNING_KEY,
			   "signing key type %u is not allowed by policy", c->rep.signing_key);
}

void _vhsm_check_policy(struct vctx *c)
{
	struct vhsm_policy def;
	const struct vhsm_policy *p = c->opts->policy;

	if (c->opts->flags & VHSM_VERIFY_NO_POLICY)
		return;
	if (!p) {
		vhsm_policy_init(&def);
		p = &def;
	}
	policy_bits(c, p);
	policy_tcb(c, p);
	policy_measurement(c, p);
	policy_id_keys(c, p);
	policy_data(c, p);
	policy_vmpl(c, p);
	policy_versions(c, p);
}

/* ---- policy from JSON ---- */

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
