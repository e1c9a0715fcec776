// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SNP report parser, claims JSON, and signature check
 * against a fixed (non-matching) key so the ECDSA path is exercised.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vhsm/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_report r;
	char *json = NULL;
	json_t *j;

	if (vhsm_report_parse(data, size, &r))
		return 0;
	if (vhsm_report_to_json(&r, &json) == 0) {
		j = json_loads(json, 0, NULL);
		if (!j)
			abort();	/* we must always emit valid JSON */
		json_decref(j);
		free(json);
	}
	/* re-decode with each product's TCB layout */
	vhsm_report_set_product(&r, VHSM_PRODUCT_TURIN);
	vhsm_report_set_product(&r, VHSM_PRODUCT_MILAN);
	/* the certificate buffer is the report itself: never a valid cert */
	if (vhsm_verify_report_signature(&r, data, size) == 0)
		abort();
	return 0;
}
