// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The initial VMSA (VM save area) of each vCPU as the hypervisor gives it to
 * the AMD-SP for SNP_LAUNCH_UPDATE, and the vCPU signatures and hypervisor
 * names that select it.
 *
 * Offsets are those of the SEV-ES save area in AMD's APM vol. 2, table B-4.
 * The register values are the x86 reset state as each hypervisor programs it:
 * QEMU (through KVM) puts the CPUID signature in RDX and sets MXCSR and FCW
 * to their reset values; EC2 and GCE differ in the segment attributes, RDX,
 * the FPU state and (GCE) the PAT. The SVSM state is COCONUT-SVSM's flat
 * 32-bit entry, which always runs with SEV_FEATURES = SNP only.
 */
#include <errno.h>
#include <string.h>

#include <vhsm/measure.h>

#include "measure_internal.h"

/* save-area offsets (APM vol. 2, table B-4) */
enum {
	VMSA_ES = 0x000, VMSA_CS = 0x010, VMSA_SS = 0x020, VMSA_DS = 0x030,
	VMSA_FS = 0x040, VMSA_GS = 0x050, VMSA_GDTR = 0x060, VMSA_LDTR = 0x070,
	VMSA_IDTR = 0x080, VMSA_TR = 0x090,
	VMSA_EFER = 0x0d0, VMSA_CR4 = 0x148, VMSA_CR0 = 0x158, VMSA_DR7 = 0x160,
	VMSA_DR6 = 0x168, VMSA_RFLAGS = 0x170, VMSA_RIP = 0x178, VMSA_G_PAT = 0x268,
	VMSA_RDX = 0x310, VMSA_SEV_FEATURES = 0x3b0, VMSA_XCR0 = 0x3e8,
	VMSA_MXCSR = 0x408, VMSA_X87_FCW = 0x410,
};

#define PAT_RESET	0x0007040600070406ull	/* APM vol. 2, A.3 */
#define PAT_GCE		0x0000000000070106ull

/* selector, attributes, limit, base: 16 bytes at OFF */
static void seg(uint8_t *v, unsigned int off, uint16_t sel, uint16_t attr,
		uint32_t limit, uint64_t base)
{
	_vm_put16(v + off, sel);
	_vm_put16(v + off + 2, attr);
	_vm_put32(v + off + 4, limit);
	_vm_put64(v + off + 8, base);
}

/* what the three hypervisors program differently */
struct reset_state {
	uint16_t cs_attr, ss_attr, tr_attr;
	uint64_t rdx, g_pat;
	uint32_t mxcsr;
	uint16_t fcw;
};

static void reset_state(struct reset_state *s, uint32_t eip, uint32_t sig,
			enum vhsm_vmm_type vmm)
{
	s->cs_attr = 0x9b;
	s->ss_attr = 0x93;
	s->tr_attr = 0x8b;
	s->g_pat = PAT_RESET;
	s->rdx = 0x600;
	s->mxcsr = 0;
	s->fcw = 0;
	switch (vmm) {
	case VHSM_VMM_EC2:
		if (eip == VHSM_BSP_EIP)
			s->cs_attr = 0x9a;
		s->ss_attr = 0x92;
		s->tr_attr = 0x83;
		break;
	case VHSM_VMM_GCE:
		s->g_pat = PAT_GCE;
		break;
	default:	/* QEMU/KVM */
		s->rdx = sig;
		s->mxcsr = 0x1f80;
		s->fcw = 0x37f;
		break;
	}
}

static void build_reset(uint8_t *v, uint32_t eip, uint64_t features, uint32_t sig,
			enum vhsm_vmm_type vmm)
{
	struct reset_state s;

	reset_state(&s, eip, sig, vmm);
	seg(v, VMSA_ES, 0, 0x93, 0xffff, 0);
	seg(v, VMSA_CS, 0xf000, s.cs_attr, 0xffff, eip & 0xffff0000u);
	seg(v, VMSA_SS, 0, s.ss_attr, 0xffff, 0);
	seg(v, VMSA_DS, 0, 0x93, 0xffff, 0);
	seg(v, VMSA_FS, 0, 0x93, 0xffff, 0);
	seg(v, VMSA_GS, 0, 0x93, 0xffff, 0);
	seg(v, VMSA_GDTR, 0, 0, 0xffff, 0);
	seg(v, VMSA_LDTR, 0, 0x82, 0xffff, 0);
	seg(v, VMSA_IDTR, 0, 0, 0xffff, 0);
	seg(v, VMSA_TR, 0, s.tr_attr, 0xffff, 0);
	_vm_put64(v + VMSA_CR0, 0x10);
	_vm_put64(v + VMSA_RIP, eip & 0xffff);
	_vm_put64(v + VMSA_G_PAT, s.g_pat);
	_vm_put64(v + VMSA_RDX, s.rdx);
	_vm_put64(v + VMSA_SEV_FEATURES, features);
	_vm_put32(v + VMSA_MXCSR, s.mxcsr);
	_vm_put16(v + VMSA_X87_FCW, s.fcw);
}

/*
 * COCONUT-SVSM's entry: flat 32-bit protected mode. FCW stays 0 here (not
 * the 0x37f of the reset state): the SVSM digests sev-snp-measure publishes,
 * taken from a real launch, need it so.
 */
static void build_svsm(uint8_t *v, uint32_t eip, uint32_t sig, enum vhsm_vmm_type vmm)
{
	seg(v, VMSA_ES, 16, 0xc93, 0xffffffff, 0);
	seg(v, VMSA_CS, 8, 0xc9b, 0xffffffff, 0);
	seg(v, VMSA_SS, 16, 0xc93, 0xffffffff, 0);
	seg(v, VMSA_DS, 16, 0xc93, 0xffffffff, 0);
	seg(v, VMSA_FS, 16, 0xc93, 0xffffffff, 0);
	seg(v, VMSA_GS, 0, 0x93, 0xffff, 0);
	seg(v, VMSA_GDTR, 0, 0, 0xffff, 0);
	seg(v, VMSA_LDTR, 0, 0x82, 0xffff, 0);
	seg(v, VMSA_IDTR, 0, 0, 0xffff, 0);
	seg(v, VMSA_TR, 0, 0x8b, 0xffff, 0);
	_vm_put64(v + VMSA_CR0, 0x11);
	_vm_put64(v + VMSA_RIP, eip);
	_vm_put64(v + VMSA_G_PAT, PAT_RESET);
	_vm_put64(v + VMSA_RDX, sig);
	_vm_put64(v + VMSA_SEV_FEATURES, 1);
	_vm_put32(v + VMSA_MXCSR, vmm == VHSM_VMM_QEMU ? 0x1f80 : 0);
}

void vhsm_vmsa_build(uint8_t page[VHSM_VMSA_SIZE], uint32_t eip, uint64_t features,
		     uint32_t vcpu_sig, enum vhsm_vmm_type vmm, bool svsm)
{
	memset(page, 0, VHSM_VMSA_SIZE);
	if (svsm)
		build_svsm(page, eip, vcpu_sig, vmm);
	else
		build_reset(page, eip, features, vcpu_sig, vmm);
	/* common to both: what KVM sets at reset */
	_vm_put64(page + VMSA_EFER, 0x1000);		/* EFER.SVME */
	_vm_put64(page + VMSA_CR4, 0x40);		/* CR4.MCE */
	_vm_put64(page + VMSA_DR7, 0x400);
	_vm_put64(page + VMSA_DR6, 0xffff0ff0);
	_vm_put64(page + VMSA_RFLAGS, 0x2);
	_vm_put64(page + VMSA_XCR0, 0x1);
}

/* ---- vCPU signatures (AMD CPUID spec #25481, Fn0000_0001_EAX) ---- */

uint32_t vhsm_vcpu_sig(unsigned int family, unsigned int model, unsigned int stepping)
{
	uint32_t fam_lo = family > 0xf ? 0xf : family, fam_hi = 0;

	if (family > 0xf)
		fam_hi = (family - 0xf) & 0xff;
	return fam_hi << 20 | ((model >> 4) & 0xf) << 16 | (fam_lo & 0xf) << 8 |
	       (model & 0xf) << 4 | (stepping & 0xf);
}

/* QEMU's EPYC CPU models (builtin_x86_defs) and their family/model/stepping */
static const struct {
	const char *name;
	uint8_t family, model, stepping;
} vcpu_types[] = {
	{ "EPYC", 23, 1, 2 }, { "EPYC-v1", 23, 1, 2 }, { "EPYC-v2", 23, 1, 2 },
	{ "EPYC-IBPB", 23, 1, 2 }, { "EPYC-v3", 23, 1, 2 }, { "EPYC-v4", 23, 1, 2 },
	{ "EPYC-Rome", 23, 49, 0 }, { "EPYC-Rome-v1", 23, 49, 0 },
	{ "EPYC-Rome-v2", 23, 49, 0 }, { "EPYC-Rome-v3", 23, 49, 0 },
	{ "EPYC-Milan", 25, 1, 1 }, { "EPYC-Milan-v1", 25, 1, 1 },
	{ "EPYC-Milan-v2", 25, 1, 1 }, { "EPYC-Genoa", 25, 17, 0 },
	{ "EPYC-Genoa-v1", 25, 17, 0 }, { "EPYC-Turin", 26, 0, 0 },
};

int vhsm_vcpu_type_sig(const char *name, uint32_t *sig)
{
	size_t i;

	for (i = 0; name && i < sizeof(vcpu_types) / sizeof(vcpu_types[0]); i++) {
		if (!strcmp(name, vcpu_types[i].name)) {
			*sig = vhsm_vcpu_sig(vcpu_types[i].family, vcpu_types[i].model,
					     vcpu_types[i].stepping);
			return 0;
		}
	}
	return -ENOENT;
}

const char *vhsm_vcpu_type_name(size_t i)
{
	return i < sizeof(vcpu_types) / sizeof(vcpu_types[0]) ? vcpu_types[i].name : NULL;
}

int vhsm_vmm_type_parse(const char *name, enum vhsm_vmm_type *out)
{
	if (!name)
		return -EINVAL;
	if (!strcmp(name, "QEMU"))
		*out = VHSM_VMM_QEMU;
	else if (!strcmp(name, "ec2"))
		*out = VHSM_VMM_EC2;
	else if (!strcmp(name, "gce"))
		*out = VHSM_VMM_GCE;
	else
		return -EINVAL;
	return 0;
}

const char *vhsm_vmm_type_name(enum vhsm_vmm_type t)
{
	switch (t) {
	case VHSM_VMM_QEMU:
		return "QEMU";
	case VHSM_VMM_EC2:
		return "ec2";
	case VHSM_VMM_GCE:
		return "gce";
	}
	return "unknown";
}
