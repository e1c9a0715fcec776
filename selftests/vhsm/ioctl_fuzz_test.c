// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Random ioctls for a bounded time, as an unprivileged member of the device
 * group: random command numbers around vhsm's, random sizes, flags and
 * contents, pointer fields aimed at valid buffers, garbage or kernel
 * addresses. Every call must return (0 or a clean errno), the module must
 * keep answering VHSM_IOC_INFO, and the kernel log must stay clean (the
 * harness scans it). $VHSM_FUZZ_SECONDS sets the duration (default 20 s;
 * the debug lane, make check-debug, runs 300).
 */
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

#define FUZZ_SECONDS 20
#define FUZZ_SECONDS_MAX 3600	/* the test's timeout is this plus a margin */
#define ARG_MAX_BYTES 512

static const unsigned int known[] = {
	VHSM_IOC_INFO, VHSM_IOC_KEY_GENERATE, VHSM_IOC_KEY_IMPORT, VHSM_IOC_KEY_DESTROY,
	VHSM_IOC_KEY_INFO, VHSM_IOC_KEY_LOOKUP, VHSM_IOC_KEY_LIST, VHSM_IOC_AEAD,
	VHSM_IOC_MAC, VHSM_IOC_SIGN, VHSM_IOC_VERIFY, VHSM_IOC_PUBKEY, VHSM_IOC_DERIVE,
	VHSM_IOC_ATTEST, VHSM_IOC_PLATFORM_KEY, VHSM_IOC_KEY_EXPORT,
	VHSM_IOC_SESSION_OPEN, VHSM_IOC_SESSION_IMPORT, VHSM_IOC_SESSION_CLOSE,
	VHSM_IOC_SEAL, VHSM_IOC_UNSEAL,
};

static uint8_t target[4096];

/* A pointer-sized value: a valid buffer, NULL, garbage, or a kernel address. */
static uint64_t random_pointer(void)
{
	switch (rand() % 4) {
	case 0: return (uintptr_t)target + rand() % 64;
	case 1: return 0;
	case 2: return ((uint64_t)rand() << 32) | rand();
	default: return 0xffff888000000000ULL + ((uint64_t)rand() << 12);
	}
}

static unsigned int fuzz_seconds(void)
{
	const char *s = getenv("VHSM_FUZZ_SECONDS");
	unsigned long v = s && *s ? strtoul(s, NULL, 10) : FUZZ_SECONDS;

	return v && v <= FUZZ_SECONDS_MAX ? (unsigned int)v : FUZZ_SECONDS;
}

static void random_arg(unsigned int cmd, uint8_t *arg, uint32_t *size)
{
	size_t i;

	/*
	 * Half the time a near-valid struct: the right size, small values in
	 * the leading fields, zero elsewhere, so calls get past the checks;
	 * otherwise sparse random bytes everywhere.
	 */
	if (rand() % 2) {
		memset(arg, 0, ARG_MAX_BYTES);
		for (i = 8; i < 24; i++)
			arg[i] = rand() % 8;
		*size = _IOC_SIZE(cmd);
	} else {
		for (i = 0; i < ARG_MAX_BYTES; i++)
			arg[i] = rand() % 3 ? 0 : rand();
		*size = rand() % 4 ? (uint32_t)(40 + rand() % 110) : (uint32_t)rand();
	}
	memcpy(arg, size, 4);
	if (rand() % 2)
		memset(arg + 4, 0, 4);		/* no flags */
	for (i = 8; i + 8 <= 160; i += 8)	/* sprinkle pointers */
		if (rand() % 5 == 0) {
			uint64_t p = random_pointer();

			memcpy(arg + i, &p, 8);
		}
}


FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_ioctls_leave_the_module_working, FUZZ_SECONDS_MAX + 120)
{
	uint8_t arg[ARG_MAX_BYTES];
	struct vhsm_info info;
	const char *g = getenv("VHSM_TEST_GID");
	gid_t gid = g ? (gid_t)strtoul(g, NULL, 10) : 0;
	long calls = 0, ok = 0;
	time_t end;
	uint32_t size;
	int fd;

	ASSERT_EQ(0, setgroups(1, &gid));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, fd);
	srand(getpid());
	TH_LOG("fuzzing for %u s", fuzz_seconds());
	end = time(NULL) + fuzz_seconds();
	while (time(NULL) < end) {
		unsigned int cmd = known[rand() % (sizeof(known) / sizeof(known[0]))];

		if (rand() % 8 == 0)
			cmd = _IOC(rand() % 4, VHSM_IOC_MAGIC, rand() % 64, rand() % 256);
		random_arg(cmd, arg, &size);
		if (ioctl(fd, cmd, arg) == 0)
			ok++;
		calls++;
	}
	TH_LOG("%ld random calls, %ld accepted", calls, ok);
	/* leave no keys behind for the tests that follow */
	for (;;) {
		struct vhsm_key_list l = { .size = sizeof(l), .count = 1 };
		uint32_t h;

		l.handles_ptr = (uintptr_t)&h;
		if (ko_ioctl(fd, VHSM_IOC_KEY_LIST, &l) || !l.count)
			break;
		ASSERT_EQ(0, ko_destroy(fd, h));
	}
	EXPECT_LT(1000, calls);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	EXPECT_EQ(0, ko_ioctl(fd, VHSM_IOC_INFO, &info));
	EXPECT_EQ(VHSM_ABI_VERSION, info.abi_version);
	close(fd);
}

TEST_HARNESS_MAIN
