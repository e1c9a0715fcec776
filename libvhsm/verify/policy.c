// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Appraisal policy of the SNP report verifier: the public struct
 * vhsm_policy helpers and the policy checks vhsm_verify_report() runs after
 * the signature and chain (debug, migration, minimum TCB, measurements,
 * HOST_DATA, REPORT_DATA, VMPL, guest SVN, SMT, firmware ABI, signing key,
 * ID and author key digests).  The JSON loader is policy_json.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

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
