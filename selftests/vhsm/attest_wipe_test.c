// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fail-closed guest messaging on the sim platform: a response that fails
 * authentication, or carries the wrong sequence number, wipes the VMPCK, and
 * from then on every report and platform key fails with -ENOTRECOVERABLE.
 *
 * A wipe is permanent for the loaded module, so each test reloads vhsm.ko
 * afterwards with the parameters it was loaded with (read back from sysfs),
 * from $VHSM_KO. Needs root. Leaves the module loaded and working.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "attest_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define RLEN VHSM_SNP_REPORT_LEN

static int open_dev(void)
{
	return open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
}

static int can_run(struct __test_metadata *_metadata)
{
	struct vhsm_info info = { .size = sizeof(info) };
	int fd = open_dev(), ret;

	if (fd < 0)
		return 0;
	ret = at_ioctl(fd, VHSM_IOC_INFO, &info);
	close(fd);
	return !ret && info.platform_id == VHSM_PLATFORM_SIM && getenv("VHSM_KO") &&
	       geteuid() == 0;
}

static void platform_key(int fd, struct vhsm_platform_key *pk)
{
	memset(pk, 0, sizeof(*pk));
	pk->size = sizeof(*pk);
	pk->vmpl = (uint32_t)at_param_u64("sim_vmpl");
	pk->guest_field_select = VHSM_FIELD_MEASUREMENT;
	ko_attr(&pk->attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0600, "wipe.k");
}

/* Inject @fault, check the wipe and its consequences, then reload. */
static void wipe_case(struct __test_metadata *_metadata, const char *fault)
{
	uint32_t vmpl = (uint32_t)at_param_u64("sim_vmpl");
	uint8_t rd[64] = { 1 }, report[RLEN];
	struct vhsm_platform_key pk;
	uint64_t rejected;
	int fd;

	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, at_attest(fd, rd, vmpl, report));	/* works before */
	ASSERT_EQ(0, at_stat("guest_wiped"));

	rejected = at_stat("sp_rejected");
	ASSERT_EQ(0, at_fault(fault));
	EXPECT_EQ(-ENOTRECOVERABLE, at_attest(fd, rd, vmpl, report));
	EXPECT_EQ(1, at_stat("guest_wiped"));
	/* the firmware answered; the guest refused the answer */
	EXPECT_EQ(rejected, at_stat("sp_rejected"));

	/* fail closed: nothing goes out under the wiped key */
	EXPECT_EQ(-ENOTRECOVERABLE, at_attest(fd, rd, vmpl, report));
	platform_key(fd, &pk);
	EXPECT_EQ(-ENOTRECOVERABLE, at_ioctl(fd, VHSM_IOC_PLATFORM_KEY, &pk));
	/* the key store itself keeps working */
	EXPECT_EQ(0, ko_generate(fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT, 0600,
				 "wipe.gen", &pk.handle));
	EXPECT_EQ(0, ko_destroy(fd, pk.handle));
	close(fd);

	ASSERT_EQ(0, at_reload(NULL, NULL));
	fd = open_dev();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, at_stat("guest_wiped"));
	EXPECT_EQ(0, at_attest(fd, rd, vmpl, report));
	close(fd);
}

TEST(auth_failure_wipes_the_vmpck)
{
	if (!can_run(_metadata))
		SKIP(return, "needs root, the sim platform and VHSM_KO");
	wipe_case(_metadata, "auth");
}

TEST(wrong_seqno_wipes_the_vmpck)
{
	if (!can_run(_metadata))
		SKIP(return, "needs root, the sim platform and VHSM_KO");
	wipe_case(_metadata, "seqno");
}

TEST(reload_keeps_the_launch_parameters)
{
	char before[256], after[256];
	int fd;

	if (!can_run(_metadata))
		SKIP(return, "needs root, the sim platform and VHSM_KO");
	ASSERT_EQ(0, at_param("sim_vcek_pub", before, sizeof(before)));
	ASSERT_EQ(0, at_reload(NULL, NULL));
	ASSERT_EQ(0, at_param("sim_vcek_pub", after, sizeof(after)));
	EXPECT_STREQ(before, after);		/* same chip secret and TCB */
	fd = open_dev();
	ASSERT_LE(0, fd);
	close(fd);
}

TEST_HARNESS_MAIN
