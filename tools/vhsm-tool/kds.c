// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AMD KDS client and offline cache (docs/kds.md has the URL scheme).
 *
 *   VCEK   {base}/vcek/v1/{Product}/{hwid}?blSPL=B&teeSPL=T&snpSPL=S&ucodeSPL=U
 *          Turin: hwid is the first 8 bytes of CHIP_ID and fmcSPL=F is added;
 *          Milan, Genoa: all 64 bytes.  The SPLs are REPORTED_TCB's, decimal.
 *          Answer: the VCEK, DER.  (A VLEK is served only to the cloud provider
 *          holding its CSP secret: not fetched here.)
 *   chain  {base}/vcek/v1/{Product}/cert_chain  (VLEK: /vlek/v1/...): PEM, the
 *          ASK (ASVK) then the ARK.
 *   CRL    {base}/vcek/v1/{Product}/crl  (VLEK: /vlek/v1/...): DER, by the ARK.
 *
 * Cache (the layout libvhsm's verifier reads, vhsm_verify_opts.cache_dir):
 *   DIR/vcek/{Product}/{hwid}/{REPORTED_TCB as 16 hex digits}.der
 *   DIR/{Product}/ark.pem, ask.pem, asvk.pem
 *   DIR/{Product}/crl.der (VCEK chain), vlek-crl.der (VLEK chain)
 *
 * HTTP: libcurl, at most KDS_ATTEMPTS tries.  A transport error or a 5xx
 * answer is retried after KDS_BACKOFF_MS, doubling; a 429 (KDS rate limit)
 * after its Retry-After (seconds), which must not exceed KDS_RETRY_AFTER_MAX
 * (a longer wait fails at once with a message saying so).  Failure prints
 * one message: what was asked, of whom, and the last answer.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "certdir.h"
#include "kds.h"

#define KDS_ATTEMPTS		4
#define KDS_BACKOFF_MS		500
#define KDS_RETRY_AFTER_MAX	30	/* seconds */
#define KDS_BODY_MAX		(1u << 20)
#define KDS_CONNECT_TIMEOUT	10L	/* seconds */
#define KDS_TIMEOUT		30L

/* ---- names ---- */

static bool is_vlek(const struct kds_req *q)
{
	return q->r->signing_key == VHSM_SIGNING_KEY_VLEK;
}

static void hwid_hex(const struct vhsm_report *r, char out[129])
{
	size_t n = r->product == VHSM_PRODUCT_TURIN ? 8 : 64, i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", r->chip_id[i]);
	out[2 * n] = '\0';
}

static int fit(int n, size_t size)
{
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int kds_url(const struct kds_req *q, enum kds_item what, char *buf, size_t size)
{
	const char *base = q->base ? q->base : KDS_DEFAULT_URL;
	const char *prod = vhsm_report_product_name(q->r->product);
	const char *kind = is_vlek(q) ? "vlek" : "vcek";
	const struct vhsm_tcb *t = &q->r->reported_tcb;
	size_t bl = strlen(base);
	char hwid[129], fmc[32] = "";

	while (bl && base[bl - 1] == '/')
		bl--;
	switch (what) {
	case KDS_CHAIN:
		return fit(snprintf(buf, size, "%.*s/%s/v1/%s/cert_chain", (int)bl, base,
				    kind, prod), size);
	case KDS_CRL:
		return fit(snprintf(buf, size, "%.*s/%s/v1/%s/crl", (int)bl, base, kind,
				    prod), size);
	case KDS_VEK:
		break;
	}
	if (is_vlek(q))
		return -EOPNOTSUPP;
	hwid_hex(q->r, hwid);
	if (q->r->product == VHSM_PRODUCT_TURIN)
		snprintf(fmc, sizeof(fmc), "fmcSPL=%u&", t->fmc);
	return fit(snprintf(buf, size, "%.*s/vcek/v1/%s/%s?%sblSPL=%u&teeSPL=%u&snpSPL=%u"
			    "&ucodeSPL=%u", (int)bl, base, prod, hwid, fmc, t->bl, t->tee,
			    t->snp, t->ucode), size);
}

int kds_cache_path(const struct kds_req *q, enum kds_item what, char *buf, size_t size)
{
	const char *prod = vhsm_report_product_name(q->r->product);
	char hwid[129];

	switch (what) {
	case KDS_CHAIN:
		return fit(snprintf(buf, size, "%s/%s/%s", q->cache, prod,
				    is_vlek(q) ? "asvk.pem" : "ask.pem"), size);
	case KDS_CRL:
		return fit(snprintf(buf, size, "%s/%s/%s", q->cache, prod,
				    is_vlek(q) ? "vlek-crl.der" : "crl.der"), size);
	case KDS_VEK:
		break;
	}
	if (is_vlek(q))
		return fit(snprintf(buf, size, "%s/vlek/%s/%016" PRIx64 ".der", q->cache, prod,
				    q->r->reported_tcb.raw), size);
	hwid_hex(q->r, hwid);
	return fit(snprintf(buf, size, "%s/vcek/%s/%s/%016" PRIx64 ".der", q->cache, prod,
			    hwid, q->r->reported_tcb.raw), size);
}

bool kds_cached(const struct kds_req *q, enum kds_item what)
{
	char path[4096];

	if (kds_cache_path(q, what, path, sizeof(path)) || access(path, R_OK))
		return false;
	/* the chain is the ASK/ASVK and the ARK */
	if (what == KDS_CHAIN &&
	    (fit(snprintf(path, sizeof(path), "%s/%s/ark.pem", q->cache,
			  vhsm_report_product_name(q->r->product)), sizeof(path)) ||
	     access(path, R_OK)))
		return false;
	return true;
}

/* ---- HTTP ---- */

struct body {
	uint8_t *p;
	size_t len;
	bool too_big;
};

static size_t on_data(char *data, size_t sz, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = sz * n;
	uint8_t *q;

	if (add > KDS_BODY_MAX - b->len) {
		b->too_big = true;
		return 0;
	}
	q = realloc(b->p, b->len + add + 1);
	if (!q)
		return 0;
	memcpy(q + b->len, data, add);
	b->p = q;
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One GET: 0 with *status set, or a curl error code (message in @err). */
static CURLcode get_once(CURL *c, const char *url, struct body *b, long *status,
			 long *retry_after, char err[CURL_ERROR_SIZE])
{
	curl_off_t ra = -1;
	CURLcode rc;

	free(b->p);
	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, KDS_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, KDS_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vhsm-tool/" VHSM_TOOL_VERSION);
	rc = curl_easy_perform(c);
	*status = 0;
	*retry_after = -1;
	if (rc != CURLE_OK) {
		if (!err[0])
			snprintf(err, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
		return rc;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra >= 0)
		*retry_after = (long)ra;
	return CURLE_OK;
}

/*
 * GET @url with retries into *out; TOOL_OK with the 200 body, else one
 * message and TOOL_ERROR.
 */
static int kds_get(const struct tool_ctx *ctx, const char *cmd, const char *what,
		   const char *url, uint8_t **out, size_t *out_len)
{
	char err[CURL_ERROR_SIZE], last[CURL_ERROR_SIZE + 64] = "";
	struct body b = { 0 };
	long status = 0, ra, wait = KDS_BACKOFF_MS;
	int attempt, rc = TOOL_ERROR;
	CURL *c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(c = curl_easy_init())) {
		tool_err(ctx, "%s: cannot initialise libcurl", cmd);
		return TOOL_ERROR;
	}
	for (attempt = 1; attempt <= KDS_ATTEMPTS; attempt++) {
		long delay = wait;

		if (get_once(c, url, &b, &status, &ra, err) != CURLE_OK) {
			snprintf(last, sizeof(last), "%s", b.too_big ?
				 "answer larger than 1 MiB" : err);
			if (b.too_big)
				break;
		} else if (status == 200) {
			rc = TOOL_OK;
			break;
		} else if (status == 429) {
			snprintf(last, sizeof(last), "HTTP 429 (rate limited)");
			if (ra > KDS_RETRY_AFTER_MAX) {
				snprintf(last, sizeof(last), "HTTP 429 (rate limited), asked to "
					 "wait %ld s (more than %d s: try again later)", ra,
					 KDS_RETRY_AFTER_MAX);
				break;
			}
			if (ra >= 0)
				delay = ra * 1000;
		} else if (status >= 500) {
			snprintf(last, sizeof(last), "HTTP %ld", status);
		} else {
			snprintf(last, sizeof(last), "HTTP %ld%s", status, status == 404 ?
				 " (not found: the KDS has no such certificate)" : "");
			break;
		}
		if (attempt < KDS_ATTEMPTS)
			sleep_ms(delay);
		wait *= 2;
	}
	curl_easy_cleanup(c);
	curl_global_cleanup();
	if (rc != TOOL_OK) {
		tool_err(ctx, "%s: cannot fetch the %s from the KDS: %s (%s; %d attempt%s)", cmd,
			 what, last, url, attempt > KDS_ATTEMPTS ? KDS_ATTEMPTS : attempt,
			 attempt == 1 ? "" : "s");
		free(b.p);
		return rc;
	}
	*out = b.p;
	*out_len = b.len;
	return TOOL_OK;
}

/* ---- storing ---- */

static int mkdirs(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*s = '/';
			return -errno;
		}
		*s = '/';
	}
	return 0;
}

/* @path's directories, then @path atomically (temp file and rename), 0644. */
static int store(const struct tool_ctx *ctx, const char *cmd, const char *path,
		 const void *buf, size_t len)
{
	char dir[4096], tmp[4200];
	FILE *f;
	int err;

	snprintf(dir, sizeof(dir), "%s", path);
	err = mkdirs(dir);
	if (err) {
		tool_err(ctx, "%s: cannot create the directories of %s: %s", cmd, path,
			 strerror(-err));
		return TOOL_ERROR;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) || rename(tmp, path)) {
		tool_err(ctx, "%s: cannot write %s: %s", cmd, path, strerror(errno));
		if (f)
			unlink(tmp);
		return TOOL_ERROR;
	}
	if (!ctx->quiet)
		fprintf(stderr, "%s: stored %s\n", cmd, path);
	return TOOL_OK;
}

static char *to_pem(X509 *x, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (bio && PEM_write_bio_X509(bio, x) && (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (out = malloc((size_t)n))) {
		memcpy(out, data, (size_t)n);
		*len = (size_t)n;
	}
	BIO_free(bio);
	return out;
}

/* cert_chain: ASK/ASVK then ARK (PEM), checked, stored as two PEM files. */
static int store_chain(const struct tool_ctx *ctx, const char *cmd,
		       const struct kds_req *q, const uint8_t *buf, size_t len)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	X509 *ask = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	X509 *ark = ask ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	struct certsrc s = { 0 };
	char path[4096];
	int rc = TOOL_ERROR;

	BIO_free(bio);
	if (!ark) {
		tool_err(ctx, "%s: the KDS's cert_chain is not two PEM certificates (%s, ARK)",
			 cmd, is_vlek(q) ? "ASVK" : "ASK");
		goto out;
	}
	s.ask = (uint8_t *)to_pem(ask, &s.ask_len);
	s.ark = (uint8_t *)to_pem(ark, &s.ark_len);
	if (!s.ask || !s.ark) {
		tool_err(ctx, "%s: out of memory", cmd);
		goto out;
	}
	snprintf(s.ask_name, sizeof(s.ask_name), "the KDS's %s", is_vlek(q) ? "ASVK" : "ASK");
	snprintf(s.ark_name, sizeof(s.ark_name), "the KDS's ARK");
	rc = certsrc_check_roots(ctx, &s, q->r->product, is_vlek(q), q->roots, q->roots_len);
	if (rc)
		goto out;
	rc = fit(snprintf(path, sizeof(path), "%s/%s/ark.pem", q->cache,
			  vhsm_report_product_name(q->r->product)), sizeof(path)) ?
		TOOL_ERROR : store(ctx, cmd, path, s.ark, s.ark_len);
	if (!rc && !kds_cache_path(q, KDS_CHAIN, path, sizeof(path)))
		rc = store(ctx, cmd, path, s.ask, s.ask_len);
out:
	X509_free(ask);
	X509_free(ark);
	certsrc_free(&s);
	return rc;
}

/* The CRL must be a DER CRL signed by a trusted ARK of the product. */
static int check_crl(const struct tool_ctx *ctx, const char *cmd,
		     const struct kds_req *q, const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);
	const char *ark_pem, *ask_pem;
	X509 *ark = NULL;
	BIO *bio = NULL;
	int rc = TOOL_REFUSED;

	if (!crl) {
		tool_err(ctx, "%s: the KDS's answer is not a DER CRL", cmd);
		return TOOL_ERROR;
	}
	if (q->roots) {
		bio = BIO_new_mem_buf(q->roots, (int)q->roots_len);
		while (bio && (ark = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
			if (X509_self_signed(ark, 0) == 1 &&
			    X509_CRL_verify(crl, X509_get0_pubkey(ark)) == 1)
				break;
			X509_free(ark);
		}
	} else if (!vhsm_verify_builtin_chain(q->r->product, is_vlek(q), &ark_pem, &ask_pem)) {
		bio = BIO_new_mem_buf(ark_pem, -1);
		ark = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		if (ark && X509_CRL_verify(crl, X509_get0_pubkey(ark)) != 1) {
			X509_free(ark);
			ark = NULL;
		}
	}
	ERR_clear_error();	/* the end of the PEM data is reported as an error */
	if (ark)
		rc = TOOL_OK;
	else
		tool_err(ctx, "%s: refused: the KDS's CRL is not signed by the trusted ARK (%s)",
			 cmd, q->roots ? "--roots" : "AMD's");
	BIO_free(bio);
	X509_free(ark);
	X509_CRL_free(crl);
	return rc;
}

int kds_fetch(const struct tool_ctx *ctx, const char *cmd, const struct kds_req *q,
	      enum kds_item what)
{
	static const char *const names[] = { "VCEK", "certificate chain", "CRL" };
	const unsigned char *p;
	char url[2048], path[4096];
	uint8_t *buf = NULL;
	size_t len = 0;
	X509 *x;
	int rc, err;

	err = kds_url(q, what, url, sizeof(url));
	if (err == -EOPNOTSUPP) {
		tool_err(ctx, "%s: the report is signed by a VLEK, which AMD's KDS gives only "
			 "to the cloud provider: take it from the host's certificate table "
			 "(attest --certs)", cmd);
		return TOOL_USAGE;
	}
	if (err || kds_cache_path(q, what, path, sizeof(path))) {
		tool_err(ctx, "%s: the KDS URL or cache path is too long", cmd);
		return TOOL_USAGE;
	}
	rc = kds_get(ctx, cmd, names[what], url, &buf, &len);
	if (rc)
		return rc;
	switch (what) {
	case KDS_VEK:
		p = buf;
		x = d2i_X509(NULL, &p, (long)len);
		if (!x || p != buf + len) {
			tool_err(ctx, "%s: the KDS's answer for %s is not a DER certificate",
				 cmd, url);
			rc = TOOL_ERROR;
		} else {
			rc = store(ctx, cmd, path, buf, len);
		}
		X509_free(x);
		break;
	case KDS_CHAIN:
		rc = store_chain(ctx, cmd, q, buf, len);
		break;
	case KDS_CRL:
		rc = check_crl(ctx, cmd, q, buf, len);
		if (!rc)
			rc = store(ctx, cmd, path, buf, len);
		break;
	}
	free(buf);
	return rc;
}
