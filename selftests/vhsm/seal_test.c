// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sealing on the sim platform (VHSM_IOC_SEAL, VHSM_IOC_UNSEAL):
 *  - only keys with VHSM_USAGE_SEAL are sealed, by their owner or root;
 *  - every single-byte change of a blob fails, truncated, oversized,
 *    foreign and unknown-version blobs get their own errors, and nothing is
 *    stored when unsealing fails;
 *  - another uid cannot unseal a blob into a key it could not have owned;
 *    root unseals it for its owner;
 *  - (root, $VHSM_KO: vhsm.ko is reloaded with other sim_* parameters) a
 *    blob survives a reload and its key decrypts what it encrypted before;
 *    it does not open with another measurement, policy, family or image
 *    id, guest SVN or chip secret, or below its TCB; it opens after a TCB rise; reseal moves it.
 * Every reloading test puts the module back as it found it.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "attest_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define ALICE 1001
#define BOB 1002

#define OTHER_MEASUREMENT \
	"sim_measurement=ffeeddccbbaa99887766554433221100ffeeddccbbaa9988" \
	"7766554433221100ffeeddccbbaa99887766554433221100"
#define OTHER_CHIP \
	"sim_chip_secret=0000000000000000000000000000000000000000000000000000000000000001"
/* TCBs of the sim: default 0x7308000000000003 everywhere */
#define SIM_TCB		0x7308000000000003ULL
#define LOWER_TCB	"0x7208000000000003"
#define HIGHER_TCB	"0x7409000000000004"
#define ALL_TCBS(t)	"sim_current_tcb=" t " sim_committed_tcb=" t \
			" sim_reported_tcb=" t " sim_launch_tcb=" t

static const char msg[] = "encrypted before the reload";

static int dev_open(void)
{
	return open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
}

static int seal_raw(int fd, struct vhsm_seal *s, uint8_t *blob, uint32_t *len)
{
	int ret;

	s->size = sizeof(*s);
	s->blob_ptr = (uintptr_t)blob;
	s->blob_len = *len;
	ret = ko_ioctl(fd, VHSM_IOC_SEAL, s);
	*len = s->blob_len;
	return ret;
}

/* Seal @handle bound to @fields at the REPORTED TCB (vhsm-tool's defaults). */
static int seal(int fd, uint32_t handle, uint64_t fields, uint8_t *blob, uint32_t *len)
{
	struct vhsm_seal s = {
		.flags = VHSM_SEAL_F_TCB_REPORTED, .handle = handle,
		.guest_field_select = fields,
	};

	*len = VHSM_SEAL_BLOB_MAX;
	return seal_raw(fd, &s, blob, len);
}

static int unseal(int fd, const uint8_t *blob, uint32_t len, const char *label,
		  uint32_t *handle)
{
	struct vhsm_unseal u = {
		.size = sizeof(u), .blob_ptr = (uintptr_t)blob, .blob_len = len,
	};
	int ret;

	if (label)
		ko_label(u.label, label);
	ret = ko_ioctl(fd, VHSM_IOC_UNSEAL, &u);
	if (!ret && handle)
		*handle = u.handle;
	return ret;
}

/* Unseal in a fresh descriptor; -errno, or 0 and the key destroyed again. */
static int opens(const uint8_t *blob, uint32_t len)
{
	int fd = dev_open(), ret;
	uint32_t h;

	if (fd < 0)
		return -errno;
	ret = unseal(fd, blob, len, NULL, &h);
	if (!ret)
		ko_destroy(fd, h);
	close(fd);
	return ret;
}

static int label_exists(int fd, const char *label)
{
	uint32_t h;

	return ko_lookup(fd, label, &h) == 0;
}

TEST(a_key_without_the_seal_usage_is_never_sealed)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	struct vhsm_seal s = { .handle = 0 };
	uint32_t h, len = sizeof(blob);
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT,
				 0700, "seal.plain", &h));
	s.handle = h;
	s.flags = VHSM_SEAL_F_TCB_COMMITTED;
	s.guest_field_select = VHSM_FIELD_ALL;
	EXPECT_EQ(-EPERM, seal_raw(fd, &s, blob, &len));	/* root too */
	/* and not by reseal of a blob made by hand: the blob must authenticate */
	EXPECT_EQ(0, ko_destroy(fd, h));
	close(fd);
}

TEST(seal_arguments_are_checked)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	struct vhsm_seal s;
	uint32_t h, len;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM,
				 VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL, 0700, "seal.args", &h));
#define TRY(expect, ...) do {						\
		memset(&s, 0, sizeof(s));				\
		s.handle = h;						\
		s.guest_field_select = VHSM_FIELD_ALL;			\
		__VA_ARGS__;						\
		len = sizeof(blob);					\
		EXPECT_EQ(expect, seal_raw(fd, &s, blob, &len));	\
	} while (0)
	TRY(-EOPNOTSUPP, s.flags = 1U << 31);
	TRY(-EINVAL, s.flags = VHSM_SEAL_F_TCB_COMMITTED | VHSM_SEAL_F_TCB_REPORTED);
	TRY(-EINVAL, s.flags = VHSM_SEAL_F_TCB_COMMITTED; s.tcb_version = 1);
	TRY(-EINVAL, s.__reserved[3] = 1);
	TRY(-EINVAL, s.guest_field_select = 1ULL << 6);
	TRY(-EINVAL, s.root_key_select = 2);
	TRY(-EINVAL, s.src_len = 4);
	TRY(-EINVAL, s.flags = VHSM_SEAL_F_RESEAL);	/* with a handle */
	TRY(-ENOENT, s.handle = 0x7fffffff);
	/* sealing is a use: the mode must grant it, to the owner too */
	{
		uint32_t h2;

		ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM,
					 VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL, 0600,
					 "seal.nouse", &h2));
		TRY(-EACCES, s.handle = h2);
		ko_destroy(fd, h2);
	}
	/* the firmware refuses a TCB above COMMITTED_TCB */
	TRY(-EIO, s.tcb_version = 0xffffffffffffffffULL);
	/* too small a buffer: the length comes back */
	memset(&s, 0, sizeof(s));
	s.handle = h;
	s.flags = VHSM_SEAL_F_TCB_COMMITTED;
	len = 10;
	EXPECT_EQ(-ENOSPC, seal_raw(fd, &s, blob, &len));
	EXPECT_EQ(VHSM_SEAL_HDR_LEN + 32 + VHSM_SEAL_TAG_LEN, len);
	EXPECT_EQ(0, seal_raw(fd, &s, blob, &len));
	EXPECT_EQ(SIM_TCB, s.tcb_version);
	EXPECT_EQ(0, memcmp(blob, VHSM_SEAL_MAGIC, 4));
#undef TRY
	ko_destroy(fd, h);
	close(fd);
}

TEST(unseal_restores_every_attribute)
{
	static const struct { uint32_t type, usage, mode, key_len; } keys[] = {
		{ VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL, 0750, 0 },
		{ VHSM_KEY_HMAC_SHA384, VHSM_USAGE_MAC | VHSM_USAGE_SEAL, 0700, 0 },
		{ VHSM_KEY_EC_P384, VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY | VHSM_USAGE_SEAL, 0751, 0 },
		{ VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL | VHSM_USAGE_SEAL, 0710, 48 },
	};
	struct vhsm_key_info a, b;
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	struct vhsm_key_attr attr;
	uint32_t h, h2, len;
	int fd = dev_open();
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ko_attr(&attr, keys[i].type, keys[i].usage, keys[i].mode, "seal.attr");
		attr.key_len = keys[i].key_len;
		ASSERT_EQ(0, ko_generate_attr(fd, &attr, &h));
		ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, blob, &len));
		ASSERT_EQ(0, ko_info(fd, h, &a));
		/* sealing changed nothing; the label is taken while the key lives */
		EXPECT_EQ(-EEXIST, unseal(fd, blob, len, NULL, &h2));
		ASSERT_EQ(0, ko_destroy(fd, h));
		ASSERT_EQ(0, unseal(fd, blob, len, NULL, &h2));
		ASSERT_EQ(0, ko_info(fd, h2, &b));
		EXPECT_EQ(VHSM_ORIGIN_UNSEALED, b.origin);
		EXPECT_EQ(a.owner_uid, b.owner_uid);
		EXPECT_EQ(a.owner_gid, b.owner_gid);
		EXPECT_EQ(0, memcmp(&a.attr, &b.attr, sizeof(a.attr)));
		/* another label, if asked for; the same key otherwise */
		EXPECT_EQ(0, unseal(fd, blob, len, "seal.attr2", &h));
		EXPECT_EQ(0, ko_destroy(fd, h));
		EXPECT_EQ(0, ko_destroy(fd, h2));
	}
	close(fd);
}

/* a fixture only for the harness's per-test timeout */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

TEST_F_TIMEOUT(slow, every_byte_of_a_blob_matters, 600)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX], bad[VHSM_SEAL_BLOB_MAX + 8];
	uint32_t h, len, i;
	int fd = dev_open(), fails = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL,
				 0700, "seal.bytes", &h));
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, blob, &len));
	ASSERT_EQ(0, ko_destroy(fd, h));
	for (i = 0; i < len * 8; i += 7) {	/* every byte, bits 0..7 in turn */
		memcpy(bad, blob, len);
		bad[i / 8] ^= 1U << (i % 8);
		if (unseal(fd, bad, len, NULL, &h) == 0) {
			TH_LOG("bit %u of byte %u changed: still unsealed", i % 8, i / 8);
			ko_destroy(fd, h);
			fails++;
		}
	}
	/* whole-byte changes too: every byte replaced by its complement */
	for (i = 0; i < len; i++) {
		memcpy(bad, blob, len);
		bad[i] = (uint8_t)~bad[i];
		if (unseal(fd, bad, len, NULL, &h) == 0) {
			TH_LOG("byte %u complemented: still unsealed", i);
			ko_destroy(fd, h);
			fails++;
		}
	}
	EXPECT_EQ(0, fails);
	EXPECT_FALSE(label_exists(fd, "seal.bytes"));	/* nothing stored */
	ASSERT_EQ(0, unseal(fd, blob, len, NULL, &h));	/* the blob itself opens */
	EXPECT_EQ(0, ko_destroy(fd, h));
	close(fd);
}

static int set_plain_import(int on)
{
	FILE *f = fopen("/sys/module/vhsm/parameters/allow_plain_import", "w");

	if (!f)
		return -1;
	fputs(on ? "1\n" : "0\n", f);
	return fclose(f);
}

TEST(a_blob_never_carries_the_key_bytes)
{
	uint8_t material[48], a[VHSM_SEAL_BLOB_MAX], b[VHSM_SEAL_BLOB_MAX];
	uint8_t mac1[48], mac2[48];
	uint32_t h, h2, len_a, len_b, ml1 = 0, ml2 = 0;
	struct vhsm_key_attr attr;
	size_t i;
	int fd;

	if (geteuid() || set_plain_import(1))
		SKIP(return, "needs root to import known key bytes");
	fd = dev_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(material); i++)
		material[i] = (uint8_t)(0xa5 ^ (i * 37));
	ko_attr(&attr, VHSM_KEY_HMAC_SHA384, VHSM_USAGE_MAC | VHSM_USAGE_SEAL, 0700, "seal.known");
	attr.key_len = sizeof(material);
	ASSERT_EQ(0, ko_import(fd, 0, &attr, material, sizeof(material), &h));
	set_plain_import(0);
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, a, &len_a));
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, b, &len_b));
	ASSERT_EQ(len_a, len_b);
	/* fresh salt, IV and so ciphertext each time; never the bytes, not even 8 of them */
	EXPECT_NE(0, memcmp(a + 0x40, b + 0x40, len_a - 0x40));
	for (i = 0; i + 8 <= sizeof(material); i++) {
		EXPECT_EQ(NULL, memmem(a, len_a, material + i, 8));
		EXPECT_EQ(NULL, memmem(b, len_b, material + i, 8));
	}
	/* both open to the same key */
	ASSERT_EQ(0, ko_mac(fd, h, "m", 1, mac1, &ml1));
	ASSERT_EQ(0, ko_destroy(fd, h));
	ASSERT_EQ(0, unseal(fd, b, len_b, NULL, &h2));
	ASSERT_EQ(0, ko_mac(fd, h2, "m", 1, mac2, &ml2));
	EXPECT_EQ(ml1, ml2);
	EXPECT_EQ(0, memcmp(mac1, mac2, ml1));
	EXPECT_EQ(0, ko_destroy(fd, h2));
	close(fd);
}

TEST(framing_errors_are_clear_and_store_nothing)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX + 64], bad[VHSM_SEAL_BLOB_MAX + 64];
	uint32_t h, len;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC | VHSM_USAGE_SEAL,
				 0700, "seal.frame", &h));
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, blob, &len));
	ASSERT_EQ(0, ko_destroy(fd, h));
	memset(blob + len, 0, sizeof(blob) - len);

	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, 0, NULL, &h));
	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, 6, NULL, &h));
	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, VHSM_SEAL_HDR_LEN - 1, NULL, &h));
	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, len - 1, NULL, &h));	/* truncated */
	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, len + 1, NULL, &h));	/* oversized */
	EXPECT_EQ(-EMSGSIZE, unseal(fd, blob, VHSM_SEAL_BLOB_MAX + 1, NULL, &h));
	memcpy(bad, blob, len);
	bad[4] = 2;					/* version 2 */
	EXPECT_EQ(-EPROTONOSUPPORT, unseal(fd, bad, len, NULL, &h));
	memcpy(bad, blob, len);
	bad[0] = 'V';					/* not our magic */
	EXPECT_EQ(-EINVAL, unseal(fd, bad, len, NULL, &h));
	/* a label that is not one, and junk behind an empty label */
	{
		struct vhsm_unseal u = {
			.size = sizeof(u), .blob_ptr = (uintptr_t)blob, .blob_len = len,
		};

		u.label[5] = 'x';
		EXPECT_EQ(-EINVAL, ko_ioctl(fd, VHSM_IOC_UNSEAL, &u));
		memset(u.label, 0, sizeof(u.label));
		u.flags = 1;
		EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(fd, VHSM_IOC_UNSEAL, &u));
		u.flags = 0;
		u.__reserved[0] = 1;
		EXPECT_EQ(-EINVAL, ko_ioctl(fd, VHSM_IOC_UNSEAL, &u));
	}
	EXPECT_EQ(-EINVAL, unseal(fd, blob, len, "bad label!", &h));
	EXPECT_FALSE(label_exists(fd, "seal.frame"));
	ASSERT_EQ(0, unseal(fd, blob, len, NULL, &h));
	EXPECT_EQ(0, ko_destroy(fd, h));
	close(fd);
}

static gid_t device_group(void)
{
	const char *g = getenv("VHSM_TEST_GID");

	return g ? (gid_t)strtoul(g, NULL, 10) : 0;
}

struct uid_ctx {
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	uint32_t len;
	uint32_t handle;
};

/* Run @fn as @uid (primary group @uid) in a child; its exit status. */
static int as_user(uid_t uid, int (*fn)(int fd, struct uid_ctx *c), struct uid_ctx *c)
{
	pid_t pid = fork();
	int status, fd;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		gid_t groups[1] = { device_group() };

		if (setgroups(1, groups) || setgid(uid) || setuid(uid))
			_exit(100);
		fd = dev_open();
		if (fd < 0)
			_exit(101);
		_exit(fn(fd, c));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* alice: a sealable key with mode 0777, sealed; the key stays */
static int alice_seals(int fd, struct uid_ctx *c)
{
	uint32_t h;

	if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL,
			0777, "seal.alice", &h))
		return 1;
	c->handle = h;
	return seal(fd, h, VHSM_FIELD_ALL, c->blob, &c->len) ? 2 : 0;
}

/* bob may use alice's key (mode 0777) but neither seal it nor unseal hers */
static int bob_tries(int fd, struct uid_ctx *c)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	uint32_t h, len;

	if (seal(fd, c->handle, VHSM_FIELD_ALL, blob, &len) != -EACCES)
		return 1;
	if (unseal(fd, c->blob, c->len, NULL, &h) != -EPERM)
		return 2;
	if (unseal(fd, c->blob, c->len, "seal.bob", &h) != -EPERM)
		return 3;
	return label_exists(fd, "seal.bob") ? 4 : 0;
}

static int alice_unseals(int fd, struct uid_ctx *c)
{
	uint32_t h;

	if (unseal(fd, c->blob, c->len, NULL, &h))
		return 1;
	return ko_destroy(fd, h) ? 2 : 0;
}

static int alice_destroys(int fd, struct uid_ctx *c)
{
	return ko_destroy(fd, c->handle) ? 1 : 0;
}

TEST(another_uid_cannot_unseal_into_a_key_it_could_not_own)
{
	struct uid_ctx *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct vhsm_key_info info;
	uint32_t h;
	int fd;

	ASSERT_NE(MAP_FAILED, c);
	if (geteuid())
		SKIP(return, "needs root to switch uids");
	ASSERT_EQ(0, as_user(ALICE, alice_seals, c));
	EXPECT_EQ(0, as_user(BOB, bob_tries, c));
	ASSERT_EQ(0, as_user(ALICE, alice_destroys, c));
	EXPECT_EQ(0, as_user(ALICE, alice_unseals, c));
	/* root restores it, for alice */
	fd = dev_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, unseal(fd, c->blob, c->len, NULL, &h));
	ASSERT_EQ(0, ko_info(fd, h, &info));
	EXPECT_EQ(ALICE, info.owner_uid);
	EXPECT_EQ(ALICE, info.owner_gid);
	EXPECT_EQ(0777, info.attr.mode);
	EXPECT_EQ(0, ko_destroy(fd, h));
	close(fd);
	munmap(c, sizeof(*c));
}

/* ---- reloads ---------------------------------------------------------------- */

FIXTURE(reload) {
	char params[AT_PARAMS_MAX];
};

FIXTURE_SETUP(reload)
{
	struct vhsm_info info = { .size = sizeof(info) };
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, at_ioctl(fd, VHSM_IOC_INFO, &info));
	close(fd);
	if (info.platform_id != VHSM_PLATFORM_SIM || !getenv("VHSM_KO") || geteuid())
		SKIP(return, "needs root, the sim platform and VHSM_KO");
	ASSERT_EQ(0, at_load_params(self->params, sizeof(self->params)));
}

FIXTURE_TEARDOWN(reload)
{
	if (self->params[0] && strstr(self->params, "platform=sim"))
		at_reload(self->params, NULL);
}

TEST_F_TIMEOUT(reload, a_blob_survives_a_reload_and_its_key_decrypts, 180)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX], ct[sizeof(msg)], pt[sizeof(msg)], iv[12], tag[16];
	uint32_t h, len;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM,
				 VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT | VHSM_USAGE_SEAL,
				 0700, "seal.reload", &h));
	ASSERT_EQ(0, ko_encrypt(fd, h, 0, NULL, 0, msg, sizeof(msg), ct, iv, tag));
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, blob, &len));
	close(fd);

	ASSERT_EQ(0, at_reload(self->params, NULL));	/* every key is gone */
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_FALSE(label_exists(fd, "seal.reload"));
	ASSERT_EQ(0, unseal(fd, blob, len, NULL, &h));
	ASSERT_EQ(0, ko_decrypt(fd, h, NULL, 0, ct, sizeof(ct), pt, iv, tag));
	EXPECT_EQ(0, memcmp(pt, msg, sizeof(msg)));
	EXPECT_EQ(0, ko_destroy(fd, h));
	close(fd);
}

/* Reload with @extra; does @blob open there? Nothing stays stored. */
static int opens_under(const char *params, const char *extra, const uint8_t *blob,
		       uint32_t len)
{
	int ret = at_reload(params, extra);

	return ret ? -1000 + ret : opens(blob, len);
}

TEST_F_TIMEOUT(reload, a_blob_opens_only_for_its_launch_and_tcb, 900)
{
	uint8_t all[VHSM_SEAL_BLOB_MAX], pol[VHSM_SEAL_BLOB_MAX];
	uint32_t h, len_all, len_pol;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL | VHSM_USAGE_SEAL,
				 0700, "seal.bind", &h) ? 1 : 0);
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, all, &len_all));
	/* bound to the policy (and chip) only */
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_POLICY, pol, &len_pol));
	close(fd);

	EXPECT_EQ(-EBADMSG, opens_under(self->params, OTHER_MEASUREMENT, all, len_all));
	EXPECT_EQ(0, opens(pol, len_pol));	/* measurement not bound */
	EXPECT_EQ(-EBADMSG, opens_under(self->params, "sim_policy=0x20000", all, len_all));
	EXPECT_EQ(-EBADMSG, opens(pol, len_pol));
	/* a lower guest SVN: the AMD-SP refuses the sealed SVN */
	EXPECT_EQ(-EIO, opens_under(self->params, "sim_guest_svn=0", all, len_all));
	/* another ID block: family and image id */
	EXPECT_EQ(-EBADMSG, opens_under(self->params,
					"sim_family_id=0102030405060708090a0b0c0d0e0f10",
					all, len_all));
	EXPECT_EQ(-EBADMSG, opens_under(self->params,
					"sim_image_id=1112131415161718191a1b1c1d1e1f20",
					all, len_all));
	EXPECT_EQ(0, opens(pol, len_pol));	/* neither bound */
	EXPECT_EQ(-EBADMSG, opens_under(self->params, OTHER_CHIP, all, len_all));
	EXPECT_EQ(-EBADMSG, opens(pol, len_pol));
	/* the platform's TCB below the sealed one: refused */
	EXPECT_EQ(-EIO, opens_under(self->params, ALL_TCBS(LOWER_TCB), all, len_all));
	/* a firmware update: the TCB rose; sealed to the older one, it opens */
	EXPECT_EQ(0, opens_under(self->params, ALL_TCBS(HIGHER_TCB), all, len_all));
	/* and back where it was sealed */
	EXPECT_EQ(0, opens_under(self->params, NULL, all, len_all));
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_FALSE(label_exists(fd, "seal.bind"));	/* no failure stored anything */
	close(fd);
}

static int reseal(const uint8_t *src, uint32_t src_len, uint32_t flags, uint64_t tcb,
		  uint8_t *out, uint32_t *len)
{
	struct vhsm_seal s = {
		.flags = flags | VHSM_SEAL_F_RESEAL, .guest_field_select = VHSM_FIELD_ALL,
		.tcb_version = tcb, .src_ptr = (uintptr_t)src, .src_len = src_len,
	};
	int fd = dev_open(), ret;

	if (fd < 0)
		return -errno;
	*len = VHSM_SEAL_BLOB_MAX;
	ret = seal_raw(fd, &s, out, len);
	close(fd);
	return ret;
}

TEST_F_TIMEOUT(reload, reseal_moves_a_blob_to_another_tcb, 600)
{
	uint8_t a[VHSM_SEAL_BLOB_MAX], low[VHSM_SEAL_BLOB_MAX], high[VHSM_SEAL_BLOB_MAX];
	uint32_t h, len_a, len_low, len_high;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_generate(fd, VHSM_KEY_AES128_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_SEAL,
				 0700, "seal.tcb", &h));
	ASSERT_EQ(0, seal(fd, h, VHSM_FIELD_ALL, a, &len_a));
	ASSERT_EQ(0, ko_destroy(fd, h));
	close(fd);

	/* before a change of firmware that may go down: reseal to the lower TCB */
	ASSERT_EQ(0, reseal(a, len_a, 0, strtoull(LOWER_TCB, NULL, 16), low, &len_low));
	ASSERT_EQ(len_a, len_low);
	EXPECT_NE(0, memcmp(a, low, len_a));
	EXPECT_EQ(0, opens(low, len_low));
	EXPECT_EQ(-EIO, opens_under(self->params, ALL_TCBS(LOWER_TCB), a, len_a));
	EXPECT_EQ(0, opens(low, len_low));

	/* after an update, committed: reseal to it, and the older TCB cannot open it */
	EXPECT_EQ(0, opens_under(self->params, ALL_TCBS(HIGHER_TCB), a, len_a));
	ASSERT_EQ(0, reseal(a, len_a, VHSM_SEAL_F_TCB_COMMITTED, 0, high, &len_high));
	EXPECT_EQ(0, opens(high, len_high));
	EXPECT_EQ(-EIO, opens_under(self->params, NULL, high, len_high));
	EXPECT_EQ(0, opens(a, len_a));
	/* a reseal is subject to the unseal rules: a changed blob is refused */
	a[len_a - 1] ^= 1;
	EXPECT_EQ(-EBADMSG, reseal(a, len_a, VHSM_SEAL_F_TCB_COMMITTED, 0, high, &len_high));
}

TEST_HARNESS_MAIN
