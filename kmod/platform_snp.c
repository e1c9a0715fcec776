// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP platform: the AMD secure processor reached through SNP guest
 * messages.
 *
 * Linux 6.12 exports only the raw transport, snp_issue_guest_request(); the
 * VMPCK, its sequence number and the lock that serialises them are private
 * to the sev-guest driver. So on 6.12 vhsm does the guest messaging itself
 * (snp_msg.c) and must be the only user of its VMPCK:
 *  - it registers a platform driver named "sev-guest" and so binds the
 *    sev-guest platform device (registration fails with -EBUSY while the
 *    sev-guest module is loaded; blacklist it with "blacklist sev-guest" and
 *    "install sev-guest /bin/false" in modprobe.d),
 *  - maps the secrets page from the device's platform data (secrets_gpa),
 *  - uses VMPCK<snp_vmpl> and the sequence number next to it, and wipes that
 *    VMPCK inside the secrets page if the firmware and the guest may have
 *    fallen out of step,
 *  - exchanges messages through two shared (decrypted) pages, plus four for
 *    the host's certificate table, copying to and from private memory.
 *
 * configfs-tsm: the companion module vhsm_tsm.ko (tsm_bridge.c) registers as
 * the report provider and answers through this platform, so
 * /sys/kernel/config/tsm/report keeps working while vhsm owns the VMPCK;
 * vhsm.ko itself does not depend on tsm.ko.
 *
 * This file is built against 6.12 but has never run on SEV-SNP hardware.
 */
#include <linux/cc_platform.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vhsm.h>

#include "platform.h"

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)

#include <asm/sev.h>
#include <asm/svm.h>
#include <uapi/linux/sev-guest.h>

#include "snp_msg.h"
#include "snp_req.h"

/* sev-guest's bounds: 60 s of 2 s pauses while the host says busy */
#define SNP_BUSY_RETRIES	30
#define SNP_BUSY_DELAY_MS	2000
#define SNP_CERTS_SIZE		(16 * 1024)

static_assert(sizeof(struct snp_guest_msg_hdr) == VHSM_SNP_HDR_LEN);
static_assert(sizeof(struct snp_guest_msg) == VHSM_SNP_MSG_LEN);
static_assert(VHSM_SNP_MSG_LEN == PAGE_SIZE);

/**
 * struct snp_platform - the SEV-SNP platform's state
 * @secrets: the secrets page (encrypted mapping)
 * @req:     shared page the request is copied to
 * @resp:    shared page the host writes the response to
 * @certs:   shared pages for the host's certificate table
 * @input:   their guest-physical addresses for the GHCB call
 * @ch:      the guest-message channel over VMPCK<snp_vmpl>
 * @vmpl:    the VMPL this guest runs at (snp_vmpl)
 */
struct snp_platform {
	struct snp_secrets_page *secrets;
	void *req;
	void *resp;
	void *certs;
	struct snp_req_data input;
	struct vhsm_snp_channel ch;
	u8 vmpl;
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
static u8 *secrets_vmpck(struct snp_secrets_page *sp, u8 id, u32 **seqno)
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
	s->secrets = (__force struct snp_secrets_page *)mapping;
	s->vmpl = snp_vmpl;
	vmpck = secrets_vmpck(s->secrets, s->vmpl, &seqno);

	ret = -ENOMEM;
	s->req = alloc_shared(PAGE_SIZE);
	s->resp = alloc_shared(PAGE_SIZE);
	s->certs = alloc_shared(SNP_CERTS_SIZE);
	if (!vmpck || !s->req || !s->resp || !s->certs)
		goto err;
	s->input.req_gpa = __pa(s->req);
	s->input.resp_gpa = __pa(s->resp);
	s->input.data_gpa = __pa(s->certs);

	ret = vhsm_snp_msg_init(&s->ch, &snp_transport, s, vmpck, seqno, s->vmpl);
	if (ret) {
		pr_err("platform=snp: VMPCK%u unusable (%d): wiped earlier?\n", s->vmpl, ret);
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
	ret = snp_setup(s);
	if (ret)
		goto err_free;
	snp = s;
	pr_info("platform=snp: guest messages on VMPCK%u\n", s->vmpl);
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
	return vhsm_snp_req_report(&snp->ch, snp->vmpl, report_data, vmpl, report,
				   certs, certs_len, fw_error);
}

static int snp_derive_key(const struct vhsm_platform_key_req *req, u8 *key, u32 *fw_error)
{
	return vhsm_snp_req_key(&snp->ch, snp->vmpl, req, key, fw_error);
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
};

#else /* LINUX_VERSION_CODE >= 6.13 */

/*
 * NOT IMPLEMENTED on 6.13+: the platform is detected, but has no reports or
 * derived keys (capabilities 0; the ioctls answer -EOPNOTSUPP).
 *  - 6.13 changed snp_issue_guest_request() to take a struct snp_guest_req.
 *  - 6.14+ exports the whole messaging layer, which is the way to go there:
 *    snp_msg_alloc(), snp_msg_init(mdesc, vmpck_id),
 *    snp_send_guest_request(mdesc, req, rio) (6.17: (mdesc, req)) and
 *    snp_msg_free(); the kernel then owns the seqno and the mutex, and vhsm
 *    can share the VMPCK with sev-guest.
 */
static int snp_probe(void)
{
	if (!cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return -ENODEV;
	pr_warn("platform=snp: reports and derived keys are not implemented on this kernel\n");
	return 0;
}

const struct vhsm_platform_ops vhsm_platform_snp = {
	.name = "snp",
	.id = VHSM_PLATFORM_SNP,
	.flags = 0,
	.capabilities = 0,
	.probe = snp_probe,
};

#endif
