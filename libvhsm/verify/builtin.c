// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The built-in AMD roots as PEM text, for callers that must compare
 * certificates they were handed (a host's certificate table, a KDS answer)
 * with the ones the verifier trusts.  The PEM strings are generated at build
 * time from libvhsm/roots/ (gen-roots.sh) and are constant.
 */
#include <errno.h>
#include <stddef.h>

#include <vhsm/report.h>

/* [Milan, Genoa, Turin][ARK, ASK, ASVK] */
extern const char *const vhsm_verify_builtin_pem[3][3];

int vhsm_verify_builtin_chain(enum vhsm_product p, bool vlek, const char **ark,
			      const char **ask)
{
	if (p < VHSM_PRODUCT_MILAN || p > VHSM_PRODUCT_TURIN || !ark || !ask)
		return -EINVAL;
	*ark = vhsm_verify_builtin_pem[p - 1][0];
	*ask = vhsm_verify_builtin_pem[p - 1][vlek ? 2 : 1];
	return 0;
}
