// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Operations racing with destroy: threads use a key while another thread
 * destroys and recreates it. Every call must succeed or fail with a clean
 * errno; the kernel log must stay clean (checked by the harness). Lookups by
 * label, which take no lock, race the same way.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

/*
 * 200 P-256 key generations with four signers take minutes on the debug
 * lane's kernel (KASAN, lockdep, kmemleak, under TCG): more than the
 * harness's 30 s. init.sh's per-program timeout still bounds a hang.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600

#define THREADS 4
#define ROUNDS 200

struct race {
	int fd;
	_Atomic uint32_t handle;
	_Atomic int stop;
	_Atomic int bad;
	_Atomic long ok, gone;
	uint32_t type;
	char label[32];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void count(struct race *r, int ret)
{
	if (ret == 0)
		r->ok++;
	else if (ret == -ENOENT)
		r->gone++;
	else
		r->bad = ret;
}

static void *user_thread(void *p)
{
	struct race *r = p;
	uint8_t buf[256] = { 0 }, out[256], iv[12], tag[16], sig[VHSM_SIG_MAX], mac[48];
	uint32_t len;

	while (!r->stop) {
		uint32_t h = r->handle;

		switch (r->type) {
		case VHSM_KEY_AES256_GCM:
			count(r, ko_encrypt(r->fd, h, 0, NULL, 0, buf, sizeof(buf), out, iv, tag));
			break;
		case VHSM_KEY_HMAC_SHA256:
			count(r, ko_mac(r->fd, h, buf, sizeof(buf), mac, &len));
			break;
		default:
			len = sizeof(sig);
			count(r, ko_sign(r->fd, h, 0, buf, 32, sig, &len));
			break;
		}
	}
	return NULL;
}

/*
 * Look the label up and ask for the key it names: the lookup finds the key
 * (a non-zero handle) or -ENOENT; the handle it gave names that key (same
 * label) or, destroyed meanwhile, nothing (-ENOENT), never another key.
 */
static void *lookup_thread(void *p)
{
	struct race *r = p;
	struct vhsm_key_info info;
	uint32_t h;
	int ret;

	while (!r->stop) {
		ret = ko_lookup(r->fd, r->label, &h);
		if (ret == 0 && h == 0)
			ret = -EINVAL;
		if (ret == 0) {
			ret = ko_info(r->fd, h, &info);
			if (ret == 0 && strcmp(info.attr.label, r->label))
				ret = -EINVAL;
		}
		count(r, ret);
	}
	return NULL;
}

static void run_race(struct __test_metadata *_metadata, uint32_t type, uint32_t usage,
		     int lookups)
{
	struct race r = { .type = type };
	pthread_t t[THREADS];
	uint32_t h;
	int i;

	r.fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, r.fd);
	snprintf(r.label, sizeof(r.label), "race%d.%u.%d", getpid(), type, lookups);
	ASSERT_EQ(0, ko_generate(r.fd, type, usage, 0700, r.label, &h));
	r.handle = h;
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, lookups ? lookup_thread : user_thread,
					    &r));
	for (i = 0; i < ROUNDS; i++) {
		long before = r.ok;
		double until = now() + 2;

		/* let the users reach the live key before pulling it away */
		while (r.ok == before && now() < until)
			sched_yield();
		ASSERT_NE(before, r.ok) TH_LOG("no operation succeeded on a live key");
		ASSERT_EQ(0, ko_destroy(r.fd, r.handle));
		ASSERT_EQ(0, ko_generate(r.fd, type, usage, 0700, r.label, &h));
		r.handle = h;
	}
	r.stop = 1;
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(0, r.bad);
	EXPECT_LT(0, r.ok);
	TH_LOG("type %u%s: %ld ok, %ld raced with destroy", type, lookups ? " lookups" : "",
	       (long)r.ok, (long)r.gone);
	EXPECT_EQ(0, ko_destroy(r.fd, r.handle));
	close(r.fd);
}

TEST(aead_while_destroying)
{
	run_race(_metadata, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT, 0);
}

TEST(hmac_while_destroying)
{
	run_race(_metadata, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0);
}

TEST(ecdsa_while_destroying)
{
	run_race(_metadata, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN, 0);
}

TEST(lookup_while_destroying)
{
	run_race(_metadata, VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL, 1);
}

TEST_HARNESS_MAIN
