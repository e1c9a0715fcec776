/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV-SNP firmware ABI structures carried in guest messages (AMD 56860):
 * MSG_REPORT_REQ/RSP, MSG_KEY_REQ/RSP and the ATTESTATION_REPORT. All
 * little-endian; static_asserts in snp_req.c pin every offset.
 */
#ifndef _VHSM_SNP_ABI_H
#define _VHSM_SNP_ABI_H

#include <linux/types.h>

#define VHSM_SNP_REPORT_SIZE		0x4A0

/*
 * Response payloads are received into room this large, as sev-guest's are
 * (struct snp_report_resp): all a response page holds after the header (on
 * 6.12, the channel's own page; on 6.14+, vhsm's buffers for the kernel). A
 * firmware answer longer than vhsm understands then still decrypts, and is
 * refused (-EIO) without losing the VMPCK.
 */
#define VHSM_SNP_RESP_MAX		4000

/* The largest host certificate table vhsm accepts (sev-guest's bound). */
#define VHSM_SNP_CERTS_MAX		(16 * 1024)
#define VHSM_SNP_REPORT_SIGNED_LEN	0x2A0	/* bytes covered by the signature */
#define VHSM_SNP_SIG_FIELD_LEN		72	/* R and S, little-endian, zero-extended */
#define VHSM_SNP_SIG_ALGO_ECDSA_P384	1

/* MSG_REPORT_REQ, message version 1: 0x60 bytes */
struct vhsm_snp_report_req {
	u8 report_data[64];
	__le32 vmpl;
	u8 rsvd[28];		/* newer ABIs: KEY_SEL in bits 1:0 of byte 0x44 */
} __packed;

/* ATTESTATION_REPORT, versions 3 and 5 (v2 leaves 0x188-0x18a reserved) */
struct vhsm_snp_report {
	__le32 version;			/* 0x000 */
	__le32 guest_svn;		/* 0x004 */
	__le64 policy;			/* 0x008 */
	u8 family_id[16];		/* 0x010 */
	u8 image_id[16];		/* 0x020 */
	__le32 vmpl;			/* 0x030 */
	__le32 signature_algo;		/* 0x034 */
	__le64 current_tcb;		/* 0x038 */
	__le64 platform_info;		/* 0x040 */
	__le32 key_info;		/* 0x048: author_key_en, mask_chip_key, signing_key */
	__le32 rsvd1;			/* 0x04c */
	u8 report_data[64];		/* 0x050 */
	u8 measurement[48];		/* 0x090 */
	u8 host_data[32];		/* 0x0c0 */
	u8 id_key_digest[48];		/* 0x0e0 */
	u8 author_key_digest[48];	/* 0x110 */
	u8 report_id[32];		/* 0x140 */
	u8 report_id_ma[32];		/* 0x160 */
	__le64 reported_tcb;		/* 0x180 */
	u8 cpuid_fam_id;		/* 0x188 */
	u8 cpuid_mod_id;		/* 0x189 */
	u8 cpuid_step;			/* 0x18a */
	u8 rsvd2[21];			/* 0x18b */
	u8 chip_id[64];			/* 0x1a0 */
	__le64 committed_tcb;		/* 0x1e0 */
	u8 current_build;		/* 0x1e8 */
	u8 current_minor;
	u8 current_major;
	u8 rsvd3;
	u8 committed_build;		/* 0x1ec */
	u8 committed_minor;
	u8 committed_major;
	u8 rsvd4;
	__le64 launch_tcb;		/* 0x1f0 */
	__le64 launch_mit_vector;	/* 0x1f8: v5 only */
	__le64 current_mit_vector;	/* 0x200: v5 only */
	u8 rsvd5[152];			/* 0x208 */
	u8 sig_r[VHSM_SNP_SIG_FIELD_LEN];	/* 0x2a0 */
	u8 sig_s[VHSM_SNP_SIG_FIELD_LEN];	/* 0x2e8 */
	u8 sig_rsvd[368];		/* 0x330 */
} __packed;

/* MSG_REPORT_RSP: 0x20-byte header, then the report */
struct vhsm_snp_report_resp {
	__le32 status;
	__le32 report_size;
	u8 rsvd[24];
	struct vhsm_snp_report report;
} __packed;

/* MSG_KEY_REQ, message version 1: 0x20 bytes */
struct vhsm_snp_key_req {
	__le32 root_key_select;		/* bit 0: 0 VCEK, 1 VMRK; rest MBZ */
	__le32 rsvd;
	__le64 guest_field_select;	/* VHSM_FIELD_* bits; 63:6 MBZ */
	__le32 vmpl;
	__le32 guest_svn;
	__le64 tcb_version;
} __packed;

#define VHSM_SNP_KEY_LEN	32

/* MSG_KEY_RSP: 0x40 bytes */
struct vhsm_snp_key_resp {
	__le32 status;
	u8 rsvd[28];
	u8 key[VHSM_SNP_KEY_LEN];
} __packed;

/* Certificate table entry (extended guest request) */
struct vhsm_snp_cert_entry {
	u8 guid[16];
	__le32 offset;
	__le32 length;
} __packed;

/* GUEST POLICY bits used here */
#define VHSM_SNP_POLICY_SMT		BIT_ULL(16)
#define VHSM_SNP_POLICY_RSVD1		BIT_ULL(17)	/* must be 1 */
#define VHSM_SNP_POLICY_DEBUG		BIT_ULL(19)
#define VHSM_SNP_POLICY_MBZ		GENMASK_ULL(63, 26)

#define VHSM_SNP_PLATFORM_SMT_EN	BIT_ULL(0)

#endif /* _VHSM_SNP_ABI_H */
