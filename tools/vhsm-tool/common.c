// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers every subcommand shares: error messages, exit codes, opening the
 * device.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <vhsm/vhsm.h>

#include "subcommands.h"

void tool_err(const struct tool_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ctx->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int tool_rc_from_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return TOOL_OK;
	case EACCES:
	case EPERM:
	case EKEYREJECTED:
		return TOOL_REFUSED;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return TOOL_NODEV;
	default:
		return TOOL_ERROR;
	}
}

int tool_open(const struct tool_ctx *ctx, struct vhsm **h)
{
	int ret = vhsm_open(h, ctx->device);

	if (ret) {
		tool_err(ctx, "cannot open %s: %s", ctx->device ? ctx->device :
			 "the vhsm device", vhsm_strerror(ret));
		return tool_rc_from_errno(ret);
	}
	return TOOL_OK;
}
