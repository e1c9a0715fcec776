// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-kbs end to end on 127.0.0.1 (a random free port), driven by
 * libvhsm's KBS client. The evidence comes from the simulator-free path: a
 * report built here, bound to the server's nonce and a fresh P-256 tee key,
 * signed with a P-384 key whose VCEK the test CA (tools/vhsm-testca)
 * issued; the server trusts that CA with --roots. The resource comes back
 * as a JWE that the test opens with its own OpenSSL decryptor.
 *
 * Refusals, each answered with the right status and RFC 7807 problem, after
 * which a full provisioning still succeeds (the server keeps serving): bad
 * signature, tampered report, REPORT_DATA not binding nonce and key, a
 * replayed nonce (same session and a new one), an unknown or expired
 * session, measurement not in the policy, debug allowed by the guest
 * policy, no token, a forged or expired token, an unknown resource,
 * malformed JSON, an oversized body, path traversal; plain HTTP on a
 * non-loopback address is refused at start. Every server is stopped with
 * SIGTERM and must exit 0 (its own sanitizers and leak check included).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "testca.h"
#include "kbs_jwe_open.h"
#include "vhsm/report.h"

#define RES_PATH "vhsm/key/aes256"
#define WAIT_STEPS 400		/* x 25 ms: bounded waits for the server */

static struct testca g_ca;
static EVP_PKEY *g_vek;		/* signs the reports */
static X509 *g_vcek;
static int g_setup_err;

static const uint8_t chip64[64] = { 0xc0, 0xff, 0xee, 1, 2, 3, 4, 5, [63] = 0xa5 };
static const uint64_t tcb = 0xD909000000000103ULL;	/* Milan bl=3 tee=1 snp=9 ucode=217 */

__attribute__((constructor)) static void setup_ca(void)
{
	struct testca_vek_req req = { .tcb = tcb, .hwid = chip64, .hwid_len = 64 };

	g_setup_err = testca_create(&g_ca, TESTCA_MILAN, 2048);
	g_vek = EVP_EC_gen("P-384");
	req.pubkey = g_vek;
	if (!g_setup_err)
		g_setup_err = testca_issue_vek(&g_ca, &req, &g_vcek);
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

__attribute__((destructor)) static void teardown_ca(void)
{
	X509_free(g_vcek);
	EVP_PKEY_free(g_vek);
	testca_free(&g_ca);
	curl_global_cleanup();
}

static const char *kbs_bin(void)
{
	const char *p = getenv("VHSM_KBS");

	return p && *p ? p : "build/host/vhsm-kbs";
}

/* ---- the server process ---- */

struct server {
	pid_t pid;
	unsigned int port;
	char url[64];
};

static int run_kbs(const char *state, char *const *args, const char *log)
{
	char *argv[32];
	int n = 0, st, fd;
	pid_t pid;

	argv[n++] = (char *)kbs_bin();
	argv[n++] = "--state";
	argv[n++] = (char *)state;
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, 2);
		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Start "serve" with @extra (NULL-terminated) on 127.0.0.1:0; 0 or -1. */
static int server_start(struct server *s, const char *dir, const char *state,
			const char *const *extra)
{
	char portf[512], log[512], roots[512], *argv[32];
	FILE *f;
	int n = 0, i;

	snprintf(portf, sizeof(portf), "%s/port.%s", dir, strrchr(state, '/') + 1);
	snprintf(log, sizeof(log), "%s/log.%s", dir, strrchr(state, '/') + 1);
	snprintf(roots, sizeof(roots), "%s/roots.pem", dir);
	unlink(portf);
	argv[n++] = (char *)kbs_bin();
	argv[n++] = "--state";
	argv[n++] = (char *)state;
	argv[n++] = "serve";
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--port-file";
	argv[n++] = portf;
	argv[n++] = "--roots";
	argv[n++] = roots;
	argv[n++] = "--threads";
	argv[n++] = "2";
	while (extra && *extra && n < 31)
		argv[n++] = (char *)*extra++;
	argv[n] = NULL;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (!s->pid) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < WAIT_STEPS; i++) {
		f = fopen(portf, "r");
		if (f && fscanf(f, "%u", &s->port) == 1 && s->port) {
			fclose(f);
			snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", s->port);
			return 0;
		}
		if (f)
			fclose(f);
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		sleep_ms(25);
	}
	return -1;
}

/* SIGTERM, then the exit status (0 is a clean drain); -1 if it hung. */
static int server_stop(struct server *s)
{
	int i, st;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	for (i = 0; i < WAIT_STEPS; i++) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		sleep_ms(25);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	return -1;
}

/* ---- evidence ---- */

enum mutation {
	M_NONE, M_BAD_SIG, M_TAMPER, M_WRONG_RD, M_DEBUG, M_MEASUREMENT,
};

struct ev_spec {
	enum mutation m;
	EVP_PKEY *tee;		/* the tee key (the kernel's, in real life) */
};

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A Milan v3 report (SNP ABI table 23) carrying @rd. */
static void build_report(uint8_t *b, const uint8_t rd[64], const struct ev_spec *s)
{
	memset(b, 0, VHSM_REPORT_SIZE);
	le32(b + 0x000, 3);
	le32(b + 0x004, 1);
	le64(b + 0x008, 0x30000 | (s->m == M_DEBUG ? VHSM_POLICY_DEBUG : 0));
	le64(b + 0x038, tcb);
	le64(b + 0x040, VHSM_PLATFORM_TSME_EN);
	memcpy(b + 0x050, rd, 64);
	memset(b + 0x090, s->m == M_MEASUREMENT ? 0x99 : 0x24, 48);
	memset(b + 0x140, 0x77, 32);
	le64(b + 0x180, tcb);
	b[0x188] = 0x19;
	b[0x189] = 0x01;
	b[0x18A] = 0x01;
	memcpy(b + 0x1A0, chip64, 64);
	le64(b + 0x1E0, tcb);
	b[0x1E8] = 7;
	b[0x1E9] = 55;
	b[0x1EA] = 1;
	b[0x1EC] = 7;
	b[0x1ED] = 55;
	b[0x1EE] = 1;
	le64(b + 0x1F0, tcb);
}

static void tee_coords(EVP_PKEY *k, uint8_t x[32], uint8_t y[32])
{
	uint8_t pub[65];
	size_t n = 0;

	EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &n);
	memcpy(x, pub + 1, 32);
	memcpy(y, pub + 33, 32);
}

/* GHCB certificate table: the VCEK entry, the terminator, the DER. */
static int cert_table(uint8_t **out, size_t *len)
{
	static const uint8_t vcek_guid[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
					       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
	unsigned char *der = NULL;
	int n = i2d_X509(g_vcek, &der);

	if (n <= 0)
		return -1;
	*len = 48 + (size_t)n;
	*out = calloc(1, *len);
	if (*out) {
		memcpy(*out, vcek_guid, 16);
		le32(*out + 16, 48);
		le32(*out + 20, (uint32_t)n);
		memcpy(*out + 48, der, (size_t)n);
	}
	OPENSSL_free(der);
	return *out ? 0 : -1;
}

/* Everything the kernel session would do, in the test. */
static int make_evidence(const struct ev_spec *s, const char *nonce, struct vhsm_kbs_evidence *ev)
{
	uint8_t rd[64];
	char *jwk = NULL;
	int err;

	tee_coords(s->tee, ev->x, ev->y);
	err = vhsm_kbs_jwk_p256(ev->x, ev->y, &jwk);
	if (!err)
		err = vhsm_kbs_report_data(s->m == M_WRONG_RD ? "AAAA" : nonce, jwk, "", rd);
	free(jwk);
	if (err)
		return err;
	build_report(ev->report, rd, s);
	ev->report_len = VHSM_REPORT_SIZE;
	if (testca_sign_report(ev->report, g_vek))
		return -EIO;
	if (s->m == M_BAD_SIG)
		ev->report[0x2A0 + 3] ^= 0x10;
	if (s->m == M_TAMPER)
		ev->report[0x090] ^= 1;	/* measurement changed after signing */
	return cert_table(&ev->certs, &ev->certs_len) ? -ENOMEM : 0;
}

static int evidence_cb(void *arg, const struct vhsm_kbs_challenge *ch, struct vhsm_kbs_evidence *ev)
{
	if (strcmp(ch->hash_alg, "sha384") || strcmp(ch->additional_evidence, ""))
		return -EPROTO;
	return make_evidence(arg, ch->nonce, ev);
}

/* ---- raw HTTP, for requests the client would never send ---- */

struct http {
	long status;
	char body[16384];
	size_t len;
	char cookie[128];
};

static size_t on_data(char *d, size_t sz, size_t n, void *arg)
{
	struct http *h = arg;
	size_t k = sz * n, c = k;

	if (c > sizeof(h->body) - 1 - h->len)
		c = sizeof(h->body) - 1 - h->len;
	memcpy(h->body + h->len, d, c);
	h->len += c;
	h->body[h->len] = 0;
	return k;
}

static size_t on_header(char *d, size_t sz, size_t n, void *arg)
{
	struct http *h = arg;
	size_t k = sz * n;
	const char *p = "Set-Cookie: kbs-session-id=";

	if (k > strlen(p) && !strncasecmp(d, p, strlen(p))) {
		size_t m = strcspn(d + strlen(p), ";\r\n");

		if (m < sizeof(h->cookie))
			snprintf(h->cookie, sizeof(h->cookie), "%.*s", (int)m, d + strlen(p));
	}
	return k;
}

static int http(const struct server *s, const char *method, const char *path,
		const char *cookie, const char *bearer, const char *body, size_t blen,
		struct http *h)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hd = NULL;
	char url[512], hv[48 * 1024];
	CURLcode rc;

	memset(h, 0, sizeof(*h));
	if (!c)
		return -1;
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)blen);
		hd = curl_slist_append(hd, "Content-Type: application/json");
	}
	if (cookie) {
		snprintf(hv, sizeof(hv), "kbs-session-id=%s", cookie);
		curl_easy_setopt(c, CURLOPT_COOKIE, hv);
	}
	if (bearer) {
		snprintf(hv, sizeof(hv), "Authorization: Bearer %s", bearer);
		hd = curl_slist_append(hd, hv);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

static const char auth_body[] = "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":\"\"}";

/* POST /auth: the cookie and the nonce. */
static int raw_auth(const struct server *s, char cookie[128], char nonce[64])
{
	struct http h;
	json_t *j;
	int err = -1;

	if (http(s, "POST", "/kbs/v0/auth", NULL, NULL, auth_body, strlen(auth_body), &h) ||
	    h.status != 200)
		return -1;
	j = json_loads(h.body, 0, NULL);
	if (json_string_value(json_object_get(j, "nonce")) && h.cookie[0]) {
		snprintf(nonce, 64, "%s", json_string_value(json_object_get(j, "nonce")));
		memcpy(cookie, h.cookie, 128);
		err = 0;
	}
	json_decref(j);
	return err;
}

/* The /attest body the client would send, for @nonce (malloc). */
static char *attest_body(const struct ev_spec *s, const char *nonce)
{
	struct vhsm_kbs_evidence ev = { 0 };
	char *jwk = NULL, *evj = NULL, *out = NULL;
	json_t *b;

	if (make_evidence(s, nonce, &ev) || vhsm_kbs_jwk_p256(ev.x, ev.y, &jwk) ||
	    vhsm_kbs_evidence_json(ev.report, ev.report_len, ev.certs, ev.certs_len, &evj))
		goto out;
	b = json_pack("{s:n,s:{s:s,s:o},s:{s:o,s:s}}", "init-data", "runtime-data", "nonce",
		      nonce, "tee-pubkey", json_loads(jwk, 0, NULL), "tee-evidence",
		      "primary_evidence", json_loads(evj, 0, NULL), "additional_evidence", "");
	out = b ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
out:
	free(ev.certs);
	free(jwk);
	free(evj);
	return out;
}

/* The problem's type ends in @type and its detail contains @detail. */
static bool problem_is(const struct http *h, const char *type, const char *detail)
{
	json_t *j = json_loads(h->body, 0, NULL);
	const char *t = json_string_value(json_object_get(j, "type"));
	const char *d = json_string_value(json_object_get(j, "detail"));
	bool ok = t && d && strlen(t) >= strlen(type) &&
		  !strcmp(t + strlen(t) - strlen(type), type) &&
		  !strncmp(t, "https://github.com/confidential-containers/kbs/errors/", 54) &&
		  (!detail || strstr(d, detail));

	json_decref(j);
	return ok;
}

/* ---- the fixture: one state directory, one server ---- */

FIXTURE(kbs) {
	char dir[64];
	char state[128];
	uint8_t secret[32];
	struct server srv;
	EVP_PKEY *tee;
};

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t w;

	if (!f)
		return -1;
	w = fwrite(p, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -1;
}

static int write_roots(const char *dir)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/roots.pem", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = PEM_write_X509(f, g_ca.ark) && PEM_write_X509(f, g_ca.ask) &&
	     PEM_write_X509(f, g_ca.asvk);
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* vhsm-kbs --state STATE ARGS..., its exit code */
static int kbs_cli(FIXTURE_DATA(kbs) *self, const char *state, const char *a1, const char *a2,
		   const char *a3, const char *a4)
{
	char *args[] = { (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	char log[256];

	snprintf(log, sizeof(log), "%s/cli.log", self->dir);
	return run_kbs(state ? state : self->state, args, log);
}

FIXTURE_SETUP(kbs)
{
	char path[256];

	ASSERT_EQ(0, g_setup_err) TH_LOG("test CA: %s", testca_errmsg());
	snprintf(self->dir, sizeof(self->dir), "/tmp/kbs_flow.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->state, sizeof(self->state), "%s/state", self->dir);
	ASSERT_EQ(0, write_roots(self->dir));
	ASSERT_EQ(1, RAND_bytes(self->secret, sizeof(self->secret)));
	snprintf(path, sizeof(path), "%s/secret.bin", self->dir);
	ASSERT_EQ(0, write_file(path, self->secret, sizeof(self->secret)));
	ASSERT_EQ(0, kbs_cli(self, NULL, "resource", "put", RES_PATH, path));
	ASSERT_EQ(0, server_start(&self->srv, self->dir, self->state, NULL))
		TH_LOG("vhsm-kbs (%s) did not start", kbs_bin());
	self->tee = EVP_EC_gen("P-256");
	ASSERT_NE(NULL, self->tee);
}

FIXTURE_TEARDOWN(kbs)
{
	char cmd[128];

	EXPECT_EQ(0, server_stop(&self->srv)) TH_LOG("vhsm-kbs did not exit cleanly on SIGTERM");
	EVP_PKEY_free(self->tee);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

static struct vhsm_kbs_client *client(const struct server *s)
{
	struct vhsm_kbs_config cfg = { .url = s->url, .max_attempts = 2, .backoff_ms = 10,
				       .timeout_s = 20 };
	struct vhsm_kbs_client *c = NULL;

	return vhsm_kbs_client_new(&cfg, &c) ? NULL : c;
}

/* A full provisioning with a fresh tee key; the JWE opens to the secret. */
static void provision_ok(struct __test_metadata *_metadata, FIXTURE_DATA(kbs) *self,
			 const struct server *s)
{
	struct ev_spec spec = { M_NONE, EVP_EC_gen("P-256") };
	struct vhsm_kbs_client *c = client(s);
	uint8_t *pt = NULL;
	char *body = NULL;
	size_t len = 0, n = 0;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, vhsm_kbs_provision(c, evidence_cb, &spec, RES_PATH, &body, &len))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	ASSERT_EQ(0, jwe_open(body, spec.tee, &pt, &n, NULL));
	EXPECT_EQ(sizeof(self->secret), n);
	EXPECT_EQ(0, memcmp(pt, self->secret, n));
	free(pt);
	free(body);
	vhsm_kbs_client_free(c);
	EVP_PKEY_free(spec.tee);
}

/* Attest with the client and @m; the client's result. */
static int attest_with(FIXTURE_DATA(kbs) *self, enum mutation m, char *msg, size_t msglen)
{
	struct ev_spec spec = { m, self->tee };
	struct vhsm_kbs_client *c = client(&self->srv);
	int err;

	if (!c)
		return -ENOMEM;
	err = vhsm_kbs_attest(c, evidence_cb, &spec);
	snprintf(msg, msglen, "%s", vhsm_kbs_errmsg(c));
	vhsm_kbs_client_free(c);
	return err;
}

/* ---- tests ---- */

TEST_F(kbs, provision_and_open)
{
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = client(&self->srv);
	uint8_t x[32], y[32], *pt = NULL, *claims = NULL;
	char *body = NULL, *hdr = NULL, want[160], *x64 = NULL;
	const char *tok, *d1, *d2;
	size_t len = 0, n = 0;
	json_t *cl, *k;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, vhsm_kbs_attest(c, evidence_cb, &spec)) TH_LOG("%s", vhsm_kbs_errmsg(c));
	ASSERT_EQ(0, vhsm_kbs_get_resource(c, RES_PATH, &body, &len))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	EXPECT_EQ(strlen(body), len);
	ASSERT_EQ(0, jwe_open(body, self->tee, &pt, &n, &hdr));
	ASSERT_EQ(sizeof(self->secret), n);
	EXPECT_EQ(0, memcmp(pt, self->secret, n));
	/* the header exactly as Trustee writes it: alg, enc, epk{crv,kty,x,y} */
	EXPECT_EQ(0, strncmp(hdr, "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":"
			     "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"", 74)) TH_LOG("%s", hdr);
	/* the token carries our tee-pubkey and the verified claims */
	tok = vhsm_kbs_token(c);
	ASSERT_NE(NULL, tok);
	d1 = strchr(tok, '.');
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	ASSERT_NE(NULL, d2);
	{
		char *mid = strndup(d1 + 1, (size_t)(d2 - d1 - 1));

		ASSERT_EQ(0, vhsm_kbs_b64url_decode(mid, &claims, &n));
		free(mid);
	}
	cl = json_loads((char *)claims, 0, NULL);
	k = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
		cl, "submods"), "cpu0"), "ear.veraison.annotated-evidence"),
		"runtime_data_claims"), "tee-pubkey");
	tee_coords(self->tee, x, y);
	ASSERT_EQ(0, vhsm_kbs_b64url_encode(x, 32, &x64));
	EXPECT_STREQ(x64, json_string_value(json_object_get(k, "x")));
	/* the verified report claims, e.g. the measurement */
	snprintf(want, sizeof(want), "%s", json_string_value(json_object_get(json_object_get(
		json_object_get(json_object_get(json_object_get(cl, "submods"), "cpu0"),
		"ear.veraison.annotated-evidence"), "snp"), "measurement")) ?: "none");
	EXPECT_EQ(0, strncmp(want, "242424", 6)) TH_LOG("%s", want);
	EXPECT_STREQ("affirming", json_string_value(json_object_get(json_object_get(
		json_object_get(cl, "submods"), "cpu0"), "ear.status")));
	EXPECT_TRUE(json_integer_value(json_object_get(cl, "exp")) > time(NULL));
	json_decref(cl);
	free(claims);
	free(x64);
	free(hdr);
	free(pt);
	free(body);
	vhsm_kbs_client_free(c);
}

/* A second instance with only the public key honours the token. */
TEST_F(kbs, resource_only_instance)
{
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = client(&self->srv), *c2;
	char state2[160], pub[160], secret[160], *body = NULL;
	const char *extra[] = { "--token-pubkey", pub, NULL };
	struct server s2 = { 0 };
	uint8_t *pt = NULL;
	size_t len, n;
	struct http h;

	snprintf(state2, sizeof(state2), "%s/state2", self->dir);
	snprintf(pub, sizeof(pub), "%s/token-pub.pem", self->state);
	snprintf(secret, sizeof(secret), "%s/secret.bin", self->dir);
	ASSERT_EQ(0, kbs_cli(self, state2, "resource", "put", RES_PATH, secret));
	ASSERT_EQ(0, server_start(&s2, self->dir, state2, extra));
	ASSERT_EQ(0, vhsm_kbs_attest(c, evidence_cb, &spec)) TH_LOG("%s", vhsm_kbs_errmsg(c));
	c2 = client(&s2);
	ASSERT_NE(NULL, c2);
	ASSERT_EQ(0, vhsm_kbs_set_token(c2, vhsm_kbs_token(c)));
	ASSERT_EQ(0, vhsm_kbs_get_resource(c2, RES_PATH, &body, &len))
		TH_LOG("%s", vhsm_kbs_errmsg(c2));
	ASSERT_EQ(0, jwe_open(body, self->tee, &pt, &n, NULL));
	EXPECT_EQ(0, memcmp(pt, self->secret, sizeof(self->secret)));
	/* it issues nothing */
	ASSERT_EQ(0, http(&s2, "POST", "/kbs/v0/auth", NULL, NULL, auth_body, strlen(auth_body), &h));
	EXPECT_EQ(404, h.status);
	EXPECT_TRUE(problem_is(&h, "/PluginNotFound", NULL));
	EXPECT_EQ(0, server_stop(&s2));
	free(pt);
	free(body);
	vhsm_kbs_client_free(c2);
	vhsm_kbs_client_free(c);
}

TEST_F(kbs, bad_signature_refused)
{
	char msg[512];

	EXPECT_EQ(-EACCES, attest_with(self, M_BAD_SIG, msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "HTTP 401: AttestationError: evidence refused: failed "
			       "signature")) TH_LOG("%s", msg);
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, tampered_report_refused)
{
	char msg[512];

	EXPECT_EQ(-EACCES, attest_with(self, M_TAMPER, msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "signature")) TH_LOG("%s", msg);
	provision_ok(_metadata, self, &self->srv);
}

/* A line of the main server's log holding both @a and @b. */
static bool log_has(FIXTURE_DATA(kbs) *self, const char *a, const char *b)
{
	char path[160], line[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/log.state", self->dir);
	f = fopen(path, "r");
	while (f && !found && fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);	/* each line is JSON */

		found = j && strstr(line, a) && strstr(line, b);
		json_decref(j);
	}
	if (f)
		fclose(f);
	return found;
}

TEST_F(kbs, debug_guest_refused)
{
	char msg[512];

	EXPECT_EQ(-EACCES, attest_with(self, M_DEBUG, msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "failed debug")) TH_LOG("%s", msg);
	/* the decision is logged: endpoint, verdict, the failed check, the measurement */
	EXPECT_TRUE(log_has(self, "\"endpoint\":\"attest\",\"verdict\":\"deny\",\"status\":401",
			    "\"failed\":[\"debug\"],\"measurement\":\"242424"));
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, measurement_not_in_policy)
{
	char pol[256], msg[512], m[97];

	memset(m, 'a', 96);
	m[96] = 0;
	snprintf(pol, sizeof(pol), "%s/policy.json", self->dir);
	{
		char text[200];

		snprintf(text, sizeof(text), "{\"measurements\":[\"%s\"]}", m);
		ASSERT_EQ(0, write_file(pol, text, strlen(text)));
	}
	ASSERT_EQ(0, kbs_cli(self, NULL, "policy", "set", pol, NULL));
	EXPECT_EQ(-EACCES, attest_with(self, M_NONE, msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "failed measurement")) TH_LOG("%s", msg);
	/* allow ours (0x24 repeated) and it passes */
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 48; i++)
		memcpy(m + 2 * i, "24", 2);
	{
		char text[200];

		snprintf(text, sizeof(text), "{\"measurements\":[\"%s\"]}", m);
		ASSERT_EQ(0, write_file(pol, text, strlen(text)));
	}
	ASSERT_EQ(0, kbs_cli(self, NULL, "policy", "set", pol, NULL));
	provision_ok(_metadata, self, &self->srv);
	EXPECT_EQ(-EACCES, attest_with(self, M_MEASUREMENT, msg, sizeof(msg)));
	/* an invalid policy is refused and the stored one stays */
	ASSERT_EQ(0, write_file(pol, "{\"bogus\":1}", 11));
	EXPECT_EQ(1, kbs_cli(self, NULL, "policy", "set", pol, NULL));
	provision_ok(_metadata, self, &self->srv);
}

/* The server's own check: REPORT_DATA for another nonce. */
TEST_F(kbs, report_data_not_binding)
{
	struct ev_spec spec = { M_WRONG_RD, self->tee };
	char cookie[128], nonce[64], msg[256], *body;
	struct http h;

	/* the client refuses to send it */
	EXPECT_EQ(-EBADMSG, attest_with(self, M_WRONG_RD, msg, sizeof(msg)));
	/* sent anyway, the server refuses it */
	ASSERT_EQ(0, raw_auth(&self->srv, cookie, nonce));
	body = attest_body(&spec, nonce);
	ASSERT_NE(NULL, body);
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", cookie, NULL, body, strlen(body), &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "report_data_binding")) TH_LOG("%s", h.body);
	free(body);
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, replayed_nonce)
{
	struct ev_spec spec = { M_NONE, self->tee };
	char cookie[128], cookie2[128], nonce[64], nonce2[64], *body;
	struct http h;

	ASSERT_EQ(0, raw_auth(&self->srv, cookie, nonce));
	body = attest_body(&spec, nonce);
	ASSERT_NE(NULL, body);
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", cookie, NULL, body, strlen(body), &h));
	EXPECT_EQ(200, h.status) TH_LOG("%s", h.body);
	/* the same request again on the same session */
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", cookie, NULL, body, strlen(body), &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "already used")) TH_LOG("%s", h.body);
	/* on a new session, the old nonce */
	ASSERT_EQ(0, raw_auth(&self->srv, cookie2, nonce2));
	EXPECT_STRNE(nonce, nonce2);
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", cookie2, NULL, body, strlen(body), &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "not this session's challenge"))
		TH_LOG("%s", h.body);
	/* a made-up session */
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", "0123456789abcdef0123456789abcdef",
			  NULL, body, strlen(body), &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "unknown session"));
	free(body);
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, expired_session_and_token)
{
	/*
	 * One ttl short at a time: a 1 s session would also have to carry the
	 * client's whole auth-attest exchange, which a loaded machine can stretch.
	 */
	const char *short_session[] = { "--session-ttl", "1", NULL };
	const char *short_token[] = { "--token-ttl", "1", NULL };
	struct ev_spec spec = { M_NONE, self->tee };
	char cookie[128], nonce[64], state2[160], *body, *tok;
	struct vhsm_kbs_client *c;
	struct server s2 = { 0 };
	struct http h;

	snprintf(state2, sizeof(state2), "%s/state3", self->dir);
	ASSERT_EQ(0, server_start(&s2, self->dir, state2, short_session));
	ASSERT_EQ(0, raw_auth(&s2, cookie, nonce));
	body = attest_body(&spec, nonce);
	ASSERT_NE(NULL, body);
	sleep_ms(2100);
	ASSERT_EQ(0, http(&s2, "POST", "/kbs/v0/attest", cookie, NULL, body, strlen(body), &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "expired")) TH_LOG("%s", h.body);
	free(body);
	EXPECT_EQ(0, server_stop(&s2));
	/* a token that has expired */
	memset(&s2, 0, sizeof(s2));
	ASSERT_EQ(0, server_start(&s2, self->dir, state2, short_token));
	c = client(&s2);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, vhsm_kbs_attest(c, evidence_cb, &spec)) TH_LOG("%s", vhsm_kbs_errmsg(c));
	tok = strdup(vhsm_kbs_token(c));
	sleep_ms(2100);
	ASSERT_EQ(0, http(&s2, "GET", "/kbs/v0/resource/" RES_PATH, NULL, tok, NULL, 0, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/TokenVerifierError", "expired")) TH_LOG("%s", h.body);
	free(tok);
	vhsm_kbs_client_free(c);
	EXPECT_EQ(0, server_stop(&s2));
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, token_required)
{
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = client(&self->srv);
	char *forged, *body = NULL;
	struct http h;
	size_t len;

	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/resource/" RES_PATH, NULL, NULL, NULL, 0, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/TokenNotFound", NULL)) TH_LOG("%s", h.body);
	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/resource/" RES_PATH, NULL, "a.b.c", NULL, 0, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/TokenVerifierError", NULL));
	/* a real token with its signature changed */
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, vhsm_kbs_attest(c, evidence_cb, &spec));
	forged = strdup(vhsm_kbs_token(c));
	forged[strlen(forged) - 3] = forged[strlen(forged) - 3] == 'A' ? 'B' : 'A';
	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/resource/" RES_PATH, NULL, forged, NULL, 0, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/TokenVerifierError", "signature")) TH_LOG("%s", h.body);
	free(forged);
	/* the client surfaces the problem details; a missing resource is 401 as in Trustee */
	EXPECT_EQ(-EACCES, vhsm_kbs_get_resource(c, "vhsm/key/missing", &body, &len));
	EXPECT_NE(NULL, strstr(vhsm_kbs_errmsg(c), "HTTP 401: PluginInternalError: resource not found"))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	EXPECT_EQ(-EINVAL, vhsm_kbs_get_resource(c, "../key/x", &body, &len));
	vhsm_kbs_client_free(c);
	provision_ok(_metadata, self, &self->srv);
}

TEST_F(kbs, bad_requests)
{
	static const char *const paths[] = {
		"/kbs/v0/resource/../../../etc/passwd", "/kbs/v0/resource/vhsm/../key/aes256",
		"/kbs/v0/resource/vhsm/key/..", "/kbs/v0/resource/vhsm/key/%2e%2e",
		"/kbs/v0/resource/vhsm/key/a%2fb", "/kbs/v0/resource/.x/key/aes256",
		"/kbs/v0/resource/vhsm/key/aes256/more",
	};
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = client(&self->srv);
	char cookie[128], nonce[64], *big;
	struct http h;
	size_t i;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, vhsm_kbs_attest(c, evidence_cb, &spec));
	/* traversal, with a valid token: 404 InvalidRequestPath */
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ASSERT_EQ(0, http(&self->srv, "GET", paths[i], NULL, vhsm_kbs_token(c), NULL, 0, &h));
		EXPECT_EQ(404, h.status) TH_LOG("%s: %s", paths[i], h.body);
		EXPECT_TRUE(problem_is(&h, "/InvalidRequestPath", NULL)) TH_LOG("%s", paths[i]);
	}
	ASSERT_EQ(0, http(&self->srv, "GET", "/etc/passwd", NULL, NULL, NULL, 0, &h));
	EXPECT_EQ(404, h.status);
	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/nosuchplugin/x", NULL, NULL, NULL, 0, &h));
	EXPECT_EQ(404, h.status);
	EXPECT_TRUE(problem_is(&h, "/PluginNotFound", NULL));
	/* malformed JSON */
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/auth", NULL, NULL, "{\"version\":", 11, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "malformed"));
	ASSERT_EQ(0, raw_auth(&self->srv, cookie, nonce));
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/attest", cookie, NULL, "[1,2", 4, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "malformed"));
	/* wrong protocol version, as Trustee words it */
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/auth", NULL, NULL,
			  "{\"version\":\"0.3.0\",\"tee\":\"snp\"}", 31, &h));
	EXPECT_EQ(401, h.status);
	EXPECT_TRUE(problem_is(&h, "/AttestationError", "Protocol Version Mismatch"));
	/* an oversized body: 413 */
	big = malloc(300 * 1024);
	ASSERT_NE(NULL, big);
	memset(big, ' ', 300 * 1024);
	ASSERT_EQ(0, http(&self->srv, "POST", "/kbs/v0/auth", NULL, NULL, big, 300 * 1024, &h));
	EXPECT_EQ(413, h.status);
	EXPECT_TRUE(problem_is(&h, "/PayloadTooLarge", NULL));
	free(big);
	/* headers beyond the connection's memory limit */
	big = malloc(40 * 1024);
	ASSERT_NE(NULL, big);
	memset(big, 'a', 40 * 1024 - 1);
	big[40 * 1024 - 1] = 0;
	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/resource/" RES_PATH, big, NULL, NULL, 0, &h));
	EXPECT_TRUE(h.status == 431 || h.status == 413) TH_LOG("status %ld", h.status);
	free(big);
	/* wrong method */
	ASSERT_EQ(0, http(&self->srv, "GET", "/kbs/v0/auth", NULL, NULL, NULL, 0, &h));
	EXPECT_EQ(405, h.status);
	vhsm_kbs_client_free(c);
	provision_ok(_metadata, self, &self->srv);
}

struct worker {
	const struct server *srv;
	const uint8_t *secret;
	int ok;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < 3; i++) {
		struct ev_spec spec = { M_NONE, EVP_EC_gen("P-256") };
		struct vhsm_kbs_client *c = client(w->srv);
		uint8_t *pt = NULL;
		char *body = NULL;
		size_t len, n = 0;

		if (c && !vhsm_kbs_provision(c, evidence_cb, &spec, RES_PATH, &body, &len) &&
		    !jwe_open(body, spec.tee, &pt, &n, NULL) && n == 32 && !memcmp(pt, w->secret, 32))
			w->ok++;
		free(pt);
		free(body);
		vhsm_kbs_client_free(c);
		EVP_PKEY_free(spec.tee);
	}
	return NULL;
}

/* Eight clients at once, three provisionings each: every one succeeds. */
TEST_F(kbs, concurrent_clients)
{
	struct worker w[8];
	pthread_t t[8];
	int i, total = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (struct worker){ &self->srv, self->secret, 0 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_run, &w[i]));
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		total += w[i].ok;
	}
	EXPECT_EQ(24, total);
}

/* HTTPS: the client trusts the CA file it is given, and nothing else. */
TEST_F(kbs, tls_with_cacert)
{
	char cert[160], key[160], cmd[600], state2[160], *body = NULL;
	const char *extra[] = { "--tls-cert", cert, "--tls-key", key, NULL };
	struct vhsm_kbs_config cfg = { .max_attempts = 1, .timeout_s = 20 };
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = NULL;
	struct server s2 = { 0 };
	uint8_t *pt = NULL;
	size_t len = 0, n = 0;

	snprintf(cert, sizeof(cert), "%s/tls.crt", self->dir);
	snprintf(key, sizeof(key), "%s/tls.key", self->dir);
	snprintf(state2, sizeof(state2), "%s/state", self->dir);
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		 "-nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
		 "-keyout '%s' -out '%s' 2>/dev/null", key, cert);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, server_start(&s2, self->dir, state2, extra));
	snprintf(s2.url, sizeof(s2.url), "https://127.0.0.1:%u", s2.port);
	cfg.url = s2.url;
	cfg.cacert = cert;
	ASSERT_EQ(0, vhsm_kbs_client_new(&cfg, &c));
	ASSERT_EQ(0, vhsm_kbs_provision(c, evidence_cb, &spec, RES_PATH, &body, &len))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	ASSERT_EQ(0, jwe_open(body, self->tee, &pt, &n, NULL));
	EXPECT_EQ(0, memcmp(pt, self->secret, sizeof(self->secret)));
	vhsm_kbs_client_free(c);
	/* the system CAs do not know this certificate */
	cfg.cacert = NULL;
	ASSERT_EQ(0, vhsm_kbs_client_new(&cfg, &c));
	EXPECT_EQ(-EKEYREJECTED, vhsm_kbs_attest(c, evidence_cb, &spec))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	vhsm_kbs_client_free(c);
	EXPECT_EQ(0, server_stop(&s2));
	free(pt);
	free(body);
}

/* Plain HTTP beyond loopback is refused before anything listens. */
TEST_F(kbs, plain_http_only_on_loopback)
{
	static const char *const addrs[] = { "0.0.0.0:0", "192.0.2.1:8080", "[::]:0" };
	char *args[] = { "serve", "--listen", NULL, NULL };
	char log[256], text[4096] = "";
	size_t i;
	FILE *f;

	snprintf(log, sizeof(log), "%s/refuse.log", self->dir);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		args[2] = (char *)addrs[i];
		EXPECT_EQ(2, run_kbs(self->state, args, log)) TH_LOG("%s", addrs[i]);
	}
	f = fopen(log, "r");
	ASSERT_NE(NULL, f);
	text[fread(text, 1, sizeof(text) - 1, f)] = 0;
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "refusing plain HTTP on 0.0.0.0:0")) TH_LOG("%s", text);
	provision_ok(_metadata, self, &self->srv);
}

/* Transient failures are retried a bounded number of times, then reported. */
TEST_F(kbs, client_retries_then_gives_up)
{
	struct server dead = { 0 };
	struct vhsm_kbs_config cfg = { .max_attempts = 3, .backoff_ms = 10 };
	struct ev_spec spec = { M_NONE, self->tee };
	struct vhsm_kbs_client *c = NULL;

	/* a port that was just free */
	snprintf(dead.url, sizeof(dead.url), "http://127.0.0.1:1");
	cfg.url = dead.url;
	ASSERT_EQ(0, vhsm_kbs_client_new(&cfg, &c));
	EXPECT_EQ(-ECONNREFUSED, vhsm_kbs_attest(c, evidence_cb, &spec));
	EXPECT_NE(NULL, strstr(vhsm_kbs_errmsg(c), "gave up after retries"))
		TH_LOG("%s", vhsm_kbs_errmsg(c));
	vhsm_kbs_client_free(c);

	/* 503 (session table full) is retried, three attempts in all */
	{
		const char *extra[] = { "--max-sessions", "1", NULL };
		char state4[160], log[160], line[1024], cookie[128], nonce[64];
		struct server s4 = { 0 };
		int n503 = 0;
		FILE *f;

		snprintf(state4, sizeof(state4), "%s/state4", self->dir);
		snprintf(log, sizeof(log), "%s/log.state4", self->dir);
		ASSERT_EQ(0, server_start(&s4, self->dir, state4, extra));
		ASSERT_EQ(0, raw_auth(&s4, cookie, nonce));	/* the only slot */
		cfg.url = s4.url;
		ASSERT_EQ(0, vhsm_kbs_client_new(&cfg, &c));
		EXPECT_EQ(-EPROTO, vhsm_kbs_attest(c, evidence_cb, &spec));
		EXPECT_NE(NULL, strstr(vhsm_kbs_errmsg(c), "HTTP 503: ServiceUnavailable"))
			TH_LOG("%s", vhsm_kbs_errmsg(c));
		vhsm_kbs_client_free(c);
		EXPECT_EQ(0, server_stop(&s4));
		f = fopen(log, "r");
		ASSERT_NE(NULL, f);
		while (fgets(line, sizeof(line), f))
			n503 += strstr(line, "\"status\":503") != NULL;
		fclose(f);
		EXPECT_EQ(3, n503);
	}
	cfg.url = "ftp://127.0.0.1/";
	EXPECT_EQ(-EINVAL, vhsm_kbs_client_new(&cfg, &c));
	cfg.url = dead.url;
	cfg.max_attempts = 11;
	EXPECT_EQ(-EINVAL, vhsm_kbs_client_new(&cfg, &c));
}

TEST_HARNESS_MAIN
