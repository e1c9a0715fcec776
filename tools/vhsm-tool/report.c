// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool report show|verify: decode and verify AMD SEV-SNP attestation
 * reports with libvhsm's report parser and verifier.  Works offline and
 * without the vhsm device.
 *
 *   report show   REPORT
 *   report verify REPORT [--vcek FILE] [--certs DIR] [--crl FILE]
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
#include "subcommands.h"

#define REPORT_MAX_INPUT (1 << 20)	/* no input of ours is near 1 MiB */

/* ---- helpers ---- */

/* Read a whole file ("-" = stdin), NUL-terminated; prints why it failed. */
static int read_input(const struct tool_ctx *ctx, const char *what,
		      const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 0, n = 0;
	uint8_t *p = NULL, *q;

	*buf = NULL;
	*len = 0;
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

static int load_report(const struct tool_ctx *ctx, const char *path,
		       struct vhsm_report *r)
{
	uint8_t *buf;
	size_t len;
	int err, rc = read_input(ctx, "report", path, &buf, &len);

	if (rc)
		return rc;
	err = vhsm_report_parse(buf, len, r);
	if (err == -EINVAL)
		tool_err(ctx, "%s is %zu bytes; an SEV-SNP attestation report is %d bytes "
			 "(give the raw binary report)", path, len, VHSM_REPORT_SIZE);
	else if (err == -EPROTO)
		tool_err(ctx, "%s: report version %u is not supported (%d..%d)", path,
			 (unsigned int)(buf[0] | buf[1] << 8 | buf[2] << 16 |
					(uint32_t)buf[3] << 24),
			 VHSM_REPORT_MIN_VERSION, VHSM_REPORT_MAX_VERSION);
	else if (err)
		tool_err(ctx, "%s: cannot parse report: %s", path, strerror(-err));
	free(buf);
	return err ? TOOL_ERROR : TOOL_OK;
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
	fprintf(out, "usage: %s [--json] report show REPORT\n"
		"  Decode an SEV-SNP attestation report (raw %d-byte binary, '-' = stdin).\n"
		"  Nothing is verified: use 'report verify' for that.\n",
		ctx->prog, VHSM_REPORT_SIZE);
}

static int report_show_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct vhsm_report r;
	char *json;
	int rc, err;

	rc = tool_parse_json_help(ctx, argc, argv, report_show_usage);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc) {
		tool_err(ctx, "report show: %s", optind == argc ? "no REPORT given" :
			 "give exactly one REPORT");
		report_show_usage(ctx, stderr);
		return TOOL_USAGE;
	}
	rc = load_report(ctx, argv[optind], &r);
	if (rc)
		return rc;
	if (!ctx->json) {
		show_human(&r);
		return fflush(stdout) ? TOOL_ERROR : TOOL_OK;
	}
	err = vhsm_report_to_json(&r, &json);
	if (err) {
		tool_err(ctx, "report show: %s", strerror(-err));
		return TOOL_ERROR;
	}
	rc = print_json_text(ctx, json);
	free(json);
	return rc;
}

/* ---- report verify ---- */

struct verify_args {
	const char *report, *vcek, *certs, *crl, *policy, *roots;
	unsigned int flags;
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
	fprintf(out, "usage: %s [--json] report verify REPORT [--vcek FILE] [--certs DIR]\n"
		"         [--crl FILE] [--policy FILE|-] [--roots FILE] [--no-check-time]\n"
		"         [--no-policy] [--report-data HEX] [--measurement HEX]...\n"
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
		"  --certs DIR      offline cache: DIR/vcek/<Product>/<hwid>/<tcb>.der,\n"
		"                   DIR/vlek/<Product>/<tcb>.der, DIR/<Product>/{ark,ask,asvk}.pem\n"
		"  --crl FILE       CRL(s) to check the chain against (DER or PEM)\n"
		"  --policy FILE    JSON appraisal policy, - for stdin (default: everything\n"
		"                   but debug and provisional firmware); keys in vhsm-tool(1)\n"
		"  --roots FILE     PEM bundle of custom roots instead of AMD's (tests only)\n"
		"  --no-check-time  ignore certificate validity dates\n"
		"  --no-policy      check signature, chain and certificate only\n"
		POLICYARGS_HELP
		"  (these apply on top of --policy FILE)\n"
		"  exit 0 verified, 3 refused (every failed check is named), 1 error, 2 usage\n");
}

static int report_verify_parse(struct tool_ctx *ctx, int argc, char **argv,
			struct verify_args *a)
{
	static const struct option opts[] = {
		{ "vcek", required_argument, NULL, 'v' },
		{ "vlek", required_argument, NULL, 'v' },
		{ "certs", required_argument, NULL, 'c' },
		{ "crl", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "roots", required_argument, NULL, 'R' },
		{ "no-check-time", no_argument, NULL, 'T' },
		{ "no-policy", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
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
	if ((a->policy || a->n_popts) && (a->flags & VHSM_VERIFY_NO_POLICY)) {
		tool_err(ctx, "report verify: --no-policy excludes --policy and the policy "
			 "options");
		return TOOL_USAGE;
	}
	if (a->policy && !strcmp(a->policy, "-") && !strcmp(a->report, "-")) {
		tool_err(ctx, "report verify: the report and --policy cannot both be stdin");
		return TOOL_USAGE;
	}
	if (!a->vcek && !a->certs) {
		tool_err(ctx, "report verify: give the VCEK/VLEK certificate with --vcek FILE "
			 "or an offline cache with --certs DIR");
		return TOOL_USAGE;
	}
	return TOOL_OK;
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

	if (a->certs && stat(a->certs, &st)) {
		tool_err(ctx, "--certs %s: %s", a->certs, strerror(errno));
		return TOOL_ERROR;
	}
	if (a->certs && !S_ISDIR(st.st_mode)) {
		tool_err(ctx, "--certs %s: not a directory", a->certs);
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
	struct vhsm_verify_result res = VHSM_VERIFY_RESULT_INIT;
	struct vhsm_verify_opts o = VHSM_VERIFY_OPTS_INIT;
	struct verify_args a = { 0 };
	struct vhsm_report r;
	char *json = NULL;
	int rc, err;

	rc = report_verify_parse(ctx, argc, argv, &a);
	if (rc)
		goto out;
	rc = load_report(ctx, a.report, &r);
	if (rc)
		goto out;
	rc = load_inputs(ctx, &a, &in);
	if (rc)
		goto out;

	o.vek = in.vcek;
	o.vek_len = in.vcek_len;
	o.crl = in.crl;
	o.crl_len = in.crl_len;
	o.roots = in.roots;
	o.roots_len = in.roots_len;
	o.cache_dir = a.certs;
	o.policy = in.have_policy ? &in.policy : NULL;
	o.flags = a.flags;
	err = vhsm_verify_report(&r, &o, &res);

	if (err == -EINVAL) {
		tool_err(ctx, "report verify: a certificate, CRL or roots input is not "
			 "usable (expected DER or PEM X.509%s%s%s%s%s%s)",
			 a.vcek ? "; --vcek " : "", a.vcek ? a.vcek : "",
			 a.crl ? "; --crl " : "", a.crl ? a.crl : "",
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
	if (err == -EKEYREJECTED) {
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
	free_inputs(&in);
	return rc < 0 ? TOOL_OK : rc;
}

/* ---- entry ---- */

static void report_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s [--json] report show REPORT\n"
		"       %s [--json] report verify REPORT [--vcek FILE] [--certs DIR] [--crl FILE]\n"
		"                 [--policy FILE|-] [--roots FILE] [--no-check-time] [--no-policy]\n"
		"                 [--report-data HEX] [--measurement HEX]... [--host-data HEX]\n"
		"                 [--min-tcb bl=N,...] [--max-vmpl N]\n"
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
