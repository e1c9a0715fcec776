// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-kbs throughput on loopback (make bench, on the host): full
 * provisioning round trips (auth, attest, resource) per second and their
 * p50/p99 latency with 1, 8 and 64 concurrent clients using libvhsm's KBS
 * client; then attestations (auth + attest) per second as a ratio of the
 * verifier's own rate measured in this process on the same kind of report.
 *
 * Evidence is made the simulator-free way, as in kbs_flow_test: a report
 * bound to each nonce, signed with a P-384 key whose VCEK a test CA issued.
 * Each client thread signs its report (one ECDSA P-384 signature per round
 * trip), on the same two cores as the server: the wall-clock figures include
 * that, and whatever else the machine runs. So the attestation ratio is also
 * given in CPU time, which neither disturbs: the server's CPU seconds per
 * attestation (from /proc/PID/stat) against the verifier's CPU seconds per
 * verification (this thread's CPU clock).
 *
 * usage: kbs_bench VHSM-KBS [SECONDS-PER-LEVEL]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <vhsm/kbs.h>
#include <vhsm/report.h>

#include "testca.h"

#define RES "bench/key/aes256"
#define MAX_SAMPLES 200000

static struct testca ca;
static EVP_PKEY *vek;
static uint8_t *vcek_der;
static int vcek_len;
static const uint64_t tcb = 0xD909000000000103ULL;
static const uint8_t chip[64] = { 1, 2, 3, 4 };
static char url[64];
static volatile int stop_flag;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void build_report(uint8_t *b, const uint8_t rd[64])
{
	memset(b, 0, VHSM_REPORT_SIZE);
	b[0] = 3;
	le64(b + 0x008, 0x30000);
	le64(b + 0x038, tcb);
	memcpy(b + 0x050, rd, 64);
	memset(b + 0x090, 0x24, 48);
	le64(b + 0x180, tcb);
	b[0x188] = 0x19;
	b[0x189] = 0x01;
	b[0x18A] = 0x01;
	memcpy(b + 0x1A0, chip, 64);
	le64(b + 0x1E0, tcb);
	b[0x1EA] = 1;
	b[0x1EE] = 1;
	le64(b + 0x1F0, tcb);
}

struct tee {
	EVP_PKEY *key;
	uint8_t x[32], y[32];
	char *jwk;
};

static int evidence(void *arg, const struct vhsm_kbs_challenge *ch, struct vhsm_kbs_evidence *ev)
{
	static const uint8_t guid[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
					  0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
	struct tee *t = arg;
	uint8_t rd[64];

	if (vhsm_kbs_report_data(ch->nonce, t->jwk, "", rd))
		return -EIO;
	build_report(ev->report, rd);
	ev->report_len = VHSM_REPORT_SIZE;
	if (testca_sign_report(ev->report, vek))
		return -EIO;
	memcpy(ev->x, t->x, 32);
	memcpy(ev->y, t->y, 32);
	ev->certs_len = 48 + (size_t)vcek_len;
	ev->certs = calloc(1, ev->certs_len);
	if (!ev->certs)
		return -ENOMEM;
	memcpy(ev->certs, guid, 16);
	ev->certs[16] = 48;
	ev->certs[20] = (uint8_t)vcek_len;
	ev->certs[21] = (uint8_t)(vcek_len >> 8);
	memcpy(ev->certs + 48, vcek_der, (size_t)vcek_len);
	return 0;
}

struct worker {
	bool attest_only;
	double *lat;
	size_t n, fail;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	struct vhsm_kbs_config cfg = { .url = url, .max_attempts = 1, .timeout_s = 60 };
	struct vhsm_kbs_client *c = NULL;
	struct tee t = { .key = EVP_EC_gen("P-256") };
	uint8_t pub[65];
	size_t pl = 0;

	EVP_PKEY_get_octet_string_param(t.key, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &pl);
	memcpy(t.x, pub + 1, 32);
	memcpy(t.y, pub + 33, 32);
	if (vhsm_kbs_jwk_p256(t.x, t.y, &t.jwk) || vhsm_kbs_client_new(&cfg, &c))
		return NULL;
	while (!stop_flag && w->n < MAX_SAMPLES) {
		double t0 = now();
		char *body = NULL;
		size_t len;
		int err = w->attest_only ? vhsm_kbs_attest(c, evidence, &t) :
			  vhsm_kbs_provision(c, evidence, &t, RES, &body, &len);

		free(body);
		if (err) {
			w->fail++;
			continue;
		}
		w->lat[w->n++] = now() - t0;
	}
	vhsm_kbs_client_free(c);
	free(t.jwk);
	EVP_PKEY_free(t.key);
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* @n clients for @secs seconds; the rate, and p50/p99 in ms. */
static double level(int n, double secs, bool attest_only, double *p50, double *p99, size_t *fails)
{
	struct worker *w = calloc((size_t)n, sizeof(*w));
	pthread_t *th = calloc((size_t)n, sizeof(*th));
	double *all, t0;
	size_t total = 0, k = 0;
	int i;

	stop_flag = 0;
	*fails = 0;
	for (i = 0; i < n; i++) {
		w[i].attest_only = attest_only;
		w[i].lat = malloc(MAX_SAMPLES * sizeof(double));
		pthread_create(&th[i], NULL, run, &w[i]);
	}
	t0 = now();
	while (now() - t0 < secs)
		usleep(10000);
	stop_flag = 1;
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		total += w[i].n;
		*fails += w[i].fail;
	}
	t0 = now() - t0;
	all = malloc((total ? total : 1) * sizeof(double));
	for (i = 0; i < n; i++) {
		memcpy(all + k, w[i].lat, w[i].n * sizeof(double));
		k += w[i].n;
		free(w[i].lat);
	}
	qsort(all, total, sizeof(double), cmp_d);
	*p50 = total ? all[total / 2] * 1e3 : 0;
	*p99 = total ? all[(size_t)(total * 0.99)] * 1e3 : 0;
	free(all);
	free(w);
	free(th);
	return total / t0;
}

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) process @pid has used, or -1. */
static double proc_cpu(pid_t pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');	/* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/*
 * The verifier's own rate on one of these reports (warm cache), by the wall
 * clock and, in @cpu_rate, per CPU second of this thread.
 */
static double verifier_rate(const char *roots, size_t roots_len, double *cpu_rate)
{
	struct vhsm_verify_opts o = { .size = sizeof(struct vhsm_verify_opts), .vek = vcek_der, .vek_len = (size_t)vcek_len,
				      .roots = roots, .roots_len = roots_len };
	uint8_t rep[VHSM_REPORT_SIZE], rd[64] = { 0 };
	struct vhsm_report r;
	double t0;
	long n = 0;

	double c0;

	build_report(rep, rd);
	testca_sign_report(rep, vek);
	vhsm_report_parse(rep, sizeof(rep), &r);
	t0 = now();
	c0 = thread_cpu();
	do {
		struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;

		if (vhsm_verify_report(&r, &o, &res))
			fprintf(stderr, "verify failed\n");
		vhsm_verify_result_free(&res);
		n++;
	} while (now() - t0 < 2.0);
	*cpu_rate = n / (thread_cpu() - c0);
	return n / (now() - t0);
}

int main(int argc, char **argv)
{
	struct testca_vek_req req = { .tcb = tcb, .hwid = chip, .hwid_len = 64 };
	char dir[] = "/tmp/kbs_bench.XXXXXX", path[1024], portf[256], state[256], *roots;
	double secs = argc > 2 ? atof(argv[2]) : 5, p50, p99, rate, vrate, vcpu, c0, c1;
	static const int levels[] = { 1, 8, 64 };
	X509 *vcek = NULL;
	unsigned int port = 0;
	size_t fails, roots_len;
	FILE *f;
	BIO *b;
	pid_t pid;
	int i;

	if (argc < 2 || !mkdtemp(dir)) {
		fprintf(stderr, "usage: kbs_bench VHSM-KBS [SECONDS]\n");
		return 2;
	}
	vek = EVP_EC_gen("P-384");
	req.pubkey = vek;
	if (testca_create(&ca, TESTCA_MILAN, 2048) || testca_issue_vek(&ca, &req, &vcek)) {
		fprintf(stderr, "test CA: %s\n", testca_errmsg());
		return 1;
	}
	vcek_len = i2d_X509(vcek, &vcek_der);
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, ca.ark);
	PEM_write_bio_X509(b, ca.ask);
	PEM_write_bio_X509(b, ca.asvk);
	roots_len = (size_t)BIO_get_mem_data(b, &roots);
	snprintf(path, sizeof(path), "%s/roots.pem", dir);
	f = fopen(path, "w");
	fwrite(roots, 1, roots_len, f);
	fclose(f);
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(portf, sizeof(portf), "%s/port", dir);
	snprintf(path, sizeof(path), "head -c 32 /dev/urandom | '%s' --state '%s' resource put "
		 RES " -", argv[1], state);
	if (system(path)) {
		fprintf(stderr, "resource put failed\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/roots.pem", dir);
	pid = fork();
	if (!pid) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execl(argv[1], argv[1], "--state", state, "serve", "--listen", "127.0.0.1:0",
		      "--port-file", portf, "--roots", path, "--max-sessions", "100000",
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 400 && !port; i++) {
		usleep(25000);
		f = fopen(portf, "r");
		if (f && fscanf(f, "%u", &port) != 1)
			port = 0;
		if (f)
			fclose(f);
	}
	if (!port) {
		fprintf(stderr, "vhsm-kbs did not start\n");
		return 1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", port);

	printf("vhsm-kbs on loopback, %.0f s per level (client evidence signing included)\n", secs);
	printf("clients   provisions/s   p50 ms   p99 ms   failures\n");
	for (i = 0; i < 3; i++) {
		rate = level(levels[i], secs, false, &p50, &p99, &fails);
		printf("%7d   %12.1f   %6.1f   %6.1f   %8zu\n", levels[i], rate, p50, p99, fails);
	}
	c0 = proc_cpu(pid);
	rate = level(8, secs, true, &p50, &p99, &fails);
	c1 = proc_cpu(pid);
	vrate = verifier_rate(roots, roots_len, &vcpu);
	printf("attestations/s (8 clients) %.1f, verifier alone %.1f/s: ratio %.2f\n",
	       rate, vrate, vrate > 0 ? rate / vrate : 0);
	if (c0 >= 0 && c1 > c0 && vcpu > 0)
		printf("attestations per server CPU second %.1f, verifications per CPU second "
		       "%.1f: ratio %.2f\n", rate * secs / (c1 - c0), vcpu,
		       rate * secs / (c1 - c0) / vcpu);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		return 1;
	BIO_free(b);
	X509_free(vcek);
	OPENSSL_free(vcek_der);
	testca_free(&ca);
	EVP_PKEY_free(vek);
	return 0;
}
