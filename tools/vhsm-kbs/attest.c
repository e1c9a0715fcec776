// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * POST /kbs/v0/attest: the session's nonce (single use), the evidence in
 * Trustee's JSON form, the libvhsm verifier (signature, chain to the roots,
 * product, TCB, chip id, then the policy in the state directory), and the
 * binding the server adds itself: REPORT_DATA must be SHA-384 of the
 * canonical runtime data built from this session's nonce and the
 * tee-pubkey presented. Every failed check is named in the verdict. On
 * success an EAR-style token carrying the tee-pubkey and the verified
 * claims is signed, stored in the session and returned.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kbs.h"

#define EAR_PROFILE "tag:github.com,2024:confidential-containers/Trustee"

static void refuse(struct kbs_verdict *v, unsigned int status, const char *type,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void refuse(struct kbs_verdict *v, unsigned int status, const char *type,
		   const char *fmt, ...)
{
	va_list ap;

	v->status = status;
	v->type = type;
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

static void fail_check(struct kbs_verdict *v, const char *name)
{
	if (!v->failed)
		v->failed = json_array();
	if (v->failed)
		json_array_append_new(v->failed, json_string(name));
}

struct attest_req {
	char nonce[KBS_NONCE_LEN + 1];
	json_t *body;
	char *jwk;			/* tee-pubkey as received, compact */
	const char *additional;		/* additional_evidence */
	struct vhsm_kbs_evidence_parsed ev;
	struct vhsm_report rep;
};

static const char *session_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "unknown session: send the kbs-session-id cookie from /auth";
	case -ETIME:
		return "the session expired: start again with /auth";
	case -EALREADY:
		return "this session's nonce was already used: start again with /auth";
	default:
		return "session error";
	}
}

/* Parse and check the request against the session; 0 or refused. */
static int parse_request(struct kbs_server *srv, const char *session, const char *body,
			 struct attest_req *a, struct kbs_verdict *v)
{
	const json_t *rd, *te, *pk, *pe, *ae;
	const char *n;
	uint8_t x[32], y[32];
	char *evj;
	int err;

	err = session ? kbs_session_take_nonce(srv->sessions, session, a->nonce) : -ENOENT;
	if (err) {
		refuse(v, 401, "AttestationError", "%s", session_error(err));
		return err;
	}
	a->body = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	rd = json_object_get(a->body, "runtime-data");
	te = json_object_get(a->body, "tee-evidence");
	n = json_string_value(json_object_get(rd, "nonce"));
	pk = json_object_get(rd, "tee-pubkey");
	pe = json_object_get(te, "primary_evidence");
	ae = json_object_get(te, "additional_evidence");
	if (!json_is_object(a->body) || !n || !json_is_object(pk) || !json_is_object(pe) ||
	    (ae && !json_is_string(ae))) {
		refuse(v, 401, "AttestationError", "malformed attestation request: expected "
		       "runtime-data {nonce, tee-pubkey} and tee-evidence {primary_evidence}");
		return -EBADMSG;
	}
	if (strlen(n) != KBS_NONCE_LEN || CRYPTO_memcmp(n, a->nonce, KBS_NONCE_LEN)) {
		fail_check(v, "nonce");
		refuse(v, 401, "AttestationError", "runtime-data nonce is not this session's "
		       "challenge (replayed or foreign nonce)");
		return -EKEYREJECTED;
	}
	a->additional = ae ? json_string_value(ae) : "";
	a->jwk = json_dumps(pk, JSON_COMPACT);
	err = a->jwk ? vhsm_kbs_jwk_parse_p256(a->jwk, x, y) : -ENOMEM;
	if (err) {
		refuse(v, 401, "AttestationError", "tee-pubkey: %s", err == -EOPNOTSUPP ?
		       "only EC P-256 keys for ECDH-ES+A256KW are supported" : "malformed JWK");
		return err;
	}
	evj = json_dumps(pe, JSON_COMPACT);
	err = evj ? vhsm_kbs_evidence_parse(evj, &a->ev) : -ENOMEM;
	free(evj);
	if (!err)
		err = vhsm_report_parse(a->ev.report, sizeof(a->ev.report), &a->rep);
	if (err) {
		refuse(v, 401, "AttestationError", "SNP evidence: %s", err == -EPROTO ?
		       "unsupported report version" : "malformed (expected Trustee's "
		       "SnpEvidence JSON)");
		return err;
	}
	for (size_t i = 0; i < sizeof(a->rep.measurement); i++)
		snprintf(v->measurement + 2 * i, 3, "%02x", a->rep.measurement[i]);
	return 0;
}

/* The VCEK or VLEK from cert_chain, as the report's SIGNING_KEY says. */
static const struct vhsm_kbs_cert *find_vek(const struct attest_req *a)
{
	enum vhsm_kbs_cert_type want = a->rep.signing_key == VHSM_SIGNING_KEY_VLEK ?
				       VHSM_KBS_CERT_VLEK : VHSM_KBS_CERT_VCEK;
	size_t i;

	for (i = 0; i < a->ev.n_certs; i++)
		if (a->ev.certs[i].type == want)
			return &a->ev.certs[i];
	return NULL;
}

static int verify(struct kbs_server *srv, struct attest_req *a, struct kbs_verdict *v)
{
	struct vhsm_verify_opts o = srv->opts->verify;
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	const struct vhsm_kbs_cert *vek = find_vek(a);
	uint8_t want[VHSM_KBS_REPORT_DATA_LEN];
	struct vhsm_policy pol;
	bool have_policy;
	unsigned int i;
	int err;

	err = kbs_policy_load(srv->dirfd, &pol, &have_policy);
	if (err) {
		refuse(v, 500, "InternalError", "the stored policy cannot be read: %s",
		       strerror(-err));
		return err;
	}
	o.vek = vek ? vek->der : NULL;
	o.vek_len = vek ? vek->len : 0;
	o.policy = &pol;
	err = vhsm_verify_report(&a->rep, &o, &res);
	for (i = 0; i < 32; i++)
		if (res.failed & (1u << i))
			fail_check(v, vhsm_verify_check_name((enum vhsm_check)(1u << i)));
	if (err == -EINVAL && !res.failed)
		fail_check(v, "cert");
	/* the server's own binding of nonce and key */
	if (vhsm_kbs_report_data(a->nonce, a->jwk, a->additional, want) ||
	    CRYPTO_memcmp(want, a->rep.report_data, sizeof(want)))
		fail_check(v, "report_data_binding");
	if (v->failed && json_array_size(v->failed)) {
		char names[256] = "";
		size_t k, n = 0;

		for (k = 0; k < json_array_size(v->failed); k++)
			n += (size_t)snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0,
					      "%s%s", k ? ", " : "",
					      json_string_value(json_array_get(v->failed, k)));
		refuse(v, 401, "AttestationError", "evidence refused: failed %s%s%s", names,
		       res.n_reasons ? "; " : err == -ENOKEY ? "; no VCEK: send cert_chain" : "",
		       res.n_reasons ? res.reasons[0] : "");
		err = -EKEYREJECTED;
	} else if (err) {
		refuse(v, 500, "InternalError", "verification failed: %s", strerror(-err));
	}
	vhsm_verify_result_free(&res);
	vhsm_policy_free(&pol);
	return err;
}

static char *hex(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	size_t i;

	for (i = 0; s && i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	return s;
}

static json_t *claims(struct kbs_server *srv, const struct attest_req *a)
{
	char *snp = NULL, *rd = hex(a->rep.report_data, 64), *hd = hex(a->rep.host_data, 32);
	time_t now = time(NULL);
	json_t *c = NULL, *snpj, *key;

	if (vhsm_report_to_json(&a->rep, &snp) || !rd || !hd)
		goto out;
	snpj = json_loads(snp, 0, NULL);
	key = json_loads(a->jwk, 0, NULL);
	c = json_pack("{s:s,s:s,s:I,s:I,s:I,s:{s:s,s:s},s:{s:{s:s,s:s,s:{s:o,s:s,s:s,s:{s:s,s:o}}}}}",
		      "eat_profile", EAR_PROFILE, "iss", "vhsm-kbs",
		      "iat", (json_int_t)now, "nbf", (json_int_t)now,
		      "exp", (json_int_t)(now + srv->opts->token_ttl),
		      "ear.verifier-id", "developer", "vhsm", "build", "vhsm-kbs " VHSM_TOOL_VERSION,
		      "submods", "cpu0", "ear.status", "affirming",
		      "ear.appraisal-policy-id", "vhsm-kbs:policy.json",
		      "ear.veraison.annotated-evidence", "snp", snpj,
		      "report_data", rd, "init_data", hd,
		      "runtime_data_claims", "nonce", a->nonce, "tee-pubkey", key);
out:
	free(snp);
	free(rd);
	free(hd);
	return c;
}

void kbs_attest(struct kbs_server *srv, const char *session, const char *body,
		struct kbs_verdict *v)
{
	struct attest_req *a = calloc(1, sizeof(*a));
	json_t *c;
	int err;

	if (!a) {
		refuse(v, 500, "InternalError", "out of memory");
		return;
	}
	if (parse_request(srv, session, body, a, v) || verify(srv, a, v))
		goto out;
	c = claims(srv, a);
	err = c ? kbs_token_sign(srv->token_key, c, &v->token) : -ENOMEM;
	json_decref(c);
	if (!err)
		err = kbs_session_set_token(srv->sessions, session, v->token);
	if (err) {
		free(v->token);
		v->token = NULL;
		refuse(v, err == -ETIME ? 401 : 500, err == -ETIME ? "AttestationError" :
		       "InternalError", "cannot issue the token: %s", strerror(-err));
		goto out;
	}
	v->status = 200;
out:
	vhsm_kbs_evidence_free(&a->ev);
	json_decref(a->body);
	free(a->jwk);
	free(a);
}
