// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kds_stub: a stand-in for AMD's Key Distribution Service on loopback, for
 * the host tests of vhsm-tool fetch and report verify --fetch (tests never
 * reach AMD).
 *
 * usage: kds_stub --port-file FILE --root DIR --log FILE
 *
 * Listens on 127.0.0.1, an ephemeral port written to FILE, until SIGTERM.
 * GET /a/b?q answers with the file DIR/a/b (200), or 404 when there is none;
 * the query is not part of the file name.  One-shot faults, each consumed
 * (deleted) by the request it answers:
 *   DIR/a/b.429  answer 429; the file's text, when not empty, is sent as
 *                Retry-After
 *   DIR/a/b.503  answer 503
 * Every request is appended to the log as "GET /a/b?k=v&... STATUS", the
 * query in the order the client sent it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

static const char *root;
static FILE *log_out;
static volatile sig_atomic_t stop;

struct query {
	char buf[2048];
	size_t n;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct query *q = cls;
	int n;

	(void)kind;
	n = snprintf(q->buf + q->n, sizeof(q->buf) - q->n, "%s%s=%s", q->n ? "&" : "?",
		     key, value ? value : "");
	if (n > 0 && (size_t)n < sizeof(q->buf) - q->n)
		q->n += (size_t)n;
	return MHD_YES;
}

/* the whole file, or NULL */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static enum MHD_Result answer(struct MHD_Connection *con, unsigned int status,
			      char *body, size_t len, const char *retry_after)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	if (retry_after && *retry_after)
		MHD_add_response_header(r, "Retry-After", retry_after);
	ret = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* DIR/url.EXT exists: consume it, return its text (stripped) */
static char *take_fault(const char *path, const char *ext)
{
	char f[4200];
	size_t len = 0;
	char *text;

	snprintf(f, sizeof(f), "%s.%s", path, ext);
	text = slurp(f, &len);
	if (!text)
		return NULL;
	unlink(f);
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	return text;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url,
			       const char *method, const char *version,
			       const char *upload, size_t *upload_len, void **state)
{
	struct query q = { .n = 0 };
	unsigned int status = 404;
	char path[4096], *body = NULL, *fault;
	size_t len = 0;
	enum MHD_Result ret;

	(void)cls; (void)version; (void)upload; (void)upload_len;
	if (!*state) {		/* headers only: come back for the body */
		*state = con;
		return MHD_YES;
	}
	q.buf[0] = '\0';
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, add_arg, &q);
	snprintf(path, sizeof(path), "%s%s", root, url);
	if (strcmp(method, "GET") || strstr(url, "..")) {
		status = 400;
	} else if ((fault = take_fault(path, "429"))) {
		status = 429;
		ret = answer(con, status, strdup("rate limited\n"), 13, fault);
		fprintf(log_out, "GET %s%s %u\n", url, q.buf, status);
		fflush(log_out);
		free(fault);
		return ret;
	} else if ((fault = take_fault(path, "503"))) {
		free(fault);
		status = 503;
	} else if ((body = slurp(path, &len))) {
		status = 200;
	}
	fprintf(log_out, "GET %s%s %u\n", url, q.buf, status);
	fflush(log_out);
	if (!body) {
		body = strdup("no\n");
		len = 3;
	}
	return answer(con, status, body, len, NULL);
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	const char *port_file = NULL, *log_file = NULL;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	FILE *f;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port-file"))
			port_file = argv[i + 1];
		else if (!strcmp(argv[i], "--root"))
			root = argv[i + 1];
		else if (!strcmp(argv[i], "--log"))
			log_file = argv[i + 1];
		else
			break;
	}
	if (i != argc || !port_file || !root || !log_file) {
		fprintf(stderr, "usage: kds_stub --port-file FILE --root DIR --log FILE\n");
		return 2;
	}
	log_out = fopen(log_file, "a");
	if (!log_out)
		return 1;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kds_stub: cannot listen\n");
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
	fclose(log_out);
	return 0;
}
