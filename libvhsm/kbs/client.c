// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The KBS client (libcurl): POST /kbs/v0/auth, POST /kbs/v0/attest,
 * GET /kbs/v0/resource/REPO/TYPE/TAG, as guest-components speaks them
 * (protocol 0.4.0, tee "snp").
 *
 * One curl handle per client keeps the connection and the in-memory cookie
 * jar (the kbs-session-id cookie ties /auth to /attest and may authorise the
 * resource request); the attestation token is also sent as a bearer token.
 * Transient failures (no connection, timeouts, HTTP 5xx and 429) are retried
 * a bounded number of times with doubling delays; /attest, whose nonce the
 * server consumes, only when no connection could be made. A refusal carries the
 * server's RFC 7807 problem details, which vhsm_kbs_errmsg() shows.
 *
 * The client never decrypts anything: the evidence comes from the caller's
 * callback and the resource body goes back to the caller as it arrived.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <vhsm/kbs.h>

#include "kbs_internal.h"

#define KBS_MAX_RESPONSE (1024 * 1024)
#define KBS_MAX_NONCE 1024
#define KBS_MAX_ATTEMPTS 10
#define KBS_MAX_BACKOFF_MS 5000
#define KBS_PATH_PART_MAX 128

struct vhsm_kbs_client {
	CURL *curl;
	char *base;		/* URL without a trailing '/' */
	char *cacert;
	unsigned int attempts, backoff_ms;
	long timeout_s;
	char *token;
	long status;
	char errmsg[512];
};

struct http_reply {
	long status;
	struct kbs_buf body;
	bool too_big;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void set_err(struct vhsm_kbs_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(struct vhsm_kbs_client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
}

int vhsm_kbs_client_new(const struct vhsm_kbs_config *cfg, struct vhsm_kbs_client **out)
{
	struct vhsm_kbs_client *c;
	size_t n;

	if (!cfg || !out || !cfg->url || cfg->max_attempts > KBS_MAX_ATTEMPTS ||
	    cfg->timeout_s < 0 || cfg->backoff_ms > KBS_MAX_BACKOFF_MS)
		return -EINVAL;
	if (strncmp(cfg->url, "http://", 7) && strncmp(cfg->url, "https://", 8))
		return -EINVAL;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return -EIO;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->base = strdup(cfg->url);
	c->cacert = cfg->cacert ? strdup(cfg->cacert) : NULL;
	c->curl = curl_easy_init();
	if (!c->base || (cfg->cacert && !c->cacert) || !c->curl) {
		int err = c->curl ? -ENOMEM : -EIO;

		vhsm_kbs_client_free(c);
		return err;
	}
	n = strlen(c->base);
	while (n && c->base[n - 1] == '/')
		c->base[--n] = 0;
	c->attempts = cfg->max_attempts ? cfg->max_attempts : 3;
	c->backoff_ms = cfg->backoff_ms ? cfg->backoff_ms : 200;
	c->timeout_s = cfg->timeout_s ? cfg->timeout_s : 30;
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");	/* in-memory jar */
	*out = c;
	return 0;
}

void vhsm_kbs_client_free(struct vhsm_kbs_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	vhsm_kbs_set_token(c, NULL);
	free(c->base);
	free(c->cacert);
	free(c);
}

int vhsm_kbs_set_token(struct vhsm_kbs_client *c, const char *token)
{
	char *t = NULL;

	if (!c)
		return -EINVAL;
	if (token && !(t = strdup(token)))
		return -ENOMEM;
	if (c->token) {
		OPENSSL_cleanse(c->token, strlen(c->token));
		free(c->token);
	}
	c->token = t;
	return 0;
}

const char *vhsm_kbs_token(const struct vhsm_kbs_client *c)
{
	return c ? c->token : NULL;
}

const char *vhsm_kbs_errmsg(const struct vhsm_kbs_client *c)
{
	return c ? c->errmsg : "no client";
}

long vhsm_kbs_http_status(const struct vhsm_kbs_client *c)
{
	return c ? c->status : 0;
}

/* ---- one HTTP exchange, with retries ---- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_reply *r = arg;

	n *= size;
	if (r->body.len + n > KBS_MAX_RESPONSE) {
		r->too_big = true;
		return 0;	/* aborts the transfer */
	}
	_vhsm_kbs_buf_add(&r->body, data, n);
	return r->body.oom ? 0 : n;
}

static int curl_errno(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return -EKEYREJECTED;
	default:
		return -EIO;
	}
}

/*
 * Whether to try again. /attest consumes the session's nonce once it
 * arrives, so it is only resent when the connection was never made.
 */
static bool transient(CURLcode rc, long status, bool once)
{
	if (once)
		return rc == CURLE_COULDNT_CONNECT;
	if (rc == CURLE_OK)
		return status >= 500 || status == 429;
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
	       rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
	       rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static CURLcode exchange_once(struct vhsm_kbs_client *c, const char *url,
			      const char *body, struct curl_slist *hdrs,
			      struct http_reply *r)
{
	CURL *h = c->curl;
	CURLcode rc;

	free(r->body.p);
	memset(&r->body, 0, sizeof(r->body));
	r->too_big = false;
	r->status = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	return rc;
}

/* "type-tail: detail" of an RFC 7807 body, or the body's start. */
static void problem_text(const struct http_reply *r, char *out, size_t n)
{
	json_t *p = r->body.p ? json_loads(r->body.p, 0, NULL) : NULL;
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *detail = json_string_value(json_object_get(p, "detail"));
	const char *tail = type ? strrchr(type, '/') : NULL;

	if (detail)
		snprintf(out, n, "%s%s%s", tail ? tail + 1 : type ? type : "",
			 type ? ": " : "", detail);
	else
		snprintf(out, n, "%.200s", r->body.p && r->body.len ? r->body.p : "(no details)");
	json_decref(p);
}

static int status_errno(long status)
{
	if (status == 401 || status == 403)
		return -EACCES;
	if (status == 404)
		return -ENOENT;
	if (status == 413)
		return -E2BIG;
	return -EPROTO;
}

static int add_header(struct curl_slist **l, const char *h)
{
	struct curl_slist *n = curl_slist_append(*l, h);

	if (!n)
		return -ENOMEM;
	*l = n;
	return 0;
}

/*
 * POST @body (or GET when NULL) to @path; on 200 the body is in @r. Any
 * other outcome sets the error message and returns a negative errno.
 */
static int exchange(struct vhsm_kbs_client *c, const char *path, const char *body,
		    bool bearer, bool once, struct http_reply *r)
{
	const char *method = body ? "POST" : "GET";
	struct curl_slist *hdrs = NULL;
	struct kbs_buf url = { 0 }, auth = { 0 };
	unsigned int i, delay = c->backoff_ms;
	CURLcode rc = CURLE_OK;
	char detail[400];
	int err = 0;

	_vhsm_kbs_buf_printf(&url, "%s%s", c->base, path);
	if (bearer && c->token)
		_vhsm_kbs_buf_printf(&auth, "Authorization: Bearer %s", c->token);
	if (url.oom || auth.oom || add_header(&hdrs, "Accept: application/json") ||
	    (body && add_header(&hdrs, "Content-Type: application/json")) ||
	    (auth.p && add_header(&hdrs, auth.p))) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c->attempts; i++) {
		if (i) {
			sleep_ms(delay);
			delay = delay * 2 > KBS_MAX_BACKOFF_MS ? KBS_MAX_BACKOFF_MS : delay * 2;
		}
		rc = exchange_once(c, url.p, body, hdrs, r);
		if (!transient(rc, r->status, once))
			break;
	}
	c->status = r->status;
	if (rc != CURLE_OK) {
		err = r->too_big ? -EFBIG : r->body.oom ? -ENOMEM : curl_errno(rc);
		set_err(c, "%s %s: %s%s", method, path, r->too_big ?
			"response larger than 1 MiB" : curl_easy_strerror(rc),
			i == c->attempts ? " (gave up after retries)" : "");
	} else if (r->status != 200) {
		problem_text(r, detail, sizeof(detail));
		set_err(c, "%s %s: HTTP %ld: %s", method, path, r->status, detail);
		err = status_errno(r->status);
	} else if (!r->body.p || !r->body.len) {
		set_err(c, "%s %s: empty response", method, path);
		err = -EPROTO;
	}
out:
	curl_slist_free_all(hdrs);
	if (auth.p) {
		OPENSSL_cleanse(auth.p, auth.len);
		free(auth.p);
	}
	free(url.p);
	return err;
}

static void reply_free(struct http_reply *r)
{
	free(r->body.p);
	memset(r, 0, sizeof(*r));
}

/* ---- the protocol ---- */

static int kbs_auth(struct vhsm_kbs_client *c, char **nonce)
{
	static const char req[] = "{\"version\":\"" VHSM_KBS_PROTOCOL_VERSION "\","
		"\"tee\":\"snp\",\"extra-params\":{\"supported-hash-algorithms\":[\"sha384\"]}}";
	struct http_reply r = { 0 };
	const char *n, *alg;
	json_t *ch = NULL, *extra;
	int err;

	curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, "ALL");	/* a fresh session */
	err = exchange(c, "/kbs/v0/auth", req, false, false, &r);
	if (err)
		goto out;
	ch = json_loads(r.body.p, 0, NULL);
	n = json_string_value(json_object_get(ch, "nonce"));
	extra = json_object_get(ch, "extra-params");
	alg = json_string_value(json_object_get(extra, "selected-hash-algorithm"));
	if (!n || strlen(n) > KBS_MAX_NONCE || !_vhsm_kbs_is_std_b64(n)) {
		set_err(c, "POST /kbs/v0/auth: the challenge has no valid base64 nonce");
		err = -EPROTO;
	} else if (alg && strcmp(alg, "sha384")) {
		set_err(c, "POST /kbs/v0/auth: the server selected hash %s; only sha384 "
			"is supported for SNP", alg);
		err = -EOPNOTSUPP;
	} else if (!(*nonce = strdup(n))) {
		err = -ENOMEM;
	}
out:
	json_decref(ch);
	reply_free(&r);
	return err;
}

/* The evidence binds nonce and key: REPORT_DATA is what the server computes. */
static int check_binding(struct vhsm_kbs_client *c, const char *nonce, const char *jwk,
			 const struct vhsm_kbs_evidence *ev)
{
	uint8_t want[VHSM_KBS_REPORT_DATA_LEN];
	int err = vhsm_kbs_report_data(nonce, jwk, "", want);

	if (err)
		return err;
	if (CRYPTO_memcmp(want, ev->report + 0x50, sizeof(want))) {
		set_err(c, "the evidence's REPORT_DATA does not bind the nonce and tee-pubkey");
		return -EBADMSG;
	}
	return 0;
}

static int attest_body(const char *nonce, const char *jwk, const struct vhsm_kbs_evidence *ev,
		       char **out)
{
	json_t *key = json_loads(jwk, 0, NULL), *snp = NULL, *att;
	char *evj = NULL;
	int err;

	err = vhsm_kbs_evidence_json(ev->report, ev->report_len, ev->certs, ev->certs_len, &evj);
	if (!err && !(snp = json_loads(evj, 0, NULL)))
		err = -ENOMEM;
	free(evj);
	if (err || !key) {
		json_decref(key);
		json_decref(snp);
		return err ? err : -ENOMEM;
	}
	att = json_pack("{s:n,s:{s:s,s:o},s:{s:o,s:s}}", "init-data",
			"runtime-data", "nonce", nonce, "tee-pubkey", key,
			"tee-evidence", "primary_evidence", snp, "additional_evidence", "");
	*out = att ? json_dumps(att, JSON_COMPACT) : NULL;
	json_decref(att);
	return *out ? 0 : -ENOMEM;
}

static int kbs_attest_once(struct vhsm_kbs_client *c, vhsm_kbs_evidence_fn fn, void *arg)
{
	struct vhsm_kbs_challenge ch = { .additional_evidence = "", .hash_alg = "sha384" };
	struct vhsm_kbs_evidence *ev;
	struct http_reply r = { 0 };
	char *nonce = NULL, *jwk = NULL, *body = NULL;
	const char *tok;
	json_t *resp = NULL;
	int err;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	err = kbs_auth(c, &nonce);
	if (err)
		goto out;
	ch.nonce = nonce;
	err = fn(arg, &ch, ev);
	if (err) {
		set_err(c, "the evidence callback failed: %s", strerror(-err));
		goto out;
	}
	if (ev->report_len < VHSM_KBS_SNP_REPORT_LEN) {
		set_err(c, "the evidence callback returned a %zu-byte report", ev->report_len);
		err = -EINVAL;
		goto out;
	}
	err = vhsm_kbs_jwk_p256(ev->x, ev->y, &jwk);
	if (!err)
		err = check_binding(c, nonce, jwk, ev);
	if (!err)
		err = attest_body(nonce, jwk, ev, &body);
	if (err) {
		if (!c->errmsg[0])
			set_err(c, "cannot encode the evidence: %s", strerror(-err));
		goto out;
	}
	err = exchange(c, "/kbs/v0/attest", body, false, true, &r);
	if (err)
		goto out;
	resp = json_loads(r.body.p, 0, NULL);
	tok = json_string_value(json_object_get(resp, "token"));
	if (!tok || !*tok) {
		set_err(c, "POST /kbs/v0/attest: the answer carries no token");
		err = -EPROTO;
	} else {
		err = vhsm_kbs_set_token(c, tok);
	}
out:
	json_decref(resp);
	if (r.body.p)
		OPENSSL_cleanse(r.body.p, r.body.len);
	reply_free(&r);
	free(body);
	free(jwk);
	free(nonce);
	free(ev->certs);
	free(ev);
	return err;
}

int vhsm_kbs_attest(struct vhsm_kbs_client *c, vhsm_kbs_evidence_fn fn, void *arg)
{
	if (!c || !fn)
		return -EINVAL;
	c->errmsg[0] = 0;
	vhsm_kbs_set_token(c, NULL);
	return kbs_attest_once(c, fn, arg);
}

static bool path_part_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > KBS_PATH_PART_MAX || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static bool resource_path_ok(const char *path)
{
	const char *p = path, *slash;
	int parts = 0;

	for (;;) {
		slash = strchr(p, '/');
		if (!path_part_ok(p, slash ? (size_t)(slash - p) : strlen(p)))
			return false;
		parts++;
		if (!slash)
			break;
		p = slash + 1;
	}
	return parts == 3;
}

int vhsm_kbs_get_resource(struct vhsm_kbs_client *c, const char *path,
			  char **body, size_t *len)
{
	struct http_reply r = { 0 };
	struct kbs_buf p = { 0 };
	int err;

	if (!c || !path || !body || !len)
		return -EINVAL;
	c->errmsg[0] = 0;
	if (!resource_path_ok(path)) {
		set_err(c, "resource path '%s' is not REPO/TYPE/TAG of [A-Za-z0-9._-]", path);
		return -EINVAL;
	}
	_vhsm_kbs_buf_printf(&p, "/kbs/v0/resource/%s", path);
	if (p.oom) {
		free(p.p);
		return -ENOMEM;
	}
	err = exchange(c, p.p, NULL, true, false, &r);
	free(p.p);
	if (err) {
		reply_free(&r);
		return err;
	}
	*len = r.body.len;
	err = _vhsm_kbs_buf_finish(&r.body, body);
	return err;
}

int vhsm_kbs_provision(struct vhsm_kbs_client *c, vhsm_kbs_evidence_fn fn, void *arg,
		       const char *path, char **body, size_t *len)
{
	int err;

	if (!c || !fn || !path || !body || !len)
		return -EINVAL;
	if (!resource_path_ok(path)) {
		set_err(c, "resource path '%s' is not REPO/TYPE/TAG of [A-Za-z0-9._-]", path);
		return -EINVAL;
	}
	err = vhsm_kbs_attest(c, fn, arg);
	if (err)
		return err;
	err = vhsm_kbs_get_resource(c, path, body, len);
	if (err != -EACCES)
		return err;
	/* the token may have expired between the two requests: once more */
	err = vhsm_kbs_attest(c, fn, arg);
	return err ? err : vhsm_kbs_get_resource(c, path, body, len);
}
