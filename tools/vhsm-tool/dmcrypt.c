// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool dmcrypt table: the dm-crypt table line (for `dmsetup create
 * --table`) that maps DEV with a vHSM aes256-xts key, keyed through the
 * kernel keyring, so the key bytes never appear on a command line:
 *
 *   logon (default):  aes-xts-plain64 :64:logon:vhsm:LABEL
 *                     after `vhsm-tool keyring export KEY --as logon --desc vhsm:LABEL`
 *   --template:       capi:vhsm(xts(aes))-plain64 :16:logon:vhsm-token:LABEL
 *                     after `vhsm-tool keyring export KEY --as token --desc vhsm-token:LABEL`
 *
 * The descriptions are fixed by the label, so the two commands can be
 * written down once; --desc overrides. The table covers the whole device:
 * its size in 512-byte sectors (BLKGETSIZE64 for a block device, the file
 * size otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

#define DM_SECTOR	512

static const char dmcrypt_help[] =
	"dmcrypt table KEY --device DEV [--template] [--desc DESC]\n"
	"  Print the dm-crypt table that maps all of DEV (a block device or a\n"
	"  file's loop device; its size decides the sectors) with the aes256-xts\n"
	"  key KEY (label or #N, usage export-kernel), keyed from your keyring:\n"
	"    default     aes-xts-plain64 :64:logon:vhsm:LABEL\n"
	"                first: vhsm-tool keyring export KEY --as logon --desc vhsm:LABEL\n"
	"    --template  capi:vhsm(xts(aes))-plain64 :16:logon:vhsm-token:LABEL\n"
	"                (the key bytes stay in vhsm; the logon key holds its token)\n"
	"                first: vhsm-tool keyring export KEY --as token --desc vhsm-token:LABEL\n"
	"  then: dmsetup create NAME --table \"$(vhsm-tool dmcrypt table ...)\"\n"
	"  --desc DESC  another keyring description (PREFIX:NAME, no spaces)\n";

/* The size of @path in 512-byte sectors; a message and a TOOL_* code on failure. */
static int dev_sectors(const struct tool_ctx *ctx, const char *path, uint64_t *sectors)
{
	uint64_t bytes = 0;
	struct stat st;
	int fd, rc = TOOL_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tool_err(ctx, "dmcrypt: cannot open %s: %s", path, strerror(errno));
		return TOOL_ERROR;
	}
	if (fstat(fd, &st)) {
		tool_err(ctx, "dmcrypt: cannot stat %s: %s", path, strerror(errno));
		rc = TOOL_ERROR;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &bytes)) {
			tool_err(ctx, "dmcrypt: cannot get the size of %s: %s", path,
				 strerror(errno));
			rc = TOOL_ERROR;
		}
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
	} else {
		tool_err(ctx, "dmcrypt: %s is neither a block device nor a file", path);
		rc = TOOL_ERROR;
	}
	close(fd);
	if (rc)
		return rc;
	if (bytes < DM_SECTOR) {
		tool_err(ctx, "dmcrypt: %s is smaller than one 512-byte sector", path);
		return TOOL_ERROR;
	}
	*sectors = bytes / DM_SECTOR;
	return TOOL_OK;
}

/* A table field: non-empty, no whitespace; for a description also "PREFIX:". */
static int field_ok(const char *s, int need_prefix)
{
	const char *colon = strchr(s, ':');

	if (!*s || strpbrk(s, " \t\n\r\v\f"))
		return 0;
	return !need_prefix || (colon && colon != s && colon[1]);
}

/* Is KEY an aes256-xts key the kernel may receive? A message and a TOOL_* code. */
static int key_fits(const struct tool_ctx *ctx, struct vhsm *h, const char *key,
		    uint32_t handle, char *label, size_t label_size)
{
	struct vhsm_key_info ki;
	int ret;

	ret = vhsm_key_info(h, handle, &ki);
	if (ret)
		return tool_key_fail(ctx, "dmcrypt", key, ret);
	if (ki.attr.type != VHSM_KEY_AES256_XTS) {
		tool_err(ctx, "dmcrypt: key '%s' is not an aes256-xts key; make one with "
			 "vhsm-tool keygen --type aes256-xts --usage export-kernel", key);
		return TOOL_ERROR;
	}
	if (!(ki.attr.usage & VHSM_USAGE_EXPORT_KERNEL)) {
		tool_err(ctx, "dmcrypt: key '%s' lacks the export-kernel usage, so the "
			 "kernel may not receive it", key);
		return TOOL_REFUSED;
	}
	snprintf(label, label_size, "%.*s", (int)sizeof(ki.attr.label), ki.attr.label);
	return TOOL_OK;
}

static int print_table(const struct tool_ctx *ctx, const char *key, const char *dev,
		       uint64_t sectors, int template, const char *desc)
{
	const char *cipher = template ? "capi:vhsm(xts(aes))-plain64" : "aes-xts-plain64";
	unsigned int key_len = template ? VHSM_TOKEN_LEN : 64;
	char table[1024];

	if (snprintf(table, sizeof(table), "0 %llu crypt %s :%u:logon:%s 0 %s 0",
		     (unsigned long long)sectors, cipher, key_len, desc, dev) >=
	    (int)sizeof(table)) {
		tool_err(ctx, "dmcrypt: the device path is too long");
		return TOOL_USAGE;
	}
	if (ctx->json)
		return tool_print_json(ctx, json_pack("{s:s, s:s, s:s, s:I, s:s}",
			"table", table, "cipher", cipher, "key_description", desc,
			"sectors", (json_int_t)sectors,
			"export", template ? "token" : "logon"));
	printf("%s\n", table);
	if (!ctx->quiet)
		fprintf(stderr, "dmcrypt: the logon key '%s' must be in your keyring: "
			"vhsm-tool keyring export %s --as %s --desc %s\n", desc, key,
			template ? "token" : "logon", desc);
	return TOOL_OK;
}

static int dmcrypt_table(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'D' },
		{ "template", no_argument, NULL, 't' },
		{ "desc", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *key, *dev = NULL, *desc_opt = NULL;
	char label[VHSM_LABEL_MAX], desc[VHSM_LABEL_MAX + 64];
	int c, rc, template = 0;
	uint64_t sectors;
	uint32_t handle;
	struct vhsm *h;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			dev = optarg;
			break;
		case 't':
			template = 1;
			break;
		case 'k':
			desc_opt = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, dmcrypt_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, dmcrypt_help);
			return TOOL_USAGE;
		}
	}
	if (tool_key_operands(ctx, "dmcrypt table", dmcrypt_help, argc, argv, 1, &key,
			      "give one KEY and nothing else"))
		return TOOL_USAGE;
	if (!dev) {
		tool_err(ctx, "dmcrypt table: missing --device DEV");
		return TOOL_USAGE;
	}
	if (!field_ok(dev, 0)) {
		tool_err(ctx, "dmcrypt table: the device path may not be empty or contain spaces");
		return TOOL_USAGE;
	}
	if (desc_opt && !field_ok(desc_opt, 1)) {
		tool_err(ctx, "dmcrypt table: --desc must be PREFIX:NAME without spaces");
		return TOOL_USAGE;
	}
	rc = dev_sectors(ctx, dev, &sectors);
	if (rc)
		return rc;

	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "dmcrypt", h, key, &handle);
	if (!rc)
		rc = key_fits(ctx, h, key, handle, label, sizeof(label));
	vhsm_close(h);
	if (rc)
		return rc;
	if (desc_opt)
		snprintf(desc, sizeof(desc), "%s", desc_opt);
	else
		snprintf(desc, sizeof(desc), "%s:%s", template ? "vhsm-token" : "vhsm", label);
	return print_table(ctx, key, dev, sectors, template, desc);
}

int dmcrypt_main(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "table"))
		return dmcrypt_table(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: %s %s", ctx->prog, dmcrypt_help);
		return TOOL_OK;
	}
	tool_err(ctx, "dmcrypt: %s", argc < 2 ? "missing subcommand (table)" :
		 "unknown subcommand; the only one is 'table'");
	fprintf(stderr, "usage: %s %s", ctx->prog, dmcrypt_help);
	return TOOL_USAGE;
}
