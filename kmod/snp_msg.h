/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SNP guest messages (SEV-SNP firmware ABI, "SNP_GUEST_REQUEST"): a 0x60-byte
 * header followed by a payload encrypted with AES-256-GCM under a VMPCK. The
 * layout is defined here, not taken from <asm/sev.h>, so that the simulated
 * AMD-SP builds on any kernel configuration; static_asserts pin it.
 *
 * A channel owns one VMPCK and its sequence number. It encrypts a request,
 * hands it to a transport (the real GHCB call, or the simulator), resends the
 * identical ciphertext while the transport says busy, then checks and
 * decrypts the response. Any failure after a message has reached the
 * transport that could leave the guest and the firmware disagreeing about the
 * sequence number wipes the VMPCK: a fresh message under a reused sequence
 * number would reuse the GCM IV.
 */
#ifndef _VHSM_SNP_MSG_H
#define _VHSM_SNP_MSG_H

#include <linux/mutex.h>
#include <linux/types.h>

struct aead_request;

#define VHSM_SNP_VMPCK_LEN	32
#define VHSM_SNP_AUTHTAG_LEN	16
#define VHSM_SNP_HDR_LEN	0x60
#define VHSM_SNP_AAD_OFFSET	0x30
#define VHSM_SNP_AAD_LEN	(VHSM_SNP_HDR_LEN - VHSM_SNP_AAD_OFFSET)
#define VHSM_SNP_MSG_LEN	4096	/* one page: header + payload */
#define VHSM_SNP_PAYLOAD_MAX	(VHSM_SNP_MSG_LEN - VHSM_SNP_HDR_LEN)

#define VHSM_SNP_ALGO_AES_256_GCM	1
#define VHSM_SNP_HDR_VERSION		1

/* Message types (SNP ABI, table "Message Type Encodings") */
#define VHSM_SNP_MSG_KEY_REQ		3
#define VHSM_SNP_MSG_KEY_RSP		4
#define VHSM_SNP_MSG_REPORT_REQ		5
#define VHSM_SNP_MSG_REPORT_RSP		6

/* Firmware status codes the simulator answers with (SEV ABI) */
#define VHSM_SNP_STATUS_SUCCESS		0x00
#define VHSM_SNP_STATUS_INVALID_PARAM	0x16
#define VHSM_SNP_STATUS_INVALID_KEY	0x27
#define VHSM_SNP_STATUS_AEAD_OFLOW	0x26	/* used for "bad message" */

/* exitinfo2 of SNP_GUEST_REQUEST: VMM error in the high 32 bits */
#define VHSM_SNP_VMM_ERR_SHIFT		32
#define VHSM_SNP_VMM_ERR_INVALID_LEN	1
#define VHSM_SNP_VMM_ERR_BUSY		2

/* The message header, SNP ABI "Message header format" (little-endian). */
struct vhsm_snp_msg_hdr {
	u8 authtag[32];		/* 0x00: GCM tag in the first 16 bytes */
	__le64 msg_seqno;	/* 0x20 */
	u8 rsvd1[8];		/* 0x28 */
	u8 algo;		/* 0x30: AAD starts here */
	u8 hdr_version;		/* 0x31 */
	__le16 hdr_sz;		/* 0x32 */
	u8 msg_type;		/* 0x34 */
	u8 msg_version;		/* 0x35 */
	__le16 msg_sz;		/* 0x36 */
	__le32 rsvd2;		/* 0x38 */
	u8 msg_vmpck;		/* 0x3c */
	u8 rsvd3[35];		/* 0x3d..0x5f */
} __packed;

struct vhsm_snp_msg {
	struct vhsm_snp_msg_hdr hdr;
	u8 payload[VHSM_SNP_PAYLOAD_MAX];
} __packed;

/**
 * struct vhsm_snp_xfer - one exchange with the transport
 * @req:          the encrypted request message (header + ciphertext + tag)
 * @req_len:      its length
 * @resp:         [out] the response message, in private memory
 * @resp_cap:     bytes available at @resp (VHSM_SNP_MSG_LEN)
 * @certs:        Optional: buffer for the host's certificate table (extended
 *                request); NULL for a plain request
 * @certs_cap:    bytes available at @certs
 * @certs_needed: [out] with @certs: bytes the host wanted when it answered
 *                that @certs_cap was too small (the request was then sent
 *                again without certificates; 0 otherwise)
 * @exitinfo2:    [out] firmware status (low 32 bits) and VMM error (high)
 */
struct vhsm_snp_xfer {
	const void *req;
	size_t req_len;
	void *resp;
	size_t resp_cap;
	void *certs;
	size_t certs_cap;
	size_t certs_needed;
	u64 exitinfo2;
};

/**
 * struct vhsm_snp_transport - how an encrypted message reaches the AMD-SP
 * @send:          deliver @x->req and fill @x->resp. Return 0 when the
 *                 firmware answered, -EAGAIN when the host is busy (the
 *                 channel then sends the identical bytes again), or another
 *                 -errno with @x->exitinfo2 set. Called with the channel
 *                 mutex held; may sleep.
 * @retries:       how many times a busy request is sent again
 * @retry_delay_ms: pause before each resend
 */
struct vhsm_snp_transport {
	int (*send)(void *ctx, struct vhsm_snp_xfer *x);
	unsigned int retries;
	unsigned int retry_delay_ms;
};

/**
 * struct vhsm_snp_msg_stats - what the channel has done (for tests)
 * @round_trips: requests answered by the firmware
 * @busy:        busy answers from the transport
 * @resent:      identical resends (after busy, or of a pending request)
 * @timeouts:    requests given up because the host stayed busy
 * @decrypt_errors: responses lost to a local crypto failure (VMPCK kept)
 * @seqno:       the stored sequence number (the last response's seqno)
 * @wiped:       the VMPCK has been wiped
 */
struct vhsm_snp_msg_stats {
	u64 round_trips;
	u64 busy;
	u64 resent;
	u64 timeouts;
	u64 decrypt_errors;
	u32 seqno;
	bool wiped;
};

/**
 * struct vhsm_snp_channel - a VMPCK and the state that goes with it
 * @lock:       serialises every request and every access to the fields below;
 *              the transport is called with it held
 * @tp:         the transport
 * @tp_ctx:     its context
 * @aead:       gcm(aes) keyed with the VMPCK, with the one request every
 *              message uses (allocated at init: the request path allocates
 *              nothing); NULL once wiped
 * @vmpck:      the key where it lives (the secrets page, or the simulator's
 *              stand-in for it); zeroed by a wipe
 * @seqno:      the stored sequence number, also where it lives: the next
 *              request uses *@seqno + 1, the response carries *@seqno + 2,
 *              and a completed round trip adds 2
 * @vmpck_id:   0..3, written into every header
 * @dead:       wiped: every request fails with -ENOTRECOVERABLE
 * @pending:    @msg holds a request that the host kept busy until we gave up;
 *              it is sent again (identical bytes) before any new request
 * @pending_len: its length
 * @msg:        private copy of the request being sent
 * @resp:       private copy of the response
 * @stats:      counters
 */
struct vhsm_snp_channel {
	struct mutex lock;		/* see @lock above */
	const struct vhsm_snp_transport *tp;
	void *tp_ctx;
	struct aead_request *aead;
	u8 *vmpck;
	u32 *seqno;
	u8 vmpck_id;
	bool dead;
	bool pending;
	size_t pending_len;
	struct vhsm_snp_msg *msg;
	struct vhsm_snp_msg *resp;
	struct vhsm_snp_msg_stats stats;
};

/**
 * struct vhsm_snp_request - one request and what reads its answer
 * @type:      VHSM_SNP_MSG_*_REQ
 * @version:   message version (1)
 * @req:       plaintext request payload
 * @req_len:   its length
 * @parse:     reads the decrypted response payload (@len bytes, at most
 *             VHSM_SNP_PAYLOAD_MAX: a response page, as sev-guest receives
 *             it) where it lies in the channel's private page; called with
 *             the channel lock held, must not sleep; the payload is wiped
 *             after. Returns 0 or -errno (typically -EIO: a firmware STATUS
 *             or a size it does not understand); the channel stays in step
 *             either way.
 * @ctx:       passed to @parse
 * @certs:     Optional: see struct vhsm_snp_xfer
 * @certs_cap: see struct vhsm_snp_xfer
 * @certs_needed: see struct vhsm_snp_xfer
 * @exitinfo2: [out] see struct vhsm_snp_xfer
 */
struct vhsm_snp_request {
	u8 type;
	u8 version;
	const void *req;
	size_t req_len;
	int (*parse)(void *ctx, const void *resp, size_t len);
	void *ctx;
	void *certs;
	size_t certs_cap;
	size_t certs_needed;
	u64 exitinfo2;
};

int vhsm_snp_msg_init(struct vhsm_snp_channel *ch, const struct vhsm_snp_transport *tp,
		      void *tp_ctx, u8 *vmpck, u32 *seqno, u8 vmpck_id);
void vhsm_snp_msg_destroy(struct vhsm_snp_channel *ch);
int vhsm_snp_msg_send(struct vhsm_snp_channel *ch, struct vhsm_snp_request *r);
void vhsm_snp_msg_get_stats(struct vhsm_snp_channel *ch, struct vhsm_snp_msg_stats *st);

/* Shared with the simulated AMD-SP: the message crypto, both directions. */
struct aead_request *vhsm_snp_msg_aead_alloc(const u8 *key);
void vhsm_snp_msg_aead_free(struct aead_request *aead);
int vhsm_snp_msg_seal(struct aead_request *aead, struct vhsm_snp_msg *msg,
		      const void *plain, size_t len);
int vhsm_snp_msg_open(struct aead_request *aead, struct vhsm_snp_msg *msg);
void vhsm_snp_msg_hdr_init(struct vhsm_snp_msg_hdr *hdr, u8 type, u8 version,
			   u64 seqno, u8 vmpck_id, size_t len);

#endif /* _VHSM_SNP_MSG_H */
