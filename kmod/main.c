// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm — a virtual HSM for AMD SEV-SNP guests: module init and exit.
 */
#include <linux/module.h>
#include <linux/vhsm.h>

#include "asym_key.h"
#include "chardev.h"
#include "compat.h"
#include "ecc.h"
#include "key_type.h"
#include "keystore.h"
#include "ops.h"
#include "platform.h"
#include "session.h"
#include "template.h"

static char *platform = "auto";
module_param(platform, charp, 0444);
MODULE_PARM_DESC(platform,
		 "where reports and derived keys come from: " VHSM_PLATFORM_PARM_HELP);

static int __init vhsm_init(void)
{
	int ret;

	/* tables, hashes and the power-on self-test of the signing code */
	ret = vhsm_ecc_init();
	if (ret)
		return ret;

	ret = vhsm_platform_init(platform);
	if (ret)
		goto err_platform;

	ret = vhsm_keystore_init();
	if (ret)
		goto err_keystore;

	ret = vhsm_ops_init();
	if (ret)
		goto err_ops;

	ret = vhsm_session_init();
	if (ret)
		goto err_session;

	ret = vhsm_chardev_init();
	if (ret)
		goto err_chardev;

	/* keyrings: after the store and the device's group, removed before them */
	ret = vhsm_key_type_init();
	if (ret)
		goto err_key_type;

	ret = vhsm_asym_key_init();
	if (ret)
		goto err_asym;

	ret = vhsm_template_init();
	if (ret)
		goto err_template;

	pr_info("version %s, ABI %u, platform %s\n", VHSM_VERSION,
		VHSM_ABI_VERSION, vhsm_platform_get()->name);
	vhsm_compat_report();
	return 0;

err_template:
	vhsm_asym_key_exit();
err_asym:
	vhsm_key_type_exit();
err_key_type:
	vhsm_chardev_exit();
err_chardev:
	vhsm_session_exit();
err_session:
	vhsm_ops_exit();
err_ops:
	vhsm_keystore_exit();
err_keystore:
	vhsm_platform_exit();
err_platform:
	vhsm_ecc_exit();
	return ret;
}

static void __exit vhsm_exit(void)
{
	vhsm_template_exit();
	vhsm_asym_key_exit();
	vhsm_key_type_exit();	/* destroys the vHSM keys "vhsm" keyring keys own */
	vhsm_chardev_exit();
	vhsm_session_exit();
	vhsm_ops_exit();
	vhsm_keystore_exit();
	vhsm_platform_exit();
	vhsm_ecc_exit();
	pr_info("unloaded\n");
}

module_init(vhsm_init);
module_exit(vhsm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual HSM for AMD SEV-SNP guests");
MODULE_AUTHOR("The vhsm authors");
MODULE_VERSION(VHSM_VERSION);
