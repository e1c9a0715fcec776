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
 * @type:         enum vhsm_key_type
 * @usage:        VHSM_USAGE_*
 * @mode:         VHSM_MODE_* per owner, group, other
 * @origin:       enum vhsm_key_origin
 * @public_only:  an imported EC public key: @material is empty
 * @uid:          owner
 * @gid:          owning group
 * @created:      wall-clock seconds at creation
 * @label:        NUL-terminated, unique per @uid
 * @label_node:   in the label table; changed under the store mutex
 * @pub:          EC public key X || Y (EC types only)
 * @aead:         lazily keyed AES-GCM transform (AES types); see keystore.c
 * @shash:        lazily keyed HMAC transform (HMAC types)
 * @rcu:          frees the struct after lockless lookups are done with it
 * @cost:         bytes charged to the owner's quota: the struct, and the
 *                transforms' estimated size once made; changed under the
 *                store mutex
 * @len:          bytes of @material
 * @material:     the secret; never leaves the kernel
 */
struct vhsm_key {
	refcount_t ref;
	u32 handle;
	u64 id;
	u32 type;
	u32 usage;
	u32 mode;
	u32 origin;
	bool public_only;
	kuid_t uid;
	kgid_t gid;
	time64_t created;
	char label[VHSM_LABEL_MAX];
	struct rhash_head label_node;
	u8 pub[2 * VHSM_ECC_MAX_BYTES];
	struct crypto_aead *aead;
	struct crypto_shash *shash;
	struct rcu_head rcu;
	u32 cost;
	u32 len;
	u8 material[];
};

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
