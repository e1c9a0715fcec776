/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testca.h - a test stand-in for AMD's key distribution PKI.
 *
 * Builds an ARK (self-signed), an ASK and an ASVK (both signed by the ARK)
 * and issues VCEK / VLEK certificates carrying AMD's X.509 extensions
 * (1.3.6.1.4.1.3704.1.*), encoded as real KDS certificates encode them.
 * Everything is signed with RSASSA-PSS / SHA-384 / MGF1-SHA-384 / salt 48.
 * These certificates are for tests only: nothing here is AMD-signed.
 *
 * Functions return 0 or a negative errno and print nothing; testca_errmsg()
 * gives a one-line explanation of the last failure in this thread.
 */
#ifndef VHSM_TESTCA_H
#define VHSM_TESTCA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum testca_product {
	TESTCA_MILAN = 1,
	TESTCA_GENOA,
	TESTCA_TURIN,
};

#define TESTCA_DEFAULT_BITS	4096
#define TESTCA_REPORT_SIZE	0x4A0
#define TESTCA_REPORT_SIGNED	0x2A0

struct testca {
	enum testca_product product;
	EVP_PKEY *ark_key, *ask_key, *asvk_key;
	X509 *ark, *ask, *asvk;
};

/* "Milan", "Genoa", "Turin" (case-insensitive; a "-<stepping>" suffix is
 * accepted); 0 if unknown. */
enum testca_product testca_product_parse(const char *name);
/* "Milan", "Genoa", "Turin". */
const char *testca_product_name(enum testca_product p);
/* productName of a VCEK as the KDS writes it: "Milan-B0", "Genoa", "Turin". */
const char *testca_vcek_product_name(enum testca_product p);

/* Generate a new CA in memory (RSA keys of @bits bits). */
int testca_create(struct testca *ca, enum testca_product p, int bits);
/*
 * Write the CA to @dir (created with mode 0700 when missing): ark.pem,
 * ask.pem, asvk.pem, ark.key, ask.key, asvk.key (0600), cert_chain.pem
 * (ASK, ARK), vlek_cert_chain.pem (ASVK, ARK) and roots.pem (ARK, ASK, ASVK:
 * the custom trust set for vhsm_verify_report).  -EEXIST if @dir already
 * holds a CA and @force is false.
 */
int testca_save(const struct testca *ca, const char *dir, bool force);
/* Load a CA written by testca_save(); the product comes from the ARK CN. */
int testca_load(struct testca *ca, const char *dir);
void testca_free(struct testca *ca);

/**
 * struct testca_vek_req - what to put in a VCEK / VLEK
 * @pubkey:       the P-384 public key to certify
 * @vlek:         issue a VLEK (signed by the ASVK, cspId, no hwID)
 * @product:      selects the TCB layout and the default productName;
 *                0 = the CA's product
 * @product_name: productName override (NULL: testca_vcek_product_name(), or
 *                the bare product name for a VLEK)
 * @tcb:          TCB_VERSION u64 (byte 0 = least significant), decoded into
 *                the SPL extensions with the product's layout
 * @hwid:         VCEK hwID bytes (64, or 8 on Turin); NULL = all zero
 * @hwid_len:     length of @hwid
 * @csp_id:       VLEK cspId (NULL: "CN=vhsm-test-csp")
 * @serial:       certificate serial; 0 = random
 * @days:         validity in days (0: 7 years, like the KDS)
 * @backdate:     days to move the validity window into the past
 */
struct testca_vek_req {
	EVP_PKEY *pubkey;
	bool vlek;
	enum testca_product product;
	const char *product_name;
	uint64_t tcb;
	const uint8_t *hwid;
	size_t hwid_len;
	const char *csp_id;
	uint64_t serial;
	long days;
	long backdate;
};

/* Issue a VCEK / VLEK; *out is a new X509 the caller frees. */
int testca_issue_vek(const struct testca *ca, const struct testca_vek_req *req,
		     X509 **out);

/*
 * Read a P-384 key: PEM or DER SubjectPublicKeyInfo, a PEM private key
 * (its public half is used), or hex of a SEC1 point (uncompressed 04||X||Y
 * or compressed; whitespace and ':' ignored).  -EINVAL if it is none of
 * these, -EKEYREJECTED if it is not a P-384 EC key.
 */
int testca_load_pubkey(const void *buf, size_t len, EVP_PKEY **out);
/* Read a PEM (or DER) P-384 private key. */
int testca_load_privkey(const void *buf, size_t len, EVP_PKEY **out);

/*
 * CRL signed by the ARK (RSA-PSS), revoking @n serials; valid from now
 * for @days days.  DER in *der (free with OPENSSL_free()).
 */
int testca_make_crl(const struct testca *ca, const uint64_t *serials, size_t n,
		    long days, unsigned char **der, int *der_len);

/*
 * Sign an ATTESTATION_REPORT in place: ECDSA P-384 / SHA-384 over bytes
 * 0x000-0x29F, R at 0x2A0 and S at 0x2E8 as 72-byte little-endian fields.
 * Sets SIGNATURE_ALGO (0x034) to 1 first.
 */
int testca_sign_report(uint8_t report[TESTCA_REPORT_SIZE], EVP_PKEY *key);

/* TCB u64 from parts, with the product's layout. */
uint64_t testca_tcb_encode(enum testca_product p, uint8_t fmc, uint8_t bl,
			   uint8_t tee, uint8_t snp, uint8_t ucode);

/* Write DER or PEM (when @pem) to @path ("-" = stdout), mode 0644. */
int testca_write_cert(X509 *x, const char *path, bool pem);

/* Value of hex digit @c (either case), or -1. */
int testca_hex_val(int c);

/* Explanation of the last failure (thread-local, static storage). */
const char *testca_errmsg(void);

#endif /* VHSM_TESTCA_H */
