/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What differs between the kernels vhsm builds for, in one place.
 *
 * vhsm is written against 6.12 (Debian 12's bookworm-security kernel) and is
 * built against 6.1 (Debian 12's default), 6.8 (Ubuntu 24.04's line), 6.12,
 * 6.14, 6.18 and 7.1 (README: "Supported kernels"); releases in between are
 * not compiled here. Each entry below names
 * what changed and takes the form the kernel at hand has; where a kernel lacks
 * a feature altogether the VHSM_HAVE_* switch is 0 and the code that needs it
 * refuses with a message (and its VHSM_CAP_* bit is clear in VHSM_IOC_INFO)
 * instead of being built.
 *
 * (No __has_include: sparse 0.6.4 cannot parse it.) Version boundaries are the release
 * that brought the change where it is known; where it is not, the first
 * release among the ones above that has it, so a release in between may go
 * without a feature it has, but never fails to build for one it lacks.
 * Releases other than those above are not compiled here.
 */
#ifndef _VHSM_COMPAT_H
#define _VHSM_COMPAT_H

#include <linux/printk.h>
#include <linux/types.h>
#include <linux/version.h>
#include <linux/vhsm.h>

/* get_unaligned_*(): <asm/unaligned.h> became <linux/unaligned.h> in 6.12 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* hex2bin(), bin2hex(): <linux/hex.h> (6.8 has it, 6.1 not), kernel.h before */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#include <linux/hex.h>
#else
#include <linux/kernel.h>
#endif

/* struct device_type.devnode takes a const struct device since 6.2 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VHSM_DEVNODE_CONST const
#else
#define VHSM_DEVNODE_CONST
#endif

/* class_register() and struct device.class take a const struct class since 6.4 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define VHSM_CLASS_CONST const
#else
#define VHSM_CLASS_CONST
#endif

/*
 * key_create(): a key that never replaces one of the same description (6.8
 * has it, 6.1 not). Without it keyring export is refused: add_key(2)'s
 * key_create_or_update() would overwrite the caller's existing key.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define VHSM_HAVE_KEY_CREATE 1
#else
#define VHSM_HAVE_KEY_CREATE 0
#endif

/*
 * The skcipher template's view of the wrapped algorithm: struct
 * skcipher_alg_common since 6.7 (6.8 verified), struct skcipher_alg before;
 * both have the base, ivsize and chunksize the template copies.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define vhsm_skcipher_alg_common skcipher_alg_common
#define vhsm_spawn_skcipher_alg_common crypto_spawn_skcipher_alg_common
#else
#define vhsm_skcipher_alg_common skcipher_alg
#define vhsm_spawn_skcipher_alg_common crypto_spawn_skcipher_alg
#endif

/*
 * Big-endian bytes to the ECC digit order: ecc_digits_from_bytes() since
 * 6.10 (for P-521's partial digit). vhsm's curves, P-256 and P-384, fill
 * whole digits, where ecc_swap_digits() (6.1 and later) does the same.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define vhsm_ecc_digits_from_bytes ecc_digits_from_bytes
#else
#define vhsm_ecc_digits_from_bytes(in, nbytes, out, ndigits) \
	ecc_swap_digits(in, out, ndigits)
#endif

/*
 * crypto_ecdh_shared_secret() (and ecc_make_pub_key()) took the private scalar
 * as big-endian bytes in u64 words (6.1 and 6.8 swap it on entry) before
 * 6.10, native digits since (6.12 and 6.14 use it as given).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define VHSM_ECC_LIB_PRIV_BE 0
#else
#define VHSM_ECC_LIB_PRIV_BE 1
#endif

/*
 * SLAB_NO_MERGE (6.5; 6.8 has it, 6.1 not): without it the key caches may
 * be merged with another cache of the same size, so key material can share
 * slab pages with other kernel objects (README "Supported kernels").
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define VHSM_SLAB_NO_MERGE SLAB_NO_MERGE
#else
#define VHSM_SLAB_NO_MERGE 0
#endif

/*
 * The SHA-256 library's incremental state: struct sha256_state until 6.16,
 * struct sha256_ctx from 6.17 (same sha256_init/update/final names).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define vhsm_sha256_ctx sha256_ctx
#else
#define vhsm_sha256_ctx sha256_state
#endif

/*
 * The AES library: aes_decrypt() takes a struct aes_key prepared by
 * aes_preparekey() in 7.1 (the release that changed it, after 6.18, is not
 * checked here); before, a struct crypto_aes_ctx from aes_expandkey().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
#define vhsm_aes_key aes_key
#define vhsm_aes_preparekey aes_preparekey
#else
#define vhsm_aes_key crypto_aes_ctx
#define vhsm_aes_preparekey aes_expandkey
#endif

/*
 * struct public_key_signature (asymmetric keys' verify_signature): the digest
 * became "m", m_size, with algo_takes_data for algorithms that sign the data
 * itself, by 7.1 (the release that changed it, after 6.18, is not checked).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
#define vhsm_sig_digest(sig)		((sig)->m)
#define vhsm_sig_digest_size(sig)	((sig)->m_size)
#define vhsm_sig_takes_data(sig)	((sig)->algo_takes_data)
#else
#define vhsm_sig_digest(sig)		((sig)->digest)
#define vhsm_sig_digest_size(sig)	((sig)->digest_size)
#define vhsm_sig_takes_data(sig)	false
#endif

/*
 * struct crypto_shash lost its per-transform descsize (6.14 has it, 6.18
 * not; 6.15 or 6.16 removed it): a descriptor is then sized by the
 * algorithm alone, which for the hash template is the wrapped algorithm's
 * size already (template_hash.c).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
#define VHSM_HAVE_SHASH_TFM_DESCSIZE 0
#else
#define VHSM_HAVE_SHASH_TFM_DESCSIZE 1
#endif

/*
 * SEV-SNP guest (platform_snp.c, the 6.12 branch, which also serves older
 * kernels): 6.12 names the secrets page struct snp_secrets_page and exports
 * snp_vmpl, the guest's VMPL (SVSM support). 6.1 and 6.8 have the same
 * layout as struct snp_secrets_page_layout and no SVSM: a guest runs at
 * VMPL 0. The message structs sev-guest uses became public with them.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define vhsm_snp_secrets_page snp_secrets_page
#define vhsm_snp_vmpl() ((int)snp_vmpl)
#define VHSM_HAVE_SNP_MSG_STRUCTS 1
#else
#define vhsm_snp_secrets_page snp_secrets_page_layout
#define vhsm_snp_vmpl() 0
#define VHSM_HAVE_SNP_MSG_STRUCTS 0
#endif

/* VHSM_IOC_INFO: the capabilities that depend on the kernel vhsm runs on */
static inline __u64 vhsm_compat_caps(void)
{
	return VHSM_HAVE_KEY_CREATE ? VHSM_CAP_KEYRING_EXPORT : 0;
}

/* At load: what this kernel lacks, once, in words (main.c) */
static inline void vhsm_compat_report(void)
{
	if (!VHSM_HAVE_KEY_CREATE)
		pr_info("this kernel has no key_create(): exporting keys to kernel keyrings is refused (-EOPNOTSUPP; no keyring-export capability)\n");
}

#endif /* _VHSM_COMPAT_H */
