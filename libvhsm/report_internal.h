// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the report parser (report.c) offers the rest of libvhsm beyond
 * <vhsm/report.h>: the smallest struct sizes the library accepts (the
 * structs of VHSM_0.4, the first with a size field) and the report's claims
 * as a jansson object, for the verifier's verdict.
 */
#ifndef VHSM_REPORT_INTERNAL_H
#define VHSM_REPORT_INTERNAL_H

#include <jansson.h>

#include "vhsm/report.h"

/*
 * Smallest @size of each versioned struct: its size in VHSM_0.4.  A later
 * version appends fields, and reads those past a caller's @size as zero.
 */
#define VHSM_REPORT_STRUCT_MIN	sizeof(struct vhsm_report)
#define VHSM_POLICY_STRUCT_MIN	sizeof(struct vhsm_policy)
#define VHSM_OPTS_STRUCT_MIN	sizeof(struct vhsm_verify_opts)
#define VHSM_RESULT_STRUCT_MIN	sizeof(struct vhsm_verify_result)

/* The claims of vhsm_report_to_json() as an object (NULL on ENOMEM). */
json_t *_vhsm_report_claims_json(const struct vhsm_report *r);

#endif /* VHSM_REPORT_INTERNAL_H */
