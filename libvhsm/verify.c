// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SEV-SNP report verification: report signature (ECDSA P-384), AMD
 * certificate chain (RSA-PSS, OpenSSL X509_STORE), VCEK/VLEK extensions
 * and an appraisal policy.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "vhsm/report.h"

/*
 * Generated at build time by libvhsm/roots/gen-roots.sh:
 * [Milan, Genoa, Turin][ARK, ASK, ASVK] as PEM strings.
 */
extern const char *const vhsm_verify_builtin_pem[3][3];

#define MAX_FILE_SIZE (1u << 20)
#define OID_PREFIX "1.3.6.1.4.1.3704.1."

enum root_role { ROLE_ARK, ROLE_ASK, ROLE_ASVK };

/* What the VCEK/VLEK certificate says about itself. */
struct vek_info {
	bool is_vlek;
	bool has_hwid;
	enum vhsm_product product;
	char product_name[32];
	uint8_t hwid[64];
	size_t hwid_len;
};

struct vctx {
	const struct vhsm_verify_opts *opts;
	struct vhsm_verify_result *res;
	struct vhsm_report rep;
	X509 *vek;
	struct vek_info info;
	STACK_OF(X509) *anchors;
	STACK_OF(X509) *asks;
	STACK_OF(X509) *asvks;
	STACK_OF(X509_CRL) *crls;
	int err;
};

/* ---- result helpers ---- */

static const char *const check_names[] = {
	"signature", "chain", "product", "tcb", "hwid", "key_type", "cert",
	NULL, "debug", "min_tcb", "measurement", "host_data", "report_data",
	"vmpl", "guest_svn", "smt", "migration", "single_socket", "abi",
	"signing_key",
};

const char *vhsm_verify_check_name(enum vhsm_check check)
{
	size_t i;

	for (i = 0; i < sizeof(check_names) / sizeof(check_names[0]); i++)
		if ((uint32_t)check == 1u << i && check_names[i])
			return check_names[i];
	return "unknown";
}

__attribute__((format(printf, 3, 4)))
static void fail(struct vctx *c, enum vhsm_check check, const char *fmt, ...)
{
	struct vhsm_verify_result *res = c->res;
	char *msg, *line;
	va_list ap;
	int n;

	res->failed |= check;
	if (res->n_reasons >= VHSM_VERIFY_MAX_REASONS || c->err)
		return;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		c->err = -ENOMEM;
		return;
	}
	n = asprintf(&line, "%s: %s", vhsm_verify_check_name(check), msg);
	free(msg);
	if (n < 0) {
		c->err = -ENOMEM;
		return;
	}
	res->reasons[res->n_reasons++] = line;
}

void vhsm_verify_result_free(struct vhsm_verify_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->n_reasons; i++)
		free(res->reasons[i]);
	free(res->reasons);
	memset(res, 0, sizeof(*res));
}

bool vhsm_verify_result_has_reason(const struct vhsm_verify_result *res,
				   const char *prefix)
{
	size_t i;

	if (!res || !prefix)
		return false;
	for (i = 0; i < res->n_reasons; i++)
		if (!strncmp(res->reasons[i], prefix, strlen(prefix)))
			return true;
	return false;
}

static int append_str(json_t *arr, const char *s)
{
	return json_array_append_new(arr, json_string(s)) ? -ENOMEM : 0;
}

static json_t *failed_json(uint32_t failed)
{
	json_t *arr = json_array();
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < 32; i++) {
		if (!(failed & (1u << i)))
			continue;
		if (append_str(arr, vhsm_verify_check_name(1u << i))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *reasons_json(const struct vhsm_verify_result *res)
{
	json_t *arr = json_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < res->n_reasons; i++) {
		if (append_str(arr, res->reasons[i])) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int vhsm_verify_result_to_json(const struct vhsm_verify_result *res, char **out)
{
	json_t *o;
	int err = 0;

	if (!res || !out)
		return -EINVAL;
	*out = NULL;
	o = json_pack("{s:b, s:s, s:o?, s:o?}", "ok", res->failed == 0,
		      "product", vhsm_report_product_name(res->product),
		      "failed", failed_json(res->failed),
		      "reasons", reasons_json(res));
	if (!o || !json_is_array(json_object_get(o, "failed")) ||
	    !json_is_array(json_object_get(o, "reasons")))
		err = -ENOMEM;
	if (!err) {
		*out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		if (!*out)
			err = -ENOMEM;
	}
	json_decref(o);
	return err;
}

/* ---- loading certificates and CRLs ---- */

static bool is_pem(const void *buf, size_t len)
{
	return memmem(buf, len, "-----BEGIN", 10) != NULL;
}

static BIO *mem_bio(const void *buf, size_t len)
{
	if (len > MAX_FILE_SIZE)
		return NULL;
	return BIO_new_mem_buf(buf, (int)len);
}

/* First certificate of a PEM or DER buffer. */
static X509 *load_cert(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *x = NULL;
	BIO *bio;

	if (!is_pem(buf, len))
		return len <= MAX_FILE_SIZE ? d2i_X509(NULL, &p, (long)len) : NULL;
	bio = mem_bio(buf, len);
	if (bio) {
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	return x;
}

/* All certificates of a PEM bundle, or the one DER certificate. */
static STACK_OF(X509) *load_certs(const void *buf, size_t len)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *x;
	BIO *bio;

	if (!sk)
		return NULL;
	if (!is_pem(buf, len)) {
		x = load_cert(buf, len);
		if (!x || !sk_X509_push(sk, x))
			goto fail_x;
		return sk;
	}
	bio = mem_bio(buf, len);
	if (!bio)
		goto fail;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (!sk_X509_push(sk, x)) {
			BIO_free(bio);
			goto fail_x;
		}
	}
	BIO_free(bio);
	if (sk_X509_num(sk) > 0)
		return sk;
	goto fail;
fail_x:
	X509_free(x);
fail:
	sk_X509_pop_free(sk, X509_free);
	return NULL;
}

static STACK_OF(X509_CRL) *load_crls(const void *buf, size_t len)
{
	STACK_OF(X509_CRL) *sk = sk_X509_CRL_new_null();
	const unsigned char *p = buf;
	X509_CRL *crl = NULL;
	BIO *bio;

	if (!sk || len > MAX_FILE_SIZE)
		goto fail;
	if (!is_pem(buf, len)) {
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (!crl || !sk_X509_CRL_push(sk, crl))
			goto fail;
		return sk;
	}
	bio = mem_bio(buf, len);
	if (!bio)
		goto fail;
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL))) {
		if (!sk_X509_CRL_push(sk, crl)) {
			BIO_free(bio);
			goto fail;
		}
	}
	BIO_free(bio);
	if (sk_X509_CRL_num(sk) > 0)
		return sk;
fail:
	X509_CRL_free(crl);
	sk_X509_CRL_pop_free(sk, X509_CRL_free);
	return NULL;
}

/* Read a whole (small) file; -ENOENT etc. from open, -EFBIG if too big. */
static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t n;
	FILE *f;

	*buf = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) || st.st_size > MAX_FILE_SIZE) {
		fclose(f);
		return -EFBIG;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

/* ---- report signature ---- */

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
	x = load_cert(vek, vek_len);
	err = x ? verify_sig_key(r, X509_get0_pubkey(x)) : -EINVAL;
	X509_free(x);
	ERR_pop_to_mark();
	return err;
}

/* ---- VCEK / VLEK extensions ---- */

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

static void read_vek_info(X509 *x, struct vek_info *vi)
{
	memset(vi, 0, sizeof(*vi));
	if (ext_str(x, "2", vi->product_name, sizeof(vi->product_name)) == 0)
		vi->product = vhsm_report_product_from_name(vi->product_name);
	read_hwid(x, vi);
	vi->is_vlek = !vi->has_hwid && ext_data(x, "5") != NULL;
}

static const char *vek_name(const struct vctx *c)
{
	return c->info.is_vlek ? "VLEK" : "VCEK";
}

/* ---- individual checks ---- */

static void check_product(struct vctx *c)
{
	enum vhsm_product rp = c->rep.product, vp = c->info.product;

	if (vp == VHSM_PRODUCT_UNKNOWN)
		fail(c, VHSM_CHECK_PRODUCT, "%s productName \"%s\" is missing or unknown",
		     vek_name(c), c->info.product_name);
	if (c->rep.has_cpuid && rp == VHSM_PRODUCT_UNKNOWN)
		fail(c, VHSM_CHECK_PRODUCT,
		     "report CPUID family 0x%02x model 0x%02x is not a known product",
		     c->rep.cpuid_fam_id, c->rep.cpuid_mod_id);
	if (rp != VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN && rp != vp)
		fail(c, VHSM_CHECK_PRODUCT, "report CPUID says %s but %s productName is \"%s\"",
		     vhsm_report_product_name(rp), vek_name(c), c->info.product_name);
	if (rp == VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN)
		vhsm_report_set_product(&c->rep, vp);
	c->res->product = c->rep.product;
}

static void check_signature(struct vctx *c)
{
	int err;

	if (c->rep.signing_key != VHSM_SIGNING_KEY_VCEK &&
	    c->rep.signing_key != VHSM_SIGNING_KEY_VLEK) {
		fail(c, VHSM_CHECK_SIGNATURE, "report is not signed (SIGNING_KEY=%u)",
		     c->rep.signing_key);
		return;
	}
	if (c->rep.sig_algo != 1) {
		fail(c, VHSM_CHECK_SIGNATURE, "unsupported SIGNATURE_ALGO %u",
		     c->rep.sig_algo);
		return;
	}
	err = verify_sig_key(&c->rep, X509_get0_pubkey(c->vek));
	if (err == -EINVAL)
		fail(c, VHSM_CHECK_SIGNATURE, "%s public key is not ECDSA P-384",
		     vek_name(c));
	else if (err == -ENOMEM)
		c->err = err;
	else if (err)
		fail(c, VHSM_CHECK_SIGNATURE,
		     "report signature does not verify with the %s", vek_name(c));
}

static void check_key_type(struct vctx *c)
{
	if (!c->info.has_hwid && !c->info.is_vlek)
		fail(c, VHSM_CHECK_CERT,
		     "certificate has neither a hwID nor a cspId extension");
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VCEK && c->info.is_vlek)
		fail(c, VHSM_CHECK_KEY_TYPE,
		     "report SIGNING_KEY=0 (VCEK) but the certificate is a VLEK");
	else if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK && !c->info.is_vlek)
		fail(c, VHSM_CHECK_KEY_TYPE,
		     "report SIGNING_KEY=1 (VLEK) but the certificate is a VCEK");
	else if (c->rep.signing_key > VHSM_SIGNING_KEY_VLEK)
		fail(c, VHSM_CHECK_KEY_TYPE, "report SIGNING_KEY=%u is not a VCEK or VLEK",
		     c->rep.signing_key);
}

static void check_spl(struct vctx *c, const char *suffix, const char *ext,
		      const char *part, unsigned int want)
{
	int64_t v;
	int err = ext_int(c->vek, suffix, &v);

	if (err == -ENOENT)
		fail(c, VHSM_CHECK_TCB, "%s has no %s extension", vek_name(c), ext);
	else if (err)
		fail(c, VHSM_CHECK_TCB, "%s %s extension is malformed", vek_name(c), ext);
	else if (v != (int64_t)want)
		fail(c, VHSM_CHECK_TCB, "%s %s=%" PRId64 " != reported_tcb.%s=%u",
		     vek_name(c), ext, v, part, want);
}

/* spl4..spl7 are optional; when present they must match TCB bytes 2..5. */
static void check_reserved_spls(struct vctx *c)
{
	static const char *const sfx[] = { "3.4", "3.5", "3.6", "3.7" };
	unsigned int i, want;
	int64_t v;

	for (i = 0; i < 4; i++) {
		want = (c->rep.reported_tcb.raw >> (8 * (i + 2))) & 0xff;
		if (ext_int(c->vek, sfx[i], &v) == 0 && v != (int64_t)want)
			fail(c, VHSM_CHECK_TCB, "%s spl%u=%" PRId64 " != reported_tcb byte %u=%u",
			     vek_name(c), i + 4, v, i + 2, want);
	}
}

static void check_tcb(struct vctx *c)
{
	const struct vhsm_tcb *t = &c->rep.reported_tcb;

	if (t->turin)
		check_spl(c, "3.9", "fmcSPL", "fmc", t->fmc);
	check_spl(c, "3.1", "blSPL", "bl", t->bl);
	check_spl(c, "3.2", "teeSPL", "tee", t->tee);
	check_spl(c, "3.3", "snpSPL", "snp", t->snp);
	check_spl(c, "3.8", "ucodeSPL", "ucode", t->ucode);
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

static void check_hwid(struct vctx *c)
{
	const struct vek_info *vi = &c->info;
	const uint8_t *chip = c->rep.chip_id;

	if (vi->is_vlek || !vi->has_hwid)
		return;
	if (zero_bytes(chip, 64)) {
		fail(c, VHSM_CHECK_HWID, "report CHIP_ID is masked (all zero)");
		return;
	}
	if (vi->hwid_len == 64 && !memcmp(vi->hwid, chip, 64))
		return;
	if (vi->hwid_len == 8 && c->rep.product == VHSM_PRODUCT_TURIN &&
	    !memcmp(vi->hwid, chip, 8) && zero_bytes(chip + 8, 56))
		return;
	fail(c, VHSM_CHECK_HWID, "VCEK hwID (%zu bytes) does not match report CHIP_ID",
	     vi->hwid_len);
}

/* ---- trust set ---- */

static int push_dup(STACK_OF(X509) *sk, X509 *x)
{
	if (!X509_up_ref(x))
		return -ENOMEM;
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return -ENOMEM;
	}
	return 0;
}

static bool cn_contains(X509 *x, const char *needle)
{
	char cn[256];

	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
				      cn, sizeof(cn)) < 0)
		return false;
	return strstr(cn, needle) != NULL;
}

/* Custom roots: self-signed -> anchor; CN with "VLEK" -> ASVK; else ASK. */
static int load_custom_roots(struct vctx *c)
{
	STACK_OF(X509) *sk = load_certs(c->opts->roots, c->opts->roots_len);
	int i, err = 0;

	if (!sk)
		return -EINVAL;
	for (i = 0; i < sk_X509_num(sk) && !err; i++) {
		X509 *x = sk_X509_value(sk, i);

		if (X509_self_signed(x, 0) == 1)
			err = push_dup(c->anchors, x);
		else if (cn_contains(x, "VLEK"))
			err = push_dup(c->asvks, x);
		else
			err = push_dup(c->asks, x);
	}
	sk_X509_pop_free(sk, X509_free);
	return err;
}

static STACK_OF(X509) *role_stack(struct vctx *c, enum root_role role)
{
	if (role == ROLE_ARK)
		return c->anchors;
	return role == ROLE_ASK ? c->asks : c->asvks;
}

static X509 *cached_root(struct vctx *c, enum root_role role)
{
	static const char *const files[] = { "ark.pem", "ask.pem", "asvk.pem" };
	char path[4096];
	uint8_t *buf;
	size_t len;
	X509 *x;

	if (!c->opts->cache_dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s/%s", c->opts->cache_dir,
		 vhsm_report_product_name(c->rep.product), files[role]);
	if (read_file(path, &buf, &len))
		return NULL;
	x = load_cert(buf, len);
	free(buf);
	return x;
}

static int load_builtin_roots(struct vctx *c)
{
	enum vhsm_product p = c->rep.product;
	int role, err = 0;

	if (p == VHSM_PRODUCT_UNKNOWN) {
		fail(c, VHSM_CHECK_CHAIN, "product unknown, no AMD root to verify against");
		return 0;
	}
	for (role = ROLE_ARK; role <= ROLE_ASVK && !err; role++) {
		const char *pem = vhsm_verify_builtin_pem[p - 1][role];
		X509 *x = cached_root(c, role);

		if (!x)
			x = load_cert(pem, strlen(pem));
		if (!x)
			return -ENOMEM;
		err = push_dup(role_stack(c, role), x);
		X509_free(x);
	}
	return err;
}

/* ---- chain ---- */

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	/* A CRL is only applied to certificates whose issuer published one. */
	if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

static const char *depth_role(const struct vctx *c, int depth)
{
	static const char *const vcek[] = { "VCEK", "ASK", "ARK" };
	static const char *const vlek[] = { "VLEK", "ASVK", "ARK" };

	if (depth < 0 || depth > 2)
		return "certificate";
	return c->info.is_vlek ? vlek[depth] : vcek[depth];
}

static void chain_error(struct vctx *c, int e, int depth)
{
	const char *who = depth_role(c, depth), *by = depth_role(c, depth + 1);

	switch (e) {
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		if (depth == 2)
			fail(c, VHSM_CHECK_CHAIN, "ARK self-signature does not verify");
		else
			fail(c, VHSM_CHECK_CHAIN, "%s not signed by %s", who, by);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		fail(c, VHSM_CHECK_CHAIN, "%s not signed by %s (no trusted issuer found)",
		     who, by);
		break;
	case X509_V_ERR_CERT_REVOKED:
		fail(c, VHSM_CHECK_CHAIN, "%s is revoked by the CRL", who);
		break;
	default:
		fail(c, VHSM_CHECK_CHAIN, "%s: %s", who, X509_verify_cert_error_string(e));
	}
}

static bool in_stack(STACK_OF(X509) *sk, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(sk); i++)
		if (!X509_cmp(sk_X509_value(sk, i), x))
			return true;
	return false;
}

/* After a successful X509_verify_cert: exact shape VEK -> ASK/ASVK -> ARK. */
static void check_chain_shape(struct vctx *c, STACK_OF(X509) *chain)
{
	STACK_OF(X509) *want = c->info.is_vlek ? c->asvks : c->asks;

	if (sk_X509_num(chain) != 3) {
		fail(c, VHSM_CHECK_CHAIN, "expected %s -> %s -> ARK, got %d certificates",
		     depth_role(c, 0), depth_role(c, 1), sk_X509_num(chain));
		return;
	}
	if (!in_stack(want, sk_X509_value(chain, 1)))
		fail(c, VHSM_CHECK_CHAIN, "%s not signed by the %s", depth_role(c, 0),
		     depth_role(c, 1));
}

static bool crl_matches_chain(struct vctx *c, STACK_OF(X509) *chain)
{
	int i, j;

	for (i = 0; i < sk_X509_CRL_num(c->crls); i++) {
		X509_NAME *iss = X509_CRL_get_issuer(sk_X509_CRL_value(c->crls, i));

		for (j = 0; j < sk_X509_num(chain); j++)
			if (!X509_NAME_cmp(iss, X509_get_subject_name(sk_X509_value(chain, j))))
				return true;
	}
	return false;
}

static int setup_store(struct vctx *c, X509_STORE *st)
{
	unsigned long flags = X509_V_FLAG_CHECK_SS_SIGNATURE;
	int i;

	for (i = 0; i < sk_X509_num(c->anchors); i++)
		if (!X509_STORE_add_cert(st, sk_X509_value(c->anchors, i)))
			return -ENOMEM;
	for (i = 0; i < sk_X509_CRL_num(c->crls); i++)
		if (!X509_STORE_add_crl(st, sk_X509_CRL_value(c->crls, i)))
			return -ENOMEM;
	if (c->crls)
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	if (c->opts->flags & VHSM_VERIFY_NO_CHECK_TIME)
		flags |= X509_V_FLAG_NO_CHECK_TIME;
	X509_STORE_set_flags(st, flags);
	X509_STORE_set_verify_cb(st, verify_cb);
	return 0;
}

static int run_chain(struct vctx *c, STACK_OF(X509) *untrusted)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int err = -ENOMEM;

	if (!st || !ctx || setup_store(c, st) ||
	    !X509_STORE_CTX_init(ctx, st, c->vek, untrusted))
		goto out;
	err = 0;
	if (X509_verify_cert(ctx) != 1) {
		chain_error(c, X509_STORE_CTX_get_error(ctx),
			    X509_STORE_CTX_get_error_depth(ctx));
		goto out;
	}
	check_chain_shape(c, X509_STORE_CTX_get0_chain(ctx));
	if (c->crls && !crl_matches_chain(c, X509_STORE_CTX_get0_chain(ctx)))
		fail(c, VHSM_CHECK_CHAIN, "CRL is not issued by any certificate of the chain");
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	return err;
}

static int check_chain(struct vctx *c)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int i, err;

	if (!untrusted)
		return -ENOMEM;
	err = c->opts->roots ? load_custom_roots(c) : load_builtin_roots(c);
	for (i = 0; !err && i < sk_X509_num(c->asks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asks, i));
	for (i = 0; !err && i < sk_X509_num(c->asvks); i++)
		err = push_dup(untrusted, sk_X509_value(c->asvks, i));
	if (!err && sk_X509_num(c->anchors) == 0) {
		if (!(c->res->failed & VHSM_CHECK_CHAIN))
			fail(c, VHSM_CHECK_CHAIN, "no self-signed ARK in the trust set");
	} else if (!err) {
		err = run_chain(c, untrusted);
	}
	sk_X509_pop_free(untrusted, X509_free);
	return err;
}

/* ---- policy ---- */

void vhsm_policy_init(struct vhsm_policy *p)
{
	if (p)
		memset(p, 0, sizeof(*p));
}

void vhsm_policy_free(struct vhsm_policy *p)
{
	if (!p)
		return;
	free(p->measurements);
	vhsm_policy_init(p);
}

int vhsm_policy_add_measurement(struct vhsm_policy *p, const uint8_t m[48])
{
	uint8_t (*n)[48];

	if (!p || !m)
		return -EINVAL;
	n = realloc(p->measurements, (p->n_measurements + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memcpy(n[p->n_measurements++], m, 48);
	p->measurements = n;
	return 0;
}

static void hex_str(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void policy_tcb_part(struct vctx *c, const char *part, unsigned int have,
			    unsigned int min)
{
	if (have < min)
		fail(c, VHSM_CHECK_MIN_TCB, "reported_tcb.%s=%u < policy minimum %u",
		     part, have, min);
}

static void policy_tcb(struct vctx *c, const struct vhsm_policy *p)
{
	const struct vhsm_tcb *t = &c->rep.reported_tcb;

	if (!p->check_min_tcb)
		return;
	if (t->turin)
		policy_tcb_part(c, "fmc", t->fmc, p->min_tcb.fmc);
	policy_tcb_part(c, "bl", t->bl, p->min_tcb.bl);
	policy_tcb_part(c, "tee", t->tee, p->min_tcb.tee);
	policy_tcb_part(c, "snp", t->snp, p->min_tcb.snp);
	policy_tcb_part(c, "ucode", t->ucode, p->min_tcb.ucode);
}

static void policy_measurement(struct vctx *c, const struct vhsm_policy *p)
{
	char hex[97];
	size_t i;

	if (!p->n_measurements)
		return;
	for (i = 0; i < p->n_measurements; i++)
		if (!memcmp(p->measurements[i], c->rep.measurement, 48))
			return;
	hex_str(c->rep.measurement, 48, hex);
	fail(c, VHSM_CHECK_MEASUREMENT, "measurement %s is not in the allowed list", hex);
}

static void policy_data(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->check_host_data &&
	    memcmp(p->host_data, c->rep.host_data, sizeof(p->host_data)))
		fail(c, VHSM_CHECK_HOST_DATA, "HOST_DATA differs from the expected value");
	if (p->check_report_data &&
	    memcmp(p->report_data, c->rep.report_data, sizeof(p->report_data)))
		fail(c, VHSM_CHECK_REPORT_DATA, "REPORT_DATA differs from the expected value");
}

static void policy_vmpl(struct vctx *c, const struct vhsm_policy *p)
{
	if (p->vmpl_mode == VHSM_VMPL_MAX && c->rep.vmpl > p->vmpl)
		fail(c, VHSM_CHECK_VMPL, "vmpl=%u > policy maximum %u", c->rep.vmpl, p->vmpl);
	if (p->vmpl_mode == VHSM_VMPL_EXACT && c->rep.vmpl != p->vmpl)
		fail(c, VHSM_CHECK_VMPL, "vmpl=%u != policy vmpl %u", c->rep.vmpl, p->vmpl);
}

static void policy_bits(struct vctx *c, const struct vhsm_policy *p)
{
	uint64_t pol = c->rep.policy;

	if (!p->allow_debug && (pol & VHSM_POLICY_DEBUG))
		fail(c, VHSM_CHECK_DEBUG, "guest policy allows debugging (POLICY.DEBUG=1)");
	if (p->forbid_migration_agent && (pol & VHSM_POLICY_MIGRATE_MA))
		fail(c, VHSM_CHECK_MIGRATION, "guest policy allows a migration agent");
	if (p->require_single_socket && !(pol & VHSM_POLICY_SINGLE_SOCKET))
		fail(c, VHSM_CHECK_SINGLE_SOCKET, "guest policy does not require a single socket");
	if (p->require_smt_disabled && (c->rep.platform_info & VHSM_PLATFORM_SMT_EN))
		fail(c, VHSM_CHECK_SMT, "SMT is enabled on the platform");
}

static void policy_versions(struct vctx *c, const struct vhsm_policy *p)
{
	unsigned int have, want;

	if (c->rep.guest_svn < p->min_guest_svn)
		fail(c, VHSM_CHECK_GUEST_SVN, "guest_svn=%u < policy minimum %u",
		     c->rep.guest_svn, p->min_guest_svn);
	have = (unsigned int)c->rep.current_major << 8 | c->rep.current_minor;
	want = (unsigned int)p->min_abi_major << 8 | p->min_abi_minor;
	if (p->check_min_abi && have < want)
		fail(c, VHSM_CHECK_ABI, "firmware ABI %u.%u < policy minimum %u.%u",
		     c->rep.current_major, c->rep.current_minor,
		     p->min_abi_major, p->min_abi_minor);
	if (p->allowed_signing_keys && (c->rep.signing_key > 7 ||
	    !(p->allowed_signing_keys & (1u << c->rep.signing_key))))
		fail(c, VHSM_CHECK_SIGNING_KEY, "signing key type %u is not allowed by policy",
		     c->rep.signing_key);
}

static void check_policy(struct vctx *c)
{
	struct vhsm_policy def;
	const struct vhsm_policy *p = c->opts->policy;

	if (c->opts->flags & VHSM_VERIFY_NO_POLICY)
		return;
	if (!p) {
		vhsm_policy_init(&def);
		p = &def;
	}
	policy_bits(c, p);
	policy_tcb(c, p);
	policy_measurement(c, p);
	policy_data(c, p);
	policy_vmpl(c, p);
	policy_versions(c, p);
}

/* ---- policy from JSON ---- */

static int hex_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int json_hex(json_t *v, uint8_t *out, size_t n)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s || strlen(s) != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int json_uint(json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -EINVAL;
	*out = (uint64_t)i;
	return 0;
}

static int json_flag(json_t *v, bool *out)
{
	if (!json_is_boolean(v))
		return -EINVAL;
	*out = json_is_true(v);
	return 0;
}

static int json_u8(json_t *v, uint8_t *out)
{
	uint64_t x;
	int err = json_uint(v, 255, &x);

	if (!err)
		*out = (uint8_t)x;
	return err;
}

static int json_min_tcb(json_t *v, struct vhsm_policy *p)
{
	const char *key;
	json_t *val;
	int err = 0;

	if (!json_is_object(v))
		return -EINVAL;
	p->check_min_tcb = true;
	json_object_foreach(v, key, val) {
		if (!strcmp(key, "fmc"))
			err = json_u8(val, &p->min_tcb.fmc);
		else if (!strcmp(key, "bl"))
			err = json_u8(val, &p->min_tcb.bl);
		else if (!strcmp(key, "tee"))
			err = json_u8(val, &p->min_tcb.tee);
		else if (!strcmp(key, "snp"))
			err = json_u8(val, &p->min_tcb.snp);
		else if (!strcmp(key, "ucode"))
			err = json_u8(val, &p->min_tcb.ucode);
		else
			err = -EINVAL;
		if (err)
			return err;
	}
	return 0;
}

static int json_measurements(json_t *v, struct vhsm_policy *p)
{
	uint8_t m[48];
	size_t i;
	json_t *e;
	int err;

	if (!json_is_array(v))
		return -EINVAL;
	json_array_foreach(v, i, e) {
		err = json_hex(e, m, sizeof(m));
		if (!err)
			err = vhsm_policy_add_measurement(p, m);
		if (err)
			return err;
	}
	return 0;
}

static int json_vmpl(json_t *v, enum vhsm_vmpl_mode mode, struct vhsm_policy *p)
{
	uint64_t x;

	if (p->vmpl_mode != VHSM_VMPL_ANY || json_uint(v, 3, &x))
		return -EINVAL;
	p->vmpl_mode = mode;
	p->vmpl = (uint32_t)x;
	return 0;
}

static int json_abi(json_t *v, struct vhsm_policy *p)
{
	const char *s = json_string_value(v);
	unsigned int major, minor;
	int used = 0;

	if (!s || sscanf(s, "%3u.%3u%n", &major, &minor, &used) != 2 ||
	    s[used] || major > 255 || minor > 255)
		return -EINVAL;
	p->check_min_abi = true;
	p->min_abi_major = (uint8_t)major;
	p->min_abi_minor = (uint8_t)minor;
	return 0;
}

static int json_keys(json_t *v, struct vhsm_policy *p)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || !json_array_size(v))
		return -EINVAL;
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);

		if (s && !strcmp(s, "vcek"))
			p->allowed_signing_keys |= VHSM_ALLOW_VCEK;
		else if (s && !strcmp(s, "vlek"))
			p->allowed_signing_keys |= VHSM_ALLOW_VLEK;
		else
			return -EINVAL;
	}
	return 0;
}

static int json_u32(json_t *v, uint32_t *out)
{
	uint64_t x;
	int err = json_uint(v, UINT32_MAX, &x);

	if (!err)
		*out = (uint32_t)x;
	return err;
}

static int policy_key(const char *key, json_t *v, struct vhsm_policy *p)
{
	if (!strcmp(key, "allow_debug"))
		return json_flag(v, &p->allow_debug);
	if (!strcmp(key, "min_tcb"))
		return json_min_tcb(v, p);
	if (!strcmp(key, "measurements"))
		return json_measurements(v, p);
	if (!strcmp(key, "host_data"))
		return p->check_host_data = true, json_hex(v, p->host_data, 32);
	if (!strcmp(key, "report_data"))
		return p->check_report_data = true, json_hex(v, p->report_data, 64);
	if (!strcmp(key, "max_vmpl"))
		return json_vmpl(v, VHSM_VMPL_MAX, p);
	if (!strcmp(key, "exact_vmpl"))
		return json_vmpl(v, VHSM_VMPL_EXACT, p);
	if (!strcmp(key, "min_guest_svn"))
		return json_u32(v, &p->min_guest_svn);
	if (!strcmp(key, "require_smt_disabled"))
		return json_flag(v, &p->require_smt_disabled);
	if (!strcmp(key, "forbid_migration_agent"))
		return json_flag(v, &p->forbid_migration_agent);
	if (!strcmp(key, "require_single_socket"))
		return json_flag(v, &p->require_single_socket);
	if (!strcmp(key, "min_abi"))
		return json_abi(v, p);
	if (!strcmp(key, "signing_keys"))
		return json_keys(v, p);
	return -EINVAL;
}

int vhsm_policy_from_json(const char *json, struct vhsm_policy *p)
{
	const char *key;
	json_t *root, *v;
	int err = 0;

	if (!json || !p)
		return -EINVAL;
	vhsm_policy_init(p);
	root = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (!root)
		return -EINVAL;
	if (!json_is_object(root))
		err = -EINVAL;
	if (!err) {
		json_object_foreach(root, key, v) {
			err = policy_key(key, v, p);
			if (err)
				break;
		}
	}
	json_decref(root);
	if (err)
		vhsm_policy_free(p);
	return err;
}

int vhsm_policy_load_json(const char *path, struct vhsm_policy *p)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (!path || !p)
		return -EINVAL;
	vhsm_policy_init(p);
	err = read_file(path, &buf, &len);
	if (err)
		return err;
	if (memchr(buf, 0, len))
		err = -EINVAL;
	else
		err = vhsm_policy_from_json((const char *)buf, p);
	free(buf);
	return err;
}

/* ---- VEK lookup and main entry ---- */

static void cache_vek_path(const struct vctx *c, enum vhsm_product p,
			   char *path, size_t size)
{
	char hwid[129], tcb[17];
	size_t n = p == VHSM_PRODUCT_TURIN ? 8 : 64;

	snprintf(tcb, sizeof(tcb), "%016" PRIx64, c->rep.reported_tcb.raw);
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK) {
		snprintf(path, size, "%s/vlek/%s/%s.der", c->opts->cache_dir,
			 vhsm_report_product_name(p), tcb);
		return;
	}
	hex_str(c->rep.chip_id, n, hwid);
	snprintf(path, size, "%s/vcek/%s/%s/%s.der", c->opts->cache_dir,
		 vhsm_report_product_name(p), hwid, tcb);
}

static X509 *load_cached_vek(struct vctx *c)
{
	enum vhsm_product p, first = c->rep.product, last = c->rep.product;
	char path[4096];
	uint8_t *buf;
	size_t len;
	X509 *x;

	if (!c->opts->cache_dir)
		return NULL;
	if (first == VHSM_PRODUCT_UNKNOWN) {
		first = VHSM_PRODUCT_MILAN;
		last = VHSM_PRODUCT_TURIN;
	}
	for (p = first; p <= last; p++) {
		cache_vek_path(c, p, path, sizeof(path));
		if (read_file(path, &buf, &len))
			continue;
		x = load_cert(buf, len);
		free(buf);
		if (x)
			return x;
	}
	return NULL;
}

static int load_vek(struct vctx *c)
{
	const struct vhsm_verify_opts *o = c->opts;

	if (o->vek) {
		c->vek = load_cert(o->vek, o->vek_len);
		return c->vek ? 0 : -EINVAL;
	}
	c->vek = load_cached_vek(c);
	if (!c->vek) {
		fail(c, VHSM_CHECK_CERT, "no %s given and none found in the cache",
		     c->rep.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK");
		return -ENOKEY;
	}
	return 0;
}

static int ctx_init(struct vctx *c, const struct vhsm_report *r,
		    const struct vhsm_verify_opts *opts, struct vhsm_verify_result *res)
{
	memset(c, 0, sizeof(*c));
	c->opts = opts;
	c->res = res;
	c->rep = *r;
	c->res->product = r->product;
	res->reasons = calloc(VHSM_VERIFY_MAX_REASONS, sizeof(char *));
	c->anchors = sk_X509_new_null();
	c->asks = sk_X509_new_null();
	c->asvks = sk_X509_new_null();
	if (!res->reasons || !c->anchors || !c->asks || !c->asvks)
		return -ENOMEM;
	if (opts->crl) {
		c->crls = load_crls(opts->crl, opts->crl_len);
		if (!c->crls)
			return -EINVAL;
	}
	return 0;
}

static void ctx_free(struct vctx *c)
{
	X509_free(c->vek);
	sk_X509_pop_free(c->anchors, X509_free);
	sk_X509_pop_free(c->asks, X509_free);
	sk_X509_pop_free(c->asvks, X509_free);
	sk_X509_CRL_pop_free(c->crls, X509_CRL_free);
}

static int run_checks(struct vctx *c)
{
	int err = load_vek(c);

	if (err)
		return err;
	read_vek_info(c->vek, &c->info);
	check_product(c);
	check_signature(c);
	check_key_type(c);
	check_tcb(c);
	check_hwid(c);
	err = check_chain(c);
	if (err)
		return err;
	check_policy(c);
	return c->err;
}

int vhsm_verify_report(const struct vhsm_report *r,
		       const struct vhsm_verify_opts *opts,
		       struct vhsm_verify_result *res)
{
	struct vctx *c;
	int err;

	if (!res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (!r || !opts || (opts->roots && !opts->roots_len))
		return -EINVAL;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	ERR_set_mark();
	err = ctx_init(c, r, opts, res);
	if (!err)
		err = run_checks(c);
	ctx_free(c);
	free(c);
	ERR_pop_to_mark();
	if (!err && res->failed)
		err = -EKEYREJECTED;
	return err;
}
