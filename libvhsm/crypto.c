// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Operations on stored keys: AES-GCM, HMAC, ECDSA, public keys and ECDH
 * derivation (VHSM_IOC_AEAD .. VHSM_IOC_DERIVE). The secret stays in the
 * kernel; these move data and results only.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct vhsm_aead) == VHSM_AEAD_SIZE_VER0, "vhsm_aead");
_Static_assert(sizeof(struct vhsm_mac) == VHSM_MAC_SIZE_VER0, "vhsm_mac");
_Static_assert(sizeof(struct vhsm_sig) == VHSM_SIG_SIZE_VER0, "vhsm_sig");
_Static_assert(sizeof(struct vhsm_pubkey) == VHSM_PUBKEY_SIZE_VER0, "vhsm_pubkey");
_Static_assert(sizeof(struct vhsm_derive) == VHSM_DERIVE_SIZE_VER0, "vhsm_derive");

/* A buffer argument: NULL only when empty. */
static int buf_ok(const void *p, size_t len)
{
	return p || !len;
}

/*
 * The checks every operation on a key starts with: a device, a handle, the
 * caller's own pointer checks (@args_ok) and a data buffer the ABI can
 * describe. 0, -EINVAL, or -E2BIG for data longer than a u32.
 */
static int op_check(struct vhsm *h, uint32_t handle, int args_ok,
		    const void *data, size_t len)
{
	if (!h || !handle || !args_ok || !buf_ok(data, len))
		return -EINVAL;
	if (len > UINT32_MAX)
		return -E2BIG;
	return 0;
}

/*
 * Zero a vhsm_mac or vhsm_sig request and fill the header they share: its
 * size and flags, the key, and the data it works on (op_check()ed).
 */
#define DATA_REQ_INIT(req, fl, hdl, data, len)				\
	do {								\
		memset(&(req), 0, sizeof(req));				\
		(req).size = sizeof(req);				\
		(req).flags = (fl);					\
		(req).handle = (hdl);					\
		(req).data_len = (uint32_t)(len);			\
		(req).data_ptr = (uintptr_t)(data);			\
	} while (0)

static int aead(struct vhsm *h, uint32_t handle, unsigned int flags,
		const void *aad, size_t aad_len, const void *in, size_t len,
		void *out, uint8_t iv[VHSM_AEAD_IV_LEN],
		uint8_t tag[VHSM_AEAD_TAG_LEN])
{
	struct vhsm_aead req;
	int ret;

	ret = op_check(h, handle, iv && tag && buf_ok(aad, aad_len) &&
		       buf_ok(out, len), in, len);
	if (ret)
		return ret;
	if (aad_len > UINT32_MAX)
		return -E2BIG;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = flags;
	req.handle = handle;
	req.aad_len = (uint32_t)aad_len;
	req.aad_ptr = (uintptr_t)aad;
	req.in_len = (uint32_t)len;
	req.in_ptr = (uintptr_t)in;
	req.out_len = (uint32_t)len;
	req.out_ptr = (uintptr_t)out;
	if (flags & (VHSM_AEAD_F_DECRYPT | VHSM_AEAD_F_CALLER_IV))
		memcpy(req.iv, iv, sizeof(req.iv));
	if (flags & VHSM_AEAD_F_DECRYPT)
		memcpy(req.tag, tag, sizeof(req.tag));
	ret = _vhsm_ioctl(h, VHSM_IOC_AEAD, &req);
	if (!ret && req.out_len != len)
		ret = -EPROTO;	/* GCM output is exactly as long as its input */
	if (!ret && !(flags & VHSM_AEAD_F_DECRYPT)) {
		memcpy(iv, req.iv, sizeof(req.iv));
		memcpy(tag, req.tag, sizeof(req.tag));
	}
	explicit_bzero(&req, sizeof(req));
	return ret;
}

int vhsm_aead_encrypt(struct vhsm *h, uint32_t handle,
		      const void *aad, size_t aad_len,
		      const void *in, size_t len, void *out,
		      uint8_t iv[VHSM_AEAD_IV_LEN],
		      uint8_t tag[VHSM_AEAD_TAG_LEN], unsigned int flags)
{
	if (flags & VHSM_AEAD_F_DECRYPT)
		return -EINVAL;
	return aead(h, handle, flags, aad, aad_len, in, len, out, iv, tag);
}

int vhsm_aead_decrypt(struct vhsm *h, uint32_t handle,
		      const void *aad, size_t aad_len,
		      const void *in, size_t len, void *out,
		      const uint8_t iv[VHSM_AEAD_IV_LEN],
		      const uint8_t tag[VHSM_AEAD_TAG_LEN], unsigned int flags)
{
	/* aead() only reads iv and tag when decrypting. */
	return aead(h, handle, flags | VHSM_AEAD_F_DECRYPT, aad, aad_len, in,
		    len, out, (uint8_t *)iv, (uint8_t *)tag);
}

int vhsm_mac(struct vhsm *h, uint32_t handle, const void *data, size_t len,
	     void *mac, size_t *mac_len)
{
	struct vhsm_mac req;
	int ret;

	ret = op_check(h, handle, mac && mac_len, data, len);
	if (ret)
		return ret;
	DATA_REQ_INIT(req, 0, handle, data, len);
	ret = _vhsm_ioctl(h, VHSM_IOC_MAC, &req);
	if (!ret && (!req.mac_len || req.mac_len > VHSM_MAC_MAX))
		ret = -EPROTO;
	if (!ret && req.mac_len > *mac_len)
		ret = -ENOSPC;
	if (!ret)
		memcpy(mac, req.mac, req.mac_len);
	if (!ret || ret == -ENOSPC)
		*mac_len = req.mac_len;
	explicit_bzero(&req, sizeof(req));
	return ret;
}

int vhsm_mac_verify(struct vhsm *h, uint32_t handle, const void *data,
		    size_t len, const void *mac, size_t mac_len)
{
	struct vhsm_mac req;
	int ret;

	ret = op_check(h, handle, mac != NULL, data, len);
	if (ret)
		return ret;
	if (mac_len > VHSM_MAC_MAX)
		return -EBADMSG;	/* longer than any MAC */
	DATA_REQ_INIT(req, VHSM_MAC_F_VERIFY, handle, data, len);
	req.mac_len = (uint32_t)mac_len;
	memcpy(req.mac, mac, mac_len);
	ret = _vhsm_ioctl(h, VHSM_IOC_MAC, &req);
	explicit_bzero(&req, sizeof(req));
	return ret;
}

int vhsm_sign(struct vhsm *h, uint32_t handle, unsigned int flags,
	      const void *data, size_t len, void *sig, size_t *sig_len)
{
	struct vhsm_sig req;
	int ret;

	ret = op_check(h, handle, sig && sig_len, data, len);
	if (ret)
		return ret;
	DATA_REQ_INIT(req, flags, handle, data, len);
	req.sig_ptr = (uintptr_t)sig;
	req.sig_len = *sig_len > UINT32_MAX ? UINT32_MAX : (uint32_t)*sig_len;
	ret = _vhsm_ioctl(h, VHSM_IOC_SIGN, &req);
	if (!ret && req.sig_len > *sig_len)
		ret = -EPROTO;
	if (!ret || ret == -ENOSPC)
		*sig_len = req.sig_len;
	return ret;
}

int vhsm_verify(struct vhsm *h, uint32_t handle, unsigned int flags,
		const void *data, size_t len, const void *sig, size_t sig_len)
{
	struct vhsm_sig req;
	int ret;

	ret = op_check(h, handle, sig != NULL, data, len);
	if (ret)
		return ret;
	if (sig_len > UINT32_MAX)
		return -EBADMSG;	/* longer than any signature */
	DATA_REQ_INIT(req, flags, handle, data, len);
	req.sig_ptr = (uintptr_t)sig;
	req.sig_len = (uint32_t)sig_len;
	return _vhsm_ioctl(h, VHSM_IOC_VERIFY, &req);
}

int vhsm_pubkey(struct vhsm *h, uint32_t handle, unsigned int flags,
		void *buf, size_t *len)
{
	struct vhsm_pubkey req;
	int ret;

	ret = op_check(h, handle, buf && len, NULL, 0);
	if (ret)
		return ret;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = flags;
	req.handle = handle;
	req.buf_ptr = (uintptr_t)buf;
	req.buf_len = *len > UINT32_MAX ? UINT32_MAX : (uint32_t)*len;
	ret = _vhsm_ioctl(h, VHSM_IOC_PUBKEY, &req);
	if (!ret && (!req.buf_len || req.buf_len > *len))
		ret = -EPROTO;
	if (!ret || ret == -ENOSPC)
		*len = req.buf_len;
	return ret;
}

int vhsm_derive(struct vhsm *h, uint32_t handle,
		const void *peer, size_t peer_len,
		const void *salt, size_t salt_len,
		const void *info, size_t info_len,
		const struct vhsm_key_attr *attr, uint32_t *new_handle)
{
	struct vhsm_derive req;
	int ret;

	/* A peer key is required: with peer_len != 0, buf_ok() wants peer. */
	ret = op_check(h, handle, peer_len && buf_ok(salt, salt_len) &&
		       buf_ok(info, info_len) && attr && new_handle,
		       peer, peer_len);
	if (ret)
		return ret;
	if (salt_len > UINT32_MAX || info_len > UINT32_MAX)
		return -E2BIG;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = handle;
	req.peer_len = (uint32_t)peer_len;
	req.peer_ptr = (uintptr_t)peer;
	req.salt_len = (uint32_t)salt_len;
	req.salt_ptr = (uintptr_t)salt;
	req.info_len = (uint32_t)info_len;
	req.info_ptr = (uintptr_t)info;
	req.attr = *attr;
	ret = _vhsm_ioctl(h, VHSM_IOC_DERIVE, &req);
	return _vhsm_handle_out(ret, req.new_handle, new_handle);
}
