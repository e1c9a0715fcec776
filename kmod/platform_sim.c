// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform, for machines without SEV-SNP. It proves nothing:
 * it says so loudly at load, names itself "sim" (platform name, and the
 * VHSM_PLATFORM_F_SIMULATED flag), and its VCEK is derived from a chip secret
 * that by default is a well-known test value, so its reports chain only to a
 * test root that no production verifier trusts.
 *
 * Only the transport is simulated: reports and derived keys go through the
 * same guest-message layer as on SEV-SNP (snp_msg.c, snp_req.c), encrypted
 * under a VMPCK, to a software AMD-SP (sim_sp.c) holding its own copy of it.
 *
 * The launch being attested is described by read-only module parameters
 * (sim_*), checked at load. Tests read them back from sysfs, together with
 * sim_vcek_pub (SEC1 0x04 || X || Y of the VCEK, hex) and sim_stats (the
 * guest-message counters of both sides, and the AMD-SP's count of sequence
 * numbers reused with other contents, sp_iv_reuse, which must stay 0).
 *
 * The machine (secrets page, AMD-SP keys and sequence numbers) is
 * vhsm_sim_hw.ko's when that module is loaded, and then outlives vhsm.ko as
 * on a real guest; otherwise it is powered on at load and off at unload
 * (sim_hw.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vhsm.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "param_ro.h"
#include "platform.h"
#include "sim_hw.h"
#include "sim_sp.h"
#include "snp_abi.h"
#include "snp_msg.h"
#include "snp_req.h"

#define SIM_DEFAULT_CHIP_SECRET \
	"7668736d2d73696d2077656c6c2d6b6e6f776e20636869702073656372657421"
/*
 * Default TCBs, in each product's layout: Milan/Genoa [bl, tee, rsvd x4, snp,
 * ucode], Turin [fmc, bl, tee, snp, rsvd x3, ucode].  Both say BL 3, SNP 8,
 * ucode 0x73 (and FMC 1 on Turin); the Genoa value read as Turin would set
 * reserved byte 6.  A TCB parameter left at SIM_TCB_PRODUCT_DEFAULT takes
 * the product's value when the platform starts.
 */
#define SIM_DEFAULT_TCB_MILAN	0x7308000000000003ULL
#define SIM_DEFAULT_TCB_TURIN	0x7300000008000301ULL
#define SIM_TCB_PRODUCT_DEFAULT	U64_MAX

static char *sim_measurement =
	"0123456789abcdef0123456789abcdef0123456789abcdef"
	"0123456789abcdef0123456789abcdef0123456789abcdef";
module_param(sim_measurement, charp, 0444);
MODULE_PARM_DESC(sim_measurement, "platform=sim: MEASUREMENT, 48 bytes in hex");

static char *sim_host_data =
	"0000000000000000000000000000000000000000000000000000000000000000";
module_param(sim_host_data, charp, 0444);
MODULE_PARM_DESC(sim_host_data, "platform=sim: HOST_DATA, 32 bytes in hex");

static char *sim_family_id = "00000000000000000000000000000000";
module_param(sim_family_id, charp, 0444);
MODULE_PARM_DESC(sim_family_id, "platform=sim: FAMILY_ID, 16 bytes in hex");

static char *sim_image_id = "00000000000000000000000000000000";
module_param(sim_image_id, charp, 0444);
MODULE_PARM_DESC(sim_image_id, "platform=sim: IMAGE_ID, 16 bytes in hex");

static char *sim_chip_secret = SIM_DEFAULT_CHIP_SECRET;
module_param(sim_chip_secret, charp, 0400);
MODULE_PARM_DESC(sim_chip_secret,
		 "platform=sim: chip secret (VCEK, CHIP_ID, derived keys), 32 bytes in hex; default: the well-known test value \"vhsm-sim well-known chip secret!\"");

static unsigned long long sim_policy = VHSM_SNP_POLICY_RSVD1 | VHSM_SNP_POLICY_SMT;
module_param(sim_policy, ullong, 0444);
MODULE_PARM_DESC(sim_policy, "platform=sim: guest POLICY (bit 17 must be set)");

static unsigned int sim_guest_svn = 1;
module_param(sim_guest_svn, uint, 0444);
MODULE_PARM_DESC(sim_guest_svn, "platform=sim: GUEST_SVN (launch SVN)");

static unsigned long long sim_current_tcb = SIM_TCB_PRODUCT_DEFAULT;
module_param(sim_current_tcb, ullong, 0444);
MODULE_PARM_DESC(sim_current_tcb, "platform=sim: CURRENT_TCB (default: the product's, Milan/Genoa 0x7308000000000003, Turin 0x7300000008000301)");

static unsigned long long sim_committed_tcb = SIM_TCB_PRODUCT_DEFAULT;
module_param(sim_committed_tcb, ullong, 0444);
MODULE_PARM_DESC(sim_committed_tcb, "platform=sim: COMMITTED_TCB (<= current)");

static unsigned long long sim_launch_tcb = SIM_TCB_PRODUCT_DEFAULT;
module_param(sim_launch_tcb, ullong, 0444);
MODULE_PARM_DESC(sim_launch_tcb, "platform=sim: LAUNCH_TCB");

static unsigned long long sim_reported_tcb = SIM_TCB_PRODUCT_DEFAULT;
module_param(sim_reported_tcb, ullong, 0444);
MODULE_PARM_DESC(sim_reported_tcb, "platform=sim: REPORTED_TCB (<= committed; the VCEK's TCB)");

static unsigned long long sim_launch_mit;
module_param(sim_launch_mit, ullong, 0444);
MODULE_PARM_DESC(sim_launch_mit, "platform=sim: LAUNCH_MIT_VECTOR (report version 5)");

static unsigned long long sim_current_mit;
module_param(sim_current_mit, ullong, 0444);
MODULE_PARM_DESC(sim_current_mit, "platform=sim: CURRENT_MIT_VECTOR (report version 5)");

static char *sim_product = "milan";
module_param(sim_product, charp, 0444);
MODULE_PARM_DESC(sim_product, "platform=sim: milan, genoa (CPUID family 0x19) or turin (0x1A)");

static unsigned int sim_report_version = 3;
module_param(sim_report_version, uint, 0444);
MODULE_PARM_DESC(sim_report_version, "platform=sim: ATTESTATION_REPORT version, 3 or 5");

static unsigned int sim_vmpl;
module_param(sim_vmpl, uint, 0444);
MODULE_PARM_DESC(sim_vmpl, "platform=sim: the VMPL vhsm runs at (its VMPCK), 0-3");

/*
 * By default the busy host is retried quickly: tests must not wait like real
 * guests do (60 s). A test of the waits themselves asks for longer ones.
 */
static unsigned int sim_busy_retries = 5;
module_param(sim_busy_retries, uint, 0444);
MODULE_PARM_DESC(sim_busy_retries,
		 "platform=sim: resends to a busy host before a request is given up (0-100000)");

static unsigned int sim_busy_delay_ms = 1;
module_param(sim_busy_delay_ms, uint, 0444);
MODULE_PARM_DESC(sim_busy_delay_ms, "platform=sim: pause before each resend, ms (0-10000)");

#define SIM_BUSY_RETRIES_MAX	100000
#define SIM_BUSY_DELAY_MAX	10000

/**
 * struct sim_platform - the sim platform's state
 * @sp:       the simulated AMD-SP
 * @ch:       the guest's message channel to it, over the secrets page's
 *            VMPCK<sim_vmpl> and sequence number in @hw
 * @hw:       the simulated machine (secrets page, AMD-SP state)
 * @hw_owned: @hw was powered on by this load (no vhsm_sim_hw.ko): vfree it
 *            at unload; otherwise it is vhsm_sim_hw.ko's, pinned until then
 */
struct sim_platform {
	struct vhsm_sim_sp sp;
	struct vhsm_snp_channel ch;
	struct vhsm_sim_hw *hw;
	bool hw_owned;
};

/*
 * sim_lock guards sim and sim_vcek_hex against the sysfs readers, which can
 * run during probe and remove; the ioctl paths use sim without it (it is set
 * before /dev/vhsm exists and cleared after it is gone). Order: sim_lock,
 * then a channel or AMD-SP lock.
 */
static DEFINE_MUTEX(sim_lock);
static struct sim_platform *sim;
static char sim_vcek_hex[2 * (1 + 2 * VHSM_SIM_VCEK_LEN) + 1];

/* Set by sim_probe() from sim_busy_* before the channel exists. */
static struct vhsm_snp_transport sim_transport = {
	.send = vhsm_sim_sp_send,
};

static int vcek_pub_get(char *buffer, const struct kernel_param *kp)
{
	int n;

	mutex_lock(&sim_lock);
	n = scnprintf(buffer, PAGE_SIZE, "%s\n", sim_vcek_hex);
	mutex_unlock(&sim_lock);
	return n;
}

static const struct kernel_param_ops vcek_pub_ops = {
	.set = vhsm_param_set_readonly,
	.get = vcek_pub_get,
};
module_param_cb(sim_vcek_pub, &vcek_pub_ops, NULL, 0444);
MODULE_PARM_DESC(sim_vcek_pub, "platform=sim: the VCEK public key, SEC1 uncompressed, hex");

static int stats_get(char *buffer, const struct kernel_param *kp)
{
	struct vhsm_sim_sp_stats sp;
	struct vhsm_snp_msg_stats ch;
	u64 iv_checked, iv_reuse;
	int n = 0;

	mutex_lock(&sim_lock);
	if (sim) {
		vhsm_sim_sp_get_stats(&sim->sp, &sp);
		vhsm_snp_msg_get_stats(&sim->ch, &ch);
		/* the machine's counters, updated under the AMD-SP lock: racy, for tests */
		iv_checked = data_race(sim->hw->iv_checked);
		/* likewise */
		iv_reuse = data_race(sim->hw->iv_reuse);
		n = scnprintf(buffer, PAGE_SIZE,
			      "sp_requests=%llu sp_rejected=%llu sp_busy=%llu sp_resent_identical=%llu sp_resent_mismatch=%llu sp_last_seqno=%llu sp_internal_errors=%llu sp_iv_checked=%llu sp_iv_reuse=%llu guest_round_trips=%llu guest_busy=%llu guest_resent=%llu guest_timeouts=%llu guest_decrypt_errors=%llu guest_seqno=%u guest_wiped=%d\n",
			      sp.requests, sp.rejected, sp.busy, sp.resent_identical,
			      sp.resent_mismatch, sp.last_seqno, sp.internal_errors,
			      iv_checked, iv_reuse,
			      ch.round_trips, ch.busy, ch.resent, ch.timeouts,
			      ch.decrypt_errors, ch.seqno, ch.wiped);
	}
	mutex_unlock(&sim_lock);
	return n;
}

static const struct kernel_param_ops stats_ops = {
	.set = vhsm_param_set_readonly,
	.get = stats_get,
};
module_param_cb(sim_stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(sim_stats, "platform=sim: guest-message counters (guest and AMD-SP side)");

static int parse_hex(const char *name, const char *hex, u8 *out, size_t len)
{
	if (!hex || strlen(hex) != 2 * len || hex2bin(out, hex, len)) {
		pr_err("platform=sim: %s must be %zu bytes in hex\n", name, len);
		return -EINVAL;
	}
	return 0;
}

/* The TCB parameters left at their default take the product's value. */
static void default_tcbs(enum vhsm_sim_product p)
{
	unsigned long long *tcbs[] = { &sim_current_tcb, &sim_committed_tcb,
				       &sim_launch_tcb, &sim_reported_tcb };
	unsigned long long def = p == VHSM_SIM_TURIN ? SIM_DEFAULT_TCB_TURIN
						     : SIM_DEFAULT_TCB_MILAN;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tcbs); i++)
		if (*tcbs[i] == SIM_TCB_PRODUCT_DEFAULT)
			*tcbs[i] = def;
}

static int parse_product(enum vhsm_sim_product *p)
{
	if (!strcmp(sim_product, "milan"))
		*p = VHSM_SIM_MILAN;
	else if (!strcmp(sim_product, "genoa"))
		*p = VHSM_SIM_GENOA;
	else if (!strcmp(sim_product, "turin"))
		*p = VHSM_SIM_TURIN;
	else
		return -EINVAL;
	return 0;
}

static int check_numbers(void)
{
	if (!(sim_policy & VHSM_SNP_POLICY_RSVD1) || sim_policy & VHSM_SNP_POLICY_MBZ) {
		pr_err("platform=sim: sim_policy needs bit 17 set and bits 63:26 clear\n");
		return -EINVAL;
	}
	if (sim_report_version != 3 && sim_report_version != 5) {
		pr_err("platform=sim: sim_report_version must be 3 or 5\n");
		return -EINVAL;
	}
	if (sim_vmpl > 3) {
		pr_err("platform=sim: sim_vmpl must be 0-3\n");
		return -EINVAL;
	}
	if (sim_busy_retries > SIM_BUSY_RETRIES_MAX || sim_busy_delay_ms > SIM_BUSY_DELAY_MAX) {
		pr_err("platform=sim: sim_busy_retries must be 0-%u and sim_busy_delay_ms 0-%u\n",
		       SIM_BUSY_RETRIES_MAX, SIM_BUSY_DELAY_MAX);
		return -EINVAL;
	}
	if (!vhsm_sim_tcb_le(sim_reported_tcb, sim_committed_tcb) ||
	    !vhsm_sim_tcb_le(sim_committed_tcb, sim_current_tcb)) {
		pr_err("platform=sim: TCBs must satisfy reported <= committed <= current\n");
		return -EINVAL;
	}
	return 0;
}

static int build_config(struct vhsm_sim_config *c)
{
	int ret;

	if (parse_product(&c->product)) {
		pr_err("platform=sim: sim_product must be milan, genoa or turin\n");
		return -EINVAL;
	}
	default_tcbs(c->product);
	ret = check_numbers();
	ret = ret ?: parse_hex("sim_measurement", sim_measurement, c->measurement,
			       sizeof(c->measurement));
	ret = ret ?: parse_hex("sim_host_data", sim_host_data, c->host_data,
			       sizeof(c->host_data));
	ret = ret ?: parse_hex("sim_family_id", sim_family_id, c->family_id,
			       sizeof(c->family_id));
	ret = ret ?: parse_hex("sim_image_id", sim_image_id, c->image_id,
			       sizeof(c->image_id));
	ret = ret ?: parse_hex("sim_chip_secret", sim_chip_secret, c->chip_secret,
			       sizeof(c->chip_secret));
	if (ret)
		return ret;
	c->policy = sim_policy;
	c->guest_svn = sim_guest_svn;
	c->current_tcb = sim_current_tcb;
	c->committed_tcb = sim_committed_tcb;
	c->launch_tcb = sim_launch_tcb;
	c->reported_tcb = sim_reported_tcb;
	c->launch_mit = sim_launch_mit;
	c->current_mit = sim_current_mit;
	c->version = sim_report_version;
	c->vmpl = sim_vmpl;
	return 0;
}

static void set_vcek_hex(const struct vhsm_sim_sp *sp)
{
	char *p = sim_vcek_hex;

	mutex_lock(&sim_lock);
	p += sprintf(p, "04");
	bin2hex(p, sp->vcek_pub, sizeof(sp->vcek_pub));
	p[2 * sizeof(sp->vcek_pub)] = '\0';
	mutex_unlock(&sim_lock);
}

static void announce(void)
{
	pr_warn("platform=sim: SIMULATED platform, not an AMD secure processor; nothing it reports is hardware-backed. For testing only.\n");
	pr_warn("platform=sim: reports are signed by a vhsm-sim VCEK (%s chip secret) that chains only to a test root; %s, report version %u\n",
		strcmp(sim_chip_secret, SIM_DEFAULT_CHIP_SECRET) ? "caller's" : "well-known test",
		sim_product, sim_report_version);
}

/*
 * The machine this load runs in: vhsm_sim_hw.ko's, which outlives vhsm.ko
 * like a real guest's secrets page and AMD-SP, or else one powered on now
 * and off at unload.
 */
static int hw_attach(struct sim_platform *s)
{
	struct vhsm_sim_hw *(*get)(void) = symbol_get(vhsm_sim_hw_get);

	if (get) {
		s->hw = get();
		pr_info("platform=sim: running in the machine of vhsm_sim_hw (it outlives this module)\n");
		return 0;
	}
	s->hw = vmalloc(sizeof(*s->hw));
	if (!s->hw)
		return -ENOMEM;
	vhsm_sim_hw_power_on(s->hw);
	s->hw_owned = true;
	return 0;
}

static void hw_detach(struct sim_platform *s)
{
	if (!s->hw)
		return;
	if (s->hw_owned) {
		vhsm_sim_hw_power_off(s->hw);
		vfree(s->hw);
	} else {
		symbol_put(vhsm_sim_hw_get);
	}
	s->hw = NULL;
}

static int sim_probe(void)
{
	struct vhsm_sim_config *cfg;
	struct sim_platform *s;
	u8 id;
	int ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	ret = -ENOMEM;
	if (!cfg || !s)
		goto err_free;
	ret = build_config(cfg);
	if (ret)
		goto err_free;
	ret = hw_attach(s);
	if (ret)
		goto err_free;
	sim_transport.retries = sim_busy_retries;
	sim_transport.retry_delay_ms = sim_busy_delay_ms;
	ret = vhsm_sim_sp_init(&s->sp, cfg, s->hw);
	if (ret)
		goto err_hw;
	id = cfg->vmpl;
	ret = vhsm_snp_msg_init(&s->ch, &sim_transport, &s->sp, s->hw->vmpck[id],
				&s->hw->msg_seqno[id], id);
	if (ret) {
		pr_err("platform=sim: VMPCK%u unusable (%d): wiped earlier? Restart the simulated guest (rmmod vhsm_sim_hw)\n",
		       id, ret);
		goto err_sp;
	}
	kfree_sensitive(cfg);
	set_vcek_hex(&s->sp);
	mutex_lock(&sim_lock);
	sim = s;
	mutex_unlock(&sim_lock);
	announce();
	return 0;

err_sp:
	vhsm_sim_sp_destroy(&s->sp);
err_hw:
	hw_detach(s);
err_free:
	kfree_sensitive(s);
	kfree_sensitive(cfg);
	return ret;
}

static void sim_remove(void)
{
	struct sim_platform *s;

	mutex_lock(&sim_lock);
	s = sim;
	sim = NULL;
	sim_vcek_hex[0] = '\0';
	mutex_unlock(&sim_lock);
	if (!s)
		return;
	/* a pending request is flushed to the AMD-SP here, so it goes first */
	vhsm_snp_msg_destroy(&s->ch);
	vhsm_sim_sp_destroy(&s->sp);
	hw_detach(s);
	kfree_sensitive(s);
}

/* The simulated host's certificate table is sim_certs (empty unless set). */
static int sim_get_report(const u8 *report_data, u32 vmpl, u8 *report,
			  void *certs, u32 *certs_len, u32 *fw_error)
{
	return vhsm_snp_req_report(&sim->ch, sim_vmpl, report_data, vmpl, report,
				   certs, certs_len, fw_error);
}

static int sim_derive_key(const struct vhsm_platform_key_req *req, u8 *key, u32 *fw_error)
{
	return vhsm_snp_req_key(&sim->ch, sim_vmpl, req, key, fw_error);
}

static u32 sim_min_vmpl(void)
{
	return sim_vmpl;
}

const struct vhsm_platform_ops vhsm_platform_sim = {
	.name = "sim",
	.id = VHSM_PLATFORM_SIM,
	.flags = VHSM_PLATFORM_F_SIMULATED,
	.capabilities = VHSM_CAP_ATTEST | VHSM_CAP_DERIVE_KEY,
	.probe = sim_probe,
	.remove = sim_remove,
	.get_report = sim_get_report,
	.derive_key = sim_derive_key,
	.min_vmpl = sim_min_vmpl,
};
