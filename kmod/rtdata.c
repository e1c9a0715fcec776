// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KBS runtime data of a provisioning session and the REPORT_DATA that
 * binds it (Trustee KBS protocol 0.4.0, as computed by guest-components'
 * attester and checked by the KBS):
 *
 *   material    = RFC 8785 canonical JSON of
 *                 {"additional-evidence": "", "nonce": N, "tee-pubkey": JWK}
 *   REPORT_DATA = SHA-384(material) || 16 zero bytes
 *
 * The JWK is {"alg":"ECDH-ES+A256KW","crv":"P-256","kty":"EC","x":X,"y":Y}.
 * Canonical JSON here is simply the members in code-point order with no
 * whitespace: every value is a string of characters that need no escaping
 * (the nonce is checked to be standard base64 first; x and y are base64url
 * this module produced), so the canonical form can be written directly.
 * Without "additional-evidence" (VHSM_SESSION_F_NO_ADDEV) the same object
 * lacks that member.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "jose.h"
#include "rtdata.h"

#define RTDATA_MAX	(VHSM_SESSION_NONCE_MAX + 2 * VHSM_JWK_COORD_LEN + 192)

static int rtdata_json(const struct vhsm_rtdata *rt, char *buf, size_t cap)
{
	int n;

	n = snprintf(buf, cap,
		     "{%s\"nonce\":\"%.*s\",\"tee-pubkey\":{\"alg\":\"ECDH-ES+A256KW\","
		     "\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}",
		     rt->with_addev ? "\"additional-evidence\":\"\"," : "",
		     (int)rt->nonce_len, rt->nonce, rt->x, rt->y);
	return n < 0 || (size_t)n >= cap ? -EINVAL : n;
}

/**
 * vhsm_rtdata_report_data() - REPORT_DATA for a session's runtime data
 * @rt:          nonce and public key
 * @report_data: [out] SHA-384 of the canonical runtime data, zero-padded
 *
 * Return: 0, -EINVAL (a nonce that is not plain base64 of a bounded length),
 * -ENOMEM, or an error of the kernel's sha384.
 */
int vhsm_rtdata_report_data(const struct vhsm_rtdata *rt,
			    u8 report_data[VHSM_REPORT_DATA_LEN])
{
	struct crypto_shash *tfm;
	char *json;
	int len, ret;

	if (!vhsm_b64_nonce_ok(rt->nonce, rt->nonce_len, VHSM_SESSION_NONCE_MAX))
		return -EINVAL;
	json = kmalloc(RTDATA_MAX, GFP_KERNEL);
	if (!json)
		return -ENOMEM;
	len = rtdata_json(rt, json, RTDATA_MAX);
	if (len < 0) {
		ret = len;
		goto out;
	}
	tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		goto out;
	}
	memset(report_data, 0, VHSM_REPORT_DATA_LEN);
	ret = crypto_shash_tfm_digest(tfm, json, len, report_data);
	crypto_free_shash(tfm);
out:
	kfree(json);
	return ret;
}
