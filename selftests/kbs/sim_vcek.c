// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sim_vcek [--chip-secret HEX] [--tcb HEX16] [--product milan|genoa|turin]:
 * the simulated AMD-SP's VCEK public key and CHIP_ID, computed on the host
 * from the chip secret the way kmod/sim_report.c derives them (a VCEK is a
 * function of the chip secret and REPORTED_TCB, as on real parts). Prints
 * two lines: the public key as SEC1 uncompressed hex (what the module's
 * sim_vcek_pub shows) and CHIP_ID as hex. The host certifies that key with
 * the test CA (vhsm-testca vcek) for vhsm-kbs's certificate cache, the way
 * AMD's KDS serves VCEKs for real chips. Defaults: the module's defaults.
 *
 *   VCEK = HKDF-SHA384(salt "vhsm-sim vcek", chip secret,
 *                      info "vcek" || le64(tcb) || counter), first counter
 *          from 0 giving a scalar in [1, n-1]
 *   CHIP_ID = HKDF-SHA384(salt "vhsm-sim chip id", chip secret, "chip id"),
 *          64 bytes (Turin: the first 8, the rest zero)
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SECRET "7668736d2d73696d2077656c6c2d6b6e6f776e20636869702073656372657421"

static int hkdf384(const char *salt, const uint8_t *ikm, size_t ikm_len,
		   const void *info, size_t info_len, uint8_t *out, size_t len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA384", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, strlen(salt)),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len),
		OSSL_PARAM_construct_end(),
	};
	int ok = ctx && EVP_KDF_derive(ctx, out, len, p) > 0;

	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *secret_hex = DEFAULT_SECRET, *product = "milan";
	unsigned long long tcb = 0x7308000000000003ULL;
	uint8_t secret[32], info[13] = { 'v', 'c', 'e', 'k' }, d[48], chip[64], pub[97];
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_secp384r1);
	BIGNUM *k = BN_new();
	EC_POINT *q = g ? EC_POINT_new(g) : NULL;
	int counter;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--chip-secret"))
			secret_hex = argv[i + 1];
		else if (!strcmp(argv[i], "--tcb"))
			tcb = strtoull(argv[i + 1], NULL, 16);
		else if (!strcmp(argv[i], "--product"))
			product = argv[i + 1];
		else
			return fprintf(stderr, "sim_vcek: bad argument %s\n", argv[i]), 2;
	}
	if (argc % 2 != 1 || strlen(secret_hex) != 64 || !g || !k || !q)
		return 2;
	for (int i = 0; i < 32; i++)
		if (sscanf(secret_hex + 2 * i, "%2hhx", &secret[i]) != 1)
			return 2;
	for (int i = 0; i < 8; i++)
		info[4 + i] = (uint8_t)(tcb >> (8 * i));
	for (counter = 0; counter < 16; counter++) {
		info[12] = (uint8_t)counter;
		if (hkdf384("vhsm-sim vcek", secret, 32, info, sizeof(info), d, sizeof(d)) ||
		    !BN_bin2bn(d, sizeof(d), k))
			return 1;
		if (!BN_is_zero(k) && BN_cmp(k, EC_GROUP_get0_order(g)) < 0)
			break;
	}
	if (counter == 16 || !EC_POINT_mul(g, q, k, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL) != 97)
		return 1;
	if (hkdf384("vhsm-sim chip id", secret, 32, "chip id", 7, chip, sizeof(chip)))
		return 1;
	if (!strcmp(product, "turin"))
		memset(chip + 8, 0, sizeof(chip) - 8);
	print_hex(pub, sizeof(pub));
	print_hex(chip, sizeof(chip));
	BN_clear_free(k);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return 0;
}
