// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Key tokens (VHSM_IOC_KEY_TOKEN) and export to kernel keyrings
 * (VHSM_IOC_KEY_EXPORT) through the raw ioctl ABI. What lands in a keyring is
 * checked by the kernel's own clients: AF_ALG keyed by key serial
 * (ALG_SET_KEY_BY_KEY_SERIAL) must compute what OpenSSL computes with the
 * known key bytes (logon export) or the token bytes (token export), and
 * /proc/keys must show fscrypt's payload layout. Needs root; turns
 * allow_plain_import on for one case.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_alg.h>
#include <linux/keyctl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

#ifndef ALG_SET_KEY_BY_KEY_SERIAL
#define ALG_SET_KEY_BY_KEY_SERIAL 7
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define NOBODY 65534
#define EXPORT (VHSM_USAGE_EXPORT_KERNEL)

_Static_assert(sizeof(struct vhsm_key_export) == VHSM_KEY_EXPORT_SIZE_VER0, "export size");
_Static_assert(offsetof(struct vhsm_key_export, keyring) == 16, "keyring");
_Static_assert(offsetof(struct vhsm_key_export, desc_ptr) == 24, "desc_ptr");
_Static_assert(offsetof(struct vhsm_key_export, __reserved) == 40, "__reserved");

static int32_t add_key_raw(const char *type, const char *desc, const void *data,
			   size_t len, int32_t ring)
{
	long r = syscall(SYS_add_key, type, desc, data, len, ring);

	return r < 0 ? -errno : (int32_t)r;
}

static long keyctl_raw(int cmd, unsigned long a, unsigned long b, unsigned long c)
{
	long r = syscall(SYS_keyctl, cmd, a, b, c, 0);

	return r < 0 ? -errno : r;
}

static int token_of(int fd, uint32_t handle, uint8_t token[VHSM_TOKEN_LEN])
{
	struct vhsm_key_token t = { .size = sizeof(t), .handle = handle };
	int ret = ko_ioctl(fd, VHSM_IOC_KEY_TOKEN, &t);

	if (!ret)
		memcpy(token, t.token, VHSM_TOKEN_LEN);
	return ret;
}

static int export_raw(int fd, struct vhsm_key_export *e, uint32_t handle,
		      uint32_t as, int32_t ring, const char *desc)
{
	memset(e, 0, sizeof(*e));
	e->size = sizeof(*e);
	e->handle = handle;
	e->as = as;
	e->keyring = ring;
	e->desc_ptr = (uintptr_t)desc;
	e->desc_len = desc ? strlen(desc) : 0;
	return ko_ioctl(fd, VHSM_IOC_KEY_EXPORT, e);
}

static int export(int fd, uint32_t handle, uint32_t as, int32_t ring,
		  const char *desc, int32_t *serial)
{
	struct vhsm_key_export e;
	int ret = export_raw(fd, &e, handle, as, ring, desc);

	if (!ret && serial)
		*serial = e.serial;
	return ret;
}

/* "type;uid;gid;perm;description" of a key */
static int describe(int32_t serial, char *buf, size_t size)
{
	long n = keyctl_raw(KEYCTL_DESCRIBE, serial, (unsigned long)buf, size);

	return n < 0 ? (int)n : 0;
}

/* AF_ALG: one operation with a key named by serial; output length or -errno. */
static int af_alg_run(const char *type, const char *alg, int32_t serial,
		      const void *in, size_t len, void *out, size_t out_len)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	char cbuf[CMSG_SPACE(sizeof(uint32_t))] = { 0 };
	struct iovec iov = { .iov_base = (void *)in, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int tfm, op = -1, ret;
	ssize_t n;

	strcpy((char *)sa.salg_type, type);
	strcpy((char *)sa.salg_name, alg);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return -errno;
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY_BY_KEY_SERIAL, &serial, sizeof(serial))) {
		ret = -errno;
		goto out;
	}
	op = accept(tfm, NULL, 0);
	if (op < 0) {
		ret = -errno;
		goto out;
	}
	if (!strcmp(type, "skcipher")) {
		struct cmsghdr *c;

		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_OP;
		c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
		*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;
	}
	if (sendmsg(op, &msg, 0) != (ssize_t)len) {
		ret = -errno;
		goto out;
	}
	n = read(op, out, out_len);
	ret = n < 0 ? -errno : (int)n;
out:
	if (op >= 0)
		close(op);
	close(tfm);
	return ret;
}

static int set_plain_import(int on)
{
	FILE *f = fopen("/sys/module/vhsm/parameters/allow_plain_import", "w");

	if (!f)
		return -1;
	fputs(on ? "1\n" : "0\n", f);
	return fclose(f);
}

static gid_t device_group(void)
{
	const char *g = getenv("VHSM_TEST_GID");

	return g ? (gid_t)strtoul(g, NULL, 10) : 0;
}

FIXTURE(kr) {
	int fd;
	char prefix[32];
	char label[VHSM_LABEL_MAX];
	char desc[64];
};

FIXTURE_SETUP(kr)
{
	self->fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(self->prefix, sizeof(self->prefix), "kr%d", getpid());
	/* keys land in this process's own keyring, gone when the test ends */
	ASSERT_LT(0, keyctl_raw(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0));
}

FIXTURE_TEARDOWN(kr)
{
	close(self->fd);
}

static const char *lbl(FIXTURE_DATA(kr) *self, const char *name)
{
	snprintf(self->label, sizeof(self->label), "%.16s.%.32s", self->prefix, name);
	return self->label;
}

static const char *dsc(FIXTURE_DATA(kr) *self, const char *name)
{
	snprintf(self->desc, sizeof(self->desc), "vhsm:%.16s.%.32s", self->prefix, name);
	return self->desc;
}

TEST_F(kr, token_names_one_key_and_never_a_later_one)
{
	uint8_t t1[VHSM_TOKEN_LEN], t2[VHSM_TOKEN_LEN], t3[VHSM_TOKEN_LEN];
	struct vhsm_key_token bad;
	uint32_t h1, h2, h3;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "t1"), &h1));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "t2"), &h2));
	ASSERT_EQ(0, token_of(self->fd, h1, t1));
	ASSERT_EQ(0, token_of(self->fd, h2, t2));
	EXPECT_EQ(0, memcmp(t1, "vhT1", 4));
	EXPECT_EQ(h1, (uint32_t)(t1[4] | t1[5] << 8 | t1[6] << 16 | (uint32_t)t1[7] << 24));
	EXPECT_NE(0, memcmp(t1 + 8, t2 + 8, 8));	/* distinct ids */
	/* the same label again after destroy: another key, another token */
	ASSERT_EQ(0, ko_destroy(self->fd, h1));
	EXPECT_EQ(-ENOENT, token_of(self->fd, h1, t3));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "t1"), &h3));
	ASSERT_EQ(0, token_of(self->fd, h3, t3));
	EXPECT_NE(0, memcmp(t1, t3, VHSM_TOKEN_LEN));
	EXPECT_NE(0, memcmp(t1 + 8, t3 + 8, 8));

	memset(&bad, 0, sizeof(bad));
	bad.size = sizeof(bad);
	bad.handle = h2;
	bad.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_KEY_TOKEN, &bad));
	bad.flags = 0;
	bad.token[3] = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_TOKEN, &bad));
	EXPECT_EQ(0, ko_destroy(self->fd, h2));
	EXPECT_EQ(0, ko_destroy(self->fd, h3));
}

TEST_F(kr, export_checks_every_field)
{
	struct vhsm_key_export e;
	char longdesc[VHSM_EXPORT_DESC_MAX + 2];
	uint32_t h;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | EXPORT,
				 0700, lbl(self, "chk"), &h));
	export_raw(self->fd, &e, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING, "vhsm:x");
	e.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_KEY_EXPORT, &e));
	e.flags = 0;
	e.__pad = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_EXPORT, &e));
	e.__pad = 0;
	e.__reserved[1] = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_EXPORT, &e));
	e.__reserved[1] = 0;
	e.serial = 5;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_EXPORT, &e));
	e.serial = 0;
	e.desc_ptr = 8;
	EXPECT_EQ(-EFAULT, ko_ioctl(self->fd, VHSM_IOC_KEY_EXPORT, &e));

	EXPECT_EQ(-EINVAL, export(self->fd, h, 0, KEY_SPEC_PROCESS_KEYRING, "vhsm:x", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, 4, KEY_SPEC_PROCESS_KEYRING, "vhsm:x", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING, "", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  "noprefix", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  ":empty", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_TOKEN, KEY_SPEC_PROCESS_KEYRING,
				  "vhsm:with space", NULL));
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  "vhsm:tab\there", NULL));
	memset(longdesc, 'a', sizeof(longdesc) - 1);
	memcpy(longdesc, "vhsm:", 5);
	longdesc[sizeof(longdesc) - 1] = '\0';
	EXPECT_EQ(-EINVAL, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  longdesc, NULL));
	EXPECT_EQ(-ENOENT, export(self->fd, 0x7ffffff0, VHSM_EXPORT_LOGON,
				  KEY_SPEC_PROCESS_KEYRING, "vhsm:x", NULL));
	/* not a keyring serial at all */
	EXPECT_NE(0, export(self->fd, h, VHSM_EXPORT_LOGON, 0x7ffffff0, "vhsm:x", NULL));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(kr, export_needs_usage_mode_and_a_fitting_type)
{
	uint32_t plain, ec, aes, secret, nouse;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "plain"), &plain));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN | EXPORT, 0700,
				 lbl(self, "ec"), &ec));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | EXPORT,
				 0700, lbl(self, "aes"), &aes));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0700, lbl(self, "sec"),
				 &secret));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0600, lbl(self, "nouse"),
				 &nouse));

	EXPECT_EQ(-EPERM, export(self->fd, plain, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				 dsc(self, "plain"), NULL));
	EXPECT_EQ(-EPERM, export(self->fd, plain, VHSM_EXPORT_TOKEN, KEY_SPEC_PROCESS_KEYRING,
				 dsc(self, "plain"), NULL));
	EXPECT_EQ(-EOPNOTSUPP, export(self->fd, ec, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				      dsc(self, "ec"), NULL));
	EXPECT_EQ(-EOPNOTSUPP, export(self->fd, aes, VHSM_EXPORT_FSCRYPT,
				      KEY_SPEC_PROCESS_KEYRING, dsc(self, "aes"), NULL));
	EXPECT_EQ(-EACCES, export(self->fd, nouse, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  dsc(self, "nouse"), NULL));
	EXPECT_EQ(0, export(self->fd, secret, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
			    dsc(self, "sec"), NULL));
	EXPECT_EQ(-EEXIST, export(self->fd, secret, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				  dsc(self, "sec"), NULL));

	EXPECT_EQ(0, ko_destroy(self->fd, plain));
	EXPECT_EQ(0, ko_destroy(self->fd, ec));
	EXPECT_EQ(0, ko_destroy(self->fd, aes));
	EXPECT_EQ(0, ko_destroy(self->fd, secret));
	EXPECT_EQ(0, ko_destroy(self->fd, nouse));
}

TEST_F(kr, logon_export_carries_the_key_bytes_to_af_alg)
{
	static const uint8_t zero[16];
	uint8_t key[32], want[16], got[16], expect_perm_desc[256];
	char d[256], ref[256];
	struct vhsm_key_attr a;
	int32_t serial, plain_serial;
	EVP_CIPHER_CTX *c;
	uint32_t h;
	int n;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	for (n = 0; n < 32; n++)
		key[n] = (uint8_t)(n * 7 + 1);
	ASSERT_EQ(0, set_plain_import(1));
	ko_attr(&a, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | EXPORT, 0700, lbl(self, "kat"));
	a.key_len = 32;
	ASSERT_EQ(0, ko_import(self->fd, 0, &a, key, 32, &h));
	ASSERT_EQ(0, set_plain_import(0));
	ASSERT_EQ(0, export(self->fd, h, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
			    dsc(self, "kat"), &serial));
	ASSERT_LT(0, serial);

	/* a logon key like keyctl's: same owner and permissions */
	ASSERT_EQ(0, describe(serial, d, sizeof(d)));
	plain_serial = add_key_raw("logon", "vhsm:reference", key, 32, KEY_SPEC_PROCESS_KEYRING);
	ASSERT_LT(0, plain_serial);
	ASSERT_EQ(0, describe(plain_serial, ref, sizeof(ref)));
	snprintf((char *)expect_perm_desc, sizeof(expect_perm_desc), "%s", ref);
	*strrchr((char *)expect_perm_desc, ';') = '\0';
	*strrchr(d, ';') = '\0';
	EXPECT_STREQ((char *)expect_perm_desc, d);
	EXPECT_EQ(0, strncmp(d, "logon;", 6));
	/* logon keys cannot be read back */
	EXPECT_EQ(-EOPNOTSUPP, keyctl_raw(KEYCTL_READ, serial, (unsigned long)got, sizeof(got)));

	/* AES-256 of a zero block with the exported bytes equals OpenSSL's */
	n = af_alg_run("skcipher", "ecb(aes)", serial, zero, 16, got, 16);
	ASSERT_EQ(16, n) TH_LOG("AF_ALG: %s", strerror(-n));
	c = EVP_CIPHER_CTX_new();
	ASSERT_NE(NULL, c);
	ASSERT_EQ(1, EVP_EncryptInit_ex(c, EVP_aes_256_ecb(), NULL, key, NULL));
	EVP_CIPHER_CTX_set_padding(c, 0);
	ASSERT_EQ(1, EVP_EncryptUpdate(c, want, &n, zero, 16));
	EVP_CIPHER_CTX_free(c);
	EXPECT_EQ(0, memcmp(want, got, 16));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(kr, token_export_carries_the_token_to_af_alg)
{
	static const char msg[] = "vhsm token";
	uint8_t token[VHSM_TOKEN_LEN], want[32], got[32];
	unsigned int wlen = 0;
	int32_t serial;
	uint32_t h;
	int n;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0700, lbl(self, "tok"), &h));
	ASSERT_EQ(0, token_of(self->fd, h, token));
	ASSERT_EQ(0, export(self->fd, h, VHSM_EXPORT_TOKEN, KEY_SPEC_PROCESS_KEYRING,
			    dsc(self, "tok"), &serial));
	n = af_alg_run("hash", "hmac(sha256)", serial, msg, strlen(msg), got, sizeof(got));
	ASSERT_EQ(32, n) TH_LOG("AF_ALG: %s", strerror(-n));
	ASSERT_NE(NULL, HMAC(EVP_sha256(), token, sizeof(token), (const uint8_t *)msg,
			     strlen(msg), want, &wlen));
	EXPECT_EQ(0, memcmp(want, got, 32));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(kr, fscrypt_export_has_fscrypts_v2_payload)
{
	char d[256], line[512], id[16];
	int32_t serial;
	uint32_t h;
	FILE *f;
	int found = 0;
	struct vhsm_key_attr a;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ko_attr(&a, VHSM_KEY_SECRET, EXPORT, 0700, lbl(self, "fs"));
	a.key_len = 64;
	ASSERT_EQ(0, ko_generate_attr(self->fd, &a, &h));
	ASSERT_EQ(0, export(self->fd, h, VHSM_EXPORT_FSCRYPT, KEY_SPEC_PROCESS_KEYRING,
			    "fscrypt-test", &serial));
	ASSERT_EQ(0, describe(serial, d, sizeof(d)));
	EXPECT_EQ(0, strncmp(d, "fscrypt-provisioning;", 21)) TH_LOG("%s", d);
	/* fscrypt's describe: "DESC: DATALEN [TYPE]": 8-byte header + 64, type 2 (v2) */
	snprintf(id, sizeof(id), "%08x ", serial);
	f = fopen("/proc/keys", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, id, 9)) {
			found = 1;
			EXPECT_NE(NULL, strstr(line, "fscrypt-test: 72 [2]")) TH_LOG("%s", line);
		}
	fclose(f);
	EXPECT_EQ(1, found);
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

struct other_ctx {
	uint32_t handle;
	int32_t ring;
};

/* As nobody (in the device group): export @c's key, into @c's ring or its own. */
static int other_export(const struct other_ctx *c, int own_ring)
{
	gid_t groups[1] = { device_group() };
	pid_t pid = fork();
	int status, fd, ret;

	if (pid == 0) {
		if (setgroups(1, groups) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		fd = open(vhsm_test_device(), O_RDWR);
		if (fd < 0)
			_exit(101);
		if (own_ring) {
			uint32_t mine;

			if (ko_generate(fd, VHSM_KEY_SECRET, EXPORT, 0700, "nobody.kr", &mine))
				_exit(102);
			ret = export(fd, mine, VHSM_EXPORT_LOGON, c->ring, "vhsm:nobody", NULL);
			ko_destroy(fd, mine);
		} else {
			ret = export(fd, c->handle, VHSM_EXPORT_LOGON, KEY_SPEC_PROCESS_KEYRING,
				     "vhsm:nobody", NULL);
		}
		_exit(-ret);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(kr, another_uid_may_not_export_a_key_or_write_a_foreign_keyring)
{
	struct other_ctx c = { 0 };
	uint32_t h0700, h0740;
	int32_t ring;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0700, lbl(self, "o1"), &h0700));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0704, lbl(self, "o2"), &h0740));
	c.handle = h0700;
	EXPECT_EQ(ENOENT, other_export(&c, 0));
	c.handle = h0740;			/* others may see, not use */
	EXPECT_EQ(EACCES, other_export(&c, 0));

	/* a keyring only this thread possesses: nobody may not write to it */
	ring = add_key_raw("keyring", lbl(self, "ring"), NULL, 0, KEY_SPEC_THREAD_KEYRING);
	ASSERT_LT(0, ring);
	ASSERT_EQ(0, keyctl_raw(KEYCTL_SETPERM, ring, 0x3f000000 /* possessor: all */, 0));
	c.ring = ring;
	EXPECT_EQ(EACCES, other_export(&c, 1));

	EXPECT_EQ(0, ko_destroy(self->fd, h0700));
	EXPECT_EQ(0, ko_destroy(self->fd, h0740));
}

TEST_F(kr, library_wrappers_match_the_ioctls)
{
	uint8_t raw[VHSM_TOKEN_LEN], lib[VHSM_TOKEN_LEN];
	int32_t serial = 0, ring;
	struct vhsm *h;
	char d[256];
	uint32_t k;

	VHSM_NEED_KEYRING_EXPORT(self->fd);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_SECRET, EXPORT, 0700, lbl(self, "lib"), &k));
	ASSERT_EQ(0, vhsm_open(&h, vhsm_test_device()));
	ASSERT_EQ(0, token_of(self->fd, k, raw));
	ASSERT_EQ(0, vhsm_key_token(h, k, lib));
	EXPECT_EQ(0, memcmp(raw, lib, VHSM_TOKEN_LEN));
	ASSERT_EQ(0, vhsm_keyring_parse("@p", &ring));
	ASSERT_EQ(0, vhsm_key_export(h, k, VHSM_EXPORT_TOKEN, ring, dsc(self, "lib"), &serial));
	ASSERT_LT(0, serial);
	ASSERT_EQ(0, describe(serial, d, sizeof(d)));
	EXPECT_EQ(0, strncmp(d, "logon;", 6));
	EXPECT_EQ(-EEXIST, vhsm_key_export(h, k, VHSM_EXPORT_TOKEN, ring, dsc(self, "lib"), &serial));
	EXPECT_EQ(-ENOENT, vhsm_key_token(h, 0x7ffffff0, lib));
	vhsm_close(h);
	EXPECT_EQ(0, ko_destroy(self->fd, k));
}

TEST_HARNESS_MAIN
