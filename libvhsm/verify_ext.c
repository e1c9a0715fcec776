// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VCEK/VLEK extensions of the SNP report verifier: reads what the
 * certificate says about itself (AMD extensions under 1.3.6.1.4.1.3704.1:
 * productName, hwID, cspId, the TCB SPLs), decoded once into struct
 * vek_info (which the certificate cache of verify_chain.c keeps), and checks
 * it against the report: product, key type (VCEK or VLEK), reported TCB and
 * chip id; the checks read only vek_info, never the certificate.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "verify_internal.h"

#define OID_PREFIX "1.3.6.1.4.1.3704.1."

/* Value of the extension with the given OID suffix; NULL if absent. */
static const ASN1_OCTET_STRING *ext_data(X509 *x, const char *suffix)
{
	char oid[64];
	ASN1_OBJECT *obj;
	int idx;

	snprintf(oid, sizeof(oid), OID_PREFIX "%s", suffix);
	obj = OBJ_txt2obj(oid, 1);
	if (!obj)
		return NULL;
	idx = X509_get_ext_by_OBJ(x, obj, -1);
	ASN1_OBJECT_free(obj);
	if (idx < 0)
		return NULL;
	return X509_EXTENSION_get_data(X509_get_ext(x, idx));
}

/* DER INTEGER extension: 0, -ENOENT if absent, -EBADMSG if malformed. */
static int ext_int(X509 *x, const char *suffix, int64_t *val)
{
	const ASN1_OCTET_STRING *os = ext_data(x, suffix);
	const unsigned char *p, *end;
	ASN1_INTEGER *ai;
	int err = 0;

	if (!os)
		return -ENOENT;
	p = ASN1_STRING_get0_data(os);
	end = p + ASN1_STRING_length(os);
	ai = d2i_ASN1_INTEGER(NULL, &p, end - p);
	if (!ai || p != end || !ASN1_INTEGER_get_int64(val, ai))
		err = -EBADMSG;
	ASN1_INTEGER_free(ai);
	return err;
}

/* DER string extension (IA5/UTF8/Printable) copied NUL-terminated. */
static int ext_str(X509 *x, const char *suffix, char *buf, size_t size)
{
	const ASN1_OCTET_STRING *os = ext_data(x, suffix);
	const unsigned char *p, *end;
	ASN1_TYPE *t;
	int err = -EBADMSG;

	buf[0] = '\0';
	if (!os)
		return -ENOENT;
	p = ASN1_STRING_get0_data(os);
	end = p + ASN1_STRING_length(os);
	t = d2i_ASN1_TYPE(NULL, &p, end - p);
	if (t && p == end && (t->type == V_ASN1_IA5STRING ||
			      t->type == V_ASN1_UTF8STRING ||
			      t->type == V_ASN1_PRINTABLESTRING)) {
		int n = ASN1_STRING_length(t->value.asn1_string);

		if (n >= 0 && (size_t)n < size &&
		    !memchr(ASN1_STRING_get0_data(t->value.asn1_string), 0, n)) {
			memcpy(buf, ASN1_STRING_get0_data(t->value.asn1_string), n);
			buf[n] = '\0';
			err = 0;
		}
	}
	ASN1_TYPE_free(t);
	return err;
}

/* hwID: raw 64 (or 8) bytes; a DER OCTET STRING wrapper is tolerated. */
static void read_hwid(X509 *x, struct vek_info *vi)
{
	const ASN1_OCTET_STRING *os = ext_data(x, "4");
	const uint8_t *p;
	size_t n;

	if (!os)
		return;
	p = ASN1_STRING_get0_data(os);
	n = (size_t)ASN1_STRING_length(os);
	if (n >= 2 && p[0] == 0x04 && p[1] == n - 2 && (n - 2 == 64 || n - 2 == 8)) {
		p += 2;
		n -= 2;
	}
	vi->has_hwid = true;
	vi->hwid_len = n <= sizeof(vi->hwid) ? n : 0;
	memcpy(vi->hwid, p, vi->hwid_len);
}

void _vhsm_read_vek_info(X509 *x, struct vek_info *vi)
{
	char sfx[8];
	int n;

	memset(vi, 0, sizeof(*vi));
	if (ext_str(x, "2", vi->product_name, sizeof(vi->product_name)) == 0)
		vi->product = vhsm_report_product_from_name(vi->product_name);
	read_hwid(x, vi);
	vi->is_vlek = !vi->has_hwid && ext_data(x, "5") != NULL;
	for (n = 1; n < VEK_N_SPL; n++) {
		snprintf(sfx, sizeof(sfx), "3.%d", n);
		vi->spl_err[n] = ext_int(x, sfx, &vi->spl[n]);
	}
}

/* SPL 3.<n> as decoded by _vhsm_read_vek_info(): 0, -ENOENT or -EBADMSG. */
static int spl(const struct vctx *c, int n, int64_t *val)
{
	*val = c->info.spl[n];
	return c->info.spl_err[n];
}

const char *_vhsm_vek_name(const struct vctx *c)
{
	return c->info.is_vlek ? "VLEK" : "VCEK";
}

/* ---- individual checks ---- */

void _vhsm_check_product(struct vctx *c)
{
	enum vhsm_product rp = c->rep.product, vp = c->info.product;

	if (vp == VHSM_PRODUCT_UNKNOWN)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT, "%s productName \"%s\" is missing or unknown",
			   _vhsm_vek_name(c), c->info.product_name);
	if (c->rep.has_cpuid && rp == VHSM_PRODUCT_UNKNOWN)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT,
			   "report CPUID family 0x%02x model 0x%02x is not a known product",
			   c->rep.cpuid_fam_id, c->rep.cpuid_mod_id);
	if (rp != VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN && rp != vp)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT,
			   "report CPUID says %s but %s productName is \"%s\"",
			   vhsm_report_product_name(rp), _vhsm_vek_name(c), c->info.product_name);
	if (rp == VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN)
		vhsm_report_set_product(&c->rep, vp);
	c->res->product = c->rep.product;
}

void _vhsm_check_key_type(struct vctx *c)
{
	if (!c->info.has_hwid && !c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_CERT,
			   "certificate has neither a hwID nor a cspId extension");
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VCEK && c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE,
			   "report SIGNING_KEY=0 (VCEK) but the certificate is a VLEK");
	else if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK && !c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE,
			   "report SIGNING_KEY=1 (VLEK) but the certificate is a VCEK");
	else if (c->rep.signing_key > VHSM_SIGNING_KEY_VLEK)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE, "report SIGNING_KEY=%u is not a VCEK or VLEK",
			   c->rep.signing_key);
}

static void check_spl(struct vctx *c, int n, const char *ext,
		      const char *part, unsigned int want)
{
	int64_t v;
	int err = spl(c, n, &v);

	if (err == -ENOENT)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s has no %s extension", _vhsm_vek_name(c), ext);
	else if (err)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s %s extension is malformed",
			   _vhsm_vek_name(c), ext);
	else if (v != (int64_t)want)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s %s=%" PRId64 " != reported_tcb.%s=%u",
			   _vhsm_vek_name(c), ext, v, part, want);
}

/* spl4..spl7 are optional; when present they must match TCB bytes 2..5. */
static void check_reserved_spls(struct vctx *c)
{
	unsigned int i, want;
	int64_t v;

	for (i = 0; i < 4; i++) {
		want = (c->rep.reported_tcb.raw >> (8 * (i + 2))) & 0xff;
		if (spl(c, (int)i + 4, &v) == 0 && v != (int64_t)want)
			_vhsm_fail(c, VHSM_CHECK_TCB,
				   "%s spl%u=%" PRId64 " != reported_tcb byte %u=%u",
				   _vhsm_vek_name(c), i + 4, v, i + 2, want);
	}
}

void _vhsm_check_tcb(struct vctx *c)
{
	const struct vhsm_tcb *t = &c->rep.reported_tcb;

	if (t->turin)
		check_spl(c, 9, "fmcSPL", "fmc", t->fmc);
	check_spl(c, 1, "blSPL", "bl", t->bl);
	check_spl(c, 2, "teeSPL", "tee", t->tee);
	check_spl(c, 3, "snpSPL", "snp", t->snp);
	check_spl(c, 8, "ucodeSPL", "ucode", t->ucode);
	if (!t->turin)
		check_reserved_spls(c);
}

static bool zero_bytes(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

void _vhsm_check_hwid(struct vctx *c)
{
	const struct vek_info *vi = &c->info;
	const uint8_t *chip = c->rep.chip_id;

	if (vi->is_vlek || !vi->has_hwid)
		return;
	if (zero_bytes(chip, 64)) {
		_vhsm_fail(c, VHSM_CHECK_HWID, "report CHIP_ID is masked (all zero)");
		return;
	}
	if (vi->hwid_len == 64 && !memcmp(vi->hwid, chip, 64))
		return;
	if (vi->hwid_len == 8 && c->rep.product == VHSM_PRODUCT_TURIN &&
	    !memcmp(vi->hwid, chip, 8) && zero_bytes(chip + 8, 56))
		return;
	_vhsm_fail(c, VHSM_CHECK_HWID, "VCEK hwID (%zu bytes) does not match report CHIP_ID",
		   vi->hwid_len);
}
