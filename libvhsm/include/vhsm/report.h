/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vhsm/report.h - AMD SEV-SNP attestation report parser and verifier.
 *
 * All functions return 0 on success or a negative errno; the library never
 * prints anything.  Byte arrays are kept in report (wire) order, integers
 * are converted to host endianness.
 *
 * ABI.  The structs a program hands to or gets from the library
 * (struct vhsm_report, vhsm_policy, vhsm_verify_opts, vhsm_verify_result)
 * start with "uint32_t size", as the kernel uapi does: the caller sets it to
 * sizeof the struct it was compiled with (vhsm_report_parse(),
 * vhsm_policy_init(), VHSM_VERIFY_OPTS_INIT and VHSM_VERIFY_RESULT_INIT do
 * it), new fields are only ever appended, and the library reads a field
 * past @size as zero (its default) and never writes past @size.  So a
 * program built against this header keeps working with a later libvhsm
 * that has more fields.  A @size smaller than the first version of the
 * struct (VHSM_0.4) is -EINVAL.
 *
 * Threads.  Every function here may be called from several threads at once
 * on different objects, and vhsm_verify_report()/vhsm_verify_report_bytes()
 * also on the same (read-only) opts and policy.  The verifier keeps one
 * process-wide certificate cache (parsed VCEKs, verified chains, the
 * built-in AMD roots) behind a mutex, so concurrent verifications share it
 * safely.  A struct that a call writes (a policy being built, a result) must
 * not be used by another thread during that call.
 */
#ifndef VHSM_REPORT_H
#define VHSM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VHSM_REPORT_SIZE	0x4A0	/* size of an ATTESTATION_REPORT */
#define VHSM_REPORT_SIGNED_SIZE	0x2A0	/* bytes covered by the signature */
#define VHSM_REPORT_MIN_VERSION	2
#define VHSM_REPORT_MAX_VERSION	5

/* GUEST POLICY bits */
#define VHSM_POLICY_ABI_MINOR(p)	((unsigned int)((p) & 0xff))
#define VHSM_POLICY_ABI_MAJOR(p)	((unsigned int)(((p) >> 8) & 0xff))
#define VHSM_POLICY_SMT			(1ULL << 16)
#define VHSM_POLICY_RSVD1		(1ULL << 17)	/* must be 1 */
#define VHSM_POLICY_MIGRATE_MA		(1ULL << 18)
#define VHSM_POLICY_DEBUG		(1ULL << 19)
#define VHSM_POLICY_SINGLE_SOCKET	(1ULL << 20)
#define VHSM_POLICY_CXL_ALLOW		(1ULL << 21)
#define VHSM_POLICY_MEM_AES_256_XTS	(1ULL << 22)
#define VHSM_POLICY_RAPL_DIS		(1ULL << 23)
#define VHSM_POLICY_CIPHERTEXT_HIDING	(1ULL << 24)
#define VHSM_POLICY_PAGE_SWAP_DISABLE	(1ULL << 25)

/* PLATFORM_INFO bits */
#define VHSM_PLATFORM_SMT_EN			(1ULL << 0)
#define VHSM_PLATFORM_TSME_EN			(1ULL << 1)
#define VHSM_PLATFORM_ECC_EN			(1ULL << 2)
#define VHSM_PLATFORM_RAPL_DIS			(1ULL << 3)
#define VHSM_PLATFORM_CIPHERTEXT_HIDING_EN	(1ULL << 4)
#define VHSM_PLATFORM_ALIAS_CHECK_COMPLETE	(1ULL << 5)
#define VHSM_PLATFORM_TIO_EN			(1ULL << 7)

/* KEY_INFO.SIGNING_KEY values */
#define VHSM_SIGNING_KEY_VCEK	0
#define VHSM_SIGNING_KEY_VLEK	1
#define VHSM_SIGNING_KEY_NONE	7

enum vhsm_product {
	VHSM_PRODUCT_UNKNOWN = 0,
	VHSM_PRODUCT_MILAN,
	VHSM_PRODUCT_GENOA,
	VHSM_PRODUCT_TURIN,
};

/**
 * struct vhsm_tcb - a TCB_VERSION decoded into named parts
 * @raw:   the little-endian u64 as found in the report
 * @turin: true when decoded with the Turin layout [fmc,bl,tee,snp,0,0,0,ucode],
 *         false for the Milan/Genoa layout [bl,tee,0,0,0,0,snp,ucode]
 * @fmc:   FMC SPL (Turin only, 0 otherwise)
 * @bl:    boot loader SPL
 * @tee:   TEE (PSP OS) SPL
 * @snp:   SNP firmware SPL
 * @ucode: microcode SPL
 */
struct vhsm_tcb {
	uint64_t raw;
	bool turin;
	uint8_t fmc;
	uint8_t bl;
	uint8_t tee;
	uint8_t snp;
	uint8_t ucode;
};

/**
 * struct vhsm_report - a parsed ATTESTATION_REPORT
 *
 * Field names follow the SNP ABI.  @has_cpuid is set for v3+ reports (the
 * cpuid_* fields are zero otherwise), @has_mit_vector for v5 reports.
 * @sig_r and @sig_s are the raw 72-byte little-endian fields of the report.
 * @raw keeps the report bytes as received; the signature is checked over
 * raw[0x000..0x29F].  @product is derived from the CPUID fields (v3+) and is
 * VHSM_PRODUCT_UNKNOWN for v2 reports until vhsm_report_set_product() is
 * called (the verifier does this from the VCEK productName).  @size is
 * sizeof(struct vhsm_report) as the caller was compiled (set by
 * vhsm_report_parse()).
 */
struct vhsm_report {
	uint32_t size;
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;
	uint32_t sig_algo;
	struct vhsm_tcb current_tcb;
	uint64_t platform_info;
	uint32_t key_info;
	bool author_key_en;
	bool mask_chip_key;
	uint8_t signing_key;
	uint8_t report_data[64];
	uint8_t measurement[48];
	uint8_t host_data[32];
	uint8_t id_key_digest[48];
	uint8_t author_key_digest[48];
	uint8_t report_id[32];
	uint8_t report_id_ma[32];
	struct vhsm_tcb reported_tcb;
	bool has_cpuid;
	uint8_t cpuid_fam_id;
	uint8_t cpuid_mod_id;
	uint8_t cpuid_step;
	uint8_t chip_id[64];
	struct vhsm_tcb committed_tcb;
	uint8_t current_build;
	uint8_t current_minor;
	uint8_t current_major;
	uint8_t committed_build;
	uint8_t committed_minor;
	uint8_t committed_major;
	struct vhsm_tcb launch_tcb;
	bool has_mit_vector;
	uint64_t launch_mit_vector;
	uint64_t current_mit_vector;
	uint8_t sig_r[72];
	uint8_t sig_s[72];
	enum vhsm_product product;
	uint8_t raw[VHSM_REPORT_SIZE];
};

/**
 * vhsm_report_parse() - parse a raw attestation report
 * @buf: report bytes
 * @len: length of @buf; must be at least VHSM_REPORT_SIZE, bytes past
 *       VHSM_REPORT_SIZE are ignored
 * @out: filled on success (left zeroed on failure)
 *
 * v2 reports carry no CPUID: their product is VHSM_PRODUCT_UNKNOWN and their
 * TCBs are decoded with the Milan/Genoa layout (Turin firmware only emits
 * v3+).  Reserved and MBZ fields are not checked here.
 *
 * Return: 0 on success;
 *  -EINVAL if @buf or @out is NULL or @len < VHSM_REPORT_SIZE;
 *  -EPROTO if the VERSION field is outside 2..5.
 */
static inline int vhsm_report_parse(const void *buf, size_t len, struct vhsm_report *out);

/* vhsm_report_parse() for a struct of @size bytes (what the inline passes). */
int vhsm_report_parse_size(const void *buf, size_t len, struct vhsm_report *out,
			   size_t size);

static inline int vhsm_report_parse(const void *buf, size_t len, struct vhsm_report *out)
{
	return vhsm_report_parse_size(buf, len, out, sizeof(*out));
}

/**
 * vhsm_report_product_from_cpuid() - map CPUID family/model to a product
 * @fam:   CPUID_FAM_ID (extended family + family)
 * @model: CPUID_MOD_ID (extended model << 4 | model)
 *
 * Family 0x19 model 0x00-0x0F is Milan, 0x10-0x1F and 0xA0-0xAF Genoa;
 * family 0x1A is Turin.
 *
 * Return: the product, VHSM_PRODUCT_UNKNOWN for anything else.
 */
enum vhsm_product vhsm_report_product_from_cpuid(uint8_t fam, uint8_t model);

/**
 * vhsm_report_product_from_name() - map a VCEK productName to a product
 * @name: e.g. "Milan-B0", "Genoa", "Turin-B0" (NULL allowed)
 *
 * Return: the product for a known "<Product>" or "<Product>-<stepping>",
 *  VHSM_PRODUCT_UNKNOWN otherwise.
 */
enum vhsm_product vhsm_report_product_from_name(const char *name);

/**
 * vhsm_report_product_name() - KDS name of a product
 * @p: product
 *
 * Return: "Milan", "Genoa", "Turin" or "unknown" (static string).
 */
const char *vhsm_report_product_name(enum vhsm_product p);

/**
 * vhsm_report_tcb_decode() - split a TCB_VERSION into named parts
 * @raw:   the u64 TCB value
 * @turin: use the Turin layout
 * @out:   decoded TCB
 */
void vhsm_report_tcb_decode(uint64_t raw, bool turin, struct vhsm_tcb *out);

/**
 * enum vhsm_report_bits - the report fields made of named bits
 * @VHSM_REPORT_BITS_POLICY:        the guest policy (VHSM_POLICY_*)
 * @VHSM_REPORT_BITS_PLATFORM_INFO: platform_info (VHSM_PLATFORM_*)
 */
enum vhsm_report_bits {
	VHSM_REPORT_BITS_POLICY,
	VHSM_REPORT_BITS_PLATFORM_INFO,
};

/**
 * vhsm_report_bit_name() - name of one bit of the policy or platform_info
 * @field: which field
 * @bit:   bit number, 0 for the least significant
 *
 * The names are the keys vhsm_report_to_json() gives these bits ("smt",
 * "debug", "tsme_en", ...). The policy ABI version and the must-be-one bit
 * 17 are not named bits.
 *
 * Return: a static string; NULL for a bit with no name or a bad @field.
 */
const char *vhsm_report_bit_name(enum vhsm_report_bits field, unsigned int bit);

/**
 * vhsm_report_set_product() - set the product and re-decode all TCB fields
 * @r: parsed report
 * @p: product (Turin selects the Turin TCB layout)
 *
 * Return: 0; -EINVAL if @r is NULL or @p is not a valid enum value.
 */
int vhsm_report_set_product(struct vhsm_report *r, enum vhsm_product p);

/**
 * vhsm_report_to_json() - report claims as a JSON object string
 * @r:   parsed report
 * @out: on success a NUL-terminated string the caller frees with free()
 *
 * Byte fields are lowercase hex strings, policy / platform_info bits are
 * named booleans, TCBs are objects with named parts, the signature is given
 * as big-endian hex r and s.
 *
 * Return: 0 on success; -EINVAL on NULL arguments; -ENOMEM on allocation
 *  failure.
 */
int vhsm_report_to_json(const struct vhsm_report *r, char **out);

/* ---- certificate table (SNP extended guest request) ---- */

enum vhsm_cert_type {
	VHSM_CERT_OTHER = 0,
	VHSM_CERT_VCEK,
	VHSM_CERT_VLEK,
	VHSM_CERT_ASK,
	VHSM_CERT_ARK,
};

/**
 * struct vhsm_cert_entry - one certificate-table entry
 * @type:   certificate type derived from @guid
 * @guid:   the 16 GUID bytes as stored (RFC 4122 / string byte order)
 * @offset: offset of the certificate from the start of the table
 * @len:    certificate length
 * @data:   pointer into the parsed buffer (valid while the buffer is)
 */
struct vhsm_cert_entry {
	enum vhsm_cert_type type;
	uint8_t guid[16];
	uint32_t offset;
	uint32_t len;
	const uint8_t *data;
};

struct vhsm_certtable {
	size_t n;
	struct vhsm_cert_entry *entries;
};

#define VHSM_CERTTABLE_MAX_ENTRIES 64

/**
 * vhsm_certtable_parse() - parse a GHCB certificate table
 * @buf: table followed by certificate data; offsets are relative to @buf
 * @len: length of @buf
 * @out: on success holds the entries (free with vhsm_certtable_free())
 *
 * Entries are a 16-byte GUID, u32 offset, u32 length (little-endian),
 * terminated by an all-zero entry.  Every certificate must lie inside
 * @buf, after the terminator, be non-empty and not overlap another one;
 * known GUIDs (VCEK, VLEK, ASK, ARK) may each occur only once.
 *
 * Return: 0 on success;
 *  -EINVAL on NULL arguments;
 *  -EBADMSG on a missing terminator, a zero GUID with non-zero offset or
 *   length, an empty, out-of-bounds or overlapping certificate, or a
 *   duplicate known GUID;
 *  -E2BIG if there are more than VHSM_CERTTABLE_MAX_ENTRIES entries;
 *  -ENOMEM on allocation failure.
 */
int vhsm_certtable_parse(const void *buf, size_t len, struct vhsm_certtable *out);

/**
 * vhsm_certtable_find() - first entry of a type
 * @t:    parsed table
 * @type: wanted type
 *
 * Return: the entry or NULL.
 */
const struct vhsm_cert_entry *vhsm_certtable_find(const struct vhsm_certtable *t,
						  enum vhsm_cert_type type);

/**
 * vhsm_certtable_free() - release a parsed table (NULL-safe)
 * @t: table; zeroed afterwards
 */
void vhsm_certtable_free(struct vhsm_certtable *t);

/* ---- verification ---- */

/* Checks; a set bit in vhsm_verify_result.failed means that check failed. */
enum vhsm_check {
	VHSM_CHECK_SIGNATURE	= 1u << 0,	/* "signature" */
	VHSM_CHECK_CHAIN	= 1u << 1,	/* "chain" (incl. time, CRL) */
	VHSM_CHECK_PRODUCT	= 1u << 2,	/* "product" */
	VHSM_CHECK_TCB		= 1u << 3,	/* "tcb": VEK SPLs vs REPORTED_TCB,
						 * reserved TCB bytes */
	VHSM_CHECK_HWID		= 1u << 4,	/* "hwid" */
	VHSM_CHECK_KEY_TYPE	= 1u << 5,	/* "key_type": VCEK/VLEK vs SIGNING_KEY */
	VHSM_CHECK_CERT		= 1u << 6,	/* "cert": certificate missing/unusable */
	/* policy */
	VHSM_CHECK_DEBUG	= 1u << 8,	/* "debug" */
	VHSM_CHECK_MIN_TCB	= 1u << 9,	/* "min_tcb" (reported, launch,
						 * committed) */
	VHSM_CHECK_MEASUREMENT	= 1u << 10,	/* "measurement" */
	VHSM_CHECK_HOST_DATA	= 1u << 11,	/* "host_data" */
	VHSM_CHECK_REPORT_DATA	= 1u << 12,	/* "report_data" */
	VHSM_CHECK_VMPL		= 1u << 13,	/* "vmpl" */
	VHSM_CHECK_GUEST_SVN	= 1u << 14,	/* "guest_svn" */
	VHSM_CHECK_SMT		= 1u << 15,	/* "smt" */
	VHSM_CHECK_MIGRATION	= 1u << 16,	/* "migration" */
	VHSM_CHECK_SINGLE_SOCKET = 1u << 17,	/* "single_socket" */
	VHSM_CHECK_ABI		= 1u << 18,	/* "abi" */
	VHSM_CHECK_SIGNING_KEY	= 1u << 19,	/* "signing_key" (policy) */
	VHSM_CHECK_ID_KEY	= 1u << 20,	/* "id_key": ID_KEY_DIGEST */
	VHSM_CHECK_AUTHOR_KEY	= 1u << 21,	/* "author_key": AUTHOR_KEY_DIGEST */
	VHSM_CHECK_FAMILY_ID	= 1u << 22,	/* "family_id" */
	VHSM_CHECK_IMAGE_ID	= 1u << 23,	/* "image_id" */
	VHSM_CHECK_CHIP_ID	= 1u << 24,	/* "chip_id": CHIP_ID allowlist */
	VHSM_CHECK_BUILD	= 1u << 25,	/* "build": minimum firmware build */
	VHSM_CHECK_PLATFORM	= 1u << 26,	/* "platform_info" requirements */
	VHSM_CHECK_PROVISIONAL	= 1u << 27,	/* "provisional": committed !=
						 * current firmware */
};

enum vhsm_vmpl_mode {
	VHSM_VMPL_ANY = 0,
	VHSM_VMPL_MAX,		/* report vmpl <= policy vmpl */
	VHSM_VMPL_EXACT,	/* report vmpl == policy vmpl */
};

#define VHSM_ALLOW_VCEK (1u << VHSM_SIGNING_KEY_VCEK)
#define VHSM_ALLOW_VLEK (1u << VHSM_SIGNING_KEY_VLEK)

/**
 * struct vhsm_policy - appraisal policy
 * @size:                  sizeof(struct vhsm_policy) (vhsm_policy_init())
 * @allow_debug:           accept POLICY.DEBUG=1 (default false)
 * @check_min_tcb:         enforce @min_tcb against REPORTED_TCB
 * @min_tcb:               minimum per part (fmc only compared on Turin)
 * @n_measurements:        entries in @measurements; 0 = any measurement
 * @measurements:          allowed MEASUREMENT values
 * @check_host_data:       require HOST_DATA == @host_data
 * @check_report_data:     require REPORT_DATA == @report_data
 * @vmpl_mode, @vmpl:      VMPL constraint
 * @min_guest_svn:         minimum GUEST_SVN
 * @require_smt_disabled:  require PLATFORM_INFO.SMT_EN == 0
 * @forbid_migration_agent: require POLICY.MIGRATE_MA == 0
 * @require_single_socket: require POLICY.SINGLE_SOCKET == 1
 * @check_min_abi:         require firmware CURRENT_MAJOR.CURRENT_MINOR >=
 *                         @min_abi_major.@min_abi_minor (and the committed
 *                         one too)
 * @allowed_signing_keys:  mask of VHSM_ALLOW_VCEK / VHSM_ALLOW_VLEK;
 *                         0 means both
 * @n_id_keys, @id_key_digests:        allowed ID_KEY_DIGEST values (the
 *                         launch's ID block was signed by one of these
 *                         keys); 0 entries = any
 * @n_author_keys, @author_key_digests: allowed AUTHOR_KEY_DIGEST values;
 *                         0 entries = any (a report without an author key
 *                         carries zeros and matches none)
 * @check_min_launch_tcb, @min_launch_tcb:       minimum LAUNCH_TCB
 * @check_min_committed_tcb, @min_committed_tcb: minimum COMMITTED_TCB
 * @check_family_id, @family_id: require FAMILY_ID == @family_id
 * @check_image_id, @image_id:   require IMAGE_ID == @image_id
 * @n_chip_ids, @chip_ids: allowed CHIP_ID values; 0 entries = any
 * @check_min_build, @min_build: require CURRENT_BUILD and COMMITTED_BUILD
 *                         >= @min_build
 * @platform_require:      PLATFORM_INFO bits (VHSM_PLATFORM_*) that must be set
 * @platform_forbid:       PLATFORM_INFO bits that must be clear
 * @allow_provisional:     accept a report whose current firmware (version,
 *                         build) is not the committed one; refused by default
 *                         (a provisional firmware can still be rolled back)
 *
 * Initialise with vhsm_policy_init(); release with vhsm_policy_free().
 * Fields from @check_min_launch_tcb on were added in VHSM_0.4.
 */
struct vhsm_policy {
	uint32_t size;
	bool allow_debug;
	bool check_min_tcb;
	struct vhsm_tcb min_tcb;
	size_t n_measurements;
	uint8_t (*measurements)[48];
	bool check_host_data;
	uint8_t host_data[32];
	bool check_report_data;
	uint8_t report_data[64];
	enum vhsm_vmpl_mode vmpl_mode;
	uint32_t vmpl;
	uint32_t min_guest_svn;
	bool require_smt_disabled;
	bool forbid_migration_agent;
	bool require_single_socket;
	bool check_min_abi;
	uint8_t min_abi_major;
	uint8_t min_abi_minor;
	unsigned int allowed_signing_keys;
	size_t n_id_keys;
	uint8_t (*id_key_digests)[48];
	size_t n_author_keys;
	uint8_t (*author_key_digests)[48];
	bool check_min_launch_tcb;
	struct vhsm_tcb min_launch_tcb;
	bool check_min_committed_tcb;
	struct vhsm_tcb min_committed_tcb;
	bool check_family_id;
	uint8_t family_id[16];
	bool check_image_id;
	uint8_t image_id[16];
	size_t n_chip_ids;
	uint8_t (*chip_ids)[64];
	bool check_min_build;
	uint8_t min_build;
	uint64_t platform_require;
	uint64_t platform_forbid;
	bool allow_provisional;
};

/**
 * vhsm_policy_init() - default policy: everything allowed except debug and
 * provisional firmware
 * @p: policy to initialise (sets @p->size)
 */
static inline void vhsm_policy_init(struct vhsm_policy *p)
{
	if (p) {
		memset(p, 0, sizeof(*p));
		p->size = sizeof(*p);
	}
}

/**
 * vhsm_policy_free() - free the lists (NULL-safe); @p is empty again with
 * its @size kept
 * @p: policy
 */
void vhsm_policy_free(struct vhsm_policy *p);

/**
 * vhsm_policy_add_measurement() - append an allowed measurement
 * @p: policy
 * @m: 48-byte measurement
 *
 * Return: 0; -EINVAL on NULL arguments or a bad @p->size; -ENOMEM.
 */
int vhsm_policy_add_measurement(struct vhsm_policy *p, const uint8_t m[48]);

/**
 * vhsm_policy_add_id_key() - allow an ID key (SHA-384 of its 0x404-byte
 * public key structure, as ID_KEY_DIGEST carries it)
 * @p: policy
 * @d: 48-byte digest
 *
 * Return: 0; -EINVAL on NULL arguments or a bad @p->size; -ENOMEM.
 */
int vhsm_policy_add_id_key(struct vhsm_policy *p, const uint8_t d[48]);

/* vhsm_policy_add_author_key() - the same for AUTHOR_KEY_DIGEST */
int vhsm_policy_add_author_key(struct vhsm_policy *p, const uint8_t d[48]);

/* vhsm_policy_add_chip_id() - allow a CHIP_ID (64 bytes) */
int vhsm_policy_add_chip_id(struct vhsm_policy *p, const uint8_t id[64]);

/**
 * vhsm_policy_parse_json() - apply a JSON policy document to a policy
 * @p:      initialised policy (vhsm_policy_init()); the document's keys are
 *          applied on top of what it holds (lists are appended to)
 * @json:   NUL-terminated JSON object text
 * @errmsg: if not NULL, on -EINVAL *errmsg is a malloc'd message that names
 *          the problem ("line 3, column 7: ...", "unknown key \"x\"",
 *          "\"max_vmpl\": 7 is out of range 0..3"); free() it.  NULL
 *          otherwise.
 *
 * Keys (all optional; unknown keys are an error), documented in
 * vhsm-tool(1) under POLICY:
 *  "allow_debug": bool, "min_tcb", "min_launch_tcb", "min_committed_tcb":
 *  {"fmc","bl","tee","snp","ucode": int}, "measurements": [hex96...],
 *  "host_data": hex64, "report_data": hex128, "family_id": hex32,
 *  "image_id": hex32, "chip_ids": [hex128...], "max_vmpl": int,
 *  "exact_vmpl": int (not both), "min_guest_svn": int,
 *  "require_smt_disabled": bool, "forbid_migration_agent": bool,
 *  "require_single_socket": bool, "min_abi": "MAJOR.MINOR",
 *  "min_build": int, "platform_info_required": [name...],
 *  "platform_info_forbidden": [name...] (names as vhsm_report_bit_name()),
 *  "allow_provisional_firmware": bool, "signing_keys": ["vcek", "vlek"],
 *  "id_key_digest", "author_key_digest": [hex96...] (or one hex string).
 *
 * Return: 0; -EINVAL on NULL arguments, malformed JSON, unknown keys,
 *  wrong types, bad hex or out-of-range numbers (@p may then hold part of
 *  the document: free it); -ENOMEM.
 */
int vhsm_policy_parse_json(struct vhsm_policy *p, const char *json, char **errmsg);

/**
 * vhsm_policy_read_json() - vhsm_policy_parse_json() on a file
 * @p:      initialised policy
 * @path:   file name
 * @errmsg: as for vhsm_policy_parse_json()
 *
 * Return: as vhsm_policy_parse_json(), plus -errno from opening/reading
 *  @path (e.g. -ENOENT) and -EFBIG for files over 1 MiB.
 */
int vhsm_policy_read_json(struct vhsm_policy *p, const char *path, char **errmsg);

/* vhsm_policy_from_json() - initialise @p and apply @json; free @p after. */
static inline int vhsm_policy_from_json(const char *json, struct vhsm_policy *p)
{
	int err;

	vhsm_policy_init(p);
	err = p ? vhsm_policy_parse_json(p, json, NULL) : -EINVAL;
	if (err)
		vhsm_policy_free(p);
	return err;
}

/* vhsm_policy_load_json() - the same from a file */
static inline int vhsm_policy_load_json(const char *path, struct vhsm_policy *p)
{
	int err;

	vhsm_policy_init(p);
	err = p ? vhsm_policy_read_json(p, path, NULL) : -EINVAL;
	if (err)
		vhsm_policy_free(p);
	return err;
}

/* vhsm_verify_opts.flags */
#define VHSM_VERIFY_NO_CHECK_TIME	(1u << 0)	/* ignore cert validity dates */
#define VHSM_VERIFY_NO_POLICY		(1u << 1)	/* skip all policy checks */

/**
 * struct vhsm_verify_opts - inputs of vhsm_verify_report()
 * @size:      sizeof(struct vhsm_verify_opts) (VHSM_VERIFY_OPTS_INIT)
 * @flags:     VHSM_VERIFY_* flags
 * @vek:       VCEK or VLEK certificate (DER or PEM; for PEM the first
 *             certificate is used); NULL to look it up in @cache_dir
 * @vek_len:   length of @vek
 * @roots:     custom trust set as a PEM bundle or one DER certificate:
 *             self-signed certificates become the trust anchors (ARKs),
 *             the others candidate intermediates (ASK/ASVK).  NULL selects
 *             the built-in AMD roots of the product (or those in
 *             @cache_dir/<Product>/{ark,ask,asvk}.pem when present).
 * @roots_len: length of @roots
 * @crl:       optional CRL (DER or PEM, may hold several in PEM); when
 *             given, every chain certificate whose issuer has a CRL here is
 *             checked against it (revoked, expired or badly signed CRLs
 *             fail the chain), and at least one CRL must be issued by a
 *             certificate of the chain (AMD's KDS CRL is issued by the ARK)
 * @crl_len:   length of @crl
 * @cache_dir: optional offline cache, layout:
 *               <cache>/vcek/<Product>/<hwid hex>/<tcb hex>.der
 *               <cache>/vlek/<Product>/<tcb hex>.der
 *               <cache>/<Product>/{ark,ask,asvk}.pem
 *             <Product> is Milan/Genoa/Turin, <hwid hex> the lowercase hex
 *             of CHIP_ID (first 8 bytes on Turin, all 64 otherwise), and
 *             <tcb hex> the REPORTED_TCB u64 as 16 lowercase hex digits.
 * @policy:    appraisal policy; NULL means the vhsm_policy_init() default
 *
 * The library only reads the buffers, during the call.
 */
struct vhsm_verify_opts {
	uint32_t size;
	uint32_t flags;
	const void *vek;
	size_t vek_len;
	const void *roots;
	size_t roots_len;
	const void *crl;
	size_t crl_len;
	const char *cache_dir;
	const struct vhsm_policy *policy;
};

#define VHSM_VERIFY_OPTS_INIT { .size = sizeof(struct vhsm_verify_opts) }

#define VHSM_VERIFY_MAX_REASONS 64

/* vhsm_verify_result.weakened: checks the caller's options weakened */
#define VHSM_WEAK_NO_CHECK_TIME	(1u << 0)	/* "no_check_time": dates ignored */
#define VHSM_WEAK_CUSTOM_ROOTS	(1u << 1)	/* "custom_roots": not AMD's roots */
#define VHSM_WEAK_NO_CRL	(1u << 2)	/* "no_crl": revocation not checked */
#define VHSM_WEAK_NO_POLICY	(1u << 3)	/* "no_policy": policy skipped */

/**
 * struct vhsm_verify_result - outcome of vhsm_verify_report()
 * @size:      sizeof(struct vhsm_verify_result) (VHSM_VERIFY_RESULT_INIT);
 *             set by the caller, kept by the library
 * @failed:    mask of enum vhsm_check that failed
 * @product:   product the report was verified as
 * @n_reasons: number of strings in @reasons
 * @reasons:   "<check>: <explanation>" strings, one or more per failed check
 * @checks:    mask of enum vhsm_check that ran (a policy check runs only
 *             when the policy constrains it)
 * @weakened:  VHSM_WEAK_* mask
 * @report:    the claims verified: the report as parsed, its product set
 *             (NULL if the call failed before the report was read)
 * @vek_serial:  serial number of the VCEK/VLEK, lowercase hex (or NULL)
 * @vek_subject: its subject, RFC 2253 (or NULL)
 *
 * Release with vhsm_verify_result_free().  Fields from @checks on were
 * added in VHSM_0.4.
 */
struct vhsm_verify_result {
	uint32_t size;
	uint32_t failed;
	enum vhsm_product product;
	size_t n_reasons;
	char **reasons;
	uint32_t checks;
	uint32_t weakened;
	struct vhsm_report *report;
	char *vek_serial;
	char *vek_subject;
};

#define VHSM_VERIFY_RESULT_INIT { .size = sizeof(struct vhsm_verify_result) }

/**
 * vhsm_verify_report() - verify a report's signature, chain and policy
 * @r:    parsed report
 * @opts: inputs (see struct vhsm_verify_opts)
 * @res:  with @res->size set; filled in (also on -EKEYREJECTED and
 *        -ENOKEY); free with vhsm_verify_result_free() whatever the return
 *        value
 *
 * Checks, each reported by name in @res: signature (ECDSA P-384/SHA-384
 * over bytes 0x000-0x29F), chain (ARK self-signed -> ASK/ASVK -> VEK,
 * RSA-PSS, ARK as the only trust anchor, validity dates, CRL), product
 * (CPUID vs VEK productName), key_type (SIGNING_KEY vs VCEK/VLEK), tcb
 * (VEK SPL extensions vs REPORTED_TCB; no reserved TCB byte of the product
 * set in any of the four TCBs; no SPL extension the product does not
 * define), hwid (VCEK hwID vs CHIP_ID), then the policy checks unless
 * VHSM_VERIFY_NO_POLICY.
 *
 * The policy minimum TCB is compared with REPORTED_TCB (the TCB the VEK is
 * issued for).  A v2 report (no CPUID) takes its product from the VEK.
 * Thread-safe (see the top of this header).
 *
 * Return: 0 when every check passed;
 *  -EKEYREJECTED when at least one check failed (see @res);
 *  -ENOKEY when @opts->vek is NULL and no VEK was found in @opts->cache_dir
 *   (@res then holds a "cert" reason);
 *  -EINVAL on NULL arguments, a bad @size in @opts, @res or the policy,
 *   an unparsable certificate / CRL / roots buffer or an invalid policy;
 *  -ENOMEM on allocation failure.
 */
int vhsm_verify_report(const struct vhsm_report *r,
		       const struct vhsm_verify_opts *opts,
		       struct vhsm_verify_result *res);

/**
 * vhsm_verify_report_bytes() - parse and verify raw report bytes
 * @buf:  an ATTESTATION_REPORT (bytes past VHSM_REPORT_SIZE are ignored)
 * @len:  length of @buf
 * @opts: as for vhsm_verify_report()
 * @res:  as for vhsm_verify_report()
 *
 * Return: as vhsm_verify_report(), plus the errors of vhsm_report_parse()
 *  (-EINVAL for a short buffer, -EPROTO for an unknown version).
 */
int vhsm_verify_report_bytes(const void *buf, size_t len,
			     const struct vhsm_verify_opts *opts,
			     struct vhsm_verify_result *res);

/**
 * vhsm_verify_report_signature() - check only the report signature
 * @r:       parsed report
 * @vek:     VCEK/VLEK certificate, DER or PEM
 * @vek_len: length of @vek
 *
 * Return: 0 if the signature verifies; -EBADMSG if it does not (or the
 *  report's SIGNATURE_ALGO is not 1); -EINVAL on NULL arguments or an
 *  unusable certificate (not P-384); -ENOMEM.
 */
int vhsm_verify_report_signature(const struct vhsm_report *r,
				 const void *vek, size_t vek_len);

/**
 * vhsm_verify_check_name() - short name of a single check bit
 * @check: one enum vhsm_check value
 *
 * Return: static string such as "signature", or "unknown".
 */
const char *vhsm_verify_check_name(enum vhsm_check check);

#define VHSM_VERIFY_JSON_SCHEMA 2	/* "schema" of vhsm_verify_result_to_json() */

/**
 * vhsm_verify_result_to_json() - the verdict as JSON
 * @res: result
 * @out: free with free(); an object with
 *       "schema": VHSM_VERIFY_JSON_SCHEMA, "ok": bool, "product": str,
 *       "failed": [check names], "reasons": [str],
 *       "checks": [names of the checks that ran],
 *       "weakened": [names of VHSM_WEAK_* set], and when the report was
 *       read "claims": the report as vhsm_report_to_json() gives it, and
 *       "signing_key": {"type": "vcek"|"vlek", "serial": hex,
 *       "subject": str} once the VEK was read
 *
 * Return: 0; -EINVAL on NULL arguments; -ENOMEM.
 */
int vhsm_verify_result_to_json(const struct vhsm_verify_result *res, char **out);

/**
 * vhsm_verify_result_has_reason() - whether a reason starts with @prefix
 * @res:    result
 * @prefix: e.g. "signature:"
 *
 * Return: true if any reason starts with @prefix.
 */
bool vhsm_verify_result_has_reason(const struct vhsm_verify_result *res,
				   const char *prefix);

/**
 * vhsm_verify_result_free() - release what the result holds (NULL-safe);
 * zero @res but its @size
 * @res: result
 */
void vhsm_verify_result_free(struct vhsm_verify_result *res);

/**
 * vhsm_verify_builtin_chain() - the built-in AMD roots of a product
 * @p:    Milan, Genoa or Turin
 * @vlek: the VLEK chain (ASVK) instead of the VCEK chain (ASK)
 * @ark:  set to the product's ARK as PEM text (static, never freed)
 * @ask:  set to its ASK, or ASVK with @vlek, as PEM text (static)
 *
 * These are the certificates vhsm_verify_report() trusts when no custom
 * roots are given.  Thread-safe (constant data).
 *
 * Return: 0; -EINVAL for an unknown product or NULL @ark / @ask.
 */
int vhsm_verify_builtin_chain(enum vhsm_product p, bool vlek, const char **ark,
			      const char **ask);

#ifdef __cplusplus
}
#endif

#endif /* VHSM_REPORT_H */
