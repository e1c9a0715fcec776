/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSG_REPORT_REQ and MSG_KEY_REQ over a guest-message channel: what both the
 * SEV-SNP platform and the simulator put behind their platform ops.
 */
#ifndef _VHSM_SNP_REQ_H
#define _VHSM_SNP_REQ_H

#include <linux/types.h>

struct vhsm_snp_channel;
struct vhsm_platform_key_req;

int vhsm_snp_req_report(struct vhsm_snp_channel *ch, u32 min_vmpl,
			const u8 *report_data, u32 vmpl, u8 *report,
			void *certs, u32 *certs_len, u32 *fw_error);
int vhsm_snp_req_key(struct vhsm_snp_channel *ch, u32 min_vmpl,
		     const struct vhsm_platform_key_req *kr, u8 *key, u32 *fw_error);
u32 vhsm_snp_req_certs_len(const void *certs, u32 cap);

#endif /* _VHSM_SNP_REQ_H */
