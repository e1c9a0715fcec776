// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated AMD-SP and the host in front of it: the transport of the sim
 * platform. It sees only what the real firmware sees, the encrypted guest
 * message, and enforces what the firmware enforces: header format, the VMPCK
 * in use, the exact next sequence number, the GCM tag.
 *
 * Fault injection (module parameter sim_fault, writable by root):
 *   none     behave
 *   busy:N   the host answers "busy" to the next N sends (the guest must
 *            resend identical bytes; every resend is compared with the first)
 *   busy:forever  likewise, until sim_fault is set again
 *   auth     corrupt the tag of the next response
 *   seqno    give the next response a wrong sequence number
 *   long_report  answer the next MSG_REPORT_REQ with a MSG_REPORT_RSP
 *            16 bytes longer (REPORT_SIZE 0x4B0), correctly encrypted
 *   certs_huge   the host claims the next extended request needs a
 *            certificate table of 2^20 + 1 pages (more than 32 bits of
 *            bytes) and answers it without certificates
 * The fault state is global so that it can be set at insmod time, before
 * any AMD-SP exists.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <crypto/aead.h>
#include <crypto/sha2.h>

#include "sim_hw.h"
#include "sim_sp.h"
#include "snp_abi.h"
#include "snp_msg.h"

enum sim_fault_kind {
	FAULT_NONE,
	FAULT_BUSY,
	FAULT_AUTH,
	FAULT_SEQNO,
	FAULT_LONG_REPORT,
	FAULT_CERTS_HUGE,
};

static const char *const fault_names[] = {
	[FAULT_NONE] = "none",
	[FAULT_BUSY] = "busy",
	[FAULT_AUTH] = "auth",
	[FAULT_SEQNO] = "seqno",
	[FAULT_LONG_REPORT] = "long_report",
	[FAULT_CERTS_HUGE] = "certs_huge",
};

/* long_report: REPORT_SIZE and the MSG_REPORT_RSP grow by this much */
#define FAULT_LONG_REPORT_EXTRA	16
/* certs_huge: the pages the host claims to need, 4 GiB + 4 KiB */
#define FAULT_CERTS_HUGE_PAGES	((1UL << 20) + 1)

#define FAULT_FOREVER	UINT_MAX

/* fault_lock protects fault_kind and fault_count; never held with sp->lock taken inside */
static DEFINE_SPINLOCK(fault_lock);
static enum sim_fault_kind fault_kind;
static unsigned int fault_count;

static int fault_set(const char *val, const struct kernel_param *kp)
{
	enum sim_fault_kind kind;
	unsigned int n = 1;
	char buf[32];

	strscpy(buf, val, sizeof(buf));
	strim(buf);
	if (!strcmp(buf, "none")) {
		kind = FAULT_NONE;
		n = 0;
	} else if (!strcmp(buf, "busy:forever")) {
		kind = FAULT_BUSY;
		n = FAULT_FOREVER;
	} else if (!strncmp(buf, "busy:", 5)) {
		kind = FAULT_BUSY;
		if (kstrtouint(buf + 5, 10, &n) || n > 1000000)
			return -EINVAL;
	} else {
		for (kind = FAULT_AUTH; kind < ARRAY_SIZE(fault_names); kind++)
			if (!strcmp(buf, fault_names[kind]))
				break;
		if (kind == ARRAY_SIZE(fault_names))
			return -EINVAL;
	}
	spin_lock(&fault_lock);
	fault_kind = n ? kind : FAULT_NONE;
	fault_count = n;
	spin_unlock(&fault_lock);
	return 0;
}

static int fault_get(char *buffer, const struct kernel_param *kp)
{
	enum sim_fault_kind kind;
	unsigned int n;

	spin_lock(&fault_lock);
	kind = fault_kind;
	n = fault_count;
	spin_unlock(&fault_lock);
	if (kind == FAULT_BUSY && n == FAULT_FOREVER)
		return scnprintf(buffer, PAGE_SIZE, "busy:forever\n");
	if (kind == FAULT_BUSY)
		return scnprintf(buffer, PAGE_SIZE, "busy:%u\n", n);
	return scnprintf(buffer, PAGE_SIZE, "%s\n", fault_names[kind]);
}

static const struct kernel_param_ops fault_ops = {
	.set = fault_set,
	.get = fault_get,
};
module_param_cb(sim_fault, &fault_ops, NULL, 0644);
MODULE_PARM_DESC(sim_fault,
		 "platform=sim fault injection for tests: none, busy:N, busy:forever, auth, seqno, long_report, certs_huge");

/* Consume one fault for the send being handled. */
static enum sim_fault_kind fault_take(void)
{
	enum sim_fault_kind kind;

	spin_lock(&fault_lock);
	kind = fault_kind;
	if (kind != FAULT_NONE && fault_count != FAULT_FOREVER && !--fault_count)
		fault_kind = FAULT_NONE;
	spin_unlock(&fault_lock);
	return kind;
}

/* A resend while a busy request is held: is it byte for byte the same? */
static void note_resend(struct vhsm_sim_sp *sp, const struct vhsm_snp_xfer *x)
{
	lockdep_assert_held(&sp->lock);
	if (x->req_len == sp->held_len && !memcmp(x->req, sp->held, sp->held_len))
		sp->stats.resent_identical++;
	else
		sp->stats.resent_mismatch++;
}

static int busy(struct vhsm_sim_sp *sp, struct vhsm_snp_xfer *x)
{
	lockdep_assert_held(&sp->lock);
	if (!sp->held_len && x->req_len <= VHSM_SNP_MSG_LEN) {
		memcpy(sp->held, x->req, x->req_len);
		sp->held_len = x->req_len;
	}
	sp->stats.busy++;
	x->exitinfo2 = (u64)VHSM_SNP_VMM_ERR_BUSY << VHSM_SNP_VMM_ERR_SHIFT;
	return -EAGAIN;
}

/*
 * What a hostile host could exploit: every message handed to it, busy or
 * not, accepted by the firmware or not. The AMD-SP, holding the key, checks
 * that no sequence number (the GCM IV) ever carries two different messages:
 * it remembers a digest of the AAD and plaintext under each one (a window of
 * the last VHSM_SIM_HW_IV_WINDOW requests per VMPCK) and counts any other
 * contents under a remembered number in hw->iv_reuse. A message that does not
 * authenticate under the VMPCK was not encrypted with it and is not counted.
 */
static void iv_observe(struct vhsm_sim_sp *sp, const struct vhsm_snp_xfer *x)
{
	struct vhsm_snp_msg_hdr *hdr = &sp->msg->hdr;
	struct vhsm_sim_hw *hw = sp->hw;
	struct vhsm_sim_iv_seen *seen;
	u8 digest[SHA256_DIGEST_SIZE];
	size_t len;
	u64 seqno;

	lockdep_assert_held(&sp->lock);
	if (x->req_len < VHSM_SNP_HDR_LEN || x->req_len > VHSM_SNP_MSG_LEN)
		return;
	memcpy(sp->msg, x->req, x->req_len);
	len = le16_to_cpu(hdr->msg_sz);
	if (hdr->msg_vmpck >= VHSM_SIM_HW_VMPCKS || hdr->msg_vmpck != sp->cfg.vmpl ||
	    VHSM_SNP_HDR_LEN + len != x->req_len || vhsm_snp_msg_open(sp->aead, sp->msg))
		goto out;
	seqno = le64_to_cpu(hdr->msg_seqno);
	/* AAD (header 0x30-0x5f) and plaintext are contiguous */
	sha256(&hdr->algo, VHSM_SNP_AAD_LEN + len, digest);
	seen = &hw->iv_seen[hdr->msg_vmpck][(seqno / 2) % VHSM_SIM_HW_IV_WINDOW];
	hw->iv_checked++;
	if (seen->seqno == seqno && memcmp(seen->digest, digest, sizeof(digest))) {
		hw->iv_reuse++;
		pr_err("platform=sim: AMD-SP: two different messages under VMPCK%u sequence number %llu (GCM IV reuse)\n",
		       hdr->msg_vmpck, seqno);
	}
	seen->seqno = seqno;
	memcpy(seen->digest, digest, sizeof(digest));
	memzero_explicit(digest, sizeof(digest));
out:
	memzero_explicit(sp->msg, sizeof(*sp->msg));
}

/* The firmware refuses the message; the guest sees SNP_GUEST_REQUEST fail. */
static int reject(struct vhsm_sim_sp *sp, struct vhsm_snp_xfer *x)
{
	sp->stats.rejected++;
	x->exitinfo2 = VHSM_SNP_STATUS_INVALID_PARAM;
	return -EIO;
}

/* Copy in and check the header; 0 if the firmware would try to decrypt it. */
static int check_request(struct vhsm_sim_sp *sp, const struct vhsm_snp_xfer *x)
{
	const struct vhsm_snp_msg_hdr *hdr = &sp->msg->hdr;

	if (x->req_len < VHSM_SNP_HDR_LEN || x->req_len > VHSM_SNP_MSG_LEN)
		return -EBADMSG;
	memcpy(sp->msg, x->req, x->req_len);
	if (hdr->algo != VHSM_SNP_ALGO_AES_256_GCM ||
	    hdr->hdr_version != VHSM_SNP_HDR_VERSION ||
	    le16_to_cpu(hdr->hdr_sz) != VHSM_SNP_HDR_LEN ||
	    hdr->msg_vmpck != sp->cfg.vmpl ||
	    hdr->msg_version != 1 ||
	    (hdr->msg_type != VHSM_SNP_MSG_REPORT_REQ && hdr->msg_type != VHSM_SNP_MSG_KEY_REQ) ||
	    VHSM_SNP_HDR_LEN + le16_to_cpu(hdr->msg_sz) != x->req_len ||
	    le64_to_cpu(hdr->msg_seqno) != sp->hw->fw_seqno[sp->cfg.vmpl] + 1)
		return -EBADMSG;
	return 0;
}

static int answer(struct vhsm_sim_sp *sp, u8 *plain, size_t *len,
		  enum sim_fault_kind fault)
{
	const struct vhsm_snp_msg_hdr *hdr = &sp->msg->hdr;
	size_t req_len = le16_to_cpu(hdr->msg_sz);
	struct vhsm_snp_report_resp *rsp = (void *)plain;
	int ret;

	if (hdr->msg_type != VHSM_SNP_MSG_REPORT_REQ)
		return vhsm_sim_report_derive_key(sp, sp->msg->payload, req_len, plain, len);
	ret = vhsm_sim_report_build(sp, sp->msg->payload, req_len, plain, len);
	if (!ret && fault == FAULT_LONG_REPORT) {
		/* a larger report, as a later firmware may send */
		*len += FAULT_LONG_REPORT_EXTRA;
		rsp->report_size = cpu_to_le32(le32_to_cpu(rsp->report_size) +
					       FAULT_LONG_REPORT_EXTRA);
	}
	return ret;
}

/*
 * The firmware's side of one message. An internal failure of the simulator
 * (its signing and key derivation allocate memory, which the real AMD-SP
 * never runs out of) leaves the firmware's state unchanged and is answered
 * as a busy host would answer: the guest sends the identical bytes again.
 */
static int handle(struct vhsm_sim_sp *sp, struct vhsm_snp_xfer *x, enum sim_fault_kind fault)
{
	struct vhsm_snp_msg_hdr *hdr = &sp->msg->hdr;
	size_t len = 0;
	u8 type, version;
	u64 seqno;
	int ret;

	lockdep_assert_held(&sp->lock);
	if (check_request(sp, x) || vhsm_snp_msg_open(sp->aead, sp->msg))
		return reject(sp, x);
	seqno = le64_to_cpu(hdr->msg_seqno);
	type = hdr->msg_type;
	version = hdr->msg_version;

	memset(sp->plain, 0, VHSM_SNP_PAYLOAD_MAX);
	ret = answer(sp, sp->plain, &len, fault);
	memzero_explicit(sp->msg, sizeof(*sp->msg));
	if (!ret) {
		vhsm_snp_msg_hdr_init(hdr, type + 1, version, seqno + 1, sp->cfg.vmpl, len);
		ret = vhsm_snp_msg_seal(sp->aead, sp->msg, sp->plain, len);
	}
	memzero_explicit(sp->plain, VHSM_SNP_PAYLOAD_MAX);
	if (ret) {
		sp->stats.internal_errors++;
		return busy(sp, x);
	}
	sp->stats.requests++;
	sp->stats.last_seqno = seqno;
	sp->hw->fw_seqno[sp->cfg.vmpl] = seqno + 1;

	if (fault == FAULT_AUTH)
		hdr->authtag[0] ^= 0x01;
	else if (fault == FAULT_SEQNO)
		hdr->msg_seqno = cpu_to_le64(seqno + 3);
	if (VHSM_SNP_HDR_LEN + len > x->resp_cap)
		return -EOVERFLOW;
	memcpy(x->resp, sp->msg, VHSM_SNP_HDR_LEN + len);
	return 0;
}

/**
 * vhsm_sim_sp_send() - the sim platform's transport (struct vhsm_snp_transport)
 * @ctx: the struct vhsm_sim_sp
 * @x:   the exchange
 *
 * Return: 0, -EAGAIN (busy), -EIO (refused; status in @x->exitinfo2), -errno.
 */
int vhsm_sim_sp_send(void *ctx, struct vhsm_snp_xfer *x)
{
	enum sim_fault_kind fault = fault_take();
	struct vhsm_sim_sp *sp = ctx;
	int ret;

	mutex_lock(&sp->lock);
	iv_observe(sp, x);
	if (sp->held_len)
		note_resend(sp, x);
	if (fault == FAULT_BUSY) {
		ret = busy(sp, x);
	} else {
		sp->held_len = 0;
		ret = handle(sp, x, fault);
	}
	/* the simulated host's certificates (sim_certs.c), or the lie */
	if (!ret && x->certs && fault == FAULT_CERTS_HUGE)
		x->certs_needed = (size_t)FAULT_CERTS_HUGE_PAGES << PAGE_SHIFT;
	else if (!ret && x->certs)
		vhsm_sim_certs_fill(x);
	mutex_unlock(&sp->lock);
	return ret;
}

void vhsm_sim_sp_get_stats(struct vhsm_sim_sp *sp, struct vhsm_sim_sp_stats *st)
{
	mutex_lock(&sp->lock);
	*st = sp->stats;
	mutex_unlock(&sp->lock);
}

/**
 * vhsm_sim_sp_init() - power on a simulated AMD-SP for a launch
 * @sp:  the AMD-SP
 * @cfg: the launch; copied
 * @hw:  the machine it runs in: its keys and sequence numbers; must outlive
 *       @sp
 *
 * Return: 0 or -errno.
 */
int vhsm_sim_sp_init(struct vhsm_sim_sp *sp, const struct vhsm_sim_config *cfg,
		     struct vhsm_sim_hw *hw)
{
	int ret;

	memset(sp, 0, sizeof(*sp));
	mutex_init(&sp->lock);
	sp->cfg = *cfg;
	sp->hw = hw;

	ret = -ENOMEM;
	sp->msg = kzalloc(sizeof(*sp->msg), GFP_KERNEL);
	sp->held = kzalloc(VHSM_SNP_MSG_LEN, GFP_KERNEL);
	sp->plain = kzalloc(VHSM_SNP_PAYLOAD_MAX, GFP_KERNEL);
	if (!sp->msg || !sp->held || !sp->plain)
		goto err;
	sp->aead = vhsm_snp_msg_aead_alloc(hw->fw_vmpck[cfg->vmpl]);
	if (IS_ERR(sp->aead)) {
		ret = PTR_ERR(sp->aead);
		sp->aead = NULL;
		goto err;
	}
	ret = vhsm_sim_report_keys(sp);
	if (ret)
		goto err;
	return 0;

err:
	vhsm_sim_sp_destroy(sp);
	return ret;
}

void vhsm_sim_sp_destroy(struct vhsm_sim_sp *sp)
{
	vhsm_snp_msg_aead_free(sp->aead);
	kfree_sensitive(sp->plain);
	kfree(sp->held);
	kfree_sensitive(sp->msg);
	mutex_destroy(&sp->lock);
	memzero_explicit(sp, sizeof(*sp));
}
