// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Key ownership, modes and quotas across uids. Each case forks children that
 * switch to test uids; keys persist in the module between them.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

#define ALICE 1001
#define BOB 1002
#define CAROL 1003
#define STAFF 3000	/* alice's group in one test; bob is a member */

static gid_t device_group(void)
{
	const char *g = getenv("VHSM_TEST_GID");

	return g ? (gid_t)strtoul(g, NULL, 10) : 0;
}

/*
 * Run @fn as @uid with primary group @gid in a child; only BOB is also a
 * member of STAFF. Returns the child's exit status.
 */
static int as_user(uid_t uid, gid_t gid, int (*fn)(int fd, void *ctx), void *ctx)
{
	pid_t pid = fork();
	int status, fd;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* everyone may open the device; only BOB is in STAFF */
		gid_t groups[2] = { device_group(), STAFF };

		if (setgroups(uid == BOB ? 2 : 1, groups) || setgid(gid) || setuid(uid))
			_exit(100);
		fd = open(vhsm_test_device(), O_RDWR);
		if (fd < 0)
			_exit(101);
		_exit(fn(fd, ctx));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct acl_ctx {
	uint32_t mode;
	uint32_t handle;
	char label[32];
};

/* A context the children can write back to: shared with the parent. */
static struct acl_ctx *acl_ctx_new(uint32_t mode, const char *prefix)
{
	struct acl_ctx *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->mode = mode;
	snprintf(c->label, sizeof(c->label), "%s%d", prefix, getpid());
	return c;
}

static int make_key(int fd, void *p)
{
	struct acl_ctx *c = p;

	return ko_generate(fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, c->mode,
			   c->label, &c->handle) ? 1 : 0;
}

/* child results: a bit per unexpected answer, so a failure says which */
static int other_user_sees_nothing(int fd, void *p)
{
	struct acl_ctx *c = p;
	struct vhsm_key_info info;
	uint8_t mac[48];
	uint32_t h, len;
	int bad = 0;

	bad |= (ko_info(fd, c->handle, &info) != -ENOENT) << 0;
	bad |= (ko_mac(fd, c->handle, "x", 1, mac, &len) != -ENOENT) << 1;
	bad |= (ko_destroy(fd, c->handle) != -ENOENT) << 2;
	bad |= (ko_listed(fd, c->handle) != 0) << 3;
	bad |= (ko_lookup(fd, c->label, &h) != -ENOENT) << 4;
	return bad;
}

static int group_member_may_use_not_destroy(int fd, void *p)
{
	struct acl_ctx *c = p;
	struct vhsm_key_info info;
	uint8_t mac[48];
	uint32_t len;
	int bad = 0;

	bad |= (ko_info(fd, c->handle, &info) != 0) << 0;
	bad |= (ko_mac(fd, c->handle, "x", 1, mac, &len) != 0) << 1;
	bad |= (ko_destroy(fd, c->handle) != -EACCES) << 2;
	bad |= (ko_listed(fd, c->handle) != 1) << 3;
	return bad;
}

static int see_only_cannot_use(int fd, void *p)
{
	struct acl_ctx *c = p;
	uint8_t mac[48];
	uint32_t len;

	return ko_mac(fd, c->handle, "x", 1, mac, &len) == -EACCES ? 0 : 1;
}

static int owner_destroys(int fd, void *p)
{
	return ko_destroy(fd, ((struct acl_ctx *)p)->handle) ? 1 : 0;
}

TEST(other_uid_cannot_see_use_or_destroy)
{
	struct acl_ctx *c = acl_ctx_new(0700, "acl"), *b = acl_ctx_new(0700, "same");

	ASSERT_NE(NULL, c);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, as_user(ALICE, ALICE, make_key, c));
	EXPECT_EQ(0, as_user(BOB, BOB, other_user_sees_nothing, c));
	/* the same label is free for another owner */
	memcpy(b->label, c->label, sizeof(b->label));
	EXPECT_EQ(0, as_user(BOB, BOB, make_key, b));
	EXPECT_NE(c->handle, b->handle);
	EXPECT_EQ(0, as_user(BOB, BOB, owner_destroys, b));
	EXPECT_EQ(0, as_user(ALICE, ALICE, owner_destroys, c));
}

TEST(group_mode_grants_use_but_not_destroy)
{
	struct acl_ctx *c = acl_ctx_new(0750, "grp");

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, as_user(ALICE, STAFF, make_key, c));
	EXPECT_EQ(0, as_user(BOB, BOB, group_member_may_use_not_destroy, c));
	EXPECT_EQ(0, as_user(CAROL, CAROL, other_user_sees_nothing, c));
	EXPECT_EQ(0, as_user(ALICE, STAFF, owner_destroys, c));
}

TEST(see_without_use_is_eacces)
{
	struct acl_ctx *c = acl_ctx_new(0704, "see");

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, as_user(ALICE, ALICE, make_key, c));
	EXPECT_EQ(0, as_user(BOB, BOB, see_only_cannot_use, c));
	EXPECT_EQ(0, as_user(ALICE, ALICE, owner_destroys, c));
}

TEST(root_may_see_and_destroy_but_not_use)
{
	struct acl_ctx *c = acl_ctx_new(0700, "root");
	struct vhsm_key_info info;
	uint8_t mac[48];
	uint32_t len;
	int fd = open(vhsm_test_device(), O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, as_user(ALICE, ALICE, make_key, c));
	EXPECT_EQ(0, ko_info(fd, c->handle, &info));
	EXPECT_EQ(ALICE, info.owner_uid);
	/* listing asks for the capability once per call (noaudit), not per key */
	EXPECT_EQ(1, ko_listed(fd, c->handle));
	EXPECT_EQ(-EACCES, ko_mac(fd, c->handle, "x", 1, mac, &len));
	EXPECT_EQ(0, ko_destroy(fd, c->handle));
	close(fd);
}

/* Look up @owner's key labelled @label (VHSM_LOOKUP_F_OWNER). */
static int lookup_owned(int fd, uid_t owner, const char *label, uint32_t *handle)
{
	struct vhsm_key_lookup l = {
		.size = sizeof(l), .flags = VHSM_LOOKUP_F_OWNER, .owner_uid = owner,
	};
	int ret;

	ko_label(l.label, label);
	ret = ko_ioctl(fd, VHSM_IOC_KEY_LOOKUP, &l);
	if (!ret)
		*handle = l.handle;
	return ret;
}

struct owned_ctx {
	struct acl_ctx *hidden, *group, *other;
};

/*
 * bob (in STAFF) finds alice's group-visible key; not the private one, and
 * not the one only others may see: as for a file, the group's bits are his
 */
static int bob_finds_what_modes_show(int fd, void *p)
{
	struct owned_ctx *o = p;
	uint32_t h = 0;
	int bad = 0;

	bad |= (lookup_owned(fd, ALICE, o->hidden->label, &h) != -ENOENT) << 0;
	bad |= (lookup_owned(fd, ALICE, o->group->label, &h) != 0 || h != o->group->handle) << 1;
	bad |= (lookup_owned(fd, ALICE, o->other->label, &h) != -ENOENT) << 2;
	/* without the flag: bob's own labels, of which he has none */
	bad |= (ko_lookup(fd, o->other->label, &h) != -ENOENT) << 3;
	return bad;
}

/* carol (not in STAFF) sees only the key visible to others */
static int carol_finds_other_only(int fd, void *p)
{
	struct owned_ctx *o = p;
	uint32_t h = 0;
	int bad = 0;

	bad |= (lookup_owned(fd, ALICE, o->hidden->label, &h) != -ENOENT) << 0;
	bad |= (lookup_owned(fd, ALICE, o->group->label, &h) != -ENOENT) << 1;
	bad |= (lookup_owned(fd, ALICE, o->other->label, &h) != 0 || h != o->other->handle) << 2;
	return bad;
}

/*
 * Lookups by label are lockless: the key's mode decides under RCU, and
 * only when it hides the key is CAP_SYS_ADMIN asked (root finds any key).
 */
TEST(lookup_by_owner_follows_modes)
{
	struct owned_ctx o = {
		.hidden = acl_ctx_new(0700, "lkh"),
		.group = acl_ctx_new(0740, "lkg"),
		.other = acl_ctx_new(0704, "lko"),
	};
	uint32_t h = 0;
	int fd = open(vhsm_test_device(), O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, o.hidden);
	ASSERT_NE(NULL, o.group);
	ASSERT_NE(NULL, o.other);
	ASSERT_EQ(0, as_user(ALICE, STAFF, make_key, o.hidden));
	ASSERT_EQ(0, as_user(ALICE, STAFF, make_key, o.group));
	ASSERT_EQ(0, as_user(ALICE, STAFF, make_key, o.other));
	EXPECT_EQ(0, as_user(BOB, BOB, bob_finds_what_modes_show, &o));
	EXPECT_EQ(0, as_user(CAROL, CAROL, carol_finds_other_only, &o));
	EXPECT_EQ(0, lookup_owned(fd, ALICE, o.hidden->label, &h));
	EXPECT_EQ(o.hidden->handle, h);
	EXPECT_EQ(-ENOENT, lookup_owned(fd, ALICE, "no-such-label", &h));
	EXPECT_EQ(-EINVAL, lookup_owned(fd, ALICE, "bad label", &h));
	EXPECT_EQ(0, ko_destroy(fd, o.hidden->handle));
	/* gone: not found any more, by anyone */
	EXPECT_EQ(-ENOENT, lookup_owned(fd, ALICE, o.hidden->label, &h));
	EXPECT_EQ(0, ko_destroy(fd, o.group->handle));
	EXPECT_EQ(0, ko_destroy(fd, o.other->handle));
	close(fd);
}

static int write_param(const char *name, unsigned long value)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/vhsm/parameters/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%lu\n", value);
	return fclose(f);
}

static unsigned long read_param(const char *name)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/vhsm/parameters/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static int fill_quota(int fd, void *p)
{
	uint32_t h[8];
	char label[16];
	int i, ret;

	for (i = 0; i < 4; i++) {
		snprintf(label, sizeof(label), "q%d", i);
		if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, label, &h[i]))
			return 1;
	}
	if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "q4", &h[4]) != -EDQUOT)
		return 2;
	/* freeing one makes room for exactly one */
	if (ko_destroy(fd, h[0]))
		return 3;
	if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "q4", &h[0]))
		return 4;
	/* many rounds of refusal and release leak no quota */
	for (i = 0; i < 200; i++) {
		ret = ko_generate(fd, VHSM_KEY_SECRET, VHSM_USAGE_EXPORT_KERNEL, 0700, "qx", NULL);
		if (ret != -EDQUOT && ret != -EINVAL)
			return 5;
		if (ko_destroy(fd, h[1]))
			return 6;
		if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "q1", &h[1]))
			return 7;
	}
	for (i = 0; i < 4; i++)
		if (ko_destroy(fd, h[i]))
			return 8;
	return 0;
}

static int other_user_unaffected(int fd, void *p)
{
	uint32_t h;

	if (ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "other", &h))
		return 1;
	return ko_destroy(fd, h) ? 2 : 0;
}

static int byte_quota(int fd, void *p)
{
	uint32_t h;
	int ret = ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, "big", &h);

	return ret == -EDQUOT ? 0 : 1;
}

TEST(quotas_give_edquot_and_recover)
{
	unsigned long keys = read_param("max_keys_per_user");
	unsigned long bytes = read_param("max_bytes_per_user");

	ASSERT_LT(0, keys);
	ASSERT_EQ(0, write_param("max_keys_per_user", 4));
	EXPECT_EQ(0, as_user(CAROL, CAROL, fill_quota, NULL));
	EXPECT_EQ(0, as_user(BOB, BOB, other_user_unaffected, NULL));
	ASSERT_EQ(0, write_param("max_keys_per_user", keys));

	ASSERT_EQ(0, write_param("max_bytes_per_user", 64));
	EXPECT_EQ(0, as_user(CAROL, CAROL, byte_quota, NULL));
	ASSERT_EQ(0, write_param("max_bytes_per_user", bytes));
}

/*
 * A key's AES-GCM transform, made on its first use, is charged to its owner's
 * byte quota: fill the quota with keys, then use them; some first use must
 * find no room (-EDQUOT), and once the other keys are gone it finds room.
 */
static int transforms_are_charged(int fd, void *p)
{
	static const uint8_t msg[16] = "transform quota";
	uint8_t out[16], iv[12], tag[16];
	uint32_t h[64];
	int n, i, ret, refused = -1, bad = 0;
	char label[16];

	for (n = 0; n < 64; n++) {
		snprintf(label, sizeof(label), "t%d", n);
		ret = ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0700, label, &h[n]);
		if (ret == -EDQUOT)
			break;
		if (ret) {
			bad = 1;
			goto out;
		}
	}
	if (n == 0 || n == 64) {
		bad = 2;	/* the quota should allow a few keys, not 64 */
		goto out;
	}
	for (i = 0; i < n && refused < 0; i++) {
		ret = ko_encrypt(fd, h[i], 0, NULL, 0, msg, 16, out, iv, tag);
		if (ret == -EDQUOT)
			refused = i;
		else if (ret)
			bad = 3;
	}
	if (refused < 0) {
		bad |= 4;	/* every transform was free */
		goto out;
	}
	/* room again once the other keys (and their transforms) are gone */
	for (i = 0; i < n; i++)
		if (i != refused && ko_destroy(fd, h[i]))
			bad |= 8;
	if (ko_encrypt(fd, h[refused], 0, NULL, 0, msg, 16, out, iv, tag))
		bad |= 16;
	if (ko_destroy(fd, h[refused]))
		bad |= 32;
	return bad;
out:
	for (i = 0; i < n; i++)
		ko_destroy(fd, h[i]);
	return bad;
}

TEST(transforms_count_against_the_byte_quota)
{
	unsigned long bytes = read_param("max_bytes_per_user");

	ASSERT_LT(0, bytes);
	ASSERT_EQ(0, write_param("max_bytes_per_user", 4096));
	EXPECT_EQ(0, as_user(CAROL, CAROL, transforms_are_charged, NULL));
	ASSERT_EQ(0, write_param("max_bytes_per_user", bytes));
}

TEST_HARNESS_MAIN
