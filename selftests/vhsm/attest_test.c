// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attestation through the raw ioctl ABI on the sim platform: the report is
 * ABI-exact and carries the launch the module parameters describe, its
 * signature verifies with OpenSSL against the sim's VCEK, malformed calls get
 * their errno, the guest-message layer advances sequence numbers and retries
 * a busy host with identical ciphertext, and platform keys are deterministic
 * and bound to what was selected.
 *
 * The VMPCK-wipe tests are in attest_wipe_test.c: after a wipe every request
 * fails until the module is reloaded.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "kselftest_harness.h"
#include "attest_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define RLEN VHSM_SNP_REPORT_LEN

FIXTURE(attest) {
	int fd;
	uint32_t min_vmpl;
	char prefix[32];
};

FIXTURE_SETUP(attest)
{
	struct vhsm_info info = { .size = sizeof(info) };

	self->fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_INFO, &info));
	if (info.platform_id != VHSM_PLATFORM_SIM)
		SKIP(return, "not the sim platform");
	self->min_vmpl = (uint32_t)at_param_u64("sim_vmpl");
	ASSERT_GE(3, self->min_vmpl);
	snprintf(self->prefix, sizeof(self->prefix), "at%d", getpid());
}

FIXTURE_TEARDOWN(attest)
{
	at_fault("none");
	close(self->fd);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

/* 1 if the report's signature verifies with the VCEK in sim_vcek_pub. */
static int verify_report(const uint8_t *report)
{
	uint8_t pub[97], rbe[48], sbe[48], *der = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY *pkey = NULL;
	ECDSA_SIG *sig = NULL;
	char hex[256];
	int i, der_len, ok = 0;

	if (at_param("sim_vcek_pub", hex, sizeof(hex)) || at_unhex(hex, pub, sizeof(pub)))
		return -1;
	for (i = 0; i < 48; i++) {
		rbe[i] = report[R_SIG_R + 47 - i];
		sbe[i] = report[R_SIG_S + 47 - i];
	}
	for (i = 48; i < 72; i++)	/* zero-extended fields */
		if (report[R_SIG_R + i] || report[R_SIG_S + i])
			return 0;
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
	    EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	sig = ECDSA_SIG_new();
	if (!sig || !ECDSA_SIG_set0(sig, BN_bin2bn(rbe, 48, NULL), BN_bin2bn(sbe, 48, NULL)))
		goto out;
	der_len = i2d_ECDSA_SIG(sig, &der);
	md = EVP_MD_CTX_new();
	if (der_len <= 0 || !md ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, pkey) <= 0)
		goto out;
	ok = EVP_DigestVerify(md, der, der_len, report, R_SIGNED_LEN) == 1;
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ok;
}

TEST_F(attest, info_advertises_attest_and_derive)
{
	struct vhsm_info info = { .size = sizeof(info) };

	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_INFO, &info));
	EXPECT_TRUE(info.capabilities & VHSM_CAP_ATTEST);
	EXPECT_TRUE(info.capabilities & VHSM_CAP_DERIVE_KEY);
	EXPECT_TRUE(info.platform_flags & VHSM_PLATFORM_F_SIMULATED);
}

TEST_F(attest, report_carries_the_launch_parameters)
{
	uint8_t rd[64], report[RLEN], m[48], hd[32], fam[16], img[16], zero[152] = { 0 };
	char product[32];
	struct vhsm_attest a;
	uint64_t version;

	fill(rd, sizeof(rd), 1);
	at_req(&a, rd, self->min_vmpl, report, sizeof(report));
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(RLEN, a.report_len);
	EXPECT_EQ(0, a.certs_len);
	EXPECT_EQ(0, a.fw_error);

	version = at_param_u64("sim_report_version");
	EXPECT_EQ(version, at_le32(report + R_VERSION));
	EXPECT_EQ(0, memcmp(report + R_REPORT_DATA, rd, 64));
	EXPECT_EQ(self->min_vmpl, at_le32(report + R_VMPL));
	EXPECT_EQ(1, at_le32(report + R_SIG_ALGO));
	EXPECT_EQ(0, at_le32(report + R_KEY_INFO));	/* VCEK, chip key not masked */
	EXPECT_EQ(at_param_u64("sim_guest_svn"), at_le32(report + R_GUEST_SVN));
	EXPECT_EQ(at_param_u64("sim_policy"), at_le64(report + R_POLICY));
	EXPECT_EQ(at_param_u64("sim_current_tcb"), at_le64(report + R_CURRENT_TCB));
	EXPECT_EQ(at_param_u64("sim_reported_tcb"), at_le64(report + R_REPORTED_TCB));
	EXPECT_EQ(at_param_u64("sim_committed_tcb"), at_le64(report + R_COMMITTED_TCB));
	EXPECT_EQ(at_param_u64("sim_launch_tcb"), at_le64(report + R_LAUNCH_TCB));
	if (version >= 5) {
		EXPECT_EQ(at_param_u64("sim_launch_mit"), at_le64(report + R_LAUNCH_MIT));
		EXPECT_EQ(at_param_u64("sim_current_mit"), at_le64(report + R_CURRENT_MIT));
	} else {
		EXPECT_EQ(0, at_le64(report + R_LAUNCH_MIT));
		EXPECT_EQ(0, at_le64(report + R_CURRENT_MIT));
	}
	ASSERT_EQ(0, at_param_hex("sim_measurement", m, sizeof(m)));
	ASSERT_EQ(0, at_param_hex("sim_host_data", hd, sizeof(hd)));
	ASSERT_EQ(0, at_param_hex("sim_family_id", fam, sizeof(fam)));
	ASSERT_EQ(0, at_param_hex("sim_image_id", img, sizeof(img)));
	EXPECT_EQ(0, memcmp(report + R_MEASUREMENT, m, sizeof(m)));
	EXPECT_EQ(0, memcmp(report + R_HOST_DATA, hd, sizeof(hd)));
	EXPECT_EQ(0, memcmp(report + R_FAMILY_ID, fam, sizeof(fam)));
	EXPECT_EQ(0, memcmp(report + R_IMAGE_ID, img, sizeof(img)));

	/* CPUID family and CHIP_ID shape follow the product */
	ASSERT_EQ(0, at_param("sim_product", product, sizeof(product)));
	EXPECT_NE(0, memcmp(report + R_CHIP_ID, zero, 8));
	if (!strcmp(product, "turin")) {
		EXPECT_EQ(0x1a, report[R_CPUID_FAM]);
		EXPECT_EQ(0, memcmp(report + R_CHIP_ID + 8, zero, 56));
	} else {
		EXPECT_EQ(0x19, report[R_CPUID_FAM]);
		EXPECT_NE(0, memcmp(report + R_CHIP_ID + 8, zero, 56));
	}
	/* reserved ranges stay zero */
	EXPECT_EQ(0, at_le32(report + 0x04c));
	EXPECT_EQ(0, memcmp(report + 0x18b, zero, 21));
	EXPECT_EQ(0, memcmp(report + 0x208, zero, 0x2a0 - 0x208));
}

TEST_F(attest, report_at_every_allowed_vmpl)
{
	uint8_t rd[64], report[RLEN];
	uint32_t vmpl;

	fill(rd, sizeof(rd), 2);
	for (vmpl = self->min_vmpl; vmpl <= 3; vmpl++) {
		ASSERT_EQ(0, at_attest(self->fd, rd, vmpl, report));
		EXPECT_EQ(vmpl, at_le32(report + R_VMPL));
		EXPECT_EQ(1, verify_report(report));
	}
}

TEST_F(attest, signature_verifies_with_the_vcek)
{
	uint8_t rd[64], report[RLEN];

	fill(rd, sizeof(rd), 3);
	ASSERT_EQ(0, at_attest(self->fd, rd, self->min_vmpl, report));
	EXPECT_EQ(1, verify_report(report));

	report[R_MEASUREMENT] ^= 1;	/* a signed byte */
	EXPECT_EQ(0, verify_report(report));
	report[R_MEASUREMENT] ^= 1;
	report[R_SIG_R] ^= 1;
	EXPECT_EQ(0, verify_report(report));
	report[R_SIG_R] ^= 1;
	report[0x400] ^= 1;		/* outside the signed range */
	EXPECT_EQ(1, verify_report(report));
}

TEST_F(attest, different_report_data_changes_only_data_and_signature)
{
	uint8_t rd1[64], rd2[64], r1[RLEN], r2[RLEN];

	fill(rd1, sizeof(rd1), 4);
	fill(rd2, sizeof(rd2), 5);
	ASSERT_EQ(0, at_attest(self->fd, rd1, self->min_vmpl, r1));
	ASSERT_EQ(0, at_attest(self->fd, rd2, self->min_vmpl, r2));
	EXPECT_EQ(0, memcmp(r1, r2, R_REPORT_DATA));
	EXPECT_NE(0, memcmp(r1 + R_REPORT_DATA, r2 + R_REPORT_DATA, 64));
	EXPECT_EQ(0, memcmp(r1 + R_MEASUREMENT, r2 + R_MEASUREMENT, R_SIGNED_LEN - R_MEASUREMENT));
	EXPECT_NE(0, memcmp(r1 + R_SIG_R, r2 + R_SIG_R, 144));
	EXPECT_EQ(1, verify_report(r1));
	EXPECT_EQ(1, verify_report(r2));
}

TEST_F(attest, certs_flag_gives_an_empty_table_on_sim)
{
	uint8_t rd[64] = { 0 }, report[RLEN], certs[4096];
	struct vhsm_attest a;

	at_req(&a, rd, self->min_vmpl, report, sizeof(report));
	a.flags = VHSM_ATTEST_F_CERTS;
	a.certs_ptr = (uintptr_t)certs;
	a.certs_len = sizeof(certs);
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(0, a.certs_len);
	EXPECT_EQ(RLEN, a.report_len);

	/* no room at all is fine when there is nothing to return */
	at_req(&a, rd, self->min_vmpl, report, sizeof(report));
	a.flags = VHSM_ATTEST_F_CERTS;
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(0, a.certs_len);
}

TEST_F(attest, malformed_calls_get_their_errno)
{
	uint8_t rd[64] = { 0 }, report[RLEN + 16];
	struct vhsm_attest a;

	at_req(&a, rd, self->min_vmpl, report, RLEN);
	a.flags = 1U << 7;
	EXPECT_EQ(-EOPNOTSUPP, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	at_req(&a, rd, self->min_vmpl, report, RLEN);
	a.__reserved[1] = 1;
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	at_req(&a, rd, 4, report, RLEN);
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	if (self->min_vmpl > 0) {
		at_req(&a, rd, self->min_vmpl - 1, report, RLEN);
		EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	}

	at_req(&a, rd, self->min_vmpl, report, RLEN);
	a.certs_len = 4096;	/* certificates without VHSM_ATTEST_F_CERTS */
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	at_req(&a, rd, self->min_vmpl, report, RLEN - 1);
	EXPECT_EQ(-ENOSPC, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(RLEN, a.report_len);

	at_req(&a, rd, self->min_vmpl, report, 0);
	EXPECT_EQ(-ENOSPC, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(RLEN, a.report_len);

	at_req(&a, rd, self->min_vmpl, NULL, RLEN);
	a.report_ptr = 8;	/* unmapped */
	EXPECT_EQ(-EFAULT, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	at_req(&a, rd, self->min_vmpl, report, RLEN);
	a.size = VHSM_ATTEST_SIZE_VER0 - 8;
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));

	/* a larger buffer is fine; the report length is still exact */
	at_req(&a, rd, self->min_vmpl, report, sizeof(report));
	EXPECT_EQ(0, at_ioctl(self->fd, VHSM_IOC_ATTEST, &a));
	EXPECT_EQ(RLEN, a.report_len);
}

TEST_F(attest, sequence_numbers_advance_by_two)
{
	uint8_t rd[64] = { 0 }, report[RLEN];
	uint64_t s0, s1, s2, trips;

	s0 = at_stat("guest_seqno");
	trips = at_stat("guest_round_trips");
	ASSERT_NE(~0ULL, s0);
	ASSERT_EQ(0, at_attest(self->fd, rd, self->min_vmpl, report));
	s1 = at_stat("guest_seqno");
	EXPECT_EQ(s0 + 2, s1);
	EXPECT_EQ(s0 + 1, at_stat("sp_last_seqno"));	/* request = stored + 1 */
	ASSERT_EQ(0, at_attest(self->fd, rd, self->min_vmpl, report));
	s2 = at_stat("guest_seqno");
	EXPECT_EQ(s1 + 2, s2);
	EXPECT_EQ(s1 + 1, at_stat("sp_last_seqno"));
	EXPECT_EQ(trips + 2, at_stat("guest_round_trips"));
	EXPECT_EQ(0, at_stat("guest_wiped"));
}

TEST_F(attest, busy_host_is_retried_with_identical_ciphertext)
{
	uint8_t rd[64], report[RLEN];
	uint64_t busy, same, diff, resent, s0;
	int ret;

	fill(rd, sizeof(rd), 6);
	busy = at_stat("sp_busy");
	same = at_stat("sp_resent_identical");
	diff = at_stat("sp_resent_mismatch");
	resent = at_stat("guest_resent");
	s0 = at_stat("guest_seqno");
	ret = at_fault("busy:3");
	if (ret == -EACCES || ret == -EPERM)
		SKIP(return, "sim_fault needs root");
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, at_attest(self->fd, rd, self->min_vmpl, report));
	EXPECT_EQ(1, verify_report(report));
	EXPECT_EQ(0, memcmp(report + R_REPORT_DATA, rd, 64));
	EXPECT_EQ(busy + 3, at_stat("sp_busy"));
	EXPECT_EQ(same + 3, at_stat("sp_resent_identical"));
	EXPECT_EQ(diff, at_stat("sp_resent_mismatch"));
	EXPECT_EQ(resent + 3, at_stat("guest_resent"));
	EXPECT_EQ(s0 + 2, at_stat("guest_seqno"));	/* one round trip */
}

TEST_F(attest, busy_too_long_times_out_and_the_key_survives)
{
	uint8_t rd[64], report[RLEN];
	uint64_t diff, timeouts, s0, same;
	char fault[32];
	int ret;

	fill(rd, sizeof(rd), 7);
	diff = at_stat("sp_resent_mismatch");
	timeouts = at_stat("guest_timeouts");
	s0 = at_stat("guest_seqno");
	ret = at_fault("busy:100");
	if (ret == -EACCES || ret == -EPERM)
		SKIP(return, "sim_fault needs root");
	ASSERT_EQ(0, ret);

	EXPECT_EQ(-ETIMEDOUT, at_attest(self->fd, rd, self->min_vmpl, report));
	EXPECT_EQ(timeouts + 1, at_stat("guest_timeouts"));
	EXPECT_EQ(s0, at_stat("guest_seqno"));		/* not answered: not advanced */
	EXPECT_EQ(0, at_stat("guest_wiped"));
	ASSERT_EQ(0, at_param("sim_fault", fault, sizeof(fault)));
	EXPECT_NE(0, strcmp(fault, "none"));		/* some busy answers left */

	/* the host recovers: the pending request completes first, identically */
	ASSERT_EQ(0, at_fault("none"));
	same = at_stat("sp_resent_identical");
	ASSERT_EQ(0, at_attest(self->fd, rd, self->min_vmpl, report));
	EXPECT_EQ(1, verify_report(report));
	EXPECT_EQ(same + 1, at_stat("sp_resent_identical"));
	EXPECT_EQ(diff, at_stat("sp_resent_mismatch"));
	EXPECT_EQ(s0 + 4, at_stat("guest_seqno"));	/* pending + this one */
	EXPECT_EQ(0, at_stat("guest_wiped"));
}

/* ---- VHSM_IOC_PLATFORM_KEY ------------------------------------------------- */

static void pk_req(struct vhsm_platform_key *pk, uint32_t vmpl, uint64_t fields,
		   const char *label)
{
	memset(pk, 0, sizeof(*pk));
	pk->size = sizeof(*pk);
	pk->vmpl = vmpl;
	pk->guest_field_select = fields;
	ko_attr(&pk->attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, label);
}

static int pk_mac(int fd, struct vhsm_platform_key *pk, uint8_t mac[48])
{
	static const char msg[] = "vhsm platform key test message";
	uint32_t mac_len = 0;
	int ret;

	ret = at_ioctl(fd, VHSM_IOC_PLATFORM_KEY, pk);
	if (ret)
		return ret;
	ret = ko_mac(fd, pk->handle, msg, sizeof(msg), mac, &mac_len);
	ko_destroy(fd, pk->handle);
	return ret ? ret : (mac_len == 32 ? 0 : -EBADMSG);
}

static const char *lbl(FIXTURE_DATA(attest) *self, const char *name)
{
	static char buf[VHSM_LABEL_MAX];

	snprintf(buf, sizeof(buf), "%s.%s", self->prefix, name);
	return buf;
}

TEST_F(attest, platform_key_same_request_same_key)
{
	struct vhsm_platform_key a, b;
	struct vhsm_key_info info;
	uint8_t m1[48], m2[48];

	pk_req(&a, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY, lbl(self, "k"));
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &a));
	ASSERT_EQ(0, ko_info(self->fd, a.handle, &info));
	EXPECT_EQ(VHSM_ORIGIN_PLATFORM, info.origin);
	EXPECT_EQ(32, info.attr.key_len);
	ko_destroy(self->fd, a.handle);

	pk_req(&a, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY, lbl(self, "k"));
	pk_req(&b, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY, lbl(self, "k"));
	ASSERT_EQ(0, pk_mac(self->fd, &a, m1));
	ASSERT_EQ(0, pk_mac(self->fd, &b, m2));
	EXPECT_EQ(0, memcmp(m1, m2, 32));
}

TEST_F(attest, platform_key_depends_on_what_is_selected)
{
	struct vhsm_platform_key pk;
	uint8_t base[48], m[48];
	uint64_t tcb = at_param_u64("sim_committed_tcb");

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "k"));
	ASSERT_EQ(0, pk_mac(self->fd, &pk, base));

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY, lbl(self, "k"));
	ASSERT_EQ(0, pk_mac(self->fd, &pk, m));
	EXPECT_NE(0, memcmp(base, m, 32));

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_ALL, lbl(self, "k"));
	pk.tcb_version = tcb;
	ASSERT_EQ(0, pk_mac(self->fd, &pk, m));
	EXPECT_NE(0, memcmp(base, m, 32));

	if (self->min_vmpl < 3) {	/* the VMPL is always mixed in */
		pk_req(&pk, self->min_vmpl + 1, VHSM_FIELD_MEASUREMENT, lbl(self, "k"));
		ASSERT_EQ(0, pk_mac(self->fd, &pk, m));
		EXPECT_NE(0, memcmp(base, m, 32));
	}

	/* guest_svn only counts when selected */
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_GUEST_SVN,
	       lbl(self, "k"));
	pk.guest_svn = 0;
	ASSERT_EQ(0, pk_mac(self->fd, &pk, base));
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT | VHSM_FIELD_GUEST_SVN,
	       lbl(self, "k"));
	pk.guest_svn = (uint32_t)at_param_u64("sim_guest_svn");
	if (pk.guest_svn) {
		ASSERT_EQ(0, pk_mac(self->fd, &pk, m));
		EXPECT_NE(0, memcmp(base, m, 32));
	}

	/* the label is part of the vhsm expansion */
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "other"));
	ASSERT_EQ(0, pk_mac(self->fd, &pk, m));
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "k"));
	ASSERT_EQ(0, pk_mac(self->fd, &pk, base));
	EXPECT_NE(0, memcmp(base, m, 32));
}

/* ---- per-user platform keys ------------------------------------------------- */

#define UID_A 1001
#define UID_B 1002

static gid_t device_gid(void)
{
	const char *g = getenv("VHSM_TEST_GID");

	return g ? (gid_t)strtoul(g, NULL, 10) : 0;
}

/*
 * In a child running as @uid (primary group @uid, supplementary the device
 * group and @extra_gid when not 0): open the device and call @fn. Returns
 * @fn's result (0 or -errno), or -1000 - n when the child could not start.
 */
static int run_as(uid_t uid, gid_t extra_gid, int (*fn)(int fd, void *ctx), void *ctx)
{
	gid_t groups[2] = { device_gid(), extra_gid };
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1001;
	if (pid == 0) {
		if (setgroups(extra_gid ? 2 : 1, groups) || setgid(uid) || setuid(uid))
			_exit(200);
		fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(201);
		_exit(-fn(fd, ctx));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1002;
	if (WEXITSTATUS(status) >= 200)
		return -1000 - WEXITSTATUS(status);
	return -WEXITSTATUS(status);
}

struct pk_ctx {
	struct vhsm_platform_key req;
	uint8_t mac[48];
};

static int pk_mac_child(int fd, void *p)
{
	struct pk_ctx *c = p;

	return pk_mac(fd, &c->req, c->mac);
}

TEST_F(attest, platform_key_is_bound_to_its_owner)
{
	struct pk_ctx *c = mmap(NULL, 3 * sizeof(*c), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t fields = VHSM_FIELD_MEASUREMENT | VHSM_FIELD_POLICY;
	int i;

	ASSERT_NE(MAP_FAILED, c);
	/* the same label, fields and type for A, A again and B */
	for (i = 0; i < 3; i++)
		pk_req(&c[i].req, self->min_vmpl, fields, lbl(self, "owner"));
	ASSERT_EQ(0, run_as(UID_A, 0, pk_mac_child, &c[0]));
	ASSERT_EQ(0, run_as(UID_A, 0, pk_mac_child, &c[1]));
	ASSERT_EQ(0, run_as(UID_B, 0, pk_mac_child, &c[2]));
	EXPECT_EQ(0, memcmp(c[0].mac, c[1].mac, 32));	/* same owner: same key */
	EXPECT_NE(0, memcmp(c[0].mac, c[2].mac, 32));	/* B does not get A's key */
	munmap(c, 3 * sizeof(*c));
}

TEST_F(attest, platform_key_depends_on_type_and_length)
{
	struct vhsm_platform_key pk;
	uint8_t m32[48], m33[48], mk[48];

	/*
	 * HMAC pads a short key with zeros, so a 32-byte key K and a 33-byte
	 * key K || 00 MAC alike. Under HKDF's prefix property (the length not
	 * mixed in) that happened for one label in 256; now the two keys are
	 * unrelated. This cannot see the prefix itself (no key bytes leave the
	 * kernel); it checks that the length resolved from key_len 0 is the
	 * one mixed in, and that 33 bytes give another MAC.
	 */
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "len"));
	ASSERT_EQ(0, pk_mac(self->fd, &pk, m32));
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "len"));
	pk.attr.key_len = 33;
	ASSERT_EQ(0, pk_mac(self->fd, &pk, m33));
	EXPECT_NE(0, memcmp(m32, m33, 32));
	pk_req(&pk, self->min_vmpl, VHSM_FIELD_MEASUREMENT, lbl(self, "len"));
	pk.attr.key_len = 32;	/* explicit default: the same key as 0 */
	ASSERT_EQ(0, pk_mac(self->fd, &pk, mk));
	EXPECT_EQ(0, memcmp(m32, mk, 32));
}

/* ---- who may attest ------------------------------------------------------------ */

#define ATTEST_GROUP 3457

struct attest_ctx {
	uint32_t vmpl;
	uint8_t report[RLEN];
};

static int attest_child(int fd, void *p)
{
	struct attest_ctx *c = p;
	uint8_t rd[64];

	fill(rd, sizeof(rd), 9);
	return at_attest(fd, rd, c->vmpl, c->report);
}

static int write_attest_gid(const char *v)
{
	int fd = open(AT_PARAM_DIR "attest_gid", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, v, strlen(v));
	close(fd);
	return n < 0 ? -errno : 0;
}

TEST_F(attest, raw_attest_is_privileged)
{
	struct attest_ctx *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t rd[64];
	char v[32];

	ASSERT_NE(MAP_FAILED, c);
	c->vmpl = self->min_vmpl;
	ASSERT_EQ(0, at_param("attest_gid", v, sizeof(v)));
	EXPECT_STREQ("none", v);
	/* a device-group member, in a group nobody named: refused */
	EXPECT_EQ(-EPERM, run_as(UID_A, ATTEST_GROUP, attest_child, c));
	/* the parameter takes a gid or none, nothing else */
	EXPECT_EQ(-EINVAL, write_attest_gid("4294967295"));
	EXPECT_EQ(-EINVAL, write_attest_gid("staff"));
	/* named: its members may attest, others still may not */
	ASSERT_EQ(0, write_attest_gid("3457"));
	EXPECT_EQ(0, run_as(UID_A, ATTEST_GROUP, attest_child, c));
	fill(rd, sizeof(rd), 9);
	EXPECT_EQ(0, memcmp(c->report + R_REPORT_DATA, rd, sizeof(rd)));
	EXPECT_EQ(1, verify_report(c->report));
	EXPECT_EQ(-EPERM, run_as(UID_B, 0, attest_child, c));
	ASSERT_EQ(0, write_attest_gid("none"));
	EXPECT_EQ(-EPERM, run_as(UID_A, ATTEST_GROUP, attest_child, c));
	/* root needs no group */
	EXPECT_EQ(0, attest_child(self->fd, c));
	munmap(c, sizeof(*c));
}

TEST_F(attest, platform_key_firmware_refusals)
{
	struct vhsm_platform_key pk;
	uint64_t s0 = at_stat("guest_seqno");

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_GUEST_SVN, lbl(self, "k"));
	pk.guest_svn = (uint32_t)at_param_u64("sim_guest_svn") + 1;
	EXPECT_EQ(-EIO, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));
	EXPECT_EQ(0x16, pk.fw_error);		/* INVALID_PARAM */
	EXPECT_EQ(0, pk.handle);

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_TCB_VERSION, lbl(self, "k"));
	pk.tcb_version = at_param_u64("sim_committed_tcb") + 1;	/* one SPL higher */
	EXPECT_EQ(-EIO, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));
	EXPECT_EQ(0x16, pk.fw_error);

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.root_key_select = 1;		/* VMRK: the sim has no migration agent */
	EXPECT_EQ(-EIO, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));
	EXPECT_EQ(0x27, pk.fw_error);		/* INVALID_KEY */

	/* refusals are answered messages: the channel carries on */
	EXPECT_EQ(s0 + 6, at_stat("guest_seqno"));
	EXPECT_EQ(0, at_stat("guest_wiped"));
	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));
	EXPECT_EQ(0, pk.fw_error);
	ko_destroy(self->fd, pk.handle);
}

TEST_F(attest, platform_key_rejects_bad_arguments)
{
	struct vhsm_platform_key pk;

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.__reserved[2] = 1;
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, VHSM_FIELD_ALL + 1, lbl(self, "k"));
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, 4, 0, lbl(self, "k"));
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.root_key_select = 2;
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	ko_attr(&pk.attr, VHSM_KEY_EC_P384, VHSM_USAGE_SIGN, 0600, lbl(self, "k"));
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.attr.usage = VHSM_USAGE_SIGN;	/* not an HMAC usage */
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	pk_req(&pk, self->min_vmpl, 0, lbl(self, "k"));
	pk.handle = 5;
	EXPECT_EQ(-EINVAL, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));

	/* a symmetric type other than HMAC, with the type's default length */
	pk_req(&pk, self->min_vmpl, 0, lbl(self, "aes"));
	ko_attr(&pk.attr, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT, 0600,
		lbl(self, "aes"));
	ASSERT_EQ(0, at_ioctl(self->fd, VHSM_IOC_PLATFORM_KEY, &pk));
	EXPECT_EQ(0, ko_destroy(self->fd, pk.handle));
}

TEST_HARNESS_MAIN
