// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ECDSA P-256 and P-384 sign and verify in the VM, vhsm against OpenSSL, in
 * two forms: over a 64-byte message (vhsm hashes in the kernel; OpenSSL
 * EVP_DigestSign/Verify with a fresh context, as an application calls it)
 * and over a digest (VHSM_SIG_F_DIGEST against EVP_PKEY_sign/verify on a
 * context made once, which is what `openssl speed ecdsa` measures).
 *
 * The machine is shared and its load moves within seconds, so each row is
 * the median of PAIRS back-to-back pairs of short runs, alternating which
 * side goes first; the rates printed are the medians of each side.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench.h"
#include "keyops.h"

#define PAIRS	7

struct ecb {
	int fd;
	const unsigned char *in;
	uint32_t handle, dlen;
	const EVP_MD *md;
	EVP_PKEY *pk;
	EVP_PKEY_CTX *sctx, *vctx;
	uint8_t sig[VHSM_SIG_MAX], osig[VHSM_SIG_MAX];
	uint32_t sig_len;
	size_t osig_len;
};

static int msign_vhsm(void *p, size_t len)
{
	struct ecb *c = p;

	c->sig_len = sizeof(c->sig);
	return ko_sign(c->fd, c->handle, VHSM_SIG_F_DER, c->in, len, c->sig, &c->sig_len);
}

static int mverify_vhsm(void *p, size_t len)
{
	struct ecb *c = p;

	return ko_verify(c->fd, c->handle, VHSM_SIG_F_DER, c->in, len, c->sig, c->sig_len);
}

static int msign_ossl(void *p, size_t len)
{
	struct ecb *c = p;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	c->osig_len = sizeof(c->osig);
	ok = m && EVP_DigestSignInit(m, NULL, c->md, NULL, c->pk) > 0 &&
	     EVP_DigestSign(m, c->osig, &c->osig_len, c->in, len) > 0;
	EVP_MD_CTX_free(m);
	return !ok;
}

static int mverify_ossl(void *p, size_t len)
{
	struct ecb *c = p;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	ok = m && EVP_DigestVerifyInit(m, NULL, c->md, NULL, c->pk) > 0 &&
	     EVP_DigestVerify(m, c->osig, c->osig_len, c->in, len) == 1;
	EVP_MD_CTX_free(m);
	return !ok;
}

static int dsign_vhsm(void *p, size_t len)
{
	struct ecb *c = p;

	c->sig_len = sizeof(c->sig);
	return ko_sign(c->fd, c->handle, VHSM_SIG_F_DER | VHSM_SIG_F_DIGEST, c->in, c->dlen,
		       c->sig, &c->sig_len);
}

static int dverify_vhsm(void *p, size_t len)
{
	struct ecb *c = p;

	return ko_verify(c->fd, c->handle, VHSM_SIG_F_DER | VHSM_SIG_F_DIGEST, c->in, c->dlen,
			 c->sig, c->sig_len);
}

static int dsign_ossl(void *p, size_t len)
{
	struct ecb *c = p;

	c->osig_len = sizeof(c->osig);
	return EVP_PKEY_sign(c->sctx, c->osig, &c->osig_len, c->in, c->dlen) <= 0;
}

static int dverify_ossl(void *p, size_t len)
{
	struct ecb *c = p;

	return EVP_PKEY_verify(c->vctx, c->osig, c->osig_len, c->in, c->dlen) != 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

typedef int (*op_fn)(void *ctx, size_t len);

/*
 * median rates and median ratio of PAIRS alternating runs, with the lowest and
 * highest pair's ratio; a failure prints n/a
 */
static void pair_row(const char *name, size_t len, op_fn v, op_fn o, struct ecb *c)
{
	double rv[PAIRS], ro[PAIRS], ratio[PAIRS], mv, mo, mr;
	int i;

	for (i = 0; i < PAIRS; i++) {
		if (i & 1) {
			ro[i] = rate(o, c, len);
			rv[i] = rate(v, c, len);
		} else {
			rv[i] = rate(v, c, len);
			ro[i] = rate(o, c, len);
		}
		if (rv[i] <= 0 || ro[i] <= 0) {
			printf("%-24s %7zu %12s %12s %10s\n", name, len, "failed", "", "n/a");
			return;
		}
		ratio[i] = rv[i] / ro[i];
	}
	mv = median(rv, PAIRS);
	mo = median(ro, PAIRS);
	mr = median(ratio, PAIRS);		/* sorts ratio[] */
	printf("%-24s %7zu %12.0f %12.0f %10.2f  (%.2f - %.2f)\n", name, len, mv, mo, mr,
	       ratio[0], ratio[PAIRS - 1]);
}

static void bench_curve(int fd, const unsigned char *in, uint32_t type, const char *group,
			const EVP_MD *md, uint32_t dlen)
{
	struct ecb c = { .fd = fd, .in = in, .md = md, .dlen = dlen };
	char name[48];

	if (ko_generate(fd, type, VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY, 0700, "bench.ecdsa",
			&c.handle)) {
		printf("%s: cannot generate a key\n", group);
		return;
	}
	c.pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	c.sctx = c.pk ? EVP_PKEY_CTX_new(c.pk, NULL) : NULL;
	c.vctx = c.pk ? EVP_PKEY_CTX_new(c.pk, NULL) : NULL;
	if (!c.sctx || !c.vctx || EVP_PKEY_sign_init(c.sctx) <= 0 ||
	    EVP_PKEY_verify_init(c.vctx) <= 0) {
		printf("%s: OpenSSL setup failed\n", group);
		goto out;
	}
	/* a signature for each side to verify */
	if (msign_vhsm(&c, 64) || msign_ossl(&c, 64)) {
		printf("%s: first signature failed\n", group);
		goto out;
	}
	snprintf(name, sizeof(name), "%s sign", group);
	pair_row(name, 64, msign_vhsm, msign_ossl, &c);
	snprintf(name, sizeof(name), "%s verify", group);
	pair_row(name, 64, mverify_vhsm, mverify_ossl, &c);
	if (dsign_vhsm(&c, 0) || dsign_ossl(&c, 0)) {
		printf("%s: first digest signature failed\n", group);
		goto out;
	}
	snprintf(name, sizeof(name), "%s sign digest", group);
	pair_row(name, dlen, dsign_vhsm, dsign_ossl, &c);
	snprintf(name, sizeof(name), "%s verify digest", group);
	pair_row(name, dlen, dverify_vhsm, dverify_ossl, &c);
out:
	EVP_PKEY_CTX_free(c.sctx);
	EVP_PKEY_CTX_free(c.vctx);
	EVP_PKEY_free(c.pk);
	ko_destroy(fd, c.handle);
}

void bench_ecdsa(int fd, const unsigned char *in)
{
	printf("\nECDSA, each row the median of %d alternating pairs of runs\n", PAIRS);
	printf("%-24s %7s %12s %12s %10s  %s\n", "operation", "bytes", "vhsm op/s",
	       "OpenSSL op/s", "vhsm/OSSL", "(lowest - highest pair)");
	bench_curve(fd, in, VHSM_KEY_EC_P256, "P-256", EVP_sha256(), 32);
	bench_curve(fd, in, VHSM_KEY_EC_P384, "P-384", EVP_sha384(), 48);
	printf("(message rows: EVP_DigestSign/Verify with a fresh context per call; digest rows:\n"
	       " EVP_PKEY_sign/verify on one context, as `openssl speed ecdsa` measures)\n");
}
