// SPDX-License-Identifier: GPL-2.0-only
/*
 * Export to kernel keyrings (VHSM_IOC_KEY_EXPORT): a stored key becomes a
 * "logon" key (its bytes, for dm-crypt's :LEN:logon:DESC and AF_ALG), an
 * "fscrypt-provisioning" key (fscrypt v2's FS_IOC_ADD_ENCRYPTION_KEY by
 * key_id) or a "logon" key holding its token (for the vhsm(...) template).
 *
 * The bytes go from the key store to the new key inside the kernel; the only
 * copy made here is the fscrypt payload, wiped on free. The new key is made
 * by key_create() with the calling task's credentials, so it belongs to the
 * caller, is charged to the caller's key quota and gets add_key(2)'s default
 * permissions; the keyring is looked up as add_key(2) does (special ids
 * create the keyring on demand) and needs write permission.
 *
 * Memory: the description and the fscrypt payload are per-call buffers charged
 * to the caller's memory cgroup; the new key is charged to the caller's key
 * quota by the key service.
 *
 * Locking: none of our own. The vHSM key is pinned by a reference while the
 * keyring code runs; no vhsm lock is held across calls into the key service.
 */
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/fscrypt.h>

#include "compat.h"
#include "ioctl.h"
#include "keyring_export.h"
#include "keystore.h"
#include "policy.h"
#include "token.h"

/* Printable ASCII without white space; logon keys need "prefix:". */
static int desc_check(const char *desc, u32 len, u32 as)
{
	const char *colon;
	u32 i;

	for (i = 0; i < len; i++)
		if (desc[i] <= ' ' || desc[i] > '~')
			return -EINVAL;
	if (as == VHSM_EXPORT_FSCRYPT)
		return 0;
	colon = strchr(desc, ':');
	return colon && colon != desc ? 0 : -EINVAL;
}

static char *desc_copy_in(const struct vhsm_key_export *arg)
{
	char *desc;

	if (!arg->desc_len || arg->desc_len > VHSM_EXPORT_DESC_MAX)
		return ERR_PTR(-EINVAL);
	desc = kmalloc(arg->desc_len + 1, GFP_KERNEL_ACCOUNT);
	if (!desc)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(desc, u64_to_user_ptr(arg->desc_ptr), arg->desc_len)) {
		kfree(desc);
		return ERR_PTR(-EFAULT);
	}
	desc[arg->desc_len] = '\0';
	return desc;
}

/* Whether @key's type can go out as @as. */
static int export_type_ok(const struct vhsm_key *key, u32 as)
{
	switch (as) {
	case VHSM_EXPORT_LOGON:
		return vhsm_key_is_ec(key->type) || key->public_only ? -EOPNOTSUPP : 0;
	case VHSM_EXPORT_FSCRYPT:
		return key->type == VHSM_KEY_SECRET ? 0 : -EOPNOTSUPP;
	case VHSM_EXPORT_TOKEN:
		return 0;
	default:
		return -EINVAL;
	}
}

#if VHSM_HAVE_KEY_CREATE
/* key_create() into the caller's keyring; the new key's serial or -errno. */
static int export_create(s32 ring, const char *type, const char *desc,
			 const void *data, size_t len)
{
	key_ref_t ring_ref, key_ref;
	int ret;

	ring_ref = lookup_user_key(ring, KEY_LOOKUP_CREATE, KEY_NEED_WRITE);
	if (IS_ERR(ring_ref))
		return PTR_ERR(ring_ref);
	key_ref = key_create(ring_ref, type, desc, data, len, KEY_PERM_UNDEF,
			     KEY_ALLOC_IN_QUOTA);
	if (IS_ERR(key_ref)) {
		ret = PTR_ERR(key_ref);
	} else {
		ret = key_ref_to_ptr(key_ref)->serial;
		key_ref_put(key_ref);
	}
	key_ref_put(ring_ref);
	return ret;
}
#else
/* compat.h: this kernel has no key_create(); vhsm_cmd_key_export() refuses first. */
static int export_create(s32 ring, const char *type, const char *desc,
			 const void *data, size_t len)
{
	return -EOPNOTSUPP;
}
#endif

static int export_fscrypt(const struct vhsm_key *key, s32 ring, const char *desc)
{
	size_t len = sizeof(struct fscrypt_provisioning_key_payload) + key->len;
	struct fscrypt_provisioning_key_payload *p;
	int ret;

	p = kzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	p->type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(p->raw, key->material, key->len);
	ret = export_create(ring, "fscrypt-provisioning", desc, p, len);
	kfree_sensitive(p);
	return ret;
}

static int export_key(const struct vhsm_key *key, u32 as, s32 ring, const char *desc)
{
	u8 token[VHSM_TOKEN_LEN];

	switch (as) {
	case VHSM_EXPORT_LOGON:
		return export_create(ring, "logon", desc, key->material, key->len);
	case VHSM_EXPORT_FSCRYPT:
		return export_fscrypt(key, ring, desc);
	default:
		vhsm_token_make(key, token);
		return export_create(ring, "logon", desc, token, sizeof(token));
	}
}

int vhsm_cmd_key_export(struct vhsm_key_export *arg)
{
	struct vhsm_key *key;
	char *desc;
	int ret;

	if (arg->flags & ~VHSM_KEY_EXPORT_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->serial || arg->__pad || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->as < VHSM_EXPORT_LOGON || arg->as > VHSM_EXPORT_TOKEN)
		return -EINVAL;
	if (!VHSM_HAVE_KEY_CREATE)
		return -EOPNOTSUPP;	/* no VHSM_CAP_KEYRING_EXPORT */
	desc = desc_copy_in(arg);
	if (IS_ERR(desc))
		return PTR_ERR(desc);
	ret = desc_check(desc, arg->desc_len, arg->as);
	if (ret)
		goto out_desc;

	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_USE, &ret);
	if (!key)
		goto out_desc;
	ret = export_type_ok(key, arg->as) ?:
	      vhsm_policy_check(key, VHSM_MODE_USE, VHSM_USAGE_EXPORT_KERNEL);
	if (!ret)
		ret = export_key(key, arg->as, arg->keyring, desc);
	vhsm_key_put(key);
	if (ret > 0) {
		arg->serial = ret;
		ret = 0;
	}
out_desc:
	kfree(desc);
	return ret;
}
