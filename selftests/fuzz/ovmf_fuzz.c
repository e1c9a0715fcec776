// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the firmware footer-table and SEV metadata parser
 * (firmware images are untrusted input), and, when the input parses and its
 * sections are small, a launch measurement over it with kernel hashes and
 * two vCPUs for each hypervisor, so the section walk and the hashes page are
 * exercised too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vhsm/measure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* pages the sections would add: bound the work per input */
static uint64_t section_pages(const struct vhsm_ovmf *o)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < o->n_sections; i++)
		n += o->sections[i].size / VHSM_PAGE_SIZE + 1;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_measure_in in = { 0 };
	struct vhsm_measure_out out;
	struct vhsm_ovmf o;
	char err[256];
	int vmm;

	if (vhsm_ovmf_parse(data, size, &o, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			abort();	/* every refusal says why */
		return 0;
	}
	if (o.n_sections > VHSM_OVMF_SECTIONS_MAX || o.size != size)
		abort();
	if (size > (64u << 10) || section_pages(&o) > 4096)
		return 0;
	in.ovmf = data;
	in.ovmf_len = size;
	in.vcpus = 2;
	in.guest_features = 0x21;
	in.vcpu_sig = 0xa00f11;
	in.kernel_hashes = (size & 1) == 0;
	for (vmm = VHSM_VMM_QEMU; vmm <= VHSM_VMM_GCE; vmm++) {
		in.vmm = (enum vhsm_vmm_type)vmm;
		vhsm_measure_launch(&in, &out, err, sizeof(err));
	}
	in.mode = VHSM_MEASURE_SNP_SVSM;	/* the same bytes as an SVSM image */
	in.vmm = VHSM_VMM_QEMU;
	in.kernel_hashes = false;
	in.svsm = data;
	in.svsm_len = size;
	vhsm_measure_launch(&in, &out, err, sizeof(err));
	return 0;
}
