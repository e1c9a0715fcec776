/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_KEYSTORE_H
#define _VHSM_KEYSTORE_H

#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/rcupdate.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/vhsm.h>

#include "ecc.h"

struct crypto_aead;
struct crypto_shash;

/**
 * struct vhsm_key - a key held in kernel memory
 * @ref:          references: one from the store while the key is in it, one
 *                per operation in flight; the last put wipes the material
 * @handle:       its id in the store (1..)
 * @id:           unique for the life of the module (tokens carry it, so a
 *                reused handle never matches an old token)
 * @uid:          owner
 * @gid:          owning group
 * @usage:        VHSM_USAGE_*
 * @mode:         VHSM_MODE_* per owner, group, other
 * @type:         enum vhsm_key_type
 * @origin:       enum vhsm_key_origin
 * @public_only:  an imported EC public key: no secret, @len is 0
 * @size_class:   which of the store's slab caches holds it (keystore.c)
 * @len:          bytes of secret at the start of @material
 * @cost:         bytes charged to the owner's quota: the object, and the
 *                transform's estimated size once made; changed under the
 *                store mutex
 * @created:      wall-clock seconds at creation
 * @label_node:   in the label table; changed under the store mutex
 * @aead:         lazily keyed AES-GCM transform (AES-GCM types only); see ops.c
 * @shash:        lazily keyed HMAC transform (HMAC types only)
 * @rcu:          frees the object after lockless lookups are done with it
 * @label:        NUL-terminated, unique per @uid
 * @material:     the secret (@len bytes; never leaves the kernel), then for
 *                EC keys the public key X || Y (vhsm_key_pub())
 *
 * Packed so that the fixed part is 144 bytes on 64-bit: a 32-byte secret
 * takes a 176-byte object, a P-256 key 240, a P-384 key 304 (keystore.c
 * allocates from caches sized for the material).
 */
struct vhsm_key {
	refcount_t ref;
	u32 handle;
	u64 id;
	kuid_t uid;
	kgid_t gid;
	u32 usage;
	u16 mode;
	u8 type;
	u8 origin;
	bool public_only;
	u8 size_class;
	u16 len;
	u32 cost;
	time64_t created;
	struct rhash_head label_node;
	union {
		struct crypto_aead *aead;
		struct crypto_shash *shash;
	};
	struct rcu_head rcu;
	char label[VHSM_LABEL_MAX];
	u8 material[];
};

/* The public key X || Y of an EC key (after the secret, if there is one). */
static inline u8 *vhsm_key_pub(struct vhsm_key *key)
{
	return key->material + key->len;
}

/* What a new key is to be; material is copied by vhsm_keystore_add(). */
struct vhsm_key_spec {
	const struct vhsm_key_attr *attr;
	u32 origin;
	bool public_only;
	const u8 *material;	/* secret bytes, or NULL to generate */
	u32 len;
	const u8 *pub;		/* for public_only EC keys */
	bool set_owner;		/* own by @uid/@gid, not the caller (unsealing) */
	kuid_t uid;
	kgid_t gid;
};

bool vhsm_key_is_ec(u32 type);
enum vhsm_ecc_curve vhsm_key_curve(u32 type);

int vhsm_keystore_init(void);
void vhsm_keystore_exit(void);

int vhsm_keystore_validate_attr(const struct vhsm_key_attr *attr, u32 *len);
int vhsm_keystore_add(const struct vhsm_key_spec *spec, u32 *handle);
struct vhsm_key *vhsm_keystore_get(u32 handle);
struct vhsm_key *vhsm_keystore_get_for(u32 handle, unsigned int need_mode, int *err);
void vhsm_key_put(struct vhsm_key *key);
int vhsm_keystore_remove(struct vhsm_key *key);
int vhsm_keystore_charge(struct vhsm_key *key, u32 bytes);
void vhsm_keystore_uncharge(struct vhsm_key *key, u32 bytes);
int vhsm_keystore_lookup(kuid_t uid, const char *label, u32 *handle);
int vhsm_keystore_list(u32 cursor, u32 *out, u32 max, u32 *count, bool *more);
void vhsm_keystore_limits(struct vhsm_info_limits *limits);
u32 vhsm_keystore_max_data_len(void);
bool vhsm_keystore_plain_import_allowed(void);

#endif /* _VHSM_KEYSTORE_H */
