/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_PLATFORM_H
#define _VHSM_PLATFORM_H

#include <linux/types.h>

/**
 * struct vhsm_platform_ops - a source of attestation reports and derived keys
 * @name:          short name reported to userspace ("snp", "sim")
 * @id:            enum vhsm_platform_id
 * @flags:         VHSM_PLATFORM_F_* reported to userspace
 * @capabilities:  VHSM_CAP_* this platform provides
 * @probe:         find and claim the platform; -ENODEV when it is not present
 * @remove:        Optional: release what @probe claimed
 */
struct vhsm_platform_ops {
	const char *name;
	u32 id;
	u32 flags;
	u64 capabilities;
	int (*probe)(void);
	void (*remove)(void);
};

extern const struct vhsm_platform_ops vhsm_platform_snp;
extern const struct vhsm_platform_ops vhsm_platform_sim;

int vhsm_platform_init(const char *choice);
void vhsm_platform_exit(void);
const struct vhsm_platform_ops *vhsm_platform_get(void);

#endif /* _VHSM_PLATFORM_H */
