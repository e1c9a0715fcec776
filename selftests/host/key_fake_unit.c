// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm and the vhsm-tool key commands end to end against a fake module: this
 * file defines ioctl(2), which the linker prefers over libc's, and answers the
 * key store ioctls from memory with toy "crypto" (XOR streams and FNV hashes:
 * enough to check marshalling, file formats, error paths and exit codes, not
 * the cryptography, which the VM tests cover). Built with ASan and UBSan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <vhsm/vhsm.h>

#include "container.h"
#include "encoding.h"
#include "kselftest_harness.h"
#include "subcommands.h"
#include "vhsm_test.h"

/* ---- the fake module ------------------------------------------------------ */

#define FAKE_KEYS	600	/* more than two VHSM_IOC_KEY_LIST chunks */

struct fake_key {
	int used;
	struct vhsm_key_attr attr;
	uint32_t origin;
	uint32_t public_only;
	uint8_t secret[32];
	uint8_t point[65];
};

static struct fake_key keys[FAKE_KEYS + 1];
static uint32_t fake_max_data = 4096;
static uint32_t fake_iv_counter;
static int fake_calls;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* N bytes of toy keyed hash over (key, a, b). */
static void toy_hash(uint8_t *out, size_t n, const void *key, size_t klen,
		     const void *a, size_t alen, const void *b, size_t blen)
{
	uint64_t h;
	size_t i;

	for (i = 0; i < n; i++) {
		h = fnv(0xcbf29ce484222325ULL + i, key, klen);
		h = fnv(h, a, alen);
		h = fnv(h, b, blen);
		out[i] = (uint8_t)(h >> 24);
	}
}

static struct fake_key *find(uint32_t handle)
{
	if (!handle || handle > FAKE_KEYS || !keys[handle].used)
		return NULL;
	return &keys[handle];
}

static int key_for(uint32_t handle, uint32_t usage, struct fake_key **k)
{
	*k = find(handle);
	if (!*k)
		return -ENOENT;
	if (!((*k)->attr.usage & usage))
		return -EPERM;
	return 0;
}

/* the uncompressed point of a fresh P-256 key; 0 or -1 */
static int fake_point(uint8_t point[65])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	size_t n = 0;
	int ok = k && EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, point,
						      65, &n) && n == 65 && point[0] == 0x04;

	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static int new_key(const struct vhsm_key_attr *attr, uint32_t origin,
		   uint32_t *handle)
{
	uint32_t h;

	if (!attr->type || attr->type >= __VHSM_KEY_TYPE_MAX || !attr->usage ||
	    (attr->usage & ~VHSM_USAGE_ALL) || attr->mode > 0777 ||
	    vhsm_key_label_check(attr->label))
		return -EINVAL;
	for (h = 1; h <= FAKE_KEYS; h++)
		if (keys[h].used && !strcmp(keys[h].attr.label, attr->label))
			return -EEXIST;
	for (h = 1; h <= FAKE_KEYS; h++)
		if (!keys[h].used)
			break;
	if (h > FAKE_KEYS)
		return -EDQUOT;
	memset(&keys[h], 0, sizeof(keys[h]));
	keys[h].used = 1;
	keys[h].attr = *attr;
	keys[h].origin = origin;
	toy_hash(keys[h].secret, sizeof(keys[h].secret), &h, sizeof(h), "k", 1, "", 0);
	/* a real P-256 point: vhsm-tool takes public keys through OpenSSL */
	if (fake_point(keys[h].point))
		return -ENOMEM;
	*handle = h;
	return 0;
}

static int fake_aead(struct vhsm_aead *a)
{
	uint32_t usage = a->flags & VHSM_AEAD_F_DECRYPT ? VHSM_USAGE_DECRYPT :
			 VHSM_USAGE_ENCRYPT;
	const uint8_t *in = (const uint8_t *)(uintptr_t)a->in_ptr;
	uint8_t *out = (uint8_t *)(uintptr_t)a->out_ptr, *ks, tag[16];
	const void *ct;
	struct fake_key *k;
	int ret = key_for(a->handle, usage, &k);

	if (ret)
		return ret;
	if (k->attr.type != VHSM_KEY_AES128_GCM && k->attr.type != VHSM_KEY_AES256_GCM)
		return -EOPNOTSUPP;
	if (a->in_len > fake_max_data || a->aad_len > fake_max_data)
		return -E2BIG;
	if (a->out_len < a->in_len) {
		a->out_len = a->in_len;
		return -ENOSPC;
	}
	if (!(a->flags & (VHSM_AEAD_F_DECRYPT | VHSM_AEAD_F_CALLER_IV))) {
		memset(a->iv, 0, sizeof(a->iv));
		memcpy(a->iv, &fake_iv_counter, sizeof(fake_iv_counter));
		fake_iv_counter++;
	}
	ks = malloc(a->in_len + 1);
	toy_hash(ks, a->in_len, k->secret, 32, a->iv, 12, "ks", 2);
	ct = a->flags & VHSM_AEAD_F_DECRYPT ? (const void *)in : (const void *)out;
	if (a->flags & VHSM_AEAD_F_DECRYPT) {
		uint8_t *aadct = malloc(a->aad_len + a->in_len + 1);

		if (a->aad_len)
			memcpy(aadct, (void *)(uintptr_t)a->aad_ptr, a->aad_len);
		if (a->in_len)
			memcpy(aadct + a->aad_len, ct, a->in_len);
		toy_hash(tag, 16, k->secret, 32, a->iv, 12, aadct, a->aad_len + a->in_len);
		free(aadct);
		if (memcmp(tag, a->tag, 16)) {
			free(ks);
			return -EBADMSG;
		}
	}
	for (uint32_t i = 0; i < a->in_len; i++)
		out[i] = in[i] ^ ks[i];
	free(ks);
	if (!(a->flags & VHSM_AEAD_F_DECRYPT)) {
		uint8_t *aadct = malloc(a->aad_len + a->in_len + 1);

		if (a->aad_len)
			memcpy(aadct, (void *)(uintptr_t)a->aad_ptr, a->aad_len);
		if (a->in_len)
			memcpy(aadct + a->aad_len, ct, a->in_len);
		toy_hash(a->tag, 16, k->secret, 32, a->iv, 12, aadct, a->aad_len + a->in_len);
		free(aadct);
	}
	a->out_len = a->in_len;
	return 0;
}

static int fake_mac(struct vhsm_mac *m)
{
	uint8_t mac[VHSM_MAC_MAX];
	struct fake_key *k;
	uint32_t n;
	int ret = key_for(m->handle, VHSM_USAGE_MAC, &k);

	if (ret)
		return ret;
	if (k->attr.type != VHSM_KEY_HMAC_SHA256 && k->attr.type != VHSM_KEY_HMAC_SHA384)
		return -EOPNOTSUPP;
	n = k->attr.type == VHSM_KEY_HMAC_SHA256 ? 32 : 48;
	toy_hash(mac, n, k->secret, 32, (void *)(uintptr_t)m->data_ptr,
		 m->data_len, "mac", 3);
	if (m->flags & VHSM_MAC_F_VERIFY) {
		if (m->mac_len != n)
			return -EINVAL;
		return memcmp(mac, m->mac, n) ? -EBADMSG : 0;
	}
	memcpy(m->mac, mac, n);
	m->mac_len = n;
	return 0;
}

/* Toy signature: a hash of the public point and the data; DER adds a 0x30. */
static int fake_sig(struct vhsm_sig *s, int verify)
{
	uint8_t sig[VHSM_SIG_MAX];
	struct fake_key *k;
	uint32_t n;
	int ret = key_for(s->handle, verify ? VHSM_USAGE_VERIFY : VHSM_USAGE_SIGN, &k);

	if (ret)
		return ret;
	if (k->attr.type != VHSM_KEY_EC_P256)
		return -EOPNOTSUPP;
	if ((s->flags & VHSM_SIG_F_DIGEST) && s->data_len != 32)
		return -EINVAL;
	n = s->flags & VHSM_SIG_F_DER ? 70 : 64;
	toy_hash(sig, n, k->point, 65, (void *)(uintptr_t)s->data_ptr, s->data_len,
		 &s->flags, sizeof(s->flags));
	if (s->flags & VHSM_SIG_F_DER)
		sig[0] = 0x30;
	if (verify)
		return s->sig_len == n &&
		       !memcmp(sig, (void *)(uintptr_t)s->sig_ptr, n) ? 0 : -EBADMSG;
	if (s->sig_len < n) {
		s->sig_len = n;
		return -ENOSPC;
	}
	memcpy((void *)(uintptr_t)s->sig_ptr, sig, n);
	s->sig_len = n;
	return 0;
}

static int fake_ioctl(unsigned long req, void *arg)
{
	static const uint8_t spki_p256[26] = {
		0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
		0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
		0x07, 0x03, 0x42, 0x00,
	};
	struct fake_key *k;
	uint32_t h;
	int ret;

	switch (req) {
	case VHSM_IOC_INFO: {
		struct vhsm_info *i = arg;

		i->abi_version = 1;
		i->capabilities = VHSM_CAP_KEYSTORE;
		i->limits.max_keys = FAKE_KEYS;
		i->limits.max_data_len = fake_max_data;
		return 0;
	}
	case VHSM_IOC_KEY_GENERATE: {
		struct vhsm_key_generate *g = arg;

		return new_key(&g->attr, VHSM_ORIGIN_GENERATED, &g->handle);
	}
	case VHSM_IOC_KEY_IMPORT: {
		struct vhsm_key_import *im = arg;

		if (!(im->flags & VHSM_IMPORT_F_PUBLIC))
			return -EPERM;	/* allow_plain_import=0 */
		if (im->material_len != 65 || im->attr.usage != VHSM_USAGE_VERIFY)
			return -EINVAL;
		ret = new_key(&im->attr, VHSM_ORIGIN_IMPORTED, &im->handle);
		if (ret)
			return ret;
		keys[im->handle].public_only = 1;
		memcpy(keys[im->handle].point, (void *)(uintptr_t)im->material_ptr, 65);
		return 0;
	}
	case VHSM_IOC_KEY_DESTROY: {
		struct vhsm_key_destroy *d = arg;

		k = find(d->handle);
		if (!k)
			return -ENOENT;
		if (!(k->attr.mode & (VHSM_MODE_DESTROY << 6)))
			return -EACCES;
		k->used = 0;
		return 0;
	}
	case VHSM_IOC_KEY_INFO: {
		struct vhsm_key_info *i = arg;

		k = find(i->handle);
		if (!k)
			return -ENOENT;
		i->origin = k->origin;
		i->owner_uid = 1000;
		i->owner_gid = 1000;
		i->created = 1700000000;
		i->public_only = k->public_only;
		i->attr = k->attr;
		return 0;
	}
	case VHSM_IOC_KEY_LOOKUP: {
		struct vhsm_key_lookup *l = arg;

		for (h = 1; h <= FAKE_KEYS; h++)
			if (keys[h].used && !strcmp(keys[h].attr.label, l->label)) {
				l->handle = h;
				return 0;
			}
		return -ENOENT;
	}
	case VHSM_IOC_KEY_LIST: {
		struct vhsm_key_list *l = arg;
		uint32_t *out = (uint32_t *)(uintptr_t)l->handles_ptr, cap = l->count;

		if (cap > VHSM_KEY_LIST_MAX)
			return -EINVAL;
		l->count = 0;
		l->more = 0;
		for (h = l->cursor + 1; h <= FAKE_KEYS; h++) {
			if (!keys[h].used)
				continue;
			if (l->count == cap) {
				l->more = 1;
				break;
			}
			out[l->count++] = h;
			l->cursor = h;
		}
		return 0;
	}
	case VHSM_IOC_AEAD:
		return fake_aead(arg);
	case VHSM_IOC_MAC:
		return fake_mac(arg);
	case VHSM_IOC_SIGN:
		return fake_sig(arg, 0);
	case VHSM_IOC_VERIFY:
		return fake_sig(arg, 1);
	case VHSM_IOC_PUBKEY: {
		struct vhsm_pubkey *p = arg;
		uint32_t n = p->flags & VHSM_PUBKEY_F_SPKI ? 91 : 65;
		uint8_t *buf = (uint8_t *)(uintptr_t)p->buf_ptr;

		k = find(p->handle);
		if (!k)
			return -ENOENT;
		if (k->attr.type != VHSM_KEY_EC_P256)
			return -EOPNOTSUPP;
		if (p->buf_len < n) {
			p->buf_len = n;
			return -ENOSPC;
		}
		if (n == 91)
			memcpy(buf, spki_p256, 26);
		memcpy(buf + n - 65, k->point, 65);
		p->buf_len = n;
		return 0;
	}
	default:
		return -ENOTTY;
	}
}

/* Every size the library passes is its struct's full ABI 1 size. */
static int size_ok(unsigned long req, const void *arg)
{
	return *(const uint32_t *)arg == _IOC_SIZE(req);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	fake_calls++;
	if (_IOC_TYPE(req) != VHSM_IOC_MAGIC)
		ret = -ENOTTY;
	else if (!size_ok(req, arg))
		ret = -EINVAL;
	else
		ret = fake_ioctl(req, arg);
	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* ---- helpers ----------------------------------------------------------------- */

static char tmpdir[64];

static const char *path(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static void put_file(const char *name, const void *data, size_t len)
{
	int fd = open(path(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Contents of a file, NUL-terminated, malloc()ed; *len without the NUL. */
static char *get_file(const char *name, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path(name), O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = calloc(1, (size_t)st.st_size + 1);
	if (read(fd, buf, (size_t)st.st_size) != st.st_size)
		abort();
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* Run a subcommand with stdout in the file "stdout"; its exit code. */
static int run(int (*fn)(struct tool_ctx *, int, char **), ...)
{
	struct tool_ctx ctx = { .prog = "vhsm-tool", .device = "/dev/null" };
	char *argv[32];
	int argc = 0, rc, saved, fd;
	va_list ap;

	va_start(ap, fn);
	while ((argv[argc] = va_arg(ap, char *)) && argc < 30)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	rc = fn(&ctx, argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return rc;
}

static char *out_text(void)
{
	size_t n;

	return get_file("stdout", &n);
}

FIXTURE(fake) {
	struct vhsm *h;
};

FIXTURE_SETUP(fake)
{
	memset(keys, 0, sizeof(keys));
	fake_max_data = 4096;
	strcpy(tmpdir, "/tmp/vhsm-fake-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(tmpdir));
	ASSERT_EQ(0, vhsm_open(&self->h, "/dev/null"));
}

FIXTURE_TEARDOWN(fake)
{
	char cmd[128];

	vhsm_close(self->h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		TH_LOG("cannot remove %s", tmpdir);
}

/* ---- the library ----------------------------------------------------------- */

TEST_F(fake, generate_lookup_info_destroy)
{
	struct vhsm_key_attr attr;
	struct vhsm_key_info ki;
	uint32_t handle, found;

	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_AES256_GCM, 0, "disk"));
	ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &handle));
	EXPECT_EQ(-EEXIST, vhsm_key_generate(self->h, &attr, &found));
	ASSERT_EQ(0, vhsm_key_lookup(self->h, "disk", &found));
	EXPECT_EQ(handle, found);
	ASSERT_EQ(0, vhsm_key_resolve(self->h, "disk", &found));
	EXPECT_EQ(handle, found);
	EXPECT_EQ(-ENOENT, vhsm_key_resolve(self->h, "nope", &found));
	ASSERT_EQ(0, vhsm_key_info(self->h, handle, &ki));
	EXPECT_EQ(handle, ki.handle);
	EXPECT_EQ(VHSM_ORIGIN_GENERATED, ki.origin);
	EXPECT_EQ(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT, ki.attr.usage);
	EXPECT_EQ(0700, ki.attr.mode);
	EXPECT_STREQ("disk", ki.attr.label);
	ASSERT_EQ(0, vhsm_key_destroy(self->h, handle));
	EXPECT_EQ(-ENOENT, vhsm_key_info(self->h, handle, &ki));
	EXPECT_EQ(-ENOENT, vhsm_key_destroy(self->h, handle));
}

TEST_F(fake, list_walks_every_chunk)
{
	struct vhsm_key_attr attr;
	uint32_t *handles, h;
	char label[16];
	size_t n, i;

	ASSERT_EQ(0, vhsm_key_list(self->h, &handles, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NULL, handles);
	for (i = 0; i < FAKE_KEYS; i++) {
		snprintf(label, sizeof(label), "k%zu", i);
		ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_HMAC_SHA256, 0, label));
		ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &h));
	}
	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_HMAC_SHA256, 0, "one-more"));
	EXPECT_EQ(-EDQUOT, vhsm_key_generate(self->h, &attr, &h));
	/* holes */
	ASSERT_EQ(0, vhsm_key_destroy(self->h, 1));
	ASSERT_EQ(0, vhsm_key_destroy(self->h, 256));
	ASSERT_EQ(0, vhsm_key_destroy(self->h, 257));
	ASSERT_EQ(0, vhsm_key_destroy(self->h, FAKE_KEYS));
	fake_calls = 0;
	ASSERT_EQ(0, vhsm_key_list(self->h, &handles, &n));
	EXPECT_EQ(FAKE_KEYS - 4, n);
	EXPECT_EQ(3, fake_calls);	/* 256 per call */
	for (i = 1; i < n; i++)
		ASSERT_LT(handles[i - 1], handles[i]);
	EXPECT_EQ(2, handles[0]);
	EXPECT_EQ(FAKE_KEYS - 1, handles[n - 1]);
	free(handles);
}

TEST_F(fake, aead_round_trip_and_tamper)
{
	uint8_t iv[12], tag[16], ct[5], pt[5];
	struct vhsm_key_attr attr;
	uint32_t handle, mac_key;

	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_AES128_GCM, 0, "a"));
	ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &handle));
	ASSERT_EQ(0, vhsm_aead_encrypt(self->h, handle, "hdr", 3, "hello", 5, ct,
				       iv, tag, 0));
	ASSERT_EQ(0, vhsm_aead_decrypt(self->h, handle, "hdr", 3, ct, 5, pt, iv,
				       tag, 0));
	EXPECT_EQ(0, memcmp(pt, "hello", 5));
	EXPECT_EQ(-EBADMSG, vhsm_aead_decrypt(self->h, handle, "hdX", 3, ct, 5, pt,
					      iv, tag, 0));
	ct[0] ^= 1;
	EXPECT_EQ(-EBADMSG, vhsm_aead_decrypt(self->h, handle, "hdr", 3, ct, 5, pt,
					      iv, tag, 0));
	/* empty plaintext: a tag only */
	ASSERT_EQ(0, vhsm_aead_encrypt(self->h, handle, NULL, 0, NULL, 0, NULL, iv,
				       tag, 0));
	ASSERT_EQ(0, vhsm_aead_decrypt(self->h, handle, NULL, 0, NULL, 0, NULL, iv,
				       tag, 0));
	/* too much data, wrong key type */
	fake_max_data = 4;
	EXPECT_EQ(-E2BIG, vhsm_aead_encrypt(self->h, handle, NULL, 0, "hello", 5,
					    ct, iv, tag, 0));
	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_HMAC_SHA256, 0, "m"));
	attr.usage |= VHSM_USAGE_ENCRYPT;
	ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &mac_key));
	EXPECT_EQ(-EOPNOTSUPP, vhsm_aead_encrypt(self->h, mac_key, NULL, 0, "h", 1,
						 ct, iv, tag, 0));
}

TEST_F(fake, mac_and_sign)
{
	uint8_t mac[VHSM_MAC_MAX], sig[VHSM_SIG_MAX], pub[VHSM_PUBKEY_MAX];
	struct vhsm_key_attr attr;
	uint32_t m, s, p;
	size_t n;

	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_HMAC_SHA256, 0, "m"));
	ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &m));
	n = 16;
	EXPECT_EQ(-ENOSPC, vhsm_mac(self->h, m, "x", 1, mac, &n));
	EXPECT_EQ(32, n);
	ASSERT_EQ(0, vhsm_mac(self->h, m, "x", 1, mac, &n));
	EXPECT_EQ(0, vhsm_mac_verify(self->h, m, "x", 1, mac, n));
	EXPECT_EQ(-EBADMSG, vhsm_mac_verify(self->h, m, "y", 1, mac, n));

	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_EC_P256, 0, "s"));
	ASSERT_EQ(0, vhsm_key_generate(self->h, &attr, &s));
	EXPECT_EQ(-EPERM, vhsm_mac(self->h, s, "x", 1, mac, &n));
	n = 10;
	EXPECT_EQ(-ENOSPC, vhsm_sign(self->h, s, 0, "msg", 3, sig, &n));
	EXPECT_EQ(64, n);
	ASSERT_EQ(0, vhsm_sign(self->h, s, 0, "msg", 3, sig, &n));
	EXPECT_EQ(0, vhsm_verify(self->h, s, 0, "msg", 3, sig, n));
	EXPECT_EQ(-EBADMSG, vhsm_verify(self->h, s, 0, "msG", 3, sig, n));
	n = sizeof(pub);
	ASSERT_EQ(0, vhsm_pubkey(self->h, s, 0, pub, &n));
	EXPECT_EQ(65, n);
	/* the public half, imported, verifies what the private key signed */
	ASSERT_EQ(0, vhsm_key_attr_init(&attr, VHSM_KEY_EC_P256, 0, "p"));
	attr.usage = vhsm_key_default_usage(VHSM_KEY_EC_P256, VHSM_IMPORT_F_PUBLIC);
	ASSERT_EQ(0, vhsm_key_import(self->h, &attr, pub, 65, VHSM_IMPORT_F_PUBLIC, &p));
	n = sizeof(sig);
	ASSERT_EQ(0, vhsm_sign(self->h, s, 0, "msg", 3, sig, &n));
	EXPECT_EQ(0, vhsm_verify(self->h, p, 0, "msg", 3, sig, n));
	EXPECT_EQ(-EPERM, vhsm_sign(self->h, p, 0, "msg", 3, sig, &n));
}

/* ---- the tool -------------------------------------------------------------- */

TEST_F(fake, tool_keygen_show_list_destroy)
{
	char *out;

	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--type", "aes256",
			       "--label", "disk", NULL));
	out = out_text();
	EXPECT_STREQ("#1\n", out);
	free(out);
	ASSERT_EQ(TOOL_ERROR, run(keygen_main, "keygen", "--type", "aes256",
				  "--label", "disk", NULL));	/* EEXIST */
	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--json", "--type", "secret48",
			       "--label", "s", "--mode", "0750", NULL));
	out = out_text();
	EXPECT_NE(NULL, strstr(out, "\"handle\": 2"));
	free(out);

	ASSERT_EQ(TOOL_OK, run(show_main, "show", "s", NULL));
	out = out_text();
	EXPECT_NE(NULL, strstr(out, "secret48 (48 bytes)"));
	EXPECT_NE(NULL, strstr(out, "export-kernel"));
	EXPECT_NE(NULL, strstr(out, "0750"));
	free(out);
	ASSERT_EQ(TOOL_OK, run(show_main, "show", "#1", "--json", NULL));
	out = out_text();
	EXPECT_NE(NULL, strstr(out, "\"usage\": [\n    \"encrypt\",\n    \"decrypt\""));
	free(out);
	ASSERT_EQ(TOOL_OK, run(list_main, "list", NULL));
	out = out_text();
	EXPECT_NE(NULL, strstr(out, "LABEL\n#1 "));
	EXPECT_NE(NULL, strstr(out, " disk\n#2 "));
	free(out);
	ASSERT_EQ(TOOL_OK, run(list_main, "list", "--json", NULL));
	out = out_text();
	EXPECT_NE(NULL, strstr(out, "\"keys\": ["));
	free(out);

	EXPECT_EQ(TOOL_ERROR, run(show_main, "show", "nope", NULL));	/* not 4 */
	EXPECT_EQ(TOOL_ERROR, run(show_main, "show", "#99", NULL));
	ASSERT_EQ(TOOL_OK, run(destroy_main, "destroy", "disk", NULL));
	EXPECT_EQ(TOOL_ERROR, run(destroy_main, "destroy", "disk", NULL));
	keys[2].attr.mode = 0500;
	EXPECT_EQ(TOOL_REFUSED, run(destroy_main, "destroy", "#2", NULL));
}

TEST_F(fake, tool_encrypt_decrypt)
{
	char *ct, *pt;
	size_t n;

	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--type", "aes256",
			       "--label", "k", NULL));
	put_file("plain", "attack at dawn", 14);
	put_file("aad", "v1", 2);
	ASSERT_EQ(TOOL_OK, run(encrypt_main, "encrypt", "k", "--aad", path("aad"),
			       "-i", path("plain"), "-o", path("ct"), NULL));
	ct = get_file("ct", &n);
	ASSERT_NE(NULL, ct);
	ASSERT_EQ(CONTAINER_HDR_LEN + 14, n);
	EXPECT_EQ(0, memcmp(ct, "VHSMGCM1", 8));
	EXPECT_EQ(NULL, memmem(ct, n, "attack", 6));
	ASSERT_EQ(TOOL_OK, run(decrypt_main, "decrypt", "#1", "--aad", path("aad"),
			       "-i", path("ct"), "-o", path("pt"), NULL));
	pt = get_file("pt", &n);
	ASSERT_NE(NULL, pt);
	EXPECT_STREQ("attack at dawn", pt);
	free(pt);

	/* wrong AAD, no AAD, a flipped bit: refused (3), nothing written */
	unlink(path("pt"));
	EXPECT_EQ(TOOL_REFUSED, run(decrypt_main, "decrypt", "k", "-i", path("ct"),
				    "-o", path("pt"), NULL));
	EXPECT_NE(0, access(path("pt"), F_OK));
	ct[CONTAINER_HDR_LEN] ^= 1;
	put_file("bad", ct, CONTAINER_HDR_LEN + 14);
	EXPECT_EQ(TOOL_REFUSED, run(decrypt_main, "decrypt", "k", "--aad", path("aad"),
				    "-i", path("bad"), "-o", path("pt"), NULL));
	/* truncated, foreign */
	put_file("bad", ct, 20);
	EXPECT_EQ(TOOL_ERROR, run(decrypt_main, "decrypt", "k", "-i", path("bad"),
				  "-o", path("pt"), NULL));
	put_file("bad", "plain text, not ours", 20);
	EXPECT_EQ(TOOL_ERROR, run(decrypt_main, "decrypt", "k", "-i", path("bad"),
				  "-o", path("pt"), NULL));
	EXPECT_NE(0, access(path("pt"), F_OK));
	free(ct);

	/* empty input works; input above max_data_len is refused */
	put_file("empty", "", 0);
	ASSERT_EQ(TOOL_OK, run(encrypt_main, "encrypt", "k", "-i", path("empty"),
			       "-o", path("ct"), NULL));
	ASSERT_EQ(TOOL_OK, run(decrypt_main, "decrypt", "k", "-i", path("ct"),
			       "-o", path("pt"), NULL));
	fake_max_data = 10;
	EXPECT_EQ(TOOL_ERROR, run(encrypt_main, "encrypt", "k", "-i", path("plain"),
				  "-o", path("ct"), NULL));
	EXPECT_EQ(TOOL_ERROR, run(encrypt_main, "encrypt", "nokey", "-i", path("plain"),
				  "-o", path("ct"), NULL));
}

TEST_F(fake, tool_sign_verify_pubkey_import)
{
	char *pem;
	size_t n;

	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--type", "p256",
			       "--label", "signer", NULL));
	put_file("msg", "to be signed", 12);
	ASSERT_EQ(TOOL_OK, run(sign_main, "sign", "signer", "-i", path("msg"),
			       "-o", path("sig"), NULL));
	free(get_file("sig", &n));
	EXPECT_EQ(64, n);
	EXPECT_EQ(TOOL_OK, run(verify_main, "verify", "signer", "--sig", path("sig"),
			       "-i", path("msg"), NULL));
	pem = out_text();
	EXPECT_STREQ("valid\n", pem);
	free(pem);
	put_file("msg2", "to be signeD", 12);
	EXPECT_EQ(TOOL_REFUSED, run(verify_main, "verify", "signer", "--sig",
				    path("sig"), "-i", path("msg2"), NULL));
	EXPECT_EQ(TOOL_REFUSED, run(verify_main, "verify", "--json", "signer", "--sig",
				    path("sig"), "-i", path("msg2"), NULL));
	pem = out_text();
	EXPECT_NE(NULL, strstr(pem, "\"valid\": false"));
	free(pem);
	/* DER, found by its length */
	ASSERT_EQ(TOOL_OK, run(sign_main, "sign", "signer", "--der", "-i", path("msg"),
			       "-o", path("sig"), NULL));
	EXPECT_EQ(TOOL_OK, run(verify_main, "verify", "signer", "--sig", path("sig"),
			       "-i", path("msg"), NULL));
	EXPECT_EQ(TOOL_REFUSED, run(verify_main, "verify", "signer", "--raw", "--sig",
				    path("sig"), "-i", path("msg"), NULL));
	put_file("sig", "", 0);
	EXPECT_EQ(TOOL_REFUSED, run(verify_main, "verify", "signer", "--sig",
				    path("sig"), "-i", path("msg"), NULL));
	/* --digest wants a hash */
	EXPECT_EQ(TOOL_ERROR, run(sign_main, "sign", "signer", "--digest", "-i",
				  path("msg"), "-o", path("sig"), NULL));

	/* pubkey (PEM), then import --public of it verifies the signature */
	ASSERT_EQ(TOOL_OK, run(pubkey_main, "pubkey", "signer", "-o", path("pub.pem"),
			       NULL));
	pem = get_file("pub.pem", &n);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(0, strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27));
	free(pem);
	ASSERT_EQ(TOOL_OK, run(pubkey_main, "pubkey", "signer", "--der", "-o",
			       path("pub.der"), NULL));
	free(get_file("pub.der", &n));
	EXPECT_EQ(91, n);
	ASSERT_EQ(TOOL_OK, run(import_main, "import", "--public", "--type", "p256",
			       "--label", "peer", "-i", path("pub.pem"), NULL));
	pem = out_text();
	EXPECT_STREQ("#2\n", pem);
	free(pem);
	ASSERT_EQ(TOOL_OK, run(sign_main, "sign", "signer", "-i", path("msg"),
			       "-o", path("sig"), NULL));
	EXPECT_EQ(TOOL_OK, run(verify_main, "verify", "peer", "--sig", path("sig"),
			       "-i", path("msg"), NULL));
	EXPECT_EQ(TOOL_ERROR, run(import_main, "import", "--public", "--type", "p384",
				  "--label", "peer2", "-i", path("pub.der"), NULL));
	/* secret import: the module says no (allow_plain_import=0) -> 3 */
	put_file("raw", "0123456789abcdef0123456789abcdef", 32);
	EXPECT_EQ(TOOL_REFUSED, run(import_main, "import", "--type", "aes256",
				    "--label", "imp", "-i", path("raw"), NULL));
	EXPECT_EQ(TOOL_ERROR, run(import_main, "import", "--type", "secret16",
				  "--label", "imp", "-i", path("raw"), NULL));
	EXPECT_EQ(TOOL_ERROR, run(pubkey_main, "pubkey", "nokey", "-o",
				  path("pub.pem"), NULL));
}

TEST_F(fake, tool_mac)
{
	size_t n;

	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--type", "hmac-sha256",
			       "--label", "m", NULL));
	put_file("msg", "data", 4);
	ASSERT_EQ(TOOL_OK, run(mac_main, "mac", "m", "-i", path("msg"), "-o",
			       path("mac"), NULL));
	free(get_file("mac", &n));
	EXPECT_EQ(32, n);
	/* a key without the usage flag is refused (3) */
	ASSERT_EQ(TOOL_OK, run(keygen_main, "keygen", "--type", "p256", "--label",
			       "s", "--usage", "verify", NULL));
	EXPECT_EQ(TOOL_REFUSED, run(sign_main, "sign", "s", "-i", path("msg"), "-o",
				    path("sig"), NULL));
}

TEST_HARNESS_MAIN
