// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/vhsm ioctl ABI: VHSM_IOC_INFO and every kind of malformed call.
 * Each malformed call must get its documented errno and leave the module
 * working.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"
#include "keyops.h"

static int info_call(int fd, void *arg)
{
	return ioctl(fd, VHSM_IOC_INFO, arg) ? -errno : 0;
}

static void info_init(struct vhsm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", vhsm_test_device(),
				      strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, info_reports_module_and_sim_platform)
{
	struct vhsm_info info;

	info_init(&info);
	ASSERT_EQ(0, info_call(self->fd, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(VHSM_ABI_VERSION, info.abi_version);
	EXPECT_EQ(VHSM_PLATFORM_SIM, info.platform_id);
	EXPECT_STREQ("sim", info.platform_name);
	EXPECT_TRUE(info.platform_flags & VHSM_PLATFORM_F_SIMULATED);
	EXPECT_LT(0, strlen(info.module_version));
	/* NUL-padded: nothing after the terminator */
	EXPECT_EQ(NULL, memchr(info.platform_name + 4, 1, sizeof(info.platform_name) - 4));
	EXPECT_EQ(0, info.__pad);
}

TEST_F(dev, info_size_below_ver0_is_einval)
{
	static const uint32_t sizes[] = { 0, 4, 8, 16, VHSM_INFO_SIZE_VER0 - 1 };
	struct vhsm_info info;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		info_init(&info);
		info.size = sizes[i];
		EXPECT_EQ(-EINVAL, info_call(self->fd, &info)) TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(0, info.abi_version) TH_LOG("output written on error");
	}
}

TEST_F(dev, info_larger_struct_with_zero_tail_is_accepted)
{
	union {
		struct vhsm_info info;
		unsigned char bytes[512];
	} u;
	size_t i;

	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	ASSERT_EQ(0, info_call(self->fd, &u));
	EXPECT_EQ(sizeof(struct vhsm_info), u.info.size);
	EXPECT_EQ(VHSM_ABI_VERSION, u.info.abi_version);
	for (i = sizeof(struct vhsm_info); i < sizeof(u); i++)
		ASSERT_EQ(0, u.bytes[i]) TH_LOG("kernel wrote past its struct at %zu", i);
}

TEST_F(dev, info_larger_struct_with_nonzero_tail_is_e2big)
{
	union {
		struct vhsm_info info;
		unsigned char bytes[512];
	} u;

	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	u.bytes[sizeof(u) - 1] = 1;
	EXPECT_EQ(-E2BIG, info_call(self->fd, &u));
	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	u.bytes[sizeof(struct vhsm_info)] = 0x80;
	EXPECT_EQ(-E2BIG, info_call(self->fd, &u));
}

/*
 * A program built against a newer header has a larger struct, and so an ioctl
 * number whose size bits differ: the command is still found, and the struct's
 * size field decides (zero tail accepted, non-zero tail -E2BIG).
 */
#define VHSM_TEST_BIG	160
#define BIG_CMD(nr)	_IOWR(VHSM_IOC_MAGIC, nr, unsigned char[VHSM_TEST_BIG])

union big_arg {
	struct vhsm_info info;
	struct vhsm_key_info key_info;
	struct vhsm_attest attest;
	unsigned char bytes[VHSM_TEST_BIG];
};

static int big_call(int fd, unsigned long cmd, union big_arg *u)
{
	return ioctl(fd, cmd, u) ? -errno : 0;
}

TEST_F(dev, newer_header_with_larger_structs_is_matched_by_size_field)
{
	static unsigned char report[4096];
	union big_arg u;
	uint32_t handle;

	ASSERT_LT(sizeof(struct vhsm_info), VHSM_TEST_BIG);
	ASSERT_LT(sizeof(struct vhsm_key_info), VHSM_TEST_BIG);
	ASSERT_LT(sizeof(struct vhsm_attest), VHSM_TEST_BIG);
	ASSERT_NE(_IOC_SIZE(BIG_CMD(0x00)), _IOC_SIZE(VHSM_IOC_INFO));

	/* INFO */
	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	ASSERT_EQ(0, big_call(self->fd, BIG_CMD(0x00), &u));
	EXPECT_EQ(sizeof(struct vhsm_info), u.info.size);
	EXPECT_EQ(VHSM_ABI_VERSION, u.info.abi_version);
	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	u.bytes[sizeof(u) - 1] = 1;
	EXPECT_EQ(-E2BIG, big_call(self->fd, BIG_CMD(0x00), &u));

	/* KEY_INFO, on a key made for the purpose */
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0600,
				 "ioctl.bigstruct", &handle));
	memset(&u, 0, sizeof(u));
	u.key_info.size = sizeof(u);
	u.key_info.handle = handle;
	ASSERT_EQ(0, big_call(self->fd, BIG_CMD(0x13), &u));
	EXPECT_EQ(sizeof(struct vhsm_key_info), u.key_info.size);
	EXPECT_EQ(VHSM_KEY_AES256_GCM, u.key_info.attr.type);
	memset(&u, 0, sizeof(u));
	u.key_info.size = sizeof(u);
	u.key_info.handle = handle;
	u.bytes[sizeof(struct vhsm_key_info)] = 0x40;
	EXPECT_EQ(-E2BIG, big_call(self->fd, BIG_CMD(0x13), &u));

	/* ATTEST (root, sim platform): a report comes back */
	memset(&u, 0, sizeof(u));
	u.attest.size = sizeof(u);
	u.attest.report_ptr = (uintptr_t)report;
	u.attest.report_len = sizeof(report);
	memset(u.attest.report_data, 0x5a, sizeof(u.attest.report_data));
	ASSERT_EQ(0, big_call(self->fd, BIG_CMD(0x30), &u));
	EXPECT_EQ(sizeof(struct vhsm_attest), u.attest.size);
	EXPECT_LE(0x4A0, u.attest.report_len);
	EXPECT_EQ(0, memcmp(report + 0x50, u.attest.report_data, 64));

	/* ATTEST: a non-zero tail is refused before anything reaches the platform */
	memset(&u, 0, sizeof(u));
	u.attest.size = sizeof(u);
	u.bytes[sizeof(u) - 8] = 0xff;
	EXPECT_EQ(-E2BIG, big_call(self->fd, BIG_CMD(0x30), &u));
}

static int token_call(int fd, struct vhsm_key_token *t)
{
	return ioctl(fd, VHSM_IOC_KEY_TOKEN, t) ? -errno : 0;
}

TEST_F(dev, key_token_names_handle_and_unique_id)
{
	struct vhsm_key_token t1, t2, t3;
	uint32_t handles[2];

	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0600,
				 "ioctl.token1", &handles[0]));
	ASSERT_EQ(0, ko_generate(self->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0600,
				 "ioctl.token2", &handles[1]));
	memset(&t1, 0, sizeof(t1));
	t1.size = sizeof(t1);
	t1.handle = handles[0];
	t2 = t1;
	ASSERT_EQ(0, token_call(self->fd, &t1));
	ASSERT_EQ(0, token_call(self->fd, &t2));
	EXPECT_EQ(0, memcmp("vhT1", t1.token, 4));
	EXPECT_EQ(handles[0], (uint32_t)(t1.token[4] | t1.token[5] << 8 |
					  t1.token[6] << 16 | (uint32_t)t1.token[7] << 24));
	EXPECT_EQ(0, memcmp(t1.token, t2.token, VHSM_TOKEN_LEN)) TH_LOG("same key, same token");
	memset(&t3, 0, sizeof(t3));
	t3.size = sizeof(t3);
	t3.handle = handles[1];
	ASSERT_EQ(0, token_call(self->fd, &t3));
	EXPECT_NE(0, memcmp(t1.token + 8, t3.token + 8, 8)) TH_LOG("ids differ");

	/* the token field is output only; reserved must be zero */
	t3.token[0] = 1;
	EXPECT_EQ(-EINVAL, token_call(self->fd, &t3));
	memset(&t3, 0, sizeof(t3));
	t3.size = sizeof(t3);
	t3.handle = handles[1];
	t3.__reserved[1] = 1;
	EXPECT_EQ(-EINVAL, token_call(self->fd, &t3));
	t3.__reserved[1] = 0;
	t3.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, token_call(self->fd, &t3));
	t3.flags = 0;
	t3.handle = 0x7ffffff0;
	EXPECT_EQ(-ENOENT, token_call(self->fd, &t3));
}

TEST_F(dev, info_size_above_a_page_is_e2big)
{
	size_t len = 2 * getpagesize();
	struct vhsm_info *info = calloc(1, len);

	ASSERT_NE(NULL, info);
	info->size = getpagesize() + 1;
	EXPECT_EQ(-E2BIG, info_call(self->fd, info));
	info->size = UINT32_MAX;
	EXPECT_EQ(-E2BIG, info_call(self->fd, info));
	free(info);
}

TEST_F(dev, info_every_unknown_flag_is_eopnotsupp)
{
	struct vhsm_info info;
	int bit;

	for (bit = 0; bit < 32; bit++) {
		if (VHSM_INFO_FLAGS_ALL & (1U << bit))
			continue;
		info_init(&info);
		info.flags = 1U << bit;
		EXPECT_EQ(-EOPNOTSUPP, info_call(self->fd, &info)) TH_LOG("bit %d", bit);
	}
}

TEST_F(dev, info_nonzero_reserved_is_einval)
{
	struct vhsm_info info;
	size_t i;

	for (i = 0; i < sizeof(info.__reserved) / sizeof(info.__reserved[0]); i++) {
		info_init(&info);
		info.__reserved[i] = 1ULL << (i * 13);
		EXPECT_EQ(-EINVAL, info_call(self->fd, &info)) TH_LOG("__reserved[%zu]", i);
	}
	for (i = 0; i < sizeof(info.limits.__reserved) / sizeof(info.limits.__reserved[0]); i++) {
		info_init(&info);
		info.limits.__reserved[i] = 0x100;
		EXPECT_EQ(-EINVAL, info_call(self->fd, &info)) TH_LOG("limits.__reserved[%zu]", i);
	}
	info_init(&info);
	info.__pad = 1;
	EXPECT_EQ(-EINVAL, info_call(self->fd, &info));
}

TEST_F(dev, unknown_commands_are_enotty)
{
	struct vhsm_info info;
	const unsigned long cmds[] = {
		_IOWR(VHSM_IOC_MAGIC, 0x7f, struct vhsm_info),
		_IOWR(VHSM_IOC_MAGIC, 0x01, struct vhsm_info),
		_IOR(VHSM_IOC_MAGIC, 0x00, struct vhsm_info),	/* INFO, wrong direction */
		_IOW(VHSM_IOC_MAGIC, 0x00, struct vhsm_info),	/* INFO, write only */
		_IO(VHSM_IOC_MAGIC, 0x00),			/* INFO, no direction */
		_IOWR('S', 0x00, struct vhsm_info),		/* another driver's type */
		0,
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		info_init(&info);
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &info)) TH_LOG("cmd %#lx", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
}

TEST_F(dev, bad_pointers_are_efault)
{
	long page = getpagesize();
	unsigned char *map;
	struct vhsm_info *info;

	EXPECT_EQ(-EFAULT, info_call(self->fd, NULL));
	EXPECT_EQ(-EFAULT, info_call(self->fd, (void *)(uintptr_t)-4096));

	/* a struct that runs into an unmapped page */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	info = (struct vhsm_info *)(map + page - 16);
	memset(info, 0, 16);
	info->size = sizeof(*info);
	EXPECT_EQ(-EFAULT, info_call(self->fd, info));

	/* a read-only struct: valid input, but the answer cannot be written */
	info = (struct vhsm_info *)map;
	info_init(info);
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(-EFAULT, info_call(self->fd, info));
	munmap(map, page);
}

TEST_F(dev, module_keeps_working_after_malformed_calls)
{
	struct vhsm_info info;
	int i;

	for (i = 0; i < 1000; i++) {
		info_init(&info);
		switch (i % 4) {
		case 0: info.size = i % VHSM_INFO_SIZE_VER0; break;
		case 1: info.flags = 1U << (i % 32); break;
		case 2: info.__reserved[i % 4] = i; break;
		case 3: ioctl(self->fd, _IOWR(VHSM_IOC_MAGIC, i % 256 + 1, int), &info); continue;
		}
		ASSERT_GT(0, info_call(self->fd, &info)) TH_LOG("iteration %d accepted", i);
	}
	info_init(&info);
	ASSERT_EQ(0, info_call(self->fd, &info));
	EXPECT_STREQ("sim", info.platform_name);
}

TEST(device_node_is_char_0660_with_module_group)
{
	char buf[32] = "";
	struct stat st;
	unsigned long gid;
	int fd;

	ASSERT_EQ(0, stat(vhsm_test_device(), &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0660, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	fd = open("/sys/module/vhsm/parameters/group", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	gid = strtoul(buf, NULL, 10);
	EXPECT_EQ(gid, st.st_gid);
}

TEST_HARNESS_MAIN
