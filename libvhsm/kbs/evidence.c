// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SNP evidence as Trustee carries it: the serde JSON of
 *   struct SnpEvidence { attestation_report: AttestationReport,
 *                        cert_chain: Option<Vec<CertTableEntry>> }
 * from the sev crate, not the raw report. Byte arrays are arrays of numbers,
 * TCBs objects with named parts ("fmc" null except on Turin), the firmware
 * versions {"major","minor","build"}, the signature {"r","s"} little-endian
 * as in the report; certificate entries {"cert_type": "VCEK"|..., "data":
 * [DER bytes]}.
 *
 * The verifier on the other side re-encodes that JSON to the binary report
 * before checking the signature, with every reserved byte zero, so both
 * directions here follow the report layout of the SNP ABI (table 23) field
 * by field. Members are written in the sev crate's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/kbs.h>
#include <vhsm/report.h>

#include "kbs_internal.h"

#define KBS_MAX_CERT_LEN (64 * 1024)

/* One field of the report: name, offset, size; kind says how to write it. */
enum fkind { F_U8, F_U32, F_U64, F_BYTES, F_TCB, F_OPT_U8, F_OPT_U64, F_VERSION, F_SIG };

static const struct field {
	const char *name;
	unsigned int off, len;
	enum fkind kind;
} fields[] = {
	{ "version", 0x000, 4, F_U32 },
	{ "guest_svn", 0x004, 4, F_U32 },
	{ "policy", 0x008, 8, F_U64 },
	{ "family_id", 0x010, 16, F_BYTES },
	{ "image_id", 0x020, 16, F_BYTES },
	{ "vmpl", 0x030, 4, F_U32 },
	{ "sig_algo", 0x034, 4, F_U32 },
	{ "current_tcb", 0x038, 8, F_TCB },
	{ "plat_info", 0x040, 8, F_U64 },
	{ "key_info", 0x048, 4, F_U32 },
	{ "report_data", 0x050, 64, F_BYTES },
	{ "measurement", 0x090, 48, F_BYTES },
	{ "host_data", 0x0C0, 32, F_BYTES },
	{ "id_key_digest", 0x0E0, 48, F_BYTES },
	{ "author_key_digest", 0x110, 48, F_BYTES },
	{ "report_id", 0x140, 32, F_BYTES },
	{ "report_id_ma", 0x160, 32, F_BYTES },
	{ "reported_tcb", 0x180, 8, F_TCB },
	{ "cpuid_fam_id", 0x188, 1, F_OPT_U8 },
	{ "cpuid_mod_id", 0x189, 1, F_OPT_U8 },
	{ "cpuid_step", 0x18A, 1, F_OPT_U8 },
	{ "chip_id", 0x1A0, 64, F_BYTES },
	{ "committed_tcb", 0x1E0, 8, F_TCB },
	{ "current", 0x1E8, 3, F_VERSION },
	{ "committed", 0x1EC, 3, F_VERSION },
	{ "launch_tcb", 0x1F0, 8, F_TCB },
	{ "launch_mit_vector", 0x1F8, 8, F_OPT_U64 },
	{ "current_mit_vector", 0x200, 8, F_OPT_U64 },
	{ "signature", 0x2A0, 144, F_SIG },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- report → JSON ---- */

static json_t *bytes_json(const uint8_t *p, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_integer(p[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *tcb_json(const struct vhsm_tcb *t)
{
	return json_pack("{s:o,s:i,s:i,s:i,s:i}",
			 "fmc", t->turin ? json_integer(t->fmc) : json_null(),
			 "bootloader", t->bl, "tee", t->tee, "snp", t->snp,
			 "microcode", t->ucode);
}

static const struct vhsm_tcb *tcb_at(const struct vhsm_report *r, unsigned int off)
{
	switch (off) {
	case 0x038: return &r->current_tcb;
	case 0x180: return &r->reported_tcb;
	case 0x1E0: return &r->committed_tcb;
	default: return &r->launch_tcb;
	}
}

static json_t *field_json(const struct vhsm_report *r, const struct field *f)
{
	const uint8_t *p = r->raw + f->off;
	uint64_t v;

	switch (f->kind) {
	case F_U8:
	case F_U32:
	case F_U64:
		v = get_le(p, f->len);
		return v > INT64_MAX ? NULL : json_integer((json_int_t)v);
	case F_OPT_U8:
		return r->has_cpuid ? json_integer(*p) : json_null();
	case F_OPT_U64:
		v = get_le(p, f->len);
		if (!r->has_mit_vector)
			return json_null();
		return v > INT64_MAX ? NULL : json_integer((json_int_t)v);
	case F_BYTES:
		return bytes_json(p, f->len);
	case F_TCB:
		return tcb_json(tcb_at(r, f->off));
	case F_VERSION:
		return json_pack("{s:i,s:i,s:i}", "major", p[2], "minor", p[1], "build", p[0]);
	case F_SIG:
		return json_pack("{s:o,s:o}", "r", bytes_json(p, 72), "s", bytes_json(p + 72, 72));
	}
	return NULL;
}

static json_t *report_json(const struct vhsm_report *r, int *err)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < N_FIELDS; i++) {
		json_t *v = field_json(r, &fields[i]);

		if (!v || json_object_set_new(o, fields[i].name, v)) {
			*err = !v && (fields[i].kind == F_U64 || fields[i].kind == F_OPT_U64) ?
			       -ERANGE : -ENOMEM;
			json_decref(o);
			return NULL;
		}
	}
	if (!o)
		*err = -ENOMEM;
	return o;
}

static json_t *cert_type_json(const struct vhsm_cert_entry *e)
{
	static const char *const names[] = {
		[VHSM_CERT_VCEK] = "VCEK", [VHSM_CERT_VLEK] = "VLEK",
		[VHSM_CERT_ASK] = "ASK", [VHSM_CERT_ARK] = "ARK",
	};
	const uint8_t *g = e->guid;
	char uuid[37];

	if (e->type != VHSM_CERT_OTHER)
		return json_string(names[e->type]);
	snprintf(uuid, sizeof(uuid), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4], g[5], g[6],
		 g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	return json_pack("{s:s}", "OTHER", uuid);
}

static int chain_json(const void *certs, size_t certs_len, json_t **out)
{
	struct vhsm_certtable t;
	json_t *a;
	size_t i;
	int err;

	*out = NULL;
	if (!certs || !certs_len) {
		*out = json_null();
		return 0;
	}
	err = vhsm_certtable_parse(certs, certs_len, &t);
	if (err)
		return err;
	a = json_array();
	for (i = 0; a && i < t.n; i++) {
		json_t *e = json_pack("{s:o,s:o}", "cert_type", cert_type_json(&t.entries[i]),
				      "data", bytes_json(t.entries[i].data, t.entries[i].len));

		if (!e || json_array_append_new(a, e)) {
			json_decref(a);
			a = NULL;
		}
	}
	vhsm_certtable_free(&t);
	*out = a;
	return a ? 0 : -ENOMEM;
}

int vhsm_kbs_evidence_json(const void *report, size_t report_len,
			   const void *certs, size_t certs_len, char **out)
{
	struct vhsm_report *r;
	json_t *rep, *chain, *ev;
	int err;

	if (!report || !out || (!certs && certs_len))
		return -EINVAL;
	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = vhsm_report_parse(report, report_len, r);
	if (err)
		goto out;
	err = chain_json(certs, certs_len, &chain);
	if (err)
		goto out;
	rep = report_json(r, &err);
	if (!rep) {
		json_decref(chain);
		goto out;
	}
	ev = json_pack("{s:o,s:o}", "attestation_report", rep, "cert_chain", chain);
	*out = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	err = *out ? 0 : -ENOMEM;
	json_decref(ev);
out:
	free(r);
	return err;
}

/* ---- JSON → report ---- */

static int get_uint(const json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -EBADMSG;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -EBADMSG;
	*out = (uint64_t)i;
	return 0;
}

static int get_bytes(const json_t *a, uint8_t *dst, size_t n)
{
	size_t i;
	uint64_t b;

	if (!json_is_array(a) || json_array_size(a) != n)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		if (get_uint(json_array_get(a, i), 0xff, &b))
			return -EBADMSG;
		dst[i] = (uint8_t)b;
	}
	return 0;
}

static int get_member(const json_t *o, const char *k, uint64_t max, uint64_t *out)
{
	return get_uint(json_object_get(o, k), max, out);
}

/* [bl,tee,0,0,0,0,snp,ucode], or on Turin [fmc,bl,tee,snp,0,0,0,ucode] */
static int put_tcb(const json_t *t, bool turin, uint8_t *p)
{
	uint64_t fmc = 0, bl, tee, snp, uc;
	const json_t *jf = json_object_get(t, "fmc");

	if (!json_is_object(t) || get_member(t, "bootloader", 0xff, &bl) ||
	    get_member(t, "tee", 0xff, &tee) || get_member(t, "snp", 0xff, &snp) ||
	    get_member(t, "microcode", 0xff, &uc))
		return -EBADMSG;
	if (turin ? get_uint(jf, 0xff, &fmc) : (jf && !json_is_null(jf)))
		return -EBADMSG;
	memset(p, 0, 8);
	if (turin) {
		p[0] = (uint8_t)fmc;
		p[1] = (uint8_t)bl;
		p[2] = (uint8_t)tee;
		p[3] = (uint8_t)snp;
	} else {
		p[0] = (uint8_t)bl;
		p[1] = (uint8_t)tee;
		p[6] = (uint8_t)snp;
	}
	p[7] = (uint8_t)uc;
	return 0;
}

static int put_field(const json_t *rep, const struct field *f, bool turin, uint8_t *b)
{
	const json_t *v = json_object_get(rep, f->name);
	uint8_t *p = b + f->off;
	uint64_t x, maj, min, bld;

	switch (f->kind) {
	case F_OPT_U8:
	case F_OPT_U64:
		if (!v || json_is_null(v))
			return 0;
		/* fall through */
	case F_U8:
	case F_U32:
	case F_U64:
		if (get_uint(v, f->len == 8 ? INT64_MAX : (1ULL << (8 * f->len)) - 1, &x))
			return -EBADMSG;
		put_le(p, x, f->len);
		return 0;
	case F_BYTES:
		return get_bytes(v, p, f->len);
	case F_TCB:
		return put_tcb(v, turin, p);
	case F_VERSION:
		if (!json_is_object(v) || get_member(v, "major", 0xff, &maj) ||
		    get_member(v, "minor", 0xff, &min) || get_member(v, "build", 0xff, &bld))
			return -EBADMSG;
		p[0] = (uint8_t)bld;
		p[1] = (uint8_t)min;
		p[2] = (uint8_t)maj;
		return 0;
	case F_SIG:
		if (!json_is_object(v) || get_bytes(json_object_get(v, "r"), p, 72) ||
		    get_bytes(json_object_get(v, "s"), p + 72, 72))
			return -EBADMSG;
		return 0;
	}
	return -EBADMSG;
}

/* The TCB layout: Turin when CPUID family is 0x1A (v3+ reports). */
static bool rep_is_turin(const json_t *rep)
{
	const json_t *fam = json_object_get(rep, "cpuid_fam_id");

	return json_is_integer(fam) && json_integer_value(fam) == 0x1A;
}

static int parse_report(const json_t *rep, uint8_t *b)
{
	bool turin = rep_is_turin(rep);
	size_t i;

	if (!json_is_object(rep))
		return -EBADMSG;
	memset(b, 0, VHSM_KBS_SNP_REPORT_LEN);
	for (i = 0; i < N_FIELDS; i++)
		if (put_field(rep, &fields[i], turin, b))
			return -EBADMSG;
	return 0;
}

static enum vhsm_kbs_cert_type cert_type(const json_t *t)
{
	static const struct {
		const char *name;
		enum vhsm_kbs_cert_type type;
	} names[] = {
		{ "ARK", VHSM_KBS_CERT_ARK }, { "ASK", VHSM_KBS_CERT_ASK },
		{ "VCEK", VHSM_KBS_CERT_VCEK }, { "VLEK", VHSM_KBS_CERT_VLEK },
		{ "CRL", VHSM_KBS_CERT_OTHER }, { "Empty", VHSM_KBS_CERT_OTHER },
	};
	const char *s = json_string_value(t);
	size_t i;

	if (!s)	/* {"OTHER": "<uuid>"} */
		return json_is_string(json_object_get(t, "OTHER")) &&
		       json_object_size(t) == 1 ? VHSM_KBS_CERT_OTHER : (enum vhsm_kbs_cert_type)-1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].type;
	return (enum vhsm_kbs_cert_type)-1;
}

static int parse_chain(const json_t *chain, struct vhsm_kbs_evidence_parsed *out)
{
	size_t i, n;

	if (!chain || json_is_null(chain))
		return 0;
	if (!json_is_array(chain))
		return -EBADMSG;
	n = json_array_size(chain);
	if (n > VHSM_KBS_MAX_CERTS)
		return -E2BIG;
	out->certs = calloc(n ? n : 1, sizeof(*out->certs));
	if (!out->certs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const json_t *e = json_array_get(chain, i);
		const json_t *data = json_object_get(e, "data");
		struct vhsm_kbs_cert *c = &out->certs[i];
		size_t len = json_array_size(data);

		c->type = cert_type(json_object_get(e, "cert_type"));
		if ((int)c->type < 0 || !json_is_array(data) || !len || len > KBS_MAX_CERT_LEN)
			return -EBADMSG;
		c->der = malloc(len);
		if (!c->der)
			return -ENOMEM;
		out->n_certs = i + 1;
		c->len = len;
		if (get_bytes(data, c->der, len))
			return -EBADMSG;
	}
	return 0;
}

int vhsm_kbs_evidence_parse(const char *json, struct vhsm_kbs_evidence_parsed *out)
{
	json_t *ev;
	int err;

	if (!json || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	ev = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(ev)) {
		json_decref(ev);
		return -EBADMSG;
	}
	err = parse_report(json_object_get(ev, "attestation_report"), out->report);
	if (!err)
		err = parse_chain(json_object_get(ev, "cert_chain"), out);
	json_decref(ev);
	if (err)
		vhsm_kbs_evidence_free(out);
	return err;
}

void vhsm_kbs_evidence_free(struct vhsm_kbs_evidence_parsed *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < ev->n_certs; i++)
		free(ev->certs[i].der);
	free(ev->certs);
	memset(ev, 0, sizeof(*ev));
}
