// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Failures of the SNP report verifier: the names of the check bits
 * (vhsm_verify_check_name) and _vhsm_fail(), through which every check
 * records a failed check and its reason in the result.  The bottom of the
 * verifier with ctx.h: it calls nothing else of it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"

static const char *const check_names[] = {
	"signature", "chain", "product", "tcb", "hwid", "key_type", "cert",
	NULL, "debug", "min_tcb", "measurement", "host_data", "report_data",
	"vmpl", "guest_svn", "smt", "migration", "single_socket", "abi",
	"signing_key", "id_key", "author_key", "family_id", "image_id", "chip_id",
	"build", "platform_info", "provisional",
};

const char *vhsm_verify_check_name(enum vhsm_check check)
{
	size_t i;

	for (i = 0; i < sizeof(check_names) / sizeof(check_names[0]); i++)
		if ((uint32_t)check == 1u << i && check_names[i])
			return check_names[i];
	return "unknown";
}

void _vhsm_fail(struct vctx *c, enum vhsm_check check, const char *fmt, ...)
{
	struct vhsm_verify_result *res = c->res;
	char *msg, *line;
	va_list ap;
	int n;

	res->failed |= check;
	if (res->n_reasons >= VHSM_VERIFY_MAX_REASONS || c->err)
		return;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		c->err = -ENOMEM;
		return;
	}
	n = asprintf(&line, "%s: %s", vhsm_verify_check_name(check), msg);
	free(msg);
	if (n < 0) {
		c->err = -ENOMEM;
		return;
	}
	res->reasons[res->n_reasons++] = line;
}
