// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool seal, unseal, reseal and restore: stored keys out as sealed
 * blobs (bound to this platform and launch by the AMD-SP's derived key) and
 * back into the module. Blobs are binary files; their format is in README.md.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "seal_args.h"
#include "subcommands.h"

static const char seal_help[] =
	"seal KEY [-o BLOB] [--bind LIST] [--tcb auto|committed|HEX] [--root vcek|vmrk]\n"
	"  Write KEY (label or #N; it needs the 'seal' usage) as a sealed blob that\n"
	"  only this platform opens again, for a launch with the fields in LIST:\n"
	"  measurement, policy, svn, family-id, image-id, tcb; 'all' (default) or\n"
	"  'none'. --tcb: the TCB sealed to: auto (REPORTED_TCB, at most\n"
	"  COMMITTED_TCB; default), committed (COMMITTED_TCB) or 16 hex digits.\n"
	"  --root: the AMD-SP root key, vcek (default) or vmrk. BLOB defaults to\n"
	"  stdout (never a terminal).\n";

static const char reseal_help[] =
	"reseal BLOB --tcb auto|committed|HEX [-o OUT] [--bind LIST] [--root vcek|vmrk]\n"
	"  Seal the key in BLOB again to another TCB (and, if given, other fields or\n"
	"  root), while BLOB still opens: before a firmware update, reseal to the\n"
	"  TCB the platform will still accept. --bind and --root default to BLOB's.\n"
	"  OUT defaults to BLOB itself (replaced atomically).\n";

static const char unseal_help[] =
	"unseal BLOB [--label LABEL]\n"
	"  Store the key sealed in BLOB (a file, or '-' for stdin) with its type,\n"
	"  usage, mode and owner, labelled LABEL (default: its label when sealed).\n"
	"  Prints the new key's handle.\n";

static const char restore_help[] =
	"restore DIR\n"
	"  Unseal every regular file in DIR (names starting with '.' are skipped), in\n"
	"  name order. A blob that fails is reported and skipped; the rest are\n"
	"  restored; the exit code is then that of the first failure.\n";

struct seal_opts {
	const char *out;
	uint64_t fields;
	uint32_t tcb_flags;
	uint64_t tcb;
	uint32_t root;
	bool bind_set, tcb_set, root_set;
};

static int usage_err(const struct tool_ctx *ctx, const char *help)
{
	fprintf(stderr, "usage: %s %s", ctx->prog, help);
	return TOOL_USAGE;
}

/* The options seal and reseal share; -1 to go on, else an exit code. */
static int seal_parse(struct tool_ctx *ctx, const char *cmd, const char *help,
		      int argc, char **argv, struct seal_opts *o)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "tcb", required_argument, NULL, 't' },
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->fields = VHSM_FIELD_ALL;
	o->tcb_flags = VHSM_SEAL_F_TCB_REPORTED;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'b':
			o->bind_set = true;
			if (seal_bind_parse(optarg, &o->fields)) {
				tool_err(ctx, "%s: --bind '%s': give 'all', 'none' or a list of measurement, policy, svn, family-id, image-id, tcb",
					 cmd, optarg);
				return TOOL_USAGE;
			}
			break;
		case 't':
			o->tcb_set = true;
			if (seal_tcb_parse(optarg, &o->tcb_flags, &o->tcb)) {
				tool_err(ctx, "%s: --tcb '%s': give auto, committed or a TCB_VERSION of up to 16 hex digits",
					 cmd, optarg);
				return TOOL_USAGE;
			}
			break;
		case 'r':
			o->root_set = true;
			if (seal_root_parse(optarg, &o->root)) {
				tool_err(ctx, "%s: --root '%s': give vcek or vmrk", cmd, optarg);
				return TOOL_USAGE;
			}
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, help);
			return TOOL_OK;
		default:
			return usage_err(ctx, help);
		}
	}
	return -1;
}

/* A failed seal or unseal call, in words; its exit code. */
static int seal_fail(const struct tool_ctx *ctx, const char *cmd, const char *what,
		     int err, uint32_t fw_error)
{
	switch (-err) {
	case EPERM:
		tool_err(ctx, "%s: %s: not permitted: %s", cmd, what,
			 !strcmp(cmd, "seal") || !strcmp(cmd, "keyring") ?
			 "the key was not created with the 'seal' usage, and can never leave the module" :
			 "the blob belongs to another user (only its owner or root may unseal it)");
		return TOOL_REFUSED;
	case EACCES:
		tool_err(ctx, "%s: %s: only the key's owner (or root) may seal it, with use permission",
			 cmd, what);
		return TOOL_REFUSED;
	case EBADMSG:
		tool_err(ctx, "%s: %s: the blob does not open here: it was modified, or sealed on another platform or for another launch (measurement, policy, guest SVN, IDs, root)",
			 cmd, what);
		return TOOL_REFUSED;
	case EIO:
		tool_err(ctx, "%s: %s: the platform refused the sealing key (firmware status 0x%x): a TCB or guest SVN above the current one, or a root key it does not have",
			 cmd, what, fw_error);
		return TOOL_REFUSED;
	default:
		return tool_key_fail(ctx, cmd, what, err);
	}
}

/* Read a blob file and check its framing; a TOOL_* code. */
static int blob_read(const struct tool_ctx *ctx, const char *cmd, const char *path,
		     uint8_t **buf, size_t *len, struct vhsm_seal_hdr *hdr)
{
	const char *problem;
	int rc;

	rc = tool_read_input(ctx, cmd, "blob", path, VHSM_SEAL_BLOB_MAX,
			     "a sealed blob is at most 320 bytes", buf, len);
	if (rc)
		return rc;
	problem = seal_blob_problem(*buf, *len, hdr);
	if (!problem)
		return TOOL_OK;
	tool_err(ctx, "%s: '%s': %s", cmd, path, problem);
	tool_free_secret(*buf, *len);
	*buf = NULL;
	return TOOL_ERROR;
}

static int seal_print(const struct tool_ctx *ctx, const struct vhsm_seal *req)
{
	char bind[96], tcb[20];

	if (!ctx->json)
		return TOOL_OK;
	seal_bind_format(req->guest_field_select, bind, sizeof(bind));
	snprintf(tcb, sizeof(tcb), "%016llx", (unsigned long long)req->tcb_version);
	return tool_print_json(ctx, json_pack("{s:I, s:s, s:s, s:s, s:I}",
		"blob_len", (json_int_t)req->blob_len,
		"root", req->root_key_select ? "vmrk" : "vcek", "bind", bind,
		"tcb", tcb, "guest_svn", (json_int_t)req->guest_svn));
}

int seal_main(struct tool_ctx *ctx, int argc, char **argv)
{
	uint8_t blob[VHSM_SEAL_BLOB_MAX];
	struct vhsm_seal req;
	struct seal_opts o;
	const char *key;
	uint32_t handle;
	struct vhsm *h;
	int rc, ret;

	rc = seal_parse(ctx, "seal", seal_help, argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1) {
		tool_err(ctx, "seal: %s", argc == optind ? "missing KEY" : "give one KEY");
		return usage_err(ctx, seal_help);
	}
	key = argv[optind];
	if (tool_check_key_arg(ctx, "seal", key))
		return TOOL_USAGE;
	rc = tool_refuse_tty(ctx, "seal", o.out);
	if (rc)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "seal", h, key, &handle);
	if (rc)
		goto out;
	memset(&req, 0, sizeof(req));
	req.flags = o.tcb_flags;
	req.handle = handle;
	req.root_key_select = o.root;
	req.guest_field_select = o.fields;
	req.tcb_version = o.tcb;
	req.blob_ptr = (uintptr_t)blob;
	req.blob_len = sizeof(blob);
	ret = vhsm_key_seal(h, &req);
	if (ret) {
		rc = seal_fail(ctx, "seal", key, ret, req.fw_error);
		goto out;
	}
	rc = tool_write_output(ctx, "seal", o.out, blob, req.blob_len);
	if (!rc && o.out && strcmp(o.out, "-"))
		rc = seal_print(ctx, &req);
out:
	vhsm_close(h);
	return rc;
}

/* Write @buf to @path through a temporary file in the same directory. */
static int replace_file(const struct tool_ctx *ctx, const char *cmd, const char *path,
			const void *buf, size_t len)
{
	char tmp[4096];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.reseal.%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		tool_err(ctx, "%s: path too long", cmd);
		return TOOL_ERROR;
	}
	rc = tool_write_output(ctx, cmd, tmp, buf, len);
	if (rc)
		return rc;
	if (rename(tmp, path)) {
		tool_err(ctx, "%s: cannot replace '%s': %s", cmd, path, strerror(errno));
		unlink(tmp);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int reseal_main(struct tool_ctx *ctx, int argc, char **argv)
{
	uint8_t out[VHSM_SEAL_BLOB_MAX], *src = NULL;
	struct vhsm_seal_hdr hdr;
	struct vhsm_seal req;
	struct seal_opts o;
	const char *path;
	size_t len = 0;
	struct vhsm *h;
	int rc, ret;

	rc = seal_parse(ctx, "reseal", reseal_help, argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1 || !o.tcb_set) {
		tool_err(ctx, "reseal: %s", argc == optind ? "missing BLOB" :
			 argc - optind != 1 ? "give one BLOB" : "missing --tcb");
		return usage_err(ctx, reseal_help);
	}
	path = argv[optind];
	rc = blob_read(ctx, "reseal", path, &src, &len, &hdr);
	if (rc)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		goto out_free;
	memset(&req, 0, sizeof(req));
	req.flags = o.tcb_flags | VHSM_SEAL_F_RESEAL;
	req.root_key_select = o.root_set ? o.root : le32toh(hdr.root_key_select);
	req.guest_field_select = o.bind_set ? o.fields : le64toh(hdr.guest_field_select);
	req.tcb_version = o.tcb;
	req.src_ptr = (uintptr_t)src;
	req.src_len = (uint32_t)len;
	req.blob_ptr = (uintptr_t)out;
	req.blob_len = sizeof(out);
	ret = vhsm_key_seal(h, &req);
	vhsm_close(h);
	if (ret) {
		rc = seal_fail(ctx, "reseal", path, ret, req.fw_error);
		goto out_free;
	}
	if (o.out)
		rc = tool_write_output(ctx, "reseal", o.out, out, req.blob_len);
	else
		rc = replace_file(ctx, "reseal", path, out, req.blob_len);
out_free:
	tool_free_secret(src, len);
	return rc;
}

/* Unseal a blob read by blob_read(); prints the new handle. A TOOL_* code. */
static int unseal_blob(const struct tool_ctx *ctx, const char *cmd, struct vhsm *h,
		       const char *path, const uint8_t *buf, size_t len,
		       const struct vhsm_seal_hdr *hdr, const char *label, bool list)
{
	struct vhsm_key_attr attr;
	uint32_t handle, fw_error = 0;
	int ret;

	ret = vhsm_key_unseal(h, buf, len, label, &handle, &fw_error);
	if (ret)
		return seal_fail(ctx, cmd, path, ret, fw_error);
	memset(&attr, 0, sizeof(attr));
	memcpy(attr.label, label && *label ? label : hdr->label, VHSM_LABEL_MAX - 1);
	if (!list)
		return tool_print_new_key(ctx, handle, &attr);
	printf("%s: #%u %s\n", path, handle, attr.label);
	return TOOL_OK;
}

/* Read and unseal one blob file (restore). */
static int unseal_file(const struct tool_ctx *ctx, struct vhsm *h, const char *path)
{
	struct vhsm_seal_hdr hdr;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	rc = blob_read(ctx, "restore", path, &buf, &len, &hdr);
	if (rc)
		return rc;
	rc = unseal_blob(ctx, "restore", h, path, buf, len, &hdr, NULL, true);
	tool_free_secret(buf, len);
	return rc;
}

int unseal_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *label = NULL;
	struct vhsm_seal_hdr hdr;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct vhsm *h;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			label = optarg;
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'h':
			printf("usage: %s %s", ctx->prog, unseal_help);
			return TOOL_OK;
		default:
			return usage_err(ctx, unseal_help);
		}
	}
	if (argc - optind != 1) {
		tool_err(ctx, "unseal: %s", argc == optind ? "missing BLOB" : "give one BLOB");
		return usage_err(ctx, unseal_help);
	}
	if (label && (label[0] == '#' || vhsm_key_label_check(label))) {
		tool_err(ctx, "unseal: --label '%s': 1-63 characters of [A-Za-z0-9._:@/+=-]", label);
		return TOOL_USAGE;
	}
	rc = blob_read(ctx, "unseal", argv[optind], &buf, &len, &hdr);
	if (rc)
		return rc;
	rc = tool_open(ctx, &h);
	if (!rc) {
		rc = unseal_blob(ctx, "unseal", h, argv[optind], buf, len, &hdr, label, false);
		vhsm_close(h);
	}
	tool_free_secret(buf, len);
	return rc;
}

static void restore_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s", ctx->prog, restore_help);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int restore_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct dirent **names = NULL;
	int i, n, rc, first = TOOL_OK, ok = 0, bad = 0;
	char path[4096];
	struct stat st;
	struct vhsm *h;

	rc = tool_parse_json_help(ctx, argc, argv, restore_usage);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1) {
		tool_err(ctx, "restore: %s", argc == optind ? "missing DIR" : "give one DIR");
		return usage_err(ctx, restore_help);
	}
	n = scandir(argv[optind], &names, not_hidden, name_cmp);
	if (n < 0) {
		tool_err(ctx, "restore: cannot read directory '%s': %s", argv[optind],
			 strerror(errno));
		return TOOL_ERROR;
	}
	rc = tool_open(ctx, &h);
	if (rc)
		goto out;
	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", argv[optind], names[i]->d_name) >=
		    (int)sizeof(path) || stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		rc = unseal_file(ctx, h, path);
		if (rc && first == TOOL_OK)
			first = rc;
		if (rc)
			bad++;
		else
			ok++;
	}
	vhsm_close(h);
	if (!ctx->quiet)
		fprintf(stderr, "restore: %d key%s restored, %d failed\n", ok,
			ok == 1 ? "" : "s", bad);
	rc = first;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
