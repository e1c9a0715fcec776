// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vhsm_measure_launch(): the expected MEASUREMENT of an SNP guest, in the
 * order the hypervisor launches it.
 *
 * SNP:      firmware pages (or a precomputed digest of them), the SEV
 *           metadata sections (with the kernel hashes page for measured direct
 *           boot), then the BSP's VMSA and one AP VMSA per further vCPU. The
 *           BSP starts at the reset vector 0xfffffff0, the APs at the SEV-ES
 *           reset block's address from the footer table.
 * SNP_SVSM: firmware pages, the COCONUT-SVSM image just below the firmware
 *           and its OVMF_VARS, the SVSM's metadata sections, then one SVSM
 *           VMSA per vCPU, all starting at the SVSM entry (QEMU only).
 */
#include <errno.h>

#include <vhsm/measure.h>

#include "measure_internal.h"
#include "launch_internal.h"

#define FOUR_GIB	0x100000000ull

static int check_in(const struct vhsm_measure_in *in, char *err, size_t errlen)
{
	if (!in->ovmf)
		return _vm_fail(err, errlen, -EINVAL, "no firmware image given");
	if (!in->vcpus)
		return _vm_fail(err, errlen, -EINVAL, "at least one vCPU is needed");
	if (in->vcpus > VHSM_VCPUS_MAX)
		return _vm_fail(err, errlen, -ERANGE, "%u vCPUs: at most %d supported",
				in->vcpus, VHSM_VCPUS_MAX);
	if (in->vmm != VHSM_VMM_QEMU && in->vmm != VHSM_VMM_EC2 && in->vmm != VHSM_VMM_GCE)
		return _vm_fail(err, errlen, -EINVAL, "unknown VMM type %d", in->vmm);
	if (in->mode == VHSM_MEASURE_SNP_SVSM) {
		if (in->vmm != VHSM_VMM_QEMU)
			return _vm_fail(err, errlen, -EINVAL, "SVSM mode is defined for QEMU only");
		if (in->ovmf_hash)
			return _vm_fail(err, errlen, -EINVAL,
					"a precomputed firmware hash applies to SNP mode only");
		if (in->kernel_hashes)
			return _vm_fail(err, errlen, -EINVAL,
					"SVSM mode measures no kernel hashes");
		if (!in->svsm)
			return _vm_fail(err, errlen, -EINVAL, "SVSM mode needs the SVSM image");
	} else if (in->mode != VHSM_MEASURE_SNP) {
		return _vm_fail(err, errlen, -EINVAL, "unknown mode %d", in->mode);
	}
	return 0;
}

static int has_section(const struct vhsm_ovmf *o, uint32_t type)
{
	size_t i;

	for (i = 0; i < o->n_sections; i++)
		if (o->sections[i].type == type)
			return 1;
	return 0;
}

static int vmsas(struct vm_ctx *c, uint32_t bsp_eip, uint32_t ap_eip, bool svsm,
		 const struct vhsm_measure_in *in, struct vhsm_measure_out *out)
{
	uint8_t page[VHSM_VMSA_SIZE], h[VHSM_LD_SIZE];
	unsigned int i;
	int ret;

	vhsm_vmsa_build(page, bsp_eip, in->guest_features, in->vcpu_sig, in->vmm, svsm);
	ret = _vm_vmsa_page(c, page, out->bsp_vmsa);
	if (ret || in->vcpus == 1)
		return ret;
	vhsm_vmsa_build(page, ap_eip, in->guest_features, in->vcpu_sig, in->vmm, svsm);
	for (i = 1; !ret && i < in->vcpus; i++)
		ret = _vm_vmsa_page(c, page, h);
	memcpy(out->ap_vmsa, h, sizeof(h));
	return ret;
}

static int snp(struct vm_ctx *c, const struct vhsm_measure_in *in,
	       struct vhsm_measure_out *out, char *err, size_t errlen)
{
	struct vhsm_ovmf o;
	uint64_t gpa;
	int ret;

	ret = vhsm_ovmf_parse(in->ovmf, in->ovmf_len, &o, err, errlen);
	ret = ret ?: _vm_image_gpa("firmware", in->ovmf_len, FOUR_GIB, &gpa, err, errlen);
	if (ret)
		return ret;
	if (!o.has_reset_eip)
		return _vm_fail(err, errlen, -ENOENT,
				"the firmware has no SEV-ES reset block in its footer table: "
				"it is not an SEV-capable OVMF build");
	if (in->vcpus > 1 && !o.reset_eip)
		return _vm_fail(err, errlen, -EINVAL,
				"the firmware's AP reset vector is 0: it cannot start %u vCPUs",
				in->vcpus);
	if (in->kernel_hashes && !has_section(&o, VHSM_SECTION_SNP_KERNEL_HASHES))
		return _vm_fail(err, errlen, -ENOENT,
				"a kernel was given but the firmware's SEV metadata has no "
				"SNP_KERNEL_HASHES section: measured direct boot needs an OVMF "
				"built from OvmfPkg/AmdSev/AmdSevX64.dsc");
	if (!in->ovmf_hash) {
		ret = _vm_normal_pages(c, gpa, in->ovmf, in->ovmf_len);
		if (ret)
			return ret;
	}
	memcpy(out->ovmf_hash, c->ld, VHSM_LD_SIZE);
	ret = _vm_sections(c, &o, in, err, errlen);
	return ret ?: vmsas(c, VHSM_BSP_EIP, o.reset_eip, false, in, out);
}

static int svsm(struct vm_ctx *c, const struct vhsm_measure_in *in,
		struct vhsm_measure_out *out, char *err, size_t errlen)
{
	struct vhsm_ovmf o;
	uint64_t ovmf_gpa, svsm_gpa;
	int ret;

	ret = vhsm_ovmf_parse(in->ovmf, in->ovmf_len, &o, err, errlen);
	ret = ret ?: _vm_image_gpa("firmware", in->ovmf_len, FOUR_GIB, &ovmf_gpa, err, errlen);
	if (ret)
		return ret;
	if (in->vars_size > ovmf_gpa || in->vars_size % VHSM_PAGE_SIZE)
		return _vm_fail(err, errlen, -EINVAL,
				"OVMF_VARS size %llu is not whole pages below the firmware",
				(unsigned long long)in->vars_size);
	ret = vhsm_ovmf_parse(in->svsm, in->svsm_len, &o, err, errlen);
	ret = ret ?: _vm_image_gpa("SVSM", in->svsm_len, ovmf_gpa - in->vars_size,
				   &svsm_gpa, err, errlen);
	if (ret)
		return ret;
	if (!o.has_svsm_info)
		return _vm_fail(err, errlen, -ENOENT,
				"the SVSM image has no SVSM information entry in its footer table");
	if (svsm_gpa + o.svsm_entry >= FOUR_GIB)
		return _vm_fail(err, errlen, -EINVAL, "the SVSM entry point is above 4 GiB");
	ret = _vm_normal_pages(c, ovmf_gpa, in->ovmf, in->ovmf_len);
	if (ret)
		return ret;
	memcpy(out->ovmf_hash, c->ld, VHSM_LD_SIZE);
	ret = _vm_normal_pages(c, svsm_gpa, in->svsm, in->svsm_len);
	ret = ret ?: _vm_sections(c, &o, in, err, errlen);
	return ret ?: vmsas(c, (uint32_t)(svsm_gpa + o.svsm_entry),
			    (uint32_t)(svsm_gpa + o.svsm_entry), true, in, out);
}

int vhsm_measure_launch(const struct vhsm_measure_in *in, struct vhsm_measure_out *out,
			char *err, size_t errlen)
{
	struct vm_ctx c;
	int ret;

	if (!in || !out)
		return _vm_fail(err, errlen, -EINVAL, "no inputs");
	memset(out, 0, sizeof(*out));
	ret = check_in(in, err, errlen);
	if (ret)
		return ret;
	ret = _vm_ctx_init(&c, in->ovmf_hash);
	if (ret)
		return _vm_fail(err, errlen, ret, "out of memory");
	if (in->mode == VHSM_MEASURE_SNP)
		ret = snp(&c, in, out, err, errlen);
	else
		ret = svsm(&c, in, out, err, errlen);
	if (!ret) {
		memcpy(out->digest, c.ld, VHSM_LD_SIZE);
		out->pages = c.pages;
	} else if (ret == -EIO) {
		_vm_fail(err, errlen, ret, "SHA-384 failed (OpenSSL)");
	}
	_vm_ctx_free(&c);
	return ret;
}

int vhsm_measure_ovmf_hash(const uint8_t *fw, size_t len, uint8_t out[VHSM_LD_SIZE],
			   char *err, size_t errlen)
{
	struct vhsm_ovmf o;
	struct vm_ctx c;
	uint64_t gpa;
	int ret;

	ret = vhsm_ovmf_parse(fw, len, &o, err, errlen);
	ret = ret ?: _vm_image_gpa("firmware", len, FOUR_GIB, &gpa, err, errlen);
	if (ret)
		return ret;
	ret = _vm_ctx_init(&c, NULL);
	if (ret)
		return _vm_fail(err, errlen, ret, "out of memory");
	ret = _vm_normal_pages(&c, gpa, fw, len);
	if (!ret)
		memcpy(out, c.ld, VHSM_LD_SIZE);
	_vm_ctx_free(&c);
	return ret;
}
