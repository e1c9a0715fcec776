// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm_tsm.ko: vhsm as the configfs-tsm report provider.
 *
 * On Linux 6.12 vhsm owns the SNP guest-message key, so sev-guest (the usual
 * provider of /sys/kernel/config/tsm/report) must not load. This small
 * companion module registers with configfs-tsm and answers its reports
 * through vhsm's platform, so userspace attestation tools keep working. It is
 * a separate module so that vhsm.ko itself does not depend on tsm.ko.
 *
 * inblob (up to 64 bytes, zero-padded) becomes REPORT_DATA, privlevel the
 * VMPL; outblob is the ATTESTATION_REPORT, auxblob the certificate table
 * when the platform has one. privlevel_floor is the VMPL of the VMPCK vhsm
 * uses (the guest's VMPL, or snp_vmpck), so configfs-tsm itself refuses a
 * privlevel the firmware would refuse.
 *
 * Built where configfs-tsm exists and vhsm owns the VMPCK: 6.7 to 6.13
 * (kmod/Kbuild); compiled against 6.8's and 6.12's interfaces.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tsm.h>
#include <linux/version.h>
#include <linux/vhsm.h>

#include "attest.h"
#include "platform.h"

#define VHSM_TSM_CERTS_MAX	(16 * 1024)

static int vhsm_tsm_report_new(struct tsm_report *report, void *data)
{
	u8 report_data[VHSM_REPORT_DATA_LEN] = { 0 };
	u32 certs_len = VHSM_TSM_CERTS_MAX;
	u8 *out, *certs;
	int ret;

	memcpy(report_data, report->desc.inblob,
	       min_t(size_t, report->desc.inblob_len, sizeof(report_data)));
	out = kvzalloc(VHSM_SNP_REPORT_LEN, GFP_KERNEL);
	certs = kvzalloc(VHSM_TSM_CERTS_MAX, GFP_KERNEL);
	if (!out || !certs) {
		ret = -ENOMEM;
		goto err;
	}
	ret = vhsm_attest_report(report_data, report->desc.privlevel, out,
				 certs, &certs_len);
	if (ret)
		goto err;

	report->outblob = out;
	report->outblob_len = VHSM_SNP_REPORT_LEN;
	if (certs_len) {
		report->auxblob = certs;
		report->auxblob_len = certs_len;
	} else {
		kvfree(certs);
	}
	return 0;

err:
	kvfree(certs);
	kvfree(out);
	return ret;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
/*
 * configfs-tsm as of 6.12: attribute visibility callbacks, a writable
 * privlevel_floor, tsm_register(ops, priv). (Which release between 6.8 and
 * 6.12 brought this form is not checked here: compat.h.)
 */
static bool vhsm_tsm_attr_visible(int n)
{
	switch (n) {
	case TSM_REPORT_GENERATION:
	case TSM_REPORT_PROVIDER:
	case TSM_REPORT_PRIVLEVEL:
	case TSM_REPORT_PRIVLEVEL_FLOOR:
		return true;
	default:
		return false;	/* no SVSM service attributes */
	}
}

static bool vhsm_tsm_bin_attr_visible(int n)
{
	return n == TSM_REPORT_INBLOB || n == TSM_REPORT_OUTBLOB ||
	       n == TSM_REPORT_AUXBLOB;
}

/* privlevel_floor is set at init, before registration; constant after. */
static struct tsm_ops vhsm_tsm_ops = {
	.name = "vhsm",
	.report_new = vhsm_tsm_report_new,
	.report_attr_visible = vhsm_tsm_attr_visible,
	.report_bin_attr_visible = vhsm_tsm_bin_attr_visible,
};

static int vhsm_tsm_register(void)
{
	vhsm_tsm_ops.privlevel_floor = vhsm_platform_min_vmpl();
	return tsm_register(&vhsm_tsm_ops, NULL);
}

static void vhsm_tsm_unregister(void)
{
	tsm_unregister(&vhsm_tsm_ops);
}
#else
/*
 * configfs-tsm as 6.7 and 6.8 have it: a const privlevel_floor, so the ops
 * are made at init with it, and the attribute set chosen by item type (the
 * "extra" one has auxblob).
 */
static struct tsm_ops *vhsm_tsm_ops;

static int vhsm_tsm_register(void)
{
	const struct tsm_ops ops = {
		.name = "vhsm",
		.privlevel_floor = vhsm_platform_min_vmpl(),
		.report_new = vhsm_tsm_report_new,
	};
	int ret;

	vhsm_tsm_ops = kmemdup(&ops, sizeof(ops), GFP_KERNEL);
	if (!vhsm_tsm_ops)
		return -ENOMEM;
	ret = tsm_register(vhsm_tsm_ops, NULL, &tsm_report_extra_type);
	if (ret) {
		kfree(vhsm_tsm_ops);
		vhsm_tsm_ops = NULL;
	}
	return ret;
}

static void vhsm_tsm_unregister(void)
{
	tsm_unregister(vhsm_tsm_ops);
	kfree(vhsm_tsm_ops);
	vhsm_tsm_ops = NULL;
}
#endif

static int __init vhsm_tsm_init(void)
{
	int ret;

	ret = vhsm_tsm_register();
	if (ret)
		pr_err("cannot register as the configfs-tsm provider (%d); is sev-guest loaded?\n",
		       ret);
	return ret;
}

static void __exit vhsm_tsm_exit(void)
{
	vhsm_tsm_unregister();
}

module_init(vhsm_tsm_init);
module_exit(vhsm_tsm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vhsm as the configfs-tsm attestation report provider");
MODULE_AUTHOR("The vhsm authors");
MODULE_VERSION(VHSM_VERSION);
