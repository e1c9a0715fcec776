/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_ATTEST_H
#define _VHSM_ATTEST_H

#include <linux/vhsm.h>

int vhsm_cmd_attest(struct vhsm_attest *arg);
int vhsm_cmd_platform_key(struct vhsm_platform_key *arg);

/* For in-kernel users (vhsm_tsm.ko): see attest.c. */
int vhsm_attest_report(const u8 *report_data, u32 vmpl, u8 *report,
		       void *certs, u32 *certs_len);

#endif /* _VHSM_ATTEST_H */
