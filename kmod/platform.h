/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_PLATFORM_H
#define _VHSM_PLATFORM_H

#include <linux/types.h>

/**
 * struct vhsm_platform_key_req - what the platform derives a key from
 * @root_key_select:    0 VCEK, 1 VMRK
 * @vmpl:               VMPL mixed into the key (>= the platform's VMPL)
 * @guest_field_select: VHSM_FIELD_* launch fields mixed in
 * @guest_svn:          mixed in when selected; at most the launch SVN
 * @tcb_version:        mixed in when selected; at most the committed TCB
 */
struct vhsm_platform_key_req {
	u32 root_key_select;
	u32 vmpl;
	u64 guest_field_select;
	u32 guest_svn;
	u64 tcb_version;
};

/**
 * struct vhsm_platform_ops - a source of attestation reports and derived keys
 * @name:          short name reported to userspace ("snp", "sim")
 * @id:            enum vhsm_platform_id
 * @flags:         VHSM_PLATFORM_F_* reported to userspace
 * @capabilities:  VHSM_CAP_* this platform provides
 * @probe:         find and claim the platform; -ENODEV when it is not present
 * @remove:        Optional: release what @probe claimed
 * @get_report:    Optional (VHSM_CAP_ATTEST): an ATTESTATION_REPORT
 *                 (VHSM_SNP_REPORT_LEN bytes into @report) carrying
 *                 @report_data, requested at @vmpl. @certs/@certs_len: in,
 *                 the buffer for the certificate table and its capacity
 *                 (@certs NULL: none wanted); out, its length (0: none).
 *                 @fw_error: firmware or VMM status on -EIO. Returns 0,
 *                 -EINVAL (vmpl), -ENOSPC (@certs_len too small; the needed
 *                 length is in @certs_len), -EIO, -ETIMEDOUT, -EINTR
 *                 (killed while waiting), -ENOTRECOVERABLE. May sleep;
 *                 every long wait is killable.
 * @derive_key:    Optional (VHSM_CAP_DERIVE_KEY): the platform's 32-byte
 *                 derived key for @req into @key; errors as @get_report.
 * @min_vmpl:      Optional: the lowest VMPL a report or key may be asked for,
 *                 the number of the VMPCK in use (the firmware refuses a
 *                 lower one); 0 when absent. Valid after @probe.
 */
struct vhsm_platform_ops {
	const char *name;
	u32 id;
	u32 flags;
	u64 capabilities;
	int (*probe)(void);
	void (*remove)(void);
	int (*get_report)(const u8 *report_data, u32 vmpl, u8 *report,
			  void *certs, u32 *certs_len, u32 *fw_error);
	int (*derive_key)(const struct vhsm_platform_key_req *req, u8 *key,
			  u32 *fw_error);
	u32 (*min_vmpl)(void);
};

extern const struct vhsm_platform_ops vhsm_platform_snp;
#ifdef VHSM_CONFIG_SIM
extern const struct vhsm_platform_ops vhsm_platform_sim;
#define VHSM_PLATFORM_PARM_HELP \
	"auto (SEV-SNP, else refuse to load), snp, or sim (software model, testing only)"
#else
#define VHSM_PLATFORM_PARM_HELP \
	"auto (SEV-SNP, else refuse to load) or snp (this build has no simulator)"
#endif

int vhsm_platform_init(const char *choice);
void vhsm_platform_exit(void);
const struct vhsm_platform_ops *vhsm_platform_get(void);
u32 vhsm_platform_min_vmpl(void);

#endif /* _VHSM_PLATFORM_H */
