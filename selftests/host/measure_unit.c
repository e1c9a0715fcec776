// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The launch-digest calculator and ID blocks (libvhsm/measure/): every answer
 * virtee's sev-snp-measure publishes for its fixtures
 * (selftests/testdata/measure/README.md), structural cross-checks against an
 * independent PAGE_INFO chain written here (SNP and, on a synthetic image,
 * COCONUT-SVSM), the VMSA fields per hypervisor, and the firmware parser's
 * refusals of corrupt tables. ID blocks: idblock_unit.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "kselftest_harness.h"
#include "vhsm/measure.h"

/* ---- test data ---- */

struct file {
	uint8_t *p;
	size_t n;
};

static void td_path(const char *name, char *out, size_t cap)
{
	const char *d = getenv("VHSM_TESTDATA");

	snprintf(out, cap, "%s/../measure/%s", d && *d ? d : "selftests/testdata/snp", name);
}

static int load(const char *name, struct file *f)
{
	char path[4096];
	FILE *fp;
	long n;

	td_path(name, path, sizeof(path));
	fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	f->p = malloc((size_t)n + 1);
	f->n = f->p ? fread(f->p, 1, (size_t)n, fp) : 0;
	fclose(fp);
	return f->p && f->n == (size_t)n ? 0 : -EIO;
}

static void unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int b;

	for (i = 0; i < n; i++) {
		sscanf(s + 2 * i, "%2x", &b);
		out[i] = (uint8_t)b;
	}
}

static void sha(const char *md, const void *p, size_t n, uint8_t *out)
{
	EVP_Digest(p, n, out, NULL, EVP_get_digestbyname(md), NULL);
}

#define AMDSEV "ovmf_AmdSev_suffix.bin"
#define OVMFX64 "ovmf_OvmfX64_suffix.bin"
#define EPYC_V4 0x800f12u

/* one launch: OVMF file, vCPUs, VMM, features; kernel "" = /dev/null triple */
struct launch {
	const char *ovmf;
	unsigned int vcpus;
	enum vhsm_vmm_type vmm;
	uint64_t features;
	const char *append;	/* NULL: no kernel */
	uint32_t sig;
};

static int run(const struct launch *l, struct vhsm_measure_out *out, char *err, size_t errlen)
{
	struct vhsm_measure_in in = { 0 };
	struct file f;
	int ret;

	if (load(l->ovmf, &f))
		return -999;
	in.ovmf = f.p;
	in.ovmf_len = f.n;
	in.vcpus = l->vcpus;
	in.vmm = l->vmm ? l->vmm : VHSM_VMM_QEMU;
	in.guest_features = l->features;
	in.vcpu_sig = l->sig ? l->sig : EPYC_V4;
	if (l->append) {
		in.kernel_hashes = true;
		vhsm_measure_file_hash("/dev/null", 1 << 20, in.kernel_sha256, NULL);
		vhsm_measure_file_hash("/dev/null", 1 << 20, in.initrd_sha256, NULL);
		vhsm_measure_cmdline_hash(l->append, in.cmdline_sha256);
	}
	ret = vhsm_measure_launch(&in, out, err, errlen);
	free(f.p);
	return ret;
}

static void hexs(const uint8_t *b, char *out)
{
	int i;

	for (i = 0; i < VHSM_LD_SIZE; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* ---- published answers ---- */

static const struct {
	struct launch l;
	const char *want;
} published[] = {
	/* selftests/testdata/measure/README.md, first table */
	{ { AMDSEV, 1, 0, 0x21, "console=ttyS0 loglevel=7", 0 },
	  "803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977" },
	{ { AMDSEV, 1, 0, 0x21, "", 0 },
	  "329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198" },
	{ { AMDSEV, 1, 0, 0x21, NULL, 0 },
	  "e1e1ca029dd7973ab9513295be68198472dcd4fc834bd9af9b63f6e8a1674dbf281a9278a4a2ebe0eed9f22adbcd0e2b" },
	{ { AMDSEV, 4, 0, 0x21, "", 0 },
	  "4953b1fb416fa874980e8442b3706d345926d5f38879134e00813c5d7abcbe78eafe7b422907be0b4698e2414a631942" },
	{ { OVMFX64, 1, 0, 0x21, NULL, 0 },
	  "28797ae0afaba4005a81e629acebfb59e6687949d6be44007cd5506823b0dd66f146aaae26ff291eed7b493d8a64c385" },
	/* the second table: other VMMs and guest features */
	{ { AMDSEV, 1, 0, 0x1, "console=ttyS0 loglevel=7", 0 },
	  "6d287813eb5222d770f75005c664e34c204f385ce832cc2ce7d0d6f354454362f390ef83a92046c042e706363b4b08fa" },
	{ { AMDSEV, 1, 0, 0x1, NULL, 0 },
	  "19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ecabe033c48dd6f6db5d6d76e7c5df632d" },
	{ { AMDSEV, 4, 0, 0x1, "", 0 },
	  "5061fffb019493a903613d56d54b94912a1a2f9e4502385f5c194616753720a92441310ba6c4933de877c36e23046ad5" },
	{ { OVMFX64, 1, 0, 0x1, NULL, 0 },
	  "da0296de8193586a5512078dcd719eccecbd87e2b825ad4148c44f665dc87df21e5b49e21523a9ad993afdb6a30b4005" },
	{ { AMDSEV, 1, VHSM_VMM_EC2, 0x21, "", 0 },
	  "0ce9ccc06bab55eebe8abc234f3df6514883977a68a591b71052498ab52b2f1aa415db338033946ef93aa8278c0d67fb" },
	{ { AMDSEV, 1, VHSM_VMM_EC2, 0x1, "", 0 },
	  "0883bd0eeb716e65b7b977a321c278d1e51b33b5c655fab985443bbcc65c086b9c15e8a0bd8811050dec7e24964e5056" },
	{ { AMDSEV, 1, VHSM_VMM_GCE, 0x1, "", 0 },
	  "5da7106cf14cf46b1725ebab123eb9e53bd46a1e9f400cd0c08e7827b04b688ea8b4e403c8404efed4397ea5d5d0722e" },
	{ { AMDSEV, 4, VHSM_VMM_GCE, 0x1, "", 0 },
	  "5c5debf100fc339f90276e761ee1f1658d08922c3b20e2a2e6c7a6c3370b2452a15a00eae11886a93d6fd1e7ab81e29d" },
};

#define OVMF_HASH "086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74"

TEST(published_digests)
{
	struct vhsm_measure_out out;
	char err[256], got[97];
	size_t i;

	for (i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
		err[0] = '\0';
		ASSERT_EQ(0, run(&published[i].l, &out, err, sizeof(err))) TH_LOG("row %zu: %s", i, err);
		hexs(out.digest, got);
		EXPECT_STREQ(published[i].want, got) TH_LOG("row %zu", i);
	}
}

TEST(published_kernel_without_hashes_section)
{
	struct launch l = { OVMFX64, 1, 0, 0x21, "", 0 };
	struct vhsm_measure_out out;
	char err[256] = "";

	ASSERT_EQ(-ENOENT, run(&l, &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no SNP_KERNEL_HASHES section")) TH_LOG("%s", err);
}

TEST(published_ovmf_hash)
{
	uint8_t d[VHSM_LD_SIZE], seed[VHSM_LD_SIZE];
	struct vhsm_measure_in in = { 0 };
	struct vhsm_measure_out out, full;
	struct launch l = { AMDSEV, 1, 0, 0x21, "", 0 };
	char got[97], err[256];
	struct file f;

	ASSERT_EQ(0, load(AMDSEV, &f));
	ASSERT_EQ(0, vhsm_measure_ovmf_hash(f.p, f.n, d, err, sizeof(err)));
	hexs(d, got);
	EXPECT_STREQ(OVMF_HASH, got);
	/* the precomputed hash replaces the firmware pages: same digest */
	unhex(OVMF_HASH, seed, sizeof(seed));
	in.ovmf = f.p;
	in.ovmf_len = f.n;
	in.ovmf_hash = seed;
	in.vcpus = 1;
	in.vmm = VHSM_VMM_QEMU;
	in.guest_features = 0x21;
	in.vcpu_sig = EPYC_V4;
	in.kernel_hashes = true;
	vhsm_measure_file_hash("/dev/null", 1, in.kernel_sha256, NULL);
	vhsm_measure_file_hash("/dev/null", 1, in.initrd_sha256, NULL);
	vhsm_measure_cmdline_hash("", in.cmdline_sha256);
	ASSERT_EQ(0, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	ASSERT_EQ(0, run(&l, &full, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(out.digest, full.digest, VHSM_LD_SIZE));
	EXPECT_EQ(0, memcmp(full.ovmf_hash, seed, VHSM_LD_SIZE));
	/* a different seed gives a different digest */
	seed[0] ^= 1;
	ASSERT_EQ(0, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	EXPECT_NE(0, memcmp(out.digest, full.digest, VHSM_LD_SIZE));
	free(f.p);
}

/* ---- an independent PAGE_INFO chain ---- */

static void extend(uint8_t ld[48], uint8_t type, uint64_t gpa, const uint8_t *contents)
{
	uint8_t pi[0x70] = { 0 };
	int i;

	memcpy(pi, ld, 48);
	if (contents)
		memcpy(pi + 48, contents, 48);
	pi[0x60] = 0x70;
	pi[0x62] = type;
	for (i = 0; i < 8; i++)
		pi[0x68 + i] = (uint8_t)(gpa >> (8 * i));
	sha("SHA384", pi, sizeof(pi), ld);
}

/*
 * The AmdSev fixture without a kernel, recomputed from its section list
 * (read off a hex dump of the file and written down here) and the VMSA pages:
 * nothing of the library but vhsm_vmsa_build() is used.
 */
TEST(independent_recomputation)
{
	static const struct { uint32_t gpa, size; uint8_t type; } secs[] = {
		{ 0x800000, 0x9000, 3 }, { 0x80a000, 0x3000, 3 }, { 0x80d000, 0x1000, 5 },
		{ 0x80e000, 0x1000, 6 }, { 0x80f000, 0x1000, 3 }, { 0x810000, 0x1000, 3 },
		{ 0x811000, 0xf000, 3 },
	};
	struct launch l = { AMDSEV, 3, 0, 0x21, NULL, 0 };
	uint8_t ld[48] = { 0 }, h[48], vmsa[4096];
	struct vhsm_measure_out out;
	char err[256];
	struct file f;
	uint32_t off;
	size_t i;

	ASSERT_EQ(0, load(AMDSEV, &f));
	ASSERT_EQ(4096, f.n);
	sha("SHA384", f.p, 4096, h);
	extend(ld, 1, 0x100000000ull - 4096, h);
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (off = 0; off < (secs[i].type == 3 ? secs[i].size : 0x1000); off += 0x1000)
			extend(ld, secs[i].type, secs[i].gpa + off, NULL);
	vhsm_vmsa_build(vmsa, 0xfffffff0, 0x21, EPYC_V4, VHSM_VMM_QEMU, false);
	sha("SHA384", vmsa, sizeof(vmsa), h);
	extend(ld, 2, 0xfffffffff000ull, h);
	/* AP reset vector: the u32 before the SEV-ES reset block's header */
	vhsm_vmsa_build(vmsa, f.p[0xfb8] | f.p[0xfb9] << 8 | f.p[0xfba] << 16 |
			(uint32_t)f.p[0xfbb] << 24, 0x21, EPYC_V4, VHSM_VMM_QEMU, false);
	sha("SHA384", vmsa, sizeof(vmsa), h);
	extend(ld, 2, 0xfffffffff000ull, h);
	extend(ld, 2, 0xfffffffff000ull, h);
	ASSERT_EQ(0, run(&l, &out, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(ld, out.digest, 48));
	EXPECT_EQ(0, memcmp(h, out.ap_vmsa, 48));
	EXPECT_EQ(1 + 9 + 3 + 1 + 1 + 1 + 1 + 15 + 3, out.pages);
	free(f.p);
}

/* N vCPUs = the 1-vCPU chain + N-1 identical AP VMSA pages */
TEST(vcpus_are_bsp_plus_identical_aps)
{
	struct launch l = { AMDSEV, 1, 0, 0x21, "x", 0 };
	struct vhsm_measure_out one, four, two;
	uint8_t ld[48];
	char err[256];

	ASSERT_EQ(0, run(&l, &one, err, sizeof(err)));
	l.vcpus = 4;
	ASSERT_EQ(0, run(&l, &four, err, sizeof(err)));
	l.vcpus = 2;
	ASSERT_EQ(0, run(&l, &two, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(one.bsp_vmsa, four.bsp_vmsa, 48));
	EXPECT_NE(0, memcmp(four.bsp_vmsa, four.ap_vmsa, 48));
	EXPECT_EQ(0, memcmp(two.ap_vmsa, four.ap_vmsa, 48));
	memcpy(ld, one.digest, 48);
	extend(ld, 2, 0xfffffffff000ull, four.ap_vmsa);
	EXPECT_EQ(0, memcmp(ld, two.digest, 48));
	extend(ld, 2, 0xfffffffff000ull, four.ap_vmsa);
	extend(ld, 2, 0xfffffffff000ull, four.ap_vmsa);
	EXPECT_EQ(0, memcmp(ld, four.digest, 48));
	EXPECT_EQ(one.pages + 3, four.pages);
}

/* ---- COCONUT-SVSM mode on a synthetic SVSM image ---- */

/* "aabbccdd-eeff-..." to the firmware's byte order, written independently */
static void guid_le(const char *t, uint8_t *o)
{
	uint8_t be[16];
	unsigned int b;
	int i, n = 0;

	for (i = 0; t[i] && n < 16; i++) {
		if (t[i] == '-')
			continue;
		sscanf(t + i, "%2x", &b);
		be[n++] = (uint8_t)b;
		i++;
	}
	for (i = 0; i < 4; i++)
		o[i] = be[3 - i];
	o[4] = be[5]; o[5] = be[4]; o[6] = be[7]; o[7] = be[6];
	memcpy(o + 8, be + 8, 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#define SVSM_LEN 8192

/* footer table: SVSM info (entry at 0x1000), SEV metadata at 0x100 (CAA, SEC_MEM) */
static void make_svsm(uint8_t *img)
{
	size_t f = SVSM_LEN - 50;
	uint8_t *h = img + 0x100;

	memset(img, 0, SVSM_LEN);
	img[f] = 62;				/* 2 entries of 22 + the footer's 18 */
	guid_le("96b582de-1fb2-45f7-baea-a366c55a082d", img + f + 2);
	img[f - 18] = 22;
	guid_le("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd", img + f - 16);
	put32(img + f - 22, 0x1000);
	img[f - 40] = 22;
	guid_le("dc886566-984a-4798-a75e-5585a7bf67cc", img + f - 38);
	put32(img + f - 44, SVSM_LEN - 0x100);
	memcpy(h, "ASEV", 4);
	put32(h + 4, 16 + 2 * 12);
	put32(h + 8, 1);
	put32(h + 12, 2);
	put32(h + 16, 0x800000); put32(h + 20, 0x1000); put32(h + 24, 4);
	put32(h + 28, 0x801000); put32(h + 32, 0x2000); put32(h + 36, 1);
	memset(img + 0x1000, 0xf4, 16);		/* something to measure */
}

TEST(svsm_mode_recomputed)
{
	uint8_t img[SVSM_LEN], ld[48] = { 0 }, h[48], vmsa[4096];
	struct vhsm_measure_in in = { 0 };
	struct vhsm_measure_out out;
	uint64_t svsm_gpa;
	char err[256] = "";
	struct file fw;

	make_svsm(img);
	ASSERT_EQ(0, load(AMDSEV, &fw));
	in.mode = VHSM_MEASURE_SNP_SVSM;
	in.ovmf = fw.p;
	in.ovmf_len = fw.n;
	in.svsm = img;
	in.svsm_len = sizeof(img);
	in.vars_size = 0x2000;
	in.vcpus = 2;
	in.vmm = VHSM_VMM_QEMU;
	in.vcpu_sig = EPYC_V4;
	in.guest_features = 0x21;	/* ignored: the SVSM runs with SNP only */
	ASSERT_EQ(0, vhsm_measure_launch(&in, &out, err, sizeof(err))) TH_LOG("%s", err);

	svsm_gpa = 0x100000000ull - 4096 - 0x2000 - SVSM_LEN;
	sha("SHA384", fw.p, 4096, h);
	extend(ld, 1, 0x100000000ull - 4096, h);
	EXPECT_EQ(0, memcmp(ld, out.ovmf_hash, 48));
	sha("SHA384", img, 4096, h);
	extend(ld, 1, svsm_gpa, h);
	sha("SHA384", img + 4096, 4096, h);
	extend(ld, 1, svsm_gpa + 4096, h);
	extend(ld, 3, 0x800000, NULL);		/* SVSM_CAA: zero page */
	extend(ld, 3, 0x801000, NULL);		/* SNP_SEC_MEM */
	extend(ld, 3, 0x802000, NULL);
	vhsm_vmsa_build(vmsa, (uint32_t)(svsm_gpa + 0x1000), 0, EPYC_V4, VHSM_VMM_QEMU, true);
	sha("SHA384", vmsa, sizeof(vmsa), h);
	extend(ld, 2, 0xfffffffff000ull, h);
	extend(ld, 2, 0xfffffffff000ull, h);	/* every vCPU starts the same */
	EXPECT_EQ(0, memcmp(ld, out.digest, 48));
	EXPECT_EQ(0, memcmp(out.bsp_vmsa, out.ap_vmsa, 48));

	in.vmm = VHSM_VMM_EC2;			/* QEMU only */
	EXPECT_EQ(-EINVAL, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	in.vmm = VHSM_VMM_QEMU;
	in.vars_size = 0x1001;			/* whole pages */
	EXPECT_EQ(-EINVAL, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	in.vars_size = 0x2000;
	img[SVSM_LEN - 50 - 16] ^= 0xff;	/* no SVSM information entry */
	EXPECT_EQ(-ENOENT, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "SVSM information")) TH_LOG("%s", err);
	free(fw.p);
}

/* ---- VMSA fields ---- */

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

TEST(vmsa_fields_per_vmm)
{
	uint8_t bsp[4096], ap[4096];
	int i, diff = 0;

	vhsm_vmsa_build(bsp, 0xfffffff0, 0x21, 0xa00f11, VHSM_VMM_QEMU, false);
	vhsm_vmsa_build(ap, 0xffffee0c, 0x21, 0xa00f11, VHSM_VMM_QEMU, false);
	EXPECT_EQ(0x21, le(bsp + 0x3b0, 8));		/* SEV_FEATURES */
	EXPECT_EQ(0xa00f11, le(bsp + 0x310, 8));	/* RDX = signature */
	EXPECT_EQ(0xfff0, le(bsp + 0x178, 8));		/* RIP */
	EXPECT_EQ(0xffff0000, le(bsp + 0x18, 8));	/* CS base */
	EXPECT_EQ(0xee0c, le(ap + 0x178, 8));
	EXPECT_EQ(0xffff0000, le(ap + 0x18, 8));
	EXPECT_EQ(0x9b, le(bsp + 0x12, 2));		/* CS attributes */
	EXPECT_EQ(0x1f80, le(bsp + 0x408, 4));		/* MXCSR */
	EXPECT_EQ(0x37f, le(bsp + 0x410, 2));		/* FCW */
	EXPECT_EQ(0x0007040600070406ull, le(bsp + 0x268, 8));
	EXPECT_EQ(0x1000, le(bsp + 0xd0, 8));		/* EFER.SVME */
	EXPECT_EQ(1, le(bsp + 0x3e8, 8));		/* XCR0 */
	for (i = 0; i < 4096; i++)
		diff += bsp[i] != ap[i];
	EXPECT_EQ(2, diff);	/* RIP's two low bytes; the CS base is the same */

	vhsm_vmsa_build(bsp, 0xfffffff0, 0x1, 0xa00f11, VHSM_VMM_EC2, false);
	vhsm_vmsa_build(ap, 0xffffee0c, 0x1, 0xa00f11, VHSM_VMM_EC2, false);
	EXPECT_EQ(0x9a, le(bsp + 0x12, 2));
	EXPECT_EQ(0x9b, le(ap + 0x12, 2));
	EXPECT_EQ(0x92, le(bsp + 0x22, 2));
	EXPECT_EQ(0x83, le(bsp + 0x92, 2));
	EXPECT_EQ(0x600, le(bsp + 0x310, 8));
	EXPECT_EQ(0, le(bsp + 0x408, 4));

	vhsm_vmsa_build(bsp, 0xfffffff0, 0x1, 0xa00f11, VHSM_VMM_GCE, false);
	EXPECT_EQ(0x70106, le(bsp + 0x268, 8));
	EXPECT_EQ(0x600, le(bsp + 0x310, 8));
	EXPECT_EQ(0x9b, le(bsp + 0x12, 2));

	vhsm_vmsa_build(bsp, 0xffe12345, 0x21, 0xa00f11, VHSM_VMM_QEMU, true);
	EXPECT_EQ(0xffe12345, le(bsp + 0x178, 8));	/* SVSM: full EIP */
	EXPECT_EQ(1, le(bsp + 0x3b0, 8));		/* SNP only */
	EXPECT_EQ(0x11, le(bsp + 0x158, 8));		/* CR0.PE */
	EXPECT_EQ(0xc9b, le(bsp + 0x12, 2));
}

TEST(vcpu_signatures)
{
	uint32_t sig;

	EXPECT_EQ(0x800f12u, vhsm_vcpu_sig(23, 1, 2));
	EXPECT_EQ(0xa00f11u, vhsm_vcpu_sig(25, 1, 1));
	EXPECT_EQ(0xa10f10u, vhsm_vcpu_sig(25, 17, 0));
	EXPECT_EQ(0xb00f00u, vhsm_vcpu_sig(26, 0, 0));
	EXPECT_EQ(0x00000f12u, vhsm_vcpu_sig(15, 1, 2));
	ASSERT_EQ(0, vhsm_vcpu_type_sig("EPYC-Milan", &sig));
	EXPECT_EQ(0xa00f11u, sig);
	ASSERT_EQ(0, vhsm_vcpu_type_sig("EPYC-Genoa-v1", &sig));
	EXPECT_EQ(0xa10f10u, sig);
	ASSERT_EQ(0, vhsm_vcpu_type_sig("EPYC-Rome", &sig));
	EXPECT_EQ(0x830f10u, sig);
	EXPECT_EQ(-ENOENT, vhsm_vcpu_type_sig("EPYC-Banana", &sig));
	EXPECT_STREQ("EPYC", vhsm_vcpu_type_name(0));
	EXPECT_EQ(NULL, vhsm_vcpu_type_name(1000));
}

/* what changes the digest and what does not */
TEST(inputs_that_matter)
{
	struct launch l = { AMDSEV, 2, 0, 0x21, "quiet", 0 };
	struct vhsm_measure_out a, b;
	char err[256];

	ASSERT_EQ(0, run(&l, &a, err, sizeof(err)));
	l.sig = 0xa00f11;		/* QEMU: the signature is in RDX */
	ASSERT_EQ(0, run(&l, &b, err, sizeof(err)));
	EXPECT_NE(0, memcmp(a.digest, b.digest, 48));
	l.sig = 0;
	l.append = "quiet ";		/* one byte more on the command line */
	ASSERT_EQ(0, run(&l, &b, err, sizeof(err)));
	EXPECT_NE(0, memcmp(a.digest, b.digest, 48));
	EXPECT_EQ(0, memcmp(a.ovmf_hash, b.ovmf_hash, 48));
	l.append = "quiet";
	l.features = 0x1;
	ASSERT_EQ(0, run(&l, &b, err, sizeof(err)));
	EXPECT_NE(0, memcmp(a.digest, b.digest, 48));
	/* EC2 and GCE fix RDX: the vCPU signature does not matter there */
	l.vmm = VHSM_VMM_GCE;
	ASSERT_EQ(0, run(&l, &a, err, sizeof(err)));
	l.sig = 0xa00f11;
	ASSERT_EQ(0, run(&l, &b, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(a.digest, b.digest, 48));
	l.vmm = VHSM_VMM_EC2;
	ASSERT_EQ(0, run(&l, &b, err, sizeof(err)));
	EXPECT_NE(0, memcmp(a.digest, b.digest, 48));
}

TEST(cmdline_hash_has_the_nul)
{
	uint8_t got[32], want[32];

	ASSERT_EQ(0, vhsm_measure_cmdline_hash("", got));
	sha("SHA256", "", 1, want);
	EXPECT_EQ(0, memcmp(got, want, 32));
	ASSERT_EQ(0, vhsm_measure_cmdline_hash("console=ttyS0", got));
	sha("SHA256", "console=ttyS0", 14, want);
	EXPECT_EQ(0, memcmp(got, want, 32));
	ASSERT_EQ(-ENOENT, vhsm_measure_file_hash("/nonexistent/kernel", 10, got, NULL));
	ASSERT_EQ(-EISDIR, vhsm_measure_file_hash("/", 10, got, NULL));
}

TEST(bad_arguments)
{
	struct launch l = { AMDSEV, 0, 0, 0x21, NULL, 0 };
	struct vhsm_measure_out out;
	char err[256];

	EXPECT_EQ(-EINVAL, run(&l, &out, err, sizeof(err)));
	l.vcpus = VHSM_VCPUS_MAX + 1;
	EXPECT_EQ(-ERANGE, run(&l, &out, err, sizeof(err)));
	l.vcpus = 1;
	l.vmm = 7;
	EXPECT_EQ(-EINVAL, run(&l, &out, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, vhsm_measure_launch(NULL, &out, err, sizeof(err)));
}

/* ---- the firmware parser on corrupt tables ---- */

/* a copy of the AmdSev fixture, changed by the caller */
static uint8_t *fixture(void)
{
	struct file f;

	if (load(AMDSEV, &f))
		return NULL;
	return f.p;
}

static int parse(const uint8_t *fw, size_t n, char *err)
{
	struct vhsm_ovmf o;

	err[0] = '\0';
	return vhsm_ovmf_parse(fw, n, &o, err, 256);
}

TEST(ovmf_parse_fixture)
{
	struct vhsm_ovmf o;
	uint8_t *fw = fixture();
	char err[256];

	ASSERT_NE(NULL, fw);
	ASSERT_EQ(0, vhsm_ovmf_parse(fw, 4096, &o, err, sizeof(err)));
	EXPECT_TRUE(o.has_reset_eip);
	EXPECT_TRUE(o.has_hashes_table);
	EXPECT_TRUE(o.has_metadata);
	EXPECT_FALSE(o.has_svsm_info);
	EXPECT_EQ(7, o.n_sections);
	EXPECT_EQ(0x810000, o.sections[5].gpa);
	EXPECT_EQ(VHSM_SECTION_SNP_KERNEL_HASHES, o.sections[5].type);
	EXPECT_EQ(0x810c00, o.hashes_table_gpa);	/* inside the hashes page */
	EXPECT_EQ(0x80b004, o.reset_eip);
	free(fw);
}

/* footer entry: size at 4096-50, GUID after it */
#define FOOTER 0xfce

TEST(ovmf_corrupt_tables)
{
	uint8_t *fw = fixture(), *c;
	struct vhsm_measure_in in = { 0 };
	struct vhsm_measure_out out;
	char err[256];
	uint16_t tsize;

	ASSERT_NE(NULL, fw);
	c = malloc(4096);
	tsize = (uint16_t)(fw[FOOTER] | fw[FOOTER + 1] << 8);

	memcpy(c, fw, 4096);	/* table larger than the file */
	c[FOOTER] = 0xff;
	c[FOOTER + 1] = 0xff;
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));
	EXPECT_NE(NULL, strstr(err, "truncated")) TH_LOG("%s", err);

	memcpy(c, fw, 4096);	/* table smaller than its header */
	c[FOOTER] = 5;
	c[FOOTER + 1] = 0;
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));

	memcpy(c, fw, 4096);	/* last entry's size below its header */
	c[FOOTER - 18] = 3;
	c[FOOTER - 17] = 0;
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));
	EXPECT_NE(NULL, strstr(err, "smaller than its header")) TH_LOG("%s", err);

	memcpy(c, fw, 4096);	/* last entry runs past the table */
	c[FOOTER - 18] = (uint8_t)tsize;
	c[FOOTER - 17] = (uint8_t)(tsize >> 8);
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));

	memcpy(c, fw, 4096);	/* the file cut short: no footer, nothing found */
	EXPECT_EQ(0, parse(c, 4096 - 8, err));
	memset(c, 0, 4096);	/* a page without a footer table */
	in.ovmf = c;
	in.ovmf_len = 4096;
	in.vcpus = 1;
	in.vmm = VHSM_VMM_QEMU;
	EXPECT_EQ(-ENOENT, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "reset block")) TH_LOG("%s", err);
	in.ovmf_len = 4095;
	EXPECT_EQ(-EINVAL, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "4 KiB pages")) TH_LOG("%s", err);
	EXPECT_EQ(-EFBIG, parse(c, (size_t)VHSM_OVMF_MAX + 4096, err));
	free(c);
	free(fw);
}

/* locate the "ASEV" header in the fixture */
static size_t asev(const uint8_t *fw)
{
	size_t i;

	for (i = 0; i + 4 <= 4096; i++)
		if (!memcmp(fw + i, "ASEV", 4))
			return i;
	return 0;
}

TEST(ovmf_corrupt_metadata)
{
	uint8_t *fw = fixture(), *c = malloc(4096);
	struct vhsm_measure_in in = { 0 };
	struct vhsm_measure_out out;
	char err[256];
	size_t m;

	ASSERT_NE(NULL, fw);
	m = asev(fw);
	ASSERT_NE(0, m);

	memcpy(c, fw, 4096);
	c[m] = 'X';
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));
	EXPECT_NE(NULL, strstr(err, "signature")) TH_LOG("%s", err);

	memcpy(c, fw, 4096);
	c[m + 8] = 2;		/* version */
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));

	memcpy(c, fw, 4096);
	c[m + 12] = 0xff;	/* count beyond its size */
	c[m + 13] = 0xff;
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));

	memcpy(c, fw, 4096);
	c[m + 4] = 0xff;	/* size beyond the file */
	c[m + 5] = 0xff;
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));

	/* an unknown section type parses but cannot be measured */
	memcpy(c, fw, 4096);
	c[m + 16 + 8] = 0x7;
	EXPECT_EQ(0, parse(c, 4096, err));
	in.ovmf = c;
	in.ovmf_len = 4096;
	in.vcpus = 1;
	in.vmm = VHSM_VMM_QEMU;
	EXPECT_EQ(-EOPNOTSUPP, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "type 0x7")) TH_LOG("%s", err);

	/* a section GPA that is not page aligned */
	memcpy(c, fw, 4096);
	c[m + 16] = 0x10;
	EXPECT_EQ(-EINVAL, vhsm_measure_launch(&in, &out, err, sizeof(err)));
	free(c);
	free(fw);
}

TEST(ovmf_duplicate_entry)
{
	static const uint8_t meta_guid[4] = { 0x66, 0x65, 0x88, 0xdc };
	uint8_t *fw = fixture(), *c = malloc(4096);
	char err[256];
	size_t i;

	ASSERT_NE(NULL, fw);
	memcpy(c, fw, 4096);
	/* the SEV metadata entry gets the GUID of the reset block (the last entry) */
	for (i = 0; i < FOOTER - 16 && memcmp(c + i, meta_guid, 4); i++)
		;
	ASSERT_LT(i, FOOTER - 16);
	memcpy(c + i, c + FOOTER - 16, 16);
	EXPECT_EQ(-EINVAL, parse(c, 4096, err));
	EXPECT_NE(NULL, strstr(err, "twice")) TH_LOG("%s", err);
	free(c);
	free(fw);
}

TEST_HARNESS_MAIN
