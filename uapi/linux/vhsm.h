/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vhsm — virtual HSM for AMD SEV-SNP guests: the userspace ABI of /dev/vhsm.
 *
 * Conventions shared by every ioctl
 * ---------------------------------
 * - Every argument struct starts with "__u32 size; __u32 flags;". The caller sets
 *   size to sizeof() of the struct it was compiled with. The kernel accepts any
 *   size from the struct's first published size (VHSM_*_SIZE_VER0) up to one page:
 *   a shorter struct than the kernel knows is zero-extended; a longer one is
 *   accepted only if every byte the kernel does not know is zero (-E2BIG
 *   otherwise). On return the kernel writes back min(size, its own size) bytes
 *   and sets size to the number of bytes it wrote.
 * - flags: each ioctl lists its flag bits and a *_FLAGS_ALL mask. Unknown bits
 *   give -EOPNOTSUPP.
 * - Fields named __reserved or __pad must be zero (-EINVAL otherwise).
 *   Padding is always explicit.
 * - User pointers travel as __u64; lengths as __u32.
 * - Errors common to every ioctl:
 *     -EFAULT      the argument (or a buffer it points to) is not readable or
 *                  writable memory
 *     -EINVAL      size below VHSM_*_SIZE_VER0, or a reserved field not zero
 *     -E2BIG       size above one page, or non-zero bytes beyond the struct
 *                  the kernel knows
 *     -EOPNOTSUPP  an unknown bit in flags
 *     -ENOTTY      an unknown ioctl command
 *
 * The ABI version (VHSM_ABI_VERSION) grows when ioctls or fields are added;
 * existing layouts never change.
 */
#ifndef _UAPI_LINUX_VHSM_H
#define _UAPI_LINUX_VHSM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VHSM_ABI_VERSION	1

#define VHSM_DEVICE_NAME	"vhsm"
#define VHSM_DEVICE_PATH	"/dev/vhsm"

/* The ioctl type byte. 0xB7 is unused in Documentation/userspace-api/ioctl. */
#define VHSM_IOC_MAGIC		0xB7

/* Platforms: where reports and derived keys come from. */
enum vhsm_platform_id {
	VHSM_PLATFORM_NONE = 0,
	VHSM_PLATFORM_SNP = 1,	/* the AMD secure processor of an SEV-SNP guest */
	VHSM_PLATFORM_SIM = 2,	/* software model for tests; proves nothing */
};

/* vhsm_info.platform_flags */
#define VHSM_PLATFORM_F_SIMULATED	(1U << 0) /* reports are not hardware-signed */

/*
 * vhsm_info.capabilities: what this module and platform can do now. A bit is
 * set only when the operation is implemented and available.
 */
#define VHSM_CAP_ATTEST		(1ULL << 0) /* VHSM_IOC_ATTEST */
#define VHSM_CAP_DERIVE_KEY	(1ULL << 1) /* platform-derived (sealing) keys */
#define VHSM_CAP_KEYSTORE	(1ULL << 2) /* in-kernel key store and operations */
#define VHSM_CAP_KEYRING_EXPORT	(1ULL << 3) /* VHSM_IOC_KEY_EXPORT (the kernel has key_create()) */

#define VHSM_INFO_VERSION_LEN	32
#define VHSM_INFO_PLATFORM_LEN	16

/*
 * struct vhsm_info_limits - bounds the module enforces; 0 means "no key store".
 * @max_keys:           keys held by the module in total
 * @max_keys_per_user:  keys one uid may own
 * @max_bytes_per_user: key material bytes one uid may own
 * @max_data_len:       largest data buffer accepted by a single call
 * @max_label_len:      longest key label, in bytes, without a terminator
 * @__reserved:         zero
 */
struct vhsm_info_limits {
	__u32 max_keys;
	__u32 max_keys_per_user;
	__u32 max_bytes_per_user;
	__u32 max_data_len;
	__u32 max_label_len;
	__u32 __reserved[3];
};

/*
 * VHSM_IOC_INFO - describe the module and its platform.
 *
 * In:  size, flags (none defined: must be 0), __reserved (zero).
 * Out: every other field. Strings are NUL-terminated and NUL-padded.
 * Errors: only the common ones. Any opener of /dev/vhsm may call it.
 *
 * @size:            sizeof(struct vhsm_info) as the caller knows it
 * @flags:           VHSM_INFO_FLAGS_ALL (none)
 * @abi_version:     VHSM_ABI_VERSION of the running module
 * @platform_id:     enum vhsm_platform_id
 * @module_version:  the module's version string
 * @platform_name:   "snp" or "sim"
 * @platform_flags:  VHSM_PLATFORM_F_*
 * @__pad:           zero
 * @capabilities:    VHSM_CAP_*
 * @limits:          see struct vhsm_info_limits
 * @__reserved:      zero
 */
struct vhsm_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 platform_id;
	char module_version[VHSM_INFO_VERSION_LEN];
	char platform_name[VHSM_INFO_PLATFORM_LEN];
	__u32 platform_flags;
	__u32 __pad;
	__u64 capabilities;
	struct vhsm_info_limits limits;
	__u64 __reserved[4];
};

#define VHSM_INFO_FLAGS_ALL	0U
#define VHSM_INFO_SIZE_VER0	144	/* sizeof(struct vhsm_info) in ABI 1 */

#define VHSM_IOC_INFO		_IOWR(VHSM_IOC_MAGIC, 0x00, struct vhsm_info)

/* ------------------------------------------------------------------------- */
/* Key store                                                                   */
/* ------------------------------------------------------------------------- */

/*
 * Key types. Secret material is generated in the kernel (VHSM_IOC_KEY_GENERATE)
 * or arrives there (import, provisioning, unsealing) and is never copied out.
 *
 *  type                   key_len (bytes)     operations
 *  VHSM_KEY_AES128_GCM    16                  aead
 *  VHSM_KEY_AES256_GCM    32                  aead
 *  VHSM_KEY_AES256_XTS    64                  kernel export only (dm-crypt)
 *  VHSM_KEY_HMAC_SHA256   32 (import: 16-128) mac
 *  VHSM_KEY_HMAC_SHA384   48 (import: 16-128) mac
 *  VHSM_KEY_EC_P256       32                  sign, verify, derive (ECDH), pubkey
 *  VHSM_KEY_EC_P384       48                  sign, verify, derive (ECDH), pubkey
 *  VHSM_KEY_SECRET        16-64, caller's     kernel export only
 *
 * key_len 0 in a request means the type's default (the first column); it is
 * required for VHSM_KEY_SECRET.
 */
enum vhsm_key_type {
	VHSM_KEY_AES128_GCM = 1,
	VHSM_KEY_AES256_GCM = 2,
	VHSM_KEY_AES256_XTS = 3,
	VHSM_KEY_HMAC_SHA256 = 4,
	VHSM_KEY_HMAC_SHA384 = 5,
	VHSM_KEY_EC_P256 = 6,
	VHSM_KEY_EC_P384 = 7,
	VHSM_KEY_SECRET = 8,
	__VHSM_KEY_TYPE_MAX
};

/* Usage flags: every operation requires its flag on the key (-EPERM otherwise). */
#define VHSM_USAGE_ENCRYPT	(1U << 0)
#define VHSM_USAGE_DECRYPT	(1U << 1)
#define VHSM_USAGE_SIGN		(1U << 2)
#define VHSM_USAGE_VERIFY	(1U << 3)
#define VHSM_USAGE_MAC		(1U << 4)	/* compute and verify */
#define VHSM_USAGE_DERIVE	(1U << 5)
#define VHSM_USAGE_EXPORT_KERNEL (1U << 6)	/* to kernel keyrings and crypto API */
/*
 * AES-GCM encryption under a caller-chosen IV (VHSM_AEAD_F_CALLER_IV). Off
 * unless asked for: whoever may encrypt under a chosen IV can encrypt zeros
 * under a victim ciphertext's IV and so read its plaintext, which would make
 * VHSM_USAGE_ENCRYPT as good as VHSM_USAGE_DECRYPT. CAP_SYS_ADMIN may choose
 * IVs without it.
 */
#define VHSM_USAGE_CALLER_IV	(1U << 7)
/*
 * The key may be sealed (VHSM_IOC_SEAL, keyctl pipe of its "vhsm" keyring
 * key): written out encrypted under a key only this platform's AMD-SP derives
 * for this launch, like PKCS#11's CKA_EXTRACTABLE. Without it a key never
 * leaves the kernel, sealed or not. Any type with secret material may have it.
 */
#define VHSM_USAGE_SEAL		(1U << 8)
#define VHSM_USAGE_ALL		0x1ffU

/* Where a key came from. */
enum vhsm_key_origin {
	VHSM_ORIGIN_GENERATED = 1,
	VHSM_ORIGIN_PROVISIONED = 2,
	VHSM_ORIGIN_IMPORTED = 3,	/* plaintext import by an admin, or a public key */
	VHSM_ORIGIN_UNSEALED = 4,
	VHSM_ORIGIN_DERIVED = 5,	/* ECDH + HKDF from another stored key */
	VHSM_ORIGIN_PLATFORM = 6,	/* derived by the platform (SNP MSG_KEY_REQ) */
};

/*
 * Access: a key has an owner uid and gid and a mode, read like a file's:
 * three octal digits for owner, group and others, each of
 */
#define VHSM_MODE_SEE		4	/* appears in lists; info, lookup, pubkey */
#define VHSM_MODE_DESTROY	2
#define VHSM_MODE_USE		1	/* operations (still subject to usage flags) */
#define VHSM_MODE_MASK		0777U
/*
 * A key the caller may not see answers -ENOENT, as if it did not exist; a key
 * it may see but not use or destroy answers -EACCES. CAP_SYS_ADMIN may see and
 * destroy every key (guest root is trusted) but uses keys under the same mode.
 */

#define VHSM_LABEL_MAX		64	/* bytes including the NUL */
/*
 * Labels: 1 to 63 characters from [A-Za-z0-9._:@/+=-], NUL-terminated and
 * NUL-padded (-EINVAL otherwise); unique per owner uid (-EEXIST).
 */

/*
 * struct vhsm_key_attr - what a key is
 * @type:     enum vhsm_key_type
 * @usage:    VHSM_USAGE_*
 * @mode:     VHSM_MODE_* per owner/group/other (0 to 0777)
 * @key_len:  secret length in bytes (0: the type's default)
 * @label:    see above
 */
struct vhsm_key_attr {
	__u32 type;
	__u32 usage;
	__u32 mode;
	__u32 key_len;
	char label[VHSM_LABEL_MAX];
};

/*
 * VHSM_IOC_KEY_GENERATE - make a new key from the kernel RNG.
 * In:  attr.  Out: handle.  Owner: the caller's fsuid and fsgid.
 * Errors: -EINVAL (bad type, usage for the type, mode, key_len or label),
 * -EEXIST (label in use by this owner), -EDQUOT (a key-count or byte quota:
 * module parameters max_keys, max_keys_per_user, max_bytes_per_user),
 * -EBUSY (hibernation is under way: a new key would be written to the
 * image; refused from PM_HIBERNATION_PREPARE until the system has resumed,
 * unless the module parameter allow_hibernation=1).
 */
struct vhsm_key_generate {
	__u32 size;
	__u32 flags;		/* none */
	struct vhsm_key_attr attr;
	__u32 handle;
	__u32 __reserved[3];
};
#define VHSM_KEY_GENERATE_FLAGS_ALL	0U
#define VHSM_KEY_GENERATE_SIZE_VER0	104

/*
 * VHSM_IOC_KEY_IMPORT - store caller-supplied key material.
 * Secret material (every type without VHSM_IMPORT_F_PUBLIC) needs
 * CAP_SYS_ADMIN and the module parameter allow_plain_import=1 (-EPERM
 * otherwise); it exists for known-answer tests and migrations and the key is
 * marked VHSM_ORIGIN_IMPORTED. EC private keys are the big-endian scalar.
 * With VHSM_IMPORT_F_PUBLIC (EC types only) the material is a public key, SEC1
 * uncompressed (0x04 || X || Y); any caller may import one; its usage may only
 * be VHSM_USAGE_VERIFY.
 * In: attr (key_len = material_len for secrets), material_ptr, material_len.
 * Out: handle.  Errors: as generate, plus -EPERM, -EFAULT, -EINVAL (material
 * of the wrong length, a scalar out of range, a point not on the curve).
 */
struct vhsm_key_import {
	__u32 size;
	__u32 flags;
	struct vhsm_key_attr attr;
	__u64 material_ptr;
	__u32 material_len;
	__u32 handle;
	__u32 __reserved[2];
};
#define VHSM_IMPORT_F_PUBLIC		(1U << 0)
#define VHSM_KEY_IMPORT_FLAGS_ALL	VHSM_IMPORT_F_PUBLIC
#define VHSM_KEY_IMPORT_SIZE_VER0	112

/*
 * VHSM_IOC_KEY_DESTROY - remove a key; its material is zeroised once the last
 * operation using it has finished. Errors: -ENOENT, -EACCES.
 */
struct vhsm_key_destroy {
	__u32 size;
	__u32 flags;		/* none */
	__u32 handle;
	__u32 __reserved;
};
#define VHSM_KEY_DESTROY_FLAGS_ALL	0U
#define VHSM_KEY_DESTROY_SIZE_VER0	16

/*
 * VHSM_IOC_KEY_INFO - a key's attributes (never its material).
 * In: handle.  Out: the rest.  Errors: -ENOENT.
 */
struct vhsm_key_info {
	__u32 size;
	__u32 flags;		/* none */
	__u32 handle;
	__u32 origin;		/* enum vhsm_key_origin */
	__u32 owner_uid;
	__u32 owner_gid;
	__s64 created;		/* seconds since the epoch */
	__u32 public_only;	/* 1 for an imported public key */
	__u32 __reserved[5];
	struct vhsm_key_attr attr;
};
#define VHSM_KEY_INFO_FLAGS_ALL		0U
#define VHSM_KEY_INFO_SIZE_VER0		136

/*
 * VHSM_IOC_KEY_LOOKUP - find a key by label.
 * In: label; owner_uid with VHSM_LOOKUP_F_OWNER (else the caller's fsuid).
 * Out: handle.  Errors: -ENOENT (no such label, or not visible), -EINVAL.
 */
struct vhsm_key_lookup {
	__u32 size;
	__u32 flags;
	__u32 owner_uid;
	__u32 handle;
	char label[VHSM_LABEL_MAX];
	__u32 __reserved[4];
};
#define VHSM_LOOKUP_F_OWNER		(1U << 0)
#define VHSM_KEY_LOOKUP_FLAGS_ALL	VHSM_LOOKUP_F_OWNER
#define VHSM_KEY_LOOKUP_SIZE_VER0	96

/*
 * VHSM_IOC_KEY_LIST - handles of the keys the caller may see, ascending.
 * In:  cursor (0 to start; else the last handle of the previous call),
 *      handles_ptr (array of __u32), count (its capacity, at most 1024).
 * Out: count (entries written), cursor (the last one written), more (1 if
 *      further keys follow). Errors: -EFAULT, -EINVAL (count above 1024).
 */
struct vhsm_key_list {
	__u32 size;
	__u32 flags;		/* none */
	__u32 cursor;
	__u32 count;
	__u64 handles_ptr;
	__u32 more;
	__u32 __reserved[3];
};
#define VHSM_KEY_LIST_FLAGS_ALL		0U
#define VHSM_KEY_LIST_SIZE_VER0		40
#define VHSM_KEY_LIST_MAX		1024

/* ------------------------------------------------------------------------- */
/* Operations on stored keys                                                   */
/* ------------------------------------------------------------------------- */
/*
 * Errors common to every operation: -ENOENT (no such key, or not visible),
 * -EACCES (mode forbids use), -EPERM (usage flag missing), -EOPNOTSUPP (the
 * key's type cannot do this), -E2BIG (a data buffer above max_data_len, see
 * VHSM_IOC_INFO limits), -ENOSPC (an output buffer too small; the needed length
 * is written back), -EDQUOT (the first use of an AES or HMAC key makes its
 * transform, which is charged to the key owner's max_bytes_per_user, and
 * that quota cannot hold it), -ENOMEM (also when the caller's memory cgroup
 * cannot hold the call's buffers).
 */

#define VHSM_AEAD_IV_LEN	12
#define VHSM_AEAD_TAG_LEN	16

/*
 * VHSM_IOC_AEAD - AES-GCM with a stored AES key.
 * Encrypt (default): in = plaintext, out = ciphertext (out_len >= in_len), tag
 *   and iv written. The kernel picks a random 96-bit IV unless
 *   VHSM_AEAD_F_CALLER_IV says the caller's iv is to be used; that needs
 *   VHSM_USAGE_CALLER_IV on the key, or CAP_SYS_ADMIN (-EPERM otherwise).
 * Decrypt (VHSM_AEAD_F_DECRYPT): in = ciphertext, iv and tag from the caller,
 *   out = plaintext; -EBADMSG when authentication fails (nothing is written).
 * aad_len and in_len are each bounded by max_data_len.
 */
struct vhsm_aead {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 aad_len;
	__u32 in_len;
	__u32 out_len;		/* in: capacity; out: bytes written */
	__u64 aad_ptr;
	__u64 in_ptr;
	__u64 out_ptr;
	__u8 iv[VHSM_AEAD_IV_LEN];
	__u32 __pad;
	__u8 tag[VHSM_AEAD_TAG_LEN];
	__u64 __reserved[2];
};
#define VHSM_AEAD_F_DECRYPT		(1U << 0)
#define VHSM_AEAD_F_CALLER_IV		(1U << 1)
#define VHSM_AEAD_FLAGS_ALL		(VHSM_AEAD_F_DECRYPT | VHSM_AEAD_F_CALLER_IV)
#define VHSM_AEAD_SIZE_VER0		96

#define VHSM_MAC_MAX		48

/*
 * VHSM_IOC_MAC - HMAC with a stored HMAC key.
 * Compute (default): mac and mac_len written (32 or 48).
 * Verify (VHSM_MAC_F_VERIFY): the caller's mac[mac_len] is compared in
 *   constant time; mac_len must be the full length; -EBADMSG on mismatch.
 */
struct vhsm_mac {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 data_len;
	__u64 data_ptr;
	__u32 mac_len;
	__u32 __pad;
	__u8 mac[VHSM_MAC_MAX];
	__u64 __reserved[2];
};
#define VHSM_MAC_F_VERIFY		(1U << 0)
#define VHSM_MAC_FLAGS_ALL		VHSM_MAC_F_VERIFY
#define VHSM_MAC_SIZE_VER0		96

/*
 * VHSM_IOC_SIGN / VHSM_IOC_VERIFY - ECDSA with a stored EC key: P-256 with
 * SHA-256, P-384 with SHA-384.
 * data is the message, or with VHSM_SIG_F_DIGEST its hash (exactly 32 or 48
 * bytes). Signatures are raw r||s (64 or 96 bytes) or, with VHSM_SIG_F_DER, an
 * X9.62 DER SEQUENCE. Sign writes sig and sig_len (in: capacity); verify reads
 * them and answers 0 (valid) or -EBADMSG (invalid or malformed signature).
 * Signing uses RFC 6979 nonces hedged with fresh randomness and a blinded
 * nonce inversion.
 */
struct vhsm_sig {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 data_len;
	__u64 data_ptr;
	__u64 sig_ptr;
	__u32 sig_len;
	__u32 __reserved[5];
};
#define VHSM_SIG_F_DIGEST		(1U << 0)
#define VHSM_SIG_F_DER			(1U << 1)
#define VHSM_SIG_FLAGS_ALL		(VHSM_SIG_F_DIGEST | VHSM_SIG_F_DER)
#define VHSM_SIG_SIZE_VER0		56
#define VHSM_SIG_MAX			104	/* P-384 DER */

/*
 * VHSM_IOC_PUBKEY - the public key of an EC key: SEC1 uncompressed
 * (0x04 || X || Y) or, with VHSM_PUBKEY_F_SPKI, SubjectPublicKeyInfo DER.
 * Needs VHSM_MODE_SEE only. buf_len: in capacity, out length written.
 */
struct vhsm_pubkey {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 buf_len;
	__u64 buf_ptr;
	__u64 __reserved[2];
};
#define VHSM_PUBKEY_F_SPKI		(1U << 0)
#define VHSM_PUBKEY_FLAGS_ALL		VHSM_PUBKEY_F_SPKI
#define VHSM_PUBKEY_SIZE_VER0		40
#define VHSM_PUBKEY_MAX			120	/* P-384 SPKI */

/*
 * VHSM_IOC_DERIVE - ECDH between a stored EC key (VHSM_USAGE_DERIVE) and a
 * peer's public key (SEC1 uncompressed, same curve), then HKDF (RFC 5869) with
 * SHA-256 for P-256 or SHA-384 for P-384 over the shared X coordinate, with the
 * caller's salt and info (each at most 256 bytes), into a new stored key
 * described by attr (origin VHSM_ORIGIN_DERIVED; any symmetric type).
 * Out: handle. Errors: as generate, plus -EINVAL (peer not on the curve).
 */
struct vhsm_derive {
	__u32 size;
	__u32 flags;		/* none */
	__u32 handle;
	__u32 peer_len;
	__u64 peer_ptr;
	__u64 salt_ptr;
	__u64 info_ptr;
	__u32 salt_len;
	__u32 info_len;
	struct vhsm_key_attr attr;
	__u32 new_handle;
	__u32 __reserved[3];
};
#define VHSM_DERIVE_FLAGS_ALL		0U
#define VHSM_DERIVE_SIZE_VER0		144
#define VHSM_DERIVE_INFO_MAX		256

/*
 * VHSM_IOC_KEY_TOKEN - a key reference for the kernel's own clients
 * (keyrings, the vhsm(...) crypto template): VHSM_TOKEN_LEN public bytes
 * naming this key and no later key that reuses its handle. A token grants
 * nothing: whoever presents it is checked against the key's owner, group,
 * mode and usage at the moment of use, with the presenting task's
 * credentials. Format: "vhT1", handle (le32), key id (le64).
 * Needs VHSM_MODE_SEE. In: handle; token must be zero. Out: token.
 * Errors: -ENOENT, -EINVAL.
 */
#define VHSM_TOKEN_LEN			16
struct vhsm_key_token {
	__u32 size;
	__u32 flags;		/* none */
	__u32 handle;
	__u32 __pad;
	__u8 token[VHSM_TOKEN_LEN];
	__u64 __reserved[2];
};
#define VHSM_KEY_TOKEN_FLAGS_ALL	0U
#define VHSM_KEY_TOKEN_SIZE_VER0	48

/*
 * VHSM_IOC_KEY_EXPORT - put a key into a kernel keyring, for the kernel's own
 * clients (dm-crypt, fscrypt, AF_ALG, the vhsm(...) crypto template). The
 * kernel copies the bytes from key to key; they never pass through userspace.
 * The key needs VHSM_MODE_USE and VHSM_USAGE_EXPORT_KERNEL, whatever @as.
 *
 *  as                   new key's type          its payload
 *  VHSM_EXPORT_LOGON    "logon"                 the key bytes (any type but EC)
 *  VHSM_EXPORT_FSCRYPT  "fscrypt-provisioning"  { __u32 type = 2 (v2 policy
 *                                               identifier), __u32 0, bytes }
 *                                               (VHSM_KEY_SECRET only)
 *  VHSM_EXPORT_TOKEN    "logon"                 the VHSM_TOKEN_LEN-byte token
 *
 * @keyring: a keyring serial, or a special id as add_key(2) takes it
 *   (KEY_SPEC_THREAD_KEYRING -1, _PROCESS_ -2, _SESSION_ -3, _USER_ -4,
 *   _USER_SESSION_ -5), created if it does not exist yet; the caller needs
 *   write permission on it.
 * @desc_ptr, @desc_len: the new key's description, 1 to 4095 bytes (no NUL
 *   counted or included): printable ASCII without white space (dm-crypt's
 *   rule for its :LEN:TYPE:DESC key field); for the logon forms it needs a
 *   non-empty "prefix:" (the logon type's rule), e.g. "vhsm:disk1".
 * The new key belongs to the caller (fsuid, fsgid), is charged to the
 * caller's key quota and gets the permissions add_key(2) gives (possessor
 * view, search, link, setattr; user view). Out: serial, the new key's serial.
 * Errors: -ENOENT, -EACCES (the vHSM key's mode, or no write permission on
 * the keyring), -EPERM (no VHSM_USAGE_EXPORT_KERNEL), -EOPNOTSUPP (the key's
 * type cannot be exported that way), -EINVAL (as, description), -EEXIST (a
 * key of that type and description is already in the keyring), -EDQUOT (the
 * caller's key quota), and the errors of add_key(2).
 */
enum vhsm_export_as {
	VHSM_EXPORT_LOGON = 1,
	VHSM_EXPORT_FSCRYPT = 2,
	VHSM_EXPORT_TOKEN = 3,
};
#define VHSM_EXPORT_DESC_MAX		4095
struct vhsm_key_export {
	__u32 size;
	__u32 flags;		/* none */
	__u32 handle;
	__u32 as;		/* enum vhsm_export_as */
	__s32 keyring;
	__s32 serial;
	__u64 desc_ptr;
	__u32 desc_len;
	__u32 __pad;
	__u64 __reserved[2];
};
#define VHSM_KEY_EXPORT_FLAGS_ALL	0U
#define VHSM_KEY_EXPORT_SIZE_VER0	56

#define VHSM_IOC_KEY_GENERATE	_IOWR(VHSM_IOC_MAGIC, 0x10, struct vhsm_key_generate)
#define VHSM_IOC_KEY_IMPORT	_IOWR(VHSM_IOC_MAGIC, 0x11, struct vhsm_key_import)
#define VHSM_IOC_KEY_DESTROY	_IOWR(VHSM_IOC_MAGIC, 0x12, struct vhsm_key_destroy)
#define VHSM_IOC_KEY_INFO	_IOWR(VHSM_IOC_MAGIC, 0x13, struct vhsm_key_info)
#define VHSM_IOC_KEY_LOOKUP	_IOWR(VHSM_IOC_MAGIC, 0x14, struct vhsm_key_lookup)
#define VHSM_IOC_KEY_LIST	_IOWR(VHSM_IOC_MAGIC, 0x15, struct vhsm_key_list)
#define VHSM_IOC_KEY_TOKEN	_IOWR(VHSM_IOC_MAGIC, 0x16, struct vhsm_key_token)
#define VHSM_IOC_KEY_EXPORT	_IOWR(VHSM_IOC_MAGIC, 0x17, struct vhsm_key_export)
#define VHSM_IOC_AEAD		_IOWR(VHSM_IOC_MAGIC, 0x20, struct vhsm_aead)
#define VHSM_IOC_MAC		_IOWR(VHSM_IOC_MAGIC, 0x21, struct vhsm_mac)
#define VHSM_IOC_SIGN		_IOWR(VHSM_IOC_MAGIC, 0x22, struct vhsm_sig)
#define VHSM_IOC_VERIFY		_IOWR(VHSM_IOC_MAGIC, 0x23, struct vhsm_sig)
#define VHSM_IOC_PUBKEY		_IOWR(VHSM_IOC_MAGIC, 0x24, struct vhsm_pubkey)
#define VHSM_IOC_DERIVE		_IOWR(VHSM_IOC_MAGIC, 0x25, struct vhsm_derive)

/* ------------------------------------------------------------------------- */
/* Attestation and platform keys                                               */
/* ------------------------------------------------------------------------- */

#define VHSM_REPORT_DATA_LEN	64
#define VHSM_SNP_REPORT_LEN	1184	/* ATTESTATION_REPORT, 0x4A0 bytes */

/*
 * VHSM_IOC_ATTEST - an attestation report from the platform (SNP
 * MSG_REPORT_REQ) that carries the caller's report_data.
 * Privileged: a hardware-signed report with any report_data cannot be told
 * from the workload's own, so only CAP_SYS_ADMIN and members of the group
 * given by the module parameter attest_gid (default none) may call it
 * (-EPERM otherwise). Flows in which the kernel builds report_data itself
 * (configfs-tsm through vhsm_tsm.ko, provisioning sessions) do not need it.
 * In:  report_data, vmpl (0..3; must be >= the VMPL vhsm runs at),
 *      report_ptr/report_len (capacity, at least VHSM_SNP_REPORT_LEN),
 *      with VHSM_ATTEST_F_CERTS also certs_ptr/certs_len (capacity).
 * Out: report_len, and certs_len: the certificate table (GUID + offset +
 *      length entries, zero-terminated; see the SNP ABI) or 0 when the
 *      platform has none.
 * Errors: -EPERM (not privileged, see above), -EOPNOTSUPP (platform cannot
 * attest), -ENOSPC (a buffer too small; the needed lengths are written
 * back), -EINVAL (vmpl), -EIO (the firmware refused: fw_error holds its
 * status; or, with fw_error 0, an answer vhsm does not understand, such as a
 * longer report or a host certificate table over 16 KiB; the message key
 * stays usable), -ETIMEDOUT (the host kept the platform busy; the request is
 * completed before the next one), -EINTR (killed while waiting),
 * -ENOTRECOVERABLE (the message key was wiped after an authentication
 * failure; reload the guest).
 */
struct vhsm_attest {
	__u32 size;
	__u32 flags;
	__u8 report_data[VHSM_REPORT_DATA_LEN];
	__u32 vmpl;
	__u32 report_len;
	__u64 report_ptr;
	__u64 certs_ptr;
	__u32 certs_len;
	__u32 fw_error;
	__u64 __reserved[2];
};
#define VHSM_ATTEST_F_CERTS		(1U << 0)
#define VHSM_ATTEST_FLAGS_ALL		VHSM_ATTEST_F_CERTS
#define VHSM_ATTEST_SIZE_VER0		120

/* MSG_KEY_REQ GUEST_FIELD_SELECT bits */
#define VHSM_FIELD_POLICY		(1ULL << 0)
#define VHSM_FIELD_IMAGE_ID		(1ULL << 1)
#define VHSM_FIELD_FAMILY_ID		(1ULL << 2)
#define VHSM_FIELD_MEASUREMENT		(1ULL << 3)
#define VHSM_FIELD_GUEST_SVN		(1ULL << 4)
#define VHSM_FIELD_TCB_VERSION		(1ULL << 5)
#define VHSM_FIELD_ALL			0x3fULL

/*
 * VHSM_IOC_PLATFORM_KEY - store a key derived by the platform (SNP
 * MSG_KEY_REQ) from its root key and the selected launch fields: the same
 * request on the same platform with the same launch gives the same key.
 * The 32-byte firmware key never leaves the kernel; the stored key's
 * material is HKDF-SHA256 (RFC 5869, no salt) of the firmware key with
 *   info = "vhsm platform key" || le32 owner || le32 attr.type ||
 *          le32 length || attr.label (without its NUL padding),
 * of length = the key's length in bytes (symmetric types only), origin
 * VHSM_ORIGIN_PLATFORM. The owner is the caller's fsuid as a uid of the
 * initial user namespace, so another user asking with the same fields and
 * label gets another key; keys of different types or lengths are unrelated.
 * In: root_key_select (0 VCEK, 1 VMRK), vmpl, guest_field_select
 * (VHSM_FIELD_*), guest_svn and tcb_version (mixed in when selected; at most
 * the launch values), attr. Out: handle.
 * Errors: as VHSM_IOC_KEY_GENERATE, plus those of VHSM_IOC_ATTEST.
 */
struct vhsm_platform_key {
	__u32 size;
	__u32 flags;		/* none */
	__u32 root_key_select;
	__u32 vmpl;
	__u64 guest_field_select;
	__u32 guest_svn;
	__u32 fw_error;
	__u64 tcb_version;
	struct vhsm_key_attr attr;
	__u32 handle;
	__u32 __reserved[3];
};
#define VHSM_PLATFORM_KEY_FLAGS_ALL	0U
#define VHSM_PLATFORM_KEY_SIZE_VER0	136

#define VHSM_IOC_ATTEST		_IOWR(VHSM_IOC_MAGIC, 0x30, struct vhsm_attest)
#define VHSM_IOC_PLATFORM_KEY	_IOWR(VHSM_IOC_MAGIC, 0x31, struct vhsm_platform_key)

/* ------------------------------------------------------------------------- */
/* Provisioning sessions (KBS "RCAR" protocol, Trustee-compatible)            */
/* ------------------------------------------------------------------------- */
/*
 * A provisioning session delivers a secret from a key broker (vhsm-kbs or a
 * Trustee KBS) into the key store without its bytes ever reaching userspace:
 *
 * 1. userspace gets a challenge nonce from the broker (POST /kbs/v0/auth);
 * 2. VHSM_IOC_SESSION_OPEN: the kernel makes an ephemeral P-256 key pair,
 *    builds the KBS runtime data itself, as RFC 8785 canonical JSON
 *      {"additional-evidence":"","nonce":"<nonce>","tee-pubkey":{"alg":
 *       "ECDH-ES+A256KW","crv":"P-256","kty":"EC","x":"<x>","y":"<y>"}}
 *    (without the "additional-evidence" member under
 *    VHSM_SESSION_F_NO_ADDEV), puts SHA-384 of it, zero-padded to 64 bytes,
 *    into REPORT_DATA, gets a report from the platform, and returns the
 *    session id, the public key's JWK coordinates and the evidence;
 * 3. userspace sends the evidence and runtime data (the same nonce and JWK:
 *    kty "EC", crv "P-256", alg "ECDH-ES+A256KW", x, y) to the broker
 *    (POST /kbs/v0/attest) and fetches the resource
 *    (GET /kbs/v0/resource/...), a flattened JWE encrypted to that key;
 * 4. VHSM_IOC_SESSION_IMPORT: userspace passes the JWE's base64url members
 *    as they arrived; the kernel opens it (ECDH-ES+A256KW with the Concat
 *    KDF, RFC 3394 key unwrap, A256GCM with the ASCII protected header as
 *    AAD) and stores the plaintext as a key (origin VHSM_ORIGIN_PROVISIONED)
 *    with the attributes the caller chose.
 *
 * Since the kernel builds REPORT_DATA itself, opening a session needs no
 * privilege beyond access to /dev/vhsm. A session belongs to the fsuid that
 * opened it (another uid gets -ENOENT and leaves it untouched), is used by
 * the first import that reaches it whatever the outcome (success or not, its
 * private key is then wiped), may be closed by its owner
 * (VHSM_IOC_SESSION_CLOSE), and expires after the module parameter
 * session_timeout seconds (default 300; the key is wiped then too). Each uid
 * may hold max_sessions_per_user open sessions (default 4; -EDQUOT beyond),
 * all uids together max_sessions (default 256).
 */

#define VHSM_SESSION_NONCE_MAX	128	/* base64 characters */
#define VHSM_JWK_COORD_LEN	44	/* 43 base64url characters + NUL (P-256) */

/*
 * VHSM_IOC_SESSION_OPEN - a new provisioning session and its evidence.
 * In:  nonce_ptr/nonce_len: the broker's challenge nonce, standard base64
 *      ([A-Za-z0-9+/], length a multiple of 4, at most two '=' at the end,
 *      4 to VHSM_SESSION_NONCE_MAX characters, no terminator);
 *      vmpl (0..3) for the report; report_ptr/report_len (capacity, at least
 *      VHSM_SNP_REPORT_LEN); with VHSM_SESSION_F_CERTS also certs_ptr and
 *      certs_len (capacity) for the platform's certificate table;
 *      with VHSM_SESSION_F_NO_ADDEV the runtime data has no
 *      "additional-evidence" member (the form KBS binds device attesters to).
 * Out: session_id (non-zero); jwk_x, jwk_y: the public key's coordinates,
 *      base64url without padding, NUL-terminated (exactly the strings that
 *      were hashed); report_data: the 64 bytes put in the report;
 *      report_len; certs_len (0: the platform has no table); fw_error;
 *      expires_in: seconds until the session expires.
 * Errors: -EINVAL (nonce, vmpl, reserved), -EDQUOT (session bounds),
 * -ENOSPC (a buffer too small: the needed lengths are written back; no
 * session is left open), and those of VHSM_IOC_ATTEST.
 */
struct vhsm_session_open {
	__u32 size;
	__u32 flags;
	__u32 session_id;
	__u32 vmpl;
	__u64 nonce_ptr;
	__u32 nonce_len;
	__u32 report_len;
	__u64 report_ptr;
	__u64 certs_ptr;
	__u32 certs_len;
	__u32 fw_error;
	__u32 expires_in;
	__u32 __pad;
	char jwk_x[VHSM_JWK_COORD_LEN];
	char jwk_y[VHSM_JWK_COORD_LEN];
	__u8 report_data[VHSM_REPORT_DATA_LEN];
	__u64 __reserved[4];
};
#define VHSM_SESSION_F_CERTS		(1U << 0)
#define VHSM_SESSION_F_NO_ADDEV		(1U << 1)
#define VHSM_SESSION_OPEN_FLAGS_ALL	(VHSM_SESSION_F_CERTS | VHSM_SESSION_F_NO_ADDEV)
#define VHSM_SESSION_OPEN_SIZE_VER0	248

/* Bounds on the JWE members, in base64url characters. */
#define VHSM_JWE_PROTECTED_MAX		1024
#define VHSM_JWE_CIPHERTEXT_MAX		171	/* 128 bytes */

/*
 * VHSM_IOC_SESSION_IMPORT - open a resource JWE in a session and store it.
 * In:  session_id; attr (as VHSM_IOC_KEY_GENERATE: the plaintext must be
 *      exactly the type's key length, key_len for HMAC and secret types);
 *      the flattened JWE's members, each the base64url text (no padding, no
 *      terminator) exactly as the broker sent it: protected (at most
 *      VHSM_JWE_PROTECTED_MAX), encrypted_key, iv, ciphertext (at most
 *      VHSM_JWE_CIPHERTEXT_MAX), tag.
 *      The protected header must be a JSON object with exactly the members
 *      alg "ECDH-ES+A256KW", enc "A256GCM", epk {kty "EC", crv "P-256",
 *      x, y}, and optionally apu and apv (base64url, at most 64 bytes each);
 *      anything else is refused.
 * Out: handle of the new key (owner: the caller; origin provisioned).
 * Errors: -EINVAL (attr, lengths, reserved; these leave the session open),
 * -ENOENT (no such session for this uid, or expired), -EBADMSG (a malformed
 * or unsupported JWE, a bad epk point, key unwrap or GCM authentication
 * failure, plaintext of the wrong length), and those of VHSM_IOC_KEY_GENERATE
 * (-EEXIST, -EDQUOT). From -ENOENT on, the session is gone: nothing was
 * stored and its private key is wiped.
 */
struct vhsm_session_import {
	__u32 size;
	__u32 flags;		/* none */
	__u32 session_id;
	__u32 handle;
	struct vhsm_key_attr attr;
	__u64 protected_ptr;
	__u64 encrypted_key_ptr;
	__u64 iv_ptr;
	__u64 ciphertext_ptr;
	__u64 tag_ptr;
	__u32 protected_len;
	__u32 encrypted_key_len;
	__u32 iv_len;
	__u32 ciphertext_len;
	__u32 tag_len;
	__u32 __pad;
	__u64 __reserved[4];
};
#define VHSM_SESSION_IMPORT_FLAGS_ALL	0U
#define VHSM_SESSION_IMPORT_SIZE_VER0	192

/*
 * VHSM_IOC_SESSION_CLOSE - give up a session before it expires (the broker
 * refused, the resource never came): its private key is wiped now.
 * In: session_id. Errors: -ENOENT (no such session for this uid).
 */
struct vhsm_session_close {
	__u32 size;
	__u32 flags;		/* none */
	__u32 session_id;
	__u32 __reserved;
};
#define VHSM_SESSION_CLOSE_FLAGS_ALL	0U
#define VHSM_SESSION_CLOSE_SIZE_VER0	16

#define VHSM_IOC_SESSION_OPEN	_IOWR(VHSM_IOC_MAGIC, 0x40, struct vhsm_session_open)
#define VHSM_IOC_SESSION_IMPORT	_IOWR(VHSM_IOC_MAGIC, 0x41, struct vhsm_session_import)
#define VHSM_IOC_SESSION_CLOSE	_IOWR(VHSM_IOC_MAGIC, 0x42, struct vhsm_session_close)

/* ------------------------------------------------------------------------- */
/* Sealing                                                                     */
/* ------------------------------------------------------------------------- */
/*
 * A sealed blob is a stored key written out so that only this platform, for
 * this launch (per the fields selected), can read it back: its material
 * encrypted with AES-256-GCM under a key derived per blob with HKDF-SHA256
 * (salt: the blob's random salt; info: "vhsm seal v1") from the 32-byte key
 * the platform derives (SNP MSG_KEY_REQ) for the blob's root_key_select,
 * vmpl, guest_field_select, guest_svn and tcb_version. The header below is
 * the GCM additional data: every byte of it is authenticated. The README
 * ("Sealed blob format") documents it byte by byte. All integers are
 * little-endian.
 *
 * Blob = header (VHSM_SEAL_HDR_LEN) || ciphertext (key_len) || tag (16).
 */
#define VHSM_SEAL_MAGIC		"vhSB"
#define VHSM_SEAL_VERSION	1
#define VHSM_SEAL_SALT_LEN	32
#define VHSM_SEAL_IV_LEN	12
#define VHSM_SEAL_TAG_LEN	16
#define VHSM_SEAL_KEY_MAX	128	/* longest key material (HMAC import) */
#define VHSM_SEAL_HDR_LEN	176
#define VHSM_SEAL_BLOB_MAX	(VHSM_SEAL_HDR_LEN + VHSM_SEAL_KEY_MAX + VHSM_SEAL_TAG_LEN)

/*
 * struct vhsm_seal_hdr - the header of a version 1 sealed blob
 * @magic:              VHSM_SEAL_MAGIC (not NUL-terminated)
 * @version:            VHSM_SEAL_VERSION
 * @hdr_len:            VHSM_SEAL_HDR_LEN
 * @root_key_select:    0 VCEK, 1 VMRK
 * @vmpl:               the VMPL the sealing key was asked for
 * @guest_field_select: VHSM_FIELD_* mixed into the sealing key
 * @tcb_version:        the TCB the sealing key was asked for
 * @guest_svn:          the guest SVN it was asked for (0 unless selected)
 * @type, @usage, @mode: the key's attributes, restored exactly
 * @key_len:            bytes of key material (the ciphertext's length)
 * @owner_uid:          the key's owner (a uid of the initial namespace)
 * @owner_gid:          its group
 * @__reserved:         zero
 * @salt:               random per blob: the HKDF salt
 * @iv:                 random per blob: the GCM IV
 * @__reserved2:        zero
 * @label:              the key's label, NUL-padded
 */
struct vhsm_seal_hdr {
	__u8 magic[4];
	__le16 version;
	__le16 hdr_len;
	__le32 root_key_select;
	__le32 vmpl;
	__le64 guest_field_select;
	__le64 tcb_version;
	__le32 guest_svn;
	__le32 type;
	__le32 usage;
	__le32 mode;
	__le32 key_len;
	__le32 owner_uid;
	__le32 owner_gid;
	__le32 __reserved;
	__u8 salt[VHSM_SEAL_SALT_LEN];
	__u8 iv[VHSM_SEAL_IV_LEN];
	__le32 __reserved2;
	char label[VHSM_LABEL_MAX];
};

/*
 * VHSM_IOC_SEAL - write a stored key out as a sealed blob, or move a blob to
 * a new binding (VHSM_SEAL_F_RESEAL).
 * The key needs VHSM_USAGE_SEAL (-EPERM otherwise, whoever asks) and
 * VHSM_MODE_USE, and the caller must own it (fsuid) or hold CAP_SYS_ADMIN
 * (-EACCES): a group member may use a key but not choose where it may be
 * opened. Sealing changes nothing about the key. Public-only keys cannot be
 * sealed (-EOPNOTSUPP).
 * In:  handle; root_key_select (0 VCEK, 1 VMRK); guest_field_select
 *      (VHSM_FIELD_*); tcb_version, used unless a TCB flag says otherwise
 *      (it must not exceed COMMITTED_TCB: the firmware refuses, -EIO);
 *      blob_ptr/blob_len (capacity, VHSM_SEAL_BLOB_MAX is always enough).
 *      With VHSM_SEAL_F_RESEAL: handle 0, src_ptr/src_len a blob the caller
 *      could unseal (VHSM_IOC_UNSEAL's rules); its key is resealed under the
 *      new root, fields and TCB without being stored.
 * Flags: VHSM_SEAL_F_TCB_COMMITTED: seal to COMMITTED_TCB (read from a fresh
 *      report); VHSM_SEAL_F_TCB_REPORTED: to REPORTED_TCB, each of its bytes
 *      (SVNs) lowered to COMMITTED_TCB's where it is above, so the firmware
 *      accepts it (vhsm-tool's --tcb auto); at most one of them (-EINVAL);
 *      tcb_version must be 0 with either.
 * The guest SVN sealed to is the launch GUEST_SVN when VHSM_FIELD_GUEST_SVN
 * is selected, else 0. The VMPL is the platform's (vhsm_info's min VMPL).
 * Out: blob_len; tcb_version and guest_svn as sealed to; fw_error.
 * Errors: -ENOENT, -EACCES, -EPERM, -EOPNOTSUPP (also: the platform cannot
 * derive keys), -ENOSPC (blob_len too small; the needed length is written
 * back), -EINVAL, the errors of VHSM_IOC_UNSEAL for the source blob, and
 * those of VHSM_IOC_PLATFORM_KEY.
 */
struct vhsm_seal {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 root_key_select;
	__u64 guest_field_select;
	__u64 tcb_version;
	__u64 blob_ptr;
	__u32 blob_len;
	__u32 guest_svn;
	__u64 src_ptr;
	__u32 src_len;
	__u32 fw_error;
	__u64 __reserved[4];
};
#define VHSM_SEAL_F_TCB_COMMITTED	(1U << 0)
#define VHSM_SEAL_F_TCB_REPORTED	(1U << 1)
#define VHSM_SEAL_F_RESEAL		(1U << 2)
#define VHSM_SEAL_FLAGS_ALL		(VHSM_SEAL_F_TCB_COMMITTED | \
					 VHSM_SEAL_F_TCB_REPORTED | VHSM_SEAL_F_RESEAL)
#define VHSM_SEAL_SIZE_VER0		96

/*
 * VHSM_IOC_UNSEAL - store the key a sealed blob holds.
 * The new key gets the blob's type, usage, mode, owner uid and gid, and
 * label (or @label when it is not empty: the one attribute the caller may
 * change), origin VHSM_ORIGIN_UNSEALED. Who may: the blob's owner uid, when
 * it is also in the owning group (fsgid or supplementary), i.e. a caller that
 * could have created that key itself; or CAP_SYS_ADMIN (a restore at boot
 * runs as root and gives every key back to its owner). Anyone else: -EPERM,
 * before the platform is asked. Nothing is stored unless every check passes.
 * In:  blob_ptr/blob_len; label (all zero: the blob's).
 * Out: handle; fw_error.
 * Errors: -EINVAL (not a sealed blob: magic, header length, reserved bytes,
 * an attribute the key store refuses), -EPROTONOSUPPORT (a blob version this
 * module does not know), -EMSGSIZE (blob_len is not what the header says:
 * truncated or oversized; above VHSM_SEAL_BLOB_MAX), -EPERM (see above),
 * -EBADMSG (authentication failed: the blob was changed, or this is another
 * platform, launch, measurement, policy or guest SVN than it was sealed
 * for), -EIO (the firmware refused the key request: e.g. the TCB or guest
 * SVN sealed to is above the current one; fw_error holds its status),
 * -EEXIST (the label is in use by the owner), -EDQUOT, and those of
 * VHSM_IOC_ATTEST.
 */
struct vhsm_unseal {
	__u32 size;
	__u32 flags;		/* none */
	__u64 blob_ptr;
	__u32 blob_len;
	__u32 handle;
	char label[VHSM_LABEL_MAX];
	__u32 fw_error;
	__u32 __pad;
	__u64 __reserved[4];
};
#define VHSM_UNSEAL_FLAGS_ALL		0U
#define VHSM_UNSEAL_SIZE_VER0		128

#define VHSM_IOC_SEAL		_IOWR(VHSM_IOC_MAGIC, 0x50, struct vhsm_seal)
#define VHSM_IOC_UNSEAL		_IOWR(VHSM_IOC_MAGIC, 0x51, struct vhsm_unseal)

#endif /* _UAPI_LINUX_VHSM_H */
