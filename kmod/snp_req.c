// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reports and derived keys as SNP guest requests: build the request payload,
 * send it over the channel, check the firmware STATUS, hand back the result.
 * Plaintext response buffers are wiped before they are freed.
 */
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vhsm.h>

#include "platform.h"
#include "snp_abi.h"
#include "snp_msg.h"
#include "snp_req.h"

static_assert(sizeof(struct vhsm_snp_report_req) == 0x60);
static_assert(sizeof(struct vhsm_snp_report) == VHSM_SNP_REPORT_SIZE);
static_assert(VHSM_SNP_REPORT_SIZE == VHSM_SNP_REPORT_LEN);
static_assert(offsetof(struct vhsm_snp_report, vmpl) == 0x030);
static_assert(offsetof(struct vhsm_snp_report, key_info) == 0x048);
static_assert(offsetof(struct vhsm_snp_report, report_data) == 0x050);
static_assert(offsetof(struct vhsm_snp_report, measurement) == 0x090);
static_assert(offsetof(struct vhsm_snp_report, host_data) == 0x0c0);
static_assert(offsetof(struct vhsm_snp_report, report_id) == 0x140);
static_assert(offsetof(struct vhsm_snp_report, reported_tcb) == 0x180);
static_assert(offsetof(struct vhsm_snp_report, cpuid_fam_id) == 0x188);
static_assert(offsetof(struct vhsm_snp_report, chip_id) == 0x1a0);
static_assert(offsetof(struct vhsm_snp_report, committed_tcb) == 0x1e0);
static_assert(offsetof(struct vhsm_snp_report, launch_tcb) == 0x1f0);
static_assert(offsetof(struct vhsm_snp_report, current_mit_vector) == 0x200);
static_assert(offsetof(struct vhsm_snp_report, sig_r) == VHSM_SNP_REPORT_SIGNED_LEN);
static_assert(offsetof(struct vhsm_snp_report, sig_s) == 0x2e8);
static_assert(sizeof(struct vhsm_snp_report_resp) == 0x20 + VHSM_SNP_REPORT_SIZE);
static_assert(sizeof(struct vhsm_snp_key_req) == 0x20);
static_assert(sizeof(struct vhsm_snp_key_resp) == 0x40);
static_assert(sizeof(struct vhsm_snp_cert_entry) == 24);
static_assert(VHSM_SNP_RESP_MAX == VHSM_SNP_PAYLOAD_MAX);
static_assert(sizeof(struct vhsm_snp_report_resp) <= VHSM_SNP_RESP_MAX);

#define SNP_MSG_VERSION	1

static u32 fw_status(u64 exitinfo2)
{
	return lower_32_bits(exitinfo2);
}

/*
 * Send @r and check the answer: the firmware's STATUS (the first field of
 * every response, readable once @hdr_len bytes came back) must be 0, and the
 * response at least @min_len bytes. -EIO with @fw_error set otherwise.
 */
static int exchange(struct vhsm_snp_channel *ch, struct vhsm_snp_request *r,
		    size_t hdr_len, size_t min_len, u32 *fw_error)
{
	__le32 status;
	int ret = vhsm_snp_msg_send(ch, r);

	if (ret) {
		if (ret == -EIO)
			*fw_error = fw_status(r->exitinfo2);
		return ret;
	}
	if (r->resp_len < hdr_len)
		return -EIO;
	memcpy(&status, r->resp, sizeof(status));
	if (le32_to_cpu(status)) {
		*fw_error = le32_to_cpu(status);
		return -EIO;
	}
	return r->resp_len < min_len ? -EIO : 0;
}

/**
 * vhsm_snp_req_certs_len() - length of a certificate table
 * @certs: GUID/offset/length entries ending in an all-zero one, then blobs
 * @cap:   bytes at @certs
 *
 * Return: the end of the furthest blob (or of the table), at most @cap.
 */
u32 vhsm_snp_req_certs_len(const void *certs, u32 cap)
{
	const struct vhsm_snp_cert_entry *e = certs;
	u32 i, n = cap / sizeof(*e), len = 0;

	for (i = 0; i < n; i++) {
		u64 end = (u64)le32_to_cpu(e[i].offset) + le32_to_cpu(e[i].length);

		if (!memchr_inv(&e[i], 0, sizeof(e[i])))
			break;
		len = max_t(u64, len, min_t(u64, end, cap));
	}
	if (i)	/* entries exist: the table itself, with its terminator */
		len = max_t(u32, len, min_t(u32, (i + 1) * sizeof(*e), cap));
	return len;
}

/*
 * The certificate table's outcome: its length, or -ENOSPC with the length the
 * host needs. That length comes from the host (a page count, as a size_t):
 * beyond VHSM_SNP_CERTS_MAX no buffer of vhsm's would take it, and beyond
 * 32 bits it cannot even be reported, so it is refused, never truncated.
 */
static int certs_result(size_t needed, const void *certs, u32 *certs_len)
{
	if (!needed) {
		*certs_len = vhsm_snp_req_certs_len(certs, *certs_len);
		return 0;
	}
	if (needed > VHSM_SNP_CERTS_MAX) {
		pr_err_ratelimited("the host's certificate table needs %zu bytes, more than %u: refused\n",
				   needed, VHSM_SNP_CERTS_MAX);
		return -EIO;
	}
	*certs_len = needed;
	return -ENOSPC;
}

/**
 * vhsm_snp_req_report() - an ATTESTATION_REPORT via MSG_REPORT_REQ
 * @ch:          the channel
 * @min_vmpl:    the VMPL of the channel's VMPCK; requests below it are refused
 * @report_data: 64 bytes
 * @vmpl:        requested VMPL
 * @report:      [out] VHSM_SNP_REPORT_SIZE bytes
 * @certs:       Optional: buffer for the certificate table
 * @certs_len:   in: capacity of @certs; out: the table's length
 * @fw_error:    [out] firmware status or exitinfo2 on -EIO
 *
 * Return: see struct vhsm_platform_ops.get_report.
 */
int vhsm_snp_req_report(struct vhsm_snp_channel *ch, u32 min_vmpl,
			const u8 *report_data, u32 vmpl, u8 *report,
			void *certs, u32 *certs_len, u32 *fw_error)
{
	struct vhsm_snp_report_resp *resp;
	struct vhsm_snp_report_req *req;
	struct vhsm_snp_request r = {
		.type = VHSM_SNP_MSG_REPORT_REQ, .version = SNP_MSG_VERSION,
	};
	int ret;

	*fw_error = 0;
	if (vmpl > 3 || vmpl < min_vmpl)
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	resp = kzalloc(VHSM_SNP_RESP_MAX, GFP_KERNEL);
	ret = -ENOMEM;
	if (!req || !resp)
		goto out;
	memcpy(req->report_data, report_data, sizeof(req->report_data));
	req->vmpl = cpu_to_le32(vmpl);

	r.req = req;
	r.req_len = sizeof(*req);
	r.resp = resp;
	r.resp_cap = VHSM_SNP_RESP_MAX;
	if (certs) {
		memset(certs, 0, *certs_len);
		r.certs = certs;
		r.certs_cap = *certs_len;
	}
	ret = exchange(ch, &r, offsetof(struct vhsm_snp_report_resp, report),
		       sizeof(*resp), fw_error);
	if (ret)
		goto out;
	ret = -EIO;
	/* REPORT_SIZE may grow with the firmware; only this size is understood */
	if (le32_to_cpu(resp->report_size) != VHSM_SNP_REPORT_SIZE)
		goto out;
	ret = certs ? certs_result(r.certs_needed, certs, certs_len) : 0;
	if (!ret)
		memcpy(report, &resp->report, VHSM_SNP_REPORT_SIZE);
out:
	kfree_sensitive(resp);
	kfree(req);
	return ret;
}

/**
 * vhsm_snp_req_key() - a derived key via MSG_KEY_REQ
 * @ch:       the channel
 * @min_vmpl: the VMPL of the channel's VMPCK
 * @kr:       what to derive from
 * @key:      [out] VHSM_SNP_KEY_LEN bytes
 * @fw_error: [out] firmware status or exitinfo2 on -EIO
 *
 * Return: see struct vhsm_platform_ops.derive_key.
 */
int vhsm_snp_req_key(struct vhsm_snp_channel *ch, u32 min_vmpl,
		     const struct vhsm_platform_key_req *kr, u8 *key, u32 *fw_error)
{
	struct vhsm_snp_key_resp *resp;
	struct vhsm_snp_key_req *req;
	struct vhsm_snp_request r = {
		.type = VHSM_SNP_MSG_KEY_REQ, .version = SNP_MSG_VERSION,
	};
	int ret;

	*fw_error = 0;
	if (kr->vmpl > 3 || kr->vmpl < min_vmpl)
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	resp = kzalloc(VHSM_SNP_RESP_MAX, GFP_KERNEL);
	ret = -ENOMEM;
	if (!req || !resp)
		goto out;
	req->root_key_select = cpu_to_le32(kr->root_key_select);
	req->guest_field_select = cpu_to_le64(kr->guest_field_select);
	req->vmpl = cpu_to_le32(kr->vmpl);
	req->guest_svn = cpu_to_le32(kr->guest_svn);
	req->tcb_version = cpu_to_le64(kr->tcb_version);

	r.req = req;
	r.req_len = sizeof(*req);
	r.resp = resp;
	r.resp_cap = VHSM_SNP_RESP_MAX;
	ret = exchange(ch, &r, offsetof(struct vhsm_snp_key_resp, key),
		       sizeof(*resp), fw_error);
	if (ret)
		goto out;
	memcpy(key, resp->key, VHSM_SNP_KEY_LEN);
	ret = 0;
out:
	kfree_sensitive(resp);
	kfree(req);
	return ret;
}
