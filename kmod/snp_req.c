// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reports and derived keys as SNP guest requests: build the request payload,
 * send it over the channel, check the firmware STATUS, hand back the result.
 * Nothing is allocated: the payloads are small and live on the stack, and
 * the response is read where the channel decrypted it (which then wipes it).
 */
#include <linux/errno.h>
#include <linux/printk.h>
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
static_assert(VHSM_SNP_RESP_MAX == VHSM_SNP_PAYLOAD_MAX);	/* the channel's page */
static_assert(sizeof(struct vhsm_snp_report_resp) <= VHSM_SNP_RESP_MAX);

#define SNP_MSG_VERSION	1

/*
 * Where a response goes: the caller's buffer for the report or the key, and
 * the firmware STATUS when it is not 0.
 */
struct resp_ctx {
	u8 *out;
	u32 *fw_error;
};

/*
 * The STATUS (the first field of every response) must be 0, and the response
 * at least @min_len bytes; -EIO with *fw_error set otherwise.
 */
static int resp_check(struct resp_ctx *c, const void *resp, size_t len, size_t min_len)
{
	__le32 status;

	if (len < sizeof(status))
		return -EIO;
	memcpy(&status, resp, sizeof(status));
	if (le32_to_cpu(status)) {
		*c->fw_error = le32_to_cpu(status);
		return -EIO;
	}
	return len < min_len ? -EIO : 0;
}

/* struct vhsm_snp_request.parse for MSG_REPORT_RSP */
static int report_parse(void *ctx, const void *resp, size_t len)
{
	const struct vhsm_snp_report_resp *rsp = resp;
	struct resp_ctx *c = ctx;
	int ret = resp_check(c, resp, len, sizeof(*rsp));

	if (ret)
		return ret;
	/* REPORT_SIZE may grow with the firmware; only this size is understood */
	if (le32_to_cpu(rsp->report_size) != VHSM_SNP_REPORT_SIZE)
		return -EIO;
	memcpy(c->out, &rsp->report, VHSM_SNP_REPORT_SIZE);
	return 0;
}

/* struct vhsm_snp_request.parse for MSG_KEY_RSP */
static int key_parse(void *ctx, const void *resp, size_t len)
{
	const struct vhsm_snp_key_resp *rsp = resp;
	struct resp_ctx *c = ctx;
	int ret = resp_check(c, resp, len, sizeof(*rsp));

	if (!ret)
		memcpy(c->out, rsp->key, VHSM_SNP_KEY_LEN);
	return ret;
}

/* Send @r; on a transport failure the firmware status from exitinfo2. */
static int send(struct vhsm_snp_channel *ch, struct vhsm_snp_request *r, u32 *fw_error)
{
	int ret = vhsm_snp_msg_send(ch, r);

	if (ret == -EIO && r->exitinfo2)
		*fw_error = lower_32_bits(r->exitinfo2);
	return ret;
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
	struct vhsm_snp_report_req req = { .vmpl = cpu_to_le32(vmpl) };
	struct resp_ctx c = { .out = report, .fw_error = fw_error };
	struct vhsm_snp_request r = {
		.type = VHSM_SNP_MSG_REPORT_REQ, .version = SNP_MSG_VERSION,
		.req = &req, .req_len = sizeof(req),
		.parse = report_parse, .ctx = &c,
	};
	int ret;

	*fw_error = 0;
	if (vmpl > 3 || vmpl < min_vmpl)
		return -EINVAL;
	memcpy(req.report_data, report_data, sizeof(req.report_data));
	if (certs) {
		memset(certs, 0, *certs_len);
		r.certs = certs;
		r.certs_cap = *certs_len;
	}
	ret = send(ch, &r, fw_error);
	if (!ret && certs)
		ret = certs_result(r.certs_needed, certs, certs_len);
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
	struct vhsm_snp_key_req req = {
		.root_key_select = cpu_to_le32(kr->root_key_select),
		.guest_field_select = cpu_to_le64(kr->guest_field_select),
		.vmpl = cpu_to_le32(kr->vmpl),
		.guest_svn = cpu_to_le32(kr->guest_svn),
		.tcb_version = cpu_to_le64(kr->tcb_version),
	};
	struct resp_ctx c = { .out = key, .fw_error = fw_error };
	struct vhsm_snp_request r = {
		.type = VHSM_SNP_MSG_KEY_REQ, .version = SNP_MSG_VERSION,
		.req = &req, .req_len = sizeof(req),
		.parse = key_parse, .ctx = &c,
	};

	*fw_error = 0;
	if (kr->vmpl > 3 || kr->vmpl < min_vmpl)
		return -EINVAL;
	return send(ch, &r, fw_error);
}
