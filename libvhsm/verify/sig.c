// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Report signature of the SNP report verifier: the ECDSA P-384 signature
 * over the first VHSM_REPORT_SIGNED_SIZE bytes of the report, checked
 * against the VCEK/VLEK public key, both for the public
 * vhsm_verify_report_signature() and as the "signature" check of
 * vhsm_verify_report().  The latter gets the public key from the
 * certificate cache (cache.c) when it can, but the signature itself
 * is verified on every call.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "checks.h"
#include "load.h"

static bool is_p384(EVP_PKEY *pkey)
{
	char group[64];
	size_t n;

	if (!EVP_PKEY_is_a(pkey, "EC"))
		return false;
	if (!EVP_PKEY_get_group_name(pkey, group, sizeof(group), &n))
		return false;
	return !strcmp(group, "secp384r1");
}

/* LE 72-byte field -> BIGNUM; bytes 48..71 must be zero. */
static BIGNUM *sig_bn(const uint8_t le[72])
{
	uint8_t be[48];
	size_t i;

	for (i = 48; i < 72; i++)
		if (le[i])
			return NULL;
	for (i = 0; i < 48; i++)
		be[i] = le[47 - i];
	return BN_bin2bn(be, sizeof(be), NULL);
}

/* DER ECDSA-Sig-Value of the report's r/s; -EBADMSG if malformed. */
static int sig_der(const struct vhsm_report *r, unsigned char **der, int *len)
{
	BIGNUM *bn_r = sig_bn(r->sig_r), *bn_s = sig_bn(r->sig_s);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int err = 0;

	*der = NULL;
	if (!sig) {
		err = -ENOMEM;
	} else if (!bn_r || !bn_s || !ECDSA_SIG_set0(sig, bn_r, bn_s)) {
		err = -EBADMSG;
	} else {
		bn_r = bn_s = NULL;	/* owned by sig */
		*len = i2d_ECDSA_SIG(sig, der);
		if (*len <= 0)
			err = -ENOMEM;
	}
	BN_free(bn_r);
	BN_free(bn_s);
	ECDSA_SIG_free(sig);
	return err;
}

static int verify_sig_key(const struct vhsm_report *r, EVP_PKEY *pkey)
{
	EVP_MD_CTX *md;
	unsigned char *der;
	int len, rc, err;

	if (!pkey || !is_p384(pkey))
		return -EINVAL;
	if (r->sig_algo != 1)
		return -EBADMSG;
	err = sig_der(r, &der, &len);
	if (err)
		return err;
	md = EVP_MD_CTX_new();
	if (!md) {
		OPENSSL_free(der);
		return -ENOMEM;
	}
	rc = EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, pkey);
	if (rc == 1)
		rc = EVP_DigestVerify(md, der, (size_t)len, r->raw,
				      VHSM_REPORT_SIGNED_SIZE);
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return rc == 1 ? 0 : -EBADMSG;
}

int vhsm_verify_report_signature(const struct vhsm_report *r,
				 const void *vek, size_t vek_len)
{
	X509 *x;
	int err;

	if (!r || !vek)
		return -EINVAL;
	ERR_set_mark();
	x = _vhsm_load_cert(vek, vek_len);
	err = x ? verify_sig_key(r, X509_get0_pubkey(x)) : -EINVAL;
	X509_free(x);
	ERR_pop_to_mark();
	return err;
}

void _vhsm_check_signature(struct vctx *c)
{
	int err;

	_vhsm_ran(c, VHSM_CHECK_SIGNATURE);
	if (c->rep.signing_key != VHSM_SIGNING_KEY_VCEK &&
	    c->rep.signing_key != VHSM_SIGNING_KEY_VLEK) {
		_vhsm_fail(c, VHSM_CHECK_SIGNATURE, "report is not signed (SIGNING_KEY=%u)",
			   c->rep.signing_key);
		return;
	}
	if (c->rep.sig_algo != 1) {
		_vhsm_fail(c, VHSM_CHECK_SIGNATURE, "unsupported SIGNATURE_ALGO %u",
			   c->rep.sig_algo);
		return;
	}
	/* never cached: the ECDSA verification runs on every call */
	err = verify_sig_key(&c->rep, c->pkey);
	if (err == -EINVAL)
		_vhsm_fail(c, VHSM_CHECK_SIGNATURE, "%s public key is not ECDSA P-384",
			   _vhsm_vek_name(c));
	else if (err == -ENOMEM)
		c->err = err;
	else if (err)
		_vhsm_fail(c, VHSM_CHECK_SIGNATURE,
			   "report signature does not verify with the %s", _vhsm_vek_name(c));
}
