// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-kbs's pieces one by one: the JWE against the known-answer vector
 * (selftests/testdata/kbs/jwe_ecdh_es_a256kw_example.json: fixed keys give
 * the vector's response byte for byte) and opened by the tests' own OpenSSL
 * decryptor (kbs_jwe_open.h); the ES256 tokens; the session table; the
 * state directory (path checks, atomic writes, listing).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/ec.h>

#include "kselftest_harness.h"
#include "kbs.h"
#include "kbs_jwe_open.h"

static json_t *load_vector(const char *name)
{
	const char *d = getenv("VHSM_TESTDATA");
	char path[1024];

	snprintf(path, sizeof(path), "%s/../kbs/%s", d && *d ? d : "selftests/testdata/snp", name);
	return json_load_file(path, 0, NULL);
}

static void unhex(const char *h, uint8_t *out, size_t n)
{
	unsigned int v;
	size_t i;

	for (i = 0; i < n; i++) {
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void coords(const json_t *jwk, uint8_t x[32], uint8_t y[32])
{
	char *s = json_dumps(jwk, JSON_COMPACT);

	if (!s || vhsm_kbs_jwk_parse_p256(s, x, y))
		memset(x, 0, 32);
	free(s);
}

/* Fixed ephemeral key, CEK and IV: exactly the vector's response. */
TEST(jwe_known_answer)
{
	json_t *v = load_vector("jwe_ecdh_es_a256kw_example.json"), *got, *want;
	uint8_t x[32], y[32], eph[32], cek[32], iv[12], *pt = NULL;
	struct kbs_jwe_fixed fx = { eph, cek, iv };
	const char *msg;
	char *jwe = NULL, *hdr = NULL;
	EVP_PKEY *priv;
	size_t n;

	ASSERT_NE(NULL, v);
	coords(json_object_get(v, "tee-pubkey"), x, y);
	unhex(json_string_value(json_object_get(v, "ephemeral_private_d_hex")), eph, 32);
	unhex(json_string_value(json_object_get(v, "cek_hex")), cek, 32);
	unhex(json_string_value(json_object_get(v, "iv_hex")), iv, 12);
	msg = json_string_value(json_object_get(v, "plaintext"));
	ASSERT_EQ(0, kbs_jwe_encrypt(x, y, msg, strlen(msg), &fx, &jwe));
	got = json_loads(jwe, 0, NULL);
	want = json_object_get(v, "response");
	ASSERT_NE(NULL, got);
	EXPECT_TRUE(json_equal(want, got)) TH_LOG("got %s", jwe);
	EXPECT_STREQ(json_string_value(json_object_get(v, "aad_ascii")),
		     json_string_value(json_object_get(got, "protected")));
	/* the tests' own decryptor opens both the vector and ours */
	priv = p256_priv_from_hex(json_string_value(json_object_get(v, "tee_private_d_hex")));
	ASSERT_NE(NULL, priv);
	ASSERT_EQ(0, jwe_open(jwe, priv, &pt, &n, &hdr));
	EXPECT_EQ(strlen(msg), n);
	EXPECT_EQ(0, memcmp(pt, msg, n));
	EXPECT_STREQ(json_string_value(json_object_get(v, "protected_header_json")), hdr);
	free(pt);
	free(hdr);
	json_decref(got);
	free(jwe);
	EVP_PKEY_free(priv);
	json_decref(v);
}

/* Random JWEs to a fresh key open; to another key they do not. */
TEST(jwe_roundtrip)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *other = EVP_EC_gen("P-256");
	uint8_t pub[65], x[32], y[32], msg[1000], *pt = NULL;
	char *a = NULL, *b = NULL;
	size_t n = 0, i;

	ASSERT_NE(NULL, k);
	ASSERT_EQ(1, EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, 65, &n));
	memcpy(x, pub + 1, 32);
	memcpy(y, pub + 33, 32);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	ASSERT_EQ(0, kbs_jwe_encrypt(x, y, msg, sizeof(msg), NULL, &a));
	ASSERT_EQ(0, kbs_jwe_encrypt(x, y, msg, sizeof(msg), NULL, &b));
	EXPECT_STRNE(a, b);	/* fresh ephemeral key, CEK and IV */
	ASSERT_EQ(0, jwe_open(a, k, &pt, &n, NULL));
	EXPECT_EQ(sizeof(msg), n);
	EXPECT_EQ(0, memcmp(pt, msg, n));
	free(pt);
	EXPECT_EQ(-1, jwe_open(a, other, &pt, &n, NULL));
	/* a point off the curve is refused */
	y[31] ^= 1;
	EXPECT_EQ(-EINVAL, kbs_jwe_encrypt(x, y, msg, 16, NULL, &b));
	free(b);
	b = NULL;
	free(a);
	free(b);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

static json_t *claims_with_key(time_t exp)
{
	return json_pack("{s:I,s:{s:{s:{s:{s:{s:s,s:s,s:s,s:s}}}}}}", "exp", (json_int_t)exp,
			 "submods", "cpu0", "ear.veraison.annotated-evidence",
			 "runtime_data_claims", "tee-pubkey", "kty", "EC", "crv", "P-256",
			 "x", "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y",
			 "y", "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk");
}

TEST(token_sign_verify)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *other = EVP_EC_gen("P-256");
	time_t now = time(NULL);
	json_t *c = claims_with_key(now + 60), *out = NULL;
	uint8_t x[32], y[32];
	char *tok = NULL, *bad;

	ASSERT_EQ(0, kbs_token_sign(k, c, &tok));
	ASSERT_EQ(0, kbs_token_verify(k, tok, now, &out));
	EXPECT_EQ(0, kbs_token_tee_pubkey(out, x, y));
	EXPECT_EQ(0x60, x[0]);
	json_decref(out);
	EXPECT_EQ(-EKEYREJECTED, kbs_token_verify(other, tok, now, &out));
	EXPECT_EQ(-EKEYEXPIRED, kbs_token_verify(k, tok, now + 61, &out));
	/* one changed payload character */
	bad = strdup(tok);
	bad[strchr(bad, '.') - bad + 5] ^= 1;
	EXPECT_NE(0, kbs_token_verify(k, bad, now, &out));
	free(bad);
	EXPECT_EQ(-EBADMSG, kbs_token_verify(k, "a.b", now, &out));
	EXPECT_EQ(-EBADMSG, kbs_token_verify(k, "a.b.c.d", now, &out));
	/* alg none is refused */
	EXPECT_EQ(-EKEYREJECTED, kbs_token_verify(k, "eyJhbGciOiJub25lIn0.e30.", now, &out));
	free(tok);
	json_decref(c);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

TEST(sessions)
{
	char id[33], id2[33], nonce[45], got[45], *tok = NULL;
	struct kbs_sessions *s;
	time_t exp;

	ASSERT_EQ(0, kbs_sessions_new(2, &s));
	ASSERT_EQ(0, kbs_session_create(s, 60, id, nonce, &exp));
	EXPECT_EQ(32, strlen(id));
	EXPECT_EQ(44, strlen(nonce));
	EXPECT_EQ('=', nonce[43]);
	EXPECT_EQ(-ENOKEY, kbs_session_token(s, id, &tok));
	ASSERT_EQ(0, kbs_session_take_nonce(s, id, got));
	EXPECT_STREQ(nonce, got);
	EXPECT_EQ(-EALREADY, kbs_session_take_nonce(s, id, got));	/* single use */
	EXPECT_EQ(0, kbs_session_set_token(s, id, "t.o.k"));
	ASSERT_EQ(0, kbs_session_token(s, id, &tok));
	EXPECT_STREQ("t.o.k", tok);
	free(tok);
	EXPECT_EQ(-ENOENT, kbs_session_take_nonce(s, "0123456789abcdef0123456789abcdef", got));
	EXPECT_EQ(-ENOENT, kbs_session_take_nonce(s, "short", got));
	/* bounded: the third live session is refused */
	ASSERT_EQ(0, kbs_session_create(s, 60, id2, nonce, &exp));
	EXPECT_EQ(-ENOSPC, kbs_session_create(s, 60, id2, nonce, &exp));
	kbs_sessions_free(s);

	/* expiry: a session created already expired is gone */
	ASSERT_EQ(0, kbs_sessions_new(4, &s));
	ASSERT_EQ(0, kbs_session_create(s, -1, id, nonce, &exp));
	EXPECT_EQ(-ETIME, kbs_session_take_nonce(s, id, got));
	EXPECT_EQ(-ENOENT, kbs_session_take_nonce(s, id, got));
	kbs_sessions_free(s);
}

TEST(resource_paths)
{
	static const char *const good[] = { "a/b/c", "repo-1/key_type/tag.v2", "A/B/0" };
	static const char *const bad[] = {
		"", "a/b", "a/b/c/d", "../b/c", "a/../c", "a/b/..", "a/./c", "/a/b/c", "a//c",
		"a/b/c/", ".hidden/b/c", "a/b/c d", "a/b/c%2f", "a/b/\xc3\xa9", "a\\b/c/d",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_TRUE(kbs_resource_path_ok(good[i])) TH_LOG("good path %zu", i);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_FALSE(kbs_resource_path_ok(bad[i])) TH_LOG("bad path %zu", i);
}

static int collect(void *arg, const char *path)
{
	char *s = arg;

	strcat(s, path);
	strcat(s, ";");
	return 0;
}

TEST(state_dir)
{
	char dir[] = "/tmp/kbs_state.XXXXXX", path[256], list[512] = "";
	uint8_t *buf = NULL;
	struct stat st;
	size_t n;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, kbs_state_open(dir, &fd));
	ASSERT_EQ(0, kbs_resource_put(fd, "r/t/one", "first", 5));
	ASSERT_EQ(0, kbs_resource_put(fd, "r/t/one", "second!", 7));	/* replaced */
	ASSERT_EQ(0, kbs_resource_put(fd, "a/b/c", "x", 1));
	ASSERT_EQ(0, kbs_resource_get(fd, "r/t/one", &buf, &n));
	EXPECT_EQ(7, n);
	EXPECT_EQ(0, memcmp(buf, "second!", 7));
	free(buf);
	snprintf(path, sizeof(path), "%s/resources/r/t/one", dir);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	snprintf(path, sizeof(path), "%s/resources/r", dir);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0700, st.st_mode & 07777);
	/* a leftover temporary file (a crash before rename) is neither listed nor served */
	snprintf(path, sizeof(path), "%s/resources/r/t/.tmp.1.00", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	EXPECT_EQ(-EINVAL, kbs_resource_get(fd, "r/t/.tmp.1.00", &buf, &n));
	ASSERT_EQ(0, kbs_resource_list(fd, collect, list));
	EXPECT_STREQ("a/b/c;r/t/one;", list);
	/* a symlink planted in the tree is not followed */
	snprintf(path, sizeof(path), "%s/resources/a/b/link", dir);
	ASSERT_EQ(0, symlink("/etc/passwd", path));
	EXPECT_EQ(-ENOENT, kbs_resource_get(fd, "a/b/link", &buf, &n));
	EXPECT_EQ(-EINVAL, kbs_resource_put(fd, "../x/y", "z", 1));
	EXPECT_EQ(-EFBIG, kbs_resource_put(fd, "a/b/big", dir, KBS_MAX_RESOURCE + 1));
	EXPECT_EQ(0, kbs_resource_delete(fd, "a/b/c"));
	EXPECT_EQ(-ENOENT, kbs_resource_delete(fd, "a/b/c"));
	/* policies are validated before they replace the stored one */
	EXPECT_EQ(-EINVAL, kbs_policy_set(fd, "{\"allow_debug\":1}", 17, NULL));
	EXPECT_EQ(0, kbs_policy_set(fd, "{\"allow_debug\":true}", 20, NULL));
	close(fd);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	ASSERT_EQ(0, system(path));
}

TEST_HARNESS_MAIN
