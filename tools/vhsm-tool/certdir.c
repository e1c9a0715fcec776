// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Certificate folders and tables (see certdir.h).
 *
 * The folder is snpguest's: DIR/ark, DIR/ask (DIR/asvk for a VLEK chain),
 * DIR/vcek or DIR/vlek, each with the extension .der or .pem.  attest writes
 * it from the platform's certificate table (DER) and keeps the table itself
 * as DIR/certtable.bin; report verify reads it.  What such a folder holds is
 * what the host handed the guest: its VCEK/VLEK is checked by the verifier's
 * chain, and its ARK and ASK/ASVK are compared here with the roots the
 * verifier trusts, so a folder can never bring its own root of trust.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "certdir.h"

#define CERT_MAX (1u << 20)

/* ---- attest: write the folder ---- */

int certdir_save(const struct tool_ctx *ctx, const char *cmd, const char *dir,
		 const uint8_t *table, size_t len)
{
	static const struct { enum vhsm_cert_type kind; const char *file; } names[] = {
		{ VHSM_CERT_VCEK, "vcek.der" }, { VHSM_CERT_VLEK, "vlek.der" },
		{ VHSM_CERT_ASK, "ask.der" }, { VHSM_CERT_ARK, "ark.der" },
	};
	struct vhsm_certtable t;
	char path[4096];
	size_t i;
	int ret, rc;

	ret = vhsm_certtable_parse(table, len, &t);
	if (ret) {
		tool_err(ctx, "%s: malformed certificate table from the platform: %s", cmd,
			 strerror(-ret));
		return TOOL_ERROR;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		tool_err(ctx, "%s: cannot create '%s': %s", cmd, dir, strerror(errno));
		rc = TOOL_ERROR;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CERTDIR_TABLE_FILE);
	rc = tool_write_output(ctx, cmd, path, table, len);
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && rc == TOOL_OK; i++) {
		const struct vhsm_cert_entry *e = vhsm_certtable_find(&t, names[i].kind);
		const char *file = names[i].file;

		if (!e)
			continue;
		/* snpguest's name for the VLEK chain's intermediate */
		if (names[i].kind == VHSM_CERT_ASK && vhsm_certtable_find(&t, VHSM_CERT_VLEK) &&
		    !vhsm_certtable_find(&t, VHSM_CERT_VCEK))
			file = "asvk.der";
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		rc = tool_write_output(ctx, cmd, path, e->data, e->len);
	}
out:
	vhsm_certtable_free(&t);
	return rc;
}

/* ---- report verify: read a folder or a table ---- */

/* DIR/BASE.der or DIR/BASE.pem into *buf; 0, -ENOENT (neither), -errno. */
static int read_cert_file(const char *dir, const char *base, uint8_t **buf,
			  size_t *len, char *name, size_t name_size)
{
	static const char *const ext[] = { "der", "pem" };
	struct stat st;
	size_t i, n;
	FILE *f;

	for (i = 0; i < 2; i++) {
		snprintf(name, name_size, "%s/%s.%s", dir, base, ext[i]);
		f = fopen(name, "rb");
		if (!f && errno == ENOENT)
			continue;
		if (!f)
			return -errno;
		if (fstat(fileno(f), &st) || st.st_size <= 0 || st.st_size > CERT_MAX) {
			fclose(f);
			return -EFBIG;
		}
		*buf = malloc((size_t)st.st_size);
		if (!*buf) {
			fclose(f);
			return -ENOMEM;
		}
		n = fread(*buf, 1, (size_t)st.st_size, f);
		fclose(f);
		*len = n;
		return n == (size_t)st.st_size ? 0 : -EIO;
	}
	return -ENOENT;
}

int certsrc_from_dir(const struct tool_ctx *ctx, const char *dir, bool vlek,
		     struct certsrc *s)
{
	const char *vek = vlek ? "vlek" : "vcek";
	struct stat st;
	int err;

	memset(s, 0, sizeof(*s));
	if (stat(dir, &st)) {
		tool_err(ctx, "--certs %s: %s", dir, strerror(errno));
		return TOOL_ERROR;
	}
	if (!S_ISDIR(st.st_mode)) {
		tool_err(ctx, "--certs %s: not a directory (snpguest's folder: ark, ask, "
			 "vcek or vlek, .der or .pem)", dir);
		return TOOL_ERROR;
	}
	err = read_cert_file(dir, vek, &s->vek, &s->vek_len, s->vek_name,
			     sizeof(s->vek_name));
	if (err == -ENOENT) {
		tool_err(ctx, "--certs %s: no %s.der or %s.pem there (the report is signed by "
			 "its %s)", dir, vek, vek, vlek ? "VLEK" : "VCEK");
		return TOOL_ERROR;
	}
	if (!err && vlek)
		err = read_cert_file(dir, "asvk", &s->ask, &s->ask_len, s->ask_name,
				     sizeof(s->ask_name));
	if (!err || err == -ENOENT)
		err = s->ask ? 0 : read_cert_file(dir, "ask", &s->ask, &s->ask_len,
						  s->ask_name, sizeof(s->ask_name));
	if (!err || err == -ENOENT)
		err = read_cert_file(dir, "ark", &s->ark, &s->ark_len, s->ark_name,
				     sizeof(s->ark_name));
	if (err && err != -ENOENT) {
		tool_err(ctx, "--certs %s: cannot read a certificate: %s", dir, strerror(-err));
		certsrc_free(s);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

static int copy_entry(const struct vhsm_certtable *t, enum vhsm_cert_type type,
		      uint8_t **buf, size_t *len)
{
	const struct vhsm_cert_entry *e = vhsm_certtable_find(t, type);

	if (!e)
		return 0;
	*buf = malloc(e->len);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, e->data, e->len);
	*len = e->len;
	return 0;
}

int certsrc_from_table(const struct tool_ctx *ctx, const char *what,
		       const uint8_t *buf, size_t len, bool vlek, struct certsrc *s)
{
	struct vhsm_certtable t;
	int err;

	memset(s, 0, sizeof(*s));
	err = vhsm_certtable_parse(buf, len, &t);
	if (err) {
		tool_err(ctx, "%s is not a certificate table (GUID, offset, length entries "
			 "ending in a zero entry, then the certificates): %s", what,
			 strerror(-err));
		return TOOL_ERROR;
	}
	err = copy_entry(&t, vlek ? VHSM_CERT_VLEK : VHSM_CERT_VCEK, &s->vek, &s->vek_len);
	if (!err)
		err = copy_entry(&t, VHSM_CERT_ASK, &s->ask, &s->ask_len);
	if (!err)
		err = copy_entry(&t, VHSM_CERT_ARK, &s->ark, &s->ark_len);
	vhsm_certtable_free(&t);
	if (err) {
		tool_err(ctx, "out of memory");
		certsrc_free(s);
		return TOOL_ERROR;
	}
	if (!s->vek) {
		tool_err(ctx, "%s has no %s entry (the report is signed by its %s)", what,
			 vlek ? "VLEK" : "VCEK", vlek ? "VLEK" : "VCEK");
		certsrc_free(s);
		return TOOL_ERROR;
	}
	snprintf(s->vek_name, sizeof(s->vek_name), "the %s of %s", vlek ? "VLEK" : "VCEK", what);
	snprintf(s->ask_name, sizeof(s->ask_name), "the %s of %s", vlek ? "ASVK" : "ASK", what);
	snprintf(s->ark_name, sizeof(s->ark_name), "the ARK of %s", what);
	return TOOL_OK;
}

void certsrc_free(struct certsrc *s)
{
	free(s->vek);
	free(s->ask);
	free(s->ark);
	memset(s, 0, sizeof(*s));
}

/* ---- the folder's roots against the trusted ones ---- */

/* Every certificate of a PEM bundle, or the one of a DER buffer. */
static STACK_OF(X509) *load_all(const void *buf, size_t len)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	const unsigned char *p = buf;
	X509 *x;
	BIO *bio;

	if (!sk || len > CERT_MAX)
		goto fail;
	if (!memmem(buf, len, "-----BEGIN", 10)) {
		x = d2i_X509(NULL, &p, (long)len);
		if (!x || !sk_X509_push(sk, x)) {
			X509_free(x);
			goto fail;
		}
		return sk;
	}
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		goto fail;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	BIO_free(bio);
	ERR_clear_error();	/* the end of the PEM data is reported as an error */
	if (sk_X509_num(sk) > 0)
		return sk;
fail:
	sk_X509_pop_free(sk, X509_free);
	return NULL;
}

static X509 *load_one(const void *buf, size_t len)
{
	STACK_OF(X509) *sk = load_all(buf, len);
	X509 *x;

	if (!sk)
		return NULL;
	x = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return x;
}

/* The trusted ARKs: self-signed certificates of @roots, else the built-in ones. */
static STACK_OF(X509) *trusted_arks(enum vhsm_product p, bool vlek,
				    const uint8_t *roots, size_t roots_len)
{
	STACK_OF(X509) *sk = roots ? load_all(roots, roots_len) : sk_X509_new_null();
	enum vhsm_product q;
	const char *ark, *ask;
	int i;

	if (!sk)
		return NULL;
	if (roots) {
		for (i = sk_X509_num(sk) - 1; i >= 0; i--)
			if (X509_self_signed(sk_X509_value(sk, i), 0) != 1)
				X509_free(sk_X509_delete(sk, i));
		return sk;
	}
	for (q = VHSM_PRODUCT_MILAN; q <= VHSM_PRODUCT_TURIN; q++) {
		X509 *x;

		if (p != VHSM_PRODUCT_UNKNOWN && q != p)
			continue;
		if (vhsm_verify_builtin_chain(q, vlek, &ark, &ask))
			continue;
		x = load_one(ark, strlen(ark));
		if (x && !sk_X509_push(sk, x))
			X509_free(x);
	}
	return sk;
}

int certsrc_check_roots(const struct tool_ctx *ctx, const struct certsrc *s,
			enum vhsm_product p, bool vlek, const uint8_t *roots,
			size_t roots_len)
{
	STACK_OF(X509) *arks = NULL;
	X509 *ark = NULL, *ask = NULL, *anchor = NULL;
	int i, rc = TOOL_ERROR;

	if (!s->ark && !s->ask)
		return TOOL_OK;
	arks = trusted_arks(p, vlek, roots, roots_len);
	if (!arks) {
		tool_err(ctx, "cannot load the trusted roots");
		goto out;
	}
	if (s->ark && !(ark = load_one(s->ark, s->ark_len))) {
		tool_err(ctx, "%s is not an X.509 certificate (DER or PEM)", s->ark_name);
		goto out;
	}
	if (s->ask && !(ask = load_one(s->ask, s->ask_len))) {
		tool_err(ctx, "%s is not an X.509 certificate (DER or PEM)", s->ask_name);
		goto out;
	}
	rc = TOOL_REFUSED;
	for (i = 0; i < sk_X509_num(arks) && !anchor; i++) {
		X509 *t = sk_X509_value(arks, i);

		if (ark ? !X509_cmp(ark, t) :
		    X509_verify(ask, X509_get0_pubkey(t)) == 1)
			anchor = t;
	}
	if (!anchor && ark) {
		tool_err(ctx, "refused: %s is not a trusted ARK (%s): these certificates do not "
			 "chain to a root this verifier trusts", s->ark_name,
			 roots ? "none of the self-signed --roots" : "not AMD's");
		goto out;
	}
	if (!anchor || (ask && X509_verify(ask, X509_get0_pubkey(anchor)) != 1)) {
		tool_err(ctx, "refused: %s is not signed by the trusted ARK", s->ask_name);
		goto out;
	}
	rc = TOOL_OK;
out:
	X509_free(ark);
	X509_free(ask);
	sk_X509_pop_free(arks, X509_free);
	return rc;
}
