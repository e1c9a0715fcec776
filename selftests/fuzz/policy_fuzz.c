// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the verifier's JSON policy loader.  Any input is either
 * a policy or -EINVAL with a message naming the problem; a policy applies
 * twice (lists grow, nothing leaks) and frees cleanly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vhsm/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_policy p;
	char *text, *msg = NULL;
	int err;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	vhsm_policy_init(&p);
	err = vhsm_policy_parse_json(&p, text, &msg);
	if (err && err != -EINVAL && err != -ENOMEM)
		abort();
	if (err == -EINVAL && (!msg || !*msg))
		abort();	/* every refused document says why */
	if (!err && msg)
		abort();
	free(msg);
	if (!err && vhsm_policy_parse_json(&p, text, NULL) == -EINVAL &&
	    p.vmpl_mode == VHSM_VMPL_ANY)
		abort();	/* only max/exact_vmpl may refuse a second pass */
	vhsm_policy_free(&p);
	if (p.size != sizeof(p))
		abort();
	free(text);
	return 0;
}
