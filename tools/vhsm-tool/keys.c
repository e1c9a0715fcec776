// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool list, show and destroy: the keys a caller can see.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vhsm/vhsm.h>

#include "keys.h"
#include "subcommands.h"

static void type_name(const struct vhsm_key_info *ki, char *buf, size_t size)
{
	if (vhsm_key_type_name(ki->attr.type, ki->attr.key_len, buf, size))
		snprintf(buf, size, "type-%u", ki->attr.type);
}

static const char *origin_name(const struct vhsm_key_info *ki)
{
	const char *s = vhsm_origin_name(ki->origin);

	return s ? s : "unknown";
}

static json_t *usage_to_json(uint32_t usage)
{
	json_t *arr = json_array();
	uint32_t bit;
	char name[VHSM_USAGE_STR_MAX];

	if (!arr)
		return NULL;
	for (bit = 1; bit & VHSM_USAGE_ALL; bit <<= 1) {
		if (!(usage & bit))
			continue;
		vhsm_usage_format(bit, name, sizeof(name));
		if (json_array_append_new(arr, json_string(name))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

json_t *key_info_to_json(const struct vhsm_key_info *ki)
{
	char type[VHSM_KEY_TYPE_NAME_MAX + 16], mode[8], key[16];

	type_name(ki, type, sizeof(type));
	snprintf(mode, sizeof(mode), "%04o", ki->attr.mode & 07777);
	snprintf(key, sizeof(key), "#%u", ki->handle);
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:o*, s:s, s:I, s:I, s:s, s:I, s:b}",
			 "handle", (json_int_t)ki->handle,
			 "key", key,
			 "label", ki->attr.label,
			 "type", type,
			 "key_len", (json_int_t)ki->attr.key_len,
			 "usage", usage_to_json(ki->attr.usage),
			 "mode", mode,
			 "owner_uid", (json_int_t)ki->owner_uid,
			 "owner_gid", (json_int_t)ki->owner_gid,
			 "origin", origin_name(ki),
			 "created", (json_int_t)ki->created,
			 "public_only", ki->public_only ? 1 : 0);
}

static void usage_str(uint32_t usage, char *buf, size_t size)
{
	if (vhsm_usage_format(usage & VHSM_USAGE_ALL, buf, size) || !buf[0])
		snprintf(buf, size, "none");
}

static void print_show(const struct vhsm_key_info *ki)
{
	char type[VHSM_KEY_TYPE_NAME_MAX + 16], usage[VHSM_USAGE_STR_MAX];
	char created[64] = "unknown";
	time_t t = (time_t)ki->created;
	struct tm tm;

	type_name(ki, type, sizeof(type));
	usage_str(ki->attr.usage, usage, sizeof(usage));
	if (gmtime_r(&t, &tm))
		strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("key           #%u\n", ki->handle);
	printf("label         %s\n", ki->attr.label);
	if (ki->attr.key_len)
		printf("type          %s (%u bytes)%s\n", type, ki->attr.key_len,
		       ki->public_only ? ", public key only" : "");
	else
		printf("type          %s%s\n", type,
		       ki->public_only ? " (public key only)" : "");
	printf("usage         %s\n", usage);
	printf("mode          %04o\n", ki->attr.mode & 07777);
	printf("owner         uid %u, gid %u\n", ki->owner_uid, ki->owner_gid);
	printf("origin        %s\n", origin_name(ki));
	printf("created       %s\n", created);
}

static void print_row(const struct vhsm_key_info *ki)
{
	char type[VHSM_KEY_TYPE_NAME_MAX + 16], usage[VHSM_USAGE_STR_MAX];
	char key[16], owner[32];

	type_name(ki, type, sizeof(type));
	usage_str(ki->attr.usage, usage, sizeof(usage));
	snprintf(key, sizeof(key), "#%u", ki->handle);
	snprintf(owner, sizeof(owner), "%u:%u", ki->owner_uid, ki->owner_gid);
	printf("%-8s %-12s %-5.4o %-12s %-12s %-24s %s\n", key, type,
	       ki->attr.mode & 07777, owner, origin_name(ki), usage,
	       ki->attr.label);
}

/*
 * Parse "CMD [--json] [--help]" plus NPOS positionals into POS. Returns -1 to
 * go on, else the exit code.
 */
static int parse_simple(struct tool_ctx *ctx, int argc, char **argv,
			const char *cmd, const char *help, int npos,
			const char **pos, bool json_ok)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'Q':
			ctx->quiet = true;
			break;
		case 'j':
			if (json_ok) {
				ctx->json = true;
				break;
			}
			/* fall through */
		default:
			fprintf(stderr, "usage: %s %s", ctx->prog, help);
			return TOOL_USAGE;
		case 'h':
			printf("usage: %s %s", ctx->prog, help);
			return TOOL_OK;
		}
	}
	if (tool_key_operands(ctx, cmd, help, argc, argv, npos, pos,
			      "unexpected argument"))
		return TOOL_USAGE;
	return -1;
}

int list_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const char help[] = "[--json] list\n"
		"  List the keys you may see: handle, type, mode, owner, origin, usage, label.\n";
	struct vhsm_key_info ki;
	uint32_t *handles = NULL;
	json_t *arr = NULL;
	size_t n = 0, i, shown = 0;
	struct vhsm *h;
	int ret, rc;

	rc = parse_simple(ctx, argc, argv, "list", help, 0, NULL, true);
	if (rc >= 0)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	ret = vhsm_key_list(h, &handles, &n);
	if (ret) {
		rc = tool_key_fail(ctx, "list", NULL, ret);
		goto out;
	}
	if (ctx->json && !(arr = json_array())) {
		rc = tool_print_json(ctx, NULL);
		goto out;
	}
	for (i = 0; i < n; i++) {
		ret = vhsm_key_info(h, handles[i], &ki);
		if (ret == -ENOENT)
			continue;	/* destroyed since the list was taken */
		if (ret) {
			rc = tool_key_fail(ctx, "list", NULL, ret);
			goto out;
		}
		if (ctx->json) {
			if (json_array_append_new(arr, key_info_to_json(&ki))) {
				rc = tool_print_json(ctx, NULL);
				goto out;
			}
			continue;
		}
		if (!shown++)
			printf("%-8s %-12s %-5s %-12s %-12s %-24s %s\n", "KEY",
			       "TYPE", "MODE", "OWNER", "ORIGIN", "USAGE",
			       "LABEL");
		print_row(&ki);
	}
	if (ctx->json) {
		rc = tool_print_json(ctx, json_pack("{s:o}", "keys", arr));
		arr = NULL;
	} else if (!shown && !ctx->quiet) {
		fprintf(stderr, "%s: no keys visible to you; 'vhsm-tool keygen' makes one\n",
			ctx->prog);
	}
out:
	json_decref(arr);
	free(handles);
	vhsm_close(h);
	return rc;
}

int show_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const char help[] = "[--json] show KEY\n"
		"  Show a key's attributes (never its key bytes). KEY is a label or #N.\n";
	struct vhsm_key_info ki;
	const char *key;
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_simple(ctx, argc, argv, "show", help, 1, &key, true);
	if (rc >= 0)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "show", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_key_info(h, handle, &ki);
	if (ret) {
		rc = tool_key_fail(ctx, "show", key, ret);
		goto out;
	}
	if (ctx->json)
		rc = tool_print_json(ctx, key_info_to_json(&ki));
	else
		print_show(&ki);
out:
	vhsm_close(h);
	return rc;
}

int destroy_main(struct tool_ctx *ctx, int argc, char **argv)
{
	static const char help[] = "destroy KEY\n"
		"  Remove a key; the module zeroises its material. KEY is a label or #N.\n";
	const char *key;
	uint32_t handle;
	struct vhsm *h;
	int ret, rc;

	rc = parse_simple(ctx, argc, argv, "destroy", help, 1, &key, false);
	if (rc >= 0)
		return rc;
	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	rc = tool_resolve_key(ctx, "destroy", h, key, &handle);
	if (rc)
		goto out;
	ret = vhsm_key_destroy(h, handle);
	if (ret)
		rc = tool_key_fail(ctx, "destroy", key, ret);
out:
	vhsm_close(h);
	return rc;
}
