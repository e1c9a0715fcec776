// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sealing: a stored key out as a sealed blob and back (VHSM_IOC_SEAL,
 * VHSM_IOC_UNSEAL). The blob is opaque to the library; its format is the
 * uapi header's struct vhsm_seal_hdr.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct vhsm_seal) == VHSM_SEAL_SIZE_VER0, "vhsm_seal");
_Static_assert(sizeof(struct vhsm_unseal) == VHSM_UNSEAL_SIZE_VER0, "vhsm_unseal");
_Static_assert(sizeof(struct vhsm_seal_hdr) == VHSM_SEAL_HDR_LEN, "vhsm_seal_hdr");

int vhsm_key_seal(struct vhsm *h, struct vhsm_seal *req)
{
	if (!h || !req)
		return -EINVAL;
	req->size = sizeof(*req);
	return _vhsm_ioctl(h, VHSM_IOC_SEAL, req);
}

int vhsm_key_unseal(struct vhsm *h, const void *blob, size_t len, const char *label,
		    uint32_t *handle, uint32_t *fw_error)
{
	struct vhsm_unseal req;
	int ret;

	if (!h || !blob || !handle)
		return -EINVAL;
	if (len > VHSM_SEAL_BLOB_MAX)
		return -EMSGSIZE;
	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.blob_ptr = (uintptr_t)blob;
	req.blob_len = (uint32_t)len;
	if (label && label[0]) {
		if (vhsm_key_label_check(label))
			return -EINVAL;
		strcpy(req.label, label);	/* length checked above */
	}
	ret = _vhsm_ioctl(h, VHSM_IOC_UNSEAL, &req);
	if (fw_error)
		*fw_error = req.fw_error;
	return _vhsm_handle_out(ret, req.handle, handle);
}
