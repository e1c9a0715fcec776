// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the kernel's JOSE text code (kmod/jose.c, built here for
 * the host): the JWE protected-header parser, the strict base64url decoder
 * and the KBS nonce check. The first byte picks the function; the rest is
 * its input. Beyond "no crash, no sanitizer report" it checks properties:
 * a decoded base64url string re-encodes to itself (one encoding per byte
 * string), an accepted nonce uses only the base64 alphabet, and a header
 * the kernel accepts is, for jansson too, a JSON object without duplicate
 * members whose alg, enc and epk say what the kernel assumed (differential:
 * the hand-written parser never accepts what a real JSON parser reads
 * differently), with PartyU/PartyV lengths in bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_b64url(const char *in, size_t len)
{
	uint8_t out[1024];
	char back[1400];
	int n = vhsm_b64url_decode(in, len, out, sizeof(out));

	if (n < 0)
		return;
	if (vhsm_b64url_len((size_t)n) != len)
		abort();
	vhsm_b64url_encode(out, (size_t)n, back);
	if (memcmp(back, in, len) || back[len])
		abort();
}

static int str_is(json_t *o, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v && !strcmp(v, want);
}

/* What the kernel accepted must read the same to jansson. */
static void check_header(const char *in, size_t len, const struct vhsm_jwe_header *hdr)
{
	json_t *o = json_loadb(in, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *epk = json_object_get(o, "epk");
	size_t n = json_object_size(o);

	if (hdr->apu_len > VHSM_JOSE_PARTY_MAX || hdr->apv_len > VHSM_JOSE_PARTY_MAX)
		abort();
	if (!json_is_object(o) || !str_is(o, "alg", "ECDH-ES+A256KW") ||
	    !str_is(o, "enc", "A256GCM") || !json_is_object(epk) ||
	    json_object_size(epk) != 4 || !str_is(epk, "kty", "EC") ||
	    !str_is(epk, "crv", "P-256") || !json_is_string(json_object_get(epk, "x")) ||
	    !json_is_string(json_object_get(epk, "y")))
		abort();
	n -= 3 + !!json_object_get(o, "apu") + !!json_object_get(o, "apv");
	if (n)
		abort();
	json_decref(o);
}

static void check_nonce(const char *in, size_t len)
{
	size_t i;

	if (!vhsm_b64_nonce_ok(in, len, 128))
		return;
	for (i = 0; i < len; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
			    in[i]) || !in[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_jwe_header hdr;
	const char *in = (const char *)data + 1;
	char *copy;

	if (size < 1 || size > 1400)
		return 0;
	/* an exact-size heap copy so ASan sees any read past the end */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, in, size - 1);
	switch (data[0] % 3) {
	case 0:
		if (!vhsm_jwe_header_parse(copy, size - 1, &hdr))
			check_header(copy, size - 1, &hdr);
		break;
	case 1:
		check_b64url(copy, size - 1);
		break;
	default:
		check_nonce(copy, size - 1);
		break;
	}
	free(copy);
	return 0;
}
