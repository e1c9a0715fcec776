// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Report verification rate (make bench, on the host): full verifications of a
 * real AMD-signed report per second — signature, VCEK → ASK → ARK chain,
 * extensions, default policy — with the VCEK and the built-in roots in memory
 * (a warm cache: no file or network access), against ECDSA P-384 verifies
 * per second from `openssl speed` on the same machine, as a ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vhsm/report.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(1 << 16);

	if (!f || !buf) {
		perror(path);
		exit(1);
	}
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* ECDSA P-384 verify/s from `openssl speed`, the baseline the issue names. */
static double openssl_speed_p384_verify(void)
{
	FILE *p = popen("openssl speed -seconds 2 ecdsap384 2>/dev/null", "r");
	char line[256];
	double sign_s, verify_s, signs, verifies = 0;

	while (p && fgets(line, sizeof(line), p))
		if (sscanf(line, " 384 bits ecdsa (nistp384) %lfs %lfs %lf %lf",
			   &sign_s, &verify_s, &signs, &verifies) == 4)
			break;
	if (p)
		pclose(p);
	return verifies;
}

int main(int argc, char **argv)
{
	const char *td = argc > 1 ? argv[1] : "selftests/testdata/snp";
	char path[512];
	size_t rlen, vlen;
	struct vhsm_report r;
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	double start, t, rate, base;
	long n = 0;
	void *raw, *vcek;

	snprintf(path, sizeof(path), "%s/trustee/e2e-evidence.report.bin", td);
	raw = slurp(path, &rlen);
	snprintf(path, sizeof(path), "%s/trustee/e2e-evidence.vcek.der", td);
	vcek = slurp(path, &vlen);
	if (vhsm_report_parse(raw, rlen, &r)) {
		fprintf(stderr, "cannot parse %s\n", path);
		return 1;
	}
	o.vek = vcek;
	o.vek_len = vlen;
	start = now();
	do {
		struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
		int ret = vhsm_verify_report(&r, &o, &res);

		vhsm_verify_result_free(&res);
		if (ret) {
			fprintf(stderr, "verification failed: %d\n", ret);
			return 1;
		}
		n++;
		t = now() - start;
	} while (t < 3);
	rate = n / t;
	base = openssl_speed_p384_verify();
	printf("\nSNP report verification (Genoa report, VCEK + AMD chain + policy, warm)\n");
	printf("%-40s %10.0f /s\n", "vhsm_verify_report", rate);
	printf("%-40s %10.0f /s\n", "openssl speed ecdsap384 (verify)", base);
	printf("%-40s %10.2f (target >= 0.9)\n", "ratio", base > 0 ? rate / base : 0);
	return 0;
}
