/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VHSM_TOOL_SUBCOMMANDS_H
#define VHSM_TOOL_SUBCOMMANDS_H

#include <stdbool.h>

struct vhsm;

/* Global options, parsed before the subcommand. */
struct tool_ctx {
	const char *prog;
	const char *device;	/* NULL: library default */
	bool json;
	bool quiet;
};

/*
 * Exit codes, documented in README.md and vhsm-tool --help. Do not reorder:
 * scripts depend on them.
 */
enum tool_rc {
	TOOL_OK = 0,
	TOOL_ERROR = 1,
	TOOL_USAGE = 2,
	TOOL_REFUSED = 3,	/* permission, policy, bad signature */
	TOOL_NODEV = 4,		/* device unavailable */
};

int tool_rc_from_errno(int err);
int tool_open(const struct tool_ctx *ctx, struct vhsm **h);
void tool_err(const struct tool_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int info_main(struct tool_ctx *ctx, int argc, char **argv);

#endif /* VHSM_TOOL_SUBCOMMANDS_H */
