/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated machine's memory that outlives vhsm.ko: what on a real SEV-SNP
 * guest survives a module reload because it is not the module's. The guest's
 * secrets page (VMPCK0-3 and their sequence numbers) lives in the guest's
 * memory from launch; the AMD-SP's copies of the keys and its own sequence
 * numbers live in the firmware. A simulator that made both afresh at every
 * insmod would hide any bug that shows only across a reload (a request left
 * pending at unload, then a new message under its sequence number).
 *
 * vhsm_sim_hw.ko holds this state (sim_hw.c) from its insmod ("launch") to
 * its rmmod ("power off"); vhsm.ko with platform=sim takes it with
 * symbol_get() and so has no link dependency on it. Without that module the
 * sim powers a machine on at each load and off at each unload.
 *
 * The AMD-SP side also keeps, per VMPCK, a window of what it has seen under
 * each sequence number: a digest of the authenticated data and the plaintext
 * of every message the host was handed (busy or not). Two different digests
 * under one sequence number are two plaintexts under one GCM IV: counted in
 * @iv_reuse, which must stay 0.
 */
#ifndef _VHSM_SIM_HW_H
#define _VHSM_SIM_HW_H

#include <linux/random.h>
#include <linux/string.h>
#include <linux/types.h>
#include <crypto/sha2.h>

#define VHSM_SIM_HW_VMPCKS	4
#define VHSM_SIM_HW_KEY_LEN	32	/* VHSM_SNP_VMPCK_LEN */
#define VHSM_SIM_HW_IV_WINDOW	256	/* requests remembered per VMPCK */

/**
 * struct vhsm_sim_iv_seen - one sequence number as the AMD-SP saw it
 * @seqno:  the message's sequence number (0: slot unused)
 * @digest: SHA-256 of its AAD and plaintext
 */
struct vhsm_sim_iv_seen {
	u64 seqno;
	u8 digest[SHA256_DIGEST_SIZE];
};

/**
 * struct vhsm_sim_hw - the simulated guest memory and AMD-SP state
 * @vmpck:     the secrets page's VMPCK0-3 (the guest's copy; a wipe zeroes it)
 * @msg_seqno: the secrets page's sequence numbers, one per VMPCK
 * @fw_vmpck:  the AMD-SP's copies of the keys (never wiped)
 * @fw_seqno:  the AMD-SP's last sequence number per VMPCK
 * @iv_seen:   per VMPCK, slot (seqno / 2) % VHSM_SIM_HW_IV_WINDOW
 * @iv_checked: messages whose sequence number was checked
 * @iv_reuse:  messages that reused a sequence number with other contents
 *
 * Users: one vhsm.ko at a time (symbol_get() pins the module). The guest
 * fields are guarded by that vhsm's channel lock, the AMD-SP fields by its
 * AMD-SP lock; sim_hw.c's state parameter reads a lockless snapshot.
 */
struct vhsm_sim_hw {
	u8 vmpck[VHSM_SIM_HW_VMPCKS][VHSM_SIM_HW_KEY_LEN];
	u32 msg_seqno[VHSM_SIM_HW_VMPCKS];
	u8 fw_vmpck[VHSM_SIM_HW_VMPCKS][VHSM_SIM_HW_KEY_LEN];
	u64 fw_seqno[VHSM_SIM_HW_VMPCKS];
	struct vhsm_sim_iv_seen iv_seen[VHSM_SIM_HW_VMPCKS][VHSM_SIM_HW_IV_WINDOW];
	u64 iv_checked;
	u64 iv_reuse;
};

/* Launch: fresh, non-zero VMPCKs in the firmware and the secrets page. */
static inline void vhsm_sim_hw_power_on(struct vhsm_sim_hw *hw)
{
	int i;

	memset(hw, 0, sizeof(*hw));
	for (i = 0; i < VHSM_SIM_HW_VMPCKS; i++) {
		do {
			get_random_bytes(hw->fw_vmpck[i], VHSM_SIM_HW_KEY_LEN);
		} while (!memchr_inv(hw->fw_vmpck[i], 0, VHSM_SIM_HW_KEY_LEN));
		memcpy(hw->vmpck[i], hw->fw_vmpck[i], VHSM_SIM_HW_KEY_LEN);
	}
}

/* Power off: nothing of the launch survives. */
static inline void vhsm_sim_hw_power_off(struct vhsm_sim_hw *hw)
{
	memzero_explicit(hw, sizeof(*hw));
}

struct vhsm_sim_hw *vhsm_sim_hw_get(void);

#endif /* _VHSM_SIM_HW_H */
