// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvhsm's bulk API on the host (no module): every argument check answers
 * before a socket is opened, and nothing leaks. The AF_ALG path itself runs
 * in the VM (template_test). Built with ASan and UBSan.
 */
#include <errno.h>
#include <stdint.h>

#include <vhsm/vhsm.h>

#include "kselftest_harness.h"

static const uint8_t tok[VHSM_TOKEN_LEN] = { 'v', 'h', 'T', '1', 1 };

TEST(open_rejects_missing_arguments)
{
	struct vhsm_bulk *b = NULL;

	EXPECT_EQ(-EINVAL, vhsm_bulk_aead_open(NULL, 1, &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_aead_open_token(NULL, &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_aead_open_token(tok, NULL));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open(NULL, 1, "xts", &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open_token(NULL, "xts", &b));
	EXPECT_EQ(NULL, b);
}

TEST(skcipher_modes_are_xts_and_cbc_only)
{
	struct vhsm_bulk *b = NULL;

	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open_token(tok, "ecb", &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open_token(tok, "XTS", &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open_token(tok, NULL, &b));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_open(NULL, 1, "ctr", &b));
	EXPECT_EQ(NULL, b);
}

TEST(operations_reject_a_null_handle)
{
	uint8_t iv[16] = { 0 }, tag[16], buf[32];

	EXPECT_EQ(-EINVAL, vhsm_bulk_aead_encrypt(NULL, iv, NULL, 0, buf, 16, buf, tag));
	EXPECT_EQ(-EINVAL, vhsm_bulk_aead_decrypt(NULL, iv, NULL, 0, buf, 16, tag, buf));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_encrypt(NULL, iv, buf, 16, buf));
	EXPECT_EQ(-EINVAL, vhsm_bulk_skcipher_decrypt(NULL, iv, buf, 16, buf));
	vhsm_bulk_close(NULL);
}

TEST_HARNESS_MAIN
