// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest-message channel across unloads, kills and odd answers, on the sim
 * platform (root, $VHSM_KO, and vhsm_sim_hw.ko next to it):
 *  - a request abandoned while the host is busy is completed, byte for byte,
 *    when vhsm.ko unloads; if the host stays busy the VMPCK is wiped, so the
 *    next load can never send a new plaintext under its sequence number. The
 *    simulated machine (vhsm_sim_hw.ko) keeps the secrets page and the
 *    AMD-SP across the reload, as a real guest does, and its AMD-SP counts
 *    every sequence number that carried two different messages (iv_reuse);
 *  - a task killed while it waits for a busy host, or for the channel that
 *    another request holds, goes at once; its request stays pending and is
 *    completed before the next;
 *  - a MSG_REPORT_RSP longer than the report is -EIO and the VMPCK survives;
 *  - a certificate table the host says is larger than 4 GiB is refused, not
 *    truncated.
 * Each test starts a fresh simulated machine and leaves vhsm.ko loaded as it
 * found it, without vhsm_sim_hw.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "attest_util.h"
#include "vhsm_test.h"

#define RLEN VHSM_SNP_REPORT_LEN
#define HW_STATE "/sys/module/vhsm_sim_hw/parameters/state"

/* A field of vhsm_sim_hw's state; @idx picks from "a,b,c,d". ~0 if absent. */
static uint64_t hw_state(const char *key, int idx)
{
	char buf[512], pat[64];
	const char *p;
	ssize_t n;
	int fd;

	fd = open(HW_STATE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ~0ULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return ~0ULL;
	buf[n] = '\0';
	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = buf; (p = strstr(p, pat)); p++) {
		if (p != buf && p[-1] != ' ')
			continue;
		p += strlen(pat);
		while (idx-- > 0 && (p = strchr(p, ',')))
			p++;
		return p ? strtoull(p, NULL, 0) : ~0ULL;
	}
	return ~0ULL;
}

static int hw_path(char *out, size_t cap)
{
	const char *ko = getenv("VHSM_KO");
	const char *slash = ko ? strrchr(ko, '/') : NULL;

	if (!slash)
		return -ENOENT;
	snprintf(out, cap, "%.*s/vhsm_sim_hw.ko", (int)(slash - ko), ko);
	return access(out, R_OK) ? -errno : 0;
}

static int hw_unload(void)
{
	if (!syscall(SYS_delete_module, "vhsm_sim_hw", O_NONBLOCK))
		return 0;
	return errno == ENOENT ? 0 : -errno;
}

/* A fresh simulated machine: power it off (if on) and launch it again. */
static int hw_launch(void)
{
	char path[512];
	int fd, ret;

	ret = hw_path(path, sizeof(path));
	if (ret)
		return ret;
	ret = hw_unload();
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

FIXTURE(chan) {
	char params[AT_PARAMS_MAX];
	uint32_t vmpl;
	int fd;
};

static int open_dev(void)
{
	return open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
}

FIXTURE_SETUP(chan)
{
	struct vhsm_info info = { .size = sizeof(info) };
	char path[512];
	int fd = open_dev();

	self->fd = -1;
	self->params[0] = '\0';
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, at_ioctl(fd, VHSM_IOC_INFO, &info));
	close(fd);
	if (info.platform_id != VHSM_PLATFORM_SIM || !getenv("VHSM_KO") || geteuid() ||
	    hw_path(path, sizeof(path)))
		SKIP(return, "needs root, the sim platform, VHSM_KO and vhsm_sim_hw.ko");
	ASSERT_EQ(0, at_load_params(self->params, sizeof(self->params)));
	self->vmpl = (uint32_t)at_param_u64("sim_vmpl");
	/* vhsm.ko must let go of any machine before a new one is launched */
	ASSERT_EQ(0, at_unload());
	ASSERT_EQ(0, hw_launch());
	ASSERT_EQ(0, at_load(self->params));
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, hw_state("vmpck_wiped", self->vmpl));
}

FIXTURE_TEARDOWN(chan)
{
	if (self->fd >= 0)
		close(self->fd);
	if (!self->params[0])
		return;
	/* power the machine off and load vhsm.ko as the run had it */
	at_unload();
	hw_unload();
	at_load(self->params);
}

/* Reload vhsm.ko (same machine) with the run's parameters plus @extra. */
static int reload(FIXTURE_DATA(chan) *self, const char *extra)
{
	int ret;

	if (self->fd >= 0)
		close(self->fd);
	self->fd = -1;
	ret = at_reload(self->params, extra);
	if (ret)
		return ret;
	self->fd = open_dev();
	return self->fd < 0 ? -errno : 0;
}

TEST_F(chan, pending_request_is_completed_at_unload)
{
	uint8_t rd[64] = { 3 }, report[RLEN];
	uint64_t seq, checked;

	ASSERT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
	seq = hw_state("msg_seqno", self->vmpl);
	ASSERT_EQ(2, seq);

	/* 6 busy answers end the request (5 resends); 2 are left for the unload */
	ASSERT_EQ(0, at_fault("busy:8"));
	rd[1] = 1;
	EXPECT_EQ(-ETIMEDOUT, at_attest(self->fd, rd, self->vmpl, report));
	EXPECT_EQ(1, at_stat("guest_timeouts"));
	EXPECT_EQ(seq, hw_state("msg_seqno", self->vmpl));	/* pending */
	EXPECT_EQ(seq, hw_state("fw_seqno", self->vmpl));

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, at_unload());
	/* the firmware answered the pending request during the unload */
	EXPECT_EQ(0, hw_state("vmpck_wiped", self->vmpl));
	EXPECT_EQ(seq + 2, hw_state("fw_seqno", self->vmpl));
	EXPECT_EQ(seq + 2, hw_state("msg_seqno", self->vmpl));
	EXPECT_EQ(0, hw_state("iv_reuse", 0));

	/* the next load starts after it: a fresh sequence number */
	ASSERT_EQ(0, at_load(self->params));
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	checked = hw_state("iv_checked", 0);
	rd[1] = 2;
	ASSERT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
	EXPECT_EQ(seq + 3, at_stat("sp_last_seqno"));
	EXPECT_EQ(seq + 4, hw_state("msg_seqno", self->vmpl));
	EXPECT_EQ(checked + 1, hw_state("iv_checked", 0));	/* the check ran */
	EXPECT_EQ(0, hw_state("iv_reuse", 0));
	EXPECT_EQ(0, at_stat("sp_iv_reuse"));
}

TEST_F(chan, pending_request_the_host_never_takes_wipes_the_vmpck_at_unload)
{
	uint8_t rd[64] = { 4 }, report[RLEN];
	uint64_t seq;

	ASSERT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
	seq = hw_state("msg_seqno", self->vmpl);
	ASSERT_EQ(0, at_fault("busy:forever"));
	rd[1] = 1;
	EXPECT_EQ(-ETIMEDOUT, at_attest(self->fd, rd, self->vmpl, report));

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, at_unload());
	/* never answered: the sequence numbers stand, the key is gone */
	EXPECT_EQ(1, hw_state("vmpck_wiped", self->vmpl));
	EXPECT_EQ(seq, hw_state("msg_seqno", self->vmpl));
	EXPECT_EQ(seq, hw_state("fw_seqno", self->vmpl));
	EXPECT_EQ(0, hw_state("iv_reuse", 0));

	/* so vhsm.ko refuses to load on this machine: nothing more goes out */
	EXPECT_EQ(-EINVAL, at_load(self->params));
	EXPECT_EQ(0, hw_state("iv_reuse", 0));

	/* a restarted guest has a fresh VMPCK */
	ASSERT_EQ(0, hw_launch());
	ASSERT_EQ(0, at_load(self->params));
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	EXPECT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
}

/* Fork a child that asks for a report; it exits with the errno. */
static pid_t attest_child(uint32_t vmpl, uint8_t tag)
{
	uint8_t rd[64] = { tag }, report[RLEN];
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	fd = open_dev();
	_exit(fd < 0 ? 100 : -at_attest(fd, rd, vmpl, report));
}

/* The scheduler state of @pid ('R', 'S', 'D', ...), or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait (polling, up to ~60 s) until @cond; 0 when it held. */
#define WAIT_FOR(cond) ({						\
	int __i, __ok = 0;						\
	for (__i = 0; __i < 600 && !(__ok = !!(cond)); __i++)		\
		usleep(100000);						\
	__ok ? 0 : -ETIMEDOUT;						\
})

TEST_F_TIMEOUT(chan, killed_while_the_host_is_busy_leaves_the_request_pending, 240)
{
	uint8_t rd[64] = { 5 }, report[RLEN];
	uint64_t seq, same, diff;
	pid_t a, b;
	int status;

	/* a host busy for hours: 100000 resends, 50 ms apart */
	ASSERT_EQ(0, reload(self, "sim_busy_retries=100000 sim_busy_delay_ms=50"));
	seq = hw_state("msg_seqno", self->vmpl);
	ASSERT_EQ(0, at_fault("busy:forever"));

	a = attest_child(self->vmpl, 1);
	ASSERT_LT(0, a);
	ASSERT_EQ(0, WAIT_FOR(at_stat("guest_busy") >= 2));	/* a waits out the host */
	b = attest_child(self->vmpl, 2);
	ASSERT_LT(0, b);
	/* b sleeps on the channel a holds */
	ASSERT_EQ(0, WAIT_FOR(proc_state(b) == 'D'));

	/* b goes at once, while a still holds the channel */
	ASSERT_EQ(0, kill(b, SIGKILL));
	ASSERT_EQ(b, waitpid(b, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(0, waitpid(a, &status, WNOHANG));		/* a still waiting */
	EXPECT_EQ(0, at_stat("guest_timeouts"));

	/* a goes too; its request stays pending */
	ASSERT_EQ(0, kill(a, SIGKILL));
	ASSERT_EQ(a, waitpid(a, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(1, at_stat("guest_timeouts"));
	EXPECT_GT(100000, at_stat("guest_busy"));
	EXPECT_EQ(seq, hw_state("msg_seqno", self->vmpl));
	EXPECT_EQ(0, at_stat("guest_wiped"));

	/* the host recovers: a's request completes identically, then ours */
	same = at_stat("sp_resent_identical");
	diff = at_stat("sp_resent_mismatch");
	ASSERT_EQ(0, at_fault("none"));
	ASSERT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
	EXPECT_EQ(same + 1, at_stat("sp_resent_identical"));
	EXPECT_EQ(diff, at_stat("sp_resent_mismatch"));
	EXPECT_EQ(seq + 4, hw_state("msg_seqno", self->vmpl));
	EXPECT_EQ(0, at_stat("sp_iv_reuse"));
}

TEST_F(chan, oversized_report_response_is_eio_and_the_vmpck_survives)
{
	uint8_t rd[64] = { 6 }, report[RLEN];
	uint64_t seq = hw_state("msg_seqno", self->vmpl);

	ASSERT_EQ(0, at_fault("long_report"));
	EXPECT_EQ(-EIO, at_attest(self->fd, rd, self->vmpl, report));
	EXPECT_EQ(0, at_stat("guest_wiped"));
	EXPECT_EQ(seq + 2, hw_state("msg_seqno", self->vmpl));	/* answered */
	/* the channel is in step: the next request works */
	EXPECT_EQ(0, at_attest(self->fd, rd, self->vmpl, report));
	EXPECT_EQ(0, memcmp(report + R_REPORT_DATA, rd, sizeof(rd)));
	EXPECT_EQ(0, hw_state("vmpck_wiped", self->vmpl));
}

TEST_F(chan, huge_certificate_table_is_refused_not_truncated)
{
	uint8_t rd[64] = { 7 }, report[RLEN], certs[8192];
	uint64_t seq = hw_state("msg_seqno", self->vmpl);
	struct vhsm_attest a;

	/* the host asks for 2^20 + 1 pages: 4 GiB + 4 KiB, 4 KiB in 32 bits */
	ASSERT_EQ(0, at_fault("certs_huge"));
	at_req(&a, rd, self->vmpl, report, RLEN);
	a.flags = VHSM_ATTEST_F_CERTS;
	a.certs_ptr = (uintptr_t)certs;
	a.certs_len = sizeof(certs);
	EXPECT_EQ(-EIO, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(sizeof(certs), a.certs_len);		/* no made-up length */
	EXPECT_EQ(0, at_stat("guest_wiped"));
	EXPECT_EQ(seq + 2, hw_state("msg_seqno", self->vmpl));
	/* the channel is in step */
	at_req(&a, rd, self->vmpl, report, RLEN);
	a.flags = VHSM_ATTEST_F_CERTS;
	a.certs_ptr = (uintptr_t)certs;
	a.certs_len = sizeof(certs);
	EXPECT_EQ(0, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(0, a.certs_len);			/* the sim has no table */
}

TEST_HARNESS_MAIN
