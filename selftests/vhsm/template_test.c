// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vhsm(...) crypto template through AF_ALG (libkcapi) and libvhsm's bulk
 * API: keyed with a token, each instance gives the same answers as the plain
 * in-kernel algorithm keyed with the key's bytes (known through the admin
 * plaintext import), and OpenSSL agrees for HMAC; setkey refuses a token for
 * a destroyed key, another user's key, a key without the usage, a key of the
 * wrong type, a malformed token and a uid outside the device's group.
 * Needs root; turns allow_plain_import on for its run.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kcapi.h>
#include <linux/if_alg.h>
#include <linux/keyctl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

#define EXP	VHSM_USAGE_EXPORT_KERNEL
#define ENCDEC	(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT)
#define OTHER_UID 4242

static int set_plain_import(int on)
{
	FILE *f = fopen("/sys/module/vhsm/parameters/allow_plain_import", "w");

	if (!f)
		return -1;
	fputs(on ? "1\n" : "0\n", f);
	return fclose(f);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

static int import_key(int fd, uint32_t type, uint32_t usage, uint32_t mode,
		      const char *label, const uint8_t *key, uint32_t len, uint32_t *h)
{
	struct vhsm_key_attr a;

	ko_attr(&a, type, usage, mode, label);
	a.key_len = len;
	return ko_import(fd, 0, &a, key, len, h);
}

static int get_token(int fd, uint32_t h, uint8_t token[VHSM_TOKEN_LEN])
{
	struct vhsm_key_token t = { .size = sizeof(t), .handle = h };
	int ret = ko_ioctl(fd, VHSM_IOC_KEY_TOKEN, &t);

	if (!ret)
		memcpy(token, t.token, VHSM_TOKEN_LEN);
	return ret;
}

/* setkey on a fresh AF_ALG transform of @alg: 0 or -errno */
static int try_setkey(const char *alg, const uint8_t *key, uint32_t len)
{
	struct kcapi_handle *k = NULL;
	int ret;

	if (strstr(alg, "gcm")) {
		ret = kcapi_aead_init(&k, alg, 0);
		if (!ret)
			ret = kcapi_aead_setkey(k, key, len);
		kcapi_aead_destroy(k);
	} else if (strstr(alg, "hmac")) {
		ret = kcapi_md_init(&k, alg, 0);
		if (!ret)
			ret = kcapi_md_setkey(k, key, len);
		kcapi_md_destroy(k);
	} else {
		ret = kcapi_cipher_init(&k, alg, 0);
		if (!ret)
			ret = kcapi_cipher_setkey(k, key, len);
		kcapi_cipher_destroy(k);
	}
	return ret;
}

/* GCM through AF_ALG: in = AAD || data [|| tag], out likewise */
static ssize_t gcm(const char *alg, const uint8_t *key, uint32_t klen, int enc,
		   const uint8_t iv[12], size_t aad_len, const uint8_t *in, size_t in_len,
		   uint8_t *out, size_t out_len)
{
	struct kcapi_handle *k = NULL;
	ssize_t ret;

	ret = kcapi_aead_init(&k, alg, 0);
	if (!ret)
		ret = kcapi_aead_setkey(k, key, klen);
	if (!ret)
		ret = kcapi_aead_settaglen(k, 16);
	if (!ret) {
		kcapi_aead_setassoclen(k, aad_len);
		ret = enc ? kcapi_aead_encrypt(k, in, in_len, iv, out, out_len, KCAPI_ACCESS_HEURISTIC) :
			    kcapi_aead_decrypt(k, in, in_len, iv, out, out_len, KCAPI_ACCESS_HEURISTIC);
	}
	kcapi_aead_destroy(k);
	return ret;
}

static ssize_t cipher(const char *alg, const uint8_t *key, uint32_t klen, int enc,
		      const uint8_t iv[16], const uint8_t *in, size_t len, uint8_t *out)
{
	struct kcapi_handle *k = NULL;
	ssize_t ret;

	ret = kcapi_cipher_init(&k, alg, 0);
	if (!ret)
		ret = kcapi_cipher_setkey(k, key, klen);
	if (!ret)
		ret = enc ? kcapi_cipher_encrypt(k, in, len, iv, out, len, KCAPI_ACCESS_HEURISTIC) :
			    kcapi_cipher_decrypt(k, in, len, iv, out, len, KCAPI_ACCESS_HEURISTIC);
	kcapi_cipher_destroy(k);
	return ret;
}

static ssize_t mac(const char *alg, const uint8_t *key, uint32_t klen,
		   const uint8_t *in, size_t len, uint8_t *out, size_t out_len)
{
	struct kcapi_handle *k = NULL;
	ssize_t ret;

	ret = kcapi_md_init(&k, alg, 0);
	if (!ret)
		ret = kcapi_md_setkey(k, key, klen);
	if (!ret)
		ret = kcapi_md_digest(k, in, len, out, out_len);
	kcapi_md_destroy(k);
	return ret;
}

FIXTURE(tmpl) {
	int fd;
};

FIXTURE_SETUP(tmpl)
{
	self->fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_plain_import(1));
}

FIXTURE_TEARDOWN(tmpl)
{
	set_plain_import(0);
	close(self->fd);
}

/* vhsm(gcm(aes)) with a token encrypts what gcm(aes) with the bytes decrypts, and back */
TEST_F(tmpl, gcm_matches_kernel_gcm)
{
	static const uint32_t types[] = { VHSM_KEY_AES128_GCM, VHSM_KEY_AES256_GCM };
	uint8_t key[32], iv[12], tok[VHSM_TOKEN_LEN];
	uint8_t in[20 + 4096], ct[20 + 4096 + 16], back[20 + 4096];
	size_t i;
	uint32_t h;

	for (i = 0; i < 2; i++) {
		uint32_t klen = types[i] == VHSM_KEY_AES128_GCM ? 16 : 32;

		fill(key, klen, 0x11 + i);
		fill(iv, sizeof(iv), 0x33);
		fill(in, sizeof(in), 0x55);
		ASSERT_EQ(0, import_key(self->fd, types[i], EXP | ENCDEC, 0700, "t.gcm", key, klen, &h));
		ASSERT_EQ(0, get_token(self->fd, h, tok));

		ASSERT_EQ((ssize_t)sizeof(ct), gcm("vhsm(gcm(aes))", tok, sizeof(tok), 1, iv, 20,
						   in, sizeof(in), ct, sizeof(ct)));
		EXPECT_NE(0, memcmp(in + 20, ct + 20, 4096));
		ASSERT_EQ((ssize_t)sizeof(back), gcm("gcm(aes)", key, klen, 0, iv, 20,
						     ct, sizeof(ct), back, sizeof(back)));
		EXPECT_EQ(0, memcmp(in + 20, back + 20, 4096));

		/* and the other way round, with a forged tag refused */
		ASSERT_EQ((ssize_t)sizeof(ct), gcm("gcm(aes)", key, klen, 1, iv, 20,
						   in, sizeof(in), ct, sizeof(ct)));
		memset(back, 0, sizeof(back));
		ASSERT_EQ((ssize_t)sizeof(back), gcm("vhsm(gcm(aes))", tok, sizeof(tok), 0, iv, 20,
						     ct, sizeof(ct), back, sizeof(back)));
		EXPECT_EQ(0, memcmp(in + 20, back + 20, 4096));
		ct[sizeof(ct) - 1] ^= 1;
		EXPECT_EQ(-EBADMSG, gcm("vhsm(gcm(aes))", tok, sizeof(tok), 0, iv, 20,
					ct, sizeof(ct), back, sizeof(back)));
		ASSERT_EQ(0, ko_destroy(self->fd, h));
	}
}

static void skcipher_vs_kernel(struct __test_metadata *_metadata, int fd, const char *inner,
			       uint32_t type, uint32_t usage, uint32_t klen)
{
	uint8_t key[64], iv[16], tok[VHSM_TOKEN_LEN];
	uint8_t in[8192], a[8192], b[8192];
	char alg[64];
	uint32_t h;

	fill(key, klen, 0x21);
	fill(iv, sizeof(iv), 0x43);
	fill(in, sizeof(in), 0x65);
	ASSERT_EQ(0, import_key(fd, type, usage, 0700, "t.skc", key, klen, &h));
	ASSERT_EQ(0, get_token(fd, h, tok));
	snprintf(alg, sizeof(alg), "vhsm(%s)", inner);

	ASSERT_EQ((ssize_t)sizeof(a), cipher(alg, tok, sizeof(tok), 1, iv, in, sizeof(in), a));
	ASSERT_EQ((ssize_t)sizeof(b), cipher(inner, key, klen, 1, iv, in, sizeof(in), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	EXPECT_NE(0, memcmp(a, in, sizeof(a)));
	ASSERT_EQ((ssize_t)sizeof(b), cipher(alg, tok, sizeof(tok), 0, iv, a, sizeof(a), b));
	EXPECT_EQ(0, memcmp(in, b, sizeof(in)));
	ASSERT_EQ(0, ko_destroy(fd, h));
}

TEST_F(tmpl, cbc_matches_kernel_cbc)
{
	skcipher_vs_kernel(_metadata, self->fd, "cbc(aes)", VHSM_KEY_AES128_GCM, EXP | ENCDEC, 16);
	skcipher_vs_kernel(_metadata, self->fd, "cbc(aes)", VHSM_KEY_AES256_GCM, EXP | ENCDEC, 32);
}

TEST_F(tmpl, xts_matches_kernel_xts)
{
	skcipher_vs_kernel(_metadata, self->fd, "xts(aes)", VHSM_KEY_AES256_XTS, EXP, 64);
}

/*
 * IEEE Std 1619-2007 XTS-AES-256 vector 10 (data unit 0xff, 512 bytes; the
 * first ciphertext block), by the template: the key import is byte-exact.
 */
TEST_F(tmpl, xts_known_answer)
{
	static const char *k1 = "2718281828459045235360287471352662497757247093699959574966967627";
	static const char *k2 = "3141592653589793238462643383279502884197169399375105820974944592";
	static const uint8_t ct_head[16] = {
		0x1c, 0x3b, 0x3a, 0x10, 0x2f, 0x77, 0x03, 0x86,
		0xe4, 0x83, 0x6c, 0x99, 0xe3, 0x70, 0xcf, 0x9b,
	};
	uint8_t key[64], iv[16] = { 0xff }, tok[VHSM_TOKEN_LEN], in[512], out[512];
	unsigned int byte;
	uint32_t h;
	int i;

	for (i = 0; i < 32; i++) {
		sscanf(k1 + 2 * i, "%2x", &byte);
		key[i] = byte;
		sscanf(k2 + 2 * i, "%2x", &byte);
		key[32 + i] = byte;
	}
	for (i = 0; i < 512; i++)
		in[i] = (uint8_t)i;
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_XTS, EXP, 0700, "t.xts", key, 64, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	ASSERT_EQ(512, cipher("vhsm(xts(aes))", tok, sizeof(tok), 1, iv, in, 512, out));
	EXPECT_EQ(0, memcmp(out, ct_head, sizeof(ct_head)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
}

static void hmac_vs(struct __test_metadata *_metadata, int fd, const char *inner,
		    uint32_t type, uint32_t klen, const EVP_MD *md)
{
	uint8_t key[64], tok[VHSM_TOKEN_LEN], in[3000], a[48], b[48], c[48];
	unsigned int clen = sizeof(c);
	size_t dlen = EVP_MD_get_size(md);
	char alg[64];
	uint32_t h;

	fill(key, klen, 0x31);
	fill(in, sizeof(in), 0x77);
	ASSERT_EQ(0, import_key(fd, type, EXP | VHSM_USAGE_MAC, 0700, "t.hmac", key, klen, &h));
	ASSERT_EQ(0, get_token(fd, h, tok));
	snprintf(alg, sizeof(alg), "vhsm(%s)", inner);
	ASSERT_EQ((ssize_t)dlen, mac(alg, tok, sizeof(tok), in, sizeof(in), a, dlen));
	ASSERT_EQ((ssize_t)dlen, mac(inner, key, klen, in, sizeof(in), b, dlen));
	ASSERT_NE(NULL, HMAC(md, key, klen, in, sizeof(in), c, &clen));
	EXPECT_EQ(0, memcmp(a, b, dlen));
	EXPECT_EQ(0, memcmp(a, c, dlen));
	ASSERT_EQ(0, ko_destroy(fd, h));
}

TEST_F(tmpl, hmac_matches_kernel_and_openssl)
{
	hmac_vs(_metadata, self->fd, "hmac(sha256)", VHSM_KEY_HMAC_SHA256, 32, EVP_sha256());
	hmac_vs(_metadata, self->fd, "hmac(sha384)", VHSM_KEY_HMAC_SHA384, 48, EVP_sha384());
}

/* setkey refuses: destroyed key, missing usage, wrong type, malformed token */
TEST_F(tmpl, setkey_refusals)
{
	uint8_t key[32], tok[VHSM_TOKEN_LEN];
	uint32_t h;

	fill(key, sizeof(key), 0x99);
	/* a destroyed key: the token names nothing, even when the handle is reused */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0700, "t.gone", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	ASSERT_EQ(0, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	EXPECT_EQ(-ENOENT, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));

	/* without export-kernel; with it but without decrypt */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, ENCDEC, 0700, "t.noexp", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EPERM, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
	EXPECT_EQ(-EPERM, try_setkey("vhsm(cbc(aes))", tok, sizeof(tok)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | VHSM_USAGE_ENCRYPT, 0700,
				"t.encon", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EPERM, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));

	/* an HMAC key is not an AES key, an AES key is not an XTS key */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_HMAC_SHA256, EXP | VHSM_USAGE_MAC, 0700,
				"t.mac", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EOPNOTSUPP, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
	EXPECT_EQ(-EOPNOTSUPP, try_setkey("vhsm(hmac(sha384))", tok, sizeof(tok)));
	EXPECT_EQ(0, try_setkey("vhsm(hmac(sha256))", tok, sizeof(tok)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0700, "t.aes", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EOPNOTSUPP, try_setkey("vhsm(xts(aes))", tok, sizeof(tok)));

	/* malformed: short, long, wrong magic; raw key bytes are no token */
	EXPECT_EQ(-EINVAL, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok) - 1));
	EXPECT_EQ(-EINVAL, try_setkey("vhsm(cbc(aes))", key, 32));
	EXPECT_EQ(-EINVAL, try_setkey("vhsm(hmac(sha256))", key, 32));
	tok[0] ^= 1;
	EXPECT_EQ(-EINVAL, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));

	/* only the listed inner algorithms are wrapped */
	EXPECT_GT(0, try_setkey("vhsm(ctr(aes))", tok, sizeof(tok)));
}

/*
 * setkey with @tok as another uid, a member of the device's group (the
 * group= gid) when @in_group: 0 or -errno.
 */
static int setkey_as_other(const uint8_t tok[VHSM_TOKEN_LEN], int in_group)
{
	const char *g = getenv("VHSM_TEST_GID");
	gid_t gid = g ? (gid_t)strtoul(g, NULL, 10) : 0;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1000;
	if (!pid) {
		if (setgroups(in_group ? 1 : 0, &gid) || setgid(OTHER_UID) || setuid(OTHER_UID))
			_exit(200);
		_exit(-try_setkey("vhsm(gcm(aes))", tok, VHSM_TOKEN_LEN));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1001;
	return -WEXITSTATUS(status);
}

TEST_F(tmpl, another_users_key)
{
	ASSERT_NE(NULL, getenv("VHSM_TEST_GID"));
	uint8_t key[32], tok[VHSM_TOKEN_LEN];
	uint32_t h;

	fill(key, sizeof(key), 0xaa);
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0700, "t.mine", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-ENOENT, setkey_as_other(tok, 1));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	/* others may see it but not use it */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0704, "t.seen", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EACCES, setkey_as_other(tok, 1));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	/* others may use it, but GCM under their IVs needs caller-iv (they lack CAP_SYS_ADMIN) */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0705, "t.noiv", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(-EPERM, setkey_as_other(tok, 1));
	EXPECT_EQ(0, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));	/* root: CAP_SYS_ADMIN */
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	/* with caller-iv the same token keys their transform */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC | VHSM_USAGE_CALLER_IV,
				0705, "t.used", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	EXPECT_EQ(0, setkey_as_other(tok, 1));
	/* ... but not for a uid outside the device's group (the node's rule) */
	EXPECT_EQ(-EACCES, setkey_as_other(tok, 0));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
}

/* A keyed transform keeps working after destroy; a new setkey is refused. */
TEST_F(tmpl, keyed_tfm_outlives_destroy)
{
	uint8_t key[32], iv[12] = { 1 }, tok[VHSM_TOKEN_LEN], in[64], out[64 + 16];
	struct kcapi_handle *k = NULL;
	uint32_t h;

	fill(key, sizeof(key), 0xbb);
	fill(in, sizeof(in), 0xcc);
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0700, "t.live", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	ASSERT_EQ(0, kcapi_aead_init(&k, "vhsm(gcm(aes))", 0));
	ASSERT_EQ(0, kcapi_aead_setkey(k, tok, sizeof(tok)));
	ASSERT_EQ(0, kcapi_aead_settaglen(k, 16));
	kcapi_aead_setassoclen(k, 0);
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	EXPECT_EQ((ssize_t)sizeof(out), kcapi_aead_encrypt(k, in, sizeof(in), iv, out, sizeof(out),
							   KCAPI_ACCESS_HEURISTIC));
	kcapi_aead_destroy(k);
	EXPECT_EQ(-ENOENT, try_setkey("vhsm(gcm(aes))", tok, sizeof(tok)));
}

/* libvhsm's bulk API: GCM and XTS/CBC through the template, checked against the raw kernel */
TEST_F(tmpl, libvhsm_bulk)
{
	uint8_t key[64], iv[16], tag[16], aad[13], *in, *ct, *back;
	struct vhsm_bulk *b = NULL;
	struct vhsm *v = NULL;
	size_t n = VHSM_BULK_MAX_LEN - sizeof(aad);
	uint32_t h;

	in = malloc(VHSM_BULK_MAX_LEN + 16);
	ct = malloc(VHSM_BULK_MAX_LEN + 16);
	back = malloc(VHSM_BULK_MAX_LEN + 16);
	ASSERT_TRUE(in && ct && back);
	ASSERT_EQ(0, vhsm_open(&v, vhsm_test_device()));
	fill(key, sizeof(key), 0x5a);
	fill(iv, sizeof(iv), 0x6b);
	fill(aad, sizeof(aad), 0x7c);

	/* GCM: the bulk output is the kernel's gcm(aes) with the key bytes */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_GCM, EXP | ENCDEC, 0700, "t.bulk", key, 32, &h));
	ASSERT_EQ(0, vhsm_bulk_aead_open(v, h, &b));
	fill(in, n, 0x8d);
	ASSERT_EQ(0, vhsm_bulk_aead_encrypt(b, iv, aad, sizeof(aad), in, n, ct, tag));
	memcpy(back, aad, sizeof(aad));
	memcpy(back + sizeof(aad), in, n);
	{
		uint8_t *ref = malloc(VHSM_BULK_MAX_LEN + 16);

		ASSERT_NE(NULL, ref);
		ASSERT_EQ((ssize_t)(sizeof(aad) + n + 16),
			  gcm("gcm(aes)", key, 32, 1, iv, sizeof(aad), back, sizeof(aad) + n,
			      ref, sizeof(aad) + n + 16));
		EXPECT_EQ(0, memcmp(ref + sizeof(aad), ct, n));
		EXPECT_EQ(0, memcmp(ref + sizeof(aad) + n, tag, 16));
		free(ref);
	}
	memset(back, 0, n);
	ASSERT_EQ(0, vhsm_bulk_aead_decrypt(b, iv, aad, sizeof(aad), ct, n, tag, back));
	EXPECT_EQ(0, memcmp(in, back, n));
	ct[7] ^= 0x40;
	EXPECT_EQ(-EBADMSG, vhsm_bulk_aead_decrypt(b, iv, aad, sizeof(aad), ct, n, tag, back));
	EXPECT_EQ(-E2BIG, vhsm_bulk_aead_encrypt(b, iv, aad, sizeof(aad), in, n + 1, ct, tag));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_encrypt(b, iv, in, 16, ct));
	vhsm_bulk_close(b);
	b = NULL;

	/* CBC with the same key */
	ASSERT_EQ(0, vhsm_bulk_skcipher_open(v, h, "cbc", &b));
	ASSERT_EQ(0, vhsm_bulk_skcipher_encrypt(b, iv, in, 4096, ct));
	ASSERT_EQ(4096, cipher("cbc(aes)", key, 32, 1, iv, in, 4096, back));
	EXPECT_EQ(0, memcmp(ct, back, 4096));
	ASSERT_EQ(0, vhsm_bulk_skcipher_decrypt(b, iv, ct, 4096, back));
	EXPECT_EQ(0, memcmp(in, back, 4096));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_encrypt(b, iv, in, 15, ct));
	vhsm_bulk_close(b);
	b = NULL;
	EXPECT_EQ(-EOPNOTSUPP, vhsm_bulk_skcipher_open(v, h, "xts", &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open(v, h, "ecb", &b));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	EXPECT_EQ(-ENOENT, vhsm_bulk_aead_open(v, h, &b));

	/* XTS with a 64-byte key, over a full VHSM_BULK_MAX_LEN */
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_AES256_XTS, EXP, 0700, "t.bulkx", key, 64, &h));
	ASSERT_EQ(0, vhsm_bulk_skcipher_open(v, h, "xts", &b));
	fill(in, VHSM_BULK_MAX_LEN, 0x9e);
	ASSERT_EQ(0, vhsm_bulk_skcipher_encrypt(b, iv, in, VHSM_BULK_MAX_LEN, ct));
	ASSERT_EQ(VHSM_BULK_MAX_LEN, cipher("xts(aes)", key, 64, 1, iv, in, VHSM_BULK_MAX_LEN, back));
	EXPECT_EQ(0, memcmp(ct, back, VHSM_BULK_MAX_LEN));
	ASSERT_EQ(0, vhsm_bulk_skcipher_decrypt(b, iv, ct, VHSM_BULK_MAX_LEN, back));
	EXPECT_EQ(0, memcmp(in, back, VHSM_BULK_MAX_LEN));
	vhsm_bulk_close(b);
	ASSERT_EQ(0, ko_destroy(self->fd, h));

	vhsm_close(v);
	free(in);
	free(ct);
	free(back);
}

#ifndef ALG_SET_KEY_BY_KEY_SERIAL
#define ALG_SET_KEY_BY_KEY_SERIAL 7
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif

/*
 * HMAC of @in through a raw AF_ALG hash socket bound to @alg and keyed by the
 * key with @serial (ALG_SET_KEY_BY_KEY_SERIAL): 0 or -errno.
 */
static int hmac_by_serial(const char *alg, int32_t serial, const void *in, size_t len,
			  uint8_t *out, size_t out_len)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "hash" };
	int tfm, op = -1, ret = 0;

	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", alg);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return -errno;
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY_BY_KEY_SERIAL, &serial, sizeof(serial)))
		ret = -errno;
	if (!ret && (op = accept(tfm, NULL, NULL)) < 0)
		ret = -errno;
	if (!ret && (write(op, in, len) != (ssize_t)len || read(op, out, out_len) != (ssize_t)out_len))
		ret = -EIO;
	if (op >= 0)
		close(op);
	close(tfm);
	return ret;
}

/* AF_ALG by key serial: a logon key holding the token keys vhsm(hmac(sha256)) */
TEST_F(tmpl, key_serial_logon_token)
{
	uint8_t key[32], tok[VHSM_TOKEN_LEN], in[100], a[32], b[32];
	unsigned int blen = sizeof(b);
	int32_t serial;
	uint32_t h;
	int ret;

	fill(key, sizeof(key), 0x42);
	fill(in, sizeof(in), 0x24);
	ASSERT_EQ(0, import_key(self->fd, VHSM_KEY_HMAC_SHA256, EXP | VHSM_USAGE_MAC, 0700,
				"t.serial", key, 32, &h));
	ASSERT_EQ(0, get_token(self->fd, h, tok));
	serial = syscall(SYS_add_key, "logon", "vhsm-token:t.serial", tok, sizeof(tok),
			 KEY_SPEC_USER_KEYRING);
	ASSERT_LT(0, serial);
	ret = hmac_by_serial("vhsm(hmac(sha256))", serial, in, sizeof(in), a, sizeof(a));
	if (ret == -ENOPROTOOPT) {
		/* the kernel's AF_ALG, not vhsm: README "Supported kernels" */
		ko_destroy(self->fd, h);
		syscall(SYS_keyctl, KEYCTL_UNLINK, serial, KEY_SPEC_USER_KEYRING);
		SKIP(return, "this kernel's AF_ALG has no ALG_SET_KEY_BY_KEY_SERIAL (6.2+)");
	}
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, HMAC(EVP_sha256(), key, 32, in, sizeof(in), b, &blen));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	ASSERT_EQ(0, ko_destroy(self->fd, h));
	EXPECT_EQ(-ENOENT, hmac_by_serial("vhsm(hmac(sha256))", serial, in, sizeof(in), a, sizeof(a)));
	syscall(SYS_keyctl, KEYCTL_UNLINK, serial, KEY_SPEC_USER_KEYRING);
}

TEST_HARNESS_MAIN
