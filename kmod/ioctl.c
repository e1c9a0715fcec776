// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user-copy boundary of /dev/vhsm. Every argument struct is copied in once,
 * its size checked against what the kernel knows (copy_struct_from_user rules),
 * handed to its handler, and copied out once. Handlers check flags and reserved
 * fields; no crypto happens here.
 */
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vhsm.h>

#include "ioctl.h"
#include "platform.h"

/* Layout pins: ABI 1 must never move. Userspace tests assert the same. */
static_assert(sizeof(struct vhsm_info) == VHSM_INFO_SIZE_VER0);
static_assert(offsetof(struct vhsm_info, flags) == 4);
static_assert(offsetof(struct vhsm_info, module_version) == 16);
static_assert(offsetof(struct vhsm_info, platform_name) == 48);
static_assert(offsetof(struct vhsm_info, capabilities) == 72);
static_assert(offsetof(struct vhsm_info, limits) == 80);
static_assert(offsetof(struct vhsm_info, __reserved) == 112);
static_assert(sizeof(struct vhsm_info_limits) == 32);

/* Every argument struct begins with this. */
struct vhsm_arg_hdr {
	__u32 size;
	__u32 flags;
};

union vhsm_ioctl_arg {
	struct vhsm_arg_hdr hdr;
	struct vhsm_info info;
};

struct vhsm_ioctl_desc {
	unsigned int cmd;
	size_t ksize;		/* the struct as this kernel knows it */
	size_t min_size;	/* its first published size */
	int (*handler)(struct file *file, union vhsm_ioctl_arg *arg);
};

static bool all_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static int ioctl_info(struct file *file, union vhsm_ioctl_arg *arg)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	struct vhsm_info *info = &arg->info;

	if (info->flags & ~VHSM_INFO_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (info->__pad || !all_zero(info->__reserved, sizeof(info->__reserved)) ||
	    !all_zero(info->limits.__reserved, sizeof(info->limits.__reserved)))
		return -EINVAL;

	info->abi_version = VHSM_ABI_VERSION;
	info->platform_id = platform->id;
	strscpy_pad(info->module_version, VHSM_VERSION);
	strscpy_pad(info->platform_name, platform->name);
	info->platform_flags = platform->flags;
	info->capabilities = platform->capabilities;
	memset(&info->limits, 0, sizeof(info->limits));
	return 0;
}

static const struct vhsm_ioctl_desc vhsm_ioctls[] = {
	{ VHSM_IOC_INFO, sizeof(struct vhsm_info), VHSM_INFO_SIZE_VER0, ioctl_info },
};

static const struct vhsm_ioctl_desc *ioctl_find(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vhsm_ioctls); i++)
		if (vhsm_ioctls[i].cmd == cmd)
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
	ret = desc->handler(file, &karg);
	if (!ret)
		ret = arg_copy_out(desc, &karg, uarg, usize);
	memzero_explicit(&karg, sizeof(karg));
	return ret;
}
