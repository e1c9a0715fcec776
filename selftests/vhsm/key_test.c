// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The key store and operations through the raw ioctl ABI: every key type,
 * every operation it supports, and every refusal with its documented errno.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

#define ALL_SYM (VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT)
#define EC_ALL (VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY | VHSM_USAGE_DERIVE)

FIXTURE(keys) {
	int fd;
	char prefix[32];
};

FIXTURE_SETUP(keys)
{
	self->fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(self->prefix, sizeof(self->prefix), "kt%d", getpid());
}

FIXTURE_TEARDOWN(keys)
{
	close(self->fd);
}

static const char *lbl(FIXTURE_DATA(keys) *self, const char *name)
{
	static char buf[VHSM_LABEL_MAX];

	snprintf(buf, sizeof(buf), "%s.%s", self->prefix, name);
	return buf;
}

static const struct {
	uint32_t type, usage, key_len;
} type_table[] = {
	{ VHSM_KEY_AES128_GCM, ALL_SYM, 16 },
	{ VHSM_KEY_AES256_GCM, ALL_SYM, 32 },
	{ VHSM_KEY_AES256_XTS, VHSM_USAGE_EXPORT_KERNEL, 64 },
	{ VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 32 },
	{ VHSM_KEY_HMAC_SHA384, VHSM_USAGE_MAC, 48 },
	{ VHSM_KEY_EC_P256, EC_ALL, 32 },
	{ VHSM_KEY_EC_P384, EC_ALL, 48 },
	{ VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL, 32 },
};

TEST_F(keys, generate_every_type_and_read_attributes)
{
	struct vhsm_key_info info;
	uint32_t h, found;
	size_t i;
	char name[16];

	for (i = 0; i < sizeof(type_table) / sizeof(type_table[0]); i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		ASSERT_EQ(0, ko_generate(self->fd, type_table[i].type, type_table[i].usage,
					 0750, lbl(self, name), &h)) TH_LOG("type %u", type_table[i].type);
		ASSERT_EQ(0, ko_info(self->fd, h, &info));
		EXPECT_EQ(h, info.handle);
		EXPECT_EQ(type_table[i].type, info.attr.type);
		EXPECT_EQ(type_table[i].usage, info.attr.usage);
		EXPECT_EQ(0750, info.attr.mode);
		EXPECT_EQ(type_table[i].key_len, info.attr.key_len);
		EXPECT_EQ(VHSM_ORIGIN_GENERATED, info.origin);
		EXPECT_EQ(getuid(), info.owner_uid);
		EXPECT_EQ(0, info.public_only);
		EXPECT_LE(labs(info.created - (int64_t)time(NULL)), 120);
		EXPECT_STREQ(lbl(self, name), info.attr.label);
		ASSERT_EQ(0, ko_lookup(self->fd, lbl(self, name), &found));
		EXPECT_EQ(h, found);
		EXPECT_EQ(1, ko_listed(self->fd, h));
		EXPECT_EQ(0, ko_destroy(self->fd, h));
		EXPECT_EQ(-ENOENT, ko_info(self->fd, h, &info));
		EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, name), &found));
		EXPECT_EQ(0, ko_listed(self->fd, h));
	}
}

TEST_F(keys, generate_rejects_bad_attributes)
{
	struct vhsm_key_generate g;
	struct vhsm_key_attr a;
	char long_label[VHSM_LABEL_MAX + 1];

	EXPECT_EQ(-EINVAL, ko_generate(self->fd, 0, ALL_SYM, 0700, lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, 99, ALL_SYM, 0700, lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, 0, 0700, lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_SIGN, 0700,
				       lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_ENCRYPT, 0700,
				       lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, 1U << 31, 0700,
				       lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_HMAC_SHA256,
				       VHSM_USAGE_MAC | VHSM_USAGE_CALLER_IV, 0700,
				       lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 01000,
				       lbl(self, "a"), NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, "", NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, "sp ace", NULL));
	EXPECT_EQ(-EINVAL, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, "new\nline", NULL));

	/* a label that fills all 64 bytes has no terminator */
	memset(long_label, 'x', sizeof(long_label));
	ko_attr(&a, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, "");
	memcpy(a.label, long_label, VHSM_LABEL_MAX);
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));
	/* garbage after the terminator */
	ko_attr(&a, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, "ok");
	a.label[10] = 'z';
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));

	/* key_len: fixed for AES and EC, 16..64 for secrets */
	ko_attr(&a, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, lbl(self, "a"));
	a.key_len = 16;
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));
	ko_attr(&a, VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL, 0700, lbl(self, "a"));
	a.key_len = 0;
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));
	a.key_len = 15;
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));
	a.key_len = 65;
	EXPECT_EQ(-EINVAL, ko_generate_attr(self->fd, &a, NULL));

	/* flags, reserved, output field set on input */
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	ko_attr(&g.attr, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, lbl(self, "a"));
	g.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_KEY_GENERATE, &g));
	g.flags = 0;
	g.__reserved[2] = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_GENERATE, &g));
	g.__reserved[2] = 0;
	g.handle = 5;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_GENERATE, &g));
	g.handle = 0;
	g.size = VHSM_KEY_GENERATE_SIZE_VER0 - 8;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_GENERATE, &g));
	/* nothing was created by any of this */
	EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, "a"), &g.handle));
}

TEST_F(keys, labels_are_unique_per_owner_and_handles_not_reused)
{
	uint32_t h1, h2, h3;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "dup"), &h1));
	EXPECT_EQ(-EEXIST, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700,
				       lbl(self, "dup"), &h2));
	ASSERT_EQ(0, ko_destroy(self->fd, h1));
	EXPECT_EQ(-ENOENT, ko_destroy(self->fd, h1));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "dup"), &h2));
	EXPECT_NE(h1, h2);
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "dup2"), &h3));
	EXPECT_NE(h1, h3);
	EXPECT_EQ(0, ko_destroy(self->fd, h2));
	EXPECT_EQ(0, ko_destroy(self->fd, h3));
	EXPECT_EQ(-ENOENT, ko_destroy(self->fd, 0));
	EXPECT_EQ(-ENOENT, ko_destroy(self->fd, 0xffffffff));
}

TEST_F(keys, list_pages_with_cursor)
{
	struct vhsm_key_list l = { .size = sizeof(l) };
	uint32_t h[5], got[8], one;
	int i, seen = 0;
	char name[8];

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700,
					 lbl(self, name), &h[i]));
	}
	/* one at a time, following the cursor */
	do {
		l.count = 1;
		l.handles_ptr = (uintptr_t)&one;
		l.more = 0;
		ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_KEY_LIST, &l));
		if (l.count) {
			EXPECT_EQ(one, l.cursor);
			for (i = 0; i < 5; i++)
				seen += one == h[i];
		}
	} while (l.more);
	EXPECT_EQ(5, seen);

	l.cursor = 0;
	l.count = VHSM_KEY_LIST_MAX + 1;
	l.handles_ptr = (uintptr_t)got;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_KEY_LIST, &l));
	l.count = 8;
	l.handles_ptr = 16;	/* unmapped */
	EXPECT_EQ(-EFAULT, ko_ioctl(self->fd, VHSM_IOC_KEY_LIST, &l));
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0, ko_destroy(self->fd, h[i]));
}

TEST_F(keys, aes_gcm_round_trip_and_tamper)
{
	static const char msg[] = "attack at dawn, bring the keys";
	static const char aad[] = "header";
	uint8_t ct[sizeof(msg)], pt[sizeof(msg)], iv[12], iv2[12], tag[16], tag2[16];
	uint32_t h;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, lbl(self, "gcm"), &h));
	ASSERT_EQ(0, ko_encrypt(self->fd, h, 0, aad, 6, msg, sizeof(msg), ct, iv, tag));
	EXPECT_NE(0, memcmp(ct, msg, sizeof(msg)));
	ASSERT_EQ(0, ko_decrypt(self->fd, h, aad, 6, ct, sizeof(ct), pt, iv, tag));
	EXPECT_EQ(0, memcmp(pt, msg, sizeof(msg)));

	/* the kernel picks a fresh IV each time */
	ASSERT_EQ(0, ko_encrypt(self->fd, h, 0, aad, 6, msg, sizeof(msg), ct, iv2, tag2));
	EXPECT_NE(0, memcmp(iv, iv2, 12));
	ASSERT_EQ(0, ko_encrypt(self->fd, h, 0, aad, 6, msg, sizeof(msg), ct, iv, tag));

	/* any change is caught, and nothing is written */
	memset(pt, 0xee, sizeof(pt));
	ct[3] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, aad, 6, ct, sizeof(ct), pt, iv, tag));
	ct[3] ^= 1;
	tag[15] ^= 0x80;
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, aad, 6, ct, sizeof(ct), pt, iv, tag));
	tag[15] ^= 0x80;
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, "HEADER", 6, ct, sizeof(ct), pt, iv, tag));
	iv[0] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, aad, 6, ct, sizeof(ct), pt, iv, tag));
	iv[0] ^= 1;
	EXPECT_EQ(0xee, pt[0]);
	EXPECT_EQ(0, ko_decrypt(self->fd, h, aad, 6, ct, sizeof(ct), pt, iv, tag));

	/* a caller-chosen IV is used as given */
	memset(iv, 0x42, 12);
	ASSERT_EQ(0, ko_encrypt(self->fd, h, VHSM_AEAD_F_CALLER_IV, NULL, 0, msg, sizeof(msg),
				ct, iv, tag));
	EXPECT_EQ(0x42, iv[11]);
	EXPECT_EQ(0, ko_decrypt(self->fd, h, NULL, 0, ct, sizeof(ct), pt, iv, tag));
	/* empty plaintext: the tag still authenticates the AAD */
	ASSERT_EQ(0, ko_encrypt(self->fd, h, 0, aad, 6, NULL, 0, NULL, iv, tag));
	EXPECT_EQ(0, ko_decrypt(self->fd, h, aad, 6, NULL, 0, NULL, iv, tag));
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, aad, 5, NULL, 0, NULL, iv, tag));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(keys, aead_refusals)
{
	struct vhsm_info info = { .size = sizeof(info) };
	uint8_t buf[64] = { 0 }, iv[12] = { 0 }, tag[16] = { 0 };
	struct vhsm_aead a;
	uint32_t enc_only, mac_key;
	uint8_t *big;

	ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_INFO, &info));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "enc"), &enc_only));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700,
				 lbl(self, "mac"), &mac_key));
	EXPECT_EQ(-EPERM, ko_decrypt(self->fd, enc_only, NULL, 0, buf, 16, buf, iv, tag));
	EXPECT_EQ(-EOPNOTSUPP, ko_encrypt(self->fd, mac_key, 0, NULL, 0, buf, 16, buf, iv, tag));
	EXPECT_EQ(-ENOENT, ko_encrypt(self->fd, 0x7ffffff0, 0, NULL, 0, buf, 16, buf, iv, tag));

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.handle = enc_only;
	a.in_len = 32;
	a.out_len = 16;
	a.in_ptr = a.out_ptr = (uintptr_t)buf;
	EXPECT_EQ(-ENOSPC, ko_ioctl(self->fd, VHSM_IOC_AEAD, &a));
	EXPECT_EQ(32, a.out_len);
	a.out_len = 32;
	a.flags = VHSM_AEAD_F_DECRYPT | VHSM_AEAD_F_CALLER_IV;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_AEAD, &a));
	a.flags = 1U << 5;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_AEAD, &a));
	a.flags = 0;
	a.__pad = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_AEAD, &a));
	a.__pad = 0;
	a.in_ptr = 8;
	EXPECT_EQ(-EFAULT, ko_ioctl(self->fd, VHSM_IOC_AEAD, &a));

	/* above max_data_len, for the data and for the AAD */
	big = calloc(1, info.limits.max_data_len + 1);
	ASSERT_NE(NULL, big);
	EXPECT_EQ(-E2BIG, ko_encrypt(self->fd, enc_only, 0, NULL, 0, big,
				     info.limits.max_data_len + 1, big, iv, tag));
	EXPECT_EQ(-E2BIG, ko_encrypt(self->fd, enc_only, 0, big, info.limits.max_data_len + 1,
				     buf, 16, buf, iv, tag));
	/* exactly max_data_len is fine */
	EXPECT_EQ(0, ko_encrypt(self->fd, enc_only, 0, NULL, 0, big,
				info.limits.max_data_len, big, iv, tag));
	free(big);
	EXPECT_EQ(0, ko_destroy(self->fd, enc_only));
	EXPECT_EQ(0, ko_destroy(self->fd, mac_key));
}

/*
 * The largest call, max_data_len of AAD and of data (2 x 256 KiB by default):
 * the module takes it in a kvmalloc'd buffer over a scatterlist of pages,
 * and the round trip gives the plaintext back, with every page checked.
 */
TEST_F(keys, aead_round_trip_at_max_data_len)
{
	struct vhsm_info info = { .size = sizeof(info) };
	uint8_t iv[12], tag[16], *aad, *pt, *ct, *back;
	uint32_t h, len, i;

	ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_INFO, &info));
	len = info.limits.max_data_len;
	aad = malloc(len);
	pt = malloc(len);
	ct = malloc(len);
	back = malloc(len);
	ASSERT_TRUE(aad && pt && ct && back);
	for (i = 0; i < len; i++) {
		aad[i] = (uint8_t)(i * 7 + 1);
		pt[i] = (uint8_t)(i * 13 + (i >> 12));
	}
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, ALL_SYM, 0700,
				 lbl(self, "max"), &h));
	ASSERT_EQ(0, ko_encrypt(self->fd, h, 0, aad, len, pt, len, ct, iv, tag));
	EXPECT_NE(0, memcmp(pt, ct, len));
	memset(back, 0, len);
	ASSERT_EQ(0, ko_decrypt(self->fd, h, aad, len, ct, len, back, iv, tag));
	EXPECT_EQ(0, memcmp(pt, back, len));
	/* a change in the last page of the AAD is caught */
	aad[len - 1] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_decrypt(self->fd, h, aad, len, ct, len, back, iv, tag));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
	free(aad);
	free(pt);
	free(ct);
	free(back);
}

TEST_F(keys, hmac_compute_and_verify)
{
	static const char msg[] = "message to authenticate";
	uint8_t mac[48], mac2[48];
	uint32_t h256, h384, aes, len, len2;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700,
				 lbl(self, "h256"), &h256));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_HMAC_SHA384, VHSM_USAGE_MAC, 0700,
				 lbl(self, "h384"), &h384));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "aes"), &aes));
	ASSERT_EQ(0, ko_mac(self->fd, h256, msg, sizeof(msg), mac, &len));
	EXPECT_EQ(32, len);
	ASSERT_EQ(0, ko_mac(self->fd, h256, msg, sizeof(msg), mac2, &len2));
	EXPECT_EQ(0, memcmp(mac, mac2, 32));
	EXPECT_EQ(0, ko_mac_verify(self->fd, h256, msg, sizeof(msg), mac, 32));
	mac[31] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_mac_verify(self->fd, h256, msg, sizeof(msg), mac, 32));
	mac[31] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_mac_verify(self->fd, h256, msg, sizeof(msg) - 1, mac, 32));
	EXPECT_EQ(-EINVAL, ko_mac_verify(self->fd, h256, msg, sizeof(msg), mac, 16));
	ASSERT_EQ(0, ko_mac(self->fd, h384, msg, sizeof(msg), mac, &len));
	EXPECT_EQ(48, len);
	EXPECT_EQ(0, ko_mac_verify(self->fd, h384, msg, sizeof(msg), mac, 48));
	EXPECT_EQ(-EOPNOTSUPP, ko_mac(self->fd, aes, msg, sizeof(msg), mac, &len));
	EXPECT_EQ(0, ko_destroy(self->fd, h256));
	EXPECT_EQ(0, ko_destroy(self->fd, h384));
	EXPECT_EQ(0, ko_destroy(self->fd, aes));
}

static void ecdsa_round_trip(struct __test_metadata *_metadata, int fd, uint32_t h,
			     uint32_t n)
{
	static const char msg[] = "sign me";
	uint8_t sig[VHSM_SIG_MAX], digest[48] = { 1, 2, 3 };
	uint32_t len = sizeof(sig);

	ASSERT_EQ(0, ko_sign(fd, h, 0, msg, sizeof(msg), sig, &len));
	EXPECT_EQ(2 * n, len);
	EXPECT_EQ(0, ko_verify(fd, h, 0, msg, sizeof(msg), sig, len));
	sig[5] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_verify(fd, h, 0, msg, sizeof(msg), sig, len));
	sig[5] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_verify(fd, h, 0, msg, sizeof(msg) - 1, sig, len));
	EXPECT_EQ(-EBADMSG, ko_verify(fd, h, 0, msg, sizeof(msg), sig, len - 1));

	len = sizeof(sig);
	ASSERT_EQ(0, ko_sign(fd, h, VHSM_SIG_F_DER, msg, sizeof(msg), sig, &len));
	EXPECT_EQ(0x30, sig[0]);
	EXPECT_EQ(0, ko_verify(fd, h, VHSM_SIG_F_DER, msg, sizeof(msg), sig, len));
	EXPECT_EQ(-EBADMSG, ko_verify(fd, h, VHSM_SIG_F_DER, msg, sizeof(msg), sig, len - 1));

	len = sizeof(sig);
	ASSERT_EQ(0, ko_sign(fd, h, VHSM_SIG_F_DIGEST, digest, n, sig, &len));
	EXPECT_EQ(0, ko_verify(fd, h, VHSM_SIG_F_DIGEST, digest, n, sig, len));
	EXPECT_EQ(-EINVAL, ko_sign(fd, h, VHSM_SIG_F_DIGEST, digest, n - 1, sig, &len));

	len = 8;
	EXPECT_EQ(-ENOSPC, ko_sign(fd, h, 0, msg, sizeof(msg), sig, &len));
	EXPECT_EQ(2 * n, len);
}

TEST_F(keys, ecdsa_p256_and_p384)
{
	uint32_t p256, p384;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, EC_ALL, 0700, lbl(self, "p256"), &p256));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P384, EC_ALL, 0700, lbl(self, "p384"), &p384));
	ecdsa_round_trip(_metadata, self->fd, p256, 32);
	ecdsa_round_trip(_metadata, self->fd, p384, 48);
	EXPECT_EQ(0, ko_destroy(self->fd, p256));
	EXPECT_EQ(0, ko_destroy(self->fd, p384));
}

TEST_F(keys, ecdsa_refusals)
{
	uint8_t sig[VHSM_SIG_MAX];
	uint32_t verify_only, aes, len = sizeof(sig);

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, VHSM_USAGE_VERIFY, 0700,
				 lbl(self, "vo"), &verify_only));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "aes"), &aes));
	EXPECT_EQ(-EPERM, ko_sign(self->fd, verify_only, 0, "x", 1, sig, &len));
	EXPECT_EQ(-EOPNOTSUPP, ko_sign(self->fd, aes, 0, "x", 1, sig, &len));
	EXPECT_EQ(-EOPNOTSUPP, ko_verify(self->fd, aes, 0, "x", 1, sig, 64));
	EXPECT_EQ(-EBADMSG, ko_verify(self->fd, verify_only, 0, "x", 1, sig, 0));
	EXPECT_EQ(-EBADMSG, ko_verify(self->fd, verify_only, 0, "x", 1, sig, VHSM_SIG_MAX + 1));
	EXPECT_EQ(-EOPNOTSUPP, ko_sign(self->fd, verify_only, 1U << 7, "x", 1, sig, &len));
	EXPECT_EQ(0, ko_destroy(self->fd, verify_only));
	EXPECT_EQ(0, ko_destroy(self->fd, aes));
}

TEST_F(keys, pubkey_formats)
{
	uint8_t buf[VHSM_PUBKEY_MAX];
	uint32_t p256, p384, aes, len;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, EC_ALL, 0700, lbl(self, "p256"), &p256));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P384, EC_ALL, 0700, lbl(self, "p384"), &p384));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, ALL_SYM, 0700, lbl(self, "aes"), &aes));
	len = sizeof(buf);
	ASSERT_EQ(0, ko_pubkey(self->fd, p256, 0, buf, &len));
	EXPECT_EQ(65, len);
	EXPECT_EQ(0x04, buf[0]);
	len = sizeof(buf);
	ASSERT_EQ(0, ko_pubkey(self->fd, p256, VHSM_PUBKEY_F_SPKI, buf, &len));
	EXPECT_EQ(91, len);
	EXPECT_EQ(0x30, buf[0]);
	len = sizeof(buf);
	ASSERT_EQ(0, ko_pubkey(self->fd, p384, 0, buf, &len));
	EXPECT_EQ(97, len);
	len = sizeof(buf);
	ASSERT_EQ(0, ko_pubkey(self->fd, p384, VHSM_PUBKEY_F_SPKI, buf, &len));
	EXPECT_EQ(120, len);
	len = 10;
	EXPECT_EQ(-ENOSPC, ko_pubkey(self->fd, p384, 0, buf, &len));
	EXPECT_EQ(97, len);
	len = sizeof(buf);
	EXPECT_EQ(-EOPNOTSUPP, ko_pubkey(self->fd, aes, 0, buf, &len));
	EXPECT_EQ(0, ko_destroy(self->fd, p256));
	EXPECT_EQ(0, ko_destroy(self->fd, p384));
	EXPECT_EQ(0, ko_destroy(self->fd, aes));
}

TEST_F(keys, ecdh_derive_agrees_both_ways)
{
	uint8_t pa[97], pb[97], mac_a[48], mac_b[48];
	uint32_t a, b, ka, kb, la = sizeof(pa), lb = sizeof(pb), len_a, len_b;
	struct vhsm_key_attr attr;
	int curve;

	for (curve = 0; curve < 2; curve++) {
		uint32_t type = curve ? VHSM_KEY_EC_P384 : VHSM_KEY_EC_P256;

		la = lb = sizeof(pa);
		ASSERT_EQ(0, ko_generate(self->fd, type, EC_ALL, 0700, lbl(self, "ea"), &a));
		ASSERT_EQ(0, ko_generate(self->fd, type, EC_ALL, 0700, lbl(self, "eb"), &b));
		ASSERT_EQ(0, ko_pubkey(self->fd, a, 0, pa, &la));
		ASSERT_EQ(0, ko_pubkey(self->fd, b, 0, pb, &lb));
		ko_attr(&attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl(self, "da"));
		ASSERT_EQ(0, ko_derive(self->fd, a, pb, lb, "salt", 4, "ctx", 3, &attr, &ka));
		ko_attr(&attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl(self, "db"));
		ASSERT_EQ(0, ko_derive(self->fd, b, pa, la, "salt", 4, "ctx", 3, &attr, &kb));
		ASSERT_EQ(0, ko_mac(self->fd, ka, "m", 1, mac_a, &len_a));
		ASSERT_EQ(0, ko_mac(self->fd, kb, "m", 1, mac_b, &len_b));
		EXPECT_EQ(0, memcmp(mac_a, mac_b, 32));

		/* a point off the curve, the wrong length, an EC target type */
		pb[lb - 1] ^= 1;
		ko_attr(&attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl(self, "dx"));
		EXPECT_EQ(-EINVAL, ko_derive(self->fd, a, pb, lb, NULL, 0, NULL, 0, &attr, &ka));
		pb[lb - 1] ^= 1;
		EXPECT_EQ(-EINVAL, ko_derive(self->fd, a, pb, lb - 1, NULL, 0, NULL, 0, &attr, &ka));
		ko_attr(&attr, VHSM_KEY_EC_P256, EC_ALL, 0700, lbl(self, "dx"));
		EXPECT_EQ(-EINVAL, ko_derive(self->fd, a, pb, lb, NULL, 0, NULL, 0, &attr, &ka));
		EXPECT_EQ(0, ko_destroy(self->fd, a));
		EXPECT_EQ(0, ko_destroy(self->fd, b));
		ASSERT_EQ(0, ko_lookup(self->fd, lbl(self, "da"), &ka));
		ASSERT_EQ(0, ko_lookup(self->fd, lbl(self, "db"), &kb));
		EXPECT_EQ(0, ko_destroy(self->fd, ka));
		EXPECT_EQ(0, ko_destroy(self->fd, kb));
	}
}

TEST_F(keys, derive_needs_derive_usage)
{
	uint8_t pub[65];
	uint32_t a, k, len = sizeof(pub);
	struct vhsm_key_attr attr;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN, 0700, lbl(self, "nd"), &a));
	ASSERT_EQ(0, ko_pubkey(self->fd, a, 0, pub, &len));
	ko_attr(&attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl(self, "x"));
	EXPECT_EQ(-EPERM, ko_derive(self->fd, a, pub, len, NULL, 0, NULL, 0, &attr, &k));
	EXPECT_EQ(0, ko_destroy(self->fd, a));
}

TEST_F(keys, plain_import_is_refused_unless_enabled)
{
	uint8_t material[32] = { 1 };
	struct vhsm_key_attr attr;

	/* the harness loads the module with allow_plain_import=0 */
	ko_attr(&attr, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, lbl(self, "imp"));
	EXPECT_EQ(-EPERM, ko_import(self->fd, 0, &attr, material, 32, NULL));
}

TEST_F(keys, public_key_import_for_verification)
{
	static const char msg[] = "verify me";
	uint8_t pub[65], sig[64];
	uint32_t priv, pubh, len = sizeof(pub), slen = sizeof(sig);
	struct vhsm_key_info info;
	struct vhsm_key_attr attr;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_EC_P256, EC_ALL, 0700, lbl(self, "src"), &priv));
	ASSERT_EQ(0, ko_pubkey(self->fd, priv, 0, pub, &len));
	ASSERT_EQ(0, ko_sign(self->fd, priv, 0, msg, sizeof(msg), sig, &slen));

	ko_attr(&attr, VHSM_KEY_EC_P256, VHSM_USAGE_VERIFY, 0700, lbl(self, "pub"));
	ASSERT_EQ(0, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, len, &pubh));
	ASSERT_EQ(0, ko_info(self->fd, pubh, &info));
	EXPECT_EQ(1, info.public_only);
	EXPECT_EQ(VHSM_ORIGIN_IMPORTED, info.origin);
	EXPECT_EQ(0, ko_verify(self->fd, pubh, 0, msg, sizeof(msg), sig, slen));
	sig[0] ^= 1;
	EXPECT_EQ(-EBADMSG, ko_verify(self->fd, pubh, 0, msg, sizeof(msg), sig, slen));

	/* public keys may only verify; must be on the curve; EC only */
	ko_attr(&attr, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN, 0700, lbl(self, "pub2"));
	EXPECT_EQ(-EINVAL, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, len, NULL));
	ko_attr(&attr, VHSM_KEY_EC_P256, VHSM_USAGE_VERIFY, 0700, lbl(self, "pub2"));
	pub[40] ^= 1;
	EXPECT_EQ(-EINVAL, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, len, NULL));
	pub[40] ^= 1;
	EXPECT_EQ(-EINVAL, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, len - 1, NULL));
	pub[0] = 0x02;
	EXPECT_EQ(-EINVAL, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, len, NULL));
	ko_attr(&attr, VHSM_KEY_AES128_GCM, VHSM_USAGE_ENCRYPT, 0700, lbl(self, "pub2"));
	EXPECT_EQ(-EINVAL, ko_import(self->fd, VHSM_IMPORT_F_PUBLIC, &attr, pub, 16, NULL));
	EXPECT_EQ(-EOPNOTSUPP, ko_import(self->fd, 1U << 4, &attr, pub, 16, NULL));
	EXPECT_EQ(0, ko_destroy(self->fd, priv));
	EXPECT_EQ(0, ko_destroy(self->fd, pubh));
}

TEST_F(keys, info_reports_limits_and_keystore_capability)
{
	struct vhsm_info info = { .size = sizeof(info) };

	ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_INFO, &info));
	EXPECT_TRUE(info.capabilities & VHSM_CAP_KEYSTORE);
	EXPECT_LT(0, info.limits.max_keys);
	EXPECT_LT(0, info.limits.max_keys_per_user);
	EXPECT_LE(65536, info.limits.max_data_len);
	EXPECT_EQ(VHSM_LABEL_MAX - 1, info.limits.max_label_len);
}

/*
 * The keystream attack on VHSM_AEAD_F_CALLER_IV: with a victim's (iv,
 * ciphertext), encrypting zeros under that iv gives the keystream, and
 * ciphertext ^ keystream the plaintext. As an unprivileged owner of
 * the keys: an encrypt-only key refuses the caller's IV (-EPERM); a key with
 * caller-iv accepts it, which is why the flag is separate and off by default.
 * Returns a bit per unexpected answer.
 */
static int caller_iv_as_user(int fd)
{
	static const char secret[32] = "the victim's secret plaintext..";
	uint8_t ct[32], zeros[32] = { 0 }, ks[32], iv[12], tag[16], viv[12];
	uint32_t enc_only, with_iv;
	int bad = 0, i;

	if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "civ.enc",
			&enc_only) ||
	    ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_CALLER_IV,
			0700, "civ.iv", &with_iv))
		return 1 << 0;

	/* the victim's message, under a kernel-chosen IV */
	if (ko_encrypt(fd, enc_only, 0, NULL, 0, secret, 32, ct, viv, tag))
		bad |= 1 << 1;
	memcpy(iv, viv, 12);
	memset(ks, 0, sizeof(ks));
	if (ko_encrypt(fd, enc_only, VHSM_AEAD_F_CALLER_IV, NULL, 0, zeros, 32, ks, iv,
		       tag) != -EPERM)
		bad |= 1 << 2;
	for (i = 0; i < 32; i++)
		ks[i] ^= ct[i];
	if (!memcmp(ks, secret, 32))
		bad |= 1 << 3;	/* recovered: the attack worked */
	/* no kernel IV was substituted and nothing written either */
	if (memcmp(iv, viv, 12))
		bad |= 1 << 4;

	/* with caller-iv the caller's IV is used as given (and the attack works) */
	if (ko_encrypt(fd, with_iv, 0, NULL, 0, secret, 32, ct, viv, tag))
		bad |= 1 << 5;
	memcpy(iv, viv, 12);
	if (ko_encrypt(fd, with_iv, VHSM_AEAD_F_CALLER_IV, NULL, 0, zeros, 32, ks, iv, tag))
		bad |= 1 << 6;
	for (i = 0; i < 32; i++)
		ks[i] ^= ct[i];
	if (memcmp(ks, secret, 32) || memcmp(iv, viv, 12))
		bad |= 1 << 7;

	/* caller-iv is refused where it means nothing */
	if (ko_generate(fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC | VHSM_USAGE_CALLER_IV, 0700,
			"civ.mac", NULL) != -EINVAL)
		bad |= 1 << 8;
	ko_destroy(fd, enc_only);
	ko_destroy(fd, with_iv);
	return bad;
}

TEST(caller_iv_needs_its_usage_flag)
{
	const char *g = getenv("VHSM_TEST_GID");
	gid_t gid = g ? (gid_t)strtoul(g, NULL, 10) : 0;
	int status, fd;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgroups(1, &gid) || setgid(1001) || setuid(1001))
			_exit(0xfe);
		fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(0xff);
		/* bits 0..8 do not fit an exit status: fold bit 8 into bit 0 */
		status = caller_iv_as_user(fd);
		_exit((status & 0xff) | (status >> 8));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Root (CAP_SYS_ADMIN) may choose IVs on any AES key it may use. */
TEST_F(keys, caller_iv_is_allowed_to_root)
{
	uint8_t in[16] = { 1 }, out[16], iv[12], tag[16];
	uint32_t h;

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES128_GCM, VHSM_USAGE_ENCRYPT, 0700,
				 lbl(self, "rootiv"), &h));
	memset(iv, 0x24, sizeof(iv));
	EXPECT_EQ(0, ko_encrypt(self->fd, h, VHSM_AEAD_F_CALLER_IV, NULL, 0, in, 16, out, iv,
				tag));
	EXPECT_EQ(0x24, iv[0]);
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_HARNESS_MAIN
