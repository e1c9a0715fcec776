// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who may open /dev/vhsm: root and members of the module's "group"; nobody
 * else. Each case drops privileges in the harness's forked child.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"

#define OUTSIDER_ID 65534

static gid_t module_group(void)
{
	char buf[32] = "";
	int fd = open("/sys/module/vhsm/parameters/group", O_RDONLY);

	if (fd < 0)
		return (gid_t)-1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? (gid_t)strtoul(buf, NULL, 10) : (gid_t)-1;
}

static int become(uid_t uid, gid_t gid, const gid_t *groups, size_t ngroups)
{
	if (setgroups(ngroups, groups) || setgid(gid) || setuid(uid))
		return -errno;
	return 0;
}

TEST(module_group_is_set_for_this_run)
{
	gid_t gid = module_group();

	ASSERT_NE((gid_t)-1, gid);
	/* the harness loads vhsm with a non-root group so both cases below mean something */
	ASSERT_NE(0, gid);
	ASSERT_NE(OUTSIDER_ID, gid);
}

TEST(user_outside_group_cannot_open)
{
	int fd;

	ASSERT_EQ(0, become(OUTSIDER_ID, OUTSIDER_ID, NULL, 0));
	fd = open(vhsm_test_device(), O_RDWR);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	fd = open(vhsm_test_device(), O_RDONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
}

TEST(group_member_can_open_and_query)
{
	gid_t gid = module_group();
	struct vhsm_info info;
	int fd;

	ASSERT_EQ(0, become(OUTSIDER_ID, OUTSIDER_ID, &gid, 1));
	fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	EXPECT_EQ(0, ioctl(fd, VHSM_IOC_INFO, &info));
	EXPECT_EQ(VHSM_ABI_VERSION, info.abi_version);
	close(fd);
}

TEST(primary_group_member_can_open)
{
	int fd;

	ASSERT_EQ(0, become(OUTSIDER_ID, module_group(), NULL, 0));
	fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	close(fd);
}

TEST_HARNESS_MAIN
