// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sealed-blob wire format, version 1 (seal_blob.h). Every integer is
 * little-endian and read byte by byte, so the code is the same on any host;
 * every read is bounded by the length checked first. No allocation, no
 * crypto: seal.c encrypts and authenticates. Fuzzed on the host
 * (selftests/fuzz/seal_fuzz.c).
 */
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <assert.h>
#include <errno.h>
#include <string.h>
#define static_assert _Static_assert
#endif

#include "seal_blob.h"

#define HDR_OFF(f)	offsetof(struct vhsm_seal_hdr, f)

static_assert(sizeof(struct vhsm_seal_hdr) == VHSM_SEAL_HDR_LEN, "seal header size");
static_assert(offsetof(struct vhsm_seal_hdr, guest_field_select) == 0x10, "fields");
static_assert(offsetof(struct vhsm_seal_hdr, salt) == 0x40, "salt");
static_assert(offsetof(struct vhsm_seal_hdr, iv) == 0x60, "iv");
static_assert(offsetof(struct vhsm_seal_hdr, label) == 0x70, "label");

static void put16(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static u32 get16(const u8 *p)
{
	return p[0] | (u32)p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

void vhsm_seal_blob_put_header(const struct vhsm_seal_params *p, u8 *out)
{
	memset(out, 0, VHSM_SEAL_HDR_LEN);
	memcpy(out + HDR_OFF(magic), VHSM_SEAL_MAGIC, 4);
	put16(out + HDR_OFF(version), VHSM_SEAL_VERSION);
	put16(out + HDR_OFF(hdr_len), VHSM_SEAL_HDR_LEN);
	put32(out + HDR_OFF(root_key_select), p->root_key_select);
	put32(out + HDR_OFF(vmpl), p->vmpl);
	put64(out + HDR_OFF(guest_field_select), p->guest_field_select);
	put64(out + HDR_OFF(tcb_version), p->tcb_version);
	put32(out + HDR_OFF(guest_svn), p->guest_svn);
	put32(out + HDR_OFF(type), p->type);
	put32(out + HDR_OFF(usage), p->usage);
	put32(out + HDR_OFF(mode), p->mode);
	put32(out + HDR_OFF(key_len), p->key_len);
	put32(out + HDR_OFF(owner_uid), p->owner_uid);
	put32(out + HDR_OFF(owner_gid), p->owner_gid);
	memcpy(out + HDR_OFF(salt), p->salt, VHSM_SEAL_SALT_LEN);
	memcpy(out + HDR_OFF(iv), p->iv, VHSM_SEAL_IV_LEN);
	memcpy(out + HDR_OFF(label), p->label, VHSM_LABEL_MAX);
}

/* NUL-terminated within the field, and nothing but NULs after the NUL. */
static bool label_field_ok(const u8 *f)
{
	size_t n = 0, i;

	while (n < VHSM_LABEL_MAX && f[n])
		n++;
	if (n == VHSM_LABEL_MAX)
		return false;
	for (i = n; i < VHSM_LABEL_MAX; i++)
		if (f[i])
			return false;
	return true;
}

static void read_header(const u8 *b, struct vhsm_seal_params *p)
{
	p->root_key_select = get32(b + HDR_OFF(root_key_select));
	p->vmpl = get32(b + HDR_OFF(vmpl));
	p->guest_field_select = get64(b + HDR_OFF(guest_field_select));
	p->tcb_version = get64(b + HDR_OFF(tcb_version));
	p->guest_svn = get32(b + HDR_OFF(guest_svn));
	p->type = get32(b + HDR_OFF(type));
	p->usage = get32(b + HDR_OFF(usage));
	p->mode = get32(b + HDR_OFF(mode));
	p->key_len = get32(b + HDR_OFF(key_len));
	p->owner_uid = get32(b + HDR_OFF(owner_uid));
	p->owner_gid = get32(b + HDR_OFF(owner_gid));
	memcpy(p->salt, b + HDR_OFF(salt), VHSM_SEAL_SALT_LEN);
	memcpy(p->iv, b + HDR_OFF(iv), VHSM_SEAL_IV_LEN);
	memcpy(p->label, b + HDR_OFF(label), VHSM_LABEL_MAX);
}

int vhsm_seal_blob_parse(const u8 *blob, size_t len, struct vhsm_seal_params *p)
{
	if (len < HDR_OFF(root_key_select))
		return -EMSGSIZE;
	if (memcmp(blob, VHSM_SEAL_MAGIC, 4))
		return -EINVAL;
	if (get16(blob + HDR_OFF(version)) != VHSM_SEAL_VERSION)
		return -EPROTONOSUPPORT;
	if (get16(blob + HDR_OFF(hdr_len)) != VHSM_SEAL_HDR_LEN)
		return -EINVAL;
	if (len < VHSM_SEAL_HDR_LEN)
		return -EMSGSIZE;
	read_header(blob, p);
	if (get32(blob + HDR_OFF(__reserved)) || get32(blob + HDR_OFF(__reserved2)))
		return -EINVAL;
	if (p->root_key_select > 1 || p->vmpl > 3 ||
	    (p->guest_field_select & ~(u64)VHSM_FIELD_ALL))
		return -EINVAL;
	if (!p->key_len || p->key_len > VHSM_SEAL_KEY_MAX)
		return -EINVAL;
	if (!label_field_ok(blob + HDR_OFF(label)))
		return -EINVAL;
	if (len != vhsm_seal_blob_len(p->key_len))
		return -EMSGSIZE;
	return 0;
}
