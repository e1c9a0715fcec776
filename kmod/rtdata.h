/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_RTDATA_H
#define _VHSM_RTDATA_H

#include <linux/types.h>
#include <linux/vhsm.h>

/**
 * struct vhsm_rtdata - the inputs of the KBS runtime data
 * @nonce, @nonce_len: the broker's challenge (checked by vhsm_rtdata_build)
 * @x, @y:             the tee-pubkey coordinates, base64url, NUL-terminated
 * @with_addev:        include "additional-evidence":"" (protocol 0.4.0)
 */
struct vhsm_rtdata {
	const char *nonce;
	size_t nonce_len;
	const char *x;
	const char *y;
	bool with_addev;
};

int vhsm_rtdata_report_data(const struct vhsm_rtdata *rt,
			    u8 report_data[VHSM_REPORT_DATA_LEN]);

#endif /* _VHSM_RTDATA_H */
