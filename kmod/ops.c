// SPDX-License-Identifier: GPL-2.0-only
/*
 * Operations on stored keys: AES-GCM, HMAC, ECDSA, public-key export and ECDH
 * derivation. Each takes a reference to its key for the duration of the call,
 * so a concurrent destroy only wipes the key once the operation is done.
 * Inputs are copied in once into kernel buffers that are zeroised on free.
 * Those buffers and the AEAD requests are charged to the caller's memory
 * cgroup (__GFP_ACCOUNT); data buffers of up to max_data_len come from
 * kvmalloc(), so a large call does not need high-order contiguous pages.
 *
 * Scaling: an operation writes no state shared with operations on other
 * keys, and only its key's reference count is shared with others on the
 * same key. Each AES-GCM and HMAC key has its own transform, keyed once
 * and only read afterwards (making it takes the store's mutex, once, to
 * charge the quota); digests and ECDH's HKDF run on two shared unkeyed
 * hash transforms with their descriptors on the stack; nothing in this
 * file allocates a transform per call.
 */
#include <linux/crypto.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>

#include "ecc.h"
#include "hkdf.h"
#include "ioctl.h"
#include "keystore.h"
#include "ops.h"
#include "policy.h"

/*
 * Message digests for ECDSA and the hash under ECDH's HKDF: unkeyed shash
 * transforms are only read by their users (descriptors live on the
 * stack), so every caller on every CPU shares these two without a lock.
 */
static struct crypto_shash *vhsm_sha256, *vhsm_sha384;

int vhsm_ops_init(void)
{
	vhsm_sha256 = crypto_alloc_shash("sha256", 0, 0);
	if (IS_ERR(vhsm_sha256))
		return PTR_ERR(vhsm_sha256);
	vhsm_sha384 = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(vhsm_sha384)) {
		crypto_free_shash(vhsm_sha256);
		return PTR_ERR(vhsm_sha384);
	}
	return 0;
}

void vhsm_ops_exit(void)
{
	crypto_free_shash(vhsm_sha384);
	crypto_free_shash(vhsm_sha256);
}

/*
 * The key behind @handle, if the caller may use it (mode), it is of a type
 * that can do the operation (@type_ok, else -EOPNOTSUPP) and it carries the
 * @usage flag (else -EPERM), checked in that order.
 */
static struct vhsm_key *key_for_use(u32 handle, bool (*type_ok)(const struct vhsm_key *),
				    u32 usage, int *err)
{
	struct vhsm_key *key = vhsm_keystore_get_for(handle, VHSM_MODE_USE, err);

	if (!key)
		return NULL;
	if (!type_ok(key))
		*err = -EOPNOTSUPP;
	if (!*err)
		*err = vhsm_policy_check(key, VHSM_MODE_USE, usage);
	if (*err) {
		vhsm_key_put(key);
		return NULL;
	}
	return key;
}

/*
 * A caller's data buffer (up to max_data_len) in kernel memory: kvmalloc'd,
 * charged to the caller's memory cgroup; a failure to allocate is just
 * -ENOMEM, so no warning. Free with kvfree_sensitive(buf, @len).
 */
static u8 *data_copy_in(u64 uptr, u32 len)
{
	u8 *buf = kvmalloc(max(len, 1U), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(uptr), len)) {
		kvfree_sensitive(buf, len);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

/* ---- AES-GCM ------------------------------------------------------------------ */

/*
 * What an AEAD transform costs its key's owner (the byte quota): the
 * transform as the crypto API allocates it (front end and the algorithm's
 * context) and one request's context, which each operation adds. An
 * estimate: the inner transforms of a template (gcm's ctr(aes) and ghash)
 * are allocated on their own and not counted.
 */
static u32 aead_tfm_cost(struct crypto_aead *tfm)
{
	return sizeof(*tfm) + crypto_aead_alg(tfm)->base.cra_ctxsize +
	       sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
}

static bool key_is_aes_gcm(const struct vhsm_key *key)
{
	return key->type == VHSM_KEY_AES128_GCM || key->type == VHSM_KEY_AES256_GCM;
}

/*
 * The key's AES-GCM transform, keyed on first use and kept until the key is
 * released; concurrent first uses race with cmpxchg and the loser frees its
 * copy. A keyed AEAD transform may serve concurrent requests.
 */
static struct crypto_aead *key_aead(struct vhsm_key *key)
{
	/* pairs with the cmpxchg below: a published tfm is fully keyed */
	struct crypto_aead *tfm = smp_load_acquire(&key->aead);
	struct crypto_aead *old;
	u32 cost;
	int ret;

	if (tfm)
		return tfm;
	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	cost = aead_tfm_cost(tfm);
	ret = crypto_aead_setkey(tfm, key->material, key->len) ?:
	      crypto_aead_setauthsize(tfm, VHSM_AEAD_TAG_LEN) ?:
	      vhsm_keystore_charge(key, cost);
	if (ret) {
		crypto_free_aead(tfm);
		return ERR_PTR(ret);
	}
	old = cmpxchg(&key->aead, NULL, tfm);
	if (old) {	/* another first use won: its transform is the one charged */
		vhsm_keystore_uncharge(key, cost);
		crypto_free_aead(tfm);
		return old;
	}
	return tfm;
}

/*
 * A scatterlist over the pages of @buf, which kvmalloc() took from the slab
 * (contiguous) or from vmalloc (page by page).
 */
static int aead_sg_build(struct sg_table *sgt, u8 *buf, size_t len)
{
	unsigned int n = DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
	struct scatterlist *sg;
	size_t off = 0;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(sgt, n, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	for_each_sg(sgt->sgl, sg, n, i) {
		u8 *p = buf + off;
		size_t chunk = min_t(size_t, len - off, PAGE_SIZE - offset_in_page(p));
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);

		sg_set_page(sg, page, chunk, offset_in_page(p));
		off += chunk;
	}
	return 0;
}

/* @buf is aad || data || tag (@len bytes in all), processed in place. */
static int aead_run(struct crypto_aead *tfm, bool decrypt, u8 *buf, size_t len,
		    u32 aad_len, u32 cryptlen, u8 *iv)
{
	struct aead_request *req;
	struct sg_table sgt;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	ret = aead_sg_build(&sgt, buf, len);
	if (ret)
		return ret;
	req = aead_request_alloc(tfm, GFP_KERNEL_ACCOUNT);
	if (!req) {
		ret = -ENOMEM;
		goto out_sg;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	aead_request_set_ad(req, aad_len);
	aead_request_set_crypt(req, sgt.sgl, sgt.sgl, cryptlen, iv);
	ret = crypto_wait_req(decrypt ? crypto_aead_decrypt(req) :
			      crypto_aead_encrypt(req), &wait);
	aead_request_free(req);
out_sg:
	sg_free_table(&sgt);
	return ret;
}

static int aead_check(const struct vhsm_aead *arg)
{
	u32 max = vhsm_keystore_max_data_len();

	if (arg->flags & ~VHSM_AEAD_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->__pad || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if ((arg->flags & VHSM_AEAD_F_DECRYPT) && (arg->flags & VHSM_AEAD_F_CALLER_IV))
		return -EINVAL;	/* decryption always takes the caller's IV */
	if (arg->in_len > max || arg->aad_len > max)
		return -E2BIG;
	return 0;
}

static size_t aead_buf_len(const struct vhsm_aead *arg)
{
	return (size_t)arg->aad_len + arg->in_len + VHSM_AEAD_TAG_LEN;
}

/*
 * Build aad || data || tag-room in one kernel buffer of aead_buf_len() bytes,
 * each copied in once: kvmalloc'd (at most 2 MiB + 16 bytes: no order-10
 * contiguous pages), charged to the caller's memory cgroup, freed with
 * kvfree_sensitive().
 */
static u8 *aead_buf_in(const struct vhsm_aead *arg, bool decrypt)
{
	size_t len = aead_buf_len(arg);
	u8 *buf = kvmalloc(len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(arg->aad_ptr), arg->aad_len) ||
	    copy_from_user(buf + arg->aad_len, u64_to_user_ptr(arg->in_ptr), arg->in_len)) {
		kvfree_sensitive(buf, len);
		return ERR_PTR(-EFAULT);
	}
	if (decrypt)
		memcpy(buf + arg->aad_len + arg->in_len, arg->tag, VHSM_AEAD_TAG_LEN);
	return buf;
}

int vhsm_cmd_aead(struct vhsm_aead *arg)
{
	bool decrypt = arg->flags & VHSM_AEAD_F_DECRYPT;
	struct crypto_aead *tfm;
	struct vhsm_key *key;
	u8 iv[VHSM_AEAD_IV_LEN];
	u8 *buf = NULL;
	int ret;

	ret = aead_check(arg);
	if (ret)
		return ret;
	key = key_for_use(arg->handle, key_is_aes_gcm,
			  decrypt ? VHSM_USAGE_DECRYPT : VHSM_USAGE_ENCRYPT, &ret);
	if (!key)
		return ret;
	if (arg->flags & VHSM_AEAD_F_CALLER_IV) {
		ret = vhsm_policy_caller_iv(key);
		if (ret)
			goto out;
	}
	if (arg->out_len < arg->in_len) {
		arg->out_len = arg->in_len;
		ret = -ENOSPC;
		goto out;
	}
	tfm = key_aead(key);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto out;
	}
	buf = aead_buf_in(arg, decrypt);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		buf = NULL;
		goto out;
	}
	if (!decrypt && !(arg->flags & VHSM_AEAD_F_CALLER_IV))
		get_random_bytes(arg->iv, sizeof(arg->iv));
	memcpy(iv, arg->iv, sizeof(iv));	/* GCM may scribble on its IV */

	ret = aead_run(tfm, decrypt, buf, aead_buf_len(arg), arg->aad_len,
		       arg->in_len + (decrypt ? VHSM_AEAD_TAG_LEN : 0), iv);
	if (ret)
		goto out;
	ret = vhsm_ubuf_copy_out(arg->out_ptr, buf + arg->aad_len, arg->in_len);
	if (ret)
		goto out;
	arg->out_len = arg->in_len;
	if (!decrypt)
		memcpy(arg->tag, buf + arg->aad_len + arg->in_len, VHSM_AEAD_TAG_LEN);
out:
	if (buf)
		kvfree_sensitive(buf, aead_buf_len(arg));
	vhsm_key_put(key);
	return ret;
}

/* ---- HMAC ----------------------------------------------------------------------- */

static const char *key_hmac_alg(const struct vhsm_key *key)
{
	switch (key->type) {
	case VHSM_KEY_HMAC_SHA256:
		return "hmac(sha256)";
	case VHSM_KEY_HMAC_SHA384:
		return "hmac(sha384)";
	default:
		return NULL;
	}
}

static bool key_is_hmac(const struct vhsm_key *key)
{
	return key_hmac_alg(key);
}

/*
 * What an HMAC transform costs its key's owner: the transform and the
 * algorithm's context (the keyed pads), and one descriptor's state. An
 * estimate, as for aead_tfm_cost(): the inner hash is not counted.
 */
static u32 shash_tfm_cost(struct crypto_shash *tfm)
{
	return sizeof(*tfm) + crypto_shash_alg(tfm)->base.cra_ctxsize +
	       sizeof(struct shash_desc) + crypto_shash_descsize(tfm);
}

/* The key's HMAC transform, keyed on first use (see key_aead()). */
static struct crypto_shash *key_shash(struct vhsm_key *key)
{
	/* pairs with the cmpxchg below: a published tfm is fully keyed */
	struct crypto_shash *tfm = smp_load_acquire(&key->shash);
	struct crypto_shash *old;
	u32 cost;
	int ret;

	if (tfm)
		return tfm;
	tfm = crypto_alloc_shash(key_hmac_alg(key), 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	cost = shash_tfm_cost(tfm);
	ret = crypto_shash_setkey(tfm, key->material, key->len) ?:
	      vhsm_keystore_charge(key, cost);
	if (ret) {
		crypto_free_shash(tfm);
		return ERR_PTR(ret);
	}
	old = cmpxchg(&key->shash, NULL, tfm);
	if (old) {	/* another first use won: its transform is the one charged */
		vhsm_keystore_uncharge(key, cost);
		crypto_free_shash(tfm);
		return old;
	}
	return tfm;
}

int vhsm_cmd_mac(struct vhsm_mac *arg)
{
	bool verify = arg->flags & VHSM_MAC_F_VERIFY;
	struct crypto_shash *tfm;
	struct vhsm_key *key;
	u8 mac[VHSM_MAC_MAX];
	unsigned int dlen;
	u8 *data = NULL;
	int ret;

	if (arg->flags & ~VHSM_MAC_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->__pad || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->data_len > vhsm_keystore_max_data_len())
		return -E2BIG;
	key = key_for_use(arg->handle, key_is_hmac, VHSM_USAGE_MAC, &ret);
	if (!key)
		return ret;
	tfm = key_shash(key);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto out;
	}
	dlen = crypto_shash_digestsize(tfm);
	if (verify && arg->mac_len != dlen) {
		ret = -EINVAL;
		goto out;
	}
	data = data_copy_in(arg->data_ptr, arg->data_len);
	if (IS_ERR(data)) {
		ret = PTR_ERR(data);
		data = NULL;
		goto out;
	}
	ret = crypto_shash_tfm_digest(tfm, data, arg->data_len, mac);
	if (ret)
		goto out;
	if (verify) {
		ret = crypto_memneq(mac, arg->mac, dlen) ? -EBADMSG : 0;
	} else {
		memcpy(arg->mac, mac, dlen);
		arg->mac_len = dlen;
	}
out:
	memzero_explicit(mac, sizeof(mac));
	if (data)
		kvfree_sensitive(data, arg->data_len);
	vhsm_key_put(key);
	return ret;
}

/* ---- ECDSA ------------------------------------------------------------------------ */

static int sig_check(const struct vhsm_sig *arg)
{
	if (arg->flags & ~VHSM_SIG_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (!vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->data_len > vhsm_keystore_max_data_len())
		return -E2BIG;
	return 0;
}

/* The digest to sign or verify: the caller's, or the hash of its message. */
static int sig_digest(const struct vhsm_sig *arg, enum vhsm_ecc_curve curve,
		      u8 *digest)
{
	struct crypto_shash *tfm = curve == VHSM_ECC_P384 ? vhsm_sha384 : vhsm_sha256;
	unsigned int dlen = crypto_shash_digestsize(tfm);
	u8 *data;
	int ret;

	if ((arg->flags & VHSM_SIG_F_DIGEST) && arg->data_len != dlen)
		return -EINVAL;
	data = data_copy_in(arg->data_ptr, arg->data_len);
	if (IS_ERR(data))
		return PTR_ERR(data);
	if (arg->flags & VHSM_SIG_F_DIGEST) {
		memcpy(digest, data, dlen);
		ret = 0;
	} else {
		ret = crypto_shash_tfm_digest(tfm, data, arg->data_len, digest);
	}
	kvfree_sensitive(data, arg->data_len);
	return ret ?: dlen;
}

static bool key_is_ec(const struct vhsm_key *key)
{
	return vhsm_key_is_ec(key->type);
}

static bool key_is_ec_private(const struct vhsm_key *key)
{
	return vhsm_key_is_ec(key->type) && !key->public_only;
}

static struct vhsm_key *ec_key_for_use(u32 handle, u32 usage, int *err)
{
	return key_for_use(handle, usage == VHSM_USAGE_VERIFY ? key_is_ec :
			   key_is_ec_private, usage, err);
}

int vhsm_cmd_sign(struct vhsm_sig *arg)
{
	u8 digest[VHSM_ECC_MAX_BYTES], raw[2 * VHSM_ECC_MAX_BYTES], der[VHSM_SIG_MAX];
	enum vhsm_ecc_curve curve;
	struct vhsm_key *key;
	const u8 *out = raw;
	int ret, dlen, len;

	ret = sig_check(arg);
	if (ret)
		return ret;
	key = ec_key_for_use(arg->handle, VHSM_USAGE_SIGN, &ret);
	if (!key)
		return ret;
	curve = vhsm_key_curve(key->type);
	dlen = sig_digest(arg, curve, digest);
	if (dlen < 0) {
		ret = dlen;
		goto out;
	}
	ret = vhsm_ecc_sign(curve, key->material, digest, dlen, raw);
	if (ret)
		goto out;
	len = 2 * vhsm_ecc_nbytes(curve);
	if (arg->flags & VHSM_SIG_F_DER) {
		len = vhsm_ecc_sig_to_der(curve, raw, der, sizeof(der));
		out = der;
		if (len < 0) {
			ret = len;
			goto out;
		}
	}
	if (arg->sig_len < len) {
		arg->sig_len = len;
		ret = -ENOSPC;
		goto out;
	}
	ret = vhsm_ubuf_copy_out(arg->sig_ptr, out, len);
	if (!ret)
		arg->sig_len = len;
out:
	vhsm_key_put(key);
	return ret;
}

int vhsm_cmd_verify(struct vhsm_sig *arg)
{
	u8 digest[VHSM_ECC_MAX_BYTES], raw[2 * VHSM_ECC_MAX_BYTES];
	enum vhsm_ecc_curve curve;
	struct vhsm_key *key;
	u8 *sig = NULL;
	int ret, dlen;

	ret = sig_check(arg);
	if (ret)
		return ret;
	if (!arg->sig_len || arg->sig_len > VHSM_SIG_MAX)
		return -EBADMSG;
	key = ec_key_for_use(arg->handle, VHSM_USAGE_VERIFY, &ret);
	if (!key)
		return ret;
	curve = vhsm_key_curve(key->type);
	sig = vhsm_ubuf_copy_in(arg->sig_ptr, arg->sig_len, VHSM_SIG_MAX);
	if (IS_ERR(sig)) {
		ret = PTR_ERR(sig);
		sig = NULL;
		goto out;
	}
	if (arg->flags & VHSM_SIG_F_DER)
		ret = vhsm_ecc_sig_from_der(curve, sig, arg->sig_len, raw);
	else if (arg->sig_len == 2 * vhsm_ecc_nbytes(curve))
		memcpy(raw, sig, arg->sig_len);
	else
		ret = -EBADMSG;
	if (ret)
		goto out;
	dlen = sig_digest(arg, curve, digest);
	ret = dlen < 0 ? dlen : vhsm_ecc_verify(curve, vhsm_key_pub(key), digest, dlen, raw);
out:
	kfree(sig);
	vhsm_key_put(key);
	return ret;
}

/* ---- public keys and ECDH ---------------------------------------------------------- */

int vhsm_cmd_pubkey(struct vhsm_pubkey *arg)
{
	u8 out[VHSM_PUBKEY_MAX];
	enum vhsm_ecc_curve curve;
	struct vhsm_key *key;
	unsigned int n;
	int ret, len;

	if (arg->flags & ~VHSM_PUBKEY_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (!vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_SEE, &ret);
	if (!key)
		return ret;
	if (!vhsm_key_is_ec(key->type)) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	curve = vhsm_key_curve(key->type);
	n = vhsm_ecc_nbytes(curve);
	if (arg->flags & VHSM_PUBKEY_F_SPKI) {
		len = vhsm_ecc_spki(curve, vhsm_key_pub(key), out, sizeof(out));
	} else {
		out[0] = 0x04;
		memcpy(out + 1, vhsm_key_pub(key), 2 * n);
		len = 1 + 2 * n;
	}
	if (len < 0) {
		ret = len;
		goto out;
	}
	if (arg->buf_len < len) {
		arg->buf_len = len;
		ret = -ENOSPC;
		goto out;
	}
	ret = vhsm_ubuf_copy_out(arg->buf_ptr, out, len);
	if (!ret)
		arg->buf_len = len;
out:
	vhsm_key_put(key);
	return ret;
}

static int derive_check(const struct vhsm_derive *arg)
{
	if (arg->flags & ~VHSM_DERIVE_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->new_handle || !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (arg->salt_len > VHSM_DERIVE_INFO_MAX || arg->info_len > VHSM_DERIVE_INFO_MAX)
		return -E2BIG;
	if (vhsm_key_is_ec(arg->attr.type))
		return -EINVAL;
	return 0;
}

/* ECDH with the peer, then HKDF into @okm. */
static int derive_secret(struct vhsm_key *key, const struct vhsm_derive *arg,
			 u8 *okm, u32 okm_len)
{
	enum vhsm_ecc_curve curve = vhsm_key_curve(key->type);
	unsigned int n = vhsm_ecc_nbytes(curve);
	u8 shared[VHSM_ECC_MAX_BYTES];
	u8 *peer, *salt = NULL, *info = NULL;
	int ret;

	if (arg->peer_len != 1 + 2 * n)
		return -EINVAL;
	peer = vhsm_ubuf_copy_in(arg->peer_ptr, arg->peer_len, arg->peer_len);
	if (IS_ERR(peer))
		return PTR_ERR(peer);
	salt = vhsm_ubuf_copy_in(arg->salt_ptr, arg->salt_len, VHSM_DERIVE_INFO_MAX);
	info = vhsm_ubuf_copy_in(arg->info_ptr, arg->info_len, VHSM_DERIVE_INFO_MAX);
	if (IS_ERR(salt) || IS_ERR(info)) {
		ret = IS_ERR(salt) ? PTR_ERR(salt) : PTR_ERR(info);
		goto out;
	}
	if (peer[0] != 0x04) {
		ret = -EINVAL;
		goto out;
	}
	ret = vhsm_ecc_ecdh(curve, key->material, peer + 1, shared);
	if (!ret)
		ret = vhsm_hkdf_hash(curve == VHSM_ECC_P384 ? vhsm_sha384 : vhsm_sha256,
				     salt, arg->salt_len, shared, n, info, arg->info_len,
				     okm, okm_len);
out:
	memzero_explicit(shared, sizeof(shared));
	if (!IS_ERR(info))
		kfree(info);
	if (!IS_ERR(salt))
		kfree(salt);
	kfree(peer);
	return ret;
}

int vhsm_cmd_derive(struct vhsm_derive *arg)
{
	struct vhsm_key_spec spec = { .attr = &arg->attr, .origin = VHSM_ORIGIN_DERIVED };
	struct vhsm_key *key;
	u8 okm[128];
	int ret;

	ret = derive_check(arg);
	if (ret)
		return ret;
	ret = vhsm_keystore_validate_attr(&arg->attr, &spec.len);
	if (ret)
		return ret;
	key = ec_key_for_use(arg->handle, VHSM_USAGE_DERIVE, &ret);
	if (!key)
		return ret;
	ret = derive_secret(key, arg, okm, spec.len);
	if (ret)
		goto out;
	spec.material = okm;
	ret = vhsm_keystore_add(&spec, &arg->new_handle);
out:
	memzero_explicit(okm, sizeof(okm));
	vhsm_key_put(key);
	return ret;
}
