// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform selection: "platform=auto|snp|sim".
 *
 * auto means "the real thing": it probes for SEV-SNP and, when absent, refuses
 * to load. It never falls back to the simulator, which proves nothing and must
 * be asked for by name.
 *
 * The simulator exists only in test builds (VHSM_CONFIG_SIM, from the Kbuild
 * option VHSM_SIM, default y for `make`; packages and `make install` build
 * with VHSM_SIM=n). A production module has no "sim" in its table and
 * refuses platform=sim at load with -EINVAL and a message saying why.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "platform.h"

/* Set once in vhsm_platform_init() before the device exists; read-only after. */
static const struct vhsm_platform_ops *vhsm_platform_active;

static const struct vhsm_platform_ops *const vhsm_platforms[] = {
	&vhsm_platform_snp,
#ifdef VHSM_CONFIG_SIM
	&vhsm_platform_sim,
#endif
};

static const struct vhsm_platform_ops *platform_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vhsm_platforms); i++)
		if (!strcmp(vhsm_platforms[i]->name, name))
			return vhsm_platforms[i];
	return NULL;
}

static int platform_probe_auto(void)
{
	int ret;

	ret = vhsm_platform_snp.probe();
	if (ret == -ENODEV && IS_ENABLED(VHSM_CONFIG_SIM))
		pr_err("platform=auto: this is not an SEV-SNP guest; load with platform=sim to use the software simulator for testing\n");
	else if (ret == -ENODEV)
		pr_err("platform=auto: this is not an SEV-SNP guest\n");
	if (ret)
		return ret;
	vhsm_platform_active = &vhsm_platform_snp;
	return 0;
}

/**
 * vhsm_platform_init() - select and probe the platform named by @choice
 * @choice: "auto", "snp" or (test builds) "sim"
 *
 * Return: 0, -EINVAL for an unknown name (and for "sim" in a build without
 * the simulator), or the probe's error (-ENODEV when
 * the platform is not present).
 */
int vhsm_platform_init(const char *choice)
{
	const struct vhsm_platform_ops *ops;
	int ret;

	if (!choice || !strcmp(choice, "auto"))
		return platform_probe_auto();

	ops = platform_by_name(choice);
	if (!ops && !IS_ENABLED(VHSM_CONFIG_SIM) && !strcmp(choice, "sim")) {
		pr_err("platform=sim: this is a production build without the simulator (built with VHSM_SIM=n); the simulator is for tests only: use auto or snp\n");
		return -EINVAL;
	}
	if (!ops) {
		pr_err("platform=%s: unknown platform (use %s)\n", choice,
		       IS_ENABLED(VHSM_CONFIG_SIM) ? "auto, snp or sim" :
						     "auto or snp");
		return -EINVAL;
	}
	ret = ops->probe();
	if (ret) {
		pr_err("platform=%s: probe failed (%d)\n", choice, ret);
		return ret;
	}
	vhsm_platform_active = ops;
	return 0;
}

void vhsm_platform_exit(void)
{
	if (vhsm_platform_active && vhsm_platform_active->remove)
		vhsm_platform_active->remove();
	vhsm_platform_active = NULL;
}

/* Valid between a successful vhsm_platform_init() and vhsm_platform_exit(). */
const struct vhsm_platform_ops *vhsm_platform_get(void)
{
	return vhsm_platform_active;
}

/**
 * vhsm_platform_min_vmpl() - the lowest VMPL the platform answers for
 *
 * The VMPL of the VMPCK in use: configfs-tsm's privlevel_floor (vhsm_tsm.ko).
 *
 * Return: 0-3; 0 when the platform has no VMPLs to speak of.
 */
u32 vhsm_platform_min_vmpl(void)
{
	const struct vhsm_platform_ops *p = vhsm_platform_active;

	return p && p->min_vmpl ? p->min_vmpl() : 0;
}
EXPORT_SYMBOL_GPL(vhsm_platform_min_vmpl);
