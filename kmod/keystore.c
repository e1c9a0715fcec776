// SPDX-License-Identifier: GPL-2.0-only
/*
 * The key store: keys in kernel memory (slab: never swapped), addressed by
 * handle, labelled per owner, charged to quotas, wiped when the last user lets
 * go.
 *
 * Locking and lifetime:
 * - vhsm_store_lock (a mutex) serialises every change to the store: inserting
 *   and erasing handles in vhsm_keys, the label table (an rhashtable keyed by
 *   owner and label) and the quota counters. Listing takes it too. Creating
 *   and destroying keys (management) thus take one global lock; using them
 *   does not.
 * - Nothing an operation on a key does writes shared state (issue 13): a
 *   lookup by handle is xa_load() under RCU, then refcount_inc_not_zero() on
 *   that key alone; a lookup by label is rhashtable_lookup() under RCU and
 *   reads only immutable fields (uid, label, mode, handle). The store holds
 *   one reference while the key is in it; each operation holds one while it
 *   runs. Removing a key erases it under the lock and drops the store's
 *   reference; whichever put is last wipes the material and frees the
 *   transform, and the object itself is freed after an RCU grace period,
 *   because a concurrent lookup may still be reading it. A label lookup that
 *   races with a removal returns the handle, which then resolves to -ENOENT,
 *   as a lookup just before the removal would have.
 * - A new key is published in three steps under the lock: its handle is
 *   reserved (xa_load() still sees nothing), its label inserted (label
 *   lookups now see it, handle already set), then its handle stored (usable).
 * - Key objects come from vhsm_key_caches, one slab cache per 32 bytes of
 *   material (secret plus EC public key) and used by nothing else: a key
 *   costs its packed header (struct vhsm_key, 144 bytes) plus its material
 *   rounded up to 32, not a power-of-two kmalloc bucket.
 * - Quotas are per owner kuid, i.e. per uid of the initial user namespace:
 *   the uids a user namespace maps (subordinate ranges) are other kuids with
 *   quotas of their own, so max_keys (global) and the memory cgroup bound
 *   the total. Key structs, handle nodes and per-call buffers are allocated
 *   with __GFP_ACCOUNT; a key's lazily made transforms are charged to its
 *   owner's byte quota (vhsm_keystore_charge(), an estimate) since the
 *   crypto API allocates them unaccounted.
 * - vhsm_hibernating is written by the PM notifier and read by
 *   vhsm_keystore_add(), both under vhsm_store_lock: the notifier counts the
 *   keys and sets the flag in one critical section, so a key is either in
 *   the count (hibernation refused) or refused (-EBUSY), never in the image.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/suspend.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>
#include <crypto/aead.h>
#include <crypto/hash.h>

#include "compat.h"
#include "keystore.h"
#include "policy.h"

static unsigned int max_keys = 65536;
module_param(max_keys, uint, 0644);
MODULE_PARM_DESC(max_keys, "keys held in total (-EDQUOT beyond)");

static unsigned int max_keys_per_user = 1024;
module_param(max_keys_per_user, uint, 0644);
MODULE_PARM_DESC(max_keys_per_user, "keys one uid may own (-EDQUOT beyond)");

static unsigned int max_bytes_per_user = 1 << 20;
module_param(max_bytes_per_user, uint, 0644);
MODULE_PARM_DESC(max_bytes_per_user, "kernel memory one uid's keys may use, in bytes (-EDQUOT beyond)");

#define VHSM_DATA_LEN_CAP	(1U << 20)
static unsigned int max_data_len = 256 << 10;
module_param(max_data_len, uint, 0444);
MODULE_PARM_DESC(max_data_len, "largest data buffer one call accepts, at most 1 MiB (-E2BIG beyond)");

static bool allow_plain_import;
module_param(allow_plain_import, bool, 0644);
MODULE_PARM_DESC(allow_plain_import, "let CAP_SYS_ADMIN import plaintext secret keys (known-answer tests, migration)");

static bool allow_hibernation;
module_param(allow_hibernation, bool, 0644);
MODULE_PARM_DESC(allow_hibernation, "allow hibernation while keys are held (the image would carry them to disk)");

struct vhsm_quota {
	kuid_t uid;
	u32 keys;
	u32 bytes;
	struct hlist_node node;
};

/*
 * Slab caches for key objects by size class: class c holds keys with up to
 * 32 * (c + 1) bytes of material. Created at init, destroyed at exit after
 * the last RCU free (rcu_barrier()); read-only in between.
 */
#define VHSM_KEY_CLASS_STEP	32
#define VHSM_KEY_CLASSES	5
static struct kmem_cache *vhsm_key_caches[VHSM_KEY_CLASSES];
static const char *const vhsm_key_cache_names[VHSM_KEY_CLASSES] = {
	"vhsm_key_32", "vhsm_key_64", "vhsm_key_96", "vhsm_key_128", "vhsm_key_160",
};

/* the largest material: a P-384 secret and public key; an HMAC key of 128 bytes */
static_assert(3 * VHSM_ECC_MAX_BYTES <= VHSM_KEY_CLASSES * VHSM_KEY_CLASS_STEP);
static_assert(128 <= VHSM_KEY_CLASSES * VHSM_KEY_CLASS_STEP);
/* the header stays packed (keystore.h): a new field should be placed with care */
static_assert(!IS_ENABLED(CONFIG_64BIT) || sizeof(struct vhsm_key) <= 144);
/* the packed fields hold every value */
static_assert(__VHSM_KEY_TYPE_MAX <= U8_MAX && VHSM_MODE_MASK <= U16_MAX);

static DEFINE_MUTEX(vhsm_store_lock);
static DEFINE_XARRAY_FLAGS(vhsm_keys, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
static struct rhashtable vhsm_labels;		/* changed under vhsm_store_lock */
static DEFINE_HASHTABLE(vhsm_quotas, 6);	/* under vhsm_store_lock */
static u32 vhsm_next_handle = 1;		/* under vhsm_store_lock */
static u64 vhsm_next_id;			/* under vhsm_store_lock */
static u32 vhsm_total_keys;			/* written under vhsm_store_lock */
/* from PM_HIBERNATION_PREPARE to PM_POST_HIBERNATION/RESTORE; under vhsm_store_lock */
static bool vhsm_hibernating;

u32 vhsm_keystore_max_data_len(void)
{
	return max_data_len;
}

bool vhsm_keystore_plain_import_allowed(void)
{
	return READ_ONCE(allow_plain_import);
}

void vhsm_keystore_limits(struct vhsm_info_limits *limits)
{
	limits->max_keys = READ_ONCE(max_keys);
	limits->max_keys_per_user = READ_ONCE(max_keys_per_user);
	limits->max_bytes_per_user = READ_ONCE(max_bytes_per_user);
	limits->max_data_len = max_data_len;
	limits->max_label_len = VHSM_LABEL_MAX - 1;
}

/* ---- attributes ---------------------------------------------------------- */

static bool label_char_ok(char c)
{
	return isalnum(c) || strchr("._:@/+=-", c);
}

static int label_validate(const char *label)
{
	size_t len = strnlen(label, VHSM_LABEL_MAX);
	size_t i;

	if (len == 0 || len == VHSM_LABEL_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!label_char_ok(label[i]))
			return -EINVAL;
	if (memchr_inv(label + len, 0, VHSM_LABEL_MAX - len))
		return -EINVAL;
	return 0;
}

/* The secret length for @type given the requested @key_len (0 = default). */
static int key_len_for(u32 type, u32 key_len, u32 *len)
{
	static const u8 fixed[__VHSM_KEY_TYPE_MAX] = {
		[VHSM_KEY_AES128_GCM] = 16, [VHSM_KEY_AES256_GCM] = 32,
		[VHSM_KEY_AES256_XTS] = 64, [VHSM_KEY_EC_P256] = 32,
		[VHSM_KEY_EC_P384] = 48, [VHSM_KEY_HMAC_SHA256] = 32,
		[VHSM_KEY_HMAC_SHA384] = 48,
	};

	switch (type) {
	case VHSM_KEY_HMAC_SHA256:
	case VHSM_KEY_HMAC_SHA384:
		*len = key_len ?: fixed[type];
		return *len >= 16 && *len <= 128 ? 0 : -EINVAL;
	case VHSM_KEY_SECRET:
		*len = key_len;
		return key_len >= 16 && key_len <= 64 ? 0 : -EINVAL;
	default:
		if (type == 0 || type >= __VHSM_KEY_TYPE_MAX)
			return -EINVAL;
		*len = fixed[type];
		return key_len == 0 || key_len == *len ? 0 : -EINVAL;
	}
}

/**
 * vhsm_keystore_validate_attr() - check a requested key's attributes
 * @attr: from userspace
 * @len:  [out] the secret length the key will have
 *
 * Return: 0 or -EINVAL (type, usage for the type, mode, key_len or label).
 */
int vhsm_keystore_validate_attr(const struct vhsm_key_attr *attr, u32 *len)
{
	int ret = key_len_for(attr->type, attr->key_len, len);

	if (ret)
		return ret;
	if (!attr->usage || attr->usage & ~vhsm_policy_usage_allowed(attr->type, false))
		return -EINVAL;
	if (attr->mode & ~VHSM_MODE_MASK)
		return -EINVAL;
	return label_validate(attr->label);
}

bool vhsm_key_is_ec(u32 type)
{
	return type == VHSM_KEY_EC_P256 || type == VHSM_KEY_EC_P384;
}

enum vhsm_ecc_curve vhsm_key_curve(u32 type)
{
	return type == VHSM_KEY_EC_P384 ? VHSM_ECC_P384 : VHSM_ECC_P256;
}

/* ---- labels and quotas (vhsm_store_lock held) ------------------------------ */

/* Labels are unique per owner: the hash key is (uid, label). */
struct label_key {
	kuid_t uid;
	const char *label;
};

static u32 label_hash(kuid_t uid, const char *label, u32 seed)
{
	return jhash(label, strlen(label), seed ^ __kuid_val(uid));
}

static u32 label_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct label_key *k = data;

	return label_hash(k->uid, k->label, seed);
}

static u32 label_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct vhsm_key *key = data;

	return label_hash(key->uid, key->label, seed);
}

static int label_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct label_key *k = arg->key;
	const struct vhsm_key *key = obj;

	return !uid_eq(k->uid, key->uid) || strcmp(k->label, key->label);
}

static const struct rhashtable_params label_params = {
	.head_offset = offsetof(struct vhsm_key, label_node),
	.hashfn = label_key_hashfn,
	.obj_hashfn = label_obj_hashfn,
	.obj_cmpfn = label_obj_cmpfn,
	.automatic_shrinking = true,
};

static struct vhsm_key *label_find(kuid_t uid, const char *label)
{
	struct label_key k = { .uid = uid, .label = label };

	lockdep_assert_held(&vhsm_store_lock);
	return rhashtable_lookup_fast(&vhsm_labels, &k, label_params);
}

static struct vhsm_quota *quota_find(kuid_t uid)
{
	struct vhsm_quota *q;

	lockdep_assert_held(&vhsm_store_lock);
	hash_for_each_possible(vhsm_quotas, q, node, __kuid_val(uid))
		if (uid_eq(q->uid, uid))
			return q;
	return NULL;
}

static int quota_charge(kuid_t uid, u32 bytes)
{
	struct vhsm_quota *q;

	lockdep_assert_held(&vhsm_store_lock);
	if (vhsm_total_keys >= READ_ONCE(max_keys))
		return -EDQUOT;
	q = quota_find(uid);
	if (!q) {
		q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
		if (!q)
			return -ENOMEM;
		q->uid = uid;
		hash_add(vhsm_quotas, &q->node, __kuid_val(uid));
	}
	if (q->keys >= READ_ONCE(max_keys_per_user) ||
	    bytes > READ_ONCE(max_bytes_per_user) - min(q->bytes, READ_ONCE(max_bytes_per_user))) {
		if (!q->keys) {
			hash_del(&q->node);
			kfree(q);
		}
		return -EDQUOT;
	}
	q->keys++;
	q->bytes += bytes;
	WRITE_ONCE(vhsm_total_keys, vhsm_total_keys + 1);
	return 0;
}

static void quota_uncharge(kuid_t uid, u32 bytes)
{
	struct vhsm_quota *q = quota_find(uid);

	lockdep_assert_held(&vhsm_store_lock);
	if (WARN_ON_ONCE(!q))
		return;
	q->keys--;
	q->bytes -= bytes;
	WRITE_ONCE(vhsm_total_keys, vhsm_total_keys - 1);
	if (!q->keys) {
		hash_del(&q->node);
		kfree(q);
	}
}

/* ---- key objects ------------------------------------------------------------ */

static unsigned int key_class_size(unsigned int class)
{
	return sizeof(struct vhsm_key) + VHSM_KEY_CLASS_STEP * (class + 1);
}

static void key_free_rcu(struct rcu_head *rcu)
{
	struct vhsm_key *key = container_of(rcu, struct vhsm_key, rcu);

	kmem_cache_free(vhsm_key_caches[key->size_class], key);
}

/* The last reference: wipe the secret now, free the object after RCU readers. */
static void key_free(struct vhsm_key *key)
{
	/* one transform at most, and which one the type says (see ops.c) */
	if (key->type == VHSM_KEY_HMAC_SHA256 || key->type == VHSM_KEY_HMAC_SHA384) {
		if (key->shash)
			crypto_free_shash(key->shash);
	} else if (key->aead) {
		crypto_free_aead(key->aead);
	}
	memzero_explicit(key->material, key->len);
	call_rcu(&key->rcu, key_free_rcu);
}

void vhsm_key_put(struct vhsm_key *key)
{
	if (key && refcount_dec_and_test(&key->ref))
		key_free(key);
}

/**
 * vhsm_keystore_get() - take a reference to the key behind @handle
 * @handle: from userspace
 *
 * Return: the key, to be released with vhsm_key_put(), or NULL. No access
 * check: callers apply vhsm_policy_check().
 */
struct vhsm_key *vhsm_keystore_get(u32 handle)
{
	struct vhsm_key *key;

	rcu_read_lock();
	key = xa_load(&vhsm_keys, handle);
	if (key && !refcount_inc_not_zero(&key->ref))
		key = NULL;
	rcu_read_unlock();
	return key;
}

/**
 * vhsm_keystore_get_for() - the key behind @handle, if the caller holds
 *                           @need_mode (VHSM_MODE_*) on it
 * @handle:    from userspace
 * @need_mode: the mode bits the action needs
 * @err:       [out] -ENOENT or -EACCES when NULL is returned
 *
 * Return: a referenced key (release with vhsm_key_put()) or NULL.
 */
struct vhsm_key *vhsm_keystore_get_for(u32 handle, unsigned int need_mode, int *err)
{
	struct vhsm_key *key = vhsm_keystore_get(handle);

	if (!key) {
		*err = -ENOENT;
		return NULL;
	}
	*err = vhsm_policy_check(key, need_mode, 0);
	if (*err) {
		vhsm_key_put(key);
		return NULL;
	}
	return key;
}

static int key_fill_material(struct vhsm_key *key, const struct vhsm_key_spec *spec)
{
	enum vhsm_ecc_curve curve = vhsm_key_curve(key->type);
	int ret;

	if (spec->public_only) {
		memcpy(vhsm_key_pub(key), spec->pub, 2 * vhsm_ecc_nbytes(curve));
		return 0;
	}
	if (spec->material)
		memcpy(key->material, spec->material, key->len);
	else if (vhsm_key_is_ec(key->type))
		return vhsm_ecc_generate(curve, key->material) ?:
		       vhsm_ecc_public(curve, key->material, vhsm_key_pub(key));
	else
		get_random_bytes(key->material, key->len);

	if (!vhsm_key_is_ec(key->type))
		return 0;
	ret = vhsm_ecc_check_private(curve, key->material);
	return ret ?: vhsm_ecc_public(curve, key->material, vhsm_key_pub(key));
}

/* A new key now would be written to the hibernation image. */
static bool hibernation_refuses_keys(void)
{
	lockdep_assert_held(&vhsm_store_lock);
	return vhsm_hibernating && !READ_ONCE(allow_hibernation);
}

/* The size class for a key of @type with @len bytes of secret. */
static int key_class(u32 type, u32 len, unsigned int *class)
{
	u32 material = len;

	if (vhsm_key_is_ec(type))
		material += 2 * vhsm_ecc_nbytes(vhsm_key_curve(type));
	if (WARN_ON_ONCE(!material || material > VHSM_KEY_CLASSES * VHSM_KEY_CLASS_STEP))
		return -EINVAL;
	*class = (material - 1) / VHSM_KEY_CLASS_STEP;
	return 0;
}

static struct vhsm_key *key_new(const struct vhsm_key_spec *spec)
{
	const struct cred *cred = current_cred();
	u32 len = spec->public_only ? 0 : spec->len;
	struct vhsm_key *key;
	unsigned int class;
	int ret;

	ret = key_class(spec->attr->type, len, &class);
	if (ret)
		return ERR_PTR(ret);
	/* charged to the creator's memory cgroup as well as to its quota */
	key = kmem_cache_zalloc(vhsm_key_caches[class], GFP_KERNEL_ACCOUNT);
	if (!key)
		return ERR_PTR(-ENOMEM);
	refcount_set(&key->ref, 1);
	key->size_class = class;
	key->type = spec->attr->type;
	key->usage = spec->attr->usage;
	key->mode = spec->attr->mode;
	key->origin = spec->origin;
	key->public_only = spec->public_only;
	key->uid = spec->set_owner ? spec->uid : cred->fsuid;
	key->gid = spec->set_owner ? spec->gid : cred->fsgid;
	key->created = ktime_get_real_seconds();
	key->len = len;
	key->cost = key_class_size(class);
	strscpy_pad(key->label, spec->attr->label, sizeof(key->label));

	ret = key_fill_material(key, spec);
	if (ret) {
		vhsm_key_put(key);
		return ERR_PTR(ret);
	}
	return key;
}

/**
 * vhsm_keystore_add() - create a key and put it in the store
 * @spec:   what to create; the caller's fsuid/fsgid become its owner unless
 *          @spec->set_owner names another
 * @handle: [out] its handle
 *
 * Return: 0, -EEXIST (label taken by this owner), -EDQUOT, -ENOMEM, -EBUSY
 * (no free handle, or hibernation in progress without allow_hibernation:
 * the key would be written to the image), or -EINVAL (bad EC material).
 */
int vhsm_keystore_add(const struct vhsm_key_spec *spec, u32 *handle)
{
	struct vhsm_key *key = key_new(spec);
	void *old;
	int ret;

	if (IS_ERR(key))
		return PTR_ERR(key);

	mutex_lock(&vhsm_store_lock);
	if (hibernation_refuses_keys()) {
		ret = -EBUSY;
		goto err_unlock;
	}
	if (label_find(key->uid, key->label)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = quota_charge(key->uid, key->cost);
	if (ret)
		goto err_unlock;
	key->id = vhsm_next_id++;	/* before lockless lookups can see the key */
	/* reserved: xa_load() sees nothing there until the xa_store() below */
	ret = xa_alloc_cyclic(&vhsm_keys, &key->handle, NULL,
			      XA_LIMIT(1, INT_MAX), &vhsm_next_handle, GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		goto err_uncharge;
	ret = rhashtable_insert_fast(&vhsm_labels, &key->label_node, label_params);
	if (ret)
		goto err_release;
	old = xa_store(&vhsm_keys, key->handle, key, GFP_KERNEL_ACCOUNT);
	if (xa_is_err(old)) {
		ret = xa_err(old);
		goto err_unlabel;
	}
	*handle = key->handle;
	mutex_unlock(&vhsm_store_lock);
	return 0;

err_unlabel:
	rhashtable_remove_fast(&vhsm_labels, &key->label_node, label_params);
err_release:
	xa_erase(&vhsm_keys, key->handle);
err_uncharge:
	quota_uncharge(key->uid, key->cost);
err_unlock:
	mutex_unlock(&vhsm_store_lock);
	vhsm_key_put(key);
	return ret;
}

/**
 * vhsm_keystore_charge() - charge @bytes more to @key's owner (a transform
 *                          made on first use)
 * @key:   a key the caller holds a reference to
 * @bytes: the estimate
 *
 * A key no longer in the store is not charged: its owner's quota was
 * released when it was removed. Undo with vhsm_keystore_uncharge().
 *
 * Return: 0, or -EDQUOT when the owner's byte quota cannot hold @bytes.
 */
int vhsm_keystore_charge(struct vhsm_key *key, u32 bytes)
{
	u32 max = READ_ONCE(max_bytes_per_user);
	struct vhsm_quota *q;
	int ret = 0;

	mutex_lock(&vhsm_store_lock);
	if (xa_load(&vhsm_keys, key->handle) != key)
		goto out;
	q = quota_find(key->uid);
	if (WARN_ON_ONCE(!q))
		goto out;
	if (bytes > max - min(q->bytes, max)) {
		ret = -EDQUOT;
		goto out;
	}
	q->bytes += bytes;
	key->cost += bytes;
out:
	mutex_unlock(&vhsm_store_lock);
	return ret;
}

/* Give back what vhsm_keystore_charge(@key, @bytes) took, if it still holds. */
void vhsm_keystore_uncharge(struct vhsm_key *key, u32 bytes)
{
	struct vhsm_quota *q;

	mutex_lock(&vhsm_store_lock);
	/* removed meanwhile: store_unlink() gave back key->cost, @bytes included */
	if (xa_load(&vhsm_keys, key->handle) == key) {
		q = quota_find(key->uid);
		if (!WARN_ON_ONCE(!q || q->bytes < bytes || key->cost < bytes)) {
			q->bytes -= bytes;
			key->cost -= bytes;
		}
	}
	mutex_unlock(&vhsm_store_lock);
}

static void store_unlink(struct vhsm_key *key)
{
	lockdep_assert_held(&vhsm_store_lock);
	xa_erase(&vhsm_keys, key->handle);
	rhashtable_remove_fast(&vhsm_labels, &key->label_node, label_params);
	quota_uncharge(key->uid, key->cost);
}

/**
 * vhsm_keystore_remove() - take @key out of the store and drop its reference
 * @key: a key the caller holds a reference to (still the caller's to put)
 *
 * Return: 0, or -ENOENT when someone else removed it first.
 */
int vhsm_keystore_remove(struct vhsm_key *key)
{
	int ret = -ENOENT;

	mutex_lock(&vhsm_store_lock);
	if (xa_load(&vhsm_keys, key->handle) == key) {
		store_unlink(key);
		ret = 0;
	}
	mutex_unlock(&vhsm_store_lock);
	if (!ret)
		vhsm_key_put(key);
	return ret;
}

/**
 * vhsm_keystore_lookup() - the handle of @uid's key labelled @label
 * @uid:    owner
 * @label:  label
 * @handle: [out]
 *
 * Lockless (see the top of the file): the table is read under RCU and the
 * key's immutable fields decide. Only when its mode does not let the caller
 * see it is CAP_SYS_ADMIN asked, outside the RCU section, with a reference
 * held (the capability check may audit).
 *
 * Return: 0, or -ENOENT when there is none or the caller may not see it.
 */
int vhsm_keystore_lookup(kuid_t uid, const char *label, u32 *handle)
{
	struct label_key k = { .uid = uid, .label = label };
	struct vhsm_key *key;
	int ret = -ENOENT;

	if (label_validate(label))
		return -EINVAL;
	rcu_read_lock();
	key = rhashtable_lookup(&vhsm_labels, &k, label_params);
	if (key && vhsm_policy_visible(key, false)) {
		*handle = key->handle;
		ret = 0;
		key = NULL;
	} else if (key && !refcount_inc_not_zero(&key->ref)) {
		key = NULL;	/* being freed: already out of the store */
	}
	rcu_read_unlock();
	if (key) {
		if (vhsm_policy_may_see(key)) {
			*handle = key->handle;
			ret = 0;
		}
		vhsm_key_put(key);
	}
	return ret;
}

/**
 * vhsm_keystore_list() - handles the caller may see, after @cursor
 * @cursor: 0, or the last handle of the previous call
 * @out:    array of @max handles
 * @max:    its size
 * @count:  [out] entries written
 * @more:   [out] whether visible keys follow
 *
 * Return: 0.
 */
int vhsm_keystore_list(u32 cursor, u32 *out, u32 max, u32 *count, bool *more)
{
	/* asked once, outside the lock: not a capability check per hidden key */
	bool admin = vhsm_policy_admin_noaudit();
	struct vhsm_key *key;
	unsigned long index;
	u32 n = 0;

	*more = false;
	mutex_lock(&vhsm_store_lock);
	xa_for_each_start(&vhsm_keys, index, key, (unsigned long)cursor + 1) {
		if (!vhsm_policy_visible(key, admin))
			continue;
		if (n == max) {
			*more = true;
			break;
		}
		out[n++] = key->handle;
	}
	mutex_unlock(&vhsm_store_lock);
	*count = n;
	return 0;
}

/* ---- hibernation ------------------------------------------------------------ */

/*
 * Hibernation writes all of RAM to disk. While keys are held it is refused
 * (unless allow_hibernation); once it is under way, from PREPARE until the
 * POST that ends it (also when a later notifier refuses, or after restoring
 * an image), vhsm_keystore_add() refuses new keys.
 */
static int vhsm_pm_prepare(void)
{
	bool allow = READ_ONCE(allow_hibernation);
	u32 n;

	mutex_lock(&vhsm_store_lock);
	n = vhsm_total_keys;
	if (!n || allow)
		vhsm_hibernating = true;
	mutex_unlock(&vhsm_store_lock);
	if (!n || allow)
		return NOTIFY_DONE;
	pr_warn("refusing hibernation: %u keys in kernel memory would be written to the hibernation image (module parameter allow_hibernation=1 overrides)\n",
		n);
	return notifier_from_errno(-EBUSY);
}

static int vhsm_pm_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	switch (action) {
	case PM_HIBERNATION_PREPARE:
		return vhsm_pm_prepare();
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		mutex_lock(&vhsm_store_lock);
		vhsm_hibernating = false;
		mutex_unlock(&vhsm_store_lock);
		return NOTIFY_DONE;
	default:
		return NOTIFY_DONE;
	}
}

static struct notifier_block vhsm_pm_nb = {
	.notifier_call = vhsm_pm_notify,
};

static void key_caches_destroy(void)
{
	unsigned int i;

	for (i = 0; i < VHSM_KEY_CLASSES; i++) {
		kmem_cache_destroy(vhsm_key_caches[i]);
		vhsm_key_caches[i] = NULL;
	}
}

/*
 * Caches of their own (SLAB_NO_MERGE): key material shares slab pages with
 * no other kernel object, and /proc/slabinfo shows what keys take. Not so
 * before 6.5, which has no such flag (compat.h).
 */
static int key_caches_create(void)
{
	unsigned int i;

	for (i = 0; i < VHSM_KEY_CLASSES; i++) {
		vhsm_key_caches[i] = kmem_cache_create(vhsm_key_cache_names[i],
						       key_class_size(i), 0,
						       SLAB_ACCOUNT | VHSM_SLAB_NO_MERGE, NULL);
		if (!vhsm_key_caches[i]) {
			key_caches_destroy();
			return -ENOMEM;
		}
	}
	return 0;
}

int vhsm_keystore_init(void)
{
	int ret;

	if (max_data_len == 0 || max_data_len > VHSM_DATA_LEN_CAP) {
		pr_err("max_data_len=%u: must be 1 to %u\n", max_data_len,
		       VHSM_DATA_LEN_CAP);
		return -EINVAL;
	}
	/* 2^63 keys before the counter could wrap; random so tokens of an earlier load never match */
	vhsm_next_id = get_random_u64() >> 1;
	ret = key_caches_create();
	if (ret)
		return ret;
	ret = rhashtable_init(&vhsm_labels, &label_params);
	if (ret)
		goto err_caches;
	ret = register_pm_notifier(&vhsm_pm_nb);
	if (ret)
		goto err_labels;
	return 0;

err_labels:
	rhashtable_destroy(&vhsm_labels);
err_caches:
	key_caches_destroy();
	return ret;
}

/* Module unload: no file is open, so no operation is in flight. */
void vhsm_keystore_exit(void)
{
	struct vhsm_key *key;
	unsigned long index;
	u32 wiped = 0;

	unregister_pm_notifier(&vhsm_pm_nb);
	mutex_lock(&vhsm_store_lock);
	xa_for_each(&vhsm_keys, index, key) {
		store_unlink(key);
		vhsm_key_put(key);
		wiped++;
	}
	mutex_unlock(&vhsm_store_lock);
	xa_destroy(&vhsm_keys);
	rhashtable_destroy(&vhsm_labels);
	rcu_barrier();		/* every key_free_rcu() has run */
	key_caches_destroy();
	if (wiped)
		pr_info("wiped %u keys\n", wiped);
}
