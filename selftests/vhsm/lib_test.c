// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm against the real module: open, info, close, and its errors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"
#include "vhsm_test.h"

TEST(open_default_path_and_info)
{
	struct vhsm_info info;
	struct vhsm *h;

	unsetenv("VHSM_DEVICE");
	ASSERT_EQ(0, vhsm_open(&h, NULL));
	EXPECT_STREQ(VHSM_DEVICE_PATH, vhsm_device_path(h));
	ASSERT_EQ(0, vhsm_info(h, &info));
	EXPECT_EQ(VHSM_ABI_VERSION, info.abi_version);
	EXPECT_STREQ("sim", info.platform_name);
	EXPECT_EQ(VHSM_PLATFORM_SIM, info.platform_id);
	vhsm_close(h);
}

TEST(device_env_overrides_default)
{
	struct vhsm *h = (struct vhsm *)1;

	setenv("VHSM_DEVICE", "/dev/vhsm-does-not-exist", 1);
	EXPECT_EQ(-ENOENT, vhsm_open(&h, NULL));
	EXPECT_EQ(NULL, h);
	unsetenv("VHSM_DEVICE");
}

TEST(info_on_other_device_is_enotty)
{
	struct vhsm_info info;
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, "/dev/null"));
	EXPECT_EQ(-ENOTTY, vhsm_info(h, &info));
	vhsm_close(h);
}

TEST(info_rejects_null)
{
	struct vhsm_info info;
	struct vhsm *h;

	ASSERT_EQ(0, vhsm_open(&h, NULL));
	EXPECT_EQ(-EINVAL, vhsm_info(h, NULL));
	EXPECT_EQ(-EINVAL, vhsm_info(NULL, &info));
	vhsm_close(h);
}

TEST(many_handles_open_and_close)
{
	struct vhsm *h[64];
	struct vhsm_info info;
	int i;

	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, vhsm_open(&h[i], NULL));
	for (i = 0; i < 64; i++) {
		EXPECT_EQ(0, vhsm_info(h[i], &info));
		vhsm_close(h[i]);
	}
}

TEST_HARNESS_MAIN
