// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm's provisioning-session wrappers against a fake module: this file
 * defines ioctl(2), which the linker prefers over libc's, records what the
 * library sends and answers from memory. Checks the marshalling of
 * vhsm_session_open() (the kernel's JWK text and REPORT_DATA come back, a
 * malformed answer is -EPROTO) and how vhsm_session_import_resource() splits
 * a KBS response body (flattened JSON or compact serialization) into the
 * members the kernel takes, and what it refuses before any ioctl. The
 * cryptography is the VM's (session_test, provision_test.sh).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"

static struct vhsm_session_import last_import;
static char seen[5][256];
static int import_calls, bad_answer;

static void copy_part(int i, __u64 ptr, __u32 len)
{
	memset(seen[i], 0, sizeof(seen[i]));
	memcpy(seen[i], (const void *)(uintptr_t)ptr, len < 255 ? len : 255);
}

static int fake_open(struct vhsm_session_open *o)
{
	const char *nonce = (const char *)(uintptr_t)o->nonce_ptr;

	if (o->nonce_len != strlen("AAAA") || memcmp(nonce, "AAAA", 4))
		return -EINVAL;
	o->session_id = 7;
	o->expires_in = 300;
	memset(o->jwk_x, 'x', 43);
	memset(o->jwk_y, 'y', 43);
	if (bad_answer)
		o->jwk_y[43] = 'y';	/* no terminator */
	memset(o->report_data, 0xab, sizeof(o->report_data));
	memset((void *)(uintptr_t)o->report_ptr, 0x11, VHSM_SNP_REPORT_LEN);
	o->report_len = VHSM_SNP_REPORT_LEN;
	o->certs_len = 0;
	return 0;
}

static int fake_import(struct vhsm_session_import *im)
{
	import_calls++;
	last_import = *im;
	copy_part(0, im->protected_ptr, im->protected_len);
	copy_part(1, im->encrypted_key_ptr, im->encrypted_key_len);
	copy_part(2, im->iv_ptr, im->iv_len);
	copy_part(3, im->ciphertext_ptr, im->ciphertext_len);
	copy_part(4, im->tag_ptr, im->tag_len);
	im->handle = 42;
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	(void)fd;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == VHSM_IOC_SESSION_OPEN)
		ret = fake_open(arg);
	else if (req == VHSM_IOC_SESSION_IMPORT)
		ret = fake_import(arg);
	else if (req == VHSM_IOC_SESSION_CLOSE)
		ret = ((struct vhsm_session_close *)arg)->session_id == 7 ? 0 : -ENOENT;
	else
		ret = -ENOTTY;
	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}

FIXTURE(s) {
	struct vhsm *h;
	struct vhsm_key_attr attr;
};

FIXTURE_SETUP(s)
{
	ASSERT_EQ(0, vhsm_open(&self->h, "/dev/null"));
	memset(&self->attr, 0, sizeof(self->attr));
	self->attr.type = VHSM_KEY_AES256_GCM;
	self->attr.usage = VHSM_USAGE_DECRYPT;
	strcpy(self->attr.label, "k");
	import_calls = 0;
	bad_answer = 0;
}

FIXTURE_TEARDOWN(s)
{
	vhsm_close(self->h);
}

TEST_F(s, open_marshals_the_answer)
{
	static uint8_t report[VHSM_SNP_REPORT_LEN];
	struct vhsm_session_info info;
	size_t len = sizeof(report);

	ASSERT_EQ(0, vhsm_session_open(self->h, "AAAA", 0, 0, report, &len, NULL, NULL,
				       &info, NULL));
	EXPECT_EQ(7, info.id);
	EXPECT_EQ(300, info.expires_in);
	EXPECT_EQ(43, strlen(info.jwk_x));
	EXPECT_EQ('y', info.jwk_y[0]);
	EXPECT_EQ(0xab, info.report_data[63]);
	EXPECT_EQ(VHSM_SNP_REPORT_LEN, len);
	EXPECT_EQ(-EINVAL, vhsm_session_open(self->h, "AAAA", VHSM_SESSION_F_CERTS, 0, report,
					     &len, NULL, NULL, &info, NULL));
	EXPECT_EQ(-EINVAL, vhsm_session_open(self->h, NULL, 0, 0, report, &len, NULL, NULL,
					     &info, NULL));
	bad_answer = 1;
	EXPECT_EQ(-EPROTO, vhsm_session_open(self->h, "AAAA", 0, 0, report, &len, NULL, NULL,
					     &info, NULL));
	EXPECT_EQ(0, vhsm_session_close(self->h, 7));
	EXPECT_EQ(-ENOENT, vhsm_session_close(self->h, 8));
}

TEST_F(s, flattened_json_is_split_into_members)
{
	static const char body[] =
		"{\"protected\":\"cHJvdA\",\"encrypted_key\":\"ZWs\",\"iv\":\"aXY\","
		"\"ciphertext\":\"Y3Q\",\"tag\":\"dGFn\"}\n";
	uint32_t h = 0;

	ASSERT_EQ(0, vhsm_session_import_resource(self->h, 7, body, strlen(body), &self->attr, &h));
	EXPECT_EQ(42, h);
	EXPECT_EQ(7, last_import.session_id);
	EXPECT_STREQ("cHJvdA", seen[0]);
	EXPECT_STREQ("ZWs", seen[1]);
	EXPECT_STREQ("aXY", seen[2]);
	EXPECT_STREQ("Y3Q", seen[3]);
	EXPECT_STREQ("dGFn", seen[4]);
	EXPECT_STREQ("k", last_import.attr.label);
}

TEST_F(s, compact_serialization_is_split_into_members)
{
	static const char body[] = "cHJvdA.ZWs.aXY.Y3Q.dGFn\n";
	uint32_t h = 0;

	ASSERT_EQ(0, vhsm_session_import_resource(self->h, 7, body, strlen(body), &self->attr, &h));
	EXPECT_STREQ("cHJvdA", seen[0]);
	EXPECT_STREQ("ZWs", seen[1]);
	EXPECT_STREQ("aXY", seen[2]);
	EXPECT_STREQ("Y3Q", seen[3]);
	EXPECT_STREQ("dGFn", seen[4]);
}

TEST_F(s, malformed_bodies_are_refused_before_the_kernel)
{
	static const char *const bad[] = {
		"{\"protected\":\"a\",\"encrypted_key\":\"b\",\"iv\":\"c\",\"ciphertext\":\"d\"}",
		"{\"protected\":\"a\",\"encrypted_key\":\"b\",\"iv\":\"c\",\"ciphertext\":\"d\","
		"\"tag\":\"e\",\"aad\":\"f\"}",
		"{\"protected\":\"a\",\"encrypted_key\":\"b\",\"iv\":\"c\",\"ciphertext\":\"d\","
		"\"tag\":\"e\",\"header\":{}}",
		"{\"protected\":\"a\",\"protected\":\"a\",\"encrypted_key\":\"b\",\"iv\":\"c\","
		"\"ciphertext\":\"d\",\"tag\":\"e\"}",
		"{\"protected\":1,\"encrypted_key\":\"b\",\"iv\":\"c\",\"ciphertext\":\"d\",\"tag\":\"e\"}",
		"{not json",
		"a.b.c.d",
		"a.b.c.d.e.f",
		"a..c.d.e",
		"",
	};
	uint32_t h;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EBADMSG, vhsm_session_import_resource(self->h, 7, bad[i], strlen(bad[i]),
								 &self->attr, &h))
			TH_LOG("body %zu", i);
	}
	EXPECT_EQ(-EBADMSG, vhsm_session_import_resource(self->h, 7, "a.b\0.c.d.e", 10,
							 &self->attr, &h));
	EXPECT_EQ(0, import_calls);
}

TEST_HARNESS_MAIN
