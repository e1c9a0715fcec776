// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Attestation reports and platform-derived keys (VHSM_IOC_ATTEST,
 * VHSM_IOC_PLATFORM_KEY).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

int vhsm_attest(struct vhsm *h, const uint8_t report_data[VHSM_REPORT_DATA_LEN],
		uint32_t vmpl, uint8_t *report, size_t *report_len,
		uint8_t *certs, size_t *certs_len, uint32_t *fw_error)
{
	struct vhsm_attest a = { .size = sizeof(a), .vmpl = vmpl };
	int ret;

	if (!h || !report_data || !report || !report_len || (certs && !certs_len))
		return -EINVAL;
	if (*report_len > UINT32_MAX || (certs && *certs_len > UINT32_MAX))
		return -E2BIG;
	memcpy(a.report_data, report_data, VHSM_REPORT_DATA_LEN);
	a.report_ptr = (uintptr_t)report;
	a.report_len = (uint32_t)*report_len;
	if (certs) {
		a.flags = VHSM_ATTEST_F_CERTS;
		a.certs_ptr = (uintptr_t)certs;
		a.certs_len = (uint32_t)*certs_len;
	}
	ret = _vhsm_ioctl(h, VHSM_IOC_ATTEST, &a);
	if (fw_error)
		*fw_error = a.fw_error;
	if (!ret || ret == -ENOSPC) {
		*report_len = a.report_len;
		if (certs)
			*certs_len = a.certs_len;
	}
	return ret;
}

int vhsm_platform_key(struct vhsm *h, struct vhsm_platform_key *req)
{
	if (!h || !req)
		return -EINVAL;
	req->size = sizeof(*req);
	return _vhsm_ioctl(h, VHSM_IOC_PLATFORM_KEY, req);
}
