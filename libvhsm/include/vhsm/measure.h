/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vhsm/measure.h - expected SEV-SNP launch measurements and ID blocks.
 *
 * The AMD-SP computes a guest's MEASUREMENT (the launch digest) page by page
 * as the hypervisor hands it the initial memory: the firmware (OVMF) pages,
 * the pages OVMF's SEV metadata names (zero, secrets, CPUID, the kernel
 * hashes for measured direct boot), and one VMSA per vCPU. These functions
 * compute the same digest from the same inputs, so a verifier can pin it, and
 * build the ID block and its authentication structure that let the AMD-SP
 * refuse to launch any other image.
 *
 * The results agree with virtee's sev-snp-measure for the same inputs.
 * Firmware files are untrusted input: every offset is bounds-checked.
 * All functions return 0 or a negative errno and never print; those that take
 * an ERR buffer write a sentence saying what was wrong with the input.
 */
#ifndef VHSM_MEASURE_H
#define VHSM_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VHSM_LD_SIZE		48	/* SHA-384 launch digest */
#define VHSM_PAGE_SIZE		4096
#define VHSM_VMSA_SIZE		4096

/* Limits on the inputs (-EFBIG above). */
#define VHSM_OVMF_MAX		(128u << 20)	/* firmware image */
#define VHSM_BOOT_FILE_MAX	(4ull << 30)	/* kernel, initrd */
#define VHSM_CMDLINE_MAX	(64u << 10)	/* --append, without the NUL */
#define VHSM_VCPUS_MAX		4096
#define VHSM_OVMF_SECTIONS_MAX	64

/* SEV metadata section types (OVMF's OvmfSevMetadata, COCONUT-SVSM) */
enum vhsm_ovmf_section_type {
	VHSM_SECTION_SNP_SEC_MEM	= 1,	/* zero pages (unmeasured on GCE) */
	VHSM_SECTION_SNP_SECRETS	= 2,	/* the secrets page */
	VHSM_SECTION_CPUID		= 3,	/* the CPUID page */
	VHSM_SECTION_SVSM_CAA		= 4,	/* SVSM calling area: zero pages */
	VHSM_SECTION_SNP_KERNEL_HASHES	= 0x10,	/* SEV hashes table page */
};

struct vhsm_ovmf_section {
	uint32_t gpa;
	uint32_t size;
	uint32_t type;		/* enum vhsm_ovmf_section_type */
};

/**
 * struct vhsm_ovmf - what the GUIDed footer table of a firmware image says
 * @size:              bytes in the image
 * @has_reset_eip:     the SEV-ES reset block is present
 * @reset_eip:         its AP reset vector (OVMF), or the SVSM entry offset
 * @has_hashes_table:  the SEV hash table entry is present
 * @hashes_table_gpa:  where QEMU writes the kernel hashes table
 * @has_svsm_info:     the SVSM information entry is present
 * @svsm_entry:        its first u32: the SVSM entry point offset
 * @has_metadata:      the SEV metadata ("ASEV") is present
 * @n_sections, @sections: the metadata sections in file order
 */
struct vhsm_ovmf {
	size_t size;
	bool has_reset_eip;
	uint32_t reset_eip;
	bool has_hashes_table;
	uint32_t hashes_table_gpa;
	bool has_svsm_info;
	uint32_t svsm_entry;
	bool has_metadata;
	size_t n_sections;
	struct vhsm_ovmf_section sections[VHSM_OVMF_SECTIONS_MAX];
};

/**
 * vhsm_ovmf_parse() - parse the footer table and SEV metadata of an image
 * @fw, @len: the image (OVMF.fd, or an SVSM binary)
 * @out:      filled in
 * @err, @errlen: a sentence on failure (may be NULL)
 *
 * An image without the footer table parses to an empty @out (nothing
 * present); a footer table or metadata that is there but inconsistent is an
 * error. Return: 0; -EINVAL (corrupt or truncated table, metadata, duplicate
 * entry), -E2BIG (more than VHSM_OVMF_SECTIONS_MAX sections), -EFBIG.
 */
int vhsm_ovmf_parse(const uint8_t *fw, size_t len, struct vhsm_ovmf *out,
		    char *err, size_t errlen);

/* "SNP_SEC_MEM", "SNP_SECRETS", "CPUID", "SVSM_CAA", "SNP_KERNEL_HASHES" or NULL */
const char *vhsm_ovmf_section_name(uint32_t type);

enum vhsm_vmm_type {
	VHSM_VMM_QEMU = 1,
	VHSM_VMM_EC2 = 2,
	VHSM_VMM_GCE = 3,
};

/* "QEMU", "ec2", "gce" (sev-snp-measure's names) to a type; 0 or -EINVAL. */
int vhsm_vmm_type_parse(const char *name, enum vhsm_vmm_type *out);
const char *vhsm_vmm_type_name(enum vhsm_vmm_type t);

/* CPUID Fn0000_0001_EAX from family, model, stepping (AMD's encoding). */
uint32_t vhsm_vcpu_sig(unsigned int family, unsigned int model, unsigned int stepping);
/* A QEMU CPU model name ("EPYC-v4", "EPYC-Milan", ...) to its signature; 0 or -ENOENT. */
int vhsm_vcpu_type_sig(const char *name, uint32_t *sig);
/* The I-th known vCPU type name, NULL past the end. */
const char *vhsm_vcpu_type_name(size_t i);

/**
 * vhsm_vmsa_build() - the initial VMSA page of one vCPU
 * @page:     VHSM_VMSA_SIZE bytes, written
 * @eip:      reset vector: 0xfffffff0 for the BSP, the footer's for APs
 * @features: SEV_FEATURES (guest features)
 * @vcpu_sig: CPUID signature (RDX at reset; QEMU only)
 * @vmm:      hypervisor, whose reset state differs slightly
 * @svsm:     the COCONUT-SVSM entry state (flat 32-bit, @eip used as is)
 */
void vhsm_vmsa_build(uint8_t page[VHSM_VMSA_SIZE], uint32_t eip, uint64_t features,
		     uint32_t vcpu_sig, enum vhsm_vmm_type vmm, bool svsm);

#define VHSM_BSP_EIP	0xfffffff0u

/* SHA-256 of the kernel command line as QEMU hashes it: APPEND, then a NUL. */
int vhsm_measure_cmdline_hash(const char *append, uint8_t out[32]);
/* SHA-256 of a file, streamed; -EFBIG above MAX bytes, -errno on I/O errors. */
int vhsm_measure_file_hash(const char *path, uint64_t max, uint8_t out[32],
			   uint64_t *size);

enum vhsm_measure_mode {
	VHSM_MEASURE_SNP = 0,		/* OVMF (+ kernel hashes) + VMSAs */
	VHSM_MEASURE_SNP_SVSM,		/* OVMF + COCONUT-SVSM + SVSM VMSAs */
};

/**
 * struct vhsm_measure_in - the inputs of a launch
 * @mode:           SNP or SNP with COCONUT-SVSM
 * @ovmf, @ovmf_len: the firmware image (its footer table is always needed)
 * @ovmf_hash:      NULL, or the digest after the firmware pages (from
 *                  vhsm_measure_ovmf_hash()), used instead of hashing them
 * @kernel_hashes:  measured direct boot: @kernel_sha256, @initrd_sha256,
 *                  @cmdline_sha256 go into the SEV hashes table
 * @vcpus:          number of vCPUs, 1..VHSM_VCPUS_MAX
 * @vcpu_sig:       CPUID signature of the vCPU model
 * @vmm:            VHSM_VMM_*
 * @guest_features: SEV_FEATURES of every VMSA (SNP mode)
 * @svsm, @svsm_len: SNP_SVSM mode: the SVSM image
 * @vars_size:      SNP_SVSM mode: bytes of OVMF_VARS below the firmware
 */
struct vhsm_measure_in {
	enum vhsm_measure_mode mode;
	const uint8_t *ovmf;
	size_t ovmf_len;
	const uint8_t *ovmf_hash;
	bool kernel_hashes;
	uint8_t kernel_sha256[32];
	uint8_t initrd_sha256[32];
	uint8_t cmdline_sha256[32];
	unsigned int vcpus;
	uint32_t vcpu_sig;
	enum vhsm_vmm_type vmm;
	uint64_t guest_features;
	const uint8_t *svsm;
	size_t svsm_len;
	uint64_t vars_size;
};

/**
 * struct vhsm_measure_out - the launch digest and what went into it
 * @digest:       MEASUREMENT
 * @ovmf_hash:    the digest after the firmware pages (snp:ovmf-hash's value)
 * @bsp_vmsa, @ap_vmsa: SHA-384 of the BSP's and the APs' VMSA page
 *                (@ap_vmsa is zero with one vCPU)
 * @pages:        PAGE_INFO updates in all
 */
struct vhsm_measure_out {
	uint8_t digest[VHSM_LD_SIZE];
	uint8_t ovmf_hash[VHSM_LD_SIZE];
	uint8_t bsp_vmsa[VHSM_LD_SIZE];
	uint8_t ap_vmsa[VHSM_LD_SIZE];
	uint64_t pages;
};

/**
 * vhsm_measure_launch() - compute a guest's launch digest
 * @in:  inputs
 * @out: results
 * @err, @errlen: a sentence on failure (may be NULL)
 *
 * Return: 0; -EINVAL (bad arguments, corrupt firmware, an image size that is
 * not a whole number of pages), -ENOENT (a needed firmware table entry is
 * missing: the reset vector, the hash table; or kernel hashes asked of a
 * firmware without an SNP_KERNEL_HASHES section), -EFBIG, -ERANGE (too many
 * vCPUs), -EOPNOTSUPP (unknown section type), -ENOMEM.
 */
int vhsm_measure_launch(const struct vhsm_measure_in *in, struct vhsm_measure_out *out,
			char *err, size_t errlen);

/* The digest after the firmware pages alone (sev-snp-measure's snp:ovmf-hash). */
int vhsm_measure_ovmf_hash(const uint8_t *fw, size_t len, uint8_t out[VHSM_LD_SIZE],
			   char *err, size_t errlen);

/* ---- ID blocks ---- */

#define VHSM_ID_BLOCK_SIZE	0x60
#define VHSM_ID_AUTH_SIZE	0x1000
#define VHSM_ID_PUBKEY_SIZE	0x404
#define VHSM_ID_DEFAULT_POLICY	0x30000ull

/**
 * struct vhsm_id_block - the ID_BLOCK fields
 * @launch_digest: the expected MEASUREMENT
 * @family_id, @image_id: chosen by the image owner (reported back)
 * @guest_svn:     security version (reported back)
 * @policy:        the guest policy the launch must use
 */
struct vhsm_id_block {
	uint8_t launch_digest[VHSM_LD_SIZE];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t guest_svn;
	uint64_t policy;
};

/**
 * vhsm_id_block_build() - ID_BLOCK and ID_AUTH_INFO, signed
 * @blk:        fields
 * @id_key_pem, @id_key_len:         the ID key, a P-384 private key (PEM)
 * @author_key_pem, @author_key_len: the author key, likewise
 * @block:      VHSM_ID_BLOCK_SIZE bytes out
 * @auth:       VHSM_ID_AUTH_SIZE bytes out
 * @id_key_digest, @author_key_digest: SHA-384 of each key's 0x404-byte
 *              public key structure, as the report carries them
 * @err, @errlen: a sentence on failure (may be NULL)
 *
 * Return: 0; -EINVAL (not a P-384 private key, policy bit 17 clear), -ENOMEM,
 * -EIO (signing failed).
 */
int vhsm_id_block_build(const struct vhsm_id_block *blk,
			const char *id_key_pem, size_t id_key_len,
			const char *author_key_pem, size_t author_key_len,
			uint8_t block[VHSM_ID_BLOCK_SIZE], uint8_t auth[VHSM_ID_AUTH_SIZE],
			uint8_t id_key_digest[VHSM_LD_SIZE],
			uint8_t author_key_digest[VHSM_LD_SIZE],
			char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* VHSM_MEASURE_H */
