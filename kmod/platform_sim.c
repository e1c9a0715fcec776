// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform, for machines without SEV-SNP. It proves nothing:
 * it says so loudly at load and names itself "sim" in every answer. For now it
 * only names itself; the software AMD-SP behind it comes with attestation.
 */
#include <linux/printk.h>
#include <linux/vhsm.h>

#include "platform.h"

static int sim_probe(void)
{
	pr_warn("platform=sim: SIMULATED platform, not an AMD secure processor; nothing it reports is hardware-backed. For testing only.\n");
	return 0;
}

const struct vhsm_platform_ops vhsm_platform_sim = {
	.name = "sim",
	.id = VHSM_PLATFORM_SIM,
	.flags = VHSM_PLATFORM_F_SIMULATED,
	.capabilities = 0,
	.probe = sim_probe,
};
