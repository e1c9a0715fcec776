// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool policy new: write a report verification policy (the JSON that
 * `report verify --policy` and libvhsm's vhsm_policy_load_json() read) from
 * the measurements a guest may have, a minimum TCB and the ID / author keys
 * its ID block must be signed with. With `measure` (or `id-block`) this takes
 * "this is my image" to "only this image passes" in two commands.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <vhsm/measure.h>
#include <vhsm/report.h>

#include "hexarg.h"
#include "subcommands.h"

#define CMD "policy new"

static const char policy_help[] =
	"policy new --measurement HEX [--measurement HEX]... [--min-tcb bl=N,tee=N,snp=N,ucode=N[,fmc=N]]\n"
	"           [--id-key-digest HEX]... [--author-key-digest HEX]... [-o FILE]\n"
	"  Write a verifier policy (JSON, see vhsm-tool(1)) allowing exactly these\n"
	"  measurements (96 hex digits, or base64, each), requiring at least the\n"
	"  given reported TCB, and, with --id-key-digest / --author-key-digest, an\n"
	"  ID block signed by one of these keys (digests as id-block prints them).\n"
	"  Default output: stdout.\n";

static int usage_err(const struct tool_ctx *ctx, const char *msg)
{
	tool_err(ctx, "%s: %s", CMD, msg);
	fprintf(stderr, "usage: %s %s", ctx->prog, policy_help);
	return TOOL_USAGE;
}

/* append a 48-byte value given as hex or base64 to ARR, as lowercase hex */
static int add_digest(const struct tool_ctx *ctx, json_t *arr, const char *opt,
		      const char *val)
{
	uint8_t d[VHSM_LD_SIZE];
	char hex[2 * VHSM_LD_SIZE + 1], msg[128];

	if (hexarg_parse_hex_or_b64(val, d, sizeof(d))) {
		snprintf(msg, sizeof(msg), "%s must be 48 bytes: 96 hex digits or base64", opt);
		return usage_err(ctx, msg);
	}
	hexarg_str(d, sizeof(d), hex);
	if (json_array_append_new(arr, json_string(hex))) {
		tool_err(ctx, "%s: out of memory", CMD);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

/* "bl=N,tee=N,snp=N,ucode=N[,fmc=N]" into {"bl": N, ...} */
static int min_tcb(const struct tool_ctx *ctx, const char *spec, json_t **out)
{
	static const char *const parts[] = { "bl", "tee", "snp", "ucode", "fmc" };
	char *copy = strdup(spec), *tok, *save = NULL;
	json_t *o = json_object();
	int rc = TOOL_OK;

	if (!copy || !o) {
		free(copy);
		json_decref(o);
		tool_err(ctx, "%s: out of memory", CMD);
		return TOOL_ERROR;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		unsigned long v;
		size_t i;

		for (i = 0; eq && i < sizeof(parts) / sizeof(parts[0]); i++)
			if ((size_t)(eq - tok) == strlen(parts[i]) && !strncmp(tok, parts[i], eq - tok))
				break;
		errno = 0;
		v = eq ? strtoul(eq + 1, &end, 10) : 0;
		if (!eq || i == sizeof(parts) / sizeof(parts[0]) || errno || !eq[1] || *end ||
		    v > 255 || json_object_get(o, parts[i]))
			rc = usage_err(ctx, "--min-tcb takes bl=N,tee=N,snp=N,ucode=N[,fmc=N], each 0-255, each once");
		else
			json_object_set_new(o, parts[i], json_integer((json_int_t)v));
	}
	free(copy);
	if (!rc && !json_object_size(o))
		rc = usage_err(ctx, "--min-tcb is empty");
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

static void policy_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s", ctx->prog, policy_help);
}

static int digest_opt(const struct tool_ctx *ctx, const struct tool_opt *o,
		      const char *arg)
{
	char opt[32];

	snprintf(opt, sizeof(opt), "--%s", o->name);
	return add_digest(ctx, o->data, opt, arg);
}

static int min_tcb_opt(const struct tool_ctx *ctx, const struct tool_opt *o,
		       const char *arg)
{
	json_t *doc = o->data, *tcb;
	int rc;

	if (json_object_get(doc, "min_tcb"))
		return usage_err(ctx, "give --min-tcb once");
	rc = min_tcb(ctx, arg, &tcb);
	if (!rc)
		json_object_set_new(doc, "min_tcb", tcb);
	return rc;
}

/* TOOL_OK to go on, -1 after --help, else the exit code */
static int parse_opts(struct tool_ctx *ctx, int argc, char **argv, json_t *doc,
		      const char **file)
{
	json_t *m = json_object_get(doc, "measurements");
	const struct tool_opt opts[] = {
		{ .name = "measurement", .fn = digest_opt, .data = m },
		{ .name = "min-tcb", .fn = min_tcb_opt, .data = doc },
		{ .name = "id-key-digest", .fn = digest_opt,
		  .data = json_object_get(doc, "id_key_digest") },
		{ .name = "author-key-digest", .fn = digest_opt,
		  .data = json_object_get(doc, "author_key_digest") },
		{ .short_name = 'o', .str = file },
	};
	int rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), policy_usage);

	if (rc >= 0)
		return rc ? rc : -1;
	rc = TOOL_OK;
	if (!rc && optind != argc)
		return usage_err(ctx, "unexpected operand (give each value with its option)");
	if (!rc && !json_array_size(m))
		return usage_err(ctx, "give at least one --measurement (from vhsm-tool measure)");
	return rc;
}

/* drop the empty key lists, check the result loads, write it */
static int write_policy(const struct tool_ctx *ctx, json_t *doc, const char *file)
{
	struct vhsm_policy p;
	char *text, *line;
	int rc, err;

	if (!json_array_size(json_object_get(doc, "id_key_digest")))
		json_object_del(doc, "id_key_digest");
	if (!json_array_size(json_object_get(doc, "author_key_digest")))
		json_object_del(doc, "author_key_digest");
	text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text) {
		tool_err(ctx, "%s: out of memory", CMD);
		return TOOL_ERROR;
	}
	err = vhsm_policy_from_json(text, &p);	/* what report verify will read */
	if (err) {
		tool_err(ctx, "%s: the policy does not load back: %s", CMD, strerror(-err));
		free(text);
		return TOOL_ERROR;
	}
	vhsm_policy_free(&p);
	if (asprintf(&line, "%s\n", text) < 0) {
		free(text);
		tool_err(ctx, "%s: out of memory", CMD);
		return TOOL_ERROR;
	}
	free(text);
	rc = tool_write_output(ctx, CMD, file, line, strlen(line));
	free(line);
	if (!rc && file && !ctx->quiet)
		fprintf(stderr, "%s: wrote %s\n", ctx->prog, file);
	return rc;
}

static int policy_new_main(struct tool_ctx *ctx, int argc, char **argv)
{
	json_t *doc = json_pack("{s:[], s:[], s:[]}", "measurements", "id_key_digest",
				"author_key_digest");
	const char *file = NULL;
	int rc;

	if (!doc) {
		tool_err(ctx, "%s: out of memory", CMD);
		return TOOL_ERROR;
	}
	rc = parse_opts(ctx, argc, argv, doc, &file);
	if (!rc)
		rc = write_policy(ctx, doc, file);
	json_decref(doc);
	return rc < 0 ? TOOL_OK : rc;
}

int policy_main(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "new"))
		return policy_new_main(ctx, argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: %s %s", ctx->prog, policy_help);
		return TOOL_OK;
	}
	tool_err(ctx, "policy: say 'new'");
	fprintf(stderr, "usage: %s %s", ctx->prog, policy_help);
	return TOOL_USAGE;
}
