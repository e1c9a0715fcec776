// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The SNP launch digest: every page the hypervisor hands the AMD-SP extends
 * it with a PAGE_INFO structure (SNP firmware ABI, SNP_LAUNCH_UPDATE):
 *
 *   0x00 DIGEST_CUR (48)  0x30 CONTENTS (48)  0x60 LENGTH u16 = 0x70
 *   0x62 PAGE_TYPE u8     0x63 IMI_PAGE u8    0x64 VMPL3/2/1_PERMS u8 x3
 *   0x67 reserved         0x68 GPA u64
 *
 * and the new digest is SHA-384 of those 0x70 bytes. CONTENTS is SHA-384 of
 * the page for normal and VMSA pages, zero for the others. The order is the
 * launch order QEMU (or EC2, GCE) uses: firmware pages from 4 GiB - size
 * upwards, then the SEV metadata sections, then one VMSA per vCPU.
 */
#include <errno.h>

#include <openssl/evp.h>

#include <vhsm/measure.h>

#include "measure_internal.h"
#include "launch_internal.h"

enum page_type {
	PAGE_NORMAL = 1, PAGE_VMSA = 2, PAGE_ZERO = 3, PAGE_UNMEASURED = 4,
	PAGE_SECRETS = 5, PAGE_CPUID = 6,
};

#define PAGE_INFO_LEN	0x70
#define FOUR_GIB	0x100000000ull
/* the VMSA's GPA in the RMP: (u64)-1, page aligned, bits above 51 clear */
#define VMSA_GPA	0xfffffffff000ull

int _vm_ctx_init(struct vm_ctx *c, const uint8_t *seed)
{
	memset(c, 0, sizeof(*c));
	if (seed)
		memcpy(c->ld, seed, VHSM_LD_SIZE);
	c->md = EVP_MD_fetch(NULL, "SHA384", NULL);
	c->ctx = EVP_MD_CTX_new();
	if (!c->md || !c->ctx) {
		_vm_ctx_free(c);
		return -ENOMEM;
	}
	return 0;
}

void _vm_ctx_free(struct vm_ctx *c)
{
	EVP_MD_CTX_free(c->ctx);
	EVP_MD_free(c->md);
	c->ctx = NULL;
	c->md = NULL;
}

int _vm_sha384(struct vm_ctx *c, const void *buf, size_t len, uint8_t out[VHSM_LD_SIZE])
{
	if (EVP_DigestInit_ex(c->ctx, c->md, NULL) != 1 ||
	    EVP_DigestUpdate(c->ctx, buf, len) != 1 ||
	    EVP_DigestFinal_ex(c->ctx, out, NULL) != 1)
		return -EIO;
	return 0;
}

static int update(struct vm_ctx *c, enum page_type type, uint64_t gpa,
		  const uint8_t contents[VHSM_LD_SIZE])
{
	uint8_t pi[PAGE_INFO_LEN] = { 0 };

	memcpy(pi, c->ld, VHSM_LD_SIZE);
	if (contents)
		memcpy(pi + 0x30, contents, VHSM_LD_SIZE);
	_vm_put16(pi + 0x60, PAGE_INFO_LEN);
	pi[0x62] = (uint8_t)type;
	_vm_put64(pi + 0x68, gpa);
	c->pages++;
	return _vm_sha384(c, pi, sizeof(pi), c->ld);
}

int _vm_normal_pages(struct vm_ctx *c, uint64_t gpa, const uint8_t *data, size_t len)
{
	uint8_t h[VHSM_LD_SIZE];
	size_t off;
	int ret = 0;

	for (off = 0; !ret && off < len; off += VHSM_PAGE_SIZE) {
		ret = _vm_sha384(c, data + off, VHSM_PAGE_SIZE, h);
		if (!ret)
			ret = update(c, PAGE_NORMAL, gpa + off, h);
	}
	return ret;
}

static int empty_pages(struct vm_ctx *c, enum page_type type, uint64_t gpa, uint64_t len)
{
	uint64_t off;
	int ret = 0;

	for (off = 0; !ret && off < len; off += VHSM_PAGE_SIZE)
		ret = update(c, type, gpa + off, NULL);
	return ret;
}

int _vm_vmsa_page(struct vm_ctx *c, const uint8_t page[VHSM_VMSA_SIZE], uint8_t h[VHSM_LD_SIZE])
{
	int ret = _vm_sha384(c, page, VHSM_VMSA_SIZE, h);

	return ret ?: update(c, PAGE_VMSA, VMSA_GPA, h);
}

/* ---- the SEV metadata sections ---- */

static int check_section(const struct vhsm_ovmf_section *s, char *err, size_t errlen)
{
	const char *name = vhsm_ovmf_section_name(s->type);

	if (!name)
		return _vm_fail(err, errlen, -EOPNOTSUPP,
				"SEV metadata section type 0x%x at 0x%x is not one this "
				"version knows how to measure", s->type, s->gpa);
	if (s->gpa % VHSM_PAGE_SIZE || s->size % VHSM_PAGE_SIZE ||
	    (uint64_t)s->gpa + s->size > FOUR_GIB)
		return _vm_fail(err, errlen, -EINVAL,
				"SEV metadata section %s at 0x%x, 0x%x bytes, is not whole "
				"pages below 4 GiB", name, s->gpa, s->size);
	return 0;
}

static int hashes_section(struct vm_ctx *c, const struct vhsm_ovmf *o,
			  const struct vhsm_ovmf_section *s, const struct vhsm_measure_in *in,
			  char *err, size_t errlen)
{
	uint8_t page[VHSM_PAGE_SIZE];
	int ret;

	if (!in->kernel_hashes)
		return empty_pages(c, PAGE_ZERO, s->gpa, s->size);
	if (!o->has_hashes_table)
		return _vm_fail(err, errlen, -ENOENT,
				"firmware has an SNP_KERNEL_HASHES section but no SEV hash "
				"table entry in its footer table");
	if (s->size != VHSM_PAGE_SIZE)
		return _vm_fail(err, errlen, -EINVAL,
				"SNP_KERNEL_HASHES section is 0x%x bytes, expected one page",
				s->size);
	ret = _vm_hashes_page(o->hashes_table_gpa % VHSM_PAGE_SIZE, in, page);
	if (ret)
		return _vm_fail(err, errlen, ret,
				"SEV hash table at 0x%x does not fit in its page",
				o->hashes_table_gpa);
	return _vm_normal_pages(c, s->gpa, page, sizeof(page));
}

static int one_section(struct vm_ctx *c, const struct vhsm_ovmf *o,
		       const struct vhsm_ovmf_section *s, const struct vhsm_measure_in *in,
		       char *err, size_t errlen)
{
	switch (s->type) {
	case VHSM_SECTION_SNP_SEC_MEM:
		return empty_pages(c, in->vmm == VHSM_VMM_GCE ? PAGE_UNMEASURED : PAGE_ZERO,
				   s->gpa, s->size);
	case VHSM_SECTION_SNP_SECRETS:
		return update(c, PAGE_SECRETS, s->gpa, NULL);
	case VHSM_SECTION_CPUID:
		/* EC2 adds the CPUID page after all other sections */
		return in->vmm == VHSM_VMM_EC2 ? 0 : update(c, PAGE_CPUID, s->gpa, NULL);
	case VHSM_SECTION_SNP_KERNEL_HASHES:
		return hashes_section(c, o, s, in, err, errlen);
	default:	/* VHSM_SECTION_SVSM_CAA */
		return empty_pages(c, PAGE_ZERO, s->gpa, s->size);
	}
}

int _vm_sections(struct vm_ctx *c, const struct vhsm_ovmf *o,
		 const struct vhsm_measure_in *in, char *err, size_t errlen)
{
	size_t i;
	int ret;

	for (i = 0; i < o->n_sections; i++) {
		ret = check_section(&o->sections[i], err, errlen);
		if (ret)
			return ret;
	}
	for (i = 0; i < o->n_sections; i++) {
		ret = one_section(c, o, &o->sections[i], in, err, errlen);
		if (ret)
			return ret;
	}
	for (i = 0; in->vmm == VHSM_VMM_EC2 && i < o->n_sections; i++) {
		if (o->sections[i].type != VHSM_SECTION_CPUID)
			continue;
		ret = update(c, PAGE_CPUID, o->sections[i].gpa, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* The image sits just below 4 GiB (or below END): its GPA. */
int _vm_image_gpa(const char *what, size_t len, uint64_t end, uint64_t *gpa,
		  char *err, size_t errlen)
{
	if (!len || len % VHSM_PAGE_SIZE)
		return _vm_fail(err, errlen, -EINVAL,
				"%s image is %zu bytes, not a whole number of 4 KiB pages",
				what, len);
	if (len > end)
		return _vm_fail(err, errlen, -EINVAL, "%s image does not fit below 0x%llx",
				what, (unsigned long long)end);
	*gpa = end - len;
	return 0;
}
