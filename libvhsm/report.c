// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SEV-SNP ATTESTATION_REPORT parser, claims as JSON, and the GHCB
 * certificate-table parser.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report_internal.h"

/* ---- little-endian readers ---- */

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* ---- products and TCB ---- */

enum vhsm_product vhsm_report_product_from_cpuid(uint8_t fam, uint8_t model)
{
	if (fam == 0x1A)
		return VHSM_PRODUCT_TURIN;
	if (fam != 0x19)
		return VHSM_PRODUCT_UNKNOWN;
	if (model <= 0x0F)
		return VHSM_PRODUCT_MILAN;
	if ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF))
		return VHSM_PRODUCT_GENOA;
	return VHSM_PRODUCT_UNKNOWN;
}

static const char *const product_names[] = {
	[VHSM_PRODUCT_UNKNOWN] = "unknown",
	[VHSM_PRODUCT_MILAN] = "Milan",
	[VHSM_PRODUCT_GENOA] = "Genoa",
	[VHSM_PRODUCT_TURIN] = "Turin",
};

const char *vhsm_report_product_name(enum vhsm_product p)
{
	if ((unsigned int)p >= sizeof(product_names) / sizeof(product_names[0]))
		return "unknown";
	return product_names[p];
}

enum vhsm_product vhsm_report_product_from_name(const char *name)
{
	enum vhsm_product p;

	if (!name)
		return VHSM_PRODUCT_UNKNOWN;
	for (p = VHSM_PRODUCT_MILAN; p <= VHSM_PRODUCT_TURIN; p++) {
		size_t n = strlen(product_names[p]);

		if (strncmp(name, product_names[p], n) == 0 &&
		    (name[n] == '\0' || name[n] == '-'))
			return p;
	}
	return VHSM_PRODUCT_UNKNOWN;
}

void vhsm_report_tcb_decode(uint64_t raw, bool turin, struct vhsm_tcb *out)
{
	memset(out, 0, sizeof(*out));
	out->raw = raw;
	out->turin = turin;
	if (turin) {
		out->fmc = raw & 0xff;
		out->bl = (raw >> 8) & 0xff;
		out->tee = (raw >> 16) & 0xff;
		out->snp = (raw >> 24) & 0xff;
	} else {
		out->bl = raw & 0xff;
		out->tee = (raw >> 8) & 0xff;
		out->snp = (raw >> 48) & 0xff;
	}
	out->ucode = (raw >> 56) & 0xff;
}

static void decode_all_tcbs(struct vhsm_report *r)
{
	bool turin = r->product == VHSM_PRODUCT_TURIN;

	vhsm_report_tcb_decode(r->current_tcb.raw, turin, &r->current_tcb);
	vhsm_report_tcb_decode(r->reported_tcb.raw, turin, &r->reported_tcb);
	vhsm_report_tcb_decode(r->committed_tcb.raw, turin, &r->committed_tcb);
	vhsm_report_tcb_decode(r->launch_tcb.raw, turin, &r->launch_tcb);
}

int vhsm_report_set_product(struct vhsm_report *r, enum vhsm_product p)
{
	if (!r || r->size < VHSM_REPORT_STRUCT_MIN || (unsigned int)p > VHSM_PRODUCT_TURIN)
		return -EINVAL;
	r->product = p;
	decode_all_tcbs(r);
	return 0;
}

/* ---- report parser ---- */

static void parse_header(const uint8_t *b, struct vhsm_report *r)
{
	r->version = get_le32(b + 0x000);
	r->guest_svn = get_le32(b + 0x004);
	r->policy = get_le64(b + 0x008);
	memcpy(r->family_id, b + 0x010, sizeof(r->family_id));
	memcpy(r->image_id, b + 0x020, sizeof(r->image_id));
	r->vmpl = get_le32(b + 0x030);
	r->sig_algo = get_le32(b + 0x034);
	r->current_tcb.raw = get_le64(b + 0x038);
	r->platform_info = get_le64(b + 0x040);
	r->key_info = get_le32(b + 0x048);
	r->author_key_en = r->key_info & 1;
	r->mask_chip_key = (r->key_info >> 1) & 1;
	r->signing_key = (r->key_info >> 2) & 7;
}

static void parse_body(const uint8_t *b, struct vhsm_report *r)
{
	memcpy(r->report_data, b + 0x050, sizeof(r->report_data));
	memcpy(r->measurement, b + 0x090, sizeof(r->measurement));
	memcpy(r->host_data, b + 0x0C0, sizeof(r->host_data));
	memcpy(r->id_key_digest, b + 0x0E0, sizeof(r->id_key_digest));
	memcpy(r->author_key_digest, b + 0x110, sizeof(r->author_key_digest));
	memcpy(r->report_id, b + 0x140, sizeof(r->report_id));
	memcpy(r->report_id_ma, b + 0x160, sizeof(r->report_id_ma));
	r->reported_tcb.raw = get_le64(b + 0x180);
	if (r->version >= 3) {
		r->has_cpuid = true;
		r->cpuid_fam_id = b[0x188];
		r->cpuid_mod_id = b[0x189];
		r->cpuid_step = b[0x18A];
	}
	memcpy(r->chip_id, b + 0x1A0, sizeof(r->chip_id));
	r->committed_tcb.raw = get_le64(b + 0x1E0);
	r->current_build = b[0x1E8];
	r->current_minor = b[0x1E9];
	r->current_major = b[0x1EA];
	r->committed_build = b[0x1EC];
	r->committed_minor = b[0x1ED];
	r->committed_major = b[0x1EE];
	r->launch_tcb.raw = get_le64(b + 0x1F0);
	if (r->version >= 5) {
		r->has_mit_vector = true;
		r->launch_mit_vector = get_le64(b + 0x1F8);
		r->current_mit_vector = get_le64(b + 0x200);
	}
	memcpy(r->sig_r, b + 0x2A0, sizeof(r->sig_r));
	memcpy(r->sig_s, b + 0x2E8, sizeof(r->sig_s));
}

int vhsm_report_parse_size(const void *buf, size_t len, struct vhsm_report *out,
			   size_t size)
{
	const uint8_t *b = buf;
	uint32_t version;

	/* every field of this version is within VHSM_REPORT_STRUCT_MIN */
	if (!buf || !out || size < VHSM_REPORT_STRUCT_MIN)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->size = (uint32_t)size;
	if (len < VHSM_REPORT_SIZE)
		return -EINVAL;
	version = get_le32(b);
	if (version < VHSM_REPORT_MIN_VERSION || version > VHSM_REPORT_MAX_VERSION)
		return -EPROTO;

	memcpy(out->raw, b, VHSM_REPORT_SIZE);
	parse_header(b, out);
	parse_body(b, out);
	/*
	 * v2 reports carry no CPUID; Turin firmware never emits v2, so the
	 * Milan/Genoa TCB layout is used until the product is known.
	 */
	if (out->has_cpuid)
		out->product = vhsm_report_product_from_cpuid(out->cpuid_fam_id,
							      out->cpuid_mod_id);
	decode_all_tcbs(out);
	return 0;
}

/* ---- JSON claims ---- */

static json_t *hex_json(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	json_t *j;
	char *s;
	size_t i;

	s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	j = json_string(s);
	free(s);
	return j;
}

static json_t *u64_hex_json(uint64_t v)
{
	char s[19];

	snprintf(s, sizeof(s), "0x%016" PRIx64, v);
	return json_string(s);
}

/* Reverse the first 48 bytes of a little-endian signature component. */
static json_t *sig_json(const uint8_t le[72])
{
	uint8_t be[48];
	size_t i;

	for (i = 0; i < sizeof(be); i++)
		be[i] = le[47 - i];
	return hex_json(be, sizeof(be));
}

/* json_object_set_new() that remembers the first failure. */
static void set(json_t *o, const char *key, json_t *v, int *err)
{
	if (!v || json_object_set_new(o, key, v))
		*err = -ENOMEM;
}

static json_t *tcb_json(const struct vhsm_tcb *t)
{
	json_t *o = json_object();
	int err = 0;

	if (!o)
		return NULL;
	set(o, "raw", u64_hex_json(t->raw), &err);
	if (t->turin)
		set(o, "fmc", json_integer(t->fmc), &err);
	set(o, "bl", json_integer(t->bl), &err);
	set(o, "tee", json_integer(t->tee), &err);
	set(o, "snp", json_integer(t->snp), &err);
	set(o, "ucode", json_integer(t->ucode), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct bit_name {
	uint64_t bit;
	const char *name;
};

static const struct bit_name policy_bits[] = {
	{ VHSM_POLICY_SMT, "smt" },
	{ VHSM_POLICY_MIGRATE_MA, "migrate_ma" },
	{ VHSM_POLICY_DEBUG, "debug" },
	{ VHSM_POLICY_SINGLE_SOCKET, "single_socket" },
	{ VHSM_POLICY_CXL_ALLOW, "cxl_allow" },
	{ VHSM_POLICY_MEM_AES_256_XTS, "mem_aes_256_xts" },
	{ VHSM_POLICY_RAPL_DIS, "rapl_dis" },
	{ VHSM_POLICY_CIPHERTEXT_HIDING, "ciphertext_hiding" },
	{ VHSM_POLICY_PAGE_SWAP_DISABLE, "page_swap_disable" },
};

static const struct bit_name platform_bits[] = {
	{ VHSM_PLATFORM_SMT_EN, "smt_en" },
	{ VHSM_PLATFORM_TSME_EN, "tsme_en" },
	{ VHSM_PLATFORM_ECC_EN, "ecc_en" },
	{ VHSM_PLATFORM_RAPL_DIS, "rapl_dis" },
	{ VHSM_PLATFORM_CIPHERTEXT_HIDING_EN, "ciphertext_hiding_dram_en" },
	{ VHSM_PLATFORM_ALIAS_CHECK_COMPLETE, "alias_check_complete" },
	{ VHSM_PLATFORM_TIO_EN, "tio_en" },
};

const char *vhsm_report_bit_name(enum vhsm_report_bits field, unsigned int bit)
{
	const struct bit_name *names;
	size_t i, n;

	switch (field) {
	case VHSM_REPORT_BITS_POLICY:
		names = policy_bits;
		n = sizeof(policy_bits) / sizeof(policy_bits[0]);
		break;
	case VHSM_REPORT_BITS_PLATFORM_INFO:
		names = platform_bits;
		n = sizeof(platform_bits) / sizeof(platform_bits[0]);
		break;
	default:
		return NULL;
	}
	if (bit >= 64)
		return NULL;
	for (i = 0; i < n; i++)
		if (names[i].bit == 1ULL << bit)
			return names[i].name;
	return NULL;
}

static json_t *bits_json(uint64_t v, const struct bit_name *names, size_t n)
{
	json_t *o = json_object();
	int err = 0;
	size_t i;

	if (!o)
		return NULL;
	set(o, "raw", u64_hex_json(v), &err);
	for (i = 0; i < n; i++)
		set(o, names[i].name, json_boolean(v & names[i].bit), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *policy_json(uint64_t policy)
{
	json_t *o = bits_json(policy, policy_bits,
			      sizeof(policy_bits) / sizeof(policy_bits[0]));
	int err = 0;

	if (!o)
		return NULL;
	set(o, "abi_major", json_integer(VHSM_POLICY_ABI_MAJOR(policy)), &err);
	set(o, "abi_minor", json_integer(VHSM_POLICY_ABI_MINOR(policy)), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *signing_key_name(uint8_t k)
{
	switch (k) {
	case VHSM_SIGNING_KEY_VCEK:
		return "vcek";
	case VHSM_SIGNING_KEY_VLEK:
		return "vlek";
	case VHSM_SIGNING_KEY_NONE:
		return "none";
	default:
		return "reserved";
	}
}

static json_t *key_info_json(const struct vhsm_report *r)
{
	json_t *o = json_object();
	int err = 0;

	if (!o)
		return NULL;
	set(o, "author_key_en", json_boolean(r->author_key_en), &err);
	set(o, "mask_chip_key", json_boolean(r->mask_chip_key), &err);
	set(o, "signing_key", json_string(signing_key_name(r->signing_key)), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *version_json(uint8_t major, uint8_t minor, uint8_t build)
{
	char s[16];

	snprintf(s, sizeof(s), "%u.%u.%u", major, minor, build);
	return json_string(s);
}

static json_t *cpuid_json(const struct vhsm_report *r)
{
	json_t *o = json_object();
	int err = 0;

	if (!o)
		return NULL;
	set(o, "family", json_integer(r->cpuid_fam_id), &err);
	set(o, "model", json_integer(r->cpuid_mod_id), &err);
	set(o, "stepping", json_integer(r->cpuid_step), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *signature_json(const struct vhsm_report *r)
{
	json_t *o = json_object();
	int err = 0;

	if (!o)
		return NULL;
	set(o, "algo", json_integer(r->sig_algo), &err);
	set(o, "r", sig_json(r->sig_r), &err);
	set(o, "s", sig_json(r->sig_s), &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

#define SET_HEX(o, r, field, err) \
	set(o, #field, hex_json((r)->field, sizeof((r)->field)), err)

static void claims_ids(json_t *o, const struct vhsm_report *r, int *err)
{
	set(o, "version", json_integer(r->version), err);
	set(o, "product", json_string(vhsm_report_product_name(r->product)), err);
	set(o, "guest_svn", json_integer(r->guest_svn), err);
	set(o, "policy", policy_json(r->policy), err);
	SET_HEX(o, r, family_id, err);
	SET_HEX(o, r, image_id, err);
	set(o, "vmpl", json_integer(r->vmpl), err);
	set(o, "platform_info", bits_json(r->platform_info, platform_bits,
		sizeof(platform_bits) / sizeof(platform_bits[0])), err);
	set(o, "key_info", key_info_json(r), err);
	SET_HEX(o, r, report_data, err);
	SET_HEX(o, r, measurement, err);
	SET_HEX(o, r, host_data, err);
	SET_HEX(o, r, id_key_digest, err);
	SET_HEX(o, r, author_key_digest, err);
	SET_HEX(o, r, report_id, err);
	SET_HEX(o, r, report_id_ma, err);
	SET_HEX(o, r, chip_id, err);
	if (r->has_cpuid)
		set(o, "cpuid", cpuid_json(r), err);
}

static void claims_tcb(json_t *o, const struct vhsm_report *r, int *err)
{
	set(o, "current_tcb", tcb_json(&r->current_tcb), err);
	set(o, "reported_tcb", tcb_json(&r->reported_tcb), err);
	set(o, "committed_tcb", tcb_json(&r->committed_tcb), err);
	set(o, "launch_tcb", tcb_json(&r->launch_tcb), err);
	set(o, "current_version", version_json(r->current_major,
		r->current_minor, r->current_build), err);
	set(o, "committed_version", version_json(r->committed_major,
		r->committed_minor, r->committed_build), err);
	if (r->has_mit_vector) {
		set(o, "launch_mit_vector", u64_hex_json(r->launch_mit_vector), err);
		set(o, "current_mit_vector", u64_hex_json(r->current_mit_vector), err);
	}
	set(o, "signature", signature_json(r), err);
}

json_t *_vhsm_report_claims_json(const struct vhsm_report *r)
{
	json_t *o = json_object();
	int err = 0;

	if (!o)
		return NULL;
	claims_ids(o, r, &err);
	claims_tcb(o, r, &err);
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int vhsm_report_to_json(const struct vhsm_report *r, char **out)
{
	json_t *o;
	int err = 0;

	if (!r || !out || r->size < VHSM_REPORT_STRUCT_MIN)
		return -EINVAL;
	*out = NULL;
	o = _vhsm_report_claims_json(r);
	if (!o)
		return -ENOMEM;
	if (!err) {
		*out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		if (!*out)
			err = -ENOMEM;
	}
	json_decref(o);
	return err;
}

/* ---- certificate table ---- */

#define CERT_ENTRY_SIZE 24

/* RFC 4122 (string) byte order, as written by the host tools. */
static const struct {
	enum vhsm_cert_type type;
	uint8_t guid[16];
} known_guids[] = {
	{ VHSM_CERT_VCEK, { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
			    0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd } },
	{ VHSM_CERT_VLEK, { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
			    0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 } },
	{ VHSM_CERT_ASK, { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
			   0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 } },
	{ VHSM_CERT_ARK, { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
			   0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae } },
};

static enum vhsm_cert_type guid_type(const uint8_t guid[16])
{
	size_t i;

	for (i = 0; i < sizeof(known_guids) / sizeof(known_guids[0]); i++)
		if (!memcmp(guid, known_guids[i].guid, 16))
			return known_guids[i].type;
	return VHSM_CERT_OTHER;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Number of entries before the terminator, or -errno. */
static int count_entries(const uint8_t *b, size_t len)
{
	size_t n;

	for (n = 0; (n + 1) * CERT_ENTRY_SIZE <= len; n++) {
		const uint8_t *e = b + n * CERT_ENTRY_SIZE;

		if (all_zero(e, CERT_ENTRY_SIZE))
			return (int)n;
		if (all_zero(e, 16))
			return -EBADMSG;	/* zero GUID, non-zero offset/len */
		if (n >= VHSM_CERTTABLE_MAX_ENTRIES)
			return -E2BIG;
	}
	return -EBADMSG;			/* no terminator */
}

static bool ranges_overlap(const struct vhsm_cert_entry *a,
			   const struct vhsm_cert_entry *b)
{
	uint64_t a_end = (uint64_t)a->offset + a->len;
	uint64_t b_end = (uint64_t)b->offset + b->len;

	return a->offset < b_end && b->offset < a_end;
}

static int check_entry(const struct vhsm_cert_entry *e, size_t table_end,
		       size_t len, const struct vhsm_cert_entry *prev, size_t n)
{
	size_t i;

	if (e->len == 0 || e->offset < table_end ||
	    (uint64_t)e->offset + e->len > len)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		if (ranges_overlap(e, &prev[i]))
			return -EBADMSG;
		if (e->type != VHSM_CERT_OTHER && e->type == prev[i].type)
			return -EBADMSG;
	}
	return 0;
}

int vhsm_certtable_parse(const void *buf, size_t len, struct vhsm_certtable *out)
{
	const uint8_t *b = buf;
	struct vhsm_cert_entry *ents;
	size_t i, table_end;
	int n, err;

	if (!buf || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	n = count_entries(b, len);
	if (n < 0)
		return n;
	table_end = ((size_t)n + 1) * CERT_ENTRY_SIZE;
	ents = calloc(n ? n : 1, sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	for (i = 0; i < (size_t)n; i++) {
		const uint8_t *e = b + i * CERT_ENTRY_SIZE;

		memcpy(ents[i].guid, e, 16);
		ents[i].type = guid_type(e);
		ents[i].offset = get_le32(e + 16);
		ents[i].len = get_le32(e + 20);
		err = check_entry(&ents[i], table_end, len, ents, i);
		if (err) {
			free(ents);
			return err;
		}
		ents[i].data = b + ents[i].offset;
	}
	out->n = (size_t)n;
	out->entries = ents;
	return 0;
}

const struct vhsm_cert_entry *vhsm_certtable_find(const struct vhsm_certtable *t,
						  enum vhsm_cert_type type)
{
	size_t i;

	if (!t)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->entries[i].type == type)
			return &t->entries[i];
	return NULL;
}

void vhsm_certtable_free(struct vhsm_certtable *t)
{
	if (!t)
		return;
	free(t->entries);
	t->entries = NULL;
	t->n = 0;
}
