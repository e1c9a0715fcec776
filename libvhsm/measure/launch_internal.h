/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch-digest context shared by launch.c, hashes.c and measure.c. */
#ifndef VHSM_LAUNCH_INTERNAL_H
#define VHSM_LAUNCH_INTERNAL_H

#include <openssl/evp.h>

#include <vhsm/measure.h>

struct vm_ctx {
	uint8_t ld[VHSM_LD_SIZE];	/* the launch digest so far */
	uint64_t pages;			/* PAGE_INFO updates so far */
	EVP_MD *md;			/* SHA-384, fetched once */
	EVP_MD_CTX *ctx;		/* reused for every hash */
};

/* SEED (48 bytes) or NULL for zeros; 0 or -ENOMEM. Free with _vm_ctx_free(). */
int _vm_ctx_init(struct vm_ctx *c, const uint8_t *seed);
void _vm_ctx_free(struct vm_ctx *c);
int _vm_sha384(struct vm_ctx *c, const void *buf, size_t len, uint8_t out[VHSM_LD_SIZE]);
/* LEN must be a multiple of the page size. */
int _vm_normal_pages(struct vm_ctx *c, uint64_t gpa, const uint8_t *data, size_t len);
/* Extend with a VMSA page; H gets its SHA-384. */
int _vm_vmsa_page(struct vm_ctx *c, const uint8_t page[VHSM_VMSA_SIZE],
		  uint8_t h[VHSM_LD_SIZE]);
/* Every SEV metadata section of O, in launch order for IN's VMM. */
int _vm_sections(struct vm_ctx *c, const struct vhsm_ovmf *o,
		 const struct vhsm_measure_in *in, char *err, size_t errlen);
int _vm_image_gpa(const char *what, size_t len, uint64_t end, uint64_t *gpa,
		  char *err, size_t errlen);
/* The page holding the SEV hashes table at OFFSET; 0 or -ERANGE. */
int _vm_hashes_page(size_t offset, const struct vhsm_measure_in *in,
		    uint8_t page[VHSM_PAGE_SIZE]);

#endif /* VHSM_LAUNCH_INTERNAL_H */
