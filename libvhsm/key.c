// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The key store: generate, import, destroy, describe, find and list keys
 * (VHSM_IOC_KEY_*). Thin wrappers; the module decides what is allowed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The ABI 1 layouts; a mismatch here would corrupt every call. */
_Static_assert(sizeof(struct vhsm_key_attr) == 80, "vhsm_key_attr");
_Static_assert(sizeof(struct vhsm_key_generate) == VHSM_KEY_GENERATE_SIZE_VER0,
	       "vhsm_key_generate");
_Static_assert(sizeof(struct vhsm_key_import) == VHSM_KEY_IMPORT_SIZE_VER0,
	       "vhsm_key_import");
_Static_assert(sizeof(struct vhsm_key_destroy) == VHSM_KEY_DESTROY_SIZE_VER0,
	       "vhsm_key_destroy");
_Static_assert(sizeof(struct vhsm_key_info) == VHSM_KEY_INFO_SIZE_VER0,
	       "vhsm_key_info");
_Static_assert(sizeof(struct vhsm_key_lookup) == VHSM_KEY_LOOKUP_SIZE_VER0,
	       "vhsm_key_lookup");
_Static_assert(sizeof(struct vhsm_key_list) == VHSM_KEY_LIST_SIZE_VER0,
	       "vhsm_key_list");

/* Handles travel in chunks of this many; the module allows up to 1024. */
#define LIST_CHUNK	256

int vhsm_key_attr_init(struct vhsm_key_attr *attr, uint32_t type,
		       uint32_t key_len, const char *label)
{
	uint32_t usage = vhsm_key_default_usage(type, 0);

	if (!attr || !usage || vhsm_key_label_check(label))
		return -EINVAL;
	if (type == VHSM_KEY_SECRET && (key_len < 16 || key_len > 64))
		return -EINVAL;
	memset(attr, 0, sizeof(*attr));
	attr->type = type;
	attr->usage = usage;
	attr->mode = VHSM_KEY_DEFAULT_MODE;
	attr->key_len = key_len;
	strcpy(attr->label, label);	/* length checked above */
	return 0;
}

int vhsm_key_generate(struct vhsm *h, const struct vhsm_key_attr *attr,
		      uint32_t *handle)
{
	struct vhsm_key_generate req;
	int ret;

	if (!h || !attr || !handle)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.attr = *attr;
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_GENERATE, &req);
	return _vhsm_handle_out(ret, req.handle, handle);
}

int vhsm_key_import(struct vhsm *h, const struct vhsm_key_attr *attr,
		    const void *material, size_t len, unsigned int flags,
		    uint32_t *handle)
{
	struct vhsm_key_import req;
	int ret;

	if (!h || !attr || !material || !len || !handle)
		return -EINVAL;
	if (len > UINT32_MAX)
		return -E2BIG;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.flags = flags;
	req.attr = *attr;
	req.material_ptr = (uintptr_t)material;
	req.material_len = (uint32_t)len;
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_IMPORT, &req);
	return _vhsm_handle_out(ret, req.handle, handle);
}

int vhsm_key_destroy(struct vhsm *h, uint32_t handle)
{
	struct vhsm_key_destroy req;

	if (!h || !handle)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.handle = handle;
	return _vhsm_ioctl(h, VHSM_IOC_KEY_DESTROY, &req);
}

int vhsm_key_info(struct vhsm *h, uint32_t handle, struct vhsm_key_info *out)
{
	int ret;

	if (!h || !handle || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->handle = handle;
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_INFO, out);
	if (ret)
		return ret;
	out->attr.label[sizeof(out->attr.label) - 1] = '\0';
	return 0;
}

int vhsm_key_lookup(struct vhsm *h, const char *label, uint32_t *handle)
{
	struct vhsm_key_lookup req;
	int ret;

	if (!h || !handle || vhsm_key_label_check(label))
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	strcpy(req.label, label);	/* length checked above */
	ret = _vhsm_ioctl(h, VHSM_IOC_KEY_LOOKUP, &req);
	return _vhsm_handle_out(ret, req.handle, handle);
}

/* Make room for @extra more entries in *@arr of *@cap; 0 or -ENOMEM. */
static int grow(uint32_t **arr, size_t *cap, size_t used, size_t extra)
{
	uint32_t *p;
	size_t ncap = *cap ? *cap : LIST_CHUNK;

	if (*cap - used >= extra)
		return 0;
	while (ncap - used < extra) {
		if (ncap > SIZE_MAX / 2 / sizeof(**arr))
			return -ENOMEM;
		ncap *= 2;
	}
	p = realloc(*arr, ncap * sizeof(**arr));
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int vhsm_key_list(struct vhsm *h, uint32_t **handles, size_t *n)
{
	struct vhsm_key_list req;
	uint32_t *arr = NULL, cursor = 0;
	size_t used = 0, cap = 0;
	int ret;

	if (!h || !handles || !n)
		return -EINVAL;
	*handles = NULL;
	*n = 0;
	for (;;) {
		ret = grow(&arr, &cap, used, LIST_CHUNK);
		if (ret)
			goto err;
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.cursor = cursor;
		req.count = LIST_CHUNK;
		req.handles_ptr = (uintptr_t)(arr + used);
		ret = _vhsm_ioctl(h, VHSM_IOC_KEY_LIST, &req);
		if (ret)
			goto err;
		ret = -EPROTO;
		if (req.count > LIST_CHUNK)
			goto err;
		if (req.count && req.cursor != arr[used + req.count - 1])
			goto err;
		/* Past the previous call's last handle (handles are never 0). */
		if (req.count && arr[used] <= cursor)
			goto err;
		used += req.count;
		if (!req.more)
			break;
		if (!req.count || req.cursor <= cursor)
			goto err;	/* would loop forever */
		cursor = req.cursor;
	}
	if (!used) {
		free(arr);
		arr = NULL;
	}
	*handles = arr;
	*n = used;
	return 0;

err:
	free(arr);
	return ret;
}

int vhsm_key_resolve(struct vhsm *h, const char *key, uint32_t *handle)
{
	if (!h || !key || !handle)
		return -EINVAL;
	if (key[0] == '#')
		return vhsm_key_handle_parse(key, handle);
	return vhsm_key_lookup(h, key, handle);
}
