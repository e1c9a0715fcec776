// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool measure: the expected SEV-SNP launch measurement of a guest, with
 * the options and meanings of virtee's sev-snp-measure so its users need not
 * relearn them. The digest goes to stdout (hex or base64); --json adds every
 * input's hash; --dump-vmsa writes the VMSA pages as vmsa<N>.bin.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <vhsm/measure.h>

#include "encoding.h"
#include "hexarg.h"
#include "subcommands.h"

#define CMD "measure"

/* SHA-256 of zero bytes */
static const uint8_t sha256_empty[32] = {
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8,
	0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
	0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static const char measure_help[] =
	"measure --mode snp|snp:ovmf-hash|snp:svsm --ovmf PATH [--vcpus N]\n"
	"        [--vcpu-type NAME | --vcpu-sig V | --vcpu-family F --vcpu-model M\n"
	"         --vcpu-stepping S] [--vmm-type QEMU|ec2|gce] [--kernel PATH]\n"
	"        [--initrd PATH] [--append CMDLINE] [--guest-features V]\n"
	"        [--snp-ovmf-hash HEX] [--svsm PATH (--vars-size N | --vars-file PATH)]\n"
	"        [--output-format hex|base64] [--dump-vmsa]\n"
	"  The SEV-SNP launch measurement of a guest, as sev-snp-measure computes it.\n"
	"  snp:ovmf-hash prints the digest of the firmware pages alone, for\n"
	"  --snp-ovmf-hash. Numbers take C prefixes (0x21). --kernel turns on measured\n"
	"  direct boot: the command line is hashed with its trailing NUL, byte for\n"
	"  byte as QEMU's -append passes it. --json prints every input's hash.\n";

struct measure_args {
	const char *mode, *ovmf, *kernel, *initrd, *append, *svsm, *vars_file;
	const char *vcpu_type, *vmm, *format, *ovmf_hash;
	const char *vcpus, *sig, *family, *model, *stepping, *features, *vars_size;
	bool dump_vmsa;
};

struct measure_state {
	struct vhsm_measure_in in;
	struct vhsm_measure_out out;
	uint8_t ovmf_hash[VHSM_LD_SIZE];
	uint8_t *ovmf, *svsm;
	uint64_t kernel_size, initrd_size;
	bool svsm_mode, hash_only;
};

static void print_help(const struct tool_ctx *ctx, FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s %s  vCPU types:", ctx->prog, measure_help);
	for (i = 0; vhsm_vcpu_type_name(i); i++)
		fprintf(out, "%s %s", i % 6 ? "" : "\n   ", vhsm_vcpu_type_name(i));
	fputc('\n', out);
}

/* --help: all of it; a wrong option: where to look */
static void measure_usage(const struct tool_ctx *ctx, FILE *out)
{
	if (out == stdout)
		print_help(ctx, out);
	else
		fprintf(out, "'%s " CMD " --help' lists the options.\n", ctx->prog);
}

static int usage_err(const struct tool_ctx *ctx, const char *msg)
{
	tool_err(ctx, CMD ": %s", msg);
	fprintf(stderr, "'%s " CMD " --help' lists the options.\n", ctx->prog);
	return TOOL_USAGE;
}

/* sev-snp-measure's int(x, 0): decimal, 0x hex, 0o/0 octal, 0b binary */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	int base = 0;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		s += 2, base = 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		s += 2, base = 8;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || end == s || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int num_arg(const struct tool_ctx *ctx, const char *opt, const char *s,
		   uint64_t max, uint64_t *out)
{
	char msg[160];

	if (!parse_num(s, max, out))
		return 0;
	snprintf(msg, sizeof(msg), "%s '%s' is not a number from 0 to %" PRIu64, opt, s, max);
	return usage_err(ctx, msg);
}

/* TOOL_OK to go on, -1 after --help, else the exit code */
static int parse_opts(struct tool_ctx *ctx, int argc, char **argv, struct measure_args *a)
{
	const struct tool_opt opts[] = {
		{ .name = "mode", .str = &a->mode },
		{ .name = "vcpus", .str = &a->vcpus },
		{ .name = "vcpu-type", .str = &a->vcpu_type },
		{ .name = "vcpu-sig", .str = &a->sig },
		{ .name = "vcpu-family", .str = &a->family },
		{ .name = "vcpu-model", .str = &a->model },
		{ .name = "vcpu-stepping", .str = &a->stepping },
		{ .name = "vmm-type", .str = &a->vmm },
		{ .name = "ovmf", .str = &a->ovmf },
		{ .name = "kernel", .str = &a->kernel },
		{ .name = "initrd", .str = &a->initrd },
		{ .name = "append", .str = &a->append },
		{ .name = "guest-features", .str = &a->features },
		{ .name = "snp-ovmf-hash", .str = &a->ovmf_hash },
		{ .name = "output-format", .str = &a->format },
		{ .name = "dump-vmsa", .flag = &a->dump_vmsa },
		{ .name = "svsm", .str = &a->svsm },
		{ .name = "vars-size", .str = &a->vars_size },
		{ .name = "vars-file", .str = &a->vars_file },
	};
	int rc;

	memset(a, 0, sizeof(*a));
	rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), measure_usage);
	if (rc >= 0)
		return rc ? rc : -1;
	if (optind != argc)
		return usage_err(ctx, "unexpected operand (every input is an option)");
	return TOOL_OK;
}

/* --vcpu-family (with model and stepping) > --vcpu-sig > --vcpu-type */
static int vcpu_sig(const struct tool_ctx *ctx, const struct measure_args *a,
		    struct vhsm_measure_in *in)
{
	uint64_t f, m, s;

	if (a->family) {
		if (!a->model || !a->stepping)
			return usage_err(ctx, "--vcpu-family needs --vcpu-model and --vcpu-stepping");
		if (num_arg(ctx, "--vcpu-family", a->family, 0x10e, &f) ||
		    num_arg(ctx, "--vcpu-model", a->model, 0xff, &m) ||
		    num_arg(ctx, "--vcpu-stepping", a->stepping, 0xf, &s))
			return TOOL_USAGE;
		in->vcpu_sig = vhsm_vcpu_sig((unsigned int)f, (unsigned int)m, (unsigned int)s);
		return TOOL_OK;
	}
	if (a->sig) {
		if (num_arg(ctx, "--vcpu-sig", a->sig, UINT32_MAX, &f))
			return TOOL_USAGE;
		in->vcpu_sig = (uint32_t)f;
		return TOOL_OK;
	}
	if (a->vcpu_type) {
		if (vhsm_vcpu_type_sig(a->vcpu_type, &in->vcpu_sig)) {
			tool_err(ctx, CMD ": unknown --vcpu-type '%s'", a->vcpu_type);
			print_help(ctx, stderr);
			return TOOL_USAGE;
		}
		return TOOL_OK;
	}
	if (in->vmm == VHSM_VMM_QEMU)
		return usage_err(ctx, "missing --vcpu-type or --vcpu-sig or --vcpu-family "
				 "(QEMU puts the vCPU signature in the VMSA)");
	return TOOL_OK;
}

static int check_mode(const struct tool_ctx *ctx, const struct measure_args *a,
		      struct measure_state *st)
{
	if (!a->mode)
		return usage_err(ctx, "missing --mode snp|snp:ovmf-hash|snp:svsm");
	if (!strcmp(a->mode, "snp:ovmf-hash"))
		st->hash_only = true;
	else if (!strcmp(a->mode, "snp:svsm"))
		st->svsm_mode = true;
	else if (strcmp(a->mode, "snp"))
		return usage_err(ctx, "--mode must be snp, snp:ovmf-hash or snp:svsm "
				 "(SEV and SEV-ES launches are not measured by this tool)");
	if (!a->ovmf)
		return usage_err(ctx, "missing --ovmf PATH");
	if (a->format && strcmp(a->format, "hex") && strcmp(a->format, "base64"))
		return usage_err(ctx, "--output-format must be hex or base64");
	if ((a->initrd || a->append) && !a->kernel)
		return usage_err(ctx, a->initrd ? "--kernel required when using --initrd" :
				 "--kernel required when using --append");
	if (st->svsm_mode && (!a->svsm || !!a->vars_size == !!a->vars_file))
		return usage_err(ctx, "snp:svsm mode requires --svsm PATH and one of "
				 "--vars-size N or --vars-file PATH");
	if (!st->svsm_mode && (a->svsm || a->vars_size || a->vars_file))
		return usage_err(ctx, "--svsm, --vars-size and --vars-file belong to --mode snp:svsm");
	if (st->svsm_mode && a->kernel)
		return usage_err(ctx, "snp:svsm mode measures no kernel (leave out --kernel)");
	if (a->ovmf_hash && strcmp(a->mode, "snp"))
		return usage_err(ctx, "--snp-ovmf-hash only works with --mode snp");
	return TOOL_OK;
}

static int parse_numbers(const struct tool_ctx *ctx, const struct measure_args *a,
			 struct measure_state *st)
{
	struct vhsm_measure_in *in = &st->in;
	uint64_t v;

	if (!a->vcpus)
		return usage_err(ctx, "missing --vcpus N");
	if (num_arg(ctx, "--vcpus", a->vcpus, VHSM_VCPUS_MAX, &v))
		return TOOL_USAGE;
	if (!v)
		return usage_err(ctx, "--vcpus must be at least 1");
	in->vcpus = (unsigned int)v;
	in->vmm = VHSM_VMM_QEMU;
	if (a->vmm && vhsm_vmm_type_parse(a->vmm, &in->vmm))
		return usage_err(ctx, "unknown --vmm-type (QEMU, ec2 or gce)");
	in->guest_features = 1;
	if (a->features && num_arg(ctx, "--guest-features", a->features, UINT64_MAX,
				   &in->guest_features))
		return TOOL_USAGE;
	if (a->ovmf_hash) {
		if (hexarg_parse(a->ovmf_hash, st->ovmf_hash, sizeof(st->ovmf_hash)))
			return usage_err(ctx, "--snp-ovmf-hash must be 96 hex digits");
		in->ovmf_hash = st->ovmf_hash;
	}
	if (a->vars_size && num_arg(ctx, "--vars-size", a->vars_size, UINT32_MAX, &in->vars_size))
		return TOOL_USAGE;
	return vcpu_sig(ctx, a, in);
}

static int hash_file(const struct tool_ctx *ctx, const char *what, const char *path,
		     uint8_t out[32], uint64_t *size)
{
	int ret = vhsm_measure_file_hash(path, VHSM_BOOT_FILE_MAX, out, size);

	if (ret == -EFBIG)
		tool_err(ctx, CMD ": %s '%s' is larger than %llu GiB", what, path,
			 VHSM_BOOT_FILE_MAX >> 30);
	else if (ret)
		tool_err(ctx, CMD ": cannot read %s '%s': %s", what, path, strerror(-ret));
	return ret ? TOOL_ERROR : TOOL_OK;
}

static int load_inputs(const struct tool_ctx *ctx, const struct measure_args *a,
		       struct measure_state *st)
{
	struct vhsm_measure_in *in = &st->in;
	struct stat sb;
	int rc;

	rc = tool_read_input(ctx, CMD, "firmware", a->ovmf, VHSM_OVMF_MAX, NULL,
			     &st->ovmf, &in->ovmf_len);
	if (rc || st->hash_only)
		return rc;
	in->ovmf = st->ovmf;
	if (a->kernel) {
		in->kernel_hashes = true;
		rc = hash_file(ctx, "kernel", a->kernel, in->kernel_sha256, &st->kernel_size);
		if (!rc && a->initrd)
			rc = hash_file(ctx, "initrd", a->initrd, in->initrd_sha256,
				       &st->initrd_size);
		else if (!rc)	/* no initrd: QEMU hashes the empty string */
			memcpy(in->initrd_sha256, sha256_empty, 32);
		if (!rc && vhsm_measure_cmdline_hash(a->append, in->cmdline_sha256)) {
			tool_err(ctx, CMD ": --append is longer than %u bytes", VHSM_CMDLINE_MAX);
			rc = TOOL_ERROR;
		}
		if (rc)
			return rc;
	}
	if (st->svsm_mode) {
		in->mode = VHSM_MEASURE_SNP_SVSM;
		if (a->vars_file) {
			if (stat(a->vars_file, &sb)) {
				tool_err(ctx, CMD ": --vars-file '%s': %s", a->vars_file,
					 strerror(errno));
				return TOOL_ERROR;
			}
			in->vars_size = (uint64_t)sb.st_size;
		}
		rc = tool_read_input(ctx, CMD, "SVSM image", a->svsm, VHSM_OVMF_MAX, NULL,
				     &st->svsm, &in->svsm_len);
		in->svsm = st->svsm;
	}
	return rc;
}

static int dump_vmsas(const struct tool_ctx *ctx, const struct measure_state *st)
{
	const struct vhsm_measure_in *in = &st->in;
	uint8_t page[VHSM_VMSA_SIZE];
	struct vhsm_ovmf o;
	uint32_t bsp = VHSM_BSP_EIP, ap;
	char name[32];
	unsigned int i;
	int rc = TOOL_OK;

	if (st->svsm_mode) {
		vhsm_ovmf_parse(in->svsm, in->svsm_len, &o, NULL, 0);
		bsp = (uint32_t)(0x100000000ull - in->ovmf_len - in->vars_size - in->svsm_len) +
		      o.svsm_entry;
		ap = bsp;
	} else {
		vhsm_ovmf_parse(in->ovmf, in->ovmf_len, &o, NULL, 0);
		ap = o.reset_eip;
	}
	for (i = 0; i < in->vcpus && rc == TOOL_OK; i++) {
		vhsm_vmsa_build(page, i ? ap : bsp, in->guest_features, in->vcpu_sig, in->vmm,
				st->svsm_mode);
		snprintf(name, sizeof(name), "vmsa%u.bin", i);
		rc = tool_write_output(ctx, CMD, name, page, sizeof(page));
	}
	return rc;
}

static json_t *hex_json(const uint8_t *b, size_t n)
{
	char s[2 * VHSM_LD_SIZE + 1];

	hexarg_str(b, n, s);
	return json_string(s);
}

static json_t *file_json(const char *path, uint64_t size, const uint8_t sha[32])
{
	return json_pack("{s:s?, s:I, s:o}", "path", path, "size", (json_int_t)size,
			 "sha256", hex_json(sha, 32));
}

static json_t *sections_json(const uint8_t *fw, size_t len)
{
	json_t *arr = json_array();
	struct vhsm_ovmf o;
	char gpa[16], size[16];
	size_t i;

	if (!arr || vhsm_ovmf_parse(fw, len, &o, NULL, 0))
		return arr;
	for (i = 0; i < o.n_sections; i++) {
		const char *name = vhsm_ovmf_section_name(o.sections[i].type);

		snprintf(gpa, sizeof(gpa), "0x%x", o.sections[i].gpa);
		snprintf(size, sizeof(size), "0x%x", o.sections[i].size);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "type",
						     name ? name : "unknown", "gpa", gpa,
						     "size", size));
	}
	return arr;
}

static int print_json(const struct tool_ctx *ctx, const struct measure_args *a,
		      const struct measure_state *st, const char *b64)
{
	const struct vhsm_measure_in *in = &st->in;
	char sig[16], feat[24];
	json_t *doc;

	snprintf(sig, sizeof(sig), "0x%x", in->vcpu_sig);
	snprintf(feat, sizeof(feat), "0x%" PRIx64, in->guest_features);
	doc = json_pack("{s:s, s:o, s:s, s:I, s:s, s:s, s:s, s:I, s:{s:s, s:I, s:o, s:o}, "
			"s:{s:o, s:o*}}",
			"mode", a->mode, "measurement", hex_json(st->out.digest, VHSM_LD_SIZE),
			"measurement_base64", b64,
			"vcpus", (json_int_t)in->vcpus, "vcpu_sig", sig,
			"vmm_type", vhsm_vmm_type_name(in->vmm), "guest_features", feat,
			"pages", (json_int_t)st->out.pages,
			"ovmf", "path", a->ovmf, "size", (json_int_t)in->ovmf_len,
			"ovmf_hash", hex_json(st->out.ovmf_hash, VHSM_LD_SIZE),
			"sections", sections_json(st->svsm_mode ? in->svsm : in->ovmf,
						  st->svsm_mode ? in->svsm_len : in->ovmf_len),
			"vmsa", "bsp_sha384", hex_json(st->out.bsp_vmsa, VHSM_LD_SIZE),
			"ap_sha384", in->vcpus > 1 ? hex_json(st->out.ap_vmsa, VHSM_LD_SIZE) : NULL);
	if (doc && in->kernel_hashes) {
		json_object_set_new(doc, "kernel", file_json(a->kernel, st->kernel_size,
							      in->kernel_sha256));
		json_object_set_new(doc, "initrd", file_json(a->initrd, st->initrd_size,
							      in->initrd_sha256));
		json_object_set_new(doc, "cmdline", json_pack("{s:s, s:o}", "value",
			a->append ? a->append : "", "sha256", hex_json(in->cmdline_sha256, 32)));
	}
	if (doc && st->svsm_mode)
		json_object_set_new(doc, "svsm", json_pack("{s:s, s:I, s:I}", "path", a->svsm,
			"size", (json_int_t)in->svsm_len, "vars_size", (json_int_t)in->vars_size));
	return tool_print_json(ctx, doc);
}

static int print_digest(const struct tool_ctx *ctx, const struct measure_args *a,
			const struct measure_state *st, const uint8_t d[VHSM_LD_SIZE])
{
	char hex[2 * VHSM_LD_SIZE + 1], b64[B64_LEN(VHSM_LD_SIZE) + 1];

	hexarg_str(d, VHSM_LD_SIZE, hex);
	b64_encode(d, VHSM_LD_SIZE, b64, sizeof(b64));
	if (ctx->json && !st->hash_only)
		return print_json(ctx, a, st, b64);
	if (ctx->json)
		return tool_print_json(ctx, json_pack("{s:s, s:s, s:I}", "ovmf_hash", hex,
						      "ovmf", a->ovmf,
						      (json_int_t)st->in.ovmf_len));
	/* snp:ovmf-hash is always hex, as --snp-ovmf-hash takes it */
	puts(!st->hash_only && a->format && !strcmp(a->format, "base64") ? b64 : hex);
	return fflush(stdout) ? TOOL_ERROR : TOOL_OK;
}

static int run(const struct tool_ctx *ctx, const struct measure_args *a,
	       struct measure_state *st)
{
	char err[256] = "";
	int ret;

	if (st->hash_only) {
		ret = vhsm_measure_ovmf_hash(st->ovmf, st->in.ovmf_len, st->out.ovmf_hash,
					     err, sizeof(err));
		if (!ret)
			return print_digest(ctx, a, st, st->out.ovmf_hash);
	} else {
		ret = vhsm_measure_launch(&st->in, &st->out, err, sizeof(err));
		if (!ret && a->dump_vmsa && dump_vmsas(ctx, st))
			return TOOL_ERROR;
		if (!ret)
			return print_digest(ctx, a, st, st->out.digest);
	}
	tool_err(ctx, CMD ": cannot measure: %s", err[0] ? err : strerror(-ret));
	return TOOL_ERROR;
}

int measure_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct measure_state st = { 0 };
	struct measure_args a;
	int rc;

	rc = parse_opts(ctx, argc, argv, &a);
	if (rc)
		return rc < 0 ? TOOL_OK : rc;
	rc = check_mode(ctx, &a, &st);
	if (!rc && !st.hash_only)
		rc = parse_numbers(ctx, &a, &st);
	if (!rc)
		rc = load_inputs(ctx, &a, &st);
	if (!rc)
		rc = run(ctx, &a, &st);
	tool_free_secret(st.ovmf, st.in.ovmf_len);
	tool_free_secret(st.svsm, st.in.svsm_len);
	return rc;
}
