/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sealed-blob wire format (version 1, struct vhsm_seal_hdr in the uapi
 * header): building a header and checking one, as pure functions over byte
 * strings with no allocation and no kernel services, so that the same file
 * builds on the host for the fuzzer (selftests/fuzz/seal_fuzz.c).
 */
#ifndef _VHSM_SEAL_BLOB_H
#define _VHSM_SEAL_BLOB_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
#endif
#include <linux/vhsm.h>

/**
 * struct vhsm_seal_params - a blob's header in host byte order
 * @root_key_select:    0 VCEK, 1 VMRK
 * @vmpl:               VMPL of the key request
 * @guest_field_select: VHSM_FIELD_*
 * @tcb_version:        TCB of the key request
 * @guest_svn:          guest SVN of the key request
 * @type, @usage, @mode, @key_len: the key's attributes
 * @owner_uid, @owner_gid: its owner
 * @salt, @iv:          per-blob randomness
 * @label:              NUL-terminated and NUL-padded
 */
struct vhsm_seal_params {
	u32 root_key_select;
	u32 vmpl;
	u64 guest_field_select;
	u64 tcb_version;
	u32 guest_svn;
	u32 type;
	u32 usage;
	u32 mode;
	u32 key_len;
	u32 owner_uid;
	u32 owner_gid;
	u8 salt[VHSM_SEAL_SALT_LEN];
	u8 iv[VHSM_SEAL_IV_LEN];
	char label[VHSM_LABEL_MAX];
};

/* The length of a blob holding @key_len bytes of material. */
static inline size_t vhsm_seal_blob_len(u32 key_len)
{
	return VHSM_SEAL_HDR_LEN + (size_t)key_len + VHSM_SEAL_TAG_LEN;
}

/* Writes the VHSM_SEAL_HDR_LEN header bytes for @p into @out. */
void vhsm_seal_blob_put_header(const struct vhsm_seal_params *p, u8 *out);

/*
 * Checks a whole blob's framing and reads its header into @p.
 * Returns 0; -EINVAL (magic, header length, reserved bytes, root select,
 * unknown field bits, a key_len of 0 or above VHSM_SEAL_KEY_MAX, a label
 * without its NUL or with bytes after it); -EPROTONOSUPPORT (another
 * version); -EMSGSIZE (@len shorter than a header, or not the length the
 * header gives: truncated or oversized). The version is checked before the
 * rest, so a later version's other header is reported as such.
 */
int vhsm_seal_blob_parse(const u8 *blob, size_t len, struct vhsm_seal_params *p);

#endif /* _VHSM_SEAL_BLOB_H */
