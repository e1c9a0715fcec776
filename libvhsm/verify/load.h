// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading certificates, CRLs and files for the SNP report verifier (load.c),
 * and decoding what a VCEK/VLEK says about itself (vekinfo.c).  Below the
 * certificate cache and the checks; above only ctx.h.
 */
#ifndef VHSM_VERIFY_LOAD_H
#define VHSM_VERIFY_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "ctx.h"

/* largest certificate, CRL, roots bundle or cache file accepted */
#define VHSM_VERIFY_MAX_FILE (1u << 20)

/* First certificate of a PEM or DER buffer; NULL if none. */
X509 *_vhsm_load_cert(const void *buf, size_t len);

/* All certificates of a PEM buffer, or the one DER certificate; NULL if none. */
STACK_OF(X509) *_vhsm_load_certs(const void *buf, size_t len);

/* All CRLs of a PEM buffer, or the one DER CRL; NULL if none. */
STACK_OF(X509_CRL) *_vhsm_load_crls(const void *buf, size_t len);

/*
 * Read a whole (small) file, NUL-terminated, into a malloc'd *buf;
 * -ENOENT etc. from open, -EFBIG if too big.
 */
int _vhsm_read_file(const char *path, uint8_t **buf, size_t *len);

/* Decode everything the checks need from the VEK's extensions (vekinfo.c). */
void _vhsm_read_vek_info(X509 *x, struct vek_info *vi);

#endif /* VHSM_VERIFY_LOAD_H */
