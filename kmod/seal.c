// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sealing: a stored key written out as a blob (seal_blob.h) that only this
 * platform, for this launch, opens again; and the way back into the store.
 *
 *   sealing key = the platform's derived key (SNP MSG_KEY_REQ) for the
 *                 blob's root_key_select, vmpl, guest_field_select,
 *                 guest_svn, tcb_version
 *   blob key    = HKDF-SHA256(salt = the blob's salt, ikm = sealing key,
 *                 info = "vhsm seal v1"), 32 bytes
 *   blob        = header || AES-256-GCM(blob key, iv, aad = header, material)
 *
 * The AMD-SP enforces the binding: another measurement, policy, family or
 * image id, another chip or root gives another key (-EBADMSG here); a guest
 * SVN or TCB above the current launch's is refused by the firmware (-EIO).
 *
 * Who may: seal, the key's owner or CAP_SYS_ADMIN, with VHSM_MODE_USE and
 * the key's VHSM_USAGE_SEAL; unseal, the uid recorded in the blob when it is
 * in the recorded group (it could have made the key itself), or
 * CAP_SYS_ADMIN. The unsealed key belongs to the recorded owner either way.
 *
 * No lock of its own: the key store and the platform serialise themselves.
 * Every buffer that held key material or a derived key is wiped on free.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "gcm_inplace.h"
#include "hkdf.h"
#include "ioctl.h"
#include "keystore.h"
#include "platform.h"
#include "policy.h"
#include "seal.h"
#include "seal_blob.h"
#include "snp_abi.h"

#define SEAL_KDF_INFO	"vhsm seal v1"
#define SEAL_KEY_LEN	32

/* TCB components are bytes; each of @a lowered to @b's where it is above. */
static u64 tcb_min(u64 a, u64 b)
{
	u64 out = 0;
	int i;

	for (i = 0; i < 64; i += 8)
		out |= min((a >> i) & 0xff, (b >> i) & 0xff) << i;
	return out;
}

/* GUEST_SVN, COMMITTED_TCB and REPORTED_TCB from a fresh report. */
static int seal_launch_state(u32 *svn, u64 *committed, u64 *reported, u32 *fw_error)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	static const u8 zero[VHSM_REPORT_DATA_LEN];
	struct vhsm_snp_report *rep;
	u32 certs_len = 0;
	int ret;

	if (!platform->get_report)
		return -EOPNOTSUPP;
	rep = kzalloc(VHSM_SNP_REPORT_LEN, GFP_KERNEL);
	if (!rep)
		return -ENOMEM;
	ret = platform->get_report(zero, vhsm_platform_min_vmpl(), (u8 *)rep,
				   NULL, &certs_len, fw_error);
	if (!ret) {
		*svn = le32_to_cpu(rep->guest_svn);
		*committed = le64_to_cpu(rep->committed_tcb);
		*reported = le64_to_cpu(rep->reported_tcb);
	}
	kfree(rep);
	return ret;
}

/* The binding's request parameters into @p (root, vmpl, fields, SVN, TCB). */
static int seal_resolve(const struct vhsm_seal_binding *b, struct vhsm_seal_params *p,
			u32 *fw_error)
{
	u64 committed = 0, reported = 0;
	u32 svn = 0;
	int ret;

	if (b->root_key_select > 1 || b->guest_field_select & ~VHSM_FIELD_ALL)
		return -EINVAL;
	if (b->tcb_flags & ~(VHSM_SEAL_F_TCB_COMMITTED | VHSM_SEAL_F_TCB_REPORTED) ||
	    hweight32(b->tcb_flags) > 1 || (b->tcb_flags && b->tcb_version))
		return -EINVAL;
	ret = seal_launch_state(&svn, &committed, &reported, fw_error);
	if (ret)
		return ret;
	p->root_key_select = b->root_key_select;
	p->vmpl = vhsm_platform_min_vmpl();
	p->guest_field_select = b->guest_field_select;
	p->guest_svn = b->guest_field_select & VHSM_FIELD_GUEST_SVN ? svn : 0;
	if (b->tcb_flags & VHSM_SEAL_F_TCB_COMMITTED)
		p->tcb_version = committed;
	else if (b->tcb_flags & VHSM_SEAL_F_TCB_REPORTED)
		p->tcb_version = tcb_min(reported, committed);
	else
		p->tcb_version = b->tcb_version;
	return 0;
}

/* The per-blob AES key for @p (its salt) from the platform's sealing key. */
static int seal_blob_key(const struct vhsm_seal_params *p, u8 *bkey, u32 *fw_error)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	struct vhsm_platform_key_req req = {
		.root_key_select = p->root_key_select,
		.vmpl = p->vmpl,
		.guest_field_select = p->guest_field_select,
		.guest_svn = p->guest_svn,
		.tcb_version = p->tcb_version,
	};
	u8 *fw_key;
	int ret;

	if (!platform->derive_key)
		return -EOPNOTSUPP;
	fw_key = kzalloc(VHSM_SNP_KEY_LEN, GFP_KERNEL);
	if (!fw_key)
		return -ENOMEM;
	ret = platform->derive_key(&req, fw_key, fw_error);
	if (!ret)
		ret = vhsm_hkdf("hmac(sha256)", p->salt, VHSM_SEAL_SALT_LEN,
				fw_key, VHSM_SNP_KEY_LEN, SEAL_KDF_INFO,
				sizeof(SEAL_KDF_INFO) - 1, bkey, SEAL_KEY_LEN);
	kfree_sensitive(fw_key);
	return ret;
}

/*
 * AES-256-GCM in place over @buf = header || material || tag, the header as
 * AAD. Decryption fails with -EBADMSG and then leaves @buf's material
 * undefined (the caller wipes it).
 */
static int seal_gcm(const u8 *bkey, const u8 *iv, u8 *buf, u32 key_len, bool enc)
{
	static_assert(VHSM_SEAL_IV_LEN == VHSM_GCM_IV_LEN &&
		      VHSM_SEAL_TAG_LEN == VHSM_GCM_TAG_LEN);
	return vhsm_gcm_inplace(bkey, SEAL_KEY_LEN, iv, buf, VHSM_SEAL_HDR_LEN, key_len, enc);
}

/**
 * vhsm_seal_check() - may the caller seal @key?
 * @key: a key the caller may see
 *
 * Return: 0; -EOPNOTSUPP (public only); -EPERM (no VHSM_USAGE_SEAL: nobody
 * may); -EACCES (the mode forbids use, or neither owner nor CAP_SYS_ADMIN).
 */
int vhsm_seal_check(const struct vhsm_key *key)
{
	int ret;

	if (key->public_only)
		return -EOPNOTSUPP;
	if (!(key->usage & VHSM_USAGE_SEAL))
		return -EPERM;
	ret = vhsm_policy_check(key, VHSM_MODE_USE, VHSM_USAGE_SEAL);
	if (ret)
		return ret;
	if (!uid_eq(current_fsuid(), key->uid) && !capable(CAP_SYS_ADMIN))
		return -EACCES;
	return 0;
}

/* Header for @p, then encrypt @material into @blob (vhsm_seal_blob_len()). */
static int seal_material(struct vhsm_seal_params *p, const u8 *material, u8 *blob,
			 u32 *fw_error)
{
	u8 bkey[SEAL_KEY_LEN];
	int ret;

	get_random_bytes(p->salt, sizeof(p->salt));
	get_random_bytes(p->iv, sizeof(p->iv));
	ret = seal_blob_key(p, bkey, fw_error);
	if (ret)
		goto out;
	vhsm_seal_blob_put_header(p, blob);
	memcpy(blob + VHSM_SEAL_HDR_LEN, material, p->key_len);
	ret = seal_gcm(bkey, p->iv, blob, p->key_len, true);
	if (ret)
		memzero_explicit(blob, vhsm_seal_blob_len(p->key_len));
out:
	memzero_explicit(bkey, sizeof(bkey));
	return ret;
}

/**
 * vhsm_seal_key() - seal a key the caller may seal (vhsm_seal_check())
 * @key:      the key
 * @b:        the binding
 * @blob:     [out] the blob, or NULL to learn its length
 * @blob_len: [in] capacity of @blob; [out] the blob's length
 * @fw_error: [out] the firmware's status on -EIO
 *
 * Return: 0, -ENOSPC (@blob_len too small: the length is written back),
 * -EINVAL (binding), -ENOMEM, or the platform's errors.
 */
int vhsm_seal_key(struct vhsm_key *key, const struct vhsm_seal_binding *b,
		  u8 *blob, u32 *blob_len, u32 *fw_error)
{
	struct vhsm_seal_params p = {
		.type = key->type, .usage = key->usage, .mode = key->mode,
		.key_len = key->len,
		.owner_uid = from_kuid(&init_user_ns, key->uid),
		.owner_gid = from_kgid(&init_user_ns, key->gid),
	};
	u32 need = vhsm_seal_blob_len(key->len);
	int ret;

	if (!blob || *blob_len < need) {
		*blob_len = need;
		return -ENOSPC;
	}
	strscpy_pad(p.label, key->label, sizeof(p.label));
	ret = seal_resolve(b, &p, fw_error) ?: seal_material(&p, key->material, blob, fw_error);
	if (!ret)
		*blob_len = need;
	return ret;
}

/* May the caller make a key owned by @p's owner? */
static int unseal_allowed(const struct vhsm_seal_params *p, kuid_t *uid, kgid_t *gid)
{
	*uid = make_kuid(&init_user_ns, p->owner_uid);
	*gid = make_kgid(&init_user_ns, p->owner_gid);
	if (!uid_valid(*uid) || !gid_valid(*gid))
		return -EINVAL;
	if (uid_eq(current_fsuid(), *uid) && in_group_p(*gid))
		return 0;
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/*
 * Parse, check the caller, open. On success @work holds header || material
 * || tag with the material in the clear; the caller wipes it.
 */
static int unseal_open(const u8 *blob, u32 len, struct vhsm_seal_params *p, u8 *work,
		       kuid_t *uid, kgid_t *gid, u32 *fw_error)
{
	u8 bkey[SEAL_KEY_LEN];
	int ret;

	ret = vhsm_seal_blob_parse(blob, len, p) ?: unseal_allowed(p, uid, gid);
	if (ret)
		return ret;
	ret = seal_blob_key(p, bkey, fw_error);
	if (!ret) {
		memcpy(work, blob, len);
		ret = seal_gcm(bkey, p->iv, work, p->key_len, false);
	}
	memzero_explicit(bkey, sizeof(bkey));
	return ret;
}

/* The attributes a blob restores, checked as the key store checks a request. */
static int unseal_attr(const struct vhsm_seal_params *p, const char *label,
		       struct vhsm_key_attr *attr)
{
	u32 len;
	int ret;

	memset(attr, 0, sizeof(*attr));
	attr->type = p->type;
	attr->usage = p->usage;
	attr->mode = p->mode;
	attr->key_len = p->key_len;
	memcpy(attr->label, label && label[0] ? label : p->label, VHSM_LABEL_MAX);
	if (!(p->usage & VHSM_USAGE_SEAL))
		return -EINVAL;
	ret = vhsm_keystore_validate_attr(attr, &len);
	if (ret)
		return ret;
	return len == p->key_len ? 0 : -EINVAL;
}

/* A blob's key, opened, into @out (a new blob for the binding @b). */
static int reseal_blob(const u8 *src, u32 src_len, const struct vhsm_seal_binding *b,
		       u8 *out, u32 *out_len, u32 *fw_error)
{
	struct vhsm_seal_params p;
	struct vhsm_key_attr attr;
	kuid_t uid;
	kgid_t gid;
	u8 *work;
	int ret;

	if (src_len > VHSM_SEAL_BLOB_MAX)
		return -EMSGSIZE;
	work = kzalloc(VHSM_SEAL_BLOB_MAX, GFP_KERNEL);
	if (!work)
		return -ENOMEM;
	ret = unseal_open(src, src_len, &p, work, &uid, &gid, fw_error) ?:
	      unseal_attr(&p, NULL, &attr);
	if (ret)
		goto out;
	if (*out_len < src_len) {
		*out_len = src_len;
		ret = -ENOSPC;
		goto out;
	}
	ret = seal_resolve(b, &p, fw_error) ?:
	      seal_material(&p, work + VHSM_SEAL_HDR_LEN, out, fw_error);
	if (!ret)
		*out_len = src_len;
out:
	kfree_sensitive(work);
	return ret;
}

/**
 * vhsm_unseal_store() - store the key in a sealed blob
 * @blob:     the blob (kernel memory)
 * @len:      its length
 * @label:    a label for the key (VHSM_LABEL_MAX bytes, NUL-padded), or
 *            NULL or empty for the blob's own
 * @handle:   [out] the new key's handle
 * @fw_error: [out] the firmware's status on -EIO
 *
 * Return: 0 or the errors of VHSM_IOC_UNSEAL; nothing is stored on error.
 */
int vhsm_unseal_store(const u8 *blob, u32 len, const char *label,
		      u32 *handle, u32 *fw_error)
{
	struct vhsm_key_spec spec = { .origin = VHSM_ORIGIN_UNSEALED, .set_owner = true };
	struct vhsm_seal_params p;
	struct vhsm_key_attr attr;
	u8 *work;
	int ret;

	if (len > VHSM_SEAL_BLOB_MAX)
		return -EMSGSIZE;
	work = kzalloc(VHSM_SEAL_BLOB_MAX, GFP_KERNEL);
	if (!work)
		return -ENOMEM;
	/* attributes first: a blob the store would refuse is not opened */
	ret = vhsm_seal_blob_parse(blob, len, &p) ?: unseal_attr(&p, label, &attr) ?:
	      unseal_open(blob, len, &p, work, &spec.uid, &spec.gid, fw_error);
	if (ret)
		goto out;
	spec.attr = &attr;
	spec.len = p.key_len;
	spec.material = work + VHSM_SEAL_HDR_LEN;
	ret = vhsm_keystore_add(&spec, handle);
out:
	kfree_sensitive(work);
	memzero_explicit(&p, sizeof(p));
	return ret;
}

static int seal_cmd_check(const struct vhsm_seal *arg)
{
	if (arg->flags & ~VHSM_SEAL_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->guest_svn || arg->fw_error ||
	    !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->flags & VHSM_SEAL_F_RESEAL)
		return arg->handle ? -EINVAL : 0;
	return arg->src_ptr || arg->src_len ? -EINVAL : 0;
}

/* A key's blob, or a resealed blob, into @out. */
static int seal_cmd_make(struct vhsm_seal *arg, const struct vhsm_seal_binding *b,
			 u8 *out, u32 *len)
{
	struct vhsm_key *key;
	u8 *src;
	int ret;

	if (arg->flags & VHSM_SEAL_F_RESEAL) {
		src = vhsm_ubuf_copy_in(arg->src_ptr, arg->src_len, VHSM_SEAL_BLOB_MAX);
		if (IS_ERR(src))
			return PTR_ERR(src) == -E2BIG ? -EMSGSIZE : PTR_ERR(src);
		ret = reseal_blob(src, arg->src_len, b, out, len, &arg->fw_error);
		kfree(src);
		return ret;
	}
	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_SEE, &ret);
	if (!key)
		return ret;
	ret = vhsm_seal_check(key) ?: vhsm_seal_key(key, b, out, len, &arg->fw_error);
	vhsm_key_put(key);
	return ret;
}

int vhsm_cmd_seal(struct vhsm_seal *arg)
{
	struct vhsm_seal_binding b = {
		.root_key_select = arg->root_key_select,
		.guest_field_select = arg->guest_field_select,
		.tcb_flags = arg->flags & (VHSM_SEAL_F_TCB_COMMITTED | VHSM_SEAL_F_TCB_REPORTED),
		.tcb_version = arg->tcb_version,
	};
	u32 len = min_t(u32, arg->blob_len, VHSM_SEAL_BLOB_MAX);
	u8 *out;
	int ret;

	ret = seal_cmd_check(arg);
	if (ret)
		return ret;
	out = kzalloc(VHSM_SEAL_BLOB_MAX, GFP_KERNEL_ACCOUNT);
	if (!out)
		return -ENOMEM;
	ret = seal_cmd_make(arg, &b, out, &len);
	arg->blob_len = len;
	if (!ret) {
		const struct vhsm_seal_hdr *h = (const void *)out;

		arg->tcb_version = le64_to_cpu(h->tcb_version);
		arg->guest_svn = le32_to_cpu(h->guest_svn);
		ret = vhsm_ubuf_copy_out(arg->blob_ptr, out, len);
	}
	kfree_sensitive(out);
	return ret;
}

int vhsm_cmd_unseal(struct vhsm_unseal *arg)
{
	u8 *blob;
	int ret;

	if (arg->flags & ~VHSM_UNSEAL_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || arg->fw_error || arg->__pad ||
	    !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (!arg->label[0] && !vhsm_all_zero(arg->label, sizeof(arg->label)))
		return -EINVAL;
	if (arg->blob_len > VHSM_SEAL_BLOB_MAX)
		return -EMSGSIZE;
	blob = vhsm_ubuf_copy_in(arg->blob_ptr, arg->blob_len, VHSM_SEAL_BLOB_MAX);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	ret = vhsm_unseal_store(blob, arg->blob_len, arg->label, &arg->handle, &arg->fw_error);
	kfree(blob);
	return ret;
}
