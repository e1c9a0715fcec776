// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP guest messaging: encryption, sequence numbers, retries and the VMPCK
 * wipe, shared by the real SEV-SNP transport and the simulator.
 *
 * Why the rules are what they are: the GCM IV is the message sequence number,
 * and the firmware accepts a request only at exactly its own next sequence
 * number, advancing by two per answered request. So
 *  - a request the host answered "busy" is sent again byte for byte (same
 *    seqno, same plaintext, same ciphertext);
 *  - a request given up while busy stays pending and is sent again, byte for
 *    byte, before any new request: a new plaintext under its seqno would
 *    reuse the IV, and a later seqno would be refused by the firmware;
 *  - so does one still pending when the channel is torn down (module unload),
 *    because the next user of the VMPCK starts at that seqno; if it cannot
 *    be completed within the retry bound, the VMPCK is wiped;
 *  - once the firmware has answered, the stored seqno moves on by two;
 *  - a response that fails the header checks or authentication, or a
 *    transport failure that leaves the firmware's seqno unknown, wipes the
 *    VMPCK: the guest and the firmware may now disagree, and guessing means
 *    risking IV reuse. After the wipe every request fails with
 *    -ENOTRECOVERABLE until the guest is restarted (sev-guest does the same).
 */
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aead.h>

#include "snp_msg.h"

static_assert(sizeof(struct vhsm_snp_msg_hdr) == VHSM_SNP_HDR_LEN);
static_assert(offsetof(struct vhsm_snp_msg_hdr, msg_seqno) == 0x20);
static_assert(offsetof(struct vhsm_snp_msg_hdr, algo) == VHSM_SNP_AAD_OFFSET);
static_assert(offsetof(struct vhsm_snp_msg_hdr, msg_type) == 0x34);
static_assert(offsetof(struct vhsm_snp_msg_hdr, msg_sz) == 0x36);
static_assert(offsetof(struct vhsm_snp_msg_hdr, msg_vmpck) == 0x3c);
static_assert(sizeof(struct vhsm_snp_msg) == VHSM_SNP_MSG_LEN);

#define GCM_IV_LEN	12

/**
 * vhsm_snp_msg_aead_alloc() - gcm(aes) keyed with @key, and its request
 * @key: a 32-byte VMPCK
 *
 * Everything the message crypto needs is allocated here, once: sealing and
 * opening a message allocate nothing, so a response that has arrived can
 * always be decrypted (an allocation failure then would lose it). The
 * transform is synchronous (CRYPTO_ALG_ASYNC masked out): no crypto queue
 * that could refuse or delay a request.
 *
 * Return: the request, bound to its transform, or an ERR_PTR.
 */
struct aead_request *vhsm_snp_msg_aead_alloc(const u8 *key)
{
	struct aead_request *req;
	struct crypto_aead *tfm;
	int ret;

	tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return ERR_CAST(tfm);
	ret = crypto_aead_setkey(tfm, key, VHSM_SNP_VMPCK_LEN);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, VHSM_SNP_AUTHTAG_LEN);
	if (ret)
		goto err_tfm;
	ret = -ENOMEM;
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		goto err_tfm;
	return req;

err_tfm:
	crypto_free_aead(tfm);
	return ERR_PTR(ret);
}

/**
 * vhsm_snp_msg_aead_free() - free a request and its (keyed) transform
 * @req: from vhsm_snp_msg_aead_alloc(), or NULL
 */
void vhsm_snp_msg_aead_free(struct aead_request *req)
{
	struct crypto_aead *tfm;

	if (!req)
		return;
	tfm = crypto_aead_reqtfm(req);
	aead_request_free(req);		/* kfree_sensitive(): wipes the context */
	crypto_free_aead(tfm);		/* wipes the expanded key */
}

void vhsm_snp_msg_hdr_init(struct vhsm_snp_msg_hdr *hdr, u8 type, u8 version,
			   u64 seqno, u8 vmpck_id, size_t len)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->msg_seqno = cpu_to_le64(seqno);
	hdr->algo = VHSM_SNP_ALGO_AES_256_GCM;
	hdr->hdr_version = VHSM_SNP_HDR_VERSION;
	hdr->hdr_sz = cpu_to_le16(VHSM_SNP_HDR_LEN);
	hdr->msg_type = type;
	hdr->msg_version = version;
	hdr->msg_sz = cpu_to_le16(len);
	hdr->msg_vmpck = vmpck_id;
}

/*
 * In place: AAD = header bytes 0x30-0x5f, data = payload[msg_sz], tag in
 * header bytes 0x00-0x0f. IV = the 64-bit seqno little-endian, then zeros.
 * Allocates nothing: @req comes from vhsm_snp_msg_aead_alloc().
 */
static int msg_crypt(struct aead_request *req, struct vhsm_snp_msg *msg, bool enc)
{
	struct vhsm_snp_msg_hdr *hdr = &msg->hdr;
	size_t len = le16_to_cpu(hdr->msg_sz);
	struct scatterlist sg[3];
	DECLARE_CRYPTO_WAIT(wait);
	u8 iv[GCM_IV_LEN] = {};

	if (!len || len > VHSM_SNP_PAYLOAD_MAX)
		return -EBADMSG;
	memcpy(iv, &hdr->msg_seqno, sizeof(hdr->msg_seqno));

	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], &hdr->algo, VHSM_SNP_AAD_LEN);
	sg_set_buf(&sg[1], msg->payload, len);
	sg_set_buf(&sg[2], hdr->authtag, VHSM_SNP_AUTHTAG_LEN);

	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP | CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, VHSM_SNP_AAD_LEN);
	aead_request_set_crypt(req, sg, sg, enc ? len : len + VHSM_SNP_AUTHTAG_LEN, iv);
	return crypto_wait_req(enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req),
			       &wait);
}

/**
 * vhsm_snp_msg_seal() - encrypt @plain into @msg, whose header is set up
 * @aead:  from vhsm_snp_msg_aead_alloc()
 * @msg:   header filled by vhsm_snp_msg_hdr_init() with msg_sz = @len
 * @plain: the payload
 * @len:   its length
 *
 * Return: 0 or -errno (the payload is wiped on failure).
 */
int vhsm_snp_msg_seal(struct aead_request *aead, struct vhsm_snp_msg *msg,
		      const void *plain, size_t len)
{
	int ret;

	if (len > VHSM_SNP_PAYLOAD_MAX || len != le16_to_cpu(msg->hdr.msg_sz))
		return -EINVAL;
	memcpy(msg->payload, plain, len);
	ret = msg_crypt(aead, msg, true);
	if (ret)
		memzero_explicit(msg->payload, len);
	return ret;
}

/**
 * vhsm_snp_msg_open() - authenticate and decrypt @msg in place
 * @aead: from vhsm_snp_msg_aead_alloc()
 * @msg:  a message; its header's msg_sz says how long the payload is
 *
 * Return: 0; -EBADMSG when the message is malformed or fails authentication;
 * another -errno when the crypto layer itself failed (nothing is known about
 * the message then). The payload is wiped on any failure.
 */
int vhsm_snp_msg_open(struct aead_request *aead, struct vhsm_snp_msg *msg)
{
	int ret = msg_crypt(aead, msg, false);

	if (ret)
		memzero_explicit(msg->payload, sizeof(msg->payload));
	return ret;
}

static void channel_wipe(struct vhsm_snp_channel *ch, const char *why)
{
	lockdep_assert_held(&ch->lock);

	pr_err("VMPCK%u wiped (%s): guest messages are disabled until the guest restarts\n",
	       ch->vmpck_id, why);
	memzero_explicit(ch->vmpck, VHSM_SNP_VMPCK_LEN);
	vhsm_snp_msg_aead_free(ch->aead);
	ch->aead = NULL;
	ch->dead = true;
	ch->pending = false;
	ch->stats.wiped = true;
	memzero_explicit(ch->msg, sizeof(*ch->msg));
	memzero_explicit(ch->resp, sizeof(*ch->resp));
}

/*
 * Send ch->msg (len bytes), resending the identical bytes while the host is
 * busy. 0: the firmware answered into ch->resp. -ETIMEDOUT / -EINTR: given up,
 * the message stays pending. Anything else: the transport failed.
 */
static int exchange(struct vhsm_snp_channel *ch, size_t len, struct vhsm_snp_request *r)
{
	struct vhsm_snp_xfer x = {
		.req = ch->msg, .req_len = len,
		.resp = ch->resp, .resp_cap = sizeof(*ch->resp),
	};
	unsigned int tries = 0;
	int ret;

	lockdep_assert_held(&ch->lock);
	if (r) {
		x.certs = r->certs;
		x.certs_cap = r->certs_cap;
	}
	for (;;) {
		memset(ch->resp, 0, sizeof(*ch->resp));
		x.exitinfo2 = 0;
		ret = ch->tp->send(ch->tp_ctx, &x);
		if (ret != -EAGAIN)
			break;
		ch->stats.busy++;
		if (tries++ >= ch->tp->retries) {
			ret = -ETIMEDOUT;
			break;
		}
		if (ch->tp->retry_delay_ms)
			schedule_timeout_killable(msecs_to_jiffies(ch->tp->retry_delay_ms));
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ch->stats.resent++;
	}
	if (ret == -ETIMEDOUT || ret == -EINTR) {
		ch->pending = true;
		ch->pending_len = len;
		ch->stats.timeouts++;
	}
	if (r) {
		r->exitinfo2 = x.exitinfo2;
		r->certs_needed = x.certs_needed;
	}
	return ret;
}

/* The response to ch->msg is in ch->resp: check its header, then decrypt it. */
static int check_response(struct vhsm_snp_channel *ch)
{
	const struct vhsm_snp_msg_hdr *req = &ch->msg->hdr;
	const struct vhsm_snp_msg_hdr *rsp = &ch->resp->hdr;

	lockdep_assert_held(&ch->lock);
	if (le64_to_cpu(rsp->msg_seqno) != le64_to_cpu(req->msg_seqno) + 1)
		return -EBADMSG;
	if (rsp->algo != VHSM_SNP_ALGO_AES_256_GCM ||
	    rsp->hdr_version != VHSM_SNP_HDR_VERSION ||
	    le16_to_cpu(rsp->hdr_sz) != VHSM_SNP_HDR_LEN ||
	    rsp->msg_type != req->msg_type + 1 ||
	    rsp->msg_version != req->msg_version ||
	    rsp->msg_vmpck != req->msg_vmpck ||
	    le16_to_cpu(rsp->msg_sz) > VHSM_SNP_PAYLOAD_MAX)
		return -EBADMSG;
	return vhsm_snp_msg_open(ch->aead, ch->resp);
}

/*
 * The firmware has answered ch->msg: advance the seqno, then check. A response
 * that is malformed or fails authentication wipes the VMPCK. A local crypto
 * failure does not: the firmware and the guest are in step (both moved on by
 * two), only this answer is lost.
 */
static int round_trip_done(struct vhsm_snp_channel *ch)
{
	int ret;

	lockdep_assert_held(&ch->lock);
	*ch->seqno += 2;
	ch->stats.seqno = *ch->seqno;
	ch->stats.round_trips++;
	ch->pending = false;
	ret = check_response(ch);
	if (ret == -EBADMSG) {
		channel_wipe(ch, "bad response");
		return -ENOTRECOVERABLE;
	}
	if (ret) {
		pr_err_ratelimited("cannot decrypt a response (%d); the VMPCK stays usable\n",
				   ret);
		ch->stats.decrypt_errors++;
		return ret == -ENOMEM ? ret : -EIO;
	}
	return 0;
}

static int transport_failed(struct vhsm_snp_channel *ch, int ret, u64 exitinfo2)
{
	pr_err_ratelimited("guest request failed: %d, exitinfo2 %#llx\n", ret, exitinfo2);
	channel_wipe(ch, "transport error");
	return ret == -ENOTRECOVERABLE ? ret : -EIO;
}

/* Finish the round trip of a request given up earlier; its answer is dropped. */
static int flush_pending(struct vhsm_snp_channel *ch)
{
	int ret;

	lockdep_assert_held(&ch->lock);
	ch->stats.resent++;
	ret = exchange(ch, ch->pending_len, NULL);
	if (ret == -ETIMEDOUT || ret == -EINTR)
		return ret;
	if (ret)
		return transport_failed(ch, ret, 0);
	ret = round_trip_done(ch);
	memzero_explicit(ch->resp, sizeof(*ch->resp));
	return ret;
}

static int request(struct vhsm_snp_channel *ch, struct vhsm_snp_request *r)
{
	size_t len = VHSM_SNP_HDR_LEN + r->req_len;
	struct vhsm_snp_msg_hdr *rsp = &ch->resp->hdr;
	size_t rlen;
	u64 seqno;
	int ret;

	lockdep_assert_held(&ch->lock);
	if (r->req_len > VHSM_SNP_PAYLOAD_MAX)
		return -EINVAL;
	seqno = (u64)*ch->seqno + 1;
	if (seqno + 1 > U32_MAX)
		return -EIO;	/* the secrets page keeps 32 bits */

	vhsm_snp_msg_hdr_init(&ch->msg->hdr, r->type, r->version, seqno,
			      ch->vmpck_id, r->req_len);
	ret = vhsm_snp_msg_seal(ch->aead, ch->msg, r->req, r->req_len);
	if (ret)
		return ret;

	ret = exchange(ch, len, r);
	if (ret == -ETIMEDOUT || ret == -EINTR)
		return ret;
	if (ret)
		return transport_failed(ch, ret, r->exitinfo2);
	ret = round_trip_done(ch);
	if (ret)
		return ret;

	/*
	 * The answer is read where it was decrypted: nothing to allocate, and
	 * one the caller does not understand (a later firmware's larger
	 * report, say) fails this request only; the channel is in step.
	 */
	rlen = le16_to_cpu(rsp->msg_sz);
	ret = r->parse(r->ctx, ch->resp->payload, rlen);
	memzero_explicit(ch->resp, VHSM_SNP_HDR_LEN + rlen);
	memset(ch->msg, 0, len);
	return ret;
}

/**
 * vhsm_snp_msg_send() - one request/response round trip
 * @ch: the channel
 * @r:  the request; see struct vhsm_snp_request
 *
 * Context: sleeps; takes @ch->lock. Every wait (for the lock, and between
 * the resends to a busy host) ends when the task is killed.
 * Return: 0 (@r->parse accepted the response), -ETIMEDOUT (host busy; the
 * request stays pending
 * and is completed before the next one), -EINTR (killed while waiting: for
 * the lock, then nothing was sent; or between resends, then the request stays
 * pending as with -ETIMEDOUT),
 * -EIO (the transport failed, and the VMPCK was wiped; or the response was
 * lost to a local crypto error, and the VMPCK stays), @r->parse's error
 * (the VMPCK stays), -ENOTRECOVERABLE (the VMPCK is wiped, now or earlier),
 * -ENOMEM, -EINVAL.
 */
int vhsm_snp_msg_send(struct vhsm_snp_channel *ch, struct vhsm_snp_request *r)
{
	int ret = 0;

	r->exitinfo2 = 0;
	r->certs_needed = 0;
	/* the holder may wait out a busy host for a minute: let a killed task go */
	if (mutex_lock_killable(&ch->lock))
		return -EINTR;
	if (ch->dead) {
		ret = -ENOTRECOVERABLE;
		goto out;
	}
	if (ch->pending) {
		ret = flush_pending(ch);
		if (ret)
			goto out;
	}
	ret = request(ch, r);
out:
	mutex_unlock(&ch->lock);
	return ret;
}

/**
 * vhsm_snp_msg_get_stats() - a snapshot of the channel's counters
 * @ch: the channel
 * @st: [out] the counters
 *
 * Read without the channel lock, which a request may hold for a minute while
 * the host is busy: each counter is current, the set is not one instant.
 */
void vhsm_snp_msg_get_stats(struct vhsm_snp_channel *ch, struct vhsm_snp_msg_stats *st)
{
	/* racy by design (see above): counters only, for tests */
	*st = data_race(ch->stats);
	/* likewise */
	st->seqno = data_race(*ch->seqno);
}

/**
 * vhsm_snp_msg_init() - set up a channel over @tp for the VMPCK at @vmpck
 * @ch:       the channel (embedded by the caller)
 * @tp:       the transport; must outlive the channel
 * @tp_ctx:   passed to @tp->send
 * @vmpck:    the 32-byte key in its home (wiped there on failure)
 * @seqno:    the stored sequence number in its home
 * @vmpck_id: the key's number, 0..3
 *
 * Return: 0, -EINVAL (the VMPCK is all zero: wiped earlier), -ENOMEM, or the
 * crypto API's error.
 */
int vhsm_snp_msg_init(struct vhsm_snp_channel *ch, const struct vhsm_snp_transport *tp,
		      void *tp_ctx, u8 *vmpck, u32 *seqno, u8 vmpck_id)
{
	int ret;

	memset(ch, 0, sizeof(*ch));
	if (!memchr_inv(vmpck, 0, VHSM_SNP_VMPCK_LEN))
		return -EINVAL;
	mutex_init(&ch->lock);
	ch->tp = tp;
	ch->tp_ctx = tp_ctx;
	ch->vmpck = vmpck;
	ch->seqno = seqno;
	ch->vmpck_id = vmpck_id;
	ch->stats.seqno = *seqno;
	ch->msg = kzalloc(sizeof(*ch->msg), GFP_KERNEL);
	ch->resp = kzalloc(sizeof(*ch->resp), GFP_KERNEL);
	ret = -ENOMEM;
	if (!ch->msg || !ch->resp)
		goto err_free;
	ch->aead = vhsm_snp_msg_aead_alloc(vmpck);
	if (IS_ERR(ch->aead)) {
		ret = PTR_ERR(ch->aead);
		ch->aead = NULL;
		goto err_free;
	}
	return 0;

err_free:
	kfree(ch->resp);
	kfree(ch->msg);
	mutex_destroy(&ch->lock);
	return ret;
}

/**
 * vhsm_snp_msg_destroy() - tear a channel down, leaving the VMPCK safe to reuse
 * @ch: the channel
 *
 * The VMPCK and its sequence number outlive the channel (the secrets page
 * does): whoever uses them next, vhsm loaded again or sev-guest, sends its
 * first message under the stored sequence number + 1. A request still
 * pending here (given up while the host was busy, or its task killed) was
 * handed to the host under exactly that number, so a new message there
 * would reuse the GCM IV with another plaintext. It is therefore sent once
 * more, byte for byte, within the transport's usual retry bound; if the
 * firmware still does not answer, or this task is killed, the VMPCK is wiped.
 *
 * Context: sleeps, up to the transport's busy-retry bound.
 */
void vhsm_snp_msg_destroy(struct vhsm_snp_channel *ch)
{
	int ret;

	mutex_lock(&ch->lock);
	if (ch->pending && !ch->dead) {
		ret = flush_pending(ch);
		if (ret == -ETIMEDOUT || ret == -EINTR)
			channel_wipe(ch, "a request is still pending at unload");
	}
	mutex_unlock(&ch->lock);

	vhsm_snp_msg_aead_free(ch->aead);
	kfree_sensitive(ch->resp);
	kfree_sensitive(ch->msg);
	mutex_destroy(&ch->lock);
	memset(ch, 0, sizeof(*ch));
}
