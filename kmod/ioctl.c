// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-copy boundary of /dev/vhsm. Every argument struct is copied in once,
 * its size checked against what the kernel knows (copy_struct_from_user rules),
 * handed to its handler, and copied out once. Handlers check flags and reserved
 * fields; no crypto happens here.
 */
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vhsm.h>

#include "attest.h"
#include "compat.h"
#include "ioctl.h"
#include "key_cmds.h"
#include "keyring_export.h"
#include "keystore.h"
#include "ops.h"
#include "platform.h"
#include "seal.h"
#include "session.h"
#include "token.h"

/* Layout pins: ABI 1 must never move. Userspace tests assert the same. */
static_assert(sizeof(struct vhsm_info) == VHSM_INFO_SIZE_VER0);
static_assert(offsetof(struct vhsm_info, flags) == 4);
static_assert(offsetof(struct vhsm_info, module_version) == 16);
static_assert(offsetof(struct vhsm_info, platform_name) == 48);
static_assert(offsetof(struct vhsm_info, capabilities) == 72);
static_assert(offsetof(struct vhsm_info, limits) == 80);
static_assert(offsetof(struct vhsm_info, __reserved) == 112);
static_assert(sizeof(struct vhsm_info_limits) == 32);
static_assert(sizeof(struct vhsm_key_attr) == 80);
static_assert(sizeof(struct vhsm_key_generate) == VHSM_KEY_GENERATE_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_import) == VHSM_KEY_IMPORT_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_destroy) == VHSM_KEY_DESTROY_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_info) == VHSM_KEY_INFO_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_lookup) == VHSM_KEY_LOOKUP_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_list) == VHSM_KEY_LIST_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_token) == VHSM_KEY_TOKEN_SIZE_VER0);
static_assert(sizeof(struct vhsm_key_export) == VHSM_KEY_EXPORT_SIZE_VER0);
static_assert(offsetof(struct vhsm_key_export, desc_ptr) == 24);
static_assert(sizeof(struct vhsm_aead) == VHSM_AEAD_SIZE_VER0);
static_assert(offsetof(struct vhsm_aead, iv) == 48);
static_assert(offsetof(struct vhsm_aead, tag) == 64);
static_assert(sizeof(struct vhsm_mac) == VHSM_MAC_SIZE_VER0);
static_assert(sizeof(struct vhsm_sig) == VHSM_SIG_SIZE_VER0);
static_assert(sizeof(struct vhsm_pubkey) == VHSM_PUBKEY_SIZE_VER0);
static_assert(sizeof(struct vhsm_derive) == VHSM_DERIVE_SIZE_VER0);
static_assert(offsetof(struct vhsm_derive, attr) == 48);
static_assert(sizeof(struct vhsm_attest) == VHSM_ATTEST_SIZE_VER0);
static_assert(offsetof(struct vhsm_attest, vmpl) == 72);
static_assert(offsetof(struct vhsm_attest, fw_error) == 100);
static_assert(sizeof(struct vhsm_platform_key) == VHSM_PLATFORM_KEY_SIZE_VER0);
static_assert(offsetof(struct vhsm_platform_key, attr) == 40);
static_assert(sizeof(struct vhsm_session_open) == VHSM_SESSION_OPEN_SIZE_VER0);
static_assert(offsetof(struct vhsm_session_open, nonce_ptr) == 16);
static_assert(offsetof(struct vhsm_session_open, certs_ptr) == 40);
static_assert(offsetof(struct vhsm_session_open, jwk_x) == 64);
static_assert(offsetof(struct vhsm_session_open, report_data) == 152);
static_assert(sizeof(struct vhsm_session_import) == VHSM_SESSION_IMPORT_SIZE_VER0);
static_assert(offsetof(struct vhsm_session_import, attr) == 16);
static_assert(offsetof(struct vhsm_session_import, protected_ptr) == 96);
static_assert(offsetof(struct vhsm_session_import, protected_len) == 136);
static_assert(sizeof(struct vhsm_session_close) == VHSM_SESSION_CLOSE_SIZE_VER0);
static_assert(sizeof(struct vhsm_seal) == VHSM_SEAL_SIZE_VER0);
static_assert(offsetof(struct vhsm_seal, guest_field_select) == 16);
static_assert(offsetof(struct vhsm_seal, blob_ptr) == 32);
static_assert(offsetof(struct vhsm_seal, src_ptr) == 48);
static_assert(offsetof(struct vhsm_seal, __reserved) == 64);
static_assert(sizeof(struct vhsm_unseal) == VHSM_UNSEAL_SIZE_VER0);
static_assert(offsetof(struct vhsm_unseal, blob_ptr) == 8);
static_assert(offsetof(struct vhsm_unseal, label) == 24);
static_assert(offsetof(struct vhsm_unseal, fw_error) == 88);
static_assert(sizeof(struct vhsm_seal_hdr) == VHSM_SEAL_HDR_LEN);

/* Every argument struct begins with this. */
struct vhsm_arg_hdr {
	__u32 size;
	__u32 flags;
};

union vhsm_ioctl_arg {
	struct vhsm_arg_hdr hdr;
	struct vhsm_info info;
	struct vhsm_key_generate key_generate;
	struct vhsm_key_import key_import;
	struct vhsm_key_destroy key_destroy;
	struct vhsm_key_info key_info;
	struct vhsm_key_lookup key_lookup;
	struct vhsm_key_list key_list;
	struct vhsm_key_token key_token;
	struct vhsm_key_export key_export;
	struct vhsm_aead aead;
	struct vhsm_mac mac;
	struct vhsm_sig sig;
	struct vhsm_pubkey pubkey;
	struct vhsm_derive derive;
	struct vhsm_attest attest;
	struct vhsm_platform_key platform_key;
	struct vhsm_session_open session_open;
	struct vhsm_session_import session_import;
	struct vhsm_session_close session_close;
	struct vhsm_seal seal;
	struct vhsm_unseal unseal;
};

struct vhsm_ioctl_desc {
	unsigned int cmd;
	size_t ksize;		/* the struct as this kernel knows it */
	size_t min_size;	/* its first published size */
	int (*handler)(union vhsm_ioctl_arg *arg);
};

bool vhsm_all_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

void *vhsm_ubuf_copy_in(u64 uptr, u32 len, u32 max)
{
	void *buf;

	if (len > max)
		return ERR_PTR(-E2BIG);
	/* a copy of the caller's data: charged to its memory cgroup */
	buf = kmalloc(len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(uptr), len)) {
		kfree_sensitive(buf);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

int vhsm_ubuf_copy_out(u64 uptr, const void *buf, u32 len)
{
	return copy_to_user(u64_to_user_ptr(uptr), buf, len) ? -EFAULT : 0;
}

static int vhsm_cmd_info(struct vhsm_info *info)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();

	if (info->flags & ~VHSM_INFO_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (info->__pad || !vhsm_all_zero(info->__reserved, sizeof(info->__reserved)) ||
	    !vhsm_all_zero(info->limits.__reserved, sizeof(info->limits.__reserved)))
		return -EINVAL;

	info->abi_version = VHSM_ABI_VERSION;
	info->platform_id = platform->id;
	strscpy_pad(info->module_version, VHSM_VERSION, sizeof(info->module_version));
	strscpy_pad(info->platform_name, platform->name, sizeof(info->platform_name));
	info->platform_flags = platform->flags;
	info->capabilities = platform->capabilities | VHSM_CAP_KEYSTORE | vhsm_compat_caps();
	vhsm_keystore_limits(&info->limits);
	return 0;
}

/* A handler for union member @field, calling @fn with its own struct type. */
#define VHSM_IOCTL(_cmd, field, _min, fn)				\
	{								\
		.cmd = _cmd,						\
		.ksize = sizeof_field(union vhsm_ioctl_arg, field),	\
		.min_size = _min,					\
		.handler = fn##_thunk,					\
	}
#define VHSM_THUNK(fn, field)						\
	static int fn##_thunk(union vhsm_ioctl_arg *arg)		\
	{								\
		return fn(&arg->field);					\
	}

VHSM_THUNK(vhsm_cmd_info, info)
VHSM_THUNK(vhsm_cmd_key_generate, key_generate)
VHSM_THUNK(vhsm_cmd_key_import, key_import)
VHSM_THUNK(vhsm_cmd_key_destroy, key_destroy)
VHSM_THUNK(vhsm_cmd_key_info, key_info)
VHSM_THUNK(vhsm_cmd_key_lookup, key_lookup)
VHSM_THUNK(vhsm_cmd_key_list, key_list)
VHSM_THUNK(vhsm_cmd_key_token, key_token)
VHSM_THUNK(vhsm_cmd_key_export, key_export)
VHSM_THUNK(vhsm_cmd_aead, aead)
VHSM_THUNK(vhsm_cmd_mac, mac)
VHSM_THUNK(vhsm_cmd_sign, sig)
VHSM_THUNK(vhsm_cmd_verify, sig)
VHSM_THUNK(vhsm_cmd_pubkey, pubkey)
VHSM_THUNK(vhsm_cmd_derive, derive)
VHSM_THUNK(vhsm_cmd_attest, attest)
VHSM_THUNK(vhsm_cmd_platform_key, platform_key)
VHSM_THUNK(vhsm_cmd_session_open, session_open)
VHSM_THUNK(vhsm_cmd_session_import, session_import)
VHSM_THUNK(vhsm_cmd_session_close, session_close)
VHSM_THUNK(vhsm_cmd_seal, seal)
VHSM_THUNK(vhsm_cmd_unseal, unseal)

static const struct vhsm_ioctl_desc vhsm_ioctls[] = {
	VHSM_IOCTL(VHSM_IOC_INFO, info, VHSM_INFO_SIZE_VER0, vhsm_cmd_info),
	VHSM_IOCTL(VHSM_IOC_KEY_GENERATE, key_generate, VHSM_KEY_GENERATE_SIZE_VER0,
		   vhsm_cmd_key_generate),
	VHSM_IOCTL(VHSM_IOC_KEY_IMPORT, key_import, VHSM_KEY_IMPORT_SIZE_VER0,
		   vhsm_cmd_key_import),
	VHSM_IOCTL(VHSM_IOC_KEY_DESTROY, key_destroy, VHSM_KEY_DESTROY_SIZE_VER0,
		   vhsm_cmd_key_destroy),
	VHSM_IOCTL(VHSM_IOC_KEY_INFO, key_info, VHSM_KEY_INFO_SIZE_VER0,
		   vhsm_cmd_key_info),
	VHSM_IOCTL(VHSM_IOC_KEY_LOOKUP, key_lookup, VHSM_KEY_LOOKUP_SIZE_VER0,
		   vhsm_cmd_key_lookup),
	VHSM_IOCTL(VHSM_IOC_KEY_LIST, key_list, VHSM_KEY_LIST_SIZE_VER0,
		   vhsm_cmd_key_list),
	VHSM_IOCTL(VHSM_IOC_KEY_TOKEN, key_token, VHSM_KEY_TOKEN_SIZE_VER0,
		   vhsm_cmd_key_token),
	VHSM_IOCTL(VHSM_IOC_KEY_EXPORT, key_export, VHSM_KEY_EXPORT_SIZE_VER0,
		   vhsm_cmd_key_export),
	VHSM_IOCTL(VHSM_IOC_AEAD, aead, VHSM_AEAD_SIZE_VER0, vhsm_cmd_aead),
	VHSM_IOCTL(VHSM_IOC_MAC, mac, VHSM_MAC_SIZE_VER0, vhsm_cmd_mac),
	VHSM_IOCTL(VHSM_IOC_SIGN, sig, VHSM_SIG_SIZE_VER0, vhsm_cmd_sign),
	VHSM_IOCTL(VHSM_IOC_VERIFY, sig, VHSM_SIG_SIZE_VER0, vhsm_cmd_verify),
	VHSM_IOCTL(VHSM_IOC_PUBKEY, pubkey, VHSM_PUBKEY_SIZE_VER0, vhsm_cmd_pubkey),
	VHSM_IOCTL(VHSM_IOC_DERIVE, derive, VHSM_DERIVE_SIZE_VER0, vhsm_cmd_derive),
	VHSM_IOCTL(VHSM_IOC_ATTEST, attest, VHSM_ATTEST_SIZE_VER0, vhsm_cmd_attest),
	VHSM_IOCTL(VHSM_IOC_PLATFORM_KEY, platform_key, VHSM_PLATFORM_KEY_SIZE_VER0,
		   vhsm_cmd_platform_key),
	VHSM_IOCTL(VHSM_IOC_SESSION_OPEN, session_open, VHSM_SESSION_OPEN_SIZE_VER0,
		   vhsm_cmd_session_open),
	VHSM_IOCTL(VHSM_IOC_SESSION_IMPORT, session_import, VHSM_SESSION_IMPORT_SIZE_VER0,
		   vhsm_cmd_session_import),
	VHSM_IOCTL(VHSM_IOC_SESSION_CLOSE, session_close, VHSM_SESSION_CLOSE_SIZE_VER0,
		   vhsm_cmd_session_close),
	VHSM_IOCTL(VHSM_IOC_SEAL, seal, VHSM_SEAL_SIZE_VER0, vhsm_cmd_seal),
	VHSM_IOCTL(VHSM_IOC_UNSEAL, unseal, VHSM_UNSEAL_SIZE_VER0, vhsm_cmd_unseal),
};

/*
 * A command is matched on its type, number and direction only. The size bits
 * of the number are not part of the match: they encode the struct as the
 * caller's header knew it, and a newer header with a larger struct must reach
 * the same handler. The struct's own size field says how much to copy.
 */
#define VHSM_IOC_MATCH_MASK	(_IOC_TYPEMASK << _IOC_TYPESHIFT |	\
				 _IOC_NRMASK << _IOC_NRSHIFT |		\
				 _IOC_DIRMASK << _IOC_DIRSHIFT)

static const struct vhsm_ioctl_desc *ioctl_find(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vhsm_ioctls); i++)
		if (!((vhsm_ioctls[i].cmd ^ cmd) & VHSM_IOC_MATCH_MASK))
			return &vhsm_ioctls[i];
	return NULL;
}

/*
 * Copy the argument in: the caller's size must be at least the first published
 * size and at most a page; bytes beyond what this kernel knows must be zero.
 */
static int arg_copy_in(const struct vhsm_ioctl_desc *desc,
		       union vhsm_ioctl_arg *karg, const void __user *uarg,
		       u32 *usize)
{
	u32 size;
	int ret;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < desc->min_size)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(karg, desc->ksize, uarg, size);
	if (ret)
		return ret;
	*usize = size;
	return 0;
}

static int arg_copy_out(const struct vhsm_ioctl_desc *desc,
			union vhsm_ioctl_arg *karg, void __user *uarg, u32 usize)
{
	size_t len = min_t(size_t, desc->ksize, usize);

	karg->hdr.size = len;
	return copy_to_user(uarg, karg, len) ? -EFAULT : 0;
}

long vhsm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct vhsm_ioctl_desc *desc = ioctl_find(cmd);
	void __user *uarg = (void __user *)arg;
	union vhsm_ioctl_arg karg;
	u32 usize;
	int ret;

	if (!desc)
		return -ENOTTY;

	ret = arg_copy_in(desc, &karg, uarg, &usize);
	if (ret)
		return ret;
	ret = desc->handler(&karg);
	/*
	 * -ENOSPC carries the needed length back to the caller, -EIO the
	 * firmware's status (fw_error of ATTEST, PLATFORM_KEY, SEAL, UNSEAL)
	 */
	if (!ret || ret == -ENOSPC || ret == -EIO)
		ret = arg_copy_out(desc, &karg, uarg, usize) ?: ret;
	memzero_explicit(&karg, sizeof(karg));
	return ret;
}
