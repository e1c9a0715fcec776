// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the KBS decoders a server or client meets on the wire —
 * Trustee's SNP evidence JSON, the resource JWE (both serializations), the
 * tee-pubkey JWK — and the RFC 8785 canonicalizer, whose output must be a
 * fixed point (canonical text canonicalizes to itself).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vhsm/kbs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_kbs_evidence_parsed ev;
	struct vhsm_kbs_jwe jwe;
	uint8_t x[32], y[32];
	char *s = malloc(size + 1), *c1 = NULL, *c2 = NULL, *back = NULL;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (!vhsm_kbs_evidence_parse(s, &ev)) {
		/* a decoded report encodes again (when its version is supported) */
		vhsm_kbs_evidence_json(ev.report, sizeof(ev.report), NULL, 0, &back);
		free(back);
		vhsm_kbs_evidence_free(&ev);
	}
	if (!vhsm_kbs_jwe_parse(s, &jwe))
		vhsm_kbs_jwe_free(&jwe);
	vhsm_kbs_jwk_parse_p256(s, x, y);
	if (!vhsm_kbs_canonicalize(s, &c1)) {
		if (vhsm_kbs_canonicalize(c1, &c2) || strcmp(c1, c2))
			abort();	/* canonical form must be stable */
	}
	free(c1);
	free(c2);
	free(s);
	return 0;
}
