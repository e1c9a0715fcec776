// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm on the host (no module): argument checks, errors, messages.
 * Built with ASan and UBSan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"

TEST(open_rejects_null_out)
{
	EXPECT_EQ(-EINVAL, vhsm_open(NULL, "/dev/null"));
}

TEST(open_missing_device_is_enoent_and_clears_out)
{
	struct vhsm *h = (struct vhsm *)&h;

	EXPECT_EQ(-ENOENT, vhsm_open(&h, "/nonexistent/vhsm"));
	EXPECT_EQ(NULL, h);
}

TEST(open_honours_vhsm_device_env)
{
	struct vhsm *h;

	ASSERT_EQ(0, setenv("VHSM_DEVICE", "/dev/null", 1));
	ASSERT_EQ(0, vhsm_open(&h, NULL));
	EXPECT_STREQ("/dev/null", vhsm_device_path(h));
	vhsm_close(h);
	ASSERT_EQ(0, setenv("VHSM_DEVICE", "/nonexistent/vhsm", 1));
	EXPECT_EQ(-ENOENT, vhsm_open(&h, NULL));
	unsetenv("VHSM_DEVICE");
}

TEST(explicit_path_wins_over_env)
{
	struct vhsm *h;

	ASSERT_EQ(0, setenv("VHSM_DEVICE", "/nonexistent/vhsm", 1));
	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	EXPECT_STREQ("/dev/null", vhsm_device_path(h));
	vhsm_close(h);
	unsetenv("VHSM_DEVICE");
}

TEST(info_on_non_vhsm_device_is_enotty)
{
	struct vhsm_info info;
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	EXPECT_EQ(-ENOTTY, vhsm_info(h, &info));
	EXPECT_EQ(-EINVAL, vhsm_info(h, NULL));
	EXPECT_EQ(-EINVAL, vhsm_info(NULL, &info));
	vhsm_close(h);
}

TEST(close_accepts_null)
{
	vhsm_close(NULL);
	EXPECT_EQ(NULL, vhsm_device_path(NULL));
}

TEST(strerror_explains_device_errors)
{
	EXPECT_NE(NULL, strstr(vhsm_strerror(-ENOENT), "vhsm.ko"));
	EXPECT_NE(NULL, strstr(vhsm_strerror(-EACCES), "group"));
	EXPECT_NE(NULL, strstr(vhsm_strerror(ENOENT), "vhsm.ko"));
	EXPECT_STREQ("success", vhsm_strerror(0));
}

TEST(strerror_never_null)
{
	int e;

	for (e = -5000; e <= 5000; e++) {
		const char *s = vhsm_strerror(e);

		ASSERT_NE(NULL, s);
		ASSERT_LT(0, strlen(s));
	}
}

TEST(library_version_matches_build)
{
	EXPECT_STREQ(VHSM_LIB_VERSION, vhsm_library_version());
}

TEST_HARNESS_MAIN
