// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The signing fast path (kmod/ecc_point.c's fixed-base table) against
 * OpenSSL at scale: 10000 fresh kernel keys, 6500 on P-256 and 3500 on P-384
 * (VHSM_INTEROP_KEYS=N makes it N per curve), each signing one
 * random message of random length; OpenSSL verifies every signature with the
 * exported public point (and, for every 50th, refuses it for a changed
 * message). The SubjectPublicKeyInfo form is interop_test's; here OpenSSL's
 * low-level EC_KEY/ECDSA_verify keep the run short under TCG (d2i_PUBKEY and
 * EVP_DigestVerifyInit cost more than a P-256 verification). The two curves
 * run in parallel, one process each, to use both vCPUs.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* EC_KEY, ECDSA_verify */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

struct curve {
	unsigned int keys;	/* by default; P-384 is the slower side under TCG */
	uint32_t type;
	int nid;
	const char *name;
	const EVP_MD *(*md)(void);
};

static const struct curve curves[] = {
	{ 6500, VHSM_KEY_EC_P256, NID_X9_62_prime256v1, "P-256", EVP_sha256 },
	{ 3500, VHSM_KEY_EC_P384, NID_secp384r1, "P-384", EVP_sha384 },
};

/* OpenSSL's verdict on a DER signature over msg under the point pt */
static int ossl_verify(const struct curve *c, const uint8_t *pt, size_t pt_len,
		       const uint8_t *msg, size_t len, const uint8_t *sig, size_t sig_len)
{
	EC_KEY *k = EC_KEY_new_by_curve_name(c->nid);
	uint8_t dig[EVP_MAX_MD_SIZE];
	unsigned int dlen;
	int ok;

	ok = k && EC_KEY_oct2key(k, pt, pt_len, NULL) == 1 &&
	     EVP_Digest(msg, len, dig, &dlen, c->md(), NULL) == 1 &&
	     ECDSA_verify(0, dig, (int)dlen, sig, (int)sig_len, k) == 1;
	EC_KEY_free(k);
	return ok;
}

/* one fresh kernel key signs one random message; NULL, or what went wrong */
static const char *one_key(int fd, const struct curve *c, unsigned int i, int *err)
{
	uint8_t pt[VHSM_PUBKEY_MAX], sig[VHSM_SIG_MAX], msg[64];
	uint32_t h, len = sizeof(pt), slen = sizeof(sig), mlen;
	const char *bad = NULL;

	*err = 0;
	if (RAND_bytes(msg, sizeof(msg)) != 1)
		return "RAND_bytes";
	mlen = 1 + msg[0] % (sizeof(msg) - 1);
	*err = ko_generate(fd, c->type, VHSM_USAGE_SIGN, 0700, c->name, &h);
	if (*err)
		return "generate";
	if ((*err = ko_pubkey(fd, h, 0, pt, &len)))
		bad = "public key";
	else if ((*err = ko_sign(fd, h, VHSM_SIG_F_DER, msg, mlen, sig, &slen)))
		bad = "sign";
	else if (!ossl_verify(c, pt, len, msg, mlen, sig, slen))
		bad = "OpenSSL refuses the signature";
	else if (i % 50 == 0 && (msg[mlen - 1] ^= 1, ossl_verify(c, pt, len, msg, mlen, sig, slen)))
		bad = "OpenSSL accepts the signature for another message";
	if (ko_destroy(fd, h) && !bad)
		bad = "destroy";
	return bad;
}

/* a child's loop over n keys; exit status 0 if every signature verified */
static void run_curve(const struct curve *c, unsigned int n)
{
	unsigned int i, failed = 0;
	struct timespec t0, t1;
	int fd, err;

	fd = open(vhsm_test_device(), O_RDWR);
	if (fd < 0) {
		printf("# %s: cannot open the device: %d\n", c->name, -errno);
		_exit(2);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		const char *bad = one_key(fd, c, i, &err);

		if (bad && failed++ < 5)
			printf("# %s key %u: %s (%d)\n", c->name, i, bad, err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s: %u fresh keys, %u signatures verified by OpenSSL, %u failed, %.1f s\n",
	       c->name, n, n - failed, failed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	close(fd);
	_exit(failed ? 1 : 0);
}

FIXTURE(many) {
	int unused;
};

FIXTURE_SETUP(many)
{
}

FIXTURE_TEARDOWN(many)
{
}

TEST_F_TIMEOUT(many, kernel_signatures_verify_in_openssl, 900)
{
	const char *env = getenv("VHSM_INTEROP_KEYS");
	unsigned int n = env && *env ? (unsigned int)atoi(env) : 0, i;
	pid_t pid[2];
	int status;

	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			run_curve(&curves[i], n ? n : curves[i].keys);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("%s: status %#x", curves[i].name, status);
	}
}

TEST_HARNESS_MAIN
