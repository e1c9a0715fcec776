// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool attest: get an attestation report from the platform, binding the
 * caller's report_data; save it raw, print its claims, and save the
 * platform's certificates when it has any.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <vhsm/report.h>
#include <vhsm/vhsm.h>

#include "certdir.h"
#include "subcommands.h"

#define CERTS_CAP (16 * 1024)

static const char attest_help[] =
	"attest (--report-data HEX | --random) [--vmpl N] [-o REPORT] [--certs DIR]\n"
	"  Ask the platform for an attestation report carrying REPORT_DATA (up to\n"
	"  64 bytes as hex, zero-padded): the verifier's nonce, or with --random 64\n"
	"  random bytes (an all-zero report_data would prove no freshness). The raw\n"
	"  report goes to REPORT (default stdout, never a terminal, and nothing else\n"
	"  is written there); its claims are printed (on stderr when the report goes\n"
	"  to stdout; JSON with --json, which then needs -o FILE). --certs DIR saves\n"
	"  the platform's certificates as snpguest's folder (vcek.der or vlek.der,\n"
	"  ask.der or asvk.der, ark.der) and the raw certificate table as\n"
	"  certtable.bin; 'report verify REPORT --certs DIR' reads that folder.\n";

/* HEX (up to 128 digits) into @out, zero-padded; -EINVAL for bad input. */
static int parse_report_data(const char *hex, uint8_t out[VHSM_REPORT_DATA_LEN])
{
	size_t n = strlen(hex), i;
	unsigned int b;

	memset(out, 0, VHSM_REPORT_DATA_LEN);
	if (n % 2 || n > 2 * VHSM_REPORT_DATA_LEN)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		if (!strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		out[i] = (uint8_t)b;
	}
	return 0;
}

static int save_certs(struct tool_ctx *ctx, const char *dir, const uint8_t *table,
		      size_t len)
{
	if (!len) {
		tool_err(ctx, "attest: the platform returned no certificates; fetch the VCEK "
			 "with 'vhsm-tool fetch vcek REPORT --cache DIR' or certify the sim's "
			 "key with vhsm-testca");
		return TOOL_OK;
	}
	return certdir_save(ctx, "attest", dir, table, len);
}

/* "-" or no -o: the report is the only thing on stdout */
static bool to_stdout(const char *out)
{
	return !out || !strcmp(out, "-");
}

static int print_claims(struct tool_ctx *ctx, const uint8_t *raw, size_t len,
			const char *out, bool random)
{
	FILE *f = to_stdout(out) ? stderr : stdout;
	char hex[2 * VHSM_REPORT_DATA_LEN + 1];
	struct vhsm_report r;
	char *json;
	size_t i;
	int ret = vhsm_report_parse(raw, len, &r);

	if (ret) {
		tool_err(ctx, "attest: the platform returned a report this tool cannot parse: %s",
			 strerror(-ret));
		return TOOL_ERROR;
	}
	if (!ctx->json) {
		if (ctx->quiet)
			return TOOL_OK;
		for (i = 0; i < VHSM_REPORT_DATA_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", r.report_data[i]);
		fprintf(f, "report: version %u, vmpl %u, %zu bytes written to %s%s%s\n",
			r.version, r.vmpl, len, to_stdout(out) ? "stdout" : out,
			random ? "; random report_data " : "", random ? hex : "");
		return TOOL_OK;
	}
	ret = vhsm_report_to_json(&r, &json);
	if (ret) {
		tool_err(ctx, "attest: %s", strerror(-ret));
		return TOOL_ERROR;
	}
	puts(json);
	free(json);
	return TOOL_OK;
}

/* --report-data, --random, -o and --json together; TOOL_OK or TOOL_USAGE */
static int check_args(const struct tool_ctx *ctx, bool have_data, bool random,
		      const char *out, uint8_t report_data[VHSM_REPORT_DATA_LEN])
{
	if (have_data == random) {
		tool_err(ctx, have_data ? "attest: give --report-data or --random, not both" :
			 "attest: give --report-data HEX (the verifier's nonce) or --random: an all-zero report_data proves no freshness");
		return TOOL_USAGE;
	}
	if (to_stdout(out) && ctx->json) {
		tool_err(ctx, "attest: the report goes to stdout, so --json has no room there: give -o FILE");
		return TOOL_USAGE;
	}
	if (to_stdout(out) && tool_refuse_tty(ctx, "attest", NULL))
		return TOOL_USAGE;
	if (random && getrandom(report_data, VHSM_REPORT_DATA_LEN, 0) != VHSM_REPORT_DATA_LEN) {
		tool_err(ctx, "attest: no random bytes: %s", strerror(errno));
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int attest_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "report-data", required_argument, NULL, 'r' },
		{ "random", no_argument, NULL, 'R' },
		{ "vmpl", required_argument, NULL, 'v' },
		{ "certs", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint8_t report_data[VHSM_REPORT_DATA_LEN] = { 0 }, report[VHSM_SNP_REPORT_LEN];
	uint8_t *certs = NULL;
	const char *out = NULL, *certs_dir = NULL;
	size_t report_len = sizeof(report), certs_len = CERTS_CAP;
	unsigned long vmpl = 0;
	uint32_t fw_error = 0;
	bool have_data = false, random = false;
	struct vhsm *h;
	char *end;
	int c, ret, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_report_data(optarg, report_data)) {
				tool_err(ctx, "attest: --report-data takes up to 64 bytes as hex digits");
				return TOOL_USAGE;
			}
			have_data = true;
			break;
		case 'R':
			random = true;
			break;
		case 'v':
			vmpl = strtoul(optarg, &end, 10);
			if (*end || vmpl > 3) {
				tool_err(ctx, "attest: --vmpl takes 0 to 3");
				return TOOL_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'c':
			certs_dir = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, attest_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, attest_help);
			return TOOL_USAGE;
		}
	}
	if (optind != argc) {
		tool_err(ctx, "attest: unexpected argument '%s'", argv[optind]);
		return TOOL_USAGE;
	}
	rc = check_args(ctx, have_data, random, out, report_data);
	if (rc)
		return rc;
	if (certs_dir && !(certs = malloc(CERTS_CAP))) {
		tool_err(ctx, "attest: out of memory");
		return TOOL_ERROR;
	}
	rc = tool_open(ctx, &h);
	if (rc)
		goto out_free;
	ret = vhsm_attest(h, report_data, (uint32_t)vmpl, report, &report_len,
			  certs, certs ? &certs_len : NULL, &fw_error);
	vhsm_close(h);
	if (ret == -EIO) {
		tool_err(ctx, "attest: the platform firmware refused the request (status %#x)",
			 fw_error);
		rc = TOOL_ERROR;
	} else if (ret == -EPERM) {
		tool_err(ctx, "attest: raw reports need root or membership of the group in the vhsm module parameter attest_gid");
		rc = TOOL_REFUSED;
	} else if (ret) {
		tool_err(ctx, "attest: %s", vhsm_strerror(ret));
		rc = ret == -EOPNOTSUPP ? TOOL_NODEV : tool_rc_from_errno(ret);
	} else {
		rc = tool_write_output(ctx, "attest", out, report, report_len);
		if (!rc)
			rc = print_claims(ctx, report, report_len, out, random);
		if (!rc && certs_dir)
			rc = save_certs(ctx, certs_dir, certs, certs_len);
	}
out_free:
	free(certs);
	return rc;
}
