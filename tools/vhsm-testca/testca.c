// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testca.c - a test stand-in for AMD's ARK / ASK / ASVK PKI that issues
 * VCEK and VLEK certificates with the KDS extensions.  See testca.h.
 *
 * Only OpenSSL 3 EVP / X509 APIs are used; the AMD extension values are
 * DER built with OpenSSL's ASN1 types (INTEGER, IA5String) except hwID,
 * which real VCEKs store as the raw chip-id bytes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "testca.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#define AMD_OID "1.3.6.1.4.1.3704.1."
#define CA_DAYS (25L * 365 + 6)		/* like the KDS ARK/ASK: 25 years */
#define VEK_DAYS (7L * 365 + 2)		/* like KDS VCEKs: 7 years */

static __thread char errmsg[512];

const char *testca_errmsg(void)
{
	return errmsg;
}

/* Record a message (plus OpenSSL's first queued error, if any); return err. */
__attribute__((format(printf, 2, 3)))
static int fail(int err, const char *fmt, ...)
{
	unsigned long e = ERR_peek_error();
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	n = strlen(errmsg);
	if (e && n + 3 < sizeof(errmsg)) {
		snprintf(errmsg + n, sizeof(errmsg) - n, " (");
		ERR_error_string_n(e, errmsg + n + 2, sizeof(errmsg) - n - 3);
		n = strlen(errmsg);
		if (n + 1 < sizeof(errmsg))
			strcat(errmsg, ")");
	}
	ERR_clear_error();
	return err;
}

/* ---- products ---- */

static const char *const product_names[] = {
	[TESTCA_MILAN] = "Milan", [TESTCA_GENOA] = "Genoa", [TESTCA_TURIN] = "Turin",
};

enum testca_product testca_product_parse(const char *name)
{
	size_t n;
	int p;

	if (!name)
		return 0;
	n = strcspn(name, "-");
	if (name[n] == '-' && !name[n + 1])
		return 0;
	for (p = TESTCA_MILAN; p <= TESTCA_TURIN; p++)
		if (n == strlen(product_names[p]) && !strncasecmp(name, product_names[p], n))
			return (enum testca_product)p;
	return 0;
}

const char *testca_product_name(enum testca_product p)
{
	return p >= TESTCA_MILAN && p <= TESTCA_TURIN ? product_names[p] : "unknown";
}

const char *testca_vcek_product_name(enum testca_product p)
{
	/* as found in KDS-issued VCEKs */
	return p == TESTCA_MILAN ? "Milan-B0" : testca_product_name(p);
}

uint64_t testca_tcb_encode(enum testca_product p, uint8_t fmc, uint8_t bl,
			   uint8_t tee, uint8_t snp, uint8_t ucode)
{
	if (p == TESTCA_TURIN)
		return fmc | (uint64_t)bl << 8 | (uint64_t)tee << 16 |
		       (uint64_t)snp << 24 | (uint64_t)ucode << 56;
	return bl | (uint64_t)tee << 8 | (uint64_t)snp << 48 | (uint64_t)ucode << 56;
}

static unsigned int tcb_byte(uint64_t tcb, int i)
{
	return (unsigned int)(tcb >> (8 * i)) & 0xff;
}

/* ---- certificate building blocks ---- */

static int sign_pss_md(EVP_MD_CTX *md, EVP_PKEY *key)
{
	EVP_PKEY_CTX *pctx = NULL;

	return EVP_DigestSignInit(md, &pctx, EVP_sha384(), NULL, key) == 1 &&
	       EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) == 1 &&
	       EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) == 1;
}

static int sign_cert(X509 *x, EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && sign_pss_md(md, key) && X509_sign_ctx(x, md) > 0;

	EVP_MD_CTX_free(md);
	return ok ? 0 : fail(-EIO, "cannot sign certificate with RSA-PSS");
}

static int set_name(X509_NAME *name, const char *cn)
{
	static const char *const rdn[][2] = {
		{ "OU", "Engineering" }, { "C", "US" }, { "L", "Santa Clara" },
		{ "ST", "CA" }, { "O", "vhsm test CA (not AMD)" },
	};
	size_t i;

	for (i = 0; i < sizeof(rdn) / sizeof(rdn[0]); i++)
		if (!X509_NAME_add_entry_by_txt(name, rdn[i][0], MBSTRING_ASC,
						(const unsigned char *)rdn[i][1], -1, -1, 0))
			return -ENOMEM;
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)cn, -1, -1, 0))
		return -ENOMEM;
	return 0;
}

static uint64_t random_serial(void)
{
	uint64_t s = 0;

	while (!s) {
		if (RAND_bytes((unsigned char *)&s, sizeof(s)) != 1)
			return 1;
		s &= 0x7fffffffffffffffULL;
	}
	return s;
}

/* A v3 certificate skeleton: serial, validity, subject, issuer, key. */
static int new_cert(X509 **out, const char *cn, EVP_PKEY *pub, X509 *issuer,
		    uint64_t serial, long days, long backdate)
{
	X509 *x = X509_new();
	int err = -ENOMEM;

	*out = NULL;
	if (!x)
		return fail(-ENOMEM, "out of memory");
	if (!X509_set_version(x, X509_VERSION_3) ||
	    !ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial) ||
	    !X509_time_adj_ex(X509_getm_notBefore(x), -1 - backdate, 0, NULL) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)(days - backdate), 0, NULL) ||
	    !X509_set_pubkey(x, pub))
		goto out;
	err = set_name(X509_get_subject_name(x), cn);
	if (err)
		goto out;
	if (!X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
				  X509_get_subject_name(x))) {
		err = -ENOMEM;
		goto out;
	}
	*out = x;
	return 0;
out:
	X509_free(x);
	return fail(err, "cannot build certificate %s", cn);
}

static int add_conf_ext(X509 *x, X509 *issuer, int nid, const char *val)
{
	X509_EXTENSION *e;
	X509V3_CTX ctx;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, val);
	if (!e)
		return fail(-EINVAL, "cannot build extension %s", OBJ_nid2sn(nid));
	ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : fail(-ENOMEM, "out of memory");
}

/* An AMD extension (non-critical) whose extnValue content is @val. */
static int add_amd_ext(X509 *x, const char *suffix, const void *val, int len)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e = NULL;
	ASN1_OBJECT *obj;
	char oid[64];
	int ok = 0;

	snprintf(oid, sizeof(oid), AMD_OID "%s", suffix);
	obj = OBJ_txt2obj(oid, 1);
	if (os && obj && ASN1_OCTET_STRING_set(os, val, len))
		e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	if (e)
		ok = X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(os);
	return ok ? 0 : fail(-ENOMEM, "cannot add extension %s", oid);
}

/* DER INTEGER value, as the KDS encodes SPLs and structVersion. */
static int add_amd_int(X509 *x, const char *suffix, int64_t v)
{
	ASN1_INTEGER *ai = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int len = -1, err;

	if (ai && ASN1_INTEGER_set_int64(ai, v))
		len = i2d_ASN1_INTEGER(ai, &der);
	ASN1_INTEGER_free(ai);
	if (len <= 0)
		return fail(-ENOMEM, "out of memory");
	err = add_amd_ext(x, suffix, der, len);
	OPENSSL_free(der);
	return err;
}

/* DER IA5String value (productName, cspId). */
static int add_amd_ia5(X509 *x, const char *suffix, const char *s)
{
	ASN1_IA5STRING *a = ASN1_IA5STRING_new();
	unsigned char *der = NULL;
	int len = -1, err;

	if (a && ASN1_STRING_set(a, s, -1))
		len = i2d_ASN1_IA5STRING(a, &der);
	ASN1_IA5STRING_free(a);
	if (len <= 0)
		return fail(-ENOMEM, "out of memory");
	err = add_amd_ext(x, suffix, der, len);
	OPENSSL_free(der);
	return err;
}

/* ---- the CA ---- */

void testca_free(struct testca *ca)
{
	if (!ca)
		return;
	EVP_PKEY_free(ca->ark_key);
	EVP_PKEY_free(ca->ask_key);
	EVP_PKEY_free(ca->asvk_key);
	X509_free(ca->ark);
	X509_free(ca->ask);
	X509_free(ca->asvk);
	memset(ca, 0, sizeof(*ca));
}

static int make_ark(struct testca *ca)
{
	char cn[32];
	int err;

	snprintf(cn, sizeof(cn), "ARK-%s", testca_product_name(ca->product));
	err = new_cert(&ca->ark, cn, ca->ark_key, NULL, 0x10000, CA_DAYS, 0);
	if (!err)
		err = add_conf_ext(ca->ark, ca->ark, NID_key_usage,
				   "critical,keyCertSign,cRLSign");
	if (!err)
		err = add_conf_ext(ca->ark, ca->ark, NID_subject_key_identifier, "hash");
	if (!err)
		err = add_conf_ext(ca->ark, ca->ark, NID_basic_constraints,
				   "critical,CA:TRUE");
	if (!err)
		err = sign_cert(ca->ark, ca->ark_key);
	return err;
}

/* ASK ("SEV-<Product>") or ASVK ("SEV-VLEK-<Product>"), signed by the ARK. */
static int make_intermediate(struct testca *ca, bool vlek)
{
	EVP_PKEY *key = vlek ? ca->asvk_key : ca->ask_key;
	X509 **out = vlek ? &ca->asvk : &ca->ask;
	char cn[32];
	int err;

	snprintf(cn, sizeof(cn), "SEV-%s%s", vlek ? "VLEK-" : "",
		 testca_product_name(ca->product));
	err = new_cert(out, cn, key, ca->ark, vlek ? 0x10101 : 0x10001, CA_DAYS, 0);
	if (!err)
		err = add_conf_ext(*out, ca->ark, NID_subject_key_identifier, "hash");
	if (!err)
		err = add_conf_ext(*out, ca->ark, NID_authority_key_identifier,
				   "keyid:always");
	if (!err)
		err = add_conf_ext(*out, ca->ark, NID_basic_constraints,
				   "critical,CA:TRUE,pathlen:0");
	if (!err)
		err = add_conf_ext(*out, ca->ark, NID_key_usage, "critical,keyCertSign");
	if (!err)
		err = sign_cert(*out, ca->ark_key);
	return err;
}

int testca_create(struct testca *ca, enum testca_product p, int bits)
{
	int err;

	if (!ca)
		return fail(-EINVAL, "no CA");
	memset(ca, 0, sizeof(*ca));
	if (p < TESTCA_MILAN || p > TESTCA_TURIN)
		return fail(-EINVAL, "unknown product");
	if (bits < 2048 || bits > 16384)
		return fail(-EINVAL, "RSA key size %d out of range 2048..16384", bits);
	ca->product = p;
	ca->ark_key = EVP_RSA_gen((unsigned int)bits);
	ca->ask_key = EVP_RSA_gen((unsigned int)bits);
	ca->asvk_key = EVP_RSA_gen((unsigned int)bits);
	if (!ca->ark_key || !ca->ask_key || !ca->asvk_key) {
		err = fail(-ENOMEM, "cannot generate RSA-%d keys", bits);
		goto out;
	}
	err = make_ark(ca);
	if (!err)
		err = make_intermediate(ca, false);
	if (!err)
		err = make_intermediate(ca, true);
out:
	if (err)
		testca_free(ca);
	return err;
}

/* ---- files ---- */

static int path_in(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		return fail(-ENAMETOOLONG, "path %s/%s too long", dir, name);
	return 0;
}

static FILE *open_out(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fchmod(fd, mode)) {
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "wb");
	if (!f)
		close(fd);
	return f;
}

static int close_out(FILE *f, bool ok, const char *path)
{
	int err = errno;

	if (fclose(f) || !ok)
		return fail(-(err ? err : EIO), "cannot write %s: %s", path,
			    strerror(err ? err : EIO));
	return 0;
}

static int write_key(const char *dir, const char *name, EVP_PKEY *key)
{
	char path[4096];
	FILE *f;
	int err = path_in(path, sizeof(path), dir, name);

	if (err)
		return err;
	f = open_out(path, 0600);
	if (!f)
		return fail(-errno, "cannot create %s: %s", path, strerror(errno));
	errno = 0;
	return close_out(f, PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1,
			 path);
}

static int write_certs(const char *dir, const char *name, X509 *const *certs, int n)
{
	char path[4096];
	bool ok = true;
	FILE *f;
	int i, err = path_in(path, sizeof(path), dir, name);

	if (err)
		return err;
	f = open_out(path, 0644);
	if (!f)
		return fail(-errno, "cannot create %s: %s", path, strerror(errno));
	errno = 0;
	for (i = 0; i < n && ok; i++)
		ok = PEM_write_X509(f, certs[i]) == 1;
	return close_out(f, ok, path);
}

int testca_save(const struct testca *ca, const char *dir, bool force)
{
	X509 *chain[3];
	char path[4096];
	int err;

	if (!ca || !ca->ark || !dir)
		return fail(-EINVAL, "nothing to save");
	if (mkdir(dir, 0700) && errno != EEXIST)
		return fail(-errno, "cannot create %s: %s", dir, strerror(errno));
	err = path_in(path, sizeof(path), dir, "ark.key");
	if (err)
		return err;
	if (!force && access(path, F_OK) == 0)
		return fail(-EEXIST, "%s already holds a CA (use --force to replace it)", dir);
	err = write_key(dir, "ark.key", ca->ark_key);
	if (!err)
		err = write_key(dir, "ask.key", ca->ask_key);
	if (!err)
		err = write_key(dir, "asvk.key", ca->asvk_key);
	if (!err)
		err = write_certs(dir, "ark.pem", &ca->ark, 1);
	if (!err)
		err = write_certs(dir, "ask.pem", &ca->ask, 1);
	if (!err)
		err = write_certs(dir, "asvk.pem", &ca->asvk, 1);
	chain[0] = ca->ask;
	chain[1] = ca->ark;
	if (!err)
		err = write_certs(dir, "cert_chain.pem", chain, 2);
	chain[0] = ca->asvk;
	if (!err)
		err = write_certs(dir, "vlek_cert_chain.pem", chain, 2);
	chain[0] = ca->ark;
	chain[1] = ca->ask;
	chain[2] = ca->asvk;
	if (!err)
		err = write_certs(dir, "roots.pem", chain, 3);
	return err;
}

static int no_password(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

/* Read DIR/NAME: a certificate into *CERT or, CERT NULL, a key into *KEY. */
static int read_pem(const char *dir, const char *name, X509 **cert,
		    EVP_PKEY **key)
{
	char path[4096];
	bool ok;
	FILE *f;
	int err = path_in(path, sizeof(path), dir, name);

	if (err)
		return err;
	f = fopen(path, "rb");
	if (!f)
		return fail(-errno, "cannot open %s: %s", path, strerror(errno));
	if (cert)
		ok = (*cert = PEM_read_X509(f, NULL, no_password, NULL)) != NULL;
	else
		ok = (*key = PEM_read_PrivateKey(f, NULL, no_password, NULL)) != NULL;
	fclose(f);
	if (ok)
		return 0;
	return fail(-EINVAL, cert ? "%s is not a PEM certificate" :
		    "%s is not an unencrypted PEM private key", path);
}

int testca_load(struct testca *ca, const char *dir)
{
	char cn[64];
	int err;

	if (!ca || !dir)
		return fail(-EINVAL, "no CA");
	memset(ca, 0, sizeof(*ca));
	err = read_pem(dir, "ark.pem", &ca->ark, NULL);
	if (!err)
		err = read_pem(dir, "ask.pem", &ca->ask, NULL);
	if (!err)
		err = read_pem(dir, "asvk.pem", &ca->asvk, NULL);
	if (!err)
		err = read_pem(dir, "ark.key", NULL, &ca->ark_key);
	if (!err)
		err = read_pem(dir, "ask.key", NULL, &ca->ask_key);
	if (!err)
		err = read_pem(dir, "asvk.key", NULL, &ca->asvk_key);
	if (err)
		goto out;
	if (X509_check_private_key(ca->ark, ca->ark_key) != 1 ||
	    X509_check_private_key(ca->ask, ca->ask_key) != 1 ||
	    X509_check_private_key(ca->asvk, ca->asvk_key) != 1) {
		err = fail(-EINVAL, "%s: a key does not match its certificate", dir);
		goto out;
	}
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(ca->ark), NID_commonName,
				      cn, sizeof(cn)) < 0 || strncmp(cn, "ARK-", 4) ||
	    !(ca->product = testca_product_parse(cn + 4))) {
		err = fail(-EINVAL, "%s/ark.pem: CN is not ARK-<Milan|Genoa|Turin>", dir);
		goto out;
	}
	return 0;
out:
	testca_free(ca);
	return err;
}

/* ---- keys ---- */

static int check_p384(EVP_PKEY *pkey)
{
	char group[64];

	if (!EVP_PKEY_is_a(pkey, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
					    sizeof(group), NULL) ||
	    OBJ_txt2nid(group) != NID_secp384r1)
		return fail(-EKEYREJECTED, "key is not an ECDSA P-384 (secp384r1) key");
	return 0;
}

int testca_hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex with optional 0x, whitespace and ':' separators. */
static int decode_hex(const char *s, size_t len, uint8_t *out, size_t max, size_t *n)
{
	size_t i = 0, k = 0;
	int hi = -1;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	for (; i < len; i++) {
		int v = testca_hex_val((unsigned char)s[i]);

		if (isspace((unsigned char)s[i]) || s[i] == ':')
			continue;
		if (v < 0)
			return -EINVAL;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (k == max)
			return -EINVAL;
		out[k++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0 || !k)
		return -EINVAL;
	*n = k;
	return 0;
}

static EVP_PKEY *pubkey_from_point(const uint8_t *pt, size_t n)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-384", 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pt, n),
		OSSL_PARAM_END,
	};

	if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	/* certificates carry the uncompressed form, like the KDS's */
	if (pkey && !EVP_PKEY_set_utf8_string_param(pkey,
			OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
			OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED)) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

static bool looks_pem(const void *buf, size_t len)
{
	return memmem(buf, len, "-----BEGIN ", 11) != NULL;
}

int testca_load_pubkey(const void *buf, size_t len, EVP_PKEY **out)
{
	EVP_PKEY *pkey = NULL;
	uint8_t pt[160];
	size_t n;
	int err;

	if (!buf || !out || !len || len > INT_MAX)
		return fail(-EINVAL, "no key");
	*out = NULL;
	if (looks_pem(buf, len)) {
		BIO *bio = BIO_new_mem_buf(buf, (int)len);

		if (bio)
			pkey = PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL);
		BIO_free(bio);
		if (!pkey) {
			ERR_clear_error();
			bio = BIO_new_mem_buf(buf, (int)len);
			if (bio)
				pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
			BIO_free(bio);
		}
		if (!pkey)
			return fail(-EINVAL, "PEM data is neither a PUBLIC KEY nor an unencrypted private key");
	} else {
		const unsigned char *p = buf;

		pkey = d2i_PUBKEY(NULL, &p, (long)len);
		if (pkey && p != (const unsigned char *)buf + len) {
			EVP_PKEY_free(pkey);
			pkey = NULL;
		}
		if (!pkey) {
			ERR_clear_error();
			if (decode_hex(buf, len, pt, sizeof(pt), &n))
				return fail(-EINVAL, "key is not PEM, DER SubjectPublicKeyInfo or SEC1 hex");
			if (!((n == 97 && pt[0] == 4) ||
			      (n == 49 && (pt[0] == 2 || pt[0] == 3))))
				return fail(-EKEYREJECTED,
					    "SEC1 point of %zu bytes is not a P-384 point", n);
			pkey = pubkey_from_point(pt, n);
			if (!pkey)
				return fail(-EKEYREJECTED, "SEC1 hex is not a point on P-384");
		}
	}
	err = check_p384(pkey);
	if (err) {
		EVP_PKEY_free(pkey);
		return err;
	}
	*out = pkey;
	return 0;
}

int testca_load_privkey(const void *buf, size_t len, EVP_PKEY **out)
{
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	int err;

	if (!buf || !out || !len || len > INT_MAX)
		return fail(-EINVAL, "no key");
	*out = NULL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio && looks_pem(buf, len))
		pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	else if (bio)
		pkey = d2i_PrivateKey_bio(bio, NULL);
	BIO_free(bio);
	if (!pkey)
		return fail(-EINVAL, "not an unencrypted PEM or DER private key");
	err = check_p384(pkey);
	if (err) {
		EVP_PKEY_free(pkey);
		return err;
	}
	*out = pkey;
	return 0;
}

/* ---- VCEK / VLEK ---- */

static int add_spls(X509 *x, enum testca_product p, uint64_t tcb)
{
	int err = 0;

	/* same extension order as KDS-issued certificates */
	if (p == TESTCA_TURIN) {
		/*
		 * [fmc, bl, tee, snp, rsvd, rsvd, rsvd, ucode]: the reserved
		 * bytes have no SPL extension (a verifier refuses a Turin
		 * VCEK claiming one)
		 */
		err = add_amd_int(x, "3.9", tcb_byte(tcb, 0));
		if (!err)
			err = add_amd_int(x, "3.1", tcb_byte(tcb, 1));
		if (!err)
			err = add_amd_int(x, "3.2", tcb_byte(tcb, 2));
		if (!err)
			err = add_amd_int(x, "3.3", tcb_byte(tcb, 3));
	} else {
		/* [bl, tee, spl4, spl5, spl6, spl7, snp, ucode] */
		err = add_amd_int(x, "3.1", tcb_byte(tcb, 0));
		if (!err)
			err = add_amd_int(x, "3.2", tcb_byte(tcb, 1));
		if (!err)
			err = add_amd_int(x, "3.4", tcb_byte(tcb, 2));
		if (!err)
			err = add_amd_int(x, "3.5", tcb_byte(tcb, 3));
		if (!err)
			err = add_amd_int(x, "3.6", tcb_byte(tcb, 4));
		if (!err)
			err = add_amd_int(x, "3.7", tcb_byte(tcb, 5));
		if (!err)
			err = add_amd_int(x, "3.3", tcb_byte(tcb, 6));
	}
	if (!err)
		err = add_amd_int(x, "3.8", tcb_byte(tcb, 7));
	return err;
}

static int check_hwid(enum testca_product p, const uint8_t *hwid, size_t len,
		      size_t *use)
{
	size_t i;

	if (p != TESTCA_TURIN) {
		if (hwid && len != 64)
			return fail(-EINVAL, "hwID must be 64 bytes on %s, got %zu",
				    testca_product_name(p), len);
		*use = 64;
		return 0;
	}
	if (hwid && len != 8 && len != 64)
		return fail(-EINVAL, "hwID must be 8 (or 64 zero-padded) bytes on Turin, got %zu",
			    len);
	for (i = 8; hwid && i < len; i++)
		if (hwid[i])
			return fail(-EINVAL, "Turin hwID is 8 bytes: bytes 8..63 must be zero");
	*use = 8;
	return 0;
}

int testca_issue_vek(const struct testca *ca, const struct testca_vek_req *req,
		     X509 **out)
{
	static const uint8_t zero[64];
	enum testca_product p;
	const uint8_t *hwid;
	const char *name;
	size_t hwid_len = 0;
	X509 *issuer, *x = NULL;
	EVP_PKEY *key;
	int err;

	if (!ca || !ca->ark || !req || !req->pubkey || !out)
		return fail(-EINVAL, "missing CA, request or public key");
	*out = NULL;
	p = req->product ? req->product : ca->product;
	if (p < TESTCA_MILAN || p > TESTCA_TURIN)
		return fail(-EINVAL, "unknown product");
	if (req->days < 0 || req->backdate < 0 ||
	    req->days > 100L * 366 || req->backdate > 100L * 366)
		return fail(-EINVAL, "validity days out of range");
	err = check_p384(req->pubkey);
	if (err)
		return err;
	if (!req->vlek) {
		err = check_hwid(p, req->hwid, req->hwid_len, &hwid_len);
		if (err)
			return err;
	}
	hwid = req->hwid ? req->hwid : zero;
	issuer = req->vlek ? ca->asvk : ca->ask;
	key = req->vlek ? ca->asvk_key : ca->ask_key;
	name = req->product_name ? req->product_name :
	       req->vlek ? testca_product_name(p) : testca_vcek_product_name(p);

	err = new_cert(&x, req->vlek ? "SEV-VLEK" : "SEV-VCEK", req->pubkey, issuer,
		       req->serial ? req->serial : random_serial(),
		       req->days ? req->days : VEK_DAYS, req->backdate);
	if (!err)
		err = add_amd_int(x, "1", p == TESTCA_TURIN ? 1 : 0);
	if (!err)
		err = add_amd_ia5(x, "2", name);
	if (!err)
		err = add_spls(x, p, req->tcb);
	if (!err && req->vlek)
		err = add_amd_ia5(x, "5", req->csp_id ? req->csp_id : "CN=vhsm-test-csp");
	else if (!err)
		err = add_amd_ext(x, "4", hwid, (int)hwid_len);
	if (!err)
		err = sign_cert(x, key);
	if (err) {
		X509_free(x);
		return err;
	}
	*out = x;
	return 0;
}

/* ---- CRL ---- */

int testca_make_crl(const struct testca *ca, const uint64_t *serials, size_t n,
		    long days, unsigned char **der, int *der_len)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = ASN1_TIME_new(), *next = ASN1_TIME_new();
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int err = -ENOMEM, len;
	size_t i;
	bool ok;

	*der = NULL;
	if (!ca || !ca->ark || (n && !serials) || days <= 0) {
		err = fail(-EINVAL, "bad CRL request");
		goto out;
	}
	ok = crl && now && next && num && md &&
	     X509_CRL_set_version(crl, X509_CRL_VERSION_2) &&
	     X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->ark)) &&
	     X509_gmtime_adj(now, -60) && X509_time_adj_ex(next, (int)days, 0, NULL) &&
	     X509_CRL_set1_lastUpdate(crl, now) && X509_CRL_set1_nextUpdate(crl, next) &&
	     ASN1_INTEGER_set(num, 1) &&
	     X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) == 1;
	for (i = 0; ok && i < n; i++) {
		X509_REVOKED *rev = X509_REVOKED_new();
		ASN1_INTEGER *sn = ASN1_INTEGER_new();

		ok = rev && sn && ASN1_INTEGER_set_uint64(sn, serials[i]) &&
		     X509_REVOKED_set_serialNumber(rev, sn) &&
		     X509_REVOKED_set_revocationDate(rev, now) &&
		     X509_CRL_add0_revoked(crl, rev);
		ASN1_INTEGER_free(sn);
		if (!ok)
			X509_REVOKED_free(rev);
	}
	if (!ok)
		goto out;
	X509_CRL_sort(crl);
	if (!sign_pss_md(md, ca->ark_key) || X509_CRL_sign_ctx(crl, md) <= 0) {
		err = fail(-EIO, "cannot sign CRL");
		goto out;
	}
	len = i2d_X509_CRL(crl, der);
	if (len <= 0)
		goto out;
	*der_len = len;
	err = 0;
out:
	if (err == -ENOMEM)
		fail(err, "out of memory");
	EVP_MD_CTX_free(md);
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	X509_CRL_free(crl);
	return err;
}

/* ---- reports ---- */

int testca_sign_report(uint8_t report[TESTCA_REPORT_SIZE], EVP_PKEY *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char der[160];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig = NULL;
	size_t len = sizeof(der);
	int err = check_p384(key);

	if (err) {
		EVP_MD_CTX_free(md);
		return err;
	}
	report[0x34] = 1;	/* SIGNATURE_ALGO: ECDSA P-384 with SHA-384 */
	report[0x35] = report[0x36] = report[0x37] = 0;
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &len, report, TESTCA_REPORT_SIGNED) != 1 ||
	    !(sig = d2i_ECDSA_SIG(NULL, &p, (long)len))) {
		err = fail(-EIO, "cannot sign the report");
		goto out;
	}
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2lebinpad(r, report + 0x2A0, 72) != 72 ||
	    BN_bn2lebinpad(s, report + 0x2E8, 72) != 72)
		err = fail(-EIO, "bad signature size");
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	return err;
}

int testca_write_cert(X509 *x, const char *path, bool pem)
{
	FILE *f;
	bool ok;

	if (!x || !path)
		return fail(-EINVAL, "nothing to write");
	f = strcmp(path, "-") ? open_out(path, 0644) : stdout;
	if (!f)
		return fail(-errno, "cannot create %s: %s", path, strerror(errno));
	errno = 0;
	ok = pem ? PEM_write_X509(f, x) == 1 : i2d_X509_fp(f, x) == 1;
	if (f == stdout)
		return fflush(f) || !ok ? fail(-EIO, "cannot write to stdout") : 0;
	return close_out(f, ok, path);
}
