// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Allocation failures under every key, operation and attestation call, on
 * the debug-lane kernel (make check-debug; FAILSLAB, FAIL_PAGE_ALLOC and
 * debugfs). Two passes:
 *
 *  - systematic: for each call, /proc/thread-self/fail-nth makes its 1st,
 *    2nd, ... slab or page allocation fail until the call gets through with
 *    no failure left to inject;
 *  - random: failslab and fail_page_alloc at 25%, restricted to this task
 *    (task-filter, make-it-fail).
 *
 * Both count only allocations with vhsm's code on the stack (require-start/
 * require-end on its text, from /proc/kallsyms; fail-nth honours the stack
 * filter too), whether vhsm allocates itself or through the crypto API, and
 * none made by the sim platform's simulated AMD-SP (reject-start/reject-end
 * on vhsm_sim_sp_send): it stands for the firmware, which allocates nothing
 * in the guest, and a failing firmware call wipes the VMPCK by design.
 *
 * Each injected failure must come back as an error return (the kernel log,
 * judged by the harness, must stay free of WARN, BUG and KASAN reports), a
 * failed key creation must leave no key behind, a transient failure must
 * not be reported as a forged tag or signature (-EBADMSG), and nothing is
 * wiped: attestation still works afterwards (the sim's guest_wiped stays 0),
 * as do all the calls. Leaks are found by kmemleak_test.sh, which runs after.
 *
 * Needs root, the sim platform and $VHSM_KO (a wiped VMPCK is restored by a
 * reload so that the rest of the pass still runs). Skips on a kernel without
 * fault injection: it runs in the debug lane only.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "attest_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define DBG		"/sys/kernel/debug"
#define FAILSLAB	DBG "/failslab/"
#define FAILPAGE	DBG "/fail_page_alloc/"
#define MAX_POINTS	2000	/* a call with more allocations than this fails */
#define RANDOM_ROUNDS	40
#define DATA_LEN	4096

struct op_ctx {
	int fd;
	uint32_t aes, hmac, ec, peer;	/* keys the operations use */
	uint8_t data[DATA_LEN], ct[DATA_LEN], pt[DATA_LEN];
	uint8_t iv[12], tag[16];
	uint8_t mac[64];
	uint32_t mac_len;
	uint8_t sig[128];
	uint32_t sig_len;
	uint8_t pub[160], peer_pub[160];
	uint32_t pub_len, peer_pub_len;
	uint32_t vmpl;
};

/* An operation: 0 or -errno; a created key goes to *made (destroyed after). */
struct op {
	const char *name;
	int (*run)(struct op_ctx *c, uint32_t *made);
	int creates;		/* 1: a failed call must leave no key */
	int checks_data;	/* 1: -EBADMSG would be a false "forged" */
	int attests;		/* 1: goes to the (sim) firmware */
};

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int fail_nth_set(unsigned int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", n);
	return write_str("/proc/thread-self/fail-nth", buf);
}

/* The fail-nth countdown left: 0 once the failure was injected. */
static long fail_nth_left(void)
{
	char buf[32] = "";
	ssize_t n;
	int fd = open("/proc/thread-self/fail-nth", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* Both fault attributes: @key (a debugfs file name) set to @val. */
static int fault_attr_set(const char *key, const char *val)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), FAILSLAB "%s", key);
	ret = write_str(path, val);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), FAILPAGE "%s", key);
	return write_str(path, val);
}

/*
 * From /proc/kallsyms, vhsm's text [*lo, *hi), or with @fn that function's:
 * from its address to the next vhsm text symbol's. 0 or -errno.
 */
static int vhsm_text(unsigned long *lo, unsigned long *hi, const char *fn)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], type, name[256], mod[64];
	unsigned long a, fa = 0, next = ~0UL;

	if (!f)
		return -errno;
	*lo = ~0UL;
	*hi = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %255s [%63[^]]]", &a, &type, name, mod) != 4)
			continue;
		if (strcmp(mod, "vhsm") || (type != 't' && type != 'T') || !a)
			continue;
		if (a < *lo)
			*lo = a;
		if (a > *hi)
			*hi = a;
		if (fn && !strcmp(name, fn))
			fa = a;
	}
	if (fn && fa) {		/* the next symbol after it */
		rewind(f);
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%lx %c %255s [%63[^]]]", &a, &type, name, mod) == 4 &&
			    !strcmp(mod, "vhsm") && a > fa && a < next)
				next = a;
	}
	fclose(f);
	if (*lo == ~0UL || (fn && (!fa || next == ~0UL)))
		return -ENOENT;
	*hi += 0x1000;	/* the last function's body */
	if (fn) {
		*lo = fa;
		*hi = next;
	}
	return 0;
}

/* "fault.<pid>.<what>": each test (a child of the harness) has its own keys */
static const char *lbl(const char *what)
{
	static char buf[8][VHSM_LABEL_MAX];
	static unsigned int next;
	char *b = buf[next++ % 8];

	snprintf(b, VHSM_LABEL_MAX, "fault.%d.%s", (int)getpid(), what);
	return b;
}

static int key_count(int fd)
{
	struct vhsm_key_list l = { .size = sizeof(l) };
	uint32_t buf[256];

	l.count = 256;
	l.handles_ptr = (uintptr_t)buf;
	if (ko_ioctl(fd, VHSM_IOC_KEY_LIST, &l))
		return -1;
	return l.more ? 256 + 1 : (int)l.count;
}

/* ---- the operations ------------------------------------------------------- */

static int op_info(struct op_ctx *c, uint32_t *made)
{
	struct vhsm_info info = { .size = sizeof(info) };

	return ko_ioctl(c->fd, VHSM_IOC_INFO, &info);
}

static int gen(struct op_ctx *c, uint32_t type, uint32_t usage, uint32_t *made)
{
	return ko_generate(c->fd, type, usage, 0700, lbl("gen"), made);
}

static int op_gen_aes(struct op_ctx *c, uint32_t *made)
{
	return gen(c, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT, made);
}

static int op_gen_hmac(struct op_ctx *c, uint32_t *made)
{
	return gen(c, VHSM_KEY_HMAC_SHA384, VHSM_USAGE_MAC, made);
}

static int op_gen_p256(struct op_ctx *c, uint32_t *made)
{
	return gen(c, VHSM_KEY_EC_P256, VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY, made);
}

static int op_gen_p384(struct op_ctx *c, uint32_t *made)
{
	return gen(c, VHSM_KEY_EC_P384, VHSM_USAGE_SIGN | VHSM_USAGE_DERIVE, made);
}

static int op_import_pub(struct op_ctx *c, uint32_t *made)
{
	struct vhsm_key_attr a;

	ko_attr(&a, VHSM_KEY_EC_P256, VHSM_USAGE_VERIFY, 0700, lbl("pub"));
	return ko_import(c->fd, VHSM_IMPORT_F_PUBLIC, &a, c->peer_pub, c->peer_pub_len, made);
}

static int op_key_info(struct op_ctx *c, uint32_t *made)
{
	struct vhsm_key_info info;

	return ko_info(c->fd, c->ec, &info);
}

static int op_lookup(struct op_ctx *c, uint32_t *made)
{
	uint32_t h;

	return ko_lookup(c->fd, lbl("ec"), &h);
}

static int op_list(struct op_ctx *c, uint32_t *made)
{
	return key_count(c->fd) < 0 ? -errno : 0;
}

static int op_encrypt(struct op_ctx *c, uint32_t *made)
{
	uint8_t iv[12], tag[16];

	return ko_encrypt(c->fd, c->aes, 0, "aad", 3, c->data, DATA_LEN, c->pt, iv, tag);
}

static int op_decrypt(struct op_ctx *c, uint32_t *made)
{
	return ko_decrypt(c->fd, c->aes, "aad", 3, c->ct, DATA_LEN, c->pt, c->iv, c->tag);
}

static int op_mac(struct op_ctx *c, uint32_t *made)
{
	uint8_t mac[64];
	uint32_t len;

	return ko_mac(c->fd, c->hmac, c->data, DATA_LEN, mac, &len);
}

static int op_mac_verify(struct op_ctx *c, uint32_t *made)
{
	return ko_mac_verify(c->fd, c->hmac, c->data, DATA_LEN, c->mac, c->mac_len);
}

static int op_sign(struct op_ctx *c, uint32_t *made)
{
	uint8_t sig[128];
	uint32_t len = sizeof(sig);

	return ko_sign(c->fd, c->ec, VHSM_SIG_F_DER, c->data, DATA_LEN, sig, &len);
}

static int op_verify(struct op_ctx *c, uint32_t *made)
{
	return ko_verify(c->fd, c->ec, VHSM_SIG_F_DER, c->data, DATA_LEN, c->sig, c->sig_len);
}

static int op_pubkey(struct op_ctx *c, uint32_t *made)
{
	uint8_t buf[256];
	uint32_t len = sizeof(buf);

	return ko_pubkey(c->fd, c->ec, VHSM_PUBKEY_F_SPKI, buf, &len);
}

static int op_derive(struct op_ctx *c, uint32_t *made)
{
	struct vhsm_key_attr a;

	ko_attr(&a, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl("derived"));
	return ko_derive(c->fd, c->ec, c->peer_pub, c->peer_pub_len, "salt", 4, "info", 4,
			 &a, made);
}

static int op_attest(struct op_ctx *c, uint32_t *made)
{
	static uint8_t report[VHSM_SNP_REPORT_LEN];
	uint8_t rd[VHSM_REPORT_DATA_LEN] = { 0xfa, 0x17 };

	return at_attest(c->fd, rd, c->vmpl, report);
}

static int op_platform_key(struct op_ctx *c, uint32_t *made)
{
	struct vhsm_platform_key pk;
	int ret;

	memset(&pk, 0, sizeof(pk));
	pk.size = sizeof(pk);
	pk.vmpl = c->vmpl;
	pk.guest_field_select = VHSM_FIELD_MEASUREMENT;
	ko_attr(&pk.attr, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, lbl("platform"));
	ret = at_ioctl(c->fd, VHSM_IOC_PLATFORM_KEY, &pk);
	if (!ret)
		*made = pk.handle;
	return ret;
}

static const struct op ops[] = {
	{ .name = "info", .run = op_info },
	{ .name = "generate aes256-gcm", .run = op_gen_aes, .creates = 1 },
	{ .name = "generate hmac-sha384", .run = op_gen_hmac, .creates = 1 },
	{ .name = "generate p256", .run = op_gen_p256, .creates = 1 },
	{ .name = "generate p384", .run = op_gen_p384, .creates = 1 },
	{ .name = "import public p256", .run = op_import_pub, .creates = 1 },
	{ .name = "key info", .run = op_key_info },
	{ .name = "lookup", .run = op_lookup },
	{ .name = "list", .run = op_list },
	{ .name = "aead encrypt", .run = op_encrypt },
	{ .name = "aead decrypt", .run = op_decrypt, .checks_data = 1 },
	{ .name = "mac", .run = op_mac },
	{ .name = "mac verify", .run = op_mac_verify, .checks_data = 1 },
	{ .name = "sign", .run = op_sign },
	{ .name = "verify", .run = op_verify, .checks_data = 1 },
	{ .name = "pubkey spki", .run = op_pubkey },
	{ .name = "ecdh derive", .run = op_derive, .creates = 1 },
	{ .name = "attest", .run = op_attest, .attests = 1 },
	{ .name = "platform key", .run = op_platform_key, .creates = 1, .attests = 1 },
};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

/* ---- fixture -------------------------------------------------------------- */

FIXTURE(fault) {
	struct op_ctx c;
	int base_keys;
	int kmsg;		/* /dev/kmsg, read from the end */
};

/*
 * The reason of the last "VMPCKn wiped (REASON)" logged since the previous
 * call, into @why ("" when none).
 */
static void kmsg_wipe_reason(int fd, char *why, size_t cap)
{
	char rec[1024];
	ssize_t n;

	why[0] = '\0';
	for (;;) {
		const char *p, *e;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		p = strstr(rec, " wiped (");
		if (!p || !strstr(rec, "VMPCK"))
			continue;
		p += strlen(" wiped (");
		e = strchr(p, ')');
		if (e && (size_t)(e - p) < cap) {
			memcpy(why, p, e - p);
			why[e - p] = '\0';
		}
	}
}

static int open_dev(void)
{
	return open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
}

static void ctx_keys_destroy(struct op_ctx *c);

/* The keys and reference outputs the operations need; 0 or -errno. */
static int ctx_init(struct op_ctx *c)
{
	uint32_t u = VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY | VHSM_USAGE_DERIVE;
	size_t i;
	int ret;

	for (i = 0; i < DATA_LEN; i++)
		c->data[i] = (uint8_t)(i * 7 + 1);
	c->vmpl = (uint32_t)at_param_u64("sim_vmpl");
	ret = ko_generate(c->fd, VHSM_KEY_AES256_GCM, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT,
			  0700, lbl("aes"), &c->aes);
	ret = ret ?: ko_generate(c->fd, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700,
				 lbl("hmac"), &c->hmac);
	ret = ret ?: ko_generate(c->fd, VHSM_KEY_EC_P256, u, 0700, lbl("ec"), &c->ec);
	ret = ret ?: ko_generate(c->fd, VHSM_KEY_EC_P256, u, 0700, lbl("peer"), &c->peer);
	if (ret)
		return ret;
	c->pub_len = sizeof(c->pub);
	c->peer_pub_len = sizeof(c->peer_pub);
	c->sig_len = sizeof(c->sig);
	ret = ko_pubkey(c->fd, c->ec, 0, c->pub, &c->pub_len);
	ret = ret ?: ko_pubkey(c->fd, c->peer, 0, c->peer_pub, &c->peer_pub_len);
	ret = ret ?: ko_encrypt(c->fd, c->aes, 0, "aad", 3, c->data, DATA_LEN, c->ct,
				c->iv, c->tag);
	ret = ret ?: ko_mac(c->fd, c->hmac, c->data, DATA_LEN, c->mac, &c->mac_len);
	ret = ret ?: ko_sign(c->fd, c->ec, VHSM_SIG_F_DER, c->data, DATA_LEN, c->sig,
			     &c->sig_len);
	if (ret)
		ctx_keys_destroy(c);
	return ret;
}

/* The keys of ctx_init(), by label: after a reload the handles are stale. */
static void ctx_keys_destroy(struct op_ctx *c)
{
	uint32_t h;

	if (!ko_lookup(c->fd, lbl("aes"), &h))
		ko_destroy(c->fd, h);
	if (!ko_lookup(c->fd, lbl("hmac"), &h))
		ko_destroy(c->fd, h);
	if (!ko_lookup(c->fd, lbl("ec"), &h))
		ko_destroy(c->fd, h);
	if (!ko_lookup(c->fd, lbl("peer"), &h))
		ko_destroy(c->fd, h);
}

static void ctx_destroy(struct op_ctx *c)
{
	if (c->fd < 0)
		return;
	ctx_keys_destroy(c);
	close(c->fd);
	c->fd = -1;
}

/* Injection off everywhere: probabilities 0, this task's fail-nth 0. */
static void faults_off(void)
{
	fail_nth_set(0);
	write_str("/proc/thread-self/make-it-fail", "0");
	fault_attr_set("probability", "0");
}

/* The attributes as the kernel starts with them (no stack filter). */
static void faults_reset(void)
{
	faults_off();
	fault_attr_set("require-start", "0");
	fault_attr_set("require-end", "0xffffffffffffffff");
	fault_attr_set("reject-start", "0");
	fault_attr_set("reject-end", "0");
}

static int fault_attr_setx(const char *key, unsigned long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%#lx", val);
	return fault_attr_set(key, buf);
}

/* The fault attributes for both passes; 0 or -errno. */
static int faults_setup(void)
{
	unsigned long lo, hi, slo, shi;
	int ret;

	ret = vhsm_text(&lo, &hi, NULL);
	ret = ret ?: vhsm_text(&slo, &shi, "vhsm_sim_sp_send");
	ret = ret ?: fault_attr_setx("require-start", lo);
	ret = ret ?: fault_attr_setx("require-end", hi);
	ret = ret ?: fault_attr_setx("reject-start", slo);
	ret = ret ?: fault_attr_setx("reject-end", shi);
	ret = ret ?: fault_attr_set("stacktrace-depth", "32");
	if (ret)
		return ret;

	ret = fault_attr_set("ignore-gfp-wait", "N");
	ret = ret ?: write_str(FAILPAGE "ignore-gfp-highmem", "N");
	ret = ret ?: write_str(FAILPAGE "min-order", "0");
	ret = ret ?: fault_attr_set("verbose", "0");
	ret = ret ?: fault_attr_set("probability", "0");
	ret = ret ?: fault_attr_set("interval", "1");
	ret = ret ?: fault_attr_set("times", "-1");
	ret = ret ?: fault_attr_set("space", "0");
	ret = ret ?: fault_attr_set("task-filter", "Y");
	return ret;
}

FIXTURE_SETUP(fault)
{
	struct vhsm_info info = { .size = sizeof(info) };

	self->c.fd = -1;
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->kmsg);
	lseek(self->kmsg, 0, SEEK_END);
	if (access(DBG "/failslab", F_OK))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	if (access(FAILSLAB "probability", F_OK) || access(FAILPAGE "probability", F_OK) ||
	    access("/proc/thread-self/fail-nth", F_OK))
		SKIP(return, "no failslab/fail_page_alloc: not the debug-lane kernel");
	ASSERT_EQ(0, geteuid());
	ASSERT_NE(NULL, getenv("VHSM_KO"));
	self->c.fd = open_dev();
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, ko_ioctl(self->c.fd, VHSM_IOC_INFO, &info));
	if (info.platform_id != VHSM_PLATFORM_SIM)
		SKIP(return, "needs platform=sim (attestation without hardware)");
	ASSERT_EQ(0, at_stat("guest_wiped"));
	ASSERT_EQ(0, faults_setup());
	ASSERT_EQ(0, ctx_init(&self->c));
	self->base_keys = key_count(self->c.fd);
	ASSERT_LE(0, self->base_keys);
}

FIXTURE_TEARDOWN(fault)
{
	faults_reset();
	ctx_destroy(&self->c);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/*
 * The VMPCK was wiped after an injected failure: a failure, with the reason
 * the kernel logged; then reload the module so that the pass goes on, and
 * remake the keys.
 */
static void recover_wipe(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
			 const char *what)
{
	char why[64];

	kmsg_wipe_reason(self->kmsg, why, sizeof(why));
	TH_LOG("%s: the VMPCK was wiped (%s) by a transient allocation failure",
	       what, why[0] ? why : "reason not logged");
	EXPECT_EQ(0, at_stat("guest_wiped"));
	ctx_destroy(&self->c);
	ASSERT_EQ(0, at_reload(NULL, NULL));
	self->c.fd = open_dev();
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, ctx_init(&self->c));
	ASSERT_EQ(0, faults_setup());	/* vhsm's text moved */
}

/* After an injected call: whatever it made is gone, nothing else changed. */
static void after_call(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
		       const struct op *op, int ret, uint32_t made, const char *what)
{
	if (!ret && op->creates)
		EXPECT_EQ(0, ko_destroy(self->c.fd, made));
	if (ret && op->checks_data && ret == -EBADMSG)
		TH_LOG("%s: a valid input reported as forged (-EBADMSG)", what);
	if (op->checks_data)
		EXPECT_NE(-EBADMSG, ret);
	EXPECT_EQ(self->base_keys, key_count(self->c.fd)) {
		TH_LOG("%s: key count changed (ret %d)", what, ret);
	}
	if (op->attests && at_stat("guest_wiped"))
		recover_wipe(_metadata, self, what);
}

TEST_F_TIMEOUT(fault, every_nth_allocation_fails_cleanly, 1200)
{
	unsigned int i, total = 0;

	for (i = 0; i < N_OPS; i++) {
		const struct op *op = &ops[i];
		unsigned int n, failed = 0, recovered = 0, errs[4] = { 0 };
		char what[96];

		for (n = 1; n <= MAX_POINTS; n++) {
			uint32_t made = 0;
			long left;
			int ret;

			ASSERT_EQ(0, fail_nth_set(n));
			ret = op->run(&self->c, &made);
			left = fail_nth_left();
			fail_nth_set(0);
			snprintf(what, sizeof(what), "%s, allocation %u", op->name, n);
			if (left > 0) {		/* ran out of allocations to fail */
				EXPECT_EQ(0, ret) TH_LOG("%s: %d", op->name, ret);
				if (!ret && op->creates)
					EXPECT_EQ(0, ko_destroy(self->c.fd, made));
				break;
			}
			if (ret) {
				failed++;
				errs[ret == -ENOMEM ? 0 : ret == -EIO ? 1 :
				     ret == -ENOTRECOVERABLE ? 2 : 3]++;
				if (ret != -ENOMEM)
					TH_LOG("%s: %d (%s)", what, ret, strerror(-ret));
			} else {
				recovered++;
			}
			after_call(_metadata, self, op, ret, made, what);
		}
		EXPECT_GE(MAX_POINTS, n) TH_LOG("%s: more than %d allocations", op->name,
						MAX_POINTS);
		TH_LOG("%-20s %3u points: %u errors (ENOMEM %u, EIO %u, ENOTRECOVERABLE %u, other %u), %u absorbed",
		       op->name, n - 1, failed, errs[0], errs[1], errs[2], errs[3], recovered);
		total += n - 1;
	}
	TH_LOG("%u allocation failures injected", total);
	EXPECT_LT(N_OPS, total);	/* the injection reached the calls */
}

TEST_F_TIMEOUT(fault, random_failures_in_vhsm_code, 1200)
{
	unsigned int i, r, failed = 0, calls = 0;

	ASSERT_EQ(0, write_str("/proc/thread-self/make-it-fail", "1"));
	ASSERT_EQ(0, fault_attr_set("probability", "25"));
	for (r = 0; r < RANDOM_ROUNDS; r++)
		for (i = 0; i < N_OPS; i++) {
			uint32_t made = 0;
			char what[96];
			int ret;

			ret = ops[i].run(&self->c, &made);
			calls++;
			if (ret)
				failed++;
			snprintf(what, sizeof(what), "%s, round %u", ops[i].name, r);
			/* checked with injection paused: the checks allocate too */
			write_str("/proc/thread-self/make-it-fail", "0");
			after_call(_metadata, self, &ops[i], ret, made, what);
			write_str("/proc/thread-self/make-it-fail", "1");
		}
	faults_off();
	TH_LOG("%u calls, %u failed under injection", calls, failed);
	EXPECT_LT(0, failed);		/* the filter matched vhsm's code */
	EXPECT_GT(calls, failed);	/* and let some through */
}

/* Runs last (the harness runs tests in order): everything works again. */
TEST_F(fault, afterwards_everything_works_and_nothing_was_wiped)
{
	unsigned int i;

	faults_off();
	EXPECT_EQ(0, at_stat("guest_wiped"));
	for (i = 0; i < N_OPS; i++) {
		uint32_t made = 0;
		int ret = ops[i].run(&self->c, &made);

		EXPECT_EQ(0, ret) TH_LOG("%s: %d", ops[i].name, ret);
		if (!ret && ops[i].creates)
			EXPECT_EQ(0, ko_destroy(self->c.fd, made));
	}
	EXPECT_EQ(self->base_keys, key_count(self->c.fd));
}

TEST_HARNESS_MAIN
