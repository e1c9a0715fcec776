// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the simulated AMD-SP answers: ATTESTATION_REPORTs signed with a VCEK
 * and keys derived from the chip secret.
 *
 * Everything comes from the chip secret (a module parameter with a fixed,
 * well-known default, so that a test CA can certify a stable VCEK):
 *   VCEK     = HKDF-SHA384(salt "vhsm-sim vcek", chip secret,
 *                          "vcek" || REPORTED_TCB (le64) || counter), 48 bytes,
 *              the first counter (0, 1, ...) giving a valid P-384 scalar
 *   CHIP_ID  = HKDF-SHA384(salt "vhsm-sim chip id", chip secret, "chip id"),
 *              64 bytes; Turin keeps the first 8 and zeroes the rest
 *   key      = HKDF-SHA384(salt "vhsm-sim vcek root", chip secret, info), 32
 *              bytes, info = struct kdf_info below: root key select, VMPL,
 *              GUEST_FIELD_SELECT and each selected field (zeros otherwise)
 * The sim has no migration agent, so VMRK requests fail (INVALID_KEY).
 * None of this is AMD's derivation; it only has the same inputs.
 */
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/vhsm.h>
#include <crypto/hash.h>

#include "ecc.h"
#include "hkdf.h"
#include "sim_sp.h"
#include "snp_abi.h"

#define VCEK_TRIES	16

struct product_info {
	u8 fam, mod, step;
	bool chip_id_8;
};

static const struct product_info products[] = {
	[VHSM_SIM_MILAN] = { 0x19, 0x01, 0x01, false },	/* Milan B1 */
	[VHSM_SIM_GENOA] = { 0x19, 0x11, 0x01, false },	/* Genoa B1 */
	[VHSM_SIM_TURIN] = { 0x1a, 0x02, 0x01, true },	/* Turin */
};

/* the firmware version the sim claims: 1.55 build 21 */
#define FW_MAJOR	1
#define FW_MINOR	55
#define FW_BUILD	21

struct vcek_info {
	char label[4];
	__le64 tcb;
	u8 counter;
} __packed;

struct kdf_info {
	char label[20];
	__le32 root_key_select;
	__le32 vmpl;
	__le64 guest_field_select;
	__le64 policy;
	u8 image_id[16];
	u8 family_id[16];
	u8 measurement[48];
	__le32 guest_svn;
	__le64 tcb_version;
} __packed;

static int hkdf384(const char *salt, const u8 *ikm, const void *info, size_t info_len,
		   u8 *out, size_t len)
{
	return vhsm_hkdf("hmac(sha384)", salt, strlen(salt), ikm,
			 VHSM_SIM_CHIP_SECRET_LEN, info, info_len, out, len);
}

static int derive_vcek(struct vhsm_sim_sp *sp)
{
	struct vcek_info info = { .label = "vcek", .tcb = cpu_to_le64(sp->cfg.reported_tcb) };
	int ret;

	for (info.counter = 0; info.counter < VCEK_TRIES; info.counter++) {
		ret = hkdf384("vhsm-sim vcek", sp->cfg.chip_secret, &info, sizeof(info),
			      sp->vcek_priv, sizeof(sp->vcek_priv));
		if (ret)
			return ret;
		if (!vhsm_ecc_check_private(VHSM_ECC_P384, sp->vcek_priv))
			return vhsm_ecc_public(VHSM_ECC_P384, sp->vcek_priv, sp->vcek_pub);
	}
	return -EIO;
}

/**
 * vhsm_sim_report_keys() - derive the VCEK and CHIP_ID, pick a REPORT_ID
 * @sp: the AMD-SP; @sp->cfg set
 *
 * Return: 0 or -errno.
 */
int vhsm_sim_report_keys(struct vhsm_sim_sp *sp)
{
	static const char chip_info[] = "chip id";
	int ret;

	ret = derive_vcek(sp);
	if (ret)
		return ret;
	ret = hkdf384("vhsm-sim chip id", sp->cfg.chip_secret, chip_info,
		      sizeof(chip_info) - 1, sp->chip_id, sizeof(sp->chip_id));
	if (ret)
		return ret;
	if (products[sp->cfg.product].chip_id_8)
		memset(sp->chip_id + 8, 0, sizeof(sp->chip_id) - 8);
	get_random_bytes(sp->report_id, sizeof(sp->report_id));
	return 0;
}

/* a <= b in every one of the eight TCB bytes (both layouts) */
bool vhsm_sim_tcb_le(u64 a, u64 b)
{
	int i;

	for (i = 0; i < 64; i += 8)
		if (((a >> i) & 0xff) > ((b >> i) & 0xff))
			return false;
	return true;
}

static void fill_report(const struct vhsm_sim_sp *sp, const struct vhsm_snp_report_req *req,
			struct vhsm_snp_report *rep)
{
	const struct vhsm_sim_config *c = &sp->cfg;
	const struct product_info *p = &products[c->product];

	memset(rep, 0, sizeof(*rep));
	rep->version = cpu_to_le32(c->version);
	rep->guest_svn = cpu_to_le32(c->guest_svn);
	rep->policy = cpu_to_le64(c->policy);
	memcpy(rep->family_id, c->family_id, sizeof(rep->family_id));
	memcpy(rep->image_id, c->image_id, sizeof(rep->image_id));
	rep->vmpl = req->vmpl;
	rep->signature_algo = cpu_to_le32(VHSM_SNP_SIG_ALGO_ECDSA_P384);
	rep->current_tcb = cpu_to_le64(c->current_tcb);
	rep->platform_info = cpu_to_le64(c->policy & VHSM_SNP_POLICY_SMT ?
					 VHSM_SNP_PLATFORM_SMT_EN : 0);
	rep->key_info = 0;	/* no author key, chip key not masked, VCEK */
	memcpy(rep->report_data, req->report_data, sizeof(rep->report_data));
	memcpy(rep->measurement, c->measurement, sizeof(rep->measurement));
	memcpy(rep->host_data, c->host_data, sizeof(rep->host_data));
	memcpy(rep->report_id, sp->report_id, sizeof(rep->report_id));
	memset(rep->report_id_ma, 0xff, sizeof(rep->report_id_ma));	/* no MA */
	rep->reported_tcb = cpu_to_le64(c->reported_tcb);
	rep->cpuid_fam_id = p->fam;
	rep->cpuid_mod_id = p->mod;
	rep->cpuid_step = p->step;
	memcpy(rep->chip_id, sp->chip_id, sizeof(rep->chip_id));
	rep->committed_tcb = cpu_to_le64(c->committed_tcb);
	rep->current_build = FW_BUILD;
	rep->current_minor = FW_MINOR;
	rep->current_major = FW_MAJOR;
	rep->committed_build = FW_BUILD;
	rep->committed_minor = FW_MINOR;
	rep->committed_major = FW_MAJOR;
	rep->launch_tcb = cpu_to_le64(c->launch_tcb);
	if (c->version >= 5) {
		rep->launch_mit_vector = cpu_to_le64(c->launch_mit);
		rep->current_mit_vector = cpu_to_le64(c->current_mit);
	}
}

/* SHA-384 over 0x000-0x29f, ECDSA P-384, R and S little-endian in 72 bytes */
static int sign_report(const struct vhsm_sim_sp *sp, struct vhsm_snp_report *rep)
{
	u8 digest[48], sig[2 * VHSM_SIM_VCEK_LEN];
	struct crypto_shash *sha;
	int i, ret;

	sha = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(sha))
		return PTR_ERR(sha);
	ret = crypto_shash_tfm_digest(sha, (const u8 *)rep, VHSM_SNP_REPORT_SIGNED_LEN, digest);
	crypto_free_shash(sha);
	if (!ret)
		ret = vhsm_ecc_sign(VHSM_ECC_P384, sp->vcek_priv, digest, sizeof(digest), sig);
	if (ret)
		return ret;
	for (i = 0; i < VHSM_SIM_VCEK_LEN; i++) {
		rep->sig_r[i] = sig[VHSM_SIM_VCEK_LEN - 1 - i];
		rep->sig_s[i] = sig[2 * VHSM_SIM_VCEK_LEN - 1 - i];
	}
	return 0;
}

static bool report_req_valid(const struct vhsm_sim_sp *sp, const struct vhsm_snp_report_req *req)
{
	u32 vmpl = le32_to_cpu(req->vmpl);

	if (vmpl > 3 || vmpl < sp->cfg.vmpl)
		return false;
	/* KEY_SEL (byte 0x44, bits 1:0): 0 default or 1 VCEK; no VLEK here */
	if (req->rsvd[0] > 1 || memchr_inv(req->rsvd + 1, 0, sizeof(req->rsvd) - 1))
		return false;
	return true;
}

/**
 * vhsm_sim_report_build() - answer a MSG_REPORT_REQ payload
 * @sp:       the AMD-SP; caller holds @sp->lock
 * @req:      the decrypted request payload
 * @req_len:  its length
 * @resp:     [out] the MSG_REPORT_RSP payload (room for its full size)
 * @resp_len: [out] its length
 *
 * Return: 0 (the firmware's STATUS is in @resp) or -errno (internal error).
 */
int vhsm_sim_report_build(struct vhsm_sim_sp *sp, const void *req, size_t req_len,
			  void *resp, size_t *resp_len)
{
	struct vhsm_snp_report_resp *rsp = resp;

	lockdep_assert_held(&sp->lock);
	memset(rsp, 0, sizeof(*rsp));
	*resp_len = sizeof(*rsp);
	if (req_len != sizeof(struct vhsm_snp_report_req) || !report_req_valid(sp, req)) {
		rsp->status = cpu_to_le32(VHSM_SNP_STATUS_INVALID_PARAM);
		return 0;
	}
	rsp->report_size = cpu_to_le32(sizeof(rsp->report));
	fill_report(sp, req, &rsp->report);
	return sign_report(sp, &rsp->report);
}

static u32 key_req_status(const struct vhsm_sim_sp *sp, const struct vhsm_snp_key_req *req)
{
	u32 root = le32_to_cpu(req->root_key_select);
	u32 vmpl = le32_to_cpu(req->vmpl);

	if (root & ~1U || req->rsvd ||
	    le64_to_cpu(req->guest_field_select) & ~VHSM_FIELD_ALL)
		return VHSM_SNP_STATUS_INVALID_PARAM;
	if (vmpl > 3 || vmpl < sp->cfg.vmpl)
		return VHSM_SNP_STATUS_INVALID_PARAM;
	if (le32_to_cpu(req->guest_svn) > sp->cfg.guest_svn)
		return VHSM_SNP_STATUS_INVALID_PARAM;
	if (!vhsm_sim_tcb_le(le64_to_cpu(req->tcb_version), sp->cfg.committed_tcb))
		return VHSM_SNP_STATUS_INVALID_PARAM;
	if (root)	/* VMRK: the sim has no migration agent */
		return VHSM_SNP_STATUS_INVALID_KEY;
	return VHSM_SNP_STATUS_SUCCESS;
}

static void fill_kdf_info(const struct vhsm_sim_sp *sp, const struct vhsm_snp_key_req *req,
			  struct kdf_info *info)
{
	const struct vhsm_sim_config *c = &sp->cfg;
	u64 sel = le64_to_cpu(req->guest_field_select);

	memset(info, 0, sizeof(*info));
	memcpy(info->label, "vhsm-sim derived key", sizeof(info->label));
	info->root_key_select = req->root_key_select;
	info->vmpl = req->vmpl;
	info->guest_field_select = req->guest_field_select;
	if (sel & VHSM_FIELD_POLICY)
		info->policy = cpu_to_le64(c->policy);
	if (sel & VHSM_FIELD_IMAGE_ID)
		memcpy(info->image_id, c->image_id, sizeof(info->image_id));
	if (sel & VHSM_FIELD_FAMILY_ID)
		memcpy(info->family_id, c->family_id, sizeof(info->family_id));
	if (sel & VHSM_FIELD_MEASUREMENT)
		memcpy(info->measurement, c->measurement, sizeof(info->measurement));
	if (sel & VHSM_FIELD_GUEST_SVN)
		info->guest_svn = req->guest_svn;
	if (sel & VHSM_FIELD_TCB_VERSION)
		info->tcb_version = req->tcb_version;
}

/**
 * vhsm_sim_report_derive_key() - answer a MSG_KEY_REQ payload
 * @sp:       the AMD-SP; caller holds @sp->lock
 * @req:      the decrypted request payload
 * @req_len:  its length
 * @resp:     [out] the MSG_KEY_RSP payload
 * @resp_len: [out] its length
 *
 * Return: 0 (the firmware's STATUS is in @resp) or -errno (internal error).
 */
int vhsm_sim_report_derive_key(struct vhsm_sim_sp *sp, const void *req, size_t req_len,
			       void *resp, size_t *resp_len)
{
	struct vhsm_snp_key_resp *rsp = resp;
	struct kdf_info info;
	u32 status;
	int ret;

	lockdep_assert_held(&sp->lock);
	memset(rsp, 0, sizeof(*rsp));
	*resp_len = sizeof(*rsp);
	status = req_len == sizeof(struct vhsm_snp_key_req) ?
		 key_req_status(sp, req) : VHSM_SNP_STATUS_INVALID_PARAM;
	if (status) {
		rsp->status = cpu_to_le32(status);
		return 0;
	}
	fill_kdf_info(sp, req, &info);
	ret = hkdf384("vhsm-sim vcek root", sp->cfg.chip_secret, &info, sizeof(info),
		      rsp->key, sizeof(rsp->key));
	memzero_explicit(&info, sizeof(info));
	return ret;
}
