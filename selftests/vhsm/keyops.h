/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Raw ioctl wrappers for the key-store selftests: they exercise the kernel ABI
 * directly, independent of libvhsm. Each returns 0 or -errno.
 */
#ifndef VHSM_KEYOPS_H
#define VHSM_KEYOPS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vhsm.h>

/* Copy a label into a NUL-padded field; longer ones are cut (tests only). */
static inline void ko_label(char dst[VHSM_LABEL_MAX], const char *label)
{
	size_t n = strlen(label);

	memset(dst, 0, VHSM_LABEL_MAX);
	memcpy(dst, label, n < VHSM_LABEL_MAX ? n : VHSM_LABEL_MAX - 1);
}

static inline int ko_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline void ko_attr(struct vhsm_key_attr *a, uint32_t type, uint32_t usage,
			   uint32_t mode, const char *label)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->usage = usage;
	a->mode = mode;
	ko_label(a->label, label);
}

static inline int ko_generate_attr(int fd, const struct vhsm_key_attr *attr, uint32_t *handle)
{
	struct vhsm_key_generate g = { .size = sizeof(g), .attr = *attr };
	int ret = ko_ioctl(fd, VHSM_IOC_KEY_GENERATE, &g);

	if (!ret && handle)
		*handle = g.handle;
	return ret;
}

static inline int ko_generate(int fd, uint32_t type, uint32_t usage, uint32_t mode,
			      const char *label, uint32_t *handle)
{
	struct vhsm_key_attr a;

	ko_attr(&a, type, usage, mode, label);
	if (type == VHSM_KEY_SECRET)
		a.key_len = 32;
	return ko_generate_attr(fd, &a, handle);
}

static inline int ko_import(int fd, uint32_t flags, const struct vhsm_key_attr *attr,
			    const void *material, uint32_t len, uint32_t *handle)
{
	struct vhsm_key_import im = {
		.size = sizeof(im), .flags = flags, .attr = *attr,
		.material_ptr = (uintptr_t)material, .material_len = len,
	};
	int ret = ko_ioctl(fd, VHSM_IOC_KEY_IMPORT, &im);

	if (!ret && handle)
		*handle = im.handle;
	return ret;
}

static inline int ko_destroy(int fd, uint32_t handle)
{
	struct vhsm_key_destroy d = { .size = sizeof(d), .handle = handle };

	return ko_ioctl(fd, VHSM_IOC_KEY_DESTROY, &d);
}

static inline int ko_info(int fd, uint32_t handle, struct vhsm_key_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->handle = handle;
	return ko_ioctl(fd, VHSM_IOC_KEY_INFO, info);
}

static inline int ko_lookup(int fd, const char *label, uint32_t *handle)
{
	struct vhsm_key_lookup l = { .size = sizeof(l) };
	int ret;

	ko_label(l.label, label);
	ret = ko_ioctl(fd, VHSM_IOC_KEY_LOOKUP, &l);
	if (!ret)
		*handle = l.handle;
	return ret;
}

/* Is @handle among the keys the caller can list? 1, 0 or -errno. */
static inline int ko_listed(int fd, uint32_t handle)
{
	struct vhsm_key_list l = { .size = sizeof(l) };
	uint32_t buf[64];
	uint32_t i;
	int ret;

	do {
		l.count = 64;
		l.handles_ptr = (uintptr_t)buf;
		l.more = 0;
		ret = ko_ioctl(fd, VHSM_IOC_KEY_LIST, &l);
		if (ret)
			return ret;
		for (i = 0; i < l.count; i++)
			if (buf[i] == handle)
				return 1;
	} while (l.more);
	return 0;
}

static inline int ko_encrypt(int fd, uint32_t handle, uint32_t flags,
			     const void *aad, uint32_t aad_len, const void *in,
			     uint32_t len, void *out, uint8_t iv[12], uint8_t tag[16])
{
	struct vhsm_aead a = {
		.size = sizeof(a), .flags = flags, .handle = handle,
		.aad_len = aad_len, .in_len = len, .out_len = len,
		.aad_ptr = (uintptr_t)aad, .in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
	};
	int ret;

	if (flags & VHSM_AEAD_F_CALLER_IV)
		memcpy(a.iv, iv, 12);
	ret = ko_ioctl(fd, VHSM_IOC_AEAD, &a);
	if (!ret) {
		memcpy(iv, a.iv, 12);
		memcpy(tag, a.tag, 16);
	}
	return ret;
}

static inline int ko_decrypt(int fd, uint32_t handle, const void *aad,
			     uint32_t aad_len, const void *in, uint32_t len,
			     void *out, const uint8_t iv[12], const uint8_t tag[16])
{
	struct vhsm_aead a = {
		.size = sizeof(a), .flags = VHSM_AEAD_F_DECRYPT, .handle = handle,
		.aad_len = aad_len, .in_len = len, .out_len = len,
		.aad_ptr = (uintptr_t)aad, .in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
	};

	memcpy(a.iv, iv, 12);
	memcpy(a.tag, tag, 16);
	return ko_ioctl(fd, VHSM_IOC_AEAD, &a);
}

static inline int ko_mac(int fd, uint32_t handle, const void *data, uint32_t len,
			 uint8_t *mac, uint32_t *mac_len)
{
	struct vhsm_mac m = {
		.size = sizeof(m), .handle = handle, .data_len = len,
		.data_ptr = (uintptr_t)data,
	};
	int ret = ko_ioctl(fd, VHSM_IOC_MAC, &m);

	if (!ret) {
		memcpy(mac, m.mac, m.mac_len);
		*mac_len = m.mac_len;
	}
	return ret;
}

static inline int ko_mac_verify(int fd, uint32_t handle, const void *data,
				uint32_t len, const uint8_t *mac, uint32_t mac_len)
{
	struct vhsm_mac m = {
		.size = sizeof(m), .flags = VHSM_MAC_F_VERIFY, .handle = handle,
		.data_len = len, .data_ptr = (uintptr_t)data, .mac_len = mac_len,
	};

	if (mac_len <= sizeof(m.mac))
		memcpy(m.mac, mac, mac_len);
	return ko_ioctl(fd, VHSM_IOC_MAC, &m);
}

static inline int ko_sign(int fd, uint32_t handle, uint32_t flags, const void *data,
			  uint32_t len, void *sig, uint32_t *sig_len)
{
	struct vhsm_sig s = {
		.size = sizeof(s), .flags = flags, .handle = handle, .data_len = len,
		.data_ptr = (uintptr_t)data, .sig_ptr = (uintptr_t)sig, .sig_len = *sig_len,
	};
	int ret = ko_ioctl(fd, VHSM_IOC_SIGN, &s);

	if (!ret || ret == -ENOSPC)
		*sig_len = s.sig_len;
	return ret;
}

static inline int ko_verify(int fd, uint32_t handle, uint32_t flags, const void *data,
			    uint32_t len, const void *sig, uint32_t sig_len)
{
	struct vhsm_sig s = {
		.size = sizeof(s), .flags = flags, .handle = handle, .data_len = len,
		.data_ptr = (uintptr_t)data, .sig_ptr = (uintptr_t)sig, .sig_len = sig_len,
	};

	return ko_ioctl(fd, VHSM_IOC_VERIFY, &s);
}

static inline int ko_pubkey(int fd, uint32_t handle, uint32_t flags, void *buf,
			    uint32_t *len)
{
	struct vhsm_pubkey p = {
		.size = sizeof(p), .flags = flags, .handle = handle,
		.buf_ptr = (uintptr_t)buf, .buf_len = *len,
	};
	int ret = ko_ioctl(fd, VHSM_IOC_PUBKEY, &p);

	if (!ret || ret == -ENOSPC)
		*len = p.buf_len;
	return ret;
}

static inline int ko_derive(int fd, uint32_t handle, const void *peer, uint32_t peer_len,
			    const void *salt, uint32_t salt_len, const void *info,
			    uint32_t info_len, const struct vhsm_key_attr *attr,
			    uint32_t *new_handle)
{
	struct vhsm_derive d = {
		.size = sizeof(d), .handle = handle,
		.peer_ptr = (uintptr_t)peer, .peer_len = peer_len,
		.salt_ptr = (uintptr_t)salt, .salt_len = salt_len,
		.info_ptr = (uintptr_t)info, .info_len = info_len, .attr = *attr,
	};
	int ret = ko_ioctl(fd, VHSM_IOC_DERIVE, &d);

	if (!ret)
		*new_handle = d.new_handle;
	return ret;
}

#endif /* VHSM_KEYOPS_H */
