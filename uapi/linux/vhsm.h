/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vhsm — virtual HSM for AMD SEV-SNP guests: the userspace ABI of /dev/vhsm.
 *
 * Conventions shared by every ioctl
 * ---------------------------------
 * - Every argument struct starts with "__u32 size; __u32 flags;". The caller sets
 *   size to sizeof() of the struct it was compiled with. The kernel accepts any
 *   size from the struct's first published size (VHSM_*_SIZE_VER0) up to one page:
 *   a shorter struct than the kernel knows is zero-extended; a longer one is
 *   accepted only if every byte the kernel does not know is zero (-E2BIG
 *   otherwise). On return the kernel writes back min(size, its own size) bytes
 *   and sets size to the number of bytes it wrote.
 * - flags: each ioctl lists its flag bits and a *_FLAGS_ALL mask. Unknown bits
 *   give -EOPNOTSUPP.
 * - Fields named __reserved or __pad must be zero (-EINVAL otherwise).
 *   Padding is always explicit.
 * - User pointers travel as __u64; lengths as __u32.
 * - Errors common to every ioctl:
 *     -EFAULT      the argument (or a buffer it points to) is not readable or
 *                  writable memory
 *     -EINVAL      size below VHSM_*_SIZE_VER0, or a reserved field not zero
 *     -E2BIG       size above one page, or non-zero bytes beyond the struct
 *                  the kernel knows
 *     -EOPNOTSUPP  an unknown bit in flags
 *     -ENOTTY      an unknown ioctl command
 *
 * The ABI version (VHSM_ABI_VERSION) grows when ioctls or fields are added;
 * existing layouts never change.
 */
#ifndef _UAPI_LINUX_VHSM_H
#define _UAPI_LINUX_VHSM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VHSM_ABI_VERSION	1

#define VHSM_DEVICE_NAME	"vhsm"
#define VHSM_DEVICE_PATH	"/dev/vhsm"

/* The ioctl type byte. 0xB7 is unused in Documentation/userspace-api/ioctl. */
#define VHSM_IOC_MAGIC		0xB7

/* Platforms: where reports and derived keys come from. */
enum vhsm_platform_id {
	VHSM_PLATFORM_NONE = 0,
	VHSM_PLATFORM_SNP = 1,	/* the AMD secure processor of an SEV-SNP guest */
	VHSM_PLATFORM_SIM = 2,	/* software model for tests; proves nothing */
};

/* vhsm_info.platform_flags */
#define VHSM_PLATFORM_F_SIMULATED	(1U << 0) /* reports are not hardware-signed */

/*
 * vhsm_info.capabilities: what this module and platform can do now. A bit is
 * set only when the operation is implemented and available.
 */
#define VHSM_CAP_ATTEST		(1ULL << 0) /* VHSM_IOC_ATTEST */
#define VHSM_CAP_DERIVE_KEY	(1ULL << 1) /* platform-derived (sealing) keys */
#define VHSM_CAP_KEYSTORE	(1ULL << 2) /* in-kernel key store and operations */

#define VHSM_INFO_VERSION_LEN	32
#define VHSM_INFO_PLATFORM_LEN	16

/*
 * struct vhsm_info_limits - bounds the module enforces; 0 means "no key store".
 * @max_keys:           keys held by the module in total
 * @max_keys_per_user:  keys one uid may own
 * @max_bytes_per_user: key material bytes one uid may own
 * @max_data_len:       largest data buffer accepted by a single call
 * @max_label_len:      longest key label, in bytes, without a terminator
 * @__reserved:         zero
 */
struct vhsm_info_limits {
	__u32 max_keys;
	__u32 max_keys_per_user;
	__u32 max_bytes_per_user;
	__u32 max_data_len;
	__u32 max_label_len;
	__u32 __reserved[3];
};

/*
 * VHSM_IOC_INFO - describe the module and its platform.
 *
 * In:  size, flags (none defined: must be 0), __reserved (zero).
 * Out: every other field. Strings are NUL-terminated and NUL-padded.
 * Errors: only the common ones. Any opener of /dev/vhsm may call it.
 *
 * @size:            sizeof(struct vhsm_info) as the caller knows it
 * @flags:           VHSM_INFO_FLAGS_ALL (none)
 * @abi_version:     VHSM_ABI_VERSION of the running module
 * @platform_id:     enum vhsm_platform_id
 * @module_version:  the module's version string
 * @platform_name:   "snp" or "sim"
 * @platform_flags:  VHSM_PLATFORM_F_*
 * @__pad:           zero
 * @capabilities:    VHSM_CAP_*
 * @limits:          see struct vhsm_info_limits
 * @__reserved:      zero
 */
struct vhsm_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 platform_id;
	char module_version[VHSM_INFO_VERSION_LEN];
	char platform_name[VHSM_INFO_PLATFORM_LEN];
	__u32 platform_flags;
	__u32 __pad;
	__u64 capabilities;
	struct vhsm_info_limits limits;
	__u64 __reserved[4];
};

#define VHSM_INFO_FLAGS_ALL	0U
#define VHSM_INFO_SIZE_VER0	144	/* sizeof(struct vhsm_info) in ABI 1 */

#define VHSM_IOC_INFO		_IOWR(VHSM_IOC_MAGIC, 0x00, struct vhsm_info)

#endif /* _UAPI_LINUX_VHSM_H */
