// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool fscrypt add: give a filesystem a vHSM key as an fscrypt v2 master
 * key. The module exports the key into an fscrypt-provisioning key in this
 * thread's keyring; FS_IOC_ADD_ENCRYPTION_KEY then names that key by serial
 * (key_id), so the bytes go from the key store to fscrypt inside the kernel.
 * The provisioning key is invalidated afterwards. The filesystem answers with
 * the key identifier (HKDF of the key), which v2 policies name.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fscrypt.h>
#include <linux/keyctl.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

static const char add_help[] =
	"fscrypt add KEY --mountpoint DIR\n"
	"  Add KEY (a secret64 key with usage export-kernel) to the filesystem\n"
	"  mounted at DIR as an fscrypt v2 master key and print its identifier\n"
	"  (32 hex digits) for a v2 encryption policy. The key bytes go from the\n"
	"  module to the filesystem inside the kernel.\n";

/* Description of the transient provisioning key in the thread keyring. */
#define PROVISION_DESC	"vhsm:fscrypt-add"

static int fs_add_key(const struct tool_ctx *ctx, const char *dir, int32_t serial,
		      char *hex)
{
	struct fscrypt_add_key_arg arg;
	int fd, ret = TOOL_OK;
	size_t i;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		tool_err(ctx, "fscrypt add: cannot open %s: %s", dir, strerror(errno));
		return TOOL_ERROR;
	}
	memset(&arg, 0, sizeof(arg));
	arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	arg.key_id = serial;
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &arg)) {
		int err = errno;

		if (err == ENOTTY || err == EOPNOTSUPP)
			tool_err(ctx, "fscrypt add: %s is not on a filesystem with encryption enabled (ext4: mkfs.ext4 -O encrypt or tune2fs -O encrypt)", dir);
		else
			tool_err(ctx, "fscrypt add: the filesystem refused the key: %s", strerror(err));
		ret = tool_rc_from_errno(-err) == TOOL_REFUSED ? TOOL_REFUSED : TOOL_ERROR;
		goto out;
	}
	for (i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", arg.key_spec.u.identifier[i]);
out:
	close(fd);
	return ret;
}

static int add_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mountpoint", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char hex[2 * FSCRYPT_KEY_IDENTIFIER_SIZE + 1];
	const char *key, *dir = NULL;
	uint32_t handle;
	int32_t serial;
	struct vhsm *h;
	int c, ret, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			dir = optarg;
			break;
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, add_help);
			return TOOL_OK;
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, add_help);
			return TOOL_USAGE;
		}
	}
	if (tool_key_operands(ctx, "fscrypt add", add_help, argc, argv, 1, &key,
			      "give one KEY and nothing else"))
		return TOOL_USAGE;
	if (!dir) {
		tool_err(ctx, "fscrypt add: --mountpoint DIR is required");
		return TOOL_USAGE;
	}
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "fscrypt add", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_key_export(h, handle, VHSM_EXPORT_FSCRYPT, KEY_SPEC_THREAD_KEYRING,
			      PROVISION_DESC, &serial);
	if (ret) {
		if (ret == -EOPNOTSUPP)
			tool_err(ctx, "fscrypt add: key '%s' is not a secret key: use a secret64 key (keygen --type secret64)", key);
		else if (ret == -EPERM)
			tool_err(ctx, "fscrypt add: key '%s' lacks usage export-kernel", key);
		else
			tool_err(ctx, "fscrypt add: key '%s': %s", key, vhsm_key_strerror(ret));
		rc = tool_key_rc(ret);
		goto out;
	}
	rc = fs_add_key(ctx, dir, serial, hex);
	/* the filesystem holds its own copy now; drop the provisioning key */
	if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, serial))
		tool_err(ctx, "fscrypt add: warning: cannot invalidate provisioning key %d: %s",
			 (int)serial, strerror(errno));
	if (rc)
		goto out;
	if (ctx->json)
		rc = tool_print_json(ctx, json_pack("{s:s, s:s, s:s}", "key", key,
						    "mountpoint", dir, "identifier", hex));
	else
		rc = printf("%s\n", hex) < 0 || fflush(stdout) ? TOOL_ERROR : TOOL_OK;
out:
	vhsm_close(h);
	return rc;
}

int fscrypt_main(struct tool_ctx *ctx, int argc, char **argv)
{
	char name[64];

	if (argc < 2) {
		tool_err(ctx, "fscrypt: say 'add'");
		fprintf(stderr, "usage: %s %s", ctx->prog, add_help);
		return TOOL_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		printf("usage: %s %s", ctx->prog, add_help);
		return TOOL_OK;
	}
	if (!strcmp(argv[1], "add")) {
		snprintf(name, sizeof(name), "%s fscrypt add", ctx->prog);
		argv[1] = name;
		return add_main(ctx, argc - 1, argv + 1);
	}
	tool_err(ctx, "fscrypt: unknown command '%s' (add)", argv[1]);
	fprintf(stderr, "usage: %s %s", ctx->prog, add_help);
	return TOOL_USAGE;
}
