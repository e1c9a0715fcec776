// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm_sim_hw.ko: the simulated machine's persistent memory (see sim_hw.h).
 * insmod launches a simulated guest (fresh VMPCKs, sequence numbers 0),
 * rmmod powers it off; in between, vhsm.ko (platform=sim) may be loaded and
 * unloaded any number of times and finds the secrets page and the AMD-SP as
 * it left them, as on a real guest.
 *
 * The read-only parameter "state" shows, for tests, what the machine holds:
 *   vmpck_wiped=a,b,c,d   1 where the secrets page's VMPCK is all zero
 *   msg_seqno=a,b,c,d     the secrets page's sequence numbers
 *   fw_seqno=a,b,c,d      the AMD-SP's
 *   iv_checked=N iv_reuse=N
 * read without vhsm's locks: exact while no request is in flight.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/vhsm.h>

#include "sim_hw.h"

static struct vhsm_sim_hw sim_hw;

/**
 * vhsm_sim_hw_get() - the simulated machine's memory
 *
 * Taken by vhsm.ko with symbol_get(), which pins this module until the
 * matching symbol_put().
 *
 * Return: the one machine; valid until this module unloads.
 */
struct vhsm_sim_hw *vhsm_sim_hw_get(void)
{
	return &sim_hw;
}
EXPORT_SYMBOL_GPL(vhsm_sim_hw_get);

static int state_get(char *buf, const struct kernel_param *kp)
{
	const struct vhsm_sim_hw *hw = &sim_hw;
	u64 fw[VHSM_SIM_HW_VMPCKS], checked, reuse;
	u32 seq[VHSM_SIM_HW_VMPCKS];
	bool wiped[VHSM_SIM_HW_VMPCKS];
	int i;

	/*
	 * Racy by design: vhsm's locks are not this module's to take. A
	 * snapshot, exact while no request is in flight.
	 */
	for (i = 0; i < VHSM_SIM_HW_VMPCKS; i++) {
		/* racy: see above */
		wiped[i] = !data_race(memchr_inv(hw->vmpck[i], 0, VHSM_SIM_HW_KEY_LEN));
		/* racy: see above */
		seq[i] = data_race(hw->msg_seqno[i]);
		/* racy: see above */
		fw[i] = data_race(hw->fw_seqno[i]);
	}
	/* racy: see above */
	checked = data_race(hw->iv_checked);
	/* racy: see above */
	reuse = data_race(hw->iv_reuse);
	return scnprintf(buf, PAGE_SIZE,
			 "vmpck_wiped=%d,%d,%d,%d msg_seqno=%u,%u,%u,%u fw_seqno=%llu,%llu,%llu,%llu iv_checked=%llu iv_reuse=%llu\n",
			 wiped[0], wiped[1], wiped[2], wiped[3], seq[0], seq[1], seq[2], seq[3],
			 fw[0], fw[1], fw[2], fw[3], checked, reuse);
}

static const struct kernel_param_ops state_ops = { .get = state_get };
module_param_cb(state, &state_ops, NULL, 0444);
MODULE_PARM_DESC(state, "the simulated secrets page and AMD-SP: wiped VMPCKs, sequence numbers, IV-reuse count");

static int __init vhsm_sim_hw_init(void)
{
	vhsm_sim_hw_power_on(&sim_hw);
	pr_info("simulated SEV-SNP machine launched (for vhsm platform=sim; testing only)\n");
	return 0;
}

static void __exit vhsm_sim_hw_exit(void)
{
	vhsm_sim_hw_power_off(&sim_hw);
	pr_info("simulated SEV-SNP machine powered off\n");
}

module_init(vhsm_sim_hw_init);
module_exit(vhsm_sim_hw_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vhsm test support: a simulated SEV-SNP guest's secrets page and AMD-SP state that persist across vhsm.ko reloads");
MODULE_AUTHOR("The vhsm authors");
MODULE_VERSION(VHSM_VERSION);
