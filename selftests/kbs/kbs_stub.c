// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kbs_stub: a test double of a KBS for the VM's provisioning test, run on
 * the host's loopback and reached from the guest through QEMU user
 * networking. It speaks the protocol's three endpoints with libmicrohttpd and
 * jansson, and seals resources with the test broker of kbs_util.h (checked
 * against the KBS vectors by session_test). It is NOT an attestation
 * service: it checks that REPORT_DATA binds the nonce and tee-pubkey and that
 * the report's MEASUREMENT is the allowed one, but not the report's
 * signature or certificate chain (that is vhsm-kbs's verifier's job).
 *
 * usage: kbs_stub --port-file FILE --resource REPO/TYPE/TAG=FILE
 *                 [--measurement HEX] [--tampered REPO/TYPE/TAG=FILE]
 * Listens on 127.0.0.1, an ephemeral port written to FILE; serves until
 * SIGTERM. "tampered" resources are sealed and then have one ciphertext
 * character changed.
 *
 * Two test endpoints, outside the KBS protocol, let the guest show that the
 * key it received is the host's: GET /test/message/REPO/TYPE/TAG answers
 * HOST_MESSAGE encrypted here with the resource bytes as an AES-256-GCM key
 * (vhsm-tool's "VHSMGCM1" container: magic, IV, tag, ciphertext), and POST
 * /test/check/REPO/TYPE/TAG takes such a container from the guest, in
 * standard base64 (busybox wget posts text only), and answers 200 when it
 * decrypts here to GUEST_MESSAGE, 400 otherwise. GET /test/secret/PATH
 * answers the resource bytes in hex, for the guest to search a core dump of
 * its client for them (they must not be there).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <strings.h>
#include <signal.h>
#include <unistd.h>

#include "kbs_util.h"

#define BODY_MAX	(64 * 1024)
#define HOST_MESSAGE	"a message the host encrypted with the resource"
#define GUEST_MESSAGE	"a message the guest encrypted with the provisioned key"
#define MAGIC		"VHSMGCM1"
#define HDR_LEN		(8 + 12 + 16)
#define MAX_RES		4

struct resource {
	const char *path;
	uint8_t data[256];
	size_t len;
	int tamper;
};

static struct resource res[MAX_RES];
static int nres;
static const char *allowed_measurement;	/* hex, or NULL: any */
static char cookie[33], nonce[64], token[65];
static char jwk_x[64], jwk_y[64];
static int attested;
static volatile sig_atomic_t stop;

struct req {
	char *body;
	size_t len;
	int too_big;
};

static enum MHD_Result reply(struct MHD_Connection *con, unsigned int status,
			     const char *body, const char *set_cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	if (set_cookie)
		MHD_add_response_header(r, "Set-Cookie", set_cookie);
	ret = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_bin(struct MHD_Connection *con, const void *buf, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)buf,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/octet-stream");
	ret = MHD_queue_response(con, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result problem(struct MHD_Connection *con, unsigned int status,
			       const char *type, const char *detail)
{
	char buf[512];

	fprintf(stderr, "kbs_stub: %u %s: %s\n", status, type, detail);
	snprintf(buf, sizeof(buf),
		 "{\"type\":\"https://github.com/confidential-containers/kbs/errors/%s\","
		 "\"detail\":\"%s\"}", type, detail);
	return reply(con, status, buf, NULL);
}

static void hex_random(char *out, size_t bytes)
{
	uint8_t b[32];

	RAND_bytes(b, (int)bytes);
	for (size_t i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static enum MHD_Result do_auth(struct MHD_Connection *con)
{
	uint8_t n[32];
	char body[256], set[128];

	RAND_bytes(n, sizeof(n));
	EVP_EncodeBlock((unsigned char *)nonce, n, sizeof(n));
	hex_random(cookie, 16);
	attested = 0;
	snprintf(body, sizeof(body), "{\"nonce\":\"%s\",\"extra-params\":\"\"}", nonce);
	snprintf(set, sizeof(set), "kbs-session-id=%s", cookie);
	return reply(con, 200, body, set);
}

/* A JSON array of @len numbers 0..255 into @out. */
static int byte_array(json_t *a, uint8_t *out, size_t len)
{
	if (!json_is_array(a) || json_array_size(a) != len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		json_int_t v = json_integer_value(json_array_get(a, i));

		if (!json_is_integer(json_array_get(a, i)) || v < 0 || v > 255)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int measurement_ok(const uint8_t m[48])
{
	char hex[97];

	if (!allowed_measurement)
		return 1;
	for (int i = 0; i < 48; i++)
		sprintf(hex + 2 * i, "%02x", m[i]);
	return !strcasecmp(hex, allowed_measurement);
}

static enum MHD_Result do_attest(struct MHD_Connection *con, const struct req *rq)
{
	const char *ck = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, "kbs-session-id");
	json_t *doc = json_loadb(rq->body ? rq->body : "", rq->len, 0, NULL);
	json_t *rt = json_object_get(doc, "runtime-data");
	json_t *pk = json_object_get(rt, "tee-pubkey");
	json_t *rep = json_object_get(json_object_get(json_object_get(doc, "tee-evidence"),
						      "primary_evidence"), "attestation_report");
	const char *n = json_string_value(json_object_get(rt, "nonce"));
	const char *x = json_string_value(json_object_get(pk, "x"));
	const char *y = json_string_value(json_object_get(pk, "y"));
	uint8_t rd[64], want[64], m[48];
	enum MHD_Result ret;

	if (!ck || !*cookie || strcmp(ck, cookie))
		ret = problem(con, 401, "AttestationError", "unknown session cookie");
	else if (!doc || !n || !x || !y || strlen(x) >= sizeof(jwk_x) || strlen(y) >= sizeof(jwk_y) ||
		 byte_array(json_object_get(rep, "report_data"), rd, 64) ||
		 byte_array(json_object_get(rep, "measurement"), m, 48))
		ret = problem(con, 401, "AttestationError", "malformed attestation request");
	else if (strcmp(n, nonce))
		ret = problem(con, 401, "AttestationError", "nonce mismatch");
	else if (ku_report_data(n, x, y, 1, want) || memcmp(want, rd, 64))
		ret = problem(con, 401, "AttestationError", "report_data does not bind nonce and tee-pubkey");
	else if (!measurement_ok(m))
		ret = problem(con, 401, "AttestationError", "measurement not allowed by policy");
	else {
		char body[128];

		strcpy(jwk_x, x);
		strcpy(jwk_y, y);
		hex_random(token, 32);
		attested = 1;
		*nonce = '\0';	/* single use */
		snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
		fprintf(stderr, "kbs_stub: attested\n");
		ret = reply(con, 200, body, NULL);
	}
	json_decref(doc);
	return ret;
}

static enum MHD_Result do_resource(struct MHD_Connection *con, const char *path)
{
	const char *auth = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Authorization");
	char want[80], body[4096];
	struct ku_jwe j;

	snprintf(want, sizeof(want), "Bearer %s", token);
	if (!attested || !auth || strcmp(auth, want))
		return problem(con, 401, "TokenNotFound", "no valid attestation token");
	for (int i = 0; i < nres; i++) {
		if (strcmp(res[i].path, path))
			continue;
		if (ku_seal(jwk_x, jwk_y, res[i].data, res[i].len, NULL, &j))
			return problem(con, 500, "JweError", "cannot seal");
		if (res[i].tamper)
			j.ciphertext[1] = j.ciphertext[1] == 'A' ? 'B' : 'A';
		snprintf(body, sizeof(body),
			 "{\"protected\":\"%s\",\"encrypted_key\":\"%s\",\"iv\":\"%s\","
			 "\"ciphertext\":\"%s\",\"tag\":\"%s\"}",
			 j.protected, j.encrypted_key, j.iv, j.ciphertext, j.tag);
		fprintf(stderr, "kbs_stub: released %s%s\n", path, res[i].tamper ? " (tampered)" : "");
		return reply(con, 200, body, NULL);
	}
	return problem(con, 401, "PluginInternalError", "resource not found");
}

static struct resource *find(const char *path)
{
	for (int i = 0; i < nres; i++)
		if (!strcmp(res[i].path, path) && res[i].len == 32)
			return &res[i];
	return NULL;
}

static enum MHD_Result do_message(struct MHD_Connection *con, const char *path)
{
	struct resource *r = find(path);
	uint8_t out[HDR_LEN + sizeof(HOST_MESSAGE) - 1], iv[12];

	if (!r)
		return problem(con, 404, "InvalidRequestPath", "no 32-byte resource there");
	RAND_bytes(iv, sizeof(iv));
	memcpy(out, MAGIC, 8);
	memcpy(out + 8, iv, 12);
	if (ku_gcm(r->data, iv, "", 0, (const uint8_t *)HOST_MESSAGE, sizeof(HOST_MESSAGE) - 1,
		   out + HDR_LEN, out + 20))
		return problem(con, 500, "InternalError", "cannot encrypt");
	return reply_bin(con, out, sizeof(out));
}

static int gcm_open(const uint8_t key[32], const uint8_t *c, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int n = 0, m = 0, ok;

	ok = x && EVP_DecryptInit_ex(x, EVP_aes_256_gcm(), NULL, key, c + 8) &&
	     EVP_DecryptUpdate(x, out, &n, c + HDR_LEN, (int)(len - HDR_LEN)) &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, 16, (void *)(c + 20)) &&
	     EVP_DecryptFinal_ex(x, out + n, &m) > 0;
	EVP_CIPHER_CTX_free(x);
	return ok ? n + m : -1;
}

static enum MHD_Result do_check(struct MHD_Connection *con, const char *path,
				const struct req *rq)
{
	struct resource *r = find(path);
	uint8_t out[BODY_MAX], c[BODY_MAX];
	size_t len = rq->len;
	int n;

	if (!r)
		return problem(con, 404, "InvalidRequestPath", "no 32-byte resource there");
	while (len && (rq->body[len - 1] == '\n' || rq->body[len - 1] == '\r'))
		len--;
	n = rq->body && len % 4 == 0 ? EVP_DecodeBlock(c, (const unsigned char *)rq->body, (int)len) : -1;
	if (n > 0 && rq->body[len - 1] == '=')
		n -= rq->body[len - 2] == '=' ? 2 : 1;
	if (n < HDR_LEN || memcmp(c, MAGIC, 8))
		return problem(con, 400, "InvalidRequest", "not a base64 VHSMGCM1 container");
	n = gcm_open(r->data, c, (size_t)n, out);
	if (n != (int)sizeof(GUEST_MESSAGE) - 1 || memcmp(out, GUEST_MESSAGE, n))
		return problem(con, 400, "InvalidRequest", "does not decrypt to the guest's message");
	fprintf(stderr, "kbs_stub: the guest's message decrypted with %s\n", path);
	return reply(con, 200, "{\"ok\":true}", NULL);
}

static enum MHD_Result do_secret(struct MHD_Connection *con, const char *path)
{
	struct resource *r = find(path);
	char hex[2 * 32 + 2];

	if (!r)
		return problem(con, 404, "InvalidRequestPath", "no 32-byte resource there");
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", r->data[i]);
	return reply(con, 200, hex, NULL);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url,
			       const char *method, const char *version, const char *data,
			       size_t *size, void **con_cls)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)version;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		*con_cls = rq;
		return rq ? MHD_YES : MHD_NO;
	}
	if (*size) {
		if (rq->len + *size > BODY_MAX) {
			rq->too_big = 1;
		} else {
			char *nb = realloc(rq->body, rq->len + *size + 1);

			if (!nb)
				return MHD_NO;
			memcpy(nb + rq->len, data, *size);
			rq->body = nb;
			rq->len += *size;
			rq->body[rq->len] = '\0';
		}
		*size = 0;
		return MHD_YES;
	}
	if (rq->too_big)
		return problem(con, 413, "InvalidRequest", "body too large");
	if (!strcmp(method, "POST") && !strcmp(url, "/kbs/v0/auth"))
		return do_auth(con);
	if (!strcmp(method, "POST") && !strcmp(url, "/kbs/v0/attest"))
		return do_attest(con, rq);
	if (!strcmp(method, "GET") && !strncmp(url, "/kbs/v0/resource/", 17))
		return do_resource(con, url + 17);
	if (!strcmp(method, "GET") && !strncmp(url, "/test/message/", 14))
		return do_message(con, url + 14);
	if (!strcmp(method, "POST") && !strncmp(url, "/test/check/", 12))
		return do_check(con, url + 12, rq);
	if (!strcmp(method, "GET") && !strncmp(url, "/test/secret/", 13))
		return do_secret(con, url + 13);
	return problem(con, 404, "InvalidRequestPath", "no such endpoint");
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)con;
	(void)toe;
	if (rq) {
		free(rq->body);
		free(rq);
	}
	*con_cls = NULL;
}

static int add_resource(const char *arg, int tamper)
{
	const char *eq = strchr(arg, '=');
	FILE *f;

	if (!eq || nres == MAX_RES)
		return -1;
	res[nres].path = strndup(arg, eq - arg);
	f = fopen(eq + 1, "rb");
	if (!f || !res[nres].path)
		return -1;
	res[nres].len = fread(res[nres].data, 1, sizeof(res[nres].data), f);
	fclose(f);
	res[nres].tamper = tamper;
	nres++;
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const char *port_file = NULL;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	FILE *f;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port-file"))
			port_file = argv[i + 1];
		else if (!strcmp(argv[i], "--measurement"))
			allowed_measurement = argv[i + 1];
		else if (!strcmp(argv[i], "--resource") && !add_resource(argv[i + 1], 0))
			continue;
		else if (!strcmp(argv[i], "--tampered") && !add_resource(argv[i + 1], 1))
			continue;
		else {
			fprintf(stderr, "kbs_stub: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	if (!port_file || argc % 2 != 1)
		return 2;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kbs_stub: cannot listen\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	f = fopen(port_file, "w");
	if (!info || !f) {
		MHD_stop_daemon(d);
		return 1;
	}
	fprintf(f, "%u\n", info->port);
	fclose(f);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}
