// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key management ioctls: generate, import, destroy, info, lookup, list.
 * Argument structs arrive copied in by ioctl.c; these check their flags and
 * reserved fields, then act on the key store.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "ecc.h"
#include "ioctl.h"
#include "key_cmds.h"
#include "keystore.h"
#include "policy.h"

int vhsm_cmd_key_generate(struct vhsm_key_generate *arg)
{
	struct vhsm_key_spec spec = { .attr = &arg->attr, .origin = VHSM_ORIGIN_GENERATED };
	int ret;

	if (arg->flags & ~VHSM_KEY_GENERATE_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	ret = vhsm_keystore_validate_attr(&arg->attr, &spec.len);
	if (ret)
		return ret;
	return vhsm_keystore_add(&spec, &arg->handle);
}

/* An EC public key: SEC1 uncompressed, on the curve; usage verify only. */
static int import_public(struct vhsm_key_import *arg, const u8 *material)
{
	struct vhsm_key_spec spec = {
		.attr = &arg->attr, .origin = VHSM_ORIGIN_IMPORTED, .public_only = true,
	};
	enum vhsm_ecc_curve curve;
	unsigned int n;
	int ret;

	if (!vhsm_key_is_ec(arg->attr.type))
		return -EINVAL;
	ret = vhsm_keystore_validate_attr(&arg->attr, &spec.len);
	if (ret)
		return ret;
	if (arg->attr.usage & ~vhsm_policy_usage_allowed(arg->attr.type, true))
		return -EINVAL;
	curve = vhsm_key_curve(arg->attr.type);
	n = vhsm_ecc_nbytes(curve);
	if (arg->material_len != 1 + 2 * n || material[0] != 0x04)
		return -EINVAL;
	/* -EINVAL for a point off the curve; -ENOMEM stays -ENOMEM */
	ret = vhsm_ecc_check_public(curve, material + 1);
	if (ret)
		return ret;
	spec.pub = material + 1;
	return vhsm_keystore_add(&spec, &arg->handle);
}

/* Plaintext secret material: admin only, and only when the module allows it. */
static int import_secret(struct vhsm_key_import *arg, const u8 *material)
{
	struct vhsm_key_spec spec = {
		.attr = &arg->attr, .origin = VHSM_ORIGIN_IMPORTED, .material = material,
	};
	int ret;

	if (!vhsm_keystore_plain_import_allowed() || !capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vhsm_keystore_validate_attr(&arg->attr, &spec.len);
	if (ret)
		return ret;
	if (arg->material_len != spec.len)
		return -EINVAL;
	return vhsm_keystore_add(&spec, &arg->handle);
}

int vhsm_cmd_key_import(struct vhsm_key_import *arg)
{
	u8 *material;
	int ret;

	if (arg->flags & ~VHSM_KEY_IMPORT_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (!arg->material_len)
		return -EINVAL;
	material = vhsm_ubuf_copy_in(arg->material_ptr, arg->material_len, 256);
	if (IS_ERR(material))
		return PTR_ERR(material) == -E2BIG ? -EINVAL : PTR_ERR(material);
	if (arg->flags & VHSM_IMPORT_F_PUBLIC)
		ret = import_public(arg, material);
	else
		ret = import_secret(arg, material);
	kfree_sensitive(material);
	return ret;
}

int vhsm_cmd_key_destroy(struct vhsm_key_destroy *arg)
{
	struct vhsm_key *key;
	int ret;

	if (arg->flags & ~VHSM_KEY_DESTROY_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->__reserved)
		return -EINVAL;
	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_DESTROY, &ret);
	if (!key)
		return ret;
	ret = vhsm_keystore_remove(key);
	vhsm_key_put(key);
	return ret;
}

int vhsm_cmd_key_info(struct vhsm_key_info *arg)
{
	struct vhsm_key *key;
	int ret;

	if (arg->flags & ~VHSM_KEY_INFO_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (!vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_SEE, &ret);
	if (!key)
		return ret;
	arg->origin = key->origin;
	arg->owner_uid = from_kuid_munged(current_user_ns(), key->uid);
	arg->owner_gid = from_kgid_munged(current_user_ns(), key->gid);
	arg->created = key->created;
	arg->public_only = key->public_only;
	memset(&arg->attr, 0, sizeof(arg->attr));
	arg->attr.type = key->type;
	arg->attr.usage = key->usage;
	arg->attr.mode = key->mode;
	arg->attr.key_len = key->len;
	strscpy_pad(arg->attr.label, key->label, sizeof(arg->attr.label));
	vhsm_key_put(key);
	return 0;
}

int vhsm_cmd_key_lookup(struct vhsm_key_lookup *arg)
{
	kuid_t uid = current_fsuid();

	if (arg->flags & ~VHSM_KEY_LOOKUP_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->flags & VHSM_LOOKUP_F_OWNER) {
		uid = make_kuid(current_user_ns(), arg->owner_uid);
		if (!uid_valid(uid))
			return -EINVAL;
	} else if (arg->owner_uid) {
		return -EINVAL;
	}
	return vhsm_keystore_lookup(uid, arg->label, &arg->handle);
}

int vhsm_cmd_key_list(struct vhsm_key_list *arg)
{
	bool more;
	u32 *handles;
	u32 n;
	int ret;

	if (arg->flags & ~VHSM_KEY_LIST_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->more || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->count > VHSM_KEY_LIST_MAX)
		return -EINVAL;
	handles = kcalloc(max(arg->count, 1U), sizeof(*handles), GFP_KERNEL_ACCOUNT);
	if (!handles)
		return -ENOMEM;
	ret = vhsm_keystore_list(arg->cursor, handles, arg->count, &n, &more);
	if (!ret && n)
		ret = vhsm_ubuf_copy_out(arg->handles_ptr, handles, n * sizeof(*handles));
	if (!ret) {
		arg->count = n;
		arg->more = more;
		if (n)
			arg->cursor = handles[n - 1];
	}
	kfree(handles);
	return ret;
}
