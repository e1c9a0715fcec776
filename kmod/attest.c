// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attestation ioctls: VHSM_IOC_ATTEST (a report from the platform carrying the
 * caller's report_data) and VHSM_IOC_PLATFORM_KEY (a stored key derived from
 * the platform's MSG_KEY_REQ key). Argument structs arrive copied in by
 * ioctl.c, which also copies them back on -ENOSPC (needed lengths) and -EIO
 * (fw_error). The platform's 32-byte key never leaves this file unwiped.
 *
 * A raw report carries any REPORT_DATA its caller likes and is signed by the
 * hardware, so a relying party cannot tell it from the workload's own: raw
 * VHSM_IOC_ATTEST is for CAP_SYS_ADMIN and the attest_gid group only. In-kernel
 * users call vhsm_attest_report(), which makes no such check: vhsm_tsm.ko
 * (configfs-tsm, whose report entries only root can create unless the
 * administrator delegates them) and, later, provisioning sessions, which
 * build REPORT_DATA in the kernel.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "attest.h"
#include "compat.h"
#include "hkdf.h"
#include "ioctl.h"
#include "keystore.h"
#include "platform.h"
#include "snp_abi.h"

/* The largest certificate table accepted from the host (sev-guest's bound). */
#define ATTEST_CERTS_MAX	(16 * 1024)

#define PLATFORM_KEY_INFO	"vhsm platform key"

/*
 * attest_gid: a gid of the initial user namespace whose members may call raw
 * VHSM_IOC_ATTEST, or "none" (the default: CAP_SYS_ADMIN only). Read and
 * written as one word (READ_ONCE/WRITE_ONCE); (u32)-1, never a valid gid,
 * stands for none.
 */
#define ATTEST_GID_NONE		((u32)-1)
static u32 attest_gid = ATTEST_GID_NONE;

static int attest_gid_set(const char *val, const struct kernel_param *kp)
{
	u32 v;

	if (sysfs_streq(val, "none") || sysfs_streq(val, "")) {
		WRITE_ONCE(attest_gid, ATTEST_GID_NONE);
		return 0;
	}
	if (kstrtou32(val, 0, &v) || !gid_valid(make_kgid(&init_user_ns, v)))
		return -EINVAL;
	WRITE_ONCE(attest_gid, v);
	return 0;
}

static int attest_gid_get(char *buf, const struct kernel_param *kp)
{
	u32 v = READ_ONCE(attest_gid);

	if (v == ATTEST_GID_NONE)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u\n", v);
}

static const struct kernel_param_ops attest_gid_ops = {
	.set = attest_gid_set,
	.get = attest_gid_get,
};
module_param_cb(attest_gid, &attest_gid_ops, NULL, 0644);
MODULE_PARM_DESC(attest_gid, "gid whose members may request raw attestation reports (VHSM_IOC_ATTEST); none (default): CAP_SYS_ADMIN only");

/* Raw reports: members of attest_gid, else CAP_SYS_ADMIN (asked last: audited). */
static int attest_permitted(void)
{
	u32 v = READ_ONCE(attest_gid);

	if (v != ATTEST_GID_NONE && in_group_p(make_kgid(&init_user_ns, v)))
		return 0;
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static int attest_check(const struct vhsm_attest *arg)
{
	if (arg->flags & ~VHSM_ATTEST_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (!vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (!(arg->flags & VHSM_ATTEST_F_CERTS) && (arg->certs_ptr || arg->certs_len))
		return -EINVAL;
	if (arg->vmpl > 3)
		return -EINVAL;
	return 0;
}

static int attest_copy_out(struct vhsm_attest *arg, const u8 *report,
			   const void *certs, u32 certs_len)
{
	int ret;

	ret = vhsm_ubuf_copy_out(arg->report_ptr, report, VHSM_SNP_REPORT_LEN);
	if (!ret && certs_len)
		ret = vhsm_ubuf_copy_out(arg->certs_ptr, certs, certs_len);
	return ret;
}

int vhsm_cmd_attest(struct vhsm_attest *arg)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	bool want_certs = arg->flags & VHSM_ATTEST_F_CERTS;
	u32 certs_len = 0, fw_error = 0;
	void *certs = NULL;
	u8 *report;
	int ret;

	ret = attest_permitted() ?: attest_check(arg);
	if (ret)
		return ret;
	arg->fw_error = 0;
	if (!platform->get_report)
		return -EOPNOTSUPP;
	if (arg->report_len < VHSM_SNP_REPORT_LEN) {
		arg->report_len = VHSM_SNP_REPORT_LEN;
		return -ENOSPC;
	}
	report = kzalloc(VHSM_SNP_REPORT_LEN, GFP_KERNEL_ACCOUNT);
	if (!report)
		return -ENOMEM;
	if (want_certs) {
		/* ask for the host's whole table; too big for the caller is -ENOSPC */
		certs_len = ATTEST_CERTS_MAX;
		certs = kvzalloc(certs_len, GFP_KERNEL_ACCOUNT);
		ret = -ENOMEM;
		if (!certs)
			goto out;
	}

	ret = platform->get_report(arg->report_data, arg->vmpl, report, certs,
				   &certs_len, &fw_error);
	arg->fw_error = fw_error;
	if (ret == -ENOSPC) {
		arg->report_len = VHSM_SNP_REPORT_LEN;
		arg->certs_len = certs_len;
	}
	if (!ret && certs_len > arg->certs_len) {
		arg->report_len = VHSM_SNP_REPORT_LEN;
		arg->certs_len = certs_len;
		ret = -ENOSPC;
	}
	if (ret)
		goto out;
	ret = attest_copy_out(arg, report, certs, certs_len);
	if (ret)
		goto out;
	arg->report_len = VHSM_SNP_REPORT_LEN;
	arg->certs_len = certs_len;
out:
	kvfree(certs);
	kfree(report);
	return ret;
}

static int platform_key_check(const struct vhsm_platform_key *arg)
{
	if (arg->flags & ~VHSM_PLATFORM_KEY_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->root_key_select > 1 || arg->vmpl > 3 ||
	    arg->guest_field_select & ~VHSM_FIELD_ALL)
		return -EINVAL;
	/* the firmware key becomes symmetric material only */
	if (vhsm_key_is_ec(arg->attr.type))
		return -EINVAL;
	return 0;
}

/*
 * material = HKDF-SHA256(fw key, info = "vhsm platform key" || le32 owner ||
 *                        le32 type || le32 length || label)
 *
 * The owner (the caller's fsuid as a uid of the initial user namespace, the
 * key's owner) makes another uid's request with the same fields and label give
 * another key; the type and length make keys of different types or lengths
 * unrelated (HKDF-Expand's output for a shorter length is otherwise a prefix
 * of the longer one). The fields before the label have fixed widths, so the
 * encoding is unambiguous.
 */
static int platform_key_expand(const u8 *fw_key, const struct vhsm_key_attr *attr,
			       u8 *material, u32 len)
{
	u8 info[sizeof(PLATFORM_KEY_INFO) - 1 + 3 * sizeof(__le32) + VHSM_LABEL_MAX];
	size_t n = sizeof(PLATFORM_KEY_INFO) - 1;
	size_t llen = strnlen(attr->label, VHSM_LABEL_MAX);

	memcpy(info, PLATFORM_KEY_INFO, n);
	put_unaligned_le32(from_kuid(&init_user_ns, current_fsuid()), info + n);
	put_unaligned_le32(attr->type, info + n + 4);
	put_unaligned_le32(len, info + n + 8);
	n += 3 * sizeof(__le32);
	memcpy(info + n, attr->label, llen);
	return vhsm_hkdf("hmac(sha256)", NULL, 0, fw_key, VHSM_SNP_KEY_LEN,
			 info, n + llen, material, len);
}

int vhsm_cmd_platform_key(struct vhsm_platform_key *arg)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	struct vhsm_key_spec spec = { .attr = &arg->attr, .origin = VHSM_ORIGIN_PLATFORM };
	struct vhsm_platform_key_req req = {
		.root_key_select = arg->root_key_select,
		.vmpl = arg->vmpl,
		.guest_field_select = arg->guest_field_select,
		.guest_svn = arg->guest_svn,
		.tcb_version = arg->tcb_version,
	};
	u8 *fw_key, *material = NULL;
	u32 fw_error = 0;
	int ret;

	ret = platform_key_check(arg);
	if (ret)
		return ret;
	arg->fw_error = 0;
	if (!platform->derive_key)
		return -EOPNOTSUPP;
	ret = vhsm_keystore_validate_attr(&arg->attr, &spec.len);
	if (ret)
		return ret;

	fw_key = kzalloc(VHSM_SNP_KEY_LEN, GFP_KERNEL_ACCOUNT);
	if (!fw_key)
		return -ENOMEM;
	ret = platform->derive_key(&req, fw_key, &fw_error);
	arg->fw_error = fw_error;
	if (ret)
		goto out;
	ret = -ENOMEM;
	material = kzalloc(spec.len, GFP_KERNEL_ACCOUNT);
	if (!material)
		goto out;
	ret = platform_key_expand(fw_key, &arg->attr, material, spec.len);
	if (ret)
		goto out;
	spec.material = material;
	ret = vhsm_keystore_add(&spec, &arg->handle);
out:
	kfree_sensitive(material);
	kfree_sensitive(fw_key);
	return ret;
}

/**
 * vhsm_attest_report() - an attestation report for an in-kernel caller
 * @report_data: 64 bytes the report carries
 * @vmpl:        the VMPL to report
 * @report:      [out] VHSM_SNP_REPORT_LEN bytes
 * @certs:       [out] optional buffer for the certificate table, or NULL
 * @certs_len:   [in,out] its capacity; the table's length (0: none)
 *
 * Used by vhsm_tsm.ko to serve configfs-tsm reports through the same
 * platform (and so the same VMPCK and sequence numbers) as VHSM_IOC_ATTEST.
 *
 * Return: 0 or the errors of the platform's get_report (-EOPNOTSUPP when the
 * platform cannot attest).
 */
int vhsm_attest_report(const u8 *report_data, u32 vmpl, u8 *report,
		       void *certs, u32 *certs_len)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	u32 fw_error = 0, none = 0;

	if (!platform->get_report)
		return -EOPNOTSUPP;
	if (vmpl > 3)
		return -EINVAL;
	return platform->get_report(report_data, vmpl, report, certs,
				    certs ? certs_len : &none, &fw_error);
}
EXPORT_SYMBOL_GPL(vhsm_attest_report);
