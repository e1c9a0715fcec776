/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_POLICY_H
#define _VHSM_POLICY_H

#include <linux/types.h>

struct vhsm_key;

int vhsm_policy_check(const struct vhsm_key *key, unsigned int need_mode,
		      u32 need_usage);
bool vhsm_policy_may_see(const struct vhsm_key *key);
int vhsm_policy_caller_iv(const struct vhsm_key *key);
bool vhsm_policy_admin_noaudit(void);
bool vhsm_policy_visible(const struct vhsm_key *key, bool admin);
u32 vhsm_policy_usage_allowed(u32 type, bool public_only);

#endif /* _VHSM_POLICY_H */
