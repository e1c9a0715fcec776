// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sim platform as different VMs and chips: vhsm.ko is reloaded with other
 * sim_* parameters (from $VHSM_KO, root only) and
 *  - attest_test runs again under each (Turin with report version 5 and
 *    mitigation vectors at VMPL 1, Genoa at VMPL 3 without SMT),
 *  - platform keys change with the measurement when it is selected, stay
 *    when it is not, and come back when the measurement does,
 *  - another chip secret gives another VCEK and other keys,
 *  - invalid parameters are refused at load.
 * Every test puts the module back as it found it.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "attest_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define OTHER_MEASUREMENT \
	"sim_measurement=ffeeddccbbaa99887766554433221100ffeeddccbbaa9988" \
	"7766554433221100ffeeddccbbaa99887766554433221100"
#define OTHER_CHIP \
	"sim_chip_secret=0000000000000000000000000000000000000000000000000000000000000001"

FIXTURE(variants) {
	char params[AT_PARAMS_MAX];
};

FIXTURE_SETUP(variants)
{
	struct vhsm_info info = { .size = sizeof(info) };
	int fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, at_ioctl(fd, VHSM_IOC_INFO, &info));
	close(fd);
	if (info.platform_id != VHSM_PLATFORM_SIM || !getenv("VHSM_KO") || geteuid())
		SKIP(return, "needs root, the sim platform and VHSM_KO");
	ASSERT_EQ(0, at_load_params(self->params, sizeof(self->params)));
}

FIXTURE_TEARDOWN(variants)
{
	/* back to the parameters the run started with */
	if (self->params[0] && strstr(self->params, "platform=sim"))
		at_reload(self->params, NULL);
}

/* HMAC of a fixed message under a platform key for @fields; 0 or -errno. */
static int pk_mac(uint64_t fields, uint8_t mac[48])
{
	static const char msg[] = "vhsm variant message";
	struct vhsm_platform_key pk = { .size = sizeof(pk) };
	uint32_t mac_len = 0;
	int fd, ret;

	fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	pk.vmpl = (uint32_t)at_param_u64("sim_vmpl");
	pk.guest_field_select = fields;
	ko_attr(&pk.attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, "variants.k");
	ret = at_ioctl(fd, VHSM_IOC_PLATFORM_KEY, &pk);
	if (!ret) {
		ret = ko_mac(fd, pk.handle, msg, sizeof(msg), mac, &mac_len);
		ko_destroy(fd, pk.handle);
	}
	close(fd);
	return ret;
}

/* Run NAME (next to this program); its TAP becomes diagnostics. */
static int run_sibling(const char *name)
{
	char self_path[512], prog[600], line[512];
	int pipefd[2], status;
	ssize_t n;
	FILE *out;
	pid_t pid;

	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n < 0)
		return -errno;
	self_path[n] = '\0';
	snprintf(prog, sizeof(prog), "%s/%s", dirname(self_path), name);
	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	while (out && fgets(line, sizeof(line), out))
		printf("#   %s", line);
	if (out)
		fclose(out);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int run_attest_test(void)
{
	return run_sibling("attest_test");
}

/*
 * Turin's default TCBs are in Turin's layout (issue 12 item 9): no reserved
 * byte set, so the full verifier (report verify, which refuses reserved
 * bytes) accepts the sim's report with a test-CA VCEK for it.
 */
/* @params without its sim_*_tcb= words (so the product's defaults apply) */
static void drop_tcb_params(const char *params, char *out, size_t cap)
{
	char copy[AT_PARAMS_MAX], *save = NULL, *w;
	size_t used = 0;

	snprintf(copy, sizeof(copy), "%s", params);
	out[0] = '\0';
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *eq = strchr(w, '=');

		if (!strncmp(w, "sim_", 4) && eq && eq - w > 4 && !strncmp(eq - 4, "_tcb", 4))
			continue;
		used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s ", w);
	}
}

TEST_F_TIMEOUT(variants, turin_default_tcb_verifies, 300)
{
	char base[AT_PARAMS_MAX];

	/* the current parameters carry the Milan default TCBs explicitly */
	drop_tcb_params(self->params, base, sizeof(base));
	ASSERT_EQ(NULL, strstr(base, "_tcb="));
	ASSERT_EQ(0, at_reload(base, "sim_product=turin"));
	EXPECT_EQ(0x7300000008000301ULL, at_param_u64("sim_reported_tcb"));
	EXPECT_EQ(0x7300000008000301ULL, at_param_u64("sim_current_tcb"));
	EXPECT_EQ(0x7300000008000301ULL, at_param_u64("sim_committed_tcb"));
	EXPECT_EQ(0x7300000008000301ULL, at_param_u64("sim_launch_tcb"));
	EXPECT_EQ(0, run_attest_test());
	EXPECT_EQ(0, run_sibling("attest_cli_test.sh"));
}

TEST_F_TIMEOUT(variants, turin_v5_at_vmpl1_passes_attest_test, 240)
{
	ASSERT_EQ(0, at_reload(self->params,
			       "sim_product=turin sim_report_version=5 sim_vmpl=1 "
			       "sim_launch_mit=3 sim_current_mit=7 sim_guest_svn=9 "
			       "sim_family_id=0102030405060708090a0b0c0d0e0f10 "
			       "sim_image_id=1112131415161718191a1b1c1d1e1f20 "
			       "sim_host_data=2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40 "
			       "sim_current_tcb=0x0100000004030201 sim_committed_tcb=0x0100000004030201 "
			       "sim_reported_tcb=0x0100000003030201 sim_launch_tcb=0x0100000004030201"));
	EXPECT_EQ(1, at_param_u64("sim_vmpl"));
	EXPECT_EQ(0, run_attest_test());
}

TEST_F_TIMEOUT(variants, genoa_at_vmpl3_without_smt_passes_attest_test, 240)
{
	ASSERT_EQ(0, at_reload(self->params,
			       "sim_product=genoa sim_report_version=3 sim_vmpl=3 "
			       "sim_policy=0x20000 sim_guest_svn=0"));
	EXPECT_EQ(0, run_attest_test());
}

TEST_F_TIMEOUT(variants, platform_key_follows_the_measurement, 120)
{
	uint8_t m_a[48], p_a[48], m_b[48], p_b[48], m_c[48];

	ASSERT_EQ(0, pk_mac(VHSM_FIELD_MEASUREMENT, m_a));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_POLICY, p_a));

	ASSERT_EQ(0, at_reload(self->params, OTHER_MEASUREMENT));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_MEASUREMENT, m_b));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_POLICY, p_b));
	EXPECT_NE(0, memcmp(m_a, m_b, 32));	/* another image: another key */
	EXPECT_EQ(0, memcmp(p_a, p_b, 32));	/* measurement not selected */

	ASSERT_EQ(0, at_reload(self->params, NULL));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_MEASUREMENT, m_c));
	EXPECT_EQ(0, memcmp(m_a, m_c, 32));	/* same image again: same key */
}

TEST_F_TIMEOUT(variants, another_chip_has_another_vcek_and_keys, 120)
{
	char vcek_a[256], vcek_b[256];
	uint8_t p_a[48], p_b[48];

	ASSERT_EQ(0, at_param("sim_vcek_pub", vcek_a, sizeof(vcek_a)));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_POLICY, p_a));
	ASSERT_EQ(0, at_reload(self->params, OTHER_CHIP));
	ASSERT_EQ(0, at_param("sim_vcek_pub", vcek_b, sizeof(vcek_b)));
	ASSERT_EQ(0, pk_mac(VHSM_FIELD_POLICY, p_b));
	EXPECT_STRNE(vcek_a, vcek_b);
	EXPECT_NE(0, memcmp(p_a, p_b, 32));
	EXPECT_EQ(0, run_attest_test());	/* and its reports verify with it */
}

TEST_F_TIMEOUT(variants, invalid_parameters_are_refused, 120)
{
	static const char *const bad[] = {
		"sim_policy=0x10000",			/* bit 17 clear */
		"sim_policy=0x4000020000",		/* MBZ bit */
		"sim_report_version=4",
		"sim_vmpl=4",
		"sim_product=naples",
		"sim_measurement=0011",
		"sim_chip_secret=zz",
		"sim_reported_tcb=0xff00000000000000",	/* above committed */
	};
	char params[2 * AT_PARAMS_MAX];
	size_t i;

	ASSERT_EQ(0, at_unload());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(params, sizeof(params), "%s %s", self->params, bad[i]);
		EXPECT_EQ(-EINVAL, at_load(params)) {
			TH_LOG("loaded with %s", bad[i]);
			at_unload();
		}
	}
	ASSERT_EQ(0, at_load(self->params));
}

TEST_HARNESS_MAIN
