// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTTP front end of vhsm-kbs on libmicrohttpd: routing of the KBS
 * protocol paths, bounded request bodies (KBS_MAX_BODY; larger ones get 413
 * before they are read) and headers (the connection memory limit), RFC 7807
 * problem details with Trustee's error types and status codes (404 for an
 * unknown path or plugin, 401 for every refusal, as Trustee answers), one
 * JSON log line per decision, and the serve loop: plain HTTP only on
 * loopback, TLS otherwise; SIGTERM/SIGINT stop accepting, let the open
 * requests finish (at most KBS_DRAIN_SECONDS) and exit 0.
 *
 * Handlers run on MHD's thread pool; what they share is read-only except the
 * session table, which has its own lock (session.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "kbs.h"

#define KBS_PROBLEM_BASE "https://github.com/confidential-containers/kbs/errors/"
#define KBS_HEADER_MEMORY (32 * 1024)
#define KBS_MAX_CONNECTIONS 256
#define KBS_CONN_TIMEOUT 15
#define KBS_DRAIN_SECONDS 10
#define KBS_COOKIE "kbs-session-id"

struct req {
	struct kbs_server *srv;
	char *body;
	size_t len;
	bool too_big;
	char peer[INET6_ADDRSTRLEN + 8];
};

/* ---- responses and the log ---- */

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned int status,
				 const char *type, const char *text, const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (cookie)
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Log the decision (@extra consumed, may be NULL) and answer. */
static enum MHD_Result decide(struct MHD_Connection *c, struct req *q, const char *endpoint,
			      unsigned int status, const char *type, const char *detail,
			      json_t *extra, const char *body, const char *cookie)
{
	json_t *line = json_pack("{s:s,s:s,s:s,s:i}", "peer", q->peer, "endpoint", endpoint,
				 "verdict", status == 200 ? "allow" : "deny", "status", status);
	enum MHD_Result ret;
	char *p = NULL;

	if (line && extra)
		json_object_update(line, extra);
	if (line && type)
		json_object_set_new(line, "error", json_string(type));
	if (line && detail)
		json_object_set_new(line, "detail", json_string(detail));
	if (line)
		kbs_log(line);
	json_decref(extra);
	if (status == 200)
		return send_text(c, 200, "application/json", body, cookie);
	{
		json_t *pj = json_pack("{s:s+,s:s,s:i}", "type", KBS_PROBLEM_BASE, type,
				       "detail", detail, "status", status);

		p = pj ? json_dumps(pj, JSON_COMPACT) : NULL;
		json_decref(pj);
	}
	ret = send_text(c, status, "application/problem+json", p ? p : "{}", NULL);
	free(p);
	return ret;
}

/* ---- POST /kbs/v0/auth ---- */

static enum MHD_Result do_auth(struct MHD_Connection *c, struct req *q)
{
	json_t *b = json_loads(q->body ? q->body : "", JSON_REJECT_DUPLICATES, NULL);
	const char *ver = json_string_value(json_object_get(b, "version"));
	const char *tee = json_string_value(json_object_get(b, "tee"));
	char id[KBS_SESSION_ID_LEN + 1], nonce[KBS_NONCE_LEN + 1], detail[256];
	char cookie[128], date[64], *resp = NULL;
	enum MHD_Result ret;
	time_t exp;
	struct tm tm;
	json_t *ch;
	int err;

	if (!json_is_object(b) || !ver || !tee) {
		ret = decide(c, q, "auth", 401, "AttestationError", "malformed auth request: "
			     "expected {\"version\",\"tee\",\"extra-params\"}", NULL, NULL, NULL);
		goto out;
	}
	if (strcmp(ver, VHSM_KBS_PROTOCOL_VERSION)) {
		snprintf(detail, sizeof(detail), "KBS Client Protocol Version Mismatch: expect "
			 "=" VHSM_KBS_PROTOCOL_VERSION " while the request is %.32s", ver);
		ret = decide(c, q, "auth", 401, "AttestationError", detail, NULL, NULL, NULL);
		goto out;
	}
	if (strcmp(tee, "snp")) {
		snprintf(detail, sizeof(detail), "unsupported tee '%.32s' (this service "
			 "verifies \"snp\" evidence)", tee);
		ret = decide(c, q, "auth", 401, "AttestationError", detail, NULL, NULL, NULL);
		goto out;
	}
	err = kbs_session_create(q->srv->sessions, q->srv->opts->session_ttl, id, nonce, &exp);
	if (err) {
		ret = decide(c, q, "auth", 503, "ServiceUnavailable", err == -ENOSPC ?
			     "too many open sessions; try again later" : "cannot create a session",
			     NULL, NULL, NULL);
		goto out;
	}
	gmtime_r(&exp, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(cookie, sizeof(cookie), KBS_COOKIE "=%s; Expires=%s", id, date);
	ch = json_pack("{s:s,s:s}", "nonce", nonce, "extra-params", "");
	resp = ch ? json_dumps(ch, JSON_COMPACT) : NULL;
	json_decref(ch);
	if (!resp)
		ret = decide(c, q, "auth", 500, "InternalError", "out of memory", NULL, NULL, NULL);
	else
		ret = decide(c, q, "auth", 200, NULL, NULL,
			     json_pack("{s:s%}", "session", id, (size_t)8), resp, cookie);
out:
	free(resp);
	json_decref(b);
	return ret;
}

/* ---- POST /kbs/v0/attest ---- */

static enum MHD_Result do_attest(struct MHD_Connection *c, struct req *q)
{
	const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, KBS_COOKIE);
	struct kbs_verdict v = { 0 };
	enum MHD_Result ret;
	json_t *extra, *t;
	char *resp = NULL;

	kbs_attest(q->srv, sid, q->body ? q->body : "", &v);
	extra = json_pack("{s:s%}", "session", sid ? sid : "-", sid ? (size_t)8 : (size_t)1);
	if (extra && v.failed)
		json_object_set(extra, "failed", v.failed);
	if (extra && v.measurement[0])
		json_object_set_new(extra, "measurement", json_string(v.measurement));
	if (v.status == 200) {
		t = json_pack("{s:s}", "token", v.token);
		resp = t ? json_dumps(t, JSON_COMPACT) : NULL;
		json_decref(t);
		if (!resp)
			v.status = 500;
	}
	if (v.status == 200)
		ret = decide(c, q, "attest", 200, NULL, NULL, extra, resp, NULL);
	else
		ret = decide(c, q, "attest", v.status, v.type ? v.type : "InternalError",
			     v.detail[0] ? v.detail : "internal error", extra, NULL, NULL);
	if (v.token) {
		OPENSSL_cleanse(v.token, strlen(v.token));
		free(v.token);
	}
	free(resp);
	json_decref(v.failed);
	return ret;
}

/* ---- GET /kbs/v0/resource/REPO/TYPE/TAG ---- */

/* The token: the cookie's session first (as Trustee), then the bearer. */
static char *find_token(struct MHD_Connection *c, struct req *q)
{
	const char *sid = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, KBS_COOKIE);
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_AUTHORIZATION);
	char *tok = NULL;

	if (sid && !q->srv->resource_only && !kbs_session_token(q->srv->sessions, sid, &tok))
		return tok;
	if (auth && !strncmp(auth, "Bearer ", 7) && auth[7])
		return strdup(auth + 7);
	return NULL;
}

static enum MHD_Result do_resource(struct MHD_Connection *c, struct req *q, const char *path)
{
	json_t *claims = NULL, *extra = json_pack("{s:s}", "resource", path);
	char *tok = NULL, *jwe = NULL;
	uint8_t x[32], y[32], *res = NULL;
	size_t len = 0;
	enum MHD_Result ret;
	int err;

	if (!kbs_resource_path_ok(path)) {
		json_decref(extra);
		return decide(c, q, "resource", 404, "InvalidRequestPath", "resource path must be "
			      "REPO/TYPE/TAG of [A-Za-z0-9._-], not starting with '.'",
			      json_pack("{s:s%}", "resource", path, strnlen(path, 128)), NULL, NULL);
	}
	tok = find_token(c, q);
	if (!tok) {
		ret = decide(c, q, "resource", 401, "TokenNotFound", "no attestation token: "
			     "attest first (session cookie) or send Authorization: Bearer",
			     extra, NULL, NULL);
		goto out;
	}
	err = kbs_token_verify(q->srv->token_key, tok, time(NULL), &claims);
	if (!err)
		err = kbs_token_tee_pubkey(claims, x, y);
	if (err) {
		ret = decide(c, q, "resource", 401, "TokenVerifierError", err == -EKEYEXPIRED ?
			     "the attestation token has expired" : err == -EKEYREJECTED ?
			     "the attestation token's signature does not verify" :
			     "malformed attestation token", extra, NULL, NULL);
		goto out;
	}
	err = kbs_resource_get(q->srv->dirfd, path, &res, &len);
	if (err) {
		ret = decide(c, q, "resource", 401, "PluginInternalError", err == -ENOENT ?
			     "resource not found" : "the resource cannot be read", extra, NULL, NULL);
		goto out;
	}
	err = kbs_jwe_encrypt(x, y, res, len, NULL, &jwe);
	if (err)
		ret = decide(c, q, "resource", 401, "JweError", "cannot encrypt to the tee-pubkey",
			     extra, NULL, NULL);
	else
		ret = decide(c, q, "resource", 200, NULL, NULL, extra, jwe, NULL);
out:
	if (res) {
		OPENSSL_cleanse(res, len);
		free(res);
	}
	if (tok) {
		OPENSSL_cleanse(tok, strlen(tok));
		free(tok);
	}
	free(jwe);
	json_decref(claims);
	return ret;
}

/* ---- routing ---- */

static enum MHD_Result route(struct MHD_Connection *c, struct req *q, const char *url,
			     const char *method)
{
	bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET");
	const char *rest;

	if (q->too_big)
		return decide(c, q, "-", 413, "PayloadTooLarge", "request body too large",
			      json_pack("{s:i}", "limit", KBS_MAX_BODY), NULL, NULL);
	if (strncmp(url, "/kbs/v0/", 8))
		return decide(c, q, "-", 404, "InvalidRequestPath", "not a KBS path "
			      "(/kbs/v0/auth, /kbs/v0/attest, /kbs/v0/resource/...)", NULL, NULL, NULL);
	rest = url + 8;
	if (!strcmp(rest, "auth") || !strcmp(rest, "attest")) {
		if (q->srv->resource_only)
			return decide(c, q, rest, 404, "PluginNotFound", "this instance only "
				      "serves resources (attest with the token issuer)", NULL, NULL, NULL);
		if (!post)
			return decide(c, q, rest, 405, "MethodNotAllowed", "use POST", NULL, NULL, NULL);
		return rest[1] == 'u' ? do_auth(c, q) : do_attest(c, q);
	}
	if (!strncmp(rest, "resource/", 9)) {
		if (!get)
			return decide(c, q, "resource", 405, "MethodNotAllowed", "use GET", NULL,
				      NULL, NULL);
		return do_resource(c, q, rest + 9);
	}
	return decide(c, q, "-", 404, "PluginNotFound", "unknown plugin (only resource)", NULL,
		      NULL, NULL);
}

static void peer_name(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(out, n, "%s:%u", a, ntohs(s4->sin_port));
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(out, n, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		snprintf(out, n, "?");
	}
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *data_size, void **con_cls)
{
	struct req *q = *con_cls;
	const char *cl;

	(void)version;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		q->srv = cls;
		atomic_fetch_add(&q->srv->active, 1);
		peer_name(c, q->peer, sizeof(q->peer));
		*con_cls = q;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > KBS_MAX_BODY) {
			q->too_big = true;
			return route(c, q, url, method);	/* 413 before reading it */
		}
		return MHD_YES;
	}
	if (*data_size) {
		if (!q->too_big && q->len + *data_size <= KBS_MAX_BODY) {
			char *nb = realloc(q->body, q->len + *data_size + 1);

			if (!nb)
				return MHD_NO;
			memcpy(nb + q->len, data, *data_size);
			q->body = nb;
			q->len += *data_size;
			q->body[q->len] = 0;
		} else {
			q->too_big = true;	/* discard the rest, answer 413 at the end */
		}
		*data_size = 0;
		return MHD_YES;
	}
	if (q->body && strlen(q->body) != q->len) {	/* a NUL inside */
		free(q->body);
		q->body = NULL;
	}
	return route(c, q, url, method);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *q = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (!q)
		return;
	atomic_fetch_sub(&q->srv->active, 1);
	free(q->body);
	free(q);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	kbs_log(json_pack("{s:s,s:s}", "event", "http", "message", msg));
}

/* ---- serve ---- */

/* "ADDR:PORT" or "[V6]:PORT" into @ss; whether the address is loopback. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len,
			bool *loopback)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	char *end;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (!colon || colon == s)
		return -EINVAL;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return -EINVAL;
	hl = (size_t)(colon - s);
	if (s[0] == '[') {
		if (hl < 3 || s[hl - 1] != ']')
			return -EINVAL;
		s++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		*loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		*loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
		return 0;
	}
	return -EINVAL;
}

static int load_pubkey(const char *path, EVP_PKEY **key)
{
	uint8_t *buf;
	size_t len;
	BIO *b;
	int err = kbs_read_file(path, 64 * 1024, &buf, &len);

	if (err)
		return err;
	b = BIO_new_mem_buf(buf, (int)len);
	*key = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	free(buf);
	return *key && EVP_PKEY_is_a(*key, "EC") ? 0 : -EINVAL;
}

/*
 * Stop accepting, let the requests in progress finish (at most
 * KBS_DRAIN_SECONDS), then stop: idle keep-alive connections are closed.
 */
static void drain(struct MHD_Daemon *d, struct kbs_server *srv)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	MHD_socket fd = MHD_quiesce_daemon(d);
	int i;

	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	for (i = 0; i < KBS_DRAIN_SECONDS * 50 && atomic_load(&srv->active) > 0; i++)
		nanosleep(&ts, NULL);
	MHD_stop_daemon(d);
}

static int write_port(const char *path, unsigned int port)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -errno;
	ok = fprintf(f, "%u\n", port) > 0;
	return fclose(f) == 0 && ok ? 0 : -EIO;
}

/* Start the daemon; NULL with a message on stderr. */
static struct MHD_Daemon *start(struct kbs_server *srv, const struct kbs_serve_opts *o,
				const struct sockaddr_storage *ss, const char *cert,
				const char *key)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			     MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert)
		flags |= MHD_USE_TLS;
	return MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_SOCK_ADDR, ss,
				MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)KBS_HEADER_MEMORY,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)KBS_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)KBS_CONN_TIMEOUT,
				MHD_OPTION_THREAD_POOL_SIZE, o->threads,
				MHD_OPTION_ARRAY, cert ? tls : tls + 2,
				MHD_OPTION_END);
}

static int serve_setup(int dirfd, const struct kbs_serve_opts *o, struct kbs_server *srv)
{
	int err;

	srv->dirfd = dirfd;
	srv->opts = o;
	if (o->token_pubkey) {
		srv->resource_only = true;
		err = load_pubkey(o->token_pubkey, &srv->token_key);
		if (err) {
			fprintf(stderr, "vhsm-kbs: --token-pubkey %s: %s\n", o->token_pubkey,
				err == -EINVAL ? "not a PEM EC public key" : strerror(-err));
			return KBS_ERROR;
		}
	} else {
		err = kbs_token_key_load(dirfd, true, &srv->token_key);
		if (err) {
			fprintf(stderr, "vhsm-kbs: token key in the state directory: %s\n",
				strerror(-err));
			return KBS_ERROR;
		}
	}
	err = kbs_sessions_new(o->max_sessions, &srv->sessions);
	if (err) {
		fprintf(stderr, "vhsm-kbs: %s\n", strerror(-err));
		return KBS_ERROR;
	}
	return KBS_OK;
}

int kbs_serve(int dirfd, const struct kbs_serve_opts *o)
{
	struct kbs_server srv = { 0 };
	struct sockaddr_storage ss;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *di;
	uint8_t *cert = NULL, *key = NULL;
	size_t clen, klen;
	socklen_t slen;
	bool loopback;
	sigset_t sigs;
	int sig = 0, rc = KBS_ERROR, err;

	if (parse_listen(o->listen, &ss, &slen, &loopback)) {
		fprintf(stderr, "vhsm-kbs: --listen %s: expected ADDR:PORT with a numeric "
			"IPv4 address or [IPv6]:PORT\n", o->listen);
		return KBS_USAGE;
	}
	if (!loopback && !o->tls_cert) {
		fprintf(stderr, "vhsm-kbs: refusing plain HTTP on %s: only loopback addresses "
			"may be served without TLS; give --tls-cert FILE --tls-key FILE\n", o->listen);
		return KBS_USAGE;
	}
	if (o->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			fprintf(stderr, "vhsm-kbs: this libmicrohttpd has no TLS support\n");
			return KBS_ERROR;
		}
		err = kbs_read_file(o->tls_cert, 1 << 20, &cert, &clen);
		if (!err && (err = kbs_read_file(o->tls_key, 1 << 20, &key, &klen)))
			fprintf(stderr, "vhsm-kbs: --tls-key %s: %s\n", o->tls_key, strerror(-err));
		else if (err)
			fprintf(stderr, "vhsm-kbs: --tls-cert %s: %s\n", o->tls_cert, strerror(-err));
		if (err)
			goto out;
	}
	rc = serve_setup(dirfd, o, &srv);
	if (rc)
		goto out;
	rc = KBS_ERROR;
	/* the daemon's threads inherit the mask: only this thread takes signals */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = start(&srv, o, &ss, (char *)cert, (char *)key);
	if (!d) {
		fprintf(stderr, "vhsm-kbs: cannot listen on %s (address in use, or bad TLS "
			"certificate or key)\n", o->listen);
		goto out;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (o->port_file && (!di || write_port(o->port_file, di->port))) {
		fprintf(stderr, "vhsm-kbs: cannot write --port-file %s\n", o->port_file);
		drain(d, &srv);
		goto out;
	}
	kbs_log(json_pack("{s:s,s:s,s:i,s:b,s:s}", "event", "listening", "listen", o->listen,
			  "port", di ? di->port : 0, "tls", cert != NULL, "mode",
			  srv.resource_only ? "resource-only" : "attest+resource"));
	while (sigwait(&sigs, &sig) == EINTR)
		;
	kbs_log(json_pack("{s:s,s:s}", "event", "stopping", "signal",
			  sig == SIGINT ? "SIGINT" : "SIGTERM"));
	drain(d, &srv);
	kbs_log(json_pack("{s:s}", "event", "stopped"));
	rc = KBS_OK;
out:
	kbs_sessions_free(srv.sessions);
	EVP_PKEY_free(srv.token_key);
	if (key) {
		OPENSSL_cleanse(key, klen);
		free(key);
	}
	free(cert);
	return rc;
}
