// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP platform: the AMD secure processor reached through SNP guest
 * messages. What the kernel offers for them depends on its version:
 *
 *  6.12     only the raw transport, snp_issue_guest_request(): vhsm does the
 *           guest messaging itself (snp_msg.c) and owns its VMPCK. The same
 *           branch serves 6.1 and 6.8 (compat.h: the secrets page's older
 *           name; no SVSM, so the guest runs at VMPL 0).
 *  6.13     NOT IMPLEMENTED (a stub, capabilities 0): the transport takes a
 *           struct snp_guest_req and the messaging, its VMPCK state and its
 *           mutex are still private to sev-guest.
 *  6.14+    the kernel's messaging layer, exported: snp_msg_alloc(),
 *           snp_msg_init(), snp_send_guest_request() and snp_msg_free().
 *           vhsm shares the VMPCK with sev-guest.
 *
 * Linux 6.12: the VMPCK, its sequence number and the lock that serialises
 * them are private to the sev-guest driver. So vhsm must be the only user of
 * its VMPCK:
 *  - it registers a platform driver named "sev-guest" and so binds the
 *    sev-guest platform device (registration fails with -EBUSY while the
 *    sev-guest module is loaded; blacklist it with "blacklist sev-guest" and
 *    "install sev-guest /bin/false" in modprobe.d),
 *  - maps the secrets page from the device's platform data (secrets_gpa),
 *  - uses VMPCK<snp_vmpl>, or VMPCK<snp_vmpck> when that module parameter is
 *    set (0-3, at least the guest's VMPL; the lowest VMPL a request may ask
 *    for), and the sequence number next to it, and wipes that VMPCK inside
 *    the secrets page if the firmware and the guest may have fallen out of
 *    step,
 *  - exchanges messages through two shared (decrypted) pages, plus four for
 *    the host's certificate table, copying to and from private memory.
 *
 * Linux 6.14+: the kernel encrypts the messages, keeps the sequence numbers
 * in the secrets page and serialises every user of every VMPCK (sev-guest,
 * Secure TSC, vhsm) with one mutex of its own, so vhsm and sev-guest can
 * share a VMPCK:
 *  - vhsm does not claim the sev-guest device; sev-guest may stay loaded,
 *  - it uses VMPCK<snp_vmpl>, or VMPCK<snp_vmpck> as on 6.12; the VMPL a
 *    request asks for must be at least the VMPCK's number,
 *  - the kernel wipes the VMPCK, for all its users, on any error that may
 *    have put the guest and the firmware out of step (including a host busy
 *    for over 60 s); that request fails with -EIO or -ETIMEDOUT and every
 *    later one with -ENOTRECOVERABLE,
 *  - the host's certificate table comes through four shared pages of vhsm's.
 *  6.17 moved exitinfo2 from struct snp_guest_request_ioctl into struct
 *  snp_guest_req and dropped the third argument of snp_send_guest_request().
 *
 * configfs-tsm: on 6.12 the companion module vhsm_tsm.ko (tsm_bridge.c)
 * registers as the report provider and answers through this platform, so
 * /sys/kernel/config/tsm/report keeps working while vhsm owns the VMPCK;
 * vhsm.ko itself does not depend on tsm.ko. On 6.14+ sev-guest may stay
 * loaded and be that provider itself.
 *
 * This file is built against 6.12, 6.14 and 6.18 but has never run on SEV-SNP
 * hardware.
 */
#include <linux/cc_platform.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vhsm.h>

#include "compat.h"
#include "platform.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)

/* Shared by the 6.12 and the 6.14+ transports. */

#include <asm/sev.h>
#include <asm/svm.h>
#include <uapi/linux/sev-guest.h>

#include "snp_abi.h"
#include "snp_req.h"

#define SNP_CERTS_SIZE		VHSM_SNP_CERTS_MAX
#define SNP_VMPCK_MAX		3

static int snp_vmpck = -1;

/* snp_vmpck= outside -1..3 is refused at insmod, whatever the platform. */
static int snp_vmpck_set(const char *val, const struct kernel_param *kp)
{
	int v;

	if (kstrtoint(val, 0, &v) || v < -1 || v > SNP_VMPCK_MAX) {
		pr_err("snp_vmpck=%s: use 0-3, or -1 for the guest's VMPL\n", val);
		return -EINVAL;
	}
	*(int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops snp_vmpck_ops = {
	.set = snp_vmpck_set,
	.get = param_get_int,
};
module_param_cb(snp_vmpck, &snp_vmpck_ops, &snp_vmpck, 0444);
MODULE_PARM_DESC(snp_vmpck,
		 "platform=snp: the VMPCK for guest messages, 0-3, at least the guest's VMPL; -1 (default): the guest's VMPL");

/*
 * The VMPCK to use: snp_vmpck, or the guest's VMPL. A guest at VMPL n has no
 * use of VMPCK0..n-1 (an SVSM hides them, the firmware refuses them), and the
 * VMPCK's number is the lowest VMPL a request may ask for.
 */
static int snp_choose_vmpck(u32 *id)
{
	int vmpl = vhsm_snp_vmpl();

	if (snp_vmpck >= 0 && snp_vmpck < vmpl) {
		pr_err("platform=snp: snp_vmpck=%d: a guest at VMPL%d can use VMPCK%d-3 only\n",
		       snp_vmpck, vmpl, vmpl);
		return -EINVAL;
	}
	*id = snp_vmpck < 0 ? vmpl : snp_vmpck;
	return 0;
}

static void *alloc_shared(size_t size)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(size));
	void *p;

	if (!page)
		return NULL;
	p = page_address(page);
	/* on failure the pages are in an unknown state: leak them */
	if (set_memory_decrypted((unsigned long)p, PAGE_ALIGN(size) >> PAGE_SHIFT))
		return NULL;
	return p;
}

static void free_shared(void *p, size_t size)
{
	if (!p)
		return;
	if (set_memory_encrypted((unsigned long)p, PAGE_ALIGN(size) >> PAGE_SHIFT))
		return;	/* still shared with the host: never reuse */
	free_pages((unsigned long)p, get_order(size));
}

#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)

#include "snp_msg.h"

/* sev-guest's bounds: 60 s of 2 s pauses while the host says busy */
#define SNP_BUSY_RETRIES	30
#define SNP_BUSY_DELAY_MS	2000

#if VHSM_HAVE_SNP_MSG_STRUCTS
static_assert(sizeof(struct snp_guest_msg_hdr) == VHSM_SNP_HDR_LEN);
static_assert(sizeof(struct snp_guest_msg) == VHSM_SNP_MSG_LEN);
#endif
static_assert(VHSM_SNP_MSG_LEN == PAGE_SIZE);

/**
 * struct snp_platform - the SEV-SNP platform's state
 * @secrets: the secrets page (encrypted mapping)
 * @req:     shared page the request is copied to
 * @resp:    shared page the host writes the response to
 * @certs:   shared pages for the host's certificate table
 * @input:   their guest-physical addresses for the GHCB call
 * @ch:      the guest-message channel over VMPCK<@vmpck_id>
 * @vmpck_id: the VMPCK in use (snp_choose_vmpck()), and the lowest VMPL a
 *           request may ask for
 */
struct snp_platform {
	struct vhsm_snp_secrets_page *secrets;
	void *req;
	void *resp;
	void *certs;
	struct snp_req_data input;
	struct vhsm_snp_channel ch;
	u32 vmpck_id;
};

/* Set by probe before /dev/vhsm exists, cleared by remove after it is gone. */
static struct snp_platform *snp;
static struct platform_device *snp_pdev;

static int snp_bind(struct platform_device *pdev)
{
	snp_pdev = pdev;
	return 0;
}

static struct platform_driver snp_driver = {
	.probe = snp_bind,
	.driver = {
		.name = "sev-guest",
		.suppress_bind_attrs = true,
	},
};

/* struct vhsm_snp_transport.send: the GHCB guest request. */
static int snp_send(void *ctx, struct vhsm_snp_xfer *x)
{
	struct snp_guest_request_ioctl rio = { .msg_version = 1 };
	u64 exit_code = SVM_VMGEXIT_GUEST_REQUEST;
	struct snp_platform *s = ctx;
	u32 len;
	int ret;

	if (x->req_len > PAGE_SIZE)
		return -EINVAL;
	memcpy(s->req, x->req, x->req_len);
	memset(s->resp, 0, PAGE_SIZE);
	s->input.data_npages = 0;
	if (x->certs) {
		memset(s->certs, 0, SNP_CERTS_SIZE);
		exit_code = SVM_VMGEXIT_EXT_GUEST_REQUEST;
		s->input.data_npages = SNP_CERTS_SIZE >> PAGE_SHIFT;
	}
	ret = snp_issue_guest_request(exit_code, &s->input, &rio);
	if (ret == -ENOSPC && x->certs) {
		/* the same message without certificates, so the seqno is used */
		x->certs_needed = (size_t)s->input.data_npages << PAGE_SHIFT;
		s->input.data_npages = 0;
		ret = snp_issue_guest_request(SVM_VMGEXIT_GUEST_REQUEST, &s->input, &rio);
	}
	x->exitinfo2 = rio.exitinfo2;
	if (ret)
		return ret;
	memcpy(x->resp, s->resp, min_t(size_t, x->resp_cap, PAGE_SIZE));
	if (x->certs && !x->certs_needed) {
		len = vhsm_snp_req_certs_len(s->certs, SNP_CERTS_SIZE);
		if (len > x->certs_cap)
			x->certs_needed = len;
		else
			memcpy(x->certs, s->certs, len);
	}
	return 0;
}

static const struct vhsm_snp_transport snp_transport = {
	.send = snp_send,
	.retries = SNP_BUSY_RETRIES,
	.retry_delay_ms = SNP_BUSY_DELAY_MS,
};

/* VMPCK<id> and its sequence number in the secrets page */
static u8 *secrets_vmpck(struct vhsm_snp_secrets_page *sp, u8 id, u32 **seqno)
{
	switch (id) {
	case 0:
		*seqno = &sp->os_area.msg_seqno_0;
		return sp->vmpck0;
	case 1:
		*seqno = &sp->os_area.msg_seqno_1;
		return sp->vmpck1;
	case 2:
		*seqno = &sp->os_area.msg_seqno_2;
		return sp->vmpck2;
	case 3:
		*seqno = &sp->os_area.msg_seqno_3;
		return sp->vmpck3;
	}
	return NULL;
}

static int claim_device(void)
{
	int ret;

	ret = platform_driver_register(&snp_driver);
	if (ret) {
		pr_err("platform=snp: cannot claim the sev-guest device (%d); is the sev-guest module loaded? Blacklist it: vhsm must be the only user of the VMPCK\n",
		       ret);
		return ret;
	}
	if (!snp_pdev || !dev_get_platdata(&snp_pdev->dev)) {
		pr_err("platform=snp: no sev-guest platform device with a secrets page\n");
		platform_driver_unregister(&snp_driver);
		return -ENODEV;
	}
	return 0;
}

static void free_pages_all(struct snp_platform *s)
{
	free_shared(s->certs, SNP_CERTS_SIZE);
	free_shared(s->resp, PAGE_SIZE);
	free_shared(s->req, PAGE_SIZE);
}

static int snp_setup(struct snp_platform *s)
{
	struct sev_guest_platform_data *data = dev_get_platdata(&snp_pdev->dev);
	void __iomem *mapping;
	u32 *seqno;
	u8 *vmpck;
	int ret;

	mapping = ioremap_encrypted(data->secrets_gpa, PAGE_SIZE);
	if (!mapping)
		return -ENODEV;
	s->secrets = (__force struct vhsm_snp_secrets_page *)mapping;
	vmpck = secrets_vmpck(s->secrets, s->vmpck_id, &seqno);

	ret = -ENOMEM;
	s->req = alloc_shared(PAGE_SIZE);
	s->resp = alloc_shared(PAGE_SIZE);
	s->certs = alloc_shared(SNP_CERTS_SIZE);
	if (!vmpck || !s->req || !s->resp || !s->certs)
		goto err;
	s->input.req_gpa = __pa(s->req);
	s->input.resp_gpa = __pa(s->resp);
	s->input.data_gpa = __pa(s->certs);

	ret = vhsm_snp_msg_init(&s->ch, &snp_transport, s, vmpck, seqno, s->vmpck_id);
	if (ret) {
		pr_err("platform=snp: VMPCK%u unusable (%d): wiped earlier?\n", s->vmpck_id, ret);
		goto err;
	}
	return 0;

err:
	free_pages_all(s);
	iounmap(mapping);
	return ret;
}

static int snp_probe(void)
{
	struct snp_platform *s;
	int ret;

	if (!cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return -ENODEV;
	ret = claim_device();
	if (ret)
		return ret;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	ret = -ENOMEM;
	if (!s)
		goto err_unclaim;
	ret = snp_choose_vmpck(&s->vmpck_id);
	if (ret)
		goto err_free;
	ret = snp_setup(s);
	if (ret)
		goto err_free;
	snp = s;
	pr_info("platform=snp: guest messages on VMPCK%u\n", s->vmpck_id);
	return 0;

err_free:
	kfree(s);
err_unclaim:
	platform_driver_unregister(&snp_driver);
	snp_pdev = NULL;
	return ret;
}

static void snp_remove(void)
{
	struct snp_platform *s = snp;

	snp = NULL;
	if (!s)
		return;
	vhsm_snp_msg_destroy(&s->ch);
	free_pages_all(s);
	iounmap((__force void __iomem *)s->secrets);
	kfree(s);
	platform_driver_unregister(&snp_driver);
	snp_pdev = NULL;
}

static int snp_get_report(const u8 *report_data, u32 vmpl, u8 *report,
			  void *certs, u32 *certs_len, u32 *fw_error)
{
	return vhsm_snp_req_report(&snp->ch, snp->vmpck_id, report_data, vmpl, report,
				   certs, certs_len, fw_error);
}

static int snp_derive_key(const struct vhsm_platform_key_req *req, u8 *key, u32 *fw_error)
{
	return vhsm_snp_req_key(&snp->ch, snp->vmpck_id, req, key, fw_error);
}

/* struct vhsm_platform_ops.min_vmpl: see snp_choose_vmpck() */
static u32 snp_min_vmpl(void)
{
	return snp->vmpck_id;
}

const struct vhsm_platform_ops vhsm_platform_snp = {
	.name = "snp",
	.id = VHSM_PLATFORM_SNP,
	.flags = 0,
	.capabilities = VHSM_CAP_ATTEST | VHSM_CAP_DERIVE_KEY,
	.probe = snp_probe,
	.remove = snp_remove,
	.get_report = snp_get_report,
	.derive_key = snp_derive_key,
	.min_vmpl = snp_min_vmpl,
};

#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)

/*
 * NOT IMPLEMENTED on 6.13: the platform is detected, but has no reports or
 * derived keys (capabilities 0; the ioctls answer -EOPNOTSUPP). 6.13 changed
 * snp_issue_guest_request() to take a struct snp_guest_req, while the VMPCK,
 * its sequence number and the mutex stay private to sev-guest; 6.14 exports
 * the messaging layer that the branch below uses.
 */
static int snp_probe(void)
{
	if (!cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return -ENODEV;
	pr_warn("platform=snp: reports and derived keys are not implemented on Linux 6.13\n");
	return 0;
}

const struct vhsm_platform_ops vhsm_platform_snp = {
	.name = "snp",
	.id = VHSM_PLATFORM_SNP,
	.flags = 0,
	.capabilities = 0,
	.probe = snp_probe,
};

#else /* LINUX_VERSION_CODE >= 6.14 */

#include <linux/mutex.h>

#define SNP_MSG_VERSION		1

/*
 * Response buffers: a response page, as sev-guest's report buffer is (struct
 * snp_report_resp, 4000 bytes), plus room for the GCM tag. The kernel
 * decrypts into them and wipes the VMPCK when the firmware's message does
 * not fit, so the key response gets the same room: a longer MSG_KEY_RSP
 * then costs nothing (its first 0x40 bytes are read as the ABI defines
 * them), and a longer MSG_REPORT_RSP is refused by its REPORT_SIZE (-EIO).
 * They start zeroed: the kernel does not say how long the decrypted response
 * was, so a short one leaves its sizes and key zero.
 */
#define SNP_RESP_LEN		(sizeof(struct snp_report_resp) + AUTHTAG_LEN)
#define SNP_REPORT_RESP_LEN	SNP_RESP_LEN
#define SNP_KEY_RESP_LEN	SNP_RESP_LEN

static_assert(sizeof(struct vhsm_snp_report_req) == sizeof(struct snp_report_req));
static_assert(sizeof(struct vhsm_snp_key_req) == sizeof(struct snp_derived_key_req));
static_assert(sizeof(struct vhsm_snp_report_resp) <= sizeof(struct snp_report_resp));
static_assert(sizeof(struct vhsm_snp_key_resp) <= sizeof(struct snp_derived_key_resp));

/**
 * struct snp_platform - the SEV-SNP platform's state (Linux 6.14+)
 * @mdesc:    the kernel's message descriptor for VMPCK<@vmpck_id>
 * @lock:     serialises vhsm's extended requests, and so the use of @certs
 *            (the kernel serialises the messages themselves)
 * @certs:    shared pages for the host's certificate table
 * @vmpck_id: the VMPCK in use, and the lowest VMPL a request may ask for
 */
struct snp_platform {
	struct snp_msg_desc *mdesc;
	struct mutex lock;	/* guards @certs */
	void *certs;
	u32 vmpck_id;
};

/* Set by probe before /dev/vhsm exists, cleared by remove after it is gone. */
static struct snp_platform *snp;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
/* 6.17+: the kernel leaves exitinfo2 in the request. */
static int snp_issue(struct snp_msg_desc *mdesc, struct snp_guest_req *req,
		     u64 *exitinfo2)
{
	int ret = snp_send_guest_request(mdesc, req);

	*exitinfo2 = req->exitinfo2;
	return ret;
}
#else
/* 6.14-6.16: the kernel leaves exitinfo2 in a struct snp_guest_request_ioctl. */
static int snp_issue(struct snp_msg_desc *mdesc, struct snp_guest_req *req,
		     u64 *exitinfo2)
{
	struct snp_guest_request_ioctl rio = { .msg_version = req->msg_version };
	int ret = snp_send_guest_request(mdesc, req, &rio);

	*exitinfo2 = rio.exitinfo2;
	return ret;
}
#endif

/* The kernel's errors as struct vhsm_platform_ops.get_report has them. */
static int snp_error(int ret, u64 exitinfo2, u32 *fw_error)
{
	switch (ret) {
	case -EIO:	/* firmware or host error: the kernel wiped the VMPCK */
		*fw_error = lower_32_bits(exitinfo2);
		break;
	case -ETIMEDOUT:	/* host busy for 60 s: likewise */
	case -ENOMEM:
		break;
	case -ENOTTY:	/* the VMPCK was wiped before, by any of its users */
	case -EBADMSG:	/* a response that failed its checks: wiped now */
		ret = -ENOTRECOVERABLE;
		break;
	default:	/* -ENOSR, -EINVAL: nothing the caller can act on */
		ret = -EIO;
		break;
	}
	pr_err_ratelimited("platform=snp: guest request failed: %d, exitinfo2 %#llx\n",
			   ret, exitinfo2);
	return ret;
}

/*
 * One guest request on the platform's VMPCK; @req carries the message type,
 * the buffers (kmalloc'ed: the kernel wants them in the linear mapping) and,
 * for an extended request, the certificate pages. Returns 0, -ENOSPC (an
 * extended request whose certificate pages were too small: the kernel sent
 * it again without them, so the VMPCK stays usable, and left the pages
 * needed in req->input.data_npages; the response is lost), or the errors of
 * snp_error().
 */
static int snp_request(struct snp_platform *s, struct snp_guest_req *req,
		       u32 *fw_error)
{
	u64 exitinfo2 = 0;
	int ret;

	req->vmpck_id = s->vmpck_id;
	req->msg_version = SNP_MSG_VERSION;
	ret = snp_issue(s->mdesc, req, &exitinfo2);
	if (!ret)
		return 0;
	if (ret == -EIO && req->exit_code == SVM_VMGEXIT_EXT_GUEST_REQUEST &&
	    exitinfo2 == SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_INVALID_LEN))
		return -ENOSPC;
	return snp_error(ret, exitinfo2, fw_error);
}

/*
 * @req as an extended request: the host's certificate table comes back into
 * s->certs and is copied to @certs when it fits in @cap. @len: the table's
 * length (at most SNP_CERTS_SIZE; the caller compares it with @cap).
 */
static int snp_request_certs(struct snp_platform *s, struct snp_guest_req *req,
			     void *certs, u32 cap, u32 *len, u32 *fw_error)
{
	int ret;

	if (mutex_lock_killable(&s->lock))
		return -EINTR;
	memset(s->certs, 0, SNP_CERTS_SIZE);
	req->exit_code = SVM_VMGEXIT_EXT_GUEST_REQUEST;
	req->certs_data = s->certs;
	req->input.data_npages = SNP_CERTS_SIZE >> PAGE_SHIFT;
	ret = snp_request(s, req, fw_error);
	if (ret == -ENOSPC) {
		/*
		 * The host wants more than the SNP_CERTS_SIZE offered, a size
		 * (from the host) that no buffer of vhsm's can take: refused,
		 * never truncated into *len.
		 */
		pr_err_ratelimited("platform=snp: the host's certificate table needs %llu bytes, more than %u: refused\n",
				   (u64)req->input.data_npages << PAGE_SHIFT, SNP_CERTS_SIZE);
		ret = -EIO;
		goto out;
	}
	if (ret)
		goto out;
	*len = vhsm_snp_req_certs_len(s->certs, SNP_CERTS_SIZE);
	if (*len <= cap)
		memcpy(certs, s->certs, *len);
out:
	mutex_unlock(&s->lock);
	return ret;
}

/* MSG_REPORT_RSP: check STATUS and REPORT_SIZE, copy the report out. */
static int snp_report_parse(const struct vhsm_snp_report_resp *resp, u8 *report,
			    u32 *fw_error)
{
	if (le32_to_cpu(resp->status)) {
		*fw_error = le32_to_cpu(resp->status);
		return -EIO;
	}
	if (le32_to_cpu(resp->report_size) != VHSM_SNP_REPORT_SIZE)
		return -EIO;
	memcpy(report, &resp->report, VHSM_SNP_REPORT_SIZE);
	return 0;
}

/* struct vhsm_platform_ops.get_report: MSG_REPORT_REQ. */
static int snp_get_report(const u8 *report_data, u32 vmpl, u8 *report,
			  void *certs, u32 *certs_len, u32 *fw_error)
{
	struct snp_guest_req req = {
		.msg_type = SNP_MSG_REPORT_REQ,
		.exit_code = SVM_VMGEXIT_GUEST_REQUEST,
	};
	struct vhsm_snp_report_req *rreq;
	void *resp;
	u32 len = 0;
	int ret;

	*fw_error = 0;
	if (vmpl > SNP_VMPCK_MAX || vmpl < snp->vmpck_id)
		return -EINVAL;
	rreq = kzalloc(sizeof(*rreq), GFP_KERNEL);
	resp = kzalloc(SNP_REPORT_RESP_LEN, GFP_KERNEL);
	ret = -ENOMEM;
	if (!rreq || !resp)
		goto out;
	memcpy(rreq->report_data, report_data, sizeof(rreq->report_data));
	rreq->vmpl = cpu_to_le32(vmpl);
	req.req_buf = rreq;
	req.req_sz = sizeof(*rreq);
	req.resp_buf = resp;
	req.resp_sz = SNP_REPORT_RESP_LEN;

	if (certs) {
		memset(certs, 0, *certs_len);
		ret = snp_request_certs(snp, &req, certs, *certs_len, &len, fw_error);
	} else {
		ret = snp_request(snp, &req, fw_error);
	}
	if (ret)
		goto out;
	ret = snp_report_parse(resp, report, fw_error);
	if (ret || !certs)
		goto out;
	if (len > *certs_len)
		ret = -ENOSPC;
	*certs_len = len;
out:
	kfree(resp);
	kfree(rreq);
	return ret;
}

/* struct vhsm_platform_ops.derive_key: MSG_KEY_REQ. */
static int snp_derive_key(const struct vhsm_platform_key_req *kr, u8 *key,
			  u32 *fw_error)
{
	struct snp_guest_req req = {
		.msg_type = SNP_MSG_KEY_REQ,
		.exit_code = SVM_VMGEXIT_GUEST_REQUEST,
	};
	struct vhsm_snp_key_resp *resp;
	struct vhsm_snp_key_req *kreq;
	int ret;

	*fw_error = 0;
	if (kr->vmpl > SNP_VMPCK_MAX || kr->vmpl < snp->vmpck_id)
		return -EINVAL;
	kreq = kzalloc(sizeof(*kreq), GFP_KERNEL);
	resp = kzalloc(SNP_KEY_RESP_LEN, GFP_KERNEL);
	ret = -ENOMEM;
	if (!kreq || !resp)
		goto out;
	kreq->root_key_select = cpu_to_le32(kr->root_key_select);
	kreq->guest_field_select = cpu_to_le64(kr->guest_field_select);
	kreq->vmpl = cpu_to_le32(kr->vmpl);
	kreq->guest_svn = cpu_to_le32(kr->guest_svn);
	kreq->tcb_version = cpu_to_le64(kr->tcb_version);
	req.req_buf = kreq;
	req.req_sz = sizeof(*kreq);
	req.resp_buf = resp;
	req.resp_sz = SNP_KEY_RESP_LEN;

	ret = snp_request(snp, &req, fw_error);
	if (ret)
		goto out;
	ret = -EIO;
	if (le32_to_cpu(resp->status)) {
		*fw_error = le32_to_cpu(resp->status);
		goto out;
	}
	/* an all-zero key: a response shorter than MSG_KEY_RSP */
	if (!memchr_inv(resp->key, 0, VHSM_SNP_KEY_LEN))
		goto out;
	memcpy(key, resp->key, VHSM_SNP_KEY_LEN);
	ret = 0;
out:
	/* the plaintext key: memzero_explicit() before the free */
	kfree_sensitive(resp);
	kfree(kreq);
	return ret;
}

static int snp_msg_setup(struct snp_platform *s)
{
	struct snp_msg_desc *mdesc;
	int ret;

	mdesc = snp_msg_alloc();
	if (IS_ERR_OR_NULL(mdesc))
		return mdesc ? PTR_ERR(mdesc) : -ENODEV;
	ret = snp_msg_init(mdesc, s->vmpck_id);
	if (ret) {
		pr_err("platform=snp: VMPCK%u unusable (%d): empty, or wiped earlier?\n",
		       s->vmpck_id, ret);
		snp_msg_free(mdesc);
		return ret;
	}
	s->mdesc = mdesc;
	return 0;
}

static int snp_probe(void)
{
	struct snp_platform *s;
	int ret;

	if (!cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return -ENODEV;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	mutex_init(&s->lock);
	ret = snp_choose_vmpck(&s->vmpck_id);
	if (ret)
		goto err_free;

	ret = snp_msg_setup(s);
	if (ret)
		goto err_free;
	ret = -ENOMEM;
	s->certs = alloc_shared(SNP_CERTS_SIZE);
	if (!s->certs)
		goto err_msg;
	snp = s;
	pr_info("platform=snp: guest messages on VMPCK%u, through the kernel's SNP messaging\n",
		s->vmpck_id);
	return 0;

err_msg:
	snp_msg_free(s->mdesc);
err_free:
	mutex_destroy(&s->lock);
	kfree(s);
	return ret;
}

/* struct vhsm_platform_ops.min_vmpl: see snp_choose_vmpck() */
static u32 snp_min_vmpl(void)
{
	return snp->vmpck_id;
}

static void snp_remove(void)
{
	struct snp_platform *s = snp;

	snp = NULL;
	if (!s)
		return;
	free_shared(s->certs, SNP_CERTS_SIZE);
	snp_msg_free(s->mdesc);
	mutex_destroy(&s->lock);
	kfree(s);
}

const struct vhsm_platform_ops vhsm_platform_snp = {
	.name = "snp",
	.id = VHSM_PLATFORM_SNP,
	.flags = 0,
	.capabilities = VHSM_CAP_ATTEST | VHSM_CAP_DERIVE_KEY,
	.probe = snp_probe,
	.remove = snp_remove,
	.get_report = snp_get_report,
	.derive_key = snp_derive_key,
	.min_vmpl = snp_min_vmpl,
};

#endif
