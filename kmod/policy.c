// SPDX-License-Identifier: GPL-2.0-only
/*
 * Access decisions for stored keys: owner, group and mode like a file, then
 * the key's usage flags. Pure functions of the key and the caller's
 * credentials; no allocation, no locking.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/user_namespace.h>
#include <linux/vhsm.h>

#include "keystore.h"
#include "policy.h"

/* The VHSM_MODE_* bits the current caller holds on @key. */
static unsigned int caller_perm(const struct vhsm_key *key)
{
	const struct cred *cred = current_cred();

	if (uid_eq(cred->fsuid, key->uid))
		return (key->mode >> 6) & 7;
	if (in_group_p(key->gid))
		return (key->mode >> 3) & 7;
	return key->mode & 7;
}

/*
 * Guest root is trusted to manage the store, so CAP_SYS_ADMIN may see and
 * destroy any key; using a key still follows its mode. Asked only when the
 * mode alone does not grant the action.
 */
static unsigned int admin_perm(void)
{
	return capable(CAP_SYS_ADMIN) ? VHSM_MODE_SEE | VHSM_MODE_DESTROY : 0;
}

/**
 * vhsm_policy_check() - may the caller do this with @key?
 * @key:        the key
 * @need_mode:  VHSM_MODE_* bits the action needs
 * @need_usage: VHSM_USAGE_* bits the action needs (0 for management)
 *
 * Return: 0; -ENOENT when the caller may not even see the key; -EACCES when
 * it may see it but the mode forbids the action; -EPERM when the key's usage
 * flags forbid it.
 */
int vhsm_policy_check(const struct vhsm_key *key, unsigned int need_mode,
		      u32 need_usage)
{
	unsigned int perm = caller_perm(key);

	if ((perm & need_mode) != need_mode)
		perm |= admin_perm();
	if ((perm & need_mode) != need_mode)
		return (perm & VHSM_MODE_SEE) ? -EACCES : -ENOENT;
	if ((key->usage & need_usage) != need_usage)
		return -EPERM;
	return 0;
}

/**
 * vhsm_policy_caller_iv() - may the caller encrypt with @key under an IV of
 *                           its choosing?
 * @key: an AES-GCM key the caller may already encrypt with
 *
 * A chosen IV turns encryption into decryption of any ciphertext made under
 * that IV (encrypting zeros gives its keystream), so it needs its own usage
 * flag, VHSM_USAGE_CALLER_IV, or CAP_SYS_ADMIN (asked only without the flag).
 *
 * Return: 0 or -EPERM.
 */
int vhsm_policy_caller_iv(const struct vhsm_key *key)
{
	if (key->usage & VHSM_USAGE_CALLER_IV)
		return 0;
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

bool vhsm_policy_may_see(const struct vhsm_key *key)
{
	return !vhsm_policy_check(key, VHSM_MODE_SEE, 0);
}

/**
 * vhsm_policy_admin_noaudit() - does the caller hold CAP_SYS_ADMIN?
 *
 * For callers that ask once for many keys (listing): no audit record and no
 * PF_SUPERPRIV, since most keys are visible without the capability and the
 * answer only widens what is listed.
 */
bool vhsm_policy_admin_noaudit(void)
{
	return ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

/**
 * vhsm_policy_visible() - may the caller see @key, given @admin?
 * @key:   the key
 * @admin: vhsm_policy_admin_noaudit(), asked once by the caller
 *
 * The same answer as vhsm_policy_may_see() with no capability check per key.
 */
bool vhsm_policy_visible(const struct vhsm_key *key, bool admin)
{
	return admin || (caller_perm(key) & VHSM_MODE_SEE);
}

/* The usage flags that make sense for a key type. */
u32 vhsm_policy_usage_allowed(u32 type, bool public_only)
{
	/* every key with secret material may be sealable */
	u32 seal = public_only ? 0 : VHSM_USAGE_SEAL;

	switch (type) {
	case VHSM_KEY_AES128_GCM:
	case VHSM_KEY_AES256_GCM:
		return VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT |
		       VHSM_USAGE_CALLER_IV | VHSM_USAGE_EXPORT_KERNEL | seal;
	case VHSM_KEY_AES256_XTS:
	case VHSM_KEY_SECRET:
		return VHSM_USAGE_EXPORT_KERNEL | seal;
	case VHSM_KEY_HMAC_SHA256:
	case VHSM_KEY_HMAC_SHA384:
		return VHSM_USAGE_MAC | VHSM_USAGE_EXPORT_KERNEL | seal;
	case VHSM_KEY_EC_P256:
	case VHSM_KEY_EC_P384:
		if (public_only)
			return VHSM_USAGE_VERIFY;
		return VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY | VHSM_USAGE_DERIVE |
		       VHSM_USAGE_EXPORT_KERNEL | seal;
	default:
		return 0;
	}
}
