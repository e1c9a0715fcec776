// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool's KDS names on the host (ASan, UBSan): the URL of each item for
 * Milan, Genoa and Turin reports, VCEK and VLEK, and the cache paths the
 * verifier reads.  The HTTP side is kds_cli_test.sh's (a loopback stand-in).
 */
#include <errno.h>
#include <string.h>

#include <vhsm/report.h>

#include "kds.h"
#include "kselftest_harness.h"

/* a report of @p with CHIP_ID 00 01 02 ... and REPORTED_TCB @tcb */
static int fake_report(struct vhsm_report *r, enum vhsm_product p, uint64_t tcb,
		       bool vlek)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = 3;
	for (i = 0; i < 64; i++)
		r->chip_id[i] = (uint8_t)(p == VHSM_PRODUCT_TURIN && i >= 8 ? 0 : i);
	r->signing_key = vlek ? VHSM_SIGNING_KEY_VLEK : VHSM_SIGNING_KEY_VCEK;
	r->reported_tcb.raw = tcb;
	r->product = VHSM_PRODUCT_MILAN;
	return vhsm_report_set_product(r, p);
}

static const char hwid64[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

TEST(milan_vcek_url_has_the_whole_chip_id_and_four_spls)
{
	struct vhsm_report r;
	struct kds_req q = { .r = &r, .cache = "/c" };
	char url[1024], want[1024];

	ASSERT_EQ(0, fake_report(&r, VHSM_PRODUCT_MILAN, 0xd918000000000104ULL, false));
	ASSERT_EQ(0, kds_url(&q, KDS_VEK, url, sizeof(url)));
	snprintf(want, sizeof(want), "https://kdsintf.amd.com/vcek/v1/Milan/%s"
		 "?blSPL=4&teeSPL=1&snpSPL=24&ucodeSPL=217", hwid64);
	EXPECT_STREQ(want, url);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_VEK, url, sizeof(url)));
	snprintf(want, sizeof(want), "/c/vcek/Milan/%s/d918000000000104.der", hwid64);
	EXPECT_STREQ(want, url);
}

TEST(turin_vcek_url_has_8_bytes_of_chip_id_and_fmc)
{
	struct vhsm_report r;
	struct kds_req q = { .r = &r, .cache = "/c", .base = "http://127.0.0.1:8/" };
	char url[1024];

	/* Turin layout [fmc, bl, tee, snp, 0, 0, 0, ucode] */
	ASSERT_EQ(0, fake_report(&r, VHSM_PRODUCT_TURIN, 0x4800000005040302ULL, false));
	ASSERT_EQ(0, kds_url(&q, KDS_VEK, url, sizeof(url)));
	EXPECT_STREQ("http://127.0.0.1:8/vcek/v1/Turin/0001020304050607"
		     "?fmcSPL=2&blSPL=3&teeSPL=4&snpSPL=5&ucodeSPL=72", url);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_VEK, url, sizeof(url)));
	EXPECT_STREQ("/c/vcek/Turin/0001020304050607/4800000005040302.der", url);
}

TEST(chain_and_crl_urls_follow_the_signing_key)
{
	struct vhsm_report r;
	struct kds_req q = { .r = &r, .cache = "/c" };
	char buf[1024];

	ASSERT_EQ(0, fake_report(&r, VHSM_PRODUCT_GENOA, 1, false));
	ASSERT_EQ(0, kds_url(&q, KDS_CHAIN, buf, sizeof(buf)));
	EXPECT_STREQ("https://kdsintf.amd.com/vcek/v1/Genoa/cert_chain", buf);
	ASSERT_EQ(0, kds_url(&q, KDS_CRL, buf, sizeof(buf)));
	EXPECT_STREQ("https://kdsintf.amd.com/vcek/v1/Genoa/crl", buf);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_CHAIN, buf, sizeof(buf)));
	EXPECT_STREQ("/c/Genoa/ask.pem", buf);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_CRL, buf, sizeof(buf)));
	EXPECT_STREQ("/c/Genoa/crl.der", buf);

	ASSERT_EQ(0, fake_report(&r, VHSM_PRODUCT_GENOA, 1, true));
	ASSERT_EQ(0, kds_url(&q, KDS_CHAIN, buf, sizeof(buf)));
	EXPECT_STREQ("https://kdsintf.amd.com/vlek/v1/Genoa/cert_chain", buf);
	ASSERT_EQ(0, kds_url(&q, KDS_CRL, buf, sizeof(buf)));
	EXPECT_STREQ("https://kdsintf.amd.com/vlek/v1/Genoa/crl", buf);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_CHAIN, buf, sizeof(buf)));
	EXPECT_STREQ("/c/Genoa/asvk.pem", buf);
	ASSERT_EQ(0, kds_cache_path(&q, KDS_CRL, buf, sizeof(buf)));
	EXPECT_STREQ("/c/Genoa/vlek-crl.der", buf);
	/* a VLEK is not fetched; its cache file has no hwid */
	EXPECT_EQ(-EOPNOTSUPP, kds_url(&q, KDS_VEK, buf, sizeof(buf)));
	ASSERT_EQ(0, kds_cache_path(&q, KDS_VEK, buf, sizeof(buf)));
	EXPECT_STREQ("/c/vlek/Genoa/0000000000000001.der", buf);
}

TEST(names_that_do_not_fit_are_refused)
{
	struct vhsm_report r;
	struct kds_req q = { .r = &r, .cache = "/c" };
	char small[40];

	ASSERT_EQ(0, fake_report(&r, VHSM_PRODUCT_GENOA, 1, false));
	EXPECT_EQ(-ENAMETOOLONG, kds_url(&q, KDS_VEK, small, sizeof(small)));
	EXPECT_EQ(-ENAMETOOLONG, kds_cache_path(&q, KDS_VEK, small, sizeof(small)));
	EXPECT_EQ(false, kds_cached(&q, KDS_VEK));
}

TEST_HARNESS_MAIN
