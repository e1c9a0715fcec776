/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_ATTEST_H
#define _VHSM_ATTEST_H

#include <linux/vhsm.h>

int vhsm_cmd_attest(struct vhsm_attest *arg);
int vhsm_cmd_platform_key(struct vhsm_platform_key *arg);

#endif /* _VHSM_ATTEST_H */
