/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated AMD secure processor: it receives SNP guest messages exactly
 * as the firmware would (encrypted under its own copy of the VMPCK, with its
 * own sequence number), answers MSG_REPORT_REQ with a signed
 * ATTESTATION_REPORT and MSG_KEY_REQ with a derived key, and can be told to
 * misbehave (busy host, corrupted tag, wrong seqno) for tests.
 */
#ifndef _VHSM_SIM_SP_H
#define _VHSM_SIM_SP_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "snp_msg.h"

struct aead_request;
struct vhsm_sim_hw;

enum vhsm_sim_product {
	VHSM_SIM_MILAN,
	VHSM_SIM_GENOA,
	VHSM_SIM_TURIN,
};

#define VHSM_SIM_CHIP_SECRET_LEN	32
#define VHSM_SIM_VCEK_LEN		48

/**
 * struct vhsm_sim_config - the simulated launch and platform
 * @measurement:   launch digest
 * @host_data:     HOST_DATA given by the host at launch
 * @family_id:     from the ID block
 * @image_id:      from the ID block
 * @chip_secret:   the chip's root secret: VCEK, CHIP_ID and derived keys
 * @policy:        guest policy
 * @current_tcb:   CURRENT_TCB
 * @committed_tcb: COMMITTED_TCB
 * @launch_tcb:    LAUNCH_TCB
 * @reported_tcb:  REPORTED_TCB; the VCEK is derived for it
 * @launch_mit:    LAUNCH_MIT_VECTOR (report version 5)
 * @current_mit:   CURRENT_MIT_VECTOR (report version 5)
 * @guest_svn:     GUEST_SVN from the ID block
 * @version:       report version, 3 or 5
 * @vmpl:          the VMPL whose VMPCK the guest uses
 * @product:       CPU generation: report CPUID fields and TCB layout
 */
struct vhsm_sim_config {
	u8 measurement[48];
	u8 host_data[32];
	u8 family_id[16];
	u8 image_id[16];
	u8 chip_secret[VHSM_SIM_CHIP_SECRET_LEN];
	u64 policy;
	u64 current_tcb;
	u64 committed_tcb;
	u64 launch_tcb;
	u64 reported_tcb;
	u64 launch_mit;
	u64 current_mit;
	u32 guest_svn;
	u32 version;
	u32 vmpl;
	enum vhsm_sim_product product;
};

/**
 * struct vhsm_sim_sp_stats - what the AMD-SP side saw (for tests)
 * @requests:         messages the firmware processed (answered)
 * @rejected:         messages it refused (bad header, seqno or tag)
 * @busy:             "busy" answers given by the simulated host
 * @resent_identical: resends after busy that matched the first bytes
 * @resent_mismatch:  resends after busy that did not
 * @last_seqno:       sequence number of the last request processed
 * @internal_errors:  answers the simulator failed to make (allocation);
 *                    the host said busy instead
 */
struct vhsm_sim_sp_stats {
	u64 requests;
	u64 rejected;
	u64 busy;
	u64 resent_identical;
	u64 resent_mismatch;
	u64 last_seqno;
	u64 internal_errors;
};

/**
 * struct vhsm_sim_sp - one simulated AMD-SP
 * @lock:       serialises message handling, every field below and the
 *              AMD-SP fields of @hw
 * @cfg:        the launch it attests to; constant after init
 * @hw:         the machine: the firmware's VMPCK (@hw->fw_vmpck[@cfg.vmpl]),
 *              its last sequence number (@hw->fw_seqno[], 0 at launch) and
 *              the IV-reuse window; outlives vhsm.ko when vhsm_sim_hw.ko
 *              provides it
 * @aead:       keyed with the firmware's VMPCK (transform and request)
 * @vcek_priv:  VCEK private scalar for @cfg.reported_tcb
 * @vcek_pub:   its public key X || Y
 * @chip_id:    CHIP_ID (Turin: 8 bytes, then zeros)
 * @report_id:  REPORT_ID, random per load
 * @msg:        private working copy of the message being handled
 * @plain:      the plaintext answer being built (VHSM_SNP_PAYLOAD_MAX)
 * @held:       a copy of the request the host last answered busy
 * @held_len:   its length; 0 when none is held
 * @stats:      counters
 */
struct vhsm_sim_sp {
	struct mutex lock;		/* see @lock above */
	struct vhsm_sim_config cfg;
	struct vhsm_sim_hw *hw;
	struct aead_request *aead;
	u8 vcek_priv[VHSM_SIM_VCEK_LEN];
	u8 vcek_pub[2 * VHSM_SIM_VCEK_LEN];
	u8 chip_id[64];
	u8 report_id[32];
	struct vhsm_snp_msg *msg;
	u8 *plain;
	u8 *held;
	size_t held_len;
	struct vhsm_sim_sp_stats stats;
};

int vhsm_sim_sp_init(struct vhsm_sim_sp *sp, const struct vhsm_sim_config *cfg,
		     struct vhsm_sim_hw *hw);
void vhsm_sim_sp_destroy(struct vhsm_sim_sp *sp);
int vhsm_sim_sp_send(void *ctx, struct vhsm_snp_xfer *x);
void vhsm_sim_sp_get_stats(struct vhsm_sim_sp *sp, struct vhsm_sim_sp_stats *st);

/* sim_certs.c: the simulated host's certificate table */
void vhsm_sim_certs_fill(struct vhsm_snp_xfer *x);

/* sim_report.c: the firmware's answers */
bool vhsm_sim_tcb_le(u64 a, u64 b);
int vhsm_sim_report_keys(struct vhsm_sim_sp *sp);
int vhsm_sim_report_build(struct vhsm_sim_sp *sp, const void *req, size_t req_len,
			  void *resp, size_t *resp_len);
int vhsm_sim_report_derive_key(struct vhsm_sim_sp *sp, const void *req, size_t req_len,
			       void *resp, size_t *resp_len);

#endif /* _VHSM_SIM_SP_H */
