// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm benchmark, run in the test VM by `make bench`. Every figure is a ratio
 * against baselines measured in the same run on the same machine: the same
 * algorithm in the kernel through AF_ALG with a raw key (libkcapi), and
 * OpenSSL in userspace. Absolute rates under QEMU's TCG say little; the ratios
 * are what to read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kcapi.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "bench.h"
#include "keyops.h"

#define RUN_SECONDS 0.4

static int fd;
static uint8_t key32[32] = { 1, 2, 3 };
static uint8_t *in, *out;

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Operations per second of @fn, run for about RUN_SECONDS; 0 if it fails. */
double rate(int (*fn)(void *ctx, size_t len), void *ctx, size_t len)
{
	double start = now(), t;
	long n = 0;

	do {
		if (fn(ctx, len))
			return 0;
		n++;
		t = now() - start;
	} while (t < RUN_SECONDS || n < 3);
	return n / t;
}

/* ---- AES-256-GCM ---- */

static int gcm_vhsm(void *ctx, size_t len)
{
	uint8_t iv[12], tag[16];

	return ko_encrypt(fd, *(uint32_t *)ctx, 0, NULL, 0, in, len, out, iv, tag);
}

static int gcm_afalg(void *ctx, size_t len)
{
	static const uint8_t iv[12];

	return kcapi_aead_encrypt(ctx, in, len, iv, out, len + 16, KCAPI_ACCESS_HEURISTIC) < 0;
}

static int gcm_ossl(void *ctx, size_t len)
{
	static const uint8_t iv[12];
	uint8_t tag[16];
	int l, ok;

	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key32, iv) &&
	     EVP_EncryptUpdate(ctx, out, &l, in, len) &&
	     EVP_EncryptFinal_ex(ctx, out + l, &l) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
	return !ok;
}

/* ---- HMAC-SHA256 ---- */

static int hmac_vhsm(void *ctx, size_t len)
{
	uint8_t mac[48];
	uint32_t l;

	return ko_mac(fd, *(uint32_t *)ctx, in, len, mac, &l);
}

static int hmac_afalg(void *ctx, size_t len)
{
	uint8_t mac[32];

	return kcapi_md_digest(ctx, in, len, mac, sizeof(mac)) != 32;
}

static int hmac_ossl(void *ctx, size_t len)
{
	uint8_t mac[32];
	unsigned int l;

	return !HMAC(EVP_sha256(), key32, 32, in, len, mac, &l);
}

/* ---- ECDSA P-256 ---- */

struct ec_ctx {
	uint32_t handle;
	uint8_t sig[VHSM_SIG_MAX];
	uint32_t sig_len;
	EVP_PKEY *pk;
	uint8_t osig[80];
	size_t osig_len;
};

static int sign_vhsm(void *p, size_t len)
{
	struct ec_ctx *c = p;

	c->sig_len = sizeof(c->sig);
	return ko_sign(fd, c->handle, VHSM_SIG_F_DER, in, len, c->sig, &c->sig_len);
}

static int verify_vhsm(void *p, size_t len)
{
	struct ec_ctx *c = p;

	return ko_verify(fd, c->handle, VHSM_SIG_F_DER, in, len, c->sig, c->sig_len);
}

static int sign_ossl(void *p, size_t len)
{
	struct ec_ctx *c = p;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	c->osig_len = sizeof(c->osig);
	ok = EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, c->pk) > 0 &&
	     EVP_DigestSign(m, c->osig, &c->osig_len, in, len) > 0;
	EVP_MD_CTX_free(m);
	return !ok;
}

static int verify_ossl(void *p, size_t len)
{
	struct ec_ctx *c = p;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	ok = EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, c->pk) > 0 &&
	     EVP_DigestVerify(m, c->osig, c->osig_len, in, len) == 1;
	EVP_MD_CTX_free(m);
	return !ok;
}

static void row(const char *op, size_t len, double v, double a, double o)
{
	char av[32] = "n/a", ar[32] = "n/a";

	if (a > 0) {
		snprintf(av, sizeof(av), "%.0f", a);
		snprintf(ar, sizeof(ar), "%.2f", v / a);
	}
	printf("%-22s %7zu %12.0f %12s %12.0f %10s %10.2f\n", op, len, v, av, o, ar,
	       o > 0 ? v / o : 0);
}

static void bench_ops(void)
{
	static const size_t sizes[] = { 64, 4096, 65536 };
	struct kcapi_handle *aead = NULL, *md = NULL;
	EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
	struct vhsm_key_attr a;
	struct ec_ctx ec = { 0 };
	uint32_t gcm, hmac;
	size_t i;

	ko_attr(&a, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "bench.gcm");
	ko_import(fd, 0, &a, key32, 32, &gcm);
	ko_attr(&a, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, "bench.hmac");
	ko_import(fd, 0, &a, key32, 32, &hmac);
	if (kcapi_aead_init(&aead, "gcm(aes)", 0) || kcapi_aead_setkey(aead, key32, 32) ||
	    kcapi_aead_settaglen(aead, 16)) {
		kcapi_aead_destroy(aead);
		aead = NULL;
	}
	if (kcapi_md_init(&md, "hmac(sha256)", 0) || kcapi_md_setkey(md, key32, 32)) {
		kcapi_md_destroy(md);
		md = NULL;
	}

	printf("%-22s %7s %12s %12s %12s %10s %10s\n", "operation", "bytes", "vhsm op/s",
	       "AF_ALG op/s", "OpenSSL op/s", "vhsm/AFALG", "vhsm/OSSL");
	for (i = 0; i < 3; i++)
		row("AES-256-GCM encrypt", sizes[i], rate(gcm_vhsm, &gcm, sizes[i]),
		    aead ? rate(gcm_afalg, aead, sizes[i]) : 0, rate(gcm_ossl, cctx, sizes[i]));
	row("HMAC-SHA256", 64, rate(hmac_vhsm, &hmac, 64), md ? rate(hmac_afalg, md, 64) : 0,
	    rate(hmac_ossl, NULL, 64));

	ko_generate(fd, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY, 0700,
		    "bench.p256", &ec.handle);
	ec.pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	sign_vhsm(&ec, 64);
	sign_ossl(&ec, 64);
	row("ECDSA P-256 sign", 64, rate(sign_vhsm, &ec, 64), 0, rate(sign_ossl, &ec, 64));
	row("ECDSA P-256 verify", 64, rate(verify_vhsm, &ec, 64), 0, rate(verify_ossl, &ec, 64));
	printf("(AF_ALG has no ECDSA: the kernel offers no signing, and akcipher is not exposed to userspace)\n");

	ko_destroy(fd, gcm);
	ko_destroy(fd, hmac);
	ko_destroy(fd, ec.handle);
	EVP_PKEY_free(ec.pk);
	EVP_CIPHER_CTX_free(cctx);
	kcapi_aead_destroy(aead);
	kcapi_md_destroy(md);
}

/* ---- key store ---- */

static long slab_kb(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* The store's own slab caches (/proc/slabinfo, root only): objects in use and their size. */
static void slab_caches(void)
{
	char line[512], name[64];
	long active, total, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "vhsm_key_", 9) &&
		    sscanf(line, "%63s %ld %ld %ld", name, &active, &total, &size) == 4)
			printf("  slab cache %-14s %7ld objects in use, %4ld bytes each\n", name, active,
			       size);
	if (f)
		fclose(f);
}

/* the key-store keys: 32-byte secrets, labelled "s<N>" */
#define KEY_BYTES 32

static void bench_store(void)
{
	static const uint32_t counts[] = { 1000, 10000, 100000 };
	uint32_t *h = malloc(100000 * sizeof(*h)), n = 0, i, target;
	struct vhsm_key_info info;
	struct vhsm_key_attr a;
	double t0, gen_us, info_us, lookup_us;
	long slab0 = slab_kb(), slab;
	char label[32];
	size_t c;

	printf("\n%-10s %16s %16s %16s %16s %16s\n", "keys held", "generate us/key",
	       "info us/call", "lookup us/call", "slab bytes/key", "minus material");
	for (c = 0; c < 3; c++) {
		target = counts[c];
		t0 = now();
		for (i = n; i < target; i++) {
			snprintf(label, sizeof(label), "s%u", i);
			ko_attr(&a, VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL, 0700, label);
			a.key_len = KEY_BYTES;
			if (ko_generate_attr(fd, &a, &h[i])) {
				printf("generate failed at %u keys\n", i);
				goto out;
			}
		}
		gen_us = (now() - t0) * 1e6 / (target - n);
		n = target;
		slab = slab_kb();
		t0 = now();
		for (i = 0; i < 20000; i++)
			ko_info(fd, h[(i * 7919u) % n], &info);
		info_us = (now() - t0) * 1e6 / 20000;
		t0 = now();
		for (i = 0; i < 20000; i++) {
			uint32_t got;

			snprintf(label, sizeof(label), "s%u", (i * 7919u) % n);
			ko_lookup(fd, label, &got);
		}
		lookup_us = (now() - t0) * 1e6 / 20000;
		printf("%-10u %16.1f %16.2f %16.2f %16.0f %16.0f\n", n, gen_us, info_us, lookup_us,
		       (slab - slab0) * 1024.0 / n, (slab - slab0) * 1024.0 / n - KEY_BYTES);
	}
	slab_caches();
out:
	for (i = 0; i < n; i++)
		ko_destroy(fd, h[i]);
	free(h);
}

int main(void)
{
	fd = open(getenv("VHSM_DEVICE") ? getenv("VHSM_DEVICE") : VHSM_DEVICE_PATH, O_RDWR);
	in = calloc(1, 65536 + 64);
	out = calloc(1, 65536 + 64);
	if (fd < 0 || !in || !out) {
		perror("vhsm bench");
		return 1;
	}
	printf("vhsm benchmark: ratios against AF_ALG (raw key, libkcapi) and OpenSSL, same VM, same run\n\n");
	bench_ops();
	bench_ecdsa(fd, in);
	bench_template(fd);
	bench_store();
	bench_threads();
	return 0;
}
