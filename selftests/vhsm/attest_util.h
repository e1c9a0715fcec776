/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the attestation selftests: raw VHSM_IOC_ATTEST and
 * VHSM_IOC_PLATFORM_KEY calls, the sim platform's module parameters
 * (/sys/module/vhsm/parameters/sim_*), its counters (sim_stats) and fault
 * injection (sim_fault), and the ATTESTATION_REPORT offsets the tests check.
 */
#ifndef VHSM_ATTEST_UTIL_H
#define VHSM_ATTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vhsm.h>

#define AT_PARAM_DIR	"/sys/module/vhsm/parameters/"

/* ATTESTATION_REPORT offsets (AMD SEV-SNP ABI, little-endian) */
#define R_VERSION	0x000
#define R_GUEST_SVN	0x004
#define R_POLICY	0x008
#define R_FAMILY_ID	0x010
#define R_IMAGE_ID	0x020
#define R_VMPL		0x030
#define R_SIG_ALGO	0x034
#define R_CURRENT_TCB	0x038
#define R_PLATFORM_INFO	0x040
#define R_KEY_INFO	0x048
#define R_REPORT_DATA	0x050
#define R_MEASUREMENT	0x090
#define R_HOST_DATA	0x0c0
#define R_REPORT_ID	0x140
#define R_REPORT_ID_MA	0x160
#define R_REPORTED_TCB	0x180
#define R_CPUID_FAM	0x188
#define R_CHIP_ID	0x1a0
#define R_COMMITTED_TCB	0x1e0
#define R_LAUNCH_TCB	0x1f0
#define R_LAUNCH_MIT	0x1f8
#define R_CURRENT_MIT	0x200
#define R_SIGNED_LEN	0x2a0
#define R_SIG_R		0x2a0
#define R_SIG_S		0x2e8

_Static_assert(sizeof(struct vhsm_attest) == VHSM_ATTEST_SIZE_VER0, "vhsm_attest size");
_Static_assert(offsetof(struct vhsm_attest, vmpl) == 72, "vhsm_attest.vmpl");
_Static_assert(offsetof(struct vhsm_attest, fw_error) == 100, "vhsm_attest.fw_error");
_Static_assert(sizeof(struct vhsm_platform_key) == VHSM_PLATFORM_KEY_SIZE_VER0,
	       "vhsm_platform_key size");
_Static_assert(offsetof(struct vhsm_platform_key, attr) == 40, "vhsm_platform_key.attr");

static inline uint32_t at_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t at_le64(const uint8_t *p)
{
	return at_le32(p) | (uint64_t)at_le32(p + 4) << 32;
}

/* Read a module parameter into @buf (newline stripped); 0 or -errno. */
static inline int at_param(const char *name, char *buf, size_t cap)
{
	char path[512];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), AT_PARAM_DIR "%s", name) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

static inline uint64_t at_param_u64(const char *name)
{
	char buf[64];

	if (at_param(name, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 0);
}

static inline int at_unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t i;

	if (strlen(hex) != 2 * len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		out[i] = b;
	}
	return 0;
}

/* A hex parameter of exactly @len bytes; 0 or -errno. */
static inline int at_param_hex(const char *name, uint8_t *out, size_t len)
{
	char buf[512];
	int ret = at_param(name, buf, sizeof(buf));

	return ret ? ret : at_unhex(buf, out, len);
}

/* One counter from sim_stats ("key=value ..."); ~0 when missing. */
static inline uint64_t at_stat(const char *key)
{
	char buf[1024], pat[64];
	const char *p;

	if (at_param("sim_stats", buf, sizeof(buf)))
		return ~0ULL;
	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = buf; (p = strstr(p, pat)); p++)
		if (p == buf || p[-1] == ' ')
			return strtoull(p + strlen(pat), NULL, 0);
	return ~0ULL;
}

/* Write sim_fault ("none", "busy:N", "auth", "seqno"); 0 or -errno. */
static inline int at_fault(const char *what)
{
	int fd = open(AT_PARAM_DIR "sim_fault", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, what, strlen(what));
	close(fd);
	return n < 0 ? -errno : 0;
}

static inline void at_req(struct vhsm_attest *a, const uint8_t *rd, uint32_t vmpl,
			  uint8_t *report, uint32_t len)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	if (rd)
		memcpy(a->report_data, rd, VHSM_REPORT_DATA_LEN);
	a->vmpl = vmpl;
	a->report_ptr = (uintptr_t)report;
	a->report_len = len;
}

static inline int at_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* A report for @rd at @vmpl into @report (VHSM_SNP_REPORT_LEN bytes). */
static inline int at_attest(int fd, const uint8_t *rd, uint32_t vmpl, uint8_t *report)
{
	struct vhsm_attest a;

	at_req(&a, rd, vmpl, report, VHSM_SNP_REPORT_LEN);
	return at_ioctl(fd, VHSM_IOC_ATTEST, &a);
}

#endif /* VHSM_ATTEST_UTIL_H */
