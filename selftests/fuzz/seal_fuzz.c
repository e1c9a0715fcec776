// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the kernel's sealed-blob parser (kmod/seal_blob.c, built
 * here for the host). Beyond "no crash, no sanitizer report" it checks:
 * - an accepted blob has exactly the length its header gives, a key_len in
 *   bounds and a NUL-terminated label;
 * - the header rebuilt from what was parsed is byte for byte the input's
 *   header (one encoding per header: nothing the parser ignores);
 * - vhsm-tool's own framing check (tools/vhsm-tool/seal_args.c) agrees: it
 *   finds nothing wrong with a blob the kernel accepts, and the kernel never
 *   accepts one the tool calls truncated, oversized or foreign.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seal_args.h"
#include "seal_blob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_seal_params p;
	struct vhsm_seal_hdr hdr;
	uint8_t back[VHSM_SEAL_HDR_LEN];
	const char *problem;
	int ret;

	memset(&p, 0, sizeof(p));
	ret = vhsm_seal_blob_parse(data, size, &p);
	problem = seal_blob_problem(data, size, &hdr);
	if (ret) {
		if (ret != -EINVAL && ret != -EMSGSIZE && ret != -EPROTONOSUPPORT)
			abort();
		return 0;
	}
	if (problem)
		abort();
	if (size != vhsm_seal_blob_len(p.key_len) || !p.key_len ||
	    p.key_len > VHSM_SEAL_KEY_MAX || memchr(p.label, 0, sizeof(p.label)) == NULL)
		abort();
	vhsm_seal_blob_put_header(&p, back);
	if (memcmp(back, data, VHSM_SEAL_HDR_LEN))
		abort();
	return 0;
}
