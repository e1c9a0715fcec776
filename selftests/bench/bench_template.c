// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vhsm(...) template against the plain kernel algorithm, same VM, same
 * run: AF_ALG vhsm(gcm(aes)) keyed with a token vs gcm(aes) keyed with the
 * bytes (4 KiB and 64 KiB), and dm-crypt sequential write and read on a loop
 * device over a tmpfs file, capi:vhsm(xts(aes))-plain64 keyed by a logon key
 * holding the token vs capi:xts(aes)-plain64 with the key in the table.
 * The host is shared and its load changes by the second, so after a warm-up
 * the two sides are measured in many short back-to-back pairs (alternating
 * which goes first); a pair sees the same load on both sides, and the figure
 * reported is the median of the pairs' ratios (with the median rates). Needs root and allow_plain_import=1 (the
 * same key bytes on both sides).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <kcapi.h>
#include <linux/keyctl.h>

#include "bench.h"
#include "keyops.h"

#define ROUNDS		9	/* odd: the median is one round's ratio */
#define SLICE		0.15	/* seconds per AF_ALG measurement */
#define DISK_MB		16
#define CHUNK		(1 << 20)
#define LOGON_DESC	"vhsm-token:bench.xts"

static uint8_t gkey[32] = { 9, 8, 7 };
static uint8_t xkey[64] = { 5, 4, 3 };
static uint8_t *gin, *gout;

static int token_of(int fd, uint32_t h, uint8_t tok[VHSM_TOKEN_LEN])
{
	struct vhsm_key_token t = { .size = sizeof(t), .handle = h };
	int ret = ko_ioctl(fd, VHSM_IOC_KEY_TOKEN, &t);

	memcpy(tok, t.token, VHSM_TOKEN_LEN);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of ROUNDS values (sorts them). */
static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_double);
	return v[ROUNDS / 2];
}

/* As rate(), for SLICE seconds. */
static double rate_for(int (*fn)(void *ctx, size_t len), void *ctx, size_t len)
{
	double start = now(), t;
	long n = 0;

	do {
		if (fn(ctx, len))
			return 0;
		n++;
		t = now() - start;
	} while (t < SLICE || n < 3);
	return n / t;
}

static int gcm_op(void *ctx, size_t len)
{
	static const uint8_t iv[12];

	return kcapi_aead_encrypt(ctx, gin, len, iv, gout, len + 16, KCAPI_ACCESS_HEURISTIC) < 0;
}

static struct kcapi_handle *gcm_handle(const char *alg, const uint8_t *key, uint32_t len)
{
	struct kcapi_handle *k = NULL;

	if (kcapi_aead_init(&k, alg, 0) || kcapi_aead_setkey(k, key, len) ||
	    kcapi_aead_settaglen(k, 16)) {
		kcapi_aead_destroy(k);
		return NULL;
	}
	kcapi_aead_setassoclen(k, 0);
	return k;
}

static void bench_afalg(int fd)
{
	static const size_t sizes[] = { 4096, 65536 };
	struct kcapi_handle *t = NULL, *p = NULL;
	uint8_t tok[VHSM_TOKEN_LEN];
	struct vhsm_key_attr a;
	double rt, rp, vt[ROUNDS], vp[ROUNDS], ratio[ROUNDS];
	size_t i, r;
	uint32_t h = 0;

	ko_attr(&a, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT |
		VHSM_USAGE_EXPORT_KERNEL, 0700, "bench.tgcm");
	gin = calloc(1, 65536 + 16);
	gout = calloc(1, 65536 + 16);
	if (!gin || !gout || ko_import(fd, 0, &a, gkey, sizeof(gkey), &h) || token_of(fd, h, tok)) {
		printf("vhsm(gcm(aes)): setup failed\n");
		goto out;
	}
	t = gcm_handle("vhsm(gcm(aes))", tok, sizeof(tok));
	p = gcm_handle("gcm(aes)", gkey, sizeof(gkey));
	if (!t || !p) {
		printf("vhsm(gcm(aes)): AF_ALG setup failed\n");
		goto out;
	}
	printf("\n%-34s %7s %14s %14s %8s\n", "AF_ALG AES-256-GCM encrypt", "bytes",
	       "vhsm(...) op/s", "plain op/s", "ratio");
	for (i = 0; i < 2; i++) {
		gcm_op(t, sizes[i]);	/* warm-up */
		for (r = 0; r < ROUNDS; r++) {
			if (r & 1) {
				rp = rate_for(gcm_op, p, sizes[i]);
				rt = rate_for(gcm_op, t, sizes[i]);
			} else {
				rt = rate_for(gcm_op, t, sizes[i]);
				rp = rate_for(gcm_op, p, sizes[i]);
			}
			vt[r] = rt;
			vp[r] = rp;
			ratio[r] = rp > 0 ? rt / rp : 0;
		}
		printf("%-34s %7zu %14.0f %14.0f %8.2f\n", "vhsm(gcm(aes)) vs gcm(aes)", sizes[i],
		       median(vt), median(vp), median(ratio));
	}
out:
	kcapi_aead_destroy(t);
	kcapi_aead_destroy(p);
	if (h)
		ko_destroy(fd, h);
	free(gin);
	free(gout);
}

/* ---- dm-crypt ---- */

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return ret == 0 ? 0 : -1;
}

/* MB/s of writing (or reading) the whole mapping with O_DIRECT; 0 on failure. */
static double dm_pass(const char *dev, int wr, uint8_t *buf)
{
	double t0, t;
	int fd, i, ok = 1;

	fd = open(dev, (wr ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		return 0;
	t0 = now();
	for (i = 0; i < DISK_MB && ok; i++)
		ok = (wr ? write(fd, buf, CHUNK) : read(fd, buf, CHUNK)) == CHUNK;
	if (wr && ok)
		ok = !fsync(fd);
	t = now() - t0;
	close(fd);
	return ok ? DISK_MB / t : 0;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void bench_dmcrypt(int fd)
{
	char cmd[512], khex[129], loop[64] = "";
	double w[2][ROUNDS], rd[2][ROUNDS], wr[ROUNDS], rr[ROUNDS];
	uint8_t tok[VHSM_TOKEN_LEN], *buf = NULL;
	const char *name[2] = { "vhsmb.t", "vhsmb.p" };
	struct vhsm_key_attr a;
	uint32_t h = 0;
	FILE *f;
	int r, s, i;

	setenv("DM_DISABLE_UDEV", "1", 1);
	ko_attr(&a, VHSM_KEY_AES256_XTS, VHSM_USAGE_EXPORT_KERNEL, 0700, "bench.xts");
	if (ko_import(fd, 0, &a, xkey, sizeof(xkey), &h) || token_of(fd, h, tok) ||
	    syscall(SYS_add_key, "logon", LOGON_DESC, tok, sizeof(tok), KEY_SPEC_USER_KEYRING) < 0 ||
	    posix_memalign((void **)&buf, 4096, CHUNK)) {
		printf("dm-crypt: setup failed (%s)\n", strerror(errno));
		goto out;
	}
	memset(buf, 0x5a, CHUNK);
	snprintf(cmd, sizeof(cmd), "dd if=/dev/zero of=/tmp/bench.disk bs=1M count=%d 2>/dev/null",
		 DISK_MB);
	f = sh(cmd) ? NULL : popen("losetup -f", "r");
	if (!f || !fgets(loop, sizeof(loop), f)) {
		printf("dm-crypt: no loop device\n");
		if (f)
			pclose(f);
		goto out;
	}
	pclose(f);
	loop[strcspn(loop, "\n")] = 0;
	snprintf(cmd, sizeof(cmd), "losetup %s /tmp/bench.disk", loop);
	hex(khex, xkey, sizeof(xkey));
	if (sh(cmd))
		goto out;
	snprintf(cmd, sizeof(cmd), "dmsetup create %s --table '0 %d crypt "
		 "capi:vhsm(xts(aes))-plain64 :16:logon:%s 0 %s 0'", name[0], DISK_MB * 2048,
		 LOGON_DESC, loop);
	r = sh(cmd);
	snprintf(cmd, sizeof(cmd), "dmsetup create %s --table '0 %d crypt "
		 "capi:xts(aes)-plain64 %s 0 %s 0'", name[1], DISK_MB * 2048, khex, loop);
	memset(khex, 0, sizeof(khex));
	if (r || sh(cmd)) {
		printf("dm-crypt: dmsetup create failed\n");
		goto out_dm;
	}
	dm_pass("/dev/mapper/vhsmb.t", 1, buf);	/* warm-up */
	dm_pass("/dev/mapper/vhsmb.p", 1, buf);
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < 2; i++) {
			s = (r & 1) ? 1 - i : i;	/* alternate which side goes first */
			snprintf(cmd, sizeof(cmd), "/dev/mapper/%s", name[s]);
			w[s][r] = dm_pass(cmd, 1, buf);
		}
		for (i = 0; i < 2; i++) {
			s = (r & 1) ? 1 - i : i;
			snprintf(cmd, sizeof(cmd), "/dev/mapper/%s", name[s]);
			rd[s][r] = dm_pass(cmd, 0, buf);
		}
		wr[r] = w[1][r] > 0 ? w[0][r] / w[1][r] : 0;
		rr[r] = rd[1][r] > 0 ? rd[0][r] / rd[1][r] : 0;
	}
	printf("\n%-34s %14s %14s %8s\n", "dm-crypt AES-256-XTS, O_DIRECT", "vhsm(...) MB/s",
	       "plain MB/s", "ratio");
	printf("%-34s %14.1f %14.1f %8.2f\n", "sequential write", median(w[0]),
	       median(w[1]), median(wr));
	printf("%-34s %14.1f %14.1f %8.2f\n", "sequential read", median(rd[0]),
	       median(rd[1]), median(rr));
out_dm:
	for (s = 0; s < 2; s++) {
		snprintf(cmd, sizeof(cmd), "dmsetup remove %s 2>/dev/null", name[s]);
		sh(cmd);
	}
	snprintf(cmd, sizeof(cmd), "losetup -d %s; rm -f /tmp/bench.disk", loop);
	sh(cmd);
out:
	free(buf);
	if (h)
		ko_destroy(fd, h);
}

void bench_template(int fd)
{
	bench_afalg(fd);
	bench_dmcrypt(fd);
}
