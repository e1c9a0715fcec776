/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the vhsm kselftests. */
#ifndef VHSM_TEST_H
#define VHSM_TEST_H

#include <stddef.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/vhsm.h>

/* The ABI 1 layout, pinned here as in the kernel (kmod/ioctl.c). */
_Static_assert(sizeof(struct vhsm_info) == VHSM_INFO_SIZE_VER0, "vhsm_info size");
_Static_assert(sizeof(struct vhsm_info) == 144, "vhsm_info ABI 1 size");
_Static_assert(offsetof(struct vhsm_info, flags) == 4, "flags");
_Static_assert(offsetof(struct vhsm_info, abi_version) == 8, "abi_version");
_Static_assert(offsetof(struct vhsm_info, platform_id) == 12, "platform_id");
_Static_assert(offsetof(struct vhsm_info, module_version) == 16, "module_version");
_Static_assert(offsetof(struct vhsm_info, platform_name) == 48, "platform_name");
_Static_assert(offsetof(struct vhsm_info, platform_flags) == 64, "platform_flags");
_Static_assert(offsetof(struct vhsm_info, capabilities) == 72, "capabilities");
_Static_assert(offsetof(struct vhsm_info, limits) == 80, "limits");
_Static_assert(offsetof(struct vhsm_info, __reserved) == 112, "__reserved");
_Static_assert(sizeof(struct vhsm_info_limits) == 32, "limits size");

static inline const char *vhsm_test_device(void)
{
	const char *p = getenv("VHSM_DEVICE");

	return p && *p ? p : VHSM_DEVICE_PATH;
}

/*
 * Whether the module reports capability @cap (VHSM_IOC_INFO): a test of a
 * feature the running kernel lacks (README "Supported kernels") skips, naming
 * it, instead of failing.
 */
static inline int vhsm_test_has_cap(int fd, __u64 cap)
{
	struct vhsm_info info = { .size = sizeof(info) };

	return ioctl(fd, VHSM_IOC_INFO, &info) == 0 && (info.capabilities & cap);
}

#define VHSM_NEED_KEYRING_EXPORT(fd) do {					\
	if (!vhsm_test_has_cap(fd, VHSM_CAP_KEYRING_EXPORT))			\
		SKIP(return, "this kernel has no key_create(): keyring export is refused"); \
} while (0)

#endif /* VHSM_TEST_H */
