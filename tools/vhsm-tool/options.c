// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option parser subcommands share: a table of their own options, each
 * stored where the table says or handed to a callback, plus the options every
 * subcommand takes after its name (--json, --quiet, --help), so that those
 * read the same before and after the command.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "subcommands.h"

/* getopt_long() values of long-only options: past every character */
#define OPT_LONG_BASE	256
enum { OPT_JSON = 1, OPT_QUIET, OPT_HELP, OPT_COMMON };

static int opt_value(const struct tool_opt *o, size_t i)
{
	return o->short_name ? o->short_name : OPT_LONG_BASE + OPT_COMMON + (int)i;
}

/* getopt_long()'s tables for OPTS[N] and the common options; 0 or -ENOMEM */
static int build_tables(const struct tool_opt *opts, size_t n,
			struct option **lo, char **so)
{
	struct option *l = calloc(n + 4, sizeof(*l));
	char *s = malloc(2 * n + 3), *p;
	size_t i, k;

	if (!l || !s) {
		free(l);
		free(s);
		return -1;
	}
	p = s;
	*p++ = 'h';
	for (i = 0, k = 0; i < n; i++) {
		bool arg = !opts[i].flag;

		if (opts[i].name)
			l[k++] = (struct option){ opts[i].name,
						  arg ? required_argument : no_argument,
						  NULL, opt_value(&opts[i], i) };
		if (opts[i].short_name) {
			*p++ = opts[i].short_name;
			if (arg)
				*p++ = ':';
		}
	}
	*p = '\0';
	l[k] = (struct option){ "json", no_argument, NULL, OPT_LONG_BASE + OPT_JSON };
	l[k + 1] = (struct option){ "quiet", no_argument, NULL, OPT_LONG_BASE + OPT_QUIET };
	l[k + 2] = (struct option){ "help", no_argument, NULL, 'h' };
	*lo = l;
	*so = s;
	return 0;
}

/* the table entry getopt_long() returned C for, or NULL */
static const struct tool_opt *find_opt(const struct tool_opt *opts, size_t n, int c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (opt_value(&opts[i], i) == c)
			return &opts[i];
	return NULL;
}

static int take_opt(const struct tool_ctx *ctx, const struct tool_opt *o,
		    const char *arg)
{
	if (o->flag) {
		*o->flag = true;
		return TOOL_OK;
	}
	if (o->fn)
		return o->fn(ctx, o, arg);
	*o->str = arg;
	return TOOL_OK;
}

int tool_parse_opts(struct tool_ctx *ctx, int argc, char **argv,
		    const struct tool_opt *opts, size_t n,
		    void (*usage)(const struct tool_ctx *ctx, FILE *out))
{
	const struct tool_opt *o;
	struct option *lo;
	char *so;
	int c, rc = -1;

	if (build_tables(opts, n, &lo, &so)) {
		tool_err(ctx, "out of memory");
		return TOOL_ERROR;
	}
	optind = 0;	/* 0: reset getopt fully (main parsed with "+") */
	while (rc < 0 && (c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == OPT_LONG_BASE + OPT_JSON) {
			ctx->json = true;
		} else if (c == OPT_LONG_BASE + OPT_QUIET) {
			ctx->quiet = true;
		} else if (c == 'h') {
			usage(ctx, stdout);
			rc = TOOL_OK;
		} else if ((o = find_opt(opts, n, c))) {
			int r = take_opt(ctx, o, optarg);

			if (r)
				rc = r;
		} else {
			usage(ctx, stderr);
			rc = TOOL_USAGE;
		}
	}
	free(lo);
	free(so);
	return rc;
}
