// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool: the command line of vhsm. Global options, then a subcommand from
 * the table below.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <vhsm/vhsm.h>

#include "subcommands.h"

#ifndef VHSM_TOOL_VERSION
#define VHSM_TOOL_VERSION "unknown"
#endif

static const struct {
	const char *name;
	int (*fn)(struct tool_ctx *ctx, int argc, char **argv);
	const char *description;
} subcommands[] = {
	{ "info", info_main, "module, ABI, platform, capabilities, limits" },
	{ "keygen", keygen_main, "make a key inside the module" },
	{ "list", list_main, "keys visible to you" },
	{ "show", show_main, "a key's attributes (never its bytes)" },
	{ "destroy", destroy_main, "remove a key" },
	{ "pubkey", pubkey_main, "EC public key (SubjectPublicKeyInfo)" },
	{ "encrypt", encrypt_main, "AES-GCM encrypt; output carries IV and tag" },
	{ "decrypt", decrypt_main, "AES-GCM decrypt" },
	{ "sign", sign_main, "ECDSA signature" },
	{ "verify", verify_main, "check a signature: exit 0 valid, 3 invalid" },
	{ "mac", mac_main, "HMAC" },
	{ "import", import_main, "store key material or a public key" },
	{ "attest", attest_main, "get an attestation report from the platform" },
	{ "report", report_main, "decode and verify SEV-SNP attestation reports" },
	{ "measure", measure_main, "expected SEV-SNP launch measurement (sev-snp-measure)" },
	{ "id-block", id_block_main, "sign an SNP ID block for a launch measurement" },
	{ "policy", policy_main, "write a report verification policy" },
	{ "provision", provision_main, "attest to a KBS and receive a key into the module" },
	{ "keyring", keyring_main, "key tokens; export keys into kernel keyrings" },
	{ "fscrypt", fscrypt_main, "add a key to a filesystem (fscrypt v2)" },
	{ "dmcrypt", dmcrypt_main, "dm-crypt table for a key (dmcrypt table KEY --device DEV)" },
	{ "seal", seal_main, "write a key as a blob only this platform and launch opens" },
	{ "unseal", unseal_main, "store the key in a sealed blob" },
	{ "restore", restore_main, "unseal every blob in a directory (at boot)" },
	{ "reseal", reseal_main, "seal a blob's key again to another TCB (before a firmware update)" },
	{ "fetch", fetch_main, "VCEK, CA chain or CRL from AMD's KDS into a cache" },
	{ "platform", platform_main, "platform key: store a key the AMD-SP derives" },
};

static void usage(const struct tool_ctx *ctx, FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s [--device PATH] [--json] [--quiet] COMMAND [ARGS]\n\n"
		"commands:\n", ctx->prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(out, "\n'%s COMMAND --help' describes a command.\n"
		"exit codes: 0 ok, 1 error, 2 usage, 3 refused (permission, policy,\n"
		"bad signature), 4 device unavailable\n", ctx->prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tool_ctx ctx = { .prog = "vhsm-tool" };
	size_t i;
	int c;

	umask(0077);
	while ((c = getopt_long(argc, argv, "+d:jqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.device = optarg;
			break;
		case 'j':
			ctx.json = true;
			break;
		case 'q':
			ctx.quiet = true;
			break;
		case 'h':
			usage(&ctx, stdout);
			return tool_close_stdout(&ctx);
		case 'V':
			printf("vhsm-tool %s (libvhsm %s)\n", VHSM_TOOL_VERSION,
			       vhsm_library_version());
			return tool_close_stdout(&ctx);
		default:
			usage(&ctx, stderr);
			return TOOL_USAGE;
		}
	}
	if (optind >= argc) {
		tool_err(&ctx, "no command given");
		usage(&ctx, stderr);
		return TOOL_USAGE;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[optind], subcommands[i].name)) {
			int rc = subcommands[i].fn(&ctx, argc - optind, argv + optind);

			/* output lost to a full disk is an error, whatever printed it */
			return tool_close_stdout(&ctx) && !rc ? TOOL_ERROR : rc;
		}
	}

	tool_err(&ctx, "unknown command '%s'", argv[optind]);
	usage(&ctx, stderr);
	return TOOL_USAGE;
}
