// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Appraisal policy of the SNP report verifier: the public struct
 * vhsm_policy helpers and the policy checks vhsm_verify_report() runs after
 * the signature and chain: debug, migration, single socket, SMT and the
 * other PLATFORM_INFO requirements, minimum reported/launch/committed TCB,
 * measurements, HOST_DATA, REPORT_DATA, family and image id, chip id
 * allowlist, VMPL, guest SVN, firmware ABI and build, provisional firmware,
 * signing key, ID and author key digests.  A check runs (and is listed in
 * the result's @checks) only when the policy constrains it; debug and
 * provisional firmware are refused unless allowed.  The JSON loader is
 * policy_json.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* ---- struct vhsm_policy ---- */

void vhsm_policy_free(struct vhsm_policy *p)
{
	if (!p || p->size < VHSM_POLICY_STRUCT_MIN)
		return;
	free(p->measurements);
	free(p->id_key_digests);
	free(p->author_key_digests);
	free(p->chip_ids);
	memset((char *)p + sizeof(p->size), 0, sizeof(*p) - sizeof(p->size));
}

/* Append the N-byte value V to the list (*LIST, *COUNT). */
static int policy_list_add(void *list, size_t *count, const void *v, size_t n)
{
	uint8_t **l = list, *grown;

	if (!v)
		return -EINVAL;
	grown = realloc(*l, (*count + 1) * n);
	if (!grown)
		return -ENOMEM;
	memcpy(grown + *count * n, v, n);
	(*count)++;
	*l = grown;
	return 0;
}

#define POLICY_OK(p) ((p) && (p)->size >= VHSM_POLICY_STRUCT_MIN)

int vhsm_policy_add_measurement(struct vhsm_policy *p, const uint8_t m[48])
{
	return POLICY_OK(p) ? policy_list_add(&p->measurements, &p->n_measurements, m, 48)
			    : -EINVAL;
}

int vhsm_policy_add_id_key(struct vhsm_policy *p, const uint8_t d[48])
{
	return POLICY_OK(p) ? policy_list_add(&p->id_key_digests, &p->n_id_keys, d, 48)
			    : -EINVAL;
}

int vhsm_policy_add_author_key(struct vhsm_policy *p, const uint8_t d[48])
{
	return POLICY_OK(p) ? policy_list_add(&p->author_key_digests, &p->n_author_keys,
					      d, 48)
			    : -EINVAL;
}

int vhsm_policy_add_chip_id(struct vhsm_policy *p, const uint8_t id[64])
{
	return POLICY_OK(p) ? policy_list_add(&p->chip_ids, &p->n_chip_ids, id, 64)
			    : -EINVAL;
}

/* ---- checks ---- */

static void policy_tcb_part(struct vctx *c, const char *tcb, const char *part,
			    unsigned int have, unsigned int min)
{
	if (have < min)
		_vhsm_fail(c, VHSM_CHECK_MIN_TCB, "%s.%s=%u < policy minimum %u",
			   tcb, part, have, min);
}

static void policy_one_tcb(struct vctx *c, const char *name, const struct vhsm_tcb *t,
			   const struct vhsm_tcb *min)
{
	_vhsm_ran(c, VHSM_CHECK_MIN_TCB);
	if (t->turin)
		policy_tcb_part(c, name, "fmc", t->fmc, min->fmc);
	policy_tcb_part(c, name, "bl", t->bl, min->bl);
	policy_tcb_part(c, name, "tee", t->tee, min->tee);
	policy_tcb_part(c, name, "snp", t->snp, min->snp);
	policy_tcb_part(c, name, "ucode", t->ucode, min->ucode);
}

static void policy_tcb(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->check_min_tcb)
		policy_one_tcb(c, "reported_tcb", &c->rep.reported_tcb, &p->min_tcb);
	if (p->check_min_launch_tcb)
		policy_one_tcb(c, "launch_tcb", &c->rep.launch_tcb, &p->min_launch_tcb);
	if (p->check_min_committed_tcb)
		policy_one_tcb(c, "committed_tcb", &c->rep.committed_tcb,
			       &p->min_committed_tcb);
}

/* Whether the N-byte value V is one of the COUNT entries of LIST. */
static bool in_list(const void *list, size_t count, const uint8_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (!memcmp((const uint8_t *)list + i * n, v, n))
			return true;
	return false;
}

/* An allowlist check: runs when the list is not empty. */
static void policy_list(struct vctx *c, enum vhsm_check check, const char *field,
			const void *list, size_t count, const uint8_t *v, size_t n,
			const char *note)
{
	char hex[129];

	if (!count)
		return;
	_vhsm_ran(c, check);
	if (in_list(list, count, v, n))
		return;
	_vhsm_hex_str(v, n, hex);
	_vhsm_fail(c, check, "%s %s is not in the allowed list%s", field, hex, note);
}

static void policy_lists(struct vctx *c, const struct vhsm_policy *p)
{
	const struct vhsm_report *r = &c->rep;

	policy_list(c, VHSM_CHECK_MEASUREMENT, "measurement", p->measurements,
		    p->n_measurements, r->measurement, 48, "");
	policy_list(c, VHSM_CHECK_ID_KEY, "id_key_digest", p->id_key_digests,
		    p->n_id_keys, r->id_key_digest, 48, "");
	policy_list(c, VHSM_CHECK_AUTHOR_KEY, "author_key_digest", p->author_key_digests,
		    p->n_author_keys, r->author_key_digest, 48,
		    r->author_key_en ? "" : " (the launch had no author key)");
	policy_list(c, VHSM_CHECK_CHIP_ID, "chip_id", p->chip_ids, p->n_chip_ids,
		    r->chip_id, 64, "");
}

/* An exact-value check: runs when @on. */
static void policy_equal(struct vctx *c, bool on, enum vhsm_check check,
			 const char *field, const uint8_t *want, const uint8_t *have,
			 size_t n)
{
	char hex[129];

	if (!on)
		return;
	_vhsm_ran(c, check);
	if (!memcmp(want, have, n))
		return;
	_vhsm_hex_str(have, n, hex);
	_vhsm_fail(c, check, "%s %s differs from the expected value", field, hex);
}

static void policy_data(struct vctx *c, const struct vhsm_policy *p)
{
	const struct vhsm_report *r = &c->rep;

	policy_equal(c, p->check_host_data, VHSM_CHECK_HOST_DATA, "HOST_DATA",
		     p->host_data, r->host_data, 32);
	policy_equal(c, p->check_report_data, VHSM_CHECK_REPORT_DATA, "REPORT_DATA",
		     p->report_data, r->report_data, 64);
	policy_equal(c, p->check_family_id, VHSM_CHECK_FAMILY_ID, "FAMILY_ID",
		     p->family_id, r->family_id, 16);
	policy_equal(c, p->check_image_id, VHSM_CHECK_IMAGE_ID, "IMAGE_ID",
		     p->image_id, r->image_id, 16);
}

static void policy_vmpl(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->vmpl_mode != VHSM_VMPL_ANY)
		_vhsm_ran(c, VHSM_CHECK_VMPL);
	if (p->vmpl_mode == VHSM_VMPL_MAX && c->rep.vmpl > p->vmpl)
		_vhsm_fail(c, VHSM_CHECK_VMPL, "vmpl=%u > policy maximum %u", c->rep.vmpl, p->vmpl);
	if (p->vmpl_mode == VHSM_VMPL_EXACT && c->rep.vmpl != p->vmpl)
		_vhsm_fail(c, VHSM_CHECK_VMPL, "vmpl=%u != policy vmpl %u", c->rep.vmpl, p->vmpl);
}

static void policy_bits(struct vctx *c, const struct vhsm_policy *p)
{
	uint64_t pol = c->rep.policy;

	_vhsm_ran(c, VHSM_CHECK_DEBUG);
	if (!p->allow_debug && (pol & VHSM_POLICY_DEBUG))
		_vhsm_fail(c, VHSM_CHECK_DEBUG, "guest policy allows debugging (POLICY.DEBUG=1)");
	if (p->forbid_migration_agent) {
		_vhsm_ran(c, VHSM_CHECK_MIGRATION);
		if (pol & VHSM_POLICY_MIGRATE_MA)
			_vhsm_fail(c, VHSM_CHECK_MIGRATION, "guest policy allows a migration agent");
	}
	if (p->require_single_socket) {
		_vhsm_ran(c, VHSM_CHECK_SINGLE_SOCKET);
		if (!(pol & VHSM_POLICY_SINGLE_SOCKET))
			_vhsm_fail(c, VHSM_CHECK_SINGLE_SOCKET,
				   "guest policy does not require a single socket");
	}
	if (p->require_smt_disabled) {
		_vhsm_ran(c, VHSM_CHECK_SMT);
		if (c->rep.platform_info & VHSM_PLATFORM_SMT_EN)
			_vhsm_fail(c, VHSM_CHECK_SMT, "SMT is enabled on the platform");
	}
}

static void platform_bit_fail(struct vctx *c, unsigned int bit, bool want)
{
	const char *name = vhsm_report_bit_name(VHSM_REPORT_BITS_PLATFORM_INFO, bit);

	if (name)
		_vhsm_fail(c, VHSM_CHECK_PLATFORM, "platform_info.%s is %s, policy requires %s",
			   name, want ? "clear" : "set", want ? "set" : "clear");
	else
		_vhsm_fail(c, VHSM_CHECK_PLATFORM, "platform_info bit %u is %s, policy requires %s",
			   bit, want ? "clear" : "set", want ? "set" : "clear");
}

static void policy_platform(struct vctx *c, const struct vhsm_policy *p)
{
	uint64_t have = c->rep.platform_info;
	unsigned int bit;

	if (!p->platform_require && !p->platform_forbid)
		return;
	_vhsm_ran(c, VHSM_CHECK_PLATFORM);
	for (bit = 0; bit < 64; bit++) {
		uint64_t m = 1ULL << bit;

		if ((p->platform_require & m) && !(have & m))
			platform_bit_fail(c, bit, true);
		if ((p->platform_forbid & m) && (have & m))
			platform_bit_fail(c, bit, false);
	}
}

static void policy_firmware(struct vctx *c, const struct vhsm_policy *p)
{
	const struct vhsm_report *r = &c->rep;
	unsigned int cur = (unsigned int)r->current_major << 8 | r->current_minor;
	unsigned int com = (unsigned int)r->committed_major << 8 | r->committed_minor;
	unsigned int want = (unsigned int)p->min_abi_major << 8 | p->min_abi_minor;

	if (p->check_min_abi) {
		_vhsm_ran(c, VHSM_CHECK_ABI);
		if (cur < want && cur == com)
			_vhsm_fail(c, VHSM_CHECK_ABI, "firmware ABI %u.%u < policy minimum %u.%u",
				   r->current_major, r->current_minor, p->min_abi_major,
				   p->min_abi_minor);
		else if (cur < want || com < want)
			_vhsm_fail(c, VHSM_CHECK_ABI,
				   "firmware ABI %u.%u (committed %u.%u) < policy minimum %u.%u",
				   r->current_major, r->current_minor, r->committed_major,
				   r->committed_minor, p->min_abi_major, p->min_abi_minor);
	}
	if (p->check_min_build) {
		_vhsm_ran(c, VHSM_CHECK_BUILD);
		if (r->current_build < p->min_build || r->committed_build < p->min_build)
			_vhsm_fail(c, VHSM_CHECK_BUILD,
				   "firmware build %u (committed %u) < policy minimum %u",
				   r->current_build, r->committed_build, p->min_build);
	}
	if (p->allow_provisional)
		return;
	_vhsm_ran(c, VHSM_CHECK_PROVISIONAL);
	if (cur != com || r->current_build != r->committed_build)
		_vhsm_fail(c, VHSM_CHECK_PROVISIONAL,
			   "firmware %u.%u build %u is provisional (committed %u.%u build %u)",
			   r->current_major, r->current_minor, r->current_build,
			   r->committed_major, r->committed_minor, r->committed_build);
}

static void policy_versions(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->min_guest_svn) {
		_vhsm_ran(c, VHSM_CHECK_GUEST_SVN);
		if (c->rep.guest_svn < p->min_guest_svn)
			_vhsm_fail(c, VHSM_CHECK_GUEST_SVN, "guest_svn=%u < policy minimum %u",
				   c->rep.guest_svn, p->min_guest_svn);
	}
	if (!p->allowed_signing_keys)
		return;
	_vhsm_ran(c, VHSM_CHECK_SIGNING_KEY);
	if (c->rep.signing_key > 7 || !(p->allowed_signing_keys & (1u << c->rep.signing_key)))
		_vhsm_fail(c, VHSM_CHECK_SIGNING_KEY,
			   "signing key type %u is not allowed by policy", c->rep.signing_key);
}

void _vhsm_check_policy(struct vctx *c)
{
	const struct vhsm_policy *p = c->policy;

	if (c->opts->flags & VHSM_VERIFY_NO_POLICY)
		return;
	policy_bits(c, p);
	policy_platform(c, p);
	policy_tcb(c, p);
	policy_lists(c, p);
	policy_data(c, p);
	policy_vmpl(c, p);
	policy_firmware(c, p);
	policy_versions(c, p);
}
