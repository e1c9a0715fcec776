// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "vhsm" key type: vHSM keys in the kernel's keyrings, made and found
 * with keyctl.
 *
 *   keyctl add vhsm NAME "new TYPE [usage=LIST] [mode=OCTAL]" RING
 *       generates a vHSM key owned by the caller (fsuid, fsgid), labelled
 *       NAME (which must be a valid label: 1-63 of [A-Za-z0-9._:@/+=-]);
 *       TYPE, LIST as vhsm-tool keygen spells them; defaults: the library's
 *       usage for the type, mode 0700. The keyring key owns it: when the
 *       keyring key is revoked or destroyed (its last link is gone and the
 *       key garbage collector reaps it, or the module is unloaded) the vHSM
 *       key is destroyed too, unless it was destroyed before.
 *   keyctl add vhsm NAME "ref KEY" RING
 *       references an existing key the caller may see: one of the caller's
 *       labels, or "#N". The vHSM key is not owned: it outlives the keyring
 *       key.
 *   keyctl add vhsm NAME "load HEXBLOB" RING
 *       unseals a sealed blob (VHSM_IOC_UNSEAL's rules) into a new vHSM key
 *       labelled NAME, owned by the keyring key as with "new".
 *
 * The payload is the key's token and cached attributes, never key bytes.
 * keyctl read/print/pipe of a key with VHSM_USAGE_SEAL return a fresh sealed
 * blob (vhsm-tool seal's defaults: VCEK, every launch field, TCB auto), made
 * with the reader's credentials (the owner or CAP_SYS_ADMIN, seal.c); of any
 * other key the 16-byte token (VHSM_IOC_KEY_TOKEN's), which grants nothing
 * by itself and is no sealed form of the key. /proc/keys shows the vHSM
 * type, usage, label and handle. Keys of this type cannot be updated.
 *
 * Who may: the device node's rule (root or the group= group, see
 * vhsm_chardev_caller_allowed()), else -EACCES; then the key store's own
 * checks, with the calling task's credentials.
 *
 * Locking: the key service calls preparse with its key type semaphore held
 * for reading, revoke with the key's semaphore held, and destroy from its
 * garbage collector; all may take the key store's mutex, and the store never calls into the key service, so the
 * order is always key service first, store second. The payload is written
 * once before the key is instantiated and never changes.
 */
#include <linux/cred.h>
#include <linux/key-type.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "chardev.h"
#include "compat.h"
#include "key_type.h"
#include "keynames.h"
#include "keystore.h"
#include "policy.h"
#include "seal.h"
#include "token.h"

/* Longest payload accepted: "load " and the hex of the largest blob. */
#define VHSM_KTYPE_PAYLOAD_MAX	(8 + 2 * VHSM_SEAL_BLOB_MAX)

/**
 * struct vhsm_kref - the payload of a "vhsm" key
 * @token:   the vHSM key's token
 * @handle:  its handle and
 * @id:      unique id (for destroying an owned key, never another)
 * @type:    its attributes, fixed for its life
 * @key_len: secret length (secretN)
 * @usage:   VHSM_USAGE_*
 * @owned:   created by "new": destroyed with the keyring key
 * @label:   its label
 */
struct vhsm_kref {
	u8 token[VHSM_TOKEN_LEN];
	u32 handle;
	u64 id;
	u32 type;
	u32 key_len;
	u32 usage;
	bool owned;
	char label[VHSM_LABEL_MAX];
};

static void kref_fill(struct vhsm_kref *ref, const struct vhsm_key *key, bool owned)
{
	vhsm_token_make(key, ref->token);
	ref->handle = key->handle;
	ref->id = key->id;
	ref->type = key->type;
	ref->key_len = key->len;
	ref->usage = key->usage;
	ref->owned = owned;
	strscpy(ref->label, key->label, sizeof(ref->label));
}

/* Destroy the vHSM key an owning keyring key made, if it still exists. */
static void kref_destroy_owned(const struct vhsm_kref *ref)
{
	struct vhsm_key *key = vhsm_keystore_get(ref->handle);

	if (key && key->id == ref->id)
		vhsm_keystore_remove(key);
	vhsm_key_put(key);
}

/* "usage=LIST" and "mode=OCTAL" after "new TYPE". */
static int parse_new_opts(char *opts, struct vhsm_key_attr *attr)
{
	bool usage_set = false, mode_set = false;
	char *tok;
	int ret;

	while ((tok = strsep(&opts, " "))) {
		if (!*tok)
			continue;
		if (str_has_prefix(tok, "usage=") && !usage_set) {
			ret = vhsm_keyname_usage_parse(tok + strlen("usage="), &attr->usage);
			usage_set = true;
		} else if (str_has_prefix(tok, "mode=") && !mode_set) {
			ret = kstrtou32(tok + strlen("mode="), 8, &attr->mode);
			if (!ret && attr->mode > VHSM_MODE_MASK)
				ret = -EINVAL;
			mode_set = true;
		} else {
			ret = -EINVAL;
		}
		if (ret)
			return -EINVAL;
	}
	if (!usage_set)
		attr->usage = vhsm_keyname_default_usage(attr->type);
	return 0;
}

/* "new TYPE [usage=LIST] [mode=OCTAL]": generate a key labelled @desc. */
static int kref_new(char *args, const char *desc, struct vhsm_kref *ref)
{
	struct vhsm_key_attr attr = { .mode = 0700 };
	struct vhsm_key_spec spec = { .attr = &attr, .origin = VHSM_ORIGIN_GENERATED };
	char *type = strsep(&args, " ");
	struct vhsm_key *key;
	u32 handle;
	int ret;

	if (!desc || !type || vhsm_keyname_type_parse(type, &attr.type, &attr.key_len))
		return -EINVAL;
	if (strscpy_pad(attr.label, desc, sizeof(attr.label)) < 0)
		return -EINVAL;
	ret = parse_new_opts(args, &attr) ?:
	      vhsm_keystore_validate_attr(&attr, &spec.len) ?:
	      vhsm_keystore_add(&spec, &handle);
	if (ret)
		return ret;
	/* labels are unique per owner: the key at @handle with our label is ours */
	key = vhsm_keystore_get(handle);
	if (!key || !uid_eq(key->uid, current_fsuid()) || strcmp(key->label, attr.label)) {
		vhsm_key_put(key);
		return -ENOENT;		/* destroyed before we could reference it */
	}
	kref_fill(ref, key, true);
	vhsm_key_put(key);
	return 0;
}

/* "ref KEY": one of the caller's labels or "#N" the caller may see. */
static int kref_ref(char *args, struct vhsm_kref *ref)
{
	char *name = strsep(&args, " ");
	char label[VHSM_LABEL_MAX];
	struct vhsm_key *key;
	u32 handle;
	int ret;

	if (!name || !*name || (args && *args))
		return -EINVAL;
	if (name[0] == '#') {
		if (kstrtou32(name + 1, 10, &handle) || !handle)
			return -EINVAL;
	} else {
		/* the store compares whole NUL-padded label fields */
		if (strscpy_pad(label, name, sizeof(label)) < 0)
			return -EINVAL;
		ret = vhsm_keystore_lookup(current_fsuid(), label, &handle);
		if (ret)
			return ret;
	}
	key = vhsm_keystore_get_for(handle, VHSM_MODE_SEE, &ret);
	if (!key)
		return ret;
	kref_fill(ref, key, false);
	vhsm_key_put(key);
	return 0;
}

/* "load HEXBLOB": unseal into a new key labelled @desc, owned like "new". */
static int kref_load(char *args, const char *desc, struct vhsm_kref *ref)
{
	char label[VHSM_LABEL_MAX];
	struct vhsm_key *key;
	u32 handle, fw_error = 0;
	size_t n = args ? strlen(args) : 0;
	u8 *blob;
	int ret;

	if (!desc || strscpy_pad(label, desc, sizeof(label)) < 0 || !n || n % 2 ||
	    n / 2 > VHSM_SEAL_BLOB_MAX)
		return -EINVAL;
	blob = kzalloc(n / 2, GFP_KERNEL_ACCOUNT);
	if (!blob)
		return -ENOMEM;
	ret = hex2bin(blob, args, n / 2) ? -EINVAL :
	      vhsm_unseal_store(blob, n / 2, label, &handle, &fw_error);
	kfree(blob);
	if (ret)
		return ret;
	key = vhsm_keystore_get(handle);
	if (!key || strcmp(key->label, label)) {
		vhsm_key_put(key);
		return -ENOENT;		/* destroyed before we could reference it */
	}
	kref_fill(ref, key, true);
	vhsm_key_put(key);
	return 0;
}

static int kref_parse(char *text, const char *desc, struct vhsm_kref *ref)
{
	char *verb = strsep(&text, " ");

	if (!strcmp(verb, "new"))
		return kref_new(text, desc, ref);
	if (!strcmp(verb, "ref"))
		return kref_ref(text, ref);
	if (!strcmp(verb, "load"))
		return kref_load(text, desc, ref);
	return -EINVAL;
}

static int vhsm_ktype_preparse(struct key_preparsed_payload *prep)
{
	struct vhsm_kref *ref;
	size_t len = prep->datalen;
	char *text;
	int ret;

	if (!vhsm_chardev_caller_allowed())
		return -EACCES;
	if (!len || len > VHSM_KTYPE_PAYLOAD_MAX || !prep->data)
		return -EINVAL;
	text = kmemdup_nul(prep->data, len, GFP_KERNEL_ACCOUNT);
	if (!text)
		return -ENOMEM;
	if (text[len - 1] == '\n')	/* keyctl padd from echo */
		text[len - 1] = '\0';
	ref = kzalloc(sizeof(*ref), GFP_KERNEL_ACCOUNT);
	if (!ref) {
		ret = -ENOMEM;
		goto out;
	}
	ret = kref_parse(text, prep->orig_description, ref);
	if (ret) {
		kfree(ref);
		goto out;
	}
	prep->payload.data[0] = ref;
	prep->quotalen = sizeof(*ref);
out:
	kfree(text);
	return ret;
}

/* Preparsed but not instantiated (e.g. the keyring refused it): undo "new". */
static void vhsm_ktype_free_preparse(struct key_preparsed_payload *prep)
{
	struct vhsm_kref *ref = prep->payload.data[0];

	if (ref && ref->owned)
		kref_destroy_owned(ref);
	kfree(ref);
}

/* keyctl revoke: the keyring key is dead from now on, and so is what it owns. */
static void vhsm_ktype_revoke(struct key *key)
{
	const struct vhsm_kref *ref = key->payload.data[0];

	if (ref && ref->owned)
		kref_destroy_owned(ref);
}

static void vhsm_ktype_destroy(struct key *key)
{
	struct vhsm_kref *ref = key->payload.data[0];

	if (ref && ref->owned)
		kref_destroy_owned(ref);
	kfree(ref);
}

static void vhsm_ktype_describe(const struct key *key, struct seq_file *m)
{
	const struct vhsm_kref *ref = key->payload.data[0];
	char type[VHSM_KEYNAME_TYPE_MAX];

	seq_puts(m, key->description);
	if (!key_is_positive(key) || !ref)
		return;
	vhsm_keyname_type(ref->type, ref->key_len, type, sizeof(type));
	seq_printf(m, ": %s usage=", type);
	vhsm_keyname_usage_show(m, ref->usage);
	seq_printf(m, " label=%s #%u%s", ref->label, ref->handle,
		   ref->owned ? " owned" : "");
}

/*
 * keyctl read of a sealable key: a sealed blob of the vHSM key it names, if
 * that key still exists (-ENOKEY otherwise) and the reader may seal it. A
 * buffer too small gets nothing and learns the length (the key service's
 * rule), so no blob is made for a length query.
 */
static long kref_read_sealed(const struct vhsm_kref *ref, char *buffer, size_t buflen)
{
	struct vhsm_seal_binding b = VHSM_SEAL_DEFAULT_BINDING;
	struct vhsm_key *key = vhsm_keystore_get(ref->handle);
	u32 len, fw_error = 0;
	long ret;

	if (!key || key->id != ref->id) {
		ret = -ENOKEY;
		goto out;
	}
	ret = vhsm_seal_check(key);
	if (ret)
		goto out;
	len = buflen > U32_MAX ? U32_MAX : buflen;
	ret = vhsm_seal_key(key, &b, buffer && buflen ? (u8 *)buffer : NULL, &len, &fw_error);
	if (!ret || ret == -ENOSPC)
		ret = len;
out:
	vhsm_key_put(key);
	return ret;
}

/* keyctl read/print/pipe: a sealed blob or the token, never key bytes. */
static long vhsm_ktype_read(const struct key *key, char *buffer, size_t buflen)
{
	const struct vhsm_kref *ref = key->payload.data[0];

	if (ref->usage & VHSM_USAGE_SEAL)
		return kref_read_sealed(ref, buffer, buflen);
	if (buffer && buflen)
		memcpy(buffer, ref->token, min(buflen, sizeof(ref->token)));
	return sizeof(ref->token);
}

static struct key_type vhsm_key_type = {
	.name = "vhsm",
	.preparse = vhsm_ktype_preparse,
	.free_preparse = vhsm_ktype_free_preparse,
	.instantiate = generic_key_instantiate,
	.revoke = vhsm_ktype_revoke,
	.destroy = vhsm_ktype_destroy,
	.describe = vhsm_ktype_describe,
	.read = vhsm_ktype_read,
};

int vhsm_key_type_init(void)
{
	return register_key_type(&vhsm_key_type);
}

/* Destroys every "vhsm" keyring key (and the vHSM keys they own). */
void vhsm_key_type_exit(void)
{
	unregister_key_type(&vhsm_key_type);
}
