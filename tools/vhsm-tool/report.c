// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool report show|verify: decode and verify AMD SEV-SNP attestation
 * reports with libvhsm's report parser and verifier.  Works offline and
 * without the vhsm device.
 *
 *   report show   REPORT
 *   report verify REPORT [--vcek FILE | --certs DIR | --cert-table FILE]
 *                 [--cache DIR [--fetch [--kds URL]]] [--crl FILE]
 *                 [--policy FILE|-] [--roots FILE] [--no-check-time] [--no-policy]
 *                 [--report-data HEX] [--measurement HEX]... [--host-data HEX]
 *                 [--min-tcb bl=N,tee=N,snp=N,ucode=N[,fmc=N]] [--max-vmpl N]
 *
 * verify exits 0 when every check passed, 3 when the report is refused (each
 * failed check is named: one line per reason on stderr, or the verdict JSON
 * with --json: claims, checks run and weakened, reasons), 1 when an input
 * cannot be read or used (with --json: {"ok":false,"error":"..."}), 2 on
 * usage errors.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <vhsm/report.h>

#include "policyargs.h"
#include "report.h"
#include "report_input.h"
#include "subcommands.h"
#include "verify_certs.h"

#define REPORT_MAX_INPUT (1 << 20)	/* no input of ours is near 1 MiB */

/* ---- helpers ---- */

/* Read a whole file ("-" = stdin), NUL-terminated; prints why it failed. */
static int read_input(const struct tool_ctx *ctx, const char *what,
		      const char *path, uint8_t **buf, size_t *len)
{
	FILE *f;
	size_t cap = 0, n = 0;
	uint8_t *p = NULL, *q;

	*buf = NULL;
	*len = 0;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		tool_err(ctx, "cannot open %s %s: %s", what, path, strerror(errno));
		return TOOL_ERROR;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			cap = cap ? 2 * cap : 8192;
			if (cap > REPORT_MAX_INPUT) {
				tool_err(ctx, "%s %s is larger than %d bytes", what, path,
					 REPORT_MAX_INPUT);
				goto fail;
			}
			q = realloc(p, cap + 1);
			if (!q) {
				tool_err(ctx, "out of memory reading %s", path);
				goto fail;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		tool_err(ctx, "cannot read %s %s: %s", what, path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	p[n] = 0;
	*buf = p;
	*len = n;
	return TOOL_OK;
fail:
	if (f != stdin)
		fclose(f);
	free(p);
	return TOOL_ERROR;
}

/* @tail (may be NULL): a copy of the bytes after the report, if any */
static int load_report(const struct tool_ctx *ctx, const char *cmd, const char *path,
		       enum report_inform form, struct vhsm_report *r, uint8_t **tail,
		       size_t *tail_len)
{
	struct report_bytes b;
	int err, rc = report_read(ctx, cmd, path, form, &b);

	if (rc)
		return rc;
	err = vhsm_report_parse(b.buf, b.len < VHSM_REPORT_SIZE ? b.len : VHSM_REPORT_SIZE, r);
	if (err == -EINVAL)
		tool_err(ctx, "%s is %zu bytes%s%s; an SEV-SNP attestation report is %d bytes",
			 path, b.len, b.found == REPORT_INFORM_RAW ? "" : " decoded from ",
			 b.found == REPORT_INFORM_RAW ? "" : report_inform_name(b.found),
			 VHSM_REPORT_SIZE);
	else if (err == -EPROTO)
		tool_err(ctx, "%s: report version %u is not supported (%d..%d)", path,
			 (unsigned int)(b.buf[0] | b.buf[1] << 8 | b.buf[2] << 16 |
					(uint32_t)b.buf[3] << 24),
			 VHSM_REPORT_MIN_VERSION, VHSM_REPORT_MAX_VERSION);
	else if (err)
		tool_err(ctx, "%s: cannot parse report: %s", path, strerror(-err));
	if (!err && tail && b.len > VHSM_REPORT_SIZE) {
		*tail_len = b.len - VHSM_REPORT_SIZE;
		*tail = malloc(*tail_len);
		if (*tail) {
			memcpy(*tail, b.buf + VHSM_REPORT_SIZE, *tail_len);
		} else {
			tool_err(ctx, "out of memory reading %s", path);
			err = -ENOMEM;
		}
	}
	report_bytes_free(&b);
	return err ? TOOL_ERROR : TOOL_OK;
}

/* --inform's argument; TOOL_OK or TOOL_USAGE */
static int inform_arg(const struct tool_ctx *ctx, const char *arg, enum report_inform *f)
{
	if (!report_inform_parse(arg, f))
		return TOOL_OK;
	tool_err(ctx, "report: --inform takes auto, raw, hex or base64");
	return TOOL_USAGE;
}

static int print_json_text(const struct tool_ctx *ctx, const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	int ret;

	if (!doc) {
		tool_err(ctx, "internal error: bad JSON (%s)", jerr.text);
		return TOOL_ERROR;
	}
	ret = json_dumpf(doc, stdout, JSON_INDENT(2));
	json_decref(doc);
	if (ret || putchar('\n') == EOF || fflush(stdout)) {
		tool_err(ctx, "cannot write JSON to stdout");
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

/* ---- report show ---- */

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%-18s ", name);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void print_tcb(const char *name, const struct vhsm_tcb *t)
{
	printf("%-18s ", name);
	if (t->turin)
		printf("fmc=%u ", t->fmc);
	printf("bl=%u tee=%u snp=%u ucode=%u (0x%016" PRIx64 ")\n",
	       t->bl, t->tee, t->snp, t->ucode, t->raw);
}

/*
 * Names of the set bits of @field (vhsm_report_bit_name()), in bit order;
 * "none" if no named bit is set; bits neither named nor in @known_extra in
 * hex.
 */
static void print_bits(uint64_t v, uint64_t known_extra,
		       enum vhsm_report_bits field)
{
	uint64_t unknown = 0;
	const char *name;
	bool any = false;
	unsigned int i;

	for (i = 0; i < 64; i++) {
		uint64_t bit = 1ULL << i;

		if (!(v & bit) || (known_extra & bit))
			continue;
		name = vhsm_report_bit_name(field, i);
		if (!name) {
			unknown |= bit;
			continue;
		}
		printf("%s%s", any ? " " : "", name);
		any = true;
	}
	if (unknown) {
		printf("%sunknown:0x%" PRIx64, any ? " " : "", unknown);
		any = true;
	}
	if (!any)
		printf("none");
}

static const char *signing_key_name(uint8_t k)
{
	switch (k) {
	case VHSM_SIGNING_KEY_VCEK:
		return "VCEK";
	case VHSM_SIGNING_KEY_VLEK:
		return "VLEK";
	case VHSM_SIGNING_KEY_NONE:
		return "none (unsigned)";
	default:
		return "reserved";
	}
}

static void show_human(const struct vhsm_report *r)
{
	const uint64_t abi_bits = 0xffff | VHSM_POLICY_RSVD1;

	printf("%-18s %u\n", "version", r->version);
	if (r->has_cpuid)
		printf("%-18s %s (CPUID family 0x%02x model 0x%02x stepping 0x%x)\n",
		       "product", vhsm_report_product_name(r->product),
		       r->cpuid_fam_id, r->cpuid_mod_id, r->cpuid_step);
	else
		printf("%-18s unknown (v2 report has no CPUID; TCBs shown with the "
		       "Milan/Genoa layout)\n", "product");
	printf("%-18s %u\n", "guest_svn", r->guest_svn);
	printf("%-18s %u\n", "vmpl", r->vmpl);
	printf("%-18s 0x%016" PRIx64 ": ABI %u.%u, ", "policy", r->policy,
	       VHSM_POLICY_ABI_MAJOR(r->policy), VHSM_POLICY_ABI_MINOR(r->policy));
	print_bits(r->policy, abi_bits, VHSM_REPORT_BITS_POLICY);
	if (!(r->policy & VHSM_POLICY_RSVD1))
		printf(" (reserved bit 17 is 0: invalid policy)");
	putchar('\n');
	printf("%-18s 0x%016" PRIx64 ": ", "platform_info", r->platform_info);
	print_bits(r->platform_info, 0, VHSM_REPORT_BITS_PLATFORM_INFO);
	putchar('\n');
	printf("%-18s %s (author_key_en=%d mask_chip_key=%d)\n", "signing_key",
	       signing_key_name(r->signing_key), r->author_key_en, r->mask_chip_key);
	printf("%-18s %u%s\n", "signature_algo", r->sig_algo,
	       r->sig_algo == 1 ? " (ECDSA P-384 with SHA-384)" : " (unknown)");
	print_hex("measurement", r->measurement, sizeof(r->measurement));
	print_hex("report_data", r->report_data, sizeof(r->report_data));
	print_hex("host_data", r->host_data, sizeof(r->host_data));
	print_hex("family_id", r->family_id, sizeof(r->family_id));
	print_hex("image_id", r->image_id, sizeof(r->image_id));
	print_hex("id_key_digest", r->id_key_digest, sizeof(r->id_key_digest));
	print_hex("author_key_digest", r->author_key_digest, sizeof(r->author_key_digest));
	print_hex("report_id", r->report_id, sizeof(r->report_id));
	print_hex("report_id_ma", r->report_id_ma, sizeof(r->report_id_ma));
	if (all_zero(r->chip_id, sizeof(r->chip_id)))
		printf("%-18s masked (all zero)\n", "chip_id");
	else
		print_hex("chip_id", r->chip_id,
			  r->product == VHSM_PRODUCT_TURIN &&
			  all_zero(r->chip_id + 8, 56) ? 8 : sizeof(r->chip_id));
	print_tcb("reported_tcb", &r->reported_tcb);
	print_tcb("current_tcb", &r->current_tcb);
	print_tcb("committed_tcb", &r->committed_tcb);
	print_tcb("launch_tcb", &r->launch_tcb);
	printf("%-18s current %u.%u.%u, committed %u.%u.%u\n", "firmware",
	       r->current_major, r->current_minor, r->current_build,
	       r->committed_major, r->committed_minor, r->committed_build);
	if (r->has_mit_vector)
		printf("%-18s launch 0x%016" PRIx64 ", current 0x%016" PRIx64 "\n",
		       "mit_vector", r->launch_mit_vector, r->current_mit_vector);
}

static void report_show_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s [--json] report show REPORT [--field NAME] [--inform auto|raw|hex|base64]\n"
		"  Decode an SEV-SNP attestation report ('-' = stdin): raw %d-byte binary,\n"
		"  or hex or base64 text (found out unless --inform says; said on stderr).\n"
		"  --field NAME prints one field, named as in the --json output\n"
		"  (e.g. measurement, report_data, chip_id, reported_tcb).\n"
		"  Nothing is verified: use 'report verify' for that.\n",
		ctx->prog, VHSM_REPORT_SIZE);
}

/* one field of the report's JSON: strings bare, numbers and objects as JSON */
static int show_field(const struct tool_ctx *ctx, const char *json, const char *name)
{
	json_t *doc = json_loads(json, 0, NULL), *v = json_object_get(doc, name);
	const char *key;
	json_t *val;
	char *text;
	int rc = TOOL_OK;

	if (!v) {
		tool_err(ctx, "report show: no field '%s'; the fields are:", name);
		json_object_foreach(doc, key, val)
			fprintf(stderr, " %s", key);
		fputc('\n', stderr);
		json_decref(doc);
		return TOOL_USAGE;
	}
	if (json_is_string(v) && !ctx->json) {
		puts(json_string_value(v));
	} else {
		text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		if (text)
			puts(text);
		else
			rc = TOOL_ERROR;
		free(text);
	}
	json_decref(doc);
	return rc;
}

static int report_show_main(struct tool_ctx *ctx, int argc, char **argv)
{
	const char *inform = "auto", *field = NULL;
	const struct tool_opt opts[] = {
		{ .name = "inform", .str = &inform },
		{ .name = "field", .str = &field },
	};
	enum report_inform form;
	struct vhsm_report r;
	char *json;
	int rc, err;

	rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), report_show_usage);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc) {
		tool_err(ctx, "report show: %s", optind == argc ? "no REPORT given" :
			 "give exactly one REPORT");
		report_show_usage(ctx, stderr);
		return TOOL_USAGE;
	}
	if (inform_arg(ctx, inform, &form))
		return TOOL_USAGE;
	rc = load_report(ctx, "report show", argv[optind], form, &r, NULL, NULL);
	if (rc)
		return rc;
	if (!ctx->json && !field) {
		show_human(&r);
		return fflush(stdout) ? TOOL_ERROR : TOOL_OK;
	}
	err = vhsm_report_to_json(&r, &json);
	if (err) {
		tool_err(ctx, "report show: %s", strerror(-err));
		return TOOL_ERROR;
	}
	rc = field ? show_field(ctx, json, field) : print_json_text(ctx, json);
	free(json);
	return rc;
}

/* ---- report verify ---- */

struct verify_args {
	const char *report, *vcek, *certs, *crl, *policy, *roots;
	struct verify_cert_args src;	/* the certificate sources */
	unsigned int flags;
	enum report_inform inform;
	/* the policy options (policyargs.h), applied after the --policy file */
	struct policy_opt {
		int opt;
		const char *arg;
	} *popts;
	int n_popts;
};

struct verify_inputs {
	uint8_t *vcek, *crl, *roots;
	size_t vcek_len, crl_len, roots_len;
	struct vhsm_policy policy;
	bool have_policy;
};

static void report_verify_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s [--json] report verify REPORT [--vcek FILE | --certs DIR |\n"
		"         --cert-table FILE] [--cache DIR [--fetch [--kds URL]]] [--crl FILE]\n"
		"         [--policy FILE|-] [--roots FILE] [--no-check-time] [--no-policy]\n"
		"         [--inform FORM] [--report-data HEX] [--measurement HEX]...\n"
		"         [--host-data HEX] [--min-tcb bl=N,tee=N,snp=N,ucode=N[,fmc=N]]\n"
		"         [--max-vmpl N]\n", ctx->prog);
	if (out == stderr) {
		fprintf(out, "'%s report verify --help' describes the options.\n", ctx->prog);
		return;
	}
	fprintf(out,
		"  Verify the report signature with the VCEK/VLEK, its chain to AMD's ARK,\n"
		"  TCB and chip id, then the appraisal policy.\n"
		"  --vcek FILE      VCEK or VLEK certificate (DER or PEM)\n"
		"  --certs DIR      snpguest's folder: DIR/vcek or DIR/vlek, DIR/ask (asvk),\n"
		"                   DIR/ark, each .der or .pem (what attest --certs writes);\n"
		"                   its ARK and ASK must be the trusted ones\n"
		"  --cert-table FILE  the platform's certificate table (extended report,\n"
		"                   configfs-tsm auxblob; attest --certs saves certtable.bin).\n"
		"                   A table right after the report in REPORT is read too\n"
		"  --cache DIR      offline cache: DIR/vcek/<Product>/<hwid>/<tcb>.der,\n"
		"                   DIR/vlek/<Product>/<tcb>.der, DIR/<Product>/{ark,ask,asvk}.pem,\n"
		"                   DIR/<Product>/crl.der (used when no --crl is given)\n"
		"  --fetch          fetch what the cache lacks from the KDS first (vhsm-tool fetch)\n"
		"  --kds URL        KDS base URL (default https://kdsintf.amd.com)\n"
		"  --crl FILE       CRL(s) to check the chain against (DER or PEM)\n"
		"  --policy FILE    JSON appraisal policy, - for stdin (default: everything\n"
		"                   but debug and provisional firmware); keys in vhsm-tool(1)\n"
		"  --roots FILE     PEM bundle of custom roots instead of AMD's (tests only)\n"
		"  --no-check-time  ignore certificate validity dates\n"
		"  --no-policy      check signature, chain and certificate only\n"
		"  --inform FORM    REPORT is auto (found out), raw, hex or base64\n"
		POLICYARGS_HELP
		"  (these apply on top of --policy FILE)\n"
		"  exit 0 verified, 3 refused (every failed check is named), 1 error, 2 usage\n");
}

/* at most one input may be '-' (stdin); TOOL_OK or TOOL_USAGE with a message */
static int stdin_once(const struct tool_ctx *ctx, const struct verify_args *a)
{
	const struct { const char *path, *what; } in[] = {
		{ a->report, "REPORT" }, { a->vcek, "--vcek" }, { a->crl, "--crl" },
		{ a->roots, "--roots" }, { a->policy, "--policy" },
		{ a->src.table, "--cert-table" },
	};
	const char *first = NULL;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (!in[i].path || strcmp(in[i].path, "-"))
			continue;
		if (first) {
			tool_err(ctx, "report verify: %s and %s cannot both be read from stdin ('-'): give one of them as a file",
				 first, in[i].what);
			return TOOL_USAGE;
		}
		first = in[i].what;
	}
	return TOOL_OK;
}

static int report_verify_parse(struct tool_ctx *ctx, int argc, char **argv,
			struct verify_args *a)
{
	static const struct option opts[] = {
		{ "vcek", required_argument, NULL, 'v' },
		{ "vlek", required_argument, NULL, 'v' },
		{ "certs", required_argument, NULL, 'c' },
		{ "cert-table", required_argument, NULL, 't' },
		{ "cache", required_argument, NULL, 'C' },
		{ "fetch", no_argument, NULL, 'F' },
		{ "kds", required_argument, NULL, 'K' },
		{ "crl", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "roots", required_argument, NULL, 'R' },
		{ "no-check-time", no_argument, NULL, 'T' },
		{ "no-policy", no_argument, NULL, 'P' },
		{ "inform", required_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		POLICYARGS_OPTIONS,
		{ 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->popts = calloc((size_t)argc, sizeof(*a->popts));
	if (!a->popts) {
		tool_err(ctx, "report verify: out of memory");
		return TOOL_ERROR;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (policyarg_is(c)) {
			a->popts[a->n_popts].opt = c;
			a->popts[a->n_popts++].arg = optarg;
			continue;
		}
		switch (c) {
		case 'v':
			a->vcek = optarg;
			break;
		case 'c':
			a->certs = optarg;
			break;
		case 't':
			a->src.table = optarg;
			break;
		case 'C':
			a->src.cache = optarg;
			break;
		case 'F':
			a->src.fetch = true;
			break;
		case 'K':
			a->src.kds = optarg;
			break;
		case 'r':
			a->crl = optarg;
			break;
		case 'p':
			a->policy = optarg;
			break;
		case 'R':
			a->roots = optarg;
			break;
		case 'T':
			a->flags |= VHSM_VERIFY_NO_CHECK_TIME;
			break;
		case 'P':
			a->flags |= VHSM_VERIFY_NO_POLICY;
			break;
		case 'I':
			if (inform_arg(ctx, optarg, &a->inform))
				return TOOL_USAGE;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			report_verify_usage(ctx, stdout);
			return -1;
		default:
			report_verify_usage(ctx, stderr);
			return TOOL_USAGE;
		}
	}
	if (optind + 1 != argc) {
		tool_err(ctx, "report verify: %s", optind == argc ? "no REPORT given" :
			 "give exactly one REPORT");
		report_verify_usage(ctx, stderr);
		return TOOL_USAGE;
	}
	a->report = argv[optind];
	if (stdin_once(ctx, a))
		return TOOL_USAGE;
	if ((a->policy || a->n_popts) && (a->flags & VHSM_VERIFY_NO_POLICY)) {
		tool_err(ctx, "report verify: --no-policy excludes --policy and the policy "
			 "options");
		return TOOL_USAGE;
	}
	a->src.vcek = a->vcek;
	a->src.certs = a->certs;
	a->src.have_crl = a->crl != NULL;
	return verify_certs_check_args(ctx, &a->src);
}

/* The --policy document (a file or "-") applied to P; errors name the problem. */
static int load_policy(const struct tool_ctx *ctx, const char *path, struct vhsm_policy *p)
{
	char *msg = NULL;
	uint8_t *text;
	size_t len;
	int rc, err;

	rc = read_input(ctx, "policy", path, &text, &len);
	if (rc)
		return rc;
	if (memchr(text, 0, len)) {
		tool_err(ctx, "policy %s: not a JSON text (holds a NUL byte)", path);
		free(text);
		return TOOL_ERROR;
	}
	err = vhsm_policy_parse_json(p, (const char *)text, &msg);
	free(text);
	if (err == -EINVAL)
		tool_err(ctx, "policy %s: %s (the keys are listed in vhsm-tool(1), POLICY)",
			 path, msg ? msg : "not a valid policy document");
	else if (err)
		tool_err(ctx, "policy %s: %s", path, strerror(-err));
	free(msg);
	return err ? TOOL_ERROR : TOOL_OK;
}

static int load_inputs(const struct tool_ctx *ctx, const struct verify_args *a,
		       struct verify_inputs *in)
{
	struct stat st;
	int rc, i;

	if (a->src.cache && stat(a->src.cache, &st) && !a->src.fetch) {
		tool_err(ctx, "--cache %s: %s", a->src.cache, strerror(errno));
		return TOOL_ERROR;
	}
	if (a->src.cache && !a->src.fetch && !S_ISDIR(st.st_mode)) {
		tool_err(ctx, "--cache %s: not a directory", a->src.cache);
		return TOOL_ERROR;
	}
	if (a->vcek && (rc = read_input(ctx, "certificate", a->vcek, &in->vcek,
					&in->vcek_len)))
		return rc;
	if (a->crl && (rc = read_input(ctx, "CRL", a->crl, &in->crl, &in->crl_len)))
		return rc;
	if (a->roots && (rc = read_input(ctx, "roots", a->roots, &in->roots,
					 &in->roots_len)))
		return rc;
	if (a->roots && !in->roots_len) {
		tool_err(ctx, "--roots %s is empty", a->roots);
		return TOOL_ERROR;
	}
	vhsm_policy_init(&in->policy);
	in->have_policy = a->policy || a->n_popts;
	if (a->policy && (rc = load_policy(ctx, a->policy, &in->policy)))
		return rc;
	for (i = 0; i < a->n_popts; i++) {
		rc = policyarg_apply(ctx, a->popts[i].opt, a->popts[i].arg, &in->policy);
		if (rc)
			return rc;
	}
	return TOOL_OK;
}

static void free_inputs(struct verify_inputs *in)
{
	free(in->vcek);
	free(in->crl);
	free(in->roots);
	vhsm_policy_free(&in->policy);
}

/* With --json, an error (exit 1) is {"ok":false,"error":"<the message>"}. */
static void print_json_error(const struct tool_ctx *ctx)
{
	json_t *o = json_pack("{s:b, s:s}", "ok", 0, "error", tool_last_error());
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (s)
		print_json_text(ctx, s);
	free(s);
	json_decref(o);
}

static void print_refused(const struct tool_ctx *ctx, const struct vhsm_verify_result *res)
{
	char names[512] = "";
	size_t i, n = 0;

	for (i = 0; i < res->n_reasons; i++)
		tool_err(ctx, "refused: %s", res->reasons[i]);
	for (i = 0; i < 32; i++) {
		if (!(res->failed & (1u << i)))
			continue;
		n += (size_t)snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0,
				      "%s%s", n ? ", " : "",
				      vhsm_verify_check_name((enum vhsm_check)(1u << i)));
		if (n >= sizeof(names))
			break;
	}
	tool_err(ctx, "report verify: report REFUSED (failed: %s)", names);
}

/* what the launch was: its measurement and the keys that signed its ID block */
static void print_launch_ids(const struct vhsm_report *r)
{
	print_hex("measurement", r->measurement, sizeof(r->measurement));
	if (!all_zero(r->id_key_digest, sizeof(r->id_key_digest)))
		print_hex("id_key_digest", r->id_key_digest, sizeof(r->id_key_digest));
	else
		printf("%-18s none (launched without an ID block)\n", "id_key_digest");
	if (r->author_key_en)
		print_hex("author_key_digest", r->author_key_digest,
			  sizeof(r->author_key_digest));
	else
		printf("%-18s none\n", "author_key_digest");
}

static void print_verified(const struct verify_args *a, const struct vhsm_report *r,
			   const struct vhsm_verify_result *res)
{
	printf("verified: v%u %s report signed by the %s: signature, chain, product, "
	       "key type, TCB%s%s\n", r->version, vhsm_report_product_name(res->product),
	       r->signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK",
	       r->signing_key == VHSM_SIGNING_KEY_VLEK ? "" : ", chip id",
	       a->flags & VHSM_VERIFY_NO_POLICY ? " (policy not checked)" :
	       a->policy ? " and policy checks passed" : " and default policy checks passed");
	print_launch_ids(r);
	if (a->roots)
		printf("warning: trusted custom roots from %s, not AMD's\n", a->roots);
	if (a->flags & VHSM_VERIFY_NO_CHECK_TIME)
		printf("warning: certificate validity dates were not checked\n");
}

static int report_verify_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct verify_inputs in = { 0 };
	struct verify_certs vc = { 0 };
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct verify_args a = { 0 };
	struct vhsm_report r;
	uint8_t *tail = NULL;
	size_t tail_len = 0;
	char *json = NULL;
	int rc, err;

	rc = report_verify_parse(ctx, argc, argv, &a);
	if (rc)
		goto out;
	rc = load_report(ctx, "report verify", a.report, a.inform, &r, &tail, &tail_len);
	if (rc)
		goto out;
	rc = load_inputs(ctx, &a, &in);
	if (rc)
		goto out;
	a.src.roots = in.roots;
	a.src.roots_len = in.roots_len;
	rc = verify_certs_prepare(ctx, &a.src, &r, tail, tail_len, &vc);
	if (rc)
		goto out;

	o.vek = vc.src.vek ? vc.src.vek : in.vcek;
	o.vek_len = vc.src.vek ? vc.src.vek_len : in.vcek_len;
	o.crl = vc.crl ? vc.crl : in.crl;
	o.crl_len = vc.crl ? vc.crl_len : in.crl_len;
	o.roots = in.roots;
	o.roots_len = in.roots_len;
	o.cache_dir = a.src.cache;
	o.policy = in.have_policy ? &in.policy : NULL;
	o.flags = a.flags;
	err = vhsm_verify_report(&r, &o, &res);

	if (err == -EINVAL) {
		tool_err(ctx, "report verify: a certificate, CRL or roots input is not "
			 "usable (expected DER or PEM X.509%s%s%s%s%s%s%s%s)",
			 vc.src.vek ? "; " : "", vc.src.vek ? vc.src.vek_name : "",
			 a.vcek ? "; --vcek " : "", a.vcek ? a.vcek : "",
			 a.crl ? "; --crl " : vc.crl ? "; " : "", a.crl ? a.crl : vc.crl_path,
			 a.roots ? "; --roots " : "", a.roots ? a.roots : "");
		rc = TOOL_ERROR;
		goto out;
	}
	if (err && err != -EKEYREJECTED && err != -ENOKEY) {
		tool_err(ctx, "report verify: %s", strerror(-err));
		rc = TOOL_ERROR;
		goto out;
	}
	if (err == -ENOKEY) {
		tool_err(ctx, "report verify: no %s certificate for this report in %s "
			 "(fetch it from the KDS into that cache, or give --vcek FILE)",
			 r.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK", a.certs);
		rc = TOOL_ERROR;
		goto out;
	}
	if (ctx->json) {
		int jerr = vhsm_verify_result_to_json(&res, &json);

		if (jerr) {
			tool_err(ctx, "report verify: %s", strerror(-jerr));
			rc = TOOL_ERROR;
			goto out;
		}
		rc = print_json_text(ctx, json);
		if (rc)
			goto out;
	}
	if (err == -ENOKEY) {
		if (!ctx->json)
			tool_err(ctx, "report verify: no %s certificate for this report in %s "
				 "(fetch it: vhsm-tool fetch vcek REPORT --cache DIR, or "
				 "report verify --fetch; or give --vcek FILE)",
				 r.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK",
				 a.src.cache);
		rc = TOOL_ERROR;
	} else if (err == -EKEYREJECTED) {
		if (!ctx->json)
			print_refused(ctx, &res);
		rc = TOOL_REFUSED;
	} else {
		if (!ctx->json && !ctx->quiet)
			print_verified(&a, &r, &res);
		rc = TOOL_OK;
	}
out:
	if (rc == TOOL_ERROR && ctx->json)
		print_json_error(ctx);
	free(json);
	free(a.popts);
	vhsm_verify_result_free(&res);
	verify_certs_free(&vc);
	free(tail);
	free_inputs(&in);
	return rc < 0 ? TOOL_OK : rc;
}

/* ---- entry ---- */

static void report_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s [--json] report show REPORT [--field NAME] [--inform FORM]\n"
		"       %s [--json] report verify REPORT [--inform FORM] [--vcek FILE | --certs DIR |\n"
		"                 --cert-table FILE] [--cache DIR [--fetch [--kds URL]]]\n"
		"                 [--crl FILE] [--policy FILE|-] [--roots FILE] [--no-check-time]\n"
		"                 [--no-policy] [--report-data HEX] [--measurement HEX]...\n"
		"                 [--host-data HEX] [--min-tcb bl=N,...] [--max-vmpl N]\n"
		"'%s report show|verify --help' describes each.\n",
		ctx->prog, ctx->prog, ctx->prog);
}

int report_main(struct tool_ctx *ctx, int argc, char **argv)
{
	char name[64];

	if (argc < 2) {
		tool_err(ctx, "report: say 'show' or 'verify'");
		report_usage(ctx, stderr);
		return TOOL_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		report_usage(ctx, stdout);
		return TOOL_OK;
	}
	/* getopt's messages then read "vhsm-tool report show: ..." */
	snprintf(name, sizeof(name), "%s report %s", ctx->prog, argv[1]);
	if (!strcmp(argv[1], "show")) {
		argv[1] = name;
		return report_show_main(ctx, argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "verify")) {
		argv[1] = name;
		return report_verify_main(ctx, argc - 1, argv + 1);
	}
	tool_err(ctx, "report: unknown command '%s' (show or verify)", argv[1]);
	report_usage(ctx, stderr);
	return TOOL_USAGE;
}
