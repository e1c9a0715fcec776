// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP platform: the AMD secure processor reached through SNP guest
 * messages. This file detects the platform; guest messaging for reports and
 * derived keys is added by the attestation work and sets its capability bits
 * only once it is implemented.
 */
#include <linux/cc_platform.h>
#include <linux/errno.h>
#include <linux/vhsm.h>

#include "platform.h"

static int snp_probe(void)
{
	if (!cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return -ENODEV;
	return 0;
}

const struct vhsm_platform_ops vhsm_platform_snp = {
	.name = "snp",
	.id = VHSM_PLATFORM_SNP,
	.flags = 0,
	.capabilities = 0,
	.probe = snp_probe,
};
