// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Provisioning sessions (VHSM_IOC_SESSION_OPEN / VHSM_IOC_SESSION_IMPORT)
 * against a broker written independently in userspace (kbs_util.h: OpenSSL
 * and jansson), itself first checked against the KBS reference vectors:
 * REPORT_DATA equals the canonical runtime data's SHA-384; a JWE sealed the
 * way Trustee seals it imports and the key decrypts what OpenSSL encrypted
 * with the known secret; every tampering, replay, wrong recipient, expired
 * session, other uid, bound and bad nonce is refused with nothing stored,
 * and the session's key is wiped (the module's "sessions" counters).
 */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "attest_reload.h"
#include "kbs_util.h"
#include "keyops.h"
#include "vhsm_test.h"

#define PARAMS		"/sys/module/vhsm/parameters/"
#define NONCE		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define OTHER_UID	1000
#define ALL_SYM		(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT)
#define REPORT_DATA_OFF	0x50

static const char *kbs_dir(void)
{
	const char *d = getenv("VHSM_KBS_TESTDATA");

	return d && *d ? d : "/usr/share/vhsm-tests/kbs";
}

static json_t *vector(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", kbs_dir(), name);
	return json_load_file(path, 0, NULL);
}

static int param_read(const char *name, char *buf, size_t cap)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)cap, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

static int param_write(const char *name, const char *val)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

struct counters {
	unsigned int open;
	unsigned long long opened, wiped;
};

static int counters(struct counters *c)
{
	char buf[128];

	if (param_read("sessions", buf, sizeof(buf)))
		return -1;
	return sscanf(buf, "open=%u opened=%llu wiped=%llu", &c->open, &c->opened,
		      &c->wiped) == 3 ? 0 : -1;
}

struct session {
	struct vhsm_session_open o;
	uint8_t report[VHSM_SNP_REPORT_LEN];
};

static int sess_open_flags(int fd, const char *nonce, uint32_t flags, struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->o.size = sizeof(s->o);
	s->o.flags = flags;
	s->o.nonce_ptr = (uintptr_t)nonce;
	s->o.nonce_len = strlen(nonce);
	s->o.report_ptr = (uintptr_t)s->report;
	s->o.report_len = sizeof(s->report);
	return ko_ioctl(fd, VHSM_IOC_SESSION_OPEN, &s->o);
}

static int sess_open(int fd, struct session *s)
{
	return sess_open_flags(fd, NONCE, 0, s);
}

static int sess_import(int fd, uint32_t id, const struct ku_jwe *j, uint32_t type,
		       uint32_t key_len, const char *label, uint32_t *handle)
{
	struct vhsm_session_import im = {
		.size = sizeof(im), .session_id = id,
		.protected_ptr = (uintptr_t)j->protected, .protected_len = strlen(j->protected),
		.encrypted_key_ptr = (uintptr_t)j->encrypted_key,
		.encrypted_key_len = strlen(j->encrypted_key),
		.iv_ptr = (uintptr_t)j->iv, .iv_len = strlen(j->iv),
		.ciphertext_ptr = (uintptr_t)j->ciphertext, .ciphertext_len = strlen(j->ciphertext),
		.tag_ptr = (uintptr_t)j->tag, .tag_len = strlen(j->tag),
	};
	int ret;

	ko_attr(&im.attr, type, type == VHSM_KEY_SECRET ? VHSM_USAGE_EXPORT_KERNEL : ALL_SYM,
		0700, label);
	im.attr.key_len = key_len;
	ret = ko_ioctl(fd, VHSM_IOC_SESSION_IMPORT, &im);
	if (!ret && handle)
		*handle = im.handle;
	return ret;
}

static int seal_to(const struct session *s, const uint8_t *plain, size_t len, struct ku_jwe *j)
{
	return ku_seal(s->o.jwk_x, s->o.jwk_y, plain, len, NULL, j);
}

/* The key decrypts, in the kernel, what OpenSSL encrypted with @secret. */
static int key_works(int fd, uint32_t h, const uint8_t secret[32])
{
	static const char msg[] = "provisioned into the kernel";
	uint8_t iv[12], tag[16], ct[sizeof(msg)], out[sizeof(msg)];

	RAND_bytes(iv, sizeof(iv));
	if (ku_gcm(secret, iv, "aad", 3, (const uint8_t *)msg, sizeof(msg), ct, tag))
		return -1;
	if (ko_decrypt(fd, h, "aad", 3, ct, sizeof(ct), out, iv, tag))
		return -1;
	return memcmp(out, msg, sizeof(msg)) ? -1 : 0;
}

FIXTURE(sess) {
	int fd;
	char label[24];
	struct counters before;
};

FIXTURE_SETUP(sess)
{
	struct vhsm_info info = { .size = sizeof(info) };

	self->fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_INFO, &info));
	if (!(info.capabilities & VHSM_CAP_ATTEST))
		SKIP(return, "platform cannot attest");
	snprintf(self->label, sizeof(self->label), "st%d", getpid());
	ASSERT_EQ(0, counters(&self->before));
}

FIXTURE_TEARDOWN(sess)
{
	close(self->fd);
}

static const char *lbl(FIXTURE_DATA(sess) *self, const char *name)
{
	static char buf[VHSM_LABEL_MAX];

	snprintf(buf, sizeof(buf), "%s.%s", self->label, name);
	return buf;
}

/* The test's own encoders reproduce the reference vectors exactly. */
TEST(broker_matches_vectors)
{
	json_t *rd = vector("report_data_example.json");
	json_t *jw = vector("jwe_ecdh_es_a256kw_example.json");
	json_t *pk, *resp;
	struct ku_seal_fixed fx = {};
	uint8_t want[64], got[64], cek[32], iv[12];
	struct ku_jwe j;
	char *s;

	ASSERT_NE(NULL, rd) TH_LOG("no vectors in %s", kbs_dir());
	ASSERT_NE(NULL, jw);
	pk = json_object_get(rd, "tee-pubkey");
	s = ku_runtime_data(json_string_value(json_object_get(rd, "nonce")),
			    json_string_value(json_object_get(pk, "x")),
			    json_string_value(json_object_get(pk, "y")), 1);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(json_string_value(json_object_get(rd, "hashed_bytes_utf8")), s);
	free(s);
	s = ku_runtime_data(json_string_value(json_object_get(rd, "nonce")),
			    json_string_value(json_object_get(pk, "x")),
			    json_string_value(json_object_get(pk, "y")), 0);
	EXPECT_STREQ(json_string_value(json_object_get(json_object_get(rd,
			"without_additional_evidence"), "hashed_bytes_utf8")), s);
	free(s);
	ASSERT_EQ(0, ku_hex(json_string_value(json_object_get(rd, "report_data_64_hex")), want, 64));
	ASSERT_EQ(0, ku_report_data(json_string_value(json_object_get(rd, "nonce")),
				    json_string_value(json_object_get(pk, "x")),
				    json_string_value(json_object_get(pk, "y")), 1, got));
	EXPECT_EQ(0, memcmp(want, got, 64));

	/* the JWE with the vector's fixed ephemeral key, CEK and IV */
	pk = json_object_get(jw, "tee-pubkey");
	resp = json_object_get(jw, "response");
	ASSERT_EQ(0, ku_hex(json_string_value(json_object_get(jw, "cek_hex")), cek, 32));
	ASSERT_EQ(0, ku_hex(json_string_value(json_object_get(jw, "iv_hex")), iv, 12));
	fx.eph_d_hex = json_string_value(json_object_get(jw, "ephemeral_private_d_hex"));
	fx.cek = cek;
	fx.iv = iv;
	s = (char *)json_string_value(json_object_get(jw, "plaintext"));
	ASSERT_EQ(0, ku_seal(json_string_value(json_object_get(pk, "x")),
			     json_string_value(json_object_get(pk, "y")),
			     (const uint8_t *)s, strlen(s), &fx, &j));
	EXPECT_STREQ(json_string_value(json_object_get(resp, "protected")), j.protected);
	EXPECT_STREQ(json_string_value(json_object_get(jw, "aad_ascii")), j.protected);
	EXPECT_STREQ(json_string_value(json_object_get(resp, "encrypted_key")), j.encrypted_key);
	EXPECT_STREQ(json_string_value(json_object_get(resp, "iv")), j.iv);
	EXPECT_STREQ(json_string_value(json_object_get(resp, "ciphertext")), j.ciphertext);
	EXPECT_STREQ(json_string_value(json_object_get(resp, "tag")), j.tag);
	json_decref(rd);
	json_decref(jw);
}

/* REPORT_DATA is SHA-384 of the canonical runtime data, in the report too. */
TEST_F(sess, report_data_binds_nonce_and_key)
{
	static const uint32_t flags[] = { 0, VHSM_SESSION_F_NO_ADDEV };
	struct ku_jwe j;
	uint8_t want[64], k[32];
	struct session s;
	EVP_PKEY *pub;

	for (size_t i = 0; i < 2; i++) {
		ASSERT_EQ(0, sess_open_flags(self->fd, NONCE, flags[i], &s));
		EXPECT_NE(0, s.o.session_id);
		EXPECT_EQ(43, strlen(s.o.jwk_x));
		EXPECT_EQ(43, strlen(s.o.jwk_y));
		EXPECT_EQ(VHSM_SNP_REPORT_LEN, s.o.report_len);
		EXPECT_LT(0, s.o.expires_in);
		pub = ku_p256_pub(s.o.jwk_x, s.o.jwk_y);
		EXPECT_NE(NULL, pub) TH_LOG("the JWK is not a P-256 point");
		EVP_PKEY_free(pub);
		ASSERT_EQ(0, ku_report_data(NONCE, s.o.jwk_x, s.o.jwk_y, !flags[i], want));
		EXPECT_EQ(0, memcmp(want, s.o.report_data, 64));
		EXPECT_EQ(0, memcmp(want, s.report + REPORT_DATA_OFF, 64));
		/* consume it */
		RAND_bytes(k, sizeof(k));
		ASSERT_EQ(0, seal_to(&s, k, 32, &j));
		EXPECT_EQ(0, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
					 lbl(self, i ? "rd1" : "rd0"), NULL));
	}
}

TEST_F(sess, import_aes256_and_use)
{
	struct vhsm_key_info info;
	struct counters after;
	struct session s;
	struct ku_jwe j;
	uint8_t k[32];
	uint32_t h;

	ASSERT_EQ(0, sess_open(self->fd, &s));
	ASSERT_EQ(0, counters(&after));
	EXPECT_EQ(self->before.open + 1, after.open);
	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, seal_to(&s, k, 32, &j));
	ASSERT_EQ(0, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
				 lbl(self, "aes"), &h));
	ASSERT_EQ(0, ko_info(self->fd, h, &info));
	EXPECT_EQ(VHSM_ORIGIN_PROVISIONED, info.origin);
	EXPECT_EQ(VHSM_KEY_AES256_GCM, info.attr.type);
	EXPECT_EQ(32, info.attr.key_len);
	EXPECT_EQ(0, key_works(self->fd, h, k));
	ASSERT_EQ(0, counters(&after));
	EXPECT_EQ(self->before.open, after.open);
	EXPECT_EQ(self->before.wiped + 1, after.wiped);
	/* replay: the session was single use */
	EXPECT_EQ(-ENOENT, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
				       lbl(self, "aes2"), NULL));
	EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, "aes2"), &h));
	EXPECT_EQ(0, ko_destroy(self->fd, info.handle));
}

TEST_F(sess, import_other_types)
{
	uint8_t k[48];
	struct session s;
	struct ku_jwe j;
	uint32_t h;

	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, sess_open(self->fd, &s));
	ASSERT_EQ(0, seal_to(&s, k, 16, &j));
	ASSERT_EQ(0, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES128_GCM, 0,
				 lbl(self, "a128"), &h));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
	ASSERT_EQ(0, sess_open(self->fd, &s));
	ASSERT_EQ(0, seal_to(&s, k, 48, &j));
	ASSERT_EQ(0, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_SECRET, 48,
				 lbl(self, "sec"), &h));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
	/* a plaintext whose length does not fit the type: refused, session gone */
	ASSERT_EQ(0, sess_open(self->fd, &s));
	ASSERT_EQ(0, seal_to(&s, k, 16, &j));
	EXPECT_EQ(-EBADMSG, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
					lbl(self, "short"), NULL));
	EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, "short"), &h));
}

enum tamper { T_HEADER_WS, T_HEADER_MEMBER, T_HEADER_ENC, T_KEY, T_IV, T_CT, T_TAG,
	      T_HEADER_B64, T_MAX };

static void flip(char *s, size_t at)
{
	/* change one base64url character to another valid one */
	s[at] = s[at] == 'A' ? 'B' : 'A';
}

/* Re-encode the protected header with a space after its first ','. */
static int respace(char *protected)
{
	uint8_t hdr[KU_B64_MAX], out[KU_B64_MAX];
	int n = ku_unb64url(protected, hdr, sizeof(hdr) - 1);
	uint8_t *comma;

	if (n <= 0 || !(comma = memchr(hdr, ',', n)))
		return -1;
	memcpy(out, hdr, comma - hdr + 1);
	out[comma - hdr + 1] = ' ';
	memcpy(out + (comma - hdr) + 2, comma + 1, n - (comma - hdr) - 1);
	ku_b64url(out, n + 1, protected);
	return 0;
}

static int tampered(const struct session *s, const uint8_t *k, enum tamper t, struct ku_jwe *j)
{
	struct ku_seal_fixed fx = {};

	switch (t) {
	case T_HEADER_MEMBER:
		fx.header_fmt = "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"zip\":\"DEF\","
				"\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}";
		break;
	case T_HEADER_ENC:
		fx.header_fmt = "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A128GCM\",\"epk\":"
				"{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}";
		break;
	default:
		break;
	}
	if (ku_seal(s->o.jwk_x, s->o.jwk_y, k, 32, &fx, j))
		return -1;
	switch (t) {
	case T_KEY:
		flip(j->encrypted_key, 5);
		break;
	case T_IV:
		flip(j->iv, 3);
		break;
	case T_CT:
		flip(j->ciphertext, 7);
		break;
	case T_TAG:
		flip(j->tag, 2);
		break;
	case T_HEADER_WS:	/* same members, other bytes: the AAD differs */
		if (respace(j->protected))
			return -1;
		break;
	case T_HEADER_B64:	/* a bit of epk.x: another point, or none */
		flip(j->protected, 60);
		break;
	default:
		break;
	}
	return 0;
}

TEST_F(sess, tampering_refused_nothing_stored_key_wiped)
{
	struct counters c0, c1;
	struct session s;
	struct ku_jwe j;
	uint8_t k[32];
	char name[16];
	uint32_t h;

	RAND_bytes(k, sizeof(k));
	for (int t = 0; t < T_MAX; t++) {
		snprintf(name, sizeof(name), "t%d", t);
		ASSERT_EQ(0, sess_open(self->fd, &s));
		ASSERT_EQ(0, counters(&c0));
		ASSERT_EQ(0, tampered(&s, k, t, &j));
		EXPECT_EQ(-EBADMSG, sess_import(self->fd, s.o.session_id, &j,
						VHSM_KEY_AES256_GCM, 0, lbl(self, name), NULL))
			TH_LOG("tampering %d", t);
		EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, name), &h));
		ASSERT_EQ(0, counters(&c1));
		EXPECT_EQ(c0.open - 1, c1.open);
		EXPECT_EQ(c0.wiped + 1, c1.wiped);
		/* the genuine JWE no longer opens either: the session is gone */
		ASSERT_EQ(0, seal_to(&s, k, 32, &j));
		EXPECT_EQ(-ENOENT, sess_import(self->fd, s.o.session_id, &j,
					       VHSM_KEY_AES256_GCM, 0, lbl(self, name), NULL));
	}
}

TEST_F(sess, wrong_recipient)
{
	struct session a, b;
	struct ku_jwe j;
	uint8_t k[32];
	uint32_t h;

	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, sess_open(self->fd, &a));
	ASSERT_EQ(0, sess_open(self->fd, &b));
	ASSERT_EQ(0, seal_to(&a, k, 32, &j));
	EXPECT_EQ(-EBADMSG, sess_import(self->fd, b.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
					lbl(self, "wr"), NULL));
	EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, "wr"), &h));
	/* a is still intact */
	ASSERT_EQ(0, sess_import(self->fd, a.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
				 lbl(self, "wr"), &h));
	EXPECT_EQ(0, key_works(self->fd, h, k));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

TEST_F(sess, expired_session_wiped)
{
	struct counters c;
	struct session s;
	struct ku_jwe j;
	uint8_t k[32];
	char old[32];
	uint32_t h;

	ASSERT_EQ(0, param_read("session_timeout", old, sizeof(old)));
	ASSERT_EQ(0, param_write("session_timeout", "1"));
	EXPECT_EQ(0, sess_open(self->fd, &s));
	EXPECT_EQ(1, s.o.expires_in);
	ASSERT_EQ(0, param_write("session_timeout", old));
	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, seal_to(&s, k, 32, &j));
	/* the expiry work wipes it without anyone touching it */
	for (int i = 0; i < 50; i++) {
		ASSERT_EQ(0, counters(&c));
		if (c.wiped == self->before.wiped + 1)
			break;
		usleep(100000);
	}
	EXPECT_EQ(self->before.wiped + 1, c.wiped);
	EXPECT_EQ(self->before.open, c.open);
	EXPECT_EQ(-ENOENT, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
				       lbl(self, "exp"), NULL));
	EXPECT_EQ(-ENOENT, ko_lookup(self->fd, lbl(self, "exp"), &h));
}

/* Runs @fn in a child as OTHER_UID in the device's group, with its own fd. */
static int as_other(int (*fn)(int fd, void *ctx), void *ctx)
{
	const char *g = getenv("VHSM_TEST_GID");
	gid_t gid = g ? (gid_t)strtoul(g, NULL, 10) : 0;
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(1, &gid) || setgid(gid) || setuid(OTHER_UID))
			_exit(100);
		fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(101);
		_exit(fn(fd, ctx));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct other_ctx {
	uint32_t id;
	struct ku_jwe j;
	char label[VHSM_LABEL_MAX];
};

static int other_import(int fd, void *p)
{
	struct other_ctx *c = p;

	return sess_import(fd, c->id, &c->j, VHSM_KEY_AES256_GCM, 0, c->label, NULL)
		== -ENOENT ? 0 : 1;
}

TEST_F(sess, another_uid_cannot_import)
{
	struct other_ctx c = {};
	struct session s;
	uint8_t k[32];
	uint32_t h;

	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, sess_open(self->fd, &s));
	ASSERT_EQ(0, seal_to(&s, k, 32, &c.j));
	c.id = s.o.session_id;
	memcpy(c.label, lbl(self, "other"), sizeof(c.label));
	EXPECT_EQ(0, as_other(other_import, &c));
	/* untouched: the owner still imports */
	ASSERT_EQ(0, sess_import(self->fd, s.o.session_id, &c.j, VHSM_KEY_AES256_GCM, 0,
				 lbl(self, "owner"), &h));
	EXPECT_EQ(0, key_works(self->fd, h, k));
	EXPECT_EQ(0, ko_destroy(self->fd, h));
}

/* An unprivileged group member opens, imports and uses a session key. */
static int other_full(int fd, void *p)
{
	struct session s;
	struct ku_jwe j;
	uint8_t k[32], want[64];
	uint32_t h;

	(void)p;
	RAND_bytes(k, sizeof(k));
	if (sess_open(fd, &s))
		return 1;
	if (ku_report_data(NONCE, s.o.jwk_x, s.o.jwk_y, 1, want) ||
	    memcmp(want, s.report + REPORT_DATA_OFF, 64))
		return 2;
	if (seal_to(&s, k, 32, &j) ||
	    sess_import(fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0, "other.key", &h))
		return 3;
	if (key_works(fd, h, k) || ko_destroy(fd, h))
		return 4;
	return 0;
}

TEST_F(sess, unprivileged_member_provisions)
{
	EXPECT_EQ(0, as_other(other_full, NULL));
}

static int sess_close(int fd, uint32_t id)
{
	struct vhsm_session_close c = { .size = sizeof(c), .session_id = id };

	return ko_ioctl(fd, VHSM_IOC_SESSION_CLOSE, &c);
}

static int other_open_one(int fd, void *p)
{
	struct session s;

	(void)p;
	if (sess_open(fd, &s))
		return 1;
	return sess_close(fd, s.o.session_id) ? 2 : 0;
}

static int other_close(int fd, void *p)
{
	return sess_close(fd, *(uint32_t *)p) == -ENOENT ? 0 : 1;
}

TEST_F(sess, close_wipes_now)
{
	struct vhsm_session_close c = { .size = sizeof(c) };
	struct counters c0, c1;
	struct session s;
	struct ku_jwe j;
	uint8_t k[32];

	ASSERT_EQ(0, sess_open(self->fd, &s));
	/* another uid cannot close it */
	EXPECT_EQ(0, as_other(other_close, &s.o.session_id));
	ASSERT_EQ(0, counters(&c0));
	c.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_SESSION_CLOSE, &c));
	c.flags = 0;
	c.__reserved = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_CLOSE, &c));
	EXPECT_EQ(0, sess_close(self->fd, s.o.session_id));
	ASSERT_EQ(0, counters(&c1));
	EXPECT_EQ(c0.open - 1, c1.open);
	EXPECT_EQ(c0.wiped + 1, c1.wiped);
	EXPECT_EQ(-ENOENT, sess_close(self->fd, s.o.session_id));
	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, seal_to(&s, k, 32, &j));
	EXPECT_EQ(-ENOENT, sess_import(self->fd, s.o.session_id, &j, VHSM_KEY_AES256_GCM, 0,
				       lbl(self, "closed"), NULL));
}

TEST_F(sess, per_uid_bound)
{
	struct session s[3];
	struct ku_jwe j;
	uint8_t k[32];
	char old[32];

	ASSERT_EQ(0, param_read("max_sessions_per_user", old, sizeof(old)));
	ASSERT_EQ(0, param_write("max_sessions_per_user", "2"));
	EXPECT_EQ(0, sess_open(self->fd, &s[0]));
	EXPECT_EQ(0, sess_open(self->fd, &s[1]));
	EXPECT_EQ(-EDQUOT, sess_open(self->fd, &s[2]));
	/* another uid has its own count */
	EXPECT_EQ(0, as_other(other_open_one, NULL));
	/* closing one (any import attempt) makes room again */
	RAND_bytes(k, sizeof(k));
	ASSERT_EQ(0, seal_to(&s[0], k, 16, &j));
	EXPECT_EQ(-EBADMSG, sess_import(self->fd, s[0].o.session_id, &j,
					VHSM_KEY_AES256_GCM, 0, lbl(self, "b0"), NULL));
	EXPECT_EQ(0, sess_open(self->fd, &s[2]));
	ASSERT_EQ(0, param_write("max_sessions_per_user", old));
	for (int i = 1; i < 3; i++) {
		ASSERT_EQ(0, seal_to(&s[i], k, 16, &j));
		EXPECT_EQ(-EBADMSG, sess_import(self->fd, s[i].o.session_id, &j,
						VHSM_KEY_AES256_GCM, 0, lbl(self, "b1"), NULL));
	}
}

TEST_F(sess, bad_nonces)
{
	static const char *const bad[] = {
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"",	/* a quote */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\\",	/* a backslash */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd-h8=",	/* base64url */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd_h8=",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",	/* length */
		"AAECAwQF=gcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",	/* inner '=' */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH===",	/* three '=' */
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8 ",
		"AAEC\nwQF",
		"AA=",
		"",
	};
	char longn[VHSM_SESSION_NONCE_MAX + 5];
	struct counters c;
	struct session s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, sess_open_flags(self->fd, bad[i], 0, &s))
			TH_LOG("nonce %zu", i);
	}
	memset(longn, 'A', sizeof(longn) - 1);
	longn[sizeof(longn) - 1] = '\0';
	EXPECT_EQ(-EINVAL, sess_open_flags(self->fd, longn, 0, &s));
	longn[VHSM_SESSION_NONCE_MAX] = '\0';	/* exactly the bound: accepted */
	ASSERT_EQ(0, sess_open_flags(self->fd, longn, 0, &s));
	ASSERT_EQ(0, counters(&c));
	EXPECT_EQ(self->before.open + 1, c.open);
	EXPECT_EQ(self->before.opened + 1, c.opened);
	{
		struct ku_jwe j;
		uint8_t k[32] = { 0 };

		ASSERT_EQ(0, seal_to(&s, k, 16, &j));
		EXPECT_EQ(-EBADMSG, sess_import(self->fd, s.o.session_id, &j,
						VHSM_KEY_AES256_GCM, 0, lbl(self, "n"), NULL));
	}
}

TEST_F(sess, abi_checks)
{
	struct session s;
	struct vhsm_session_open o;
	struct vhsm_session_import im;
	struct counters c;

	memset(&s, 0, sizeof(s));
	sess_open_flags(self->fd, NONCE, 0, &s);	/* a good one, consumed below */
	ASSERT_NE(0, s.o.session_id);
	o = (struct vhsm_session_open){ .size = sizeof(o), .nonce_ptr = (uintptr_t)NONCE,
		.nonce_len = 44, .report_ptr = (uintptr_t)s.report, .report_len = VHSM_SNP_REPORT_LEN };
	o.flags = 1U << 31;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.flags = 0;
	o.__reserved[2] = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.__reserved[2] = 0;
	o.jwk_x[3] = 'x';
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.jwk_x[3] = 0;
	o.certs_len = 10;	/* certificates without VHSM_SESSION_F_CERTS */
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.certs_len = 0;
	o.vmpl = 4;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.vmpl = 0;
	o.report_len = 100;
	EXPECT_EQ(-ENOSPC, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	EXPECT_EQ(VHSM_SNP_REPORT_LEN, o.report_len);
	EXPECT_EQ(0, o.session_id);
	o.report_len = VHSM_SNP_REPORT_LEN;
	o.size = VHSM_SESSION_OPEN_SIZE_VER0 - 8;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o.size = sizeof(o);
	o.report_ptr = 8;	/* unwritable: no session is left behind */
	EXPECT_EQ(-EFAULT, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
	o = (struct vhsm_session_open){ .size = sizeof(o), .flags = VHSM_SESSION_F_CERTS,
		.nonce_ptr = (uintptr_t)NONCE, .nonce_len = 44, .report_ptr = (uintptr_t)s.report,
		.report_len = VHSM_SNP_REPORT_LEN };
	{
		static uint8_t certs[16384];

		o.certs_ptr = (uintptr_t)certs;
		o.certs_len = sizeof(certs);
		ASSERT_EQ(0, ko_ioctl(self->fd, VHSM_IOC_SESSION_OPEN, &o));
		EXPECT_EQ(0, o.certs_len);	/* the simulator serves no table */
	}

	/* import argument checks leave the session open */
	memset(&im, 0, sizeof(im));
	im.size = sizeof(im);
	im.session_id = s.o.session_id;
	ko_attr(&im.attr, VHSM_KEY_AES256_GCM, ALL_SYM, 0700, lbl(self, "abi"));
	im.protected_ptr = im.encrypted_key_ptr = im.iv_ptr = im.ciphertext_ptr = im.tag_ptr =
		(uintptr_t)"AAAA";
	im.protected_len = im.encrypted_key_len = im.iv_len = im.ciphertext_len = im.tag_len = 4;
	im.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.flags = 0;
	im.__pad = 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.__pad = 0;
	im.protected_len = VHSM_JWE_PROTECTED_MAX + 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.protected_len = 4;
	im.ciphertext_len = VHSM_JWE_CIPHERTEXT_MAX + 1;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.ciphertext_len = 4;
	im.attr.mode = 01000;
	EXPECT_EQ(-EINVAL, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.attr.mode = 0700;
	im.session_id = 0;
	EXPECT_EQ(-ENOENT, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	ASSERT_EQ(0, counters(&c));
	EXPECT_EQ(self->before.open + 2, c.open);
	/* malformed JWE: consumes the session */
	im.session_id = s.o.session_id;
	EXPECT_EQ(-EBADMSG, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	im.session_id = o.session_id;
	EXPECT_EQ(-EBADMSG, ko_ioctl(self->fd, VHSM_IOC_SESSION_IMPORT, &im));
	ASSERT_EQ(0, counters(&c));
	EXPECT_EQ(self->before.open, c.open);
	/* the two imported ones, and the one whose report could not be copied out */
	EXPECT_EQ(self->before.wiped + 3, c.wiped);
}

/* Unload wipes the sessions still open (it reloads the module, with the same parameters). */
TEST(unload_wipes_open_sessions)
{
	struct vhsm_info info = { .size = sizeof(info) };
	struct session s;
	char rec[1024];
	int fd, kmsg, wiped = -1;
	ssize_t n;

	fd = open(vhsm_test_device(), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ko_ioctl(fd, VHSM_IOC_INFO, &info));
	if (info.platform_id != VHSM_PLATFORM_SIM || !getenv("VHSM_KO") || geteuid()) {
		close(fd);
		SKIP(return, "needs root, $VHSM_KO and the sim platform to reload");
	}
	ASSERT_EQ(0, sess_open(fd, &s));
	ASSERT_EQ(0, sess_open(fd, &s));
	close(fd);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	ASSERT_EQ(0, at_reload(NULL, NULL));
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		const char *p;

		if (n <= 0)
			continue;
		rec[n] = '\0';
		p = strstr(rec, "vhsm: wiped ");
		if (p && strstr(p, "provisioning sessions"))
			sscanf(p, "vhsm: wiped %d", &wiped);
	}
	close(kmsg);
	EXPECT_LE(2, wiped) TH_LOG("no \"wiped N provisioning sessions\" at unload");
}

TEST_HARNESS_MAIN
