// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel integration: key tokens (VHSM_IOC_KEY_TOKEN) and export to kernel
 * keyrings (VHSM_IOC_KEY_EXPORT), plus the keyring names keyctl users write.
 * Thin wrappers; the module decides what is allowed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/keyctl.h>

#include "internal.h"

_Static_assert(sizeof(struct vhsm_key_token) == VHSM_KEY_TOKEN_SIZE_VER0,
	       "vhsm_key_token");
_Static_assert(sizeof(struct vhsm_key_export) == VHSM_KEY_EXPORT_SIZE_VER0,
	       "vhsm_key_export");

int vhsm_key_token(struct vhsm *h, uint32_t handle,
		   uint8_t token[VHSM_TOKEN_LEN])
{
	struct vhsm_key_token req;
	int ret;

	if (!h || !handle || !token)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = handle;
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_TOKEN, &req);
	if (ret)
		return ret;
	if (memcmp(req.token, "vhT1", 4))
		return -EPROTO;
	memcpy(token, req.token, VHSM_TOKEN_LEN);
	return 0;
}

int vhsm_key_export(struct vhsm *h, uint32_t handle, uint32_t as,
		    int32_t keyring, const char *desc, int32_t *serial)
{
	struct vhsm_key_export req;
	size_t len;
	int ret;

	if (!h || !handle || !desc || !serial)
		return -EINVAL;
	len = strlen(desc);
	if (!len || len > VHSM_EXPORT_DESC_MAX)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = handle;
	req.as = as;
	req.keyring = keyring;
	req.desc_ptr = (uintptr_t)desc;
	req.desc_len = (uint32_t)len;
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_EXPORT, &req);
	if (ret)
		return ret;
	if (req.serial <= 0)
		return -EPROTO;
	*serial = req.serial;
	return 0;
}

static const struct {
	const char *name;
	int32_t id;
} ring_names[] = {
	{ "@t", KEY_SPEC_THREAD_KEYRING },
	{ "@p", KEY_SPEC_PROCESS_KEYRING },
	{ "@s", KEY_SPEC_SESSION_KEYRING },
	{ "@u", KEY_SPEC_USER_KEYRING },
	{ "@us", KEY_SPEC_USER_SESSION_KEYRING },
};

int vhsm_keyring_parse(const char *ring, int32_t *id)
{
	unsigned long v;
	char *end;
	size_t i;

	if (!ring || !id || !ring[0])
		return -EINVAL;
	for (i = 0; i < sizeof(ring_names) / sizeof(ring_names[0]); i++)
		if (!strcmp(ring, ring_names[i].name)) {
			*id = ring_names[i].id;
			return 0;
		}
	if (ring[0] < '1' || ring[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(ring, &end, 10);
	if (errno || *end || v > INT32_MAX)
		return -EINVAL;
	*id = (int32_t)v;
	return 0;
}

static const char *const export_names[] = {
	[VHSM_EXPORT_LOGON] = "logon",
	[VHSM_EXPORT_FSCRYPT] = "fscrypt",
	[VHSM_EXPORT_TOKEN] = "token",
};

int vhsm_export_as_parse(const char *name, uint32_t *as)
{
	uint32_t i;

	if (!name || !as)
		return -EINVAL;
	for (i = VHSM_EXPORT_LOGON; i <= VHSM_EXPORT_TOKEN; i++)
		if (!strcmp(name, export_names[i])) {
			*as = i;
			return 0;
		}
	return -EINVAL;
}
