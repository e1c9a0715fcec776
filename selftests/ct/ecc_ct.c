// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Timing test of the secret-scalar code (kmod/ecc_point.c's fixed-base k·G
 * over kmod/ecc_field.c, built for the host), in the manner of dudect
 * (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017):
 * two classes of input, a fixed scalar and fresh random scalars, interleaved
 * at random; the cycle count of each call is recorded and Welch's t statistic
 * between the classes computed over all samples and over samples cropped at
 * a series of upper percentiles (to drop interrupts and other outliers). A
 * |t| above 4.5 is evidence of a timing difference; the run fails then.
 *
 * usage: ecc_ct [SAMPLES [CURVE]]   (default 1000000 per curve, both curves)
 * Run by `make ct`; not part of `make check` (it takes minutes).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "ecc_point.h"

#define NCROPS		20
#define CALIBRATE	20000
#define THRESHOLD	4.5

struct welch {
	double n[2], mean[2], m2[2];
};

static void welch_add(struct welch *w, int cls, double x)
{
	double d;

	w->n[cls]++;
	d = x - w->mean[cls];
	w->mean[cls] += d / w->n[cls];
	w->m2[cls] += d * (x - w->mean[cls]);
}

static double welch_t(const struct welch *w)
{
	double v0, v1;

	if (w->n[0] < 2 || w->n[1] < 2)
		return 0;
	v0 = w->m2[0] / (w->n[0] - 1);
	v1 = w->m2[1] / (w->n[1] - 1);
	return (w->mean[0] - w->mean[1]) / sqrt(v0 / w->n[0] + v1 / w->n[1]);
}

/* xorshift128+: the class schedule and the random scalars */
static uint64_t rs[2] = { 0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL };

static uint64_t rnd(void)
{
	uint64_t a = rs[0], b = rs[1];

	rs[0] = b;
	a ^= a << 23;
	rs[1] = a ^ b ^ (a >> 17) ^ (b >> 26);
	return rs[1] + b;
}

/* a random scalar in [1, n-1] */
static void random_scalar(const struct vhsm_ec *c, u64 *k)
{
	u64 t[VHSM_FE_MAX];
	unsigned int i;

	do {
		for (i = 0; i < c->nd; i++)
			k[i] = rnd();
	} while (!vhsm_fe_sub_raw(c->nd, t, k, c->n.m) || vhsm_fe_is_zero(c->nd, k));
}

static uint64_t cycles(void)
{
	unsigned int aux;

	_mm_lfence();
	return __rdtscp(&aux);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* one measurement of k·G; class 0 = fixed scalar, 1 = random */
static uint64_t measure(const struct vhsm_ec *c, int cls, const u64 *fixed)
{
	u64 k[VHSM_FE_MAX], x[VHSM_FE_MAX], y[VHSM_FE_MAX];
	uint64_t t0, t1;

	if (cls)
		random_scalar(c, k);
	else
		memcpy(k, fixed, sizeof(k));
	t0 = cycles();
	if (vhsm_ec_mul_base(c, k, x, y))
		abort();
	t1 = cycles();
	return t1 - t0;
}

static double run(unsigned int id, long samples)
{
	const struct vhsm_ec *c = vhsm_ec_get(id);
	u64 fixed[VHSM_FE_MAX] = { 1 };	/* k = 1: every later digit is 0 */
	uint64_t cal[CALIBRATE], crop[NCROPS];
	struct welch w[NCROPS + 1];
	double t, worst = 0;
	long i;
	int j;

	memset(w, 0, sizeof(w));
	for (i = 0; i < CALIBRATE; i++)
		cal[i] = measure(c, (int)(rnd() & 1), fixed);
	qsort(cal, CALIBRATE, sizeof(cal[0]), cmp_u64);
	for (j = 0; j < NCROPS; j++) {
		double p = 1 - pow(0.5, 10.0 * (j + 1) / NCROPS);

		crop[j] = cal[(size_t)(p * (CALIBRATE - 1))];
	}
	for (i = 0; i < samples; i++) {
		int cls = (int)(rnd() & 1);
		uint64_t dt = measure(c, cls, fixed);

		welch_add(&w[NCROPS], cls, (double)dt);
		for (j = 0; j < NCROPS; j++)
			if (dt <= crop[j])
				welch_add(&w[j], cls, (double)dt);
	}
	printf("%s: %ld samples (fixed k = 1: %.0f, random k: %.0f), mean cycles %.0f / %.0f\n",
	       id == VHSM_EC_P256 ? "P-256" : "P-384", samples, w[NCROPS].n[0],
	       w[NCROPS].n[1], w[NCROPS].mean[0], w[NCROPS].mean[1]);
	for (j = 0; j <= NCROPS; j++) {
		t = welch_t(&w[j]);
		if (fabs(t) > fabs(worst))
			worst = t;
		if (j == NCROPS)
			printf("  all samples:              t = %7.3f\n", t);
		else if (j % 5 == 4)
			printf("  cropped at %10llu cycles (%.0f samples): t = %7.3f\n",
			       (unsigned long long)crop[j], w[j].n[0] + w[j].n[1], t);
	}
	printf("  max |t| over %d tests: %.3f (threshold %.1f)\n", NCROPS + 1, fabs(worst),
	       THRESHOLD);
	return fabs(worst);
}

int main(int argc, char **argv)
{
	long samples = argc > 1 ? atol(argv[1]) : 1000000;
	int only = argc > 2 ? atoi(argv[2]) : -1;
	unsigned int id;
	int fail = 0;

	if (vhsm_ec_init()) {
		fprintf(stderr, "ecc_ct: cannot build the tables\n");
		return 1;
	}
	rs[0] ^= (uint64_t)__rdtsc();
	for (id = 0; id < VHSM_EC_CURVES; id++)
		if (only < 0 || only == (int)id)
			fail |= run(id, samples) > THRESHOLD;
	vhsm_ec_exit();
	printf("ecc_ct: %s\n", fail ? "FAIL (timing difference between the classes)" : "pass");
	return fail;
}
