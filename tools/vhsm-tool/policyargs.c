// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Appraisal-policy checks on the command line of `report verify`: each
 * option sets the same struct vhsm_policy field its policy-file key does
 * (report_data, measurements, host_data, min_tcb, max_vmpl), after the file
 * was read, so the command line adds to (or, for single values, overrides)
 * the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hexarg.h"
#include "policyargs.h"

static int hex_opt(const struct tool_ctx *ctx, const char *opt, const char *arg,
		   uint8_t *out, size_t n)
{
	if (!hexarg_parse(arg, out, n))
		return TOOL_OK;
	tool_err(ctx, "report verify: --%s wants %zu hex digits (%zu bytes), got \"%.40s%s\"",
		 opt, 2 * n, n, arg, strlen(arg) > 40 ? "..." : "");
	return TOOL_USAGE;
}

/* "N" in 0..MAX into *OUT; false if not a plain decimal number in range */
static bool small_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out <= max;
}

static uint8_t *tcb_part(struct vhsm_tcb *t, const char *name, size_t len)
{
	static const char *const names[] = { "fmc", "bl", "tee", "snp", "ucode" };
	uint8_t *parts[] = { &t->fmc, &t->bl, &t->tee, &t->snp, &t->ucode };
	size_t i;

	for (i = 0; i < 5; i++)
		if (strlen(names[i]) == len && !strncmp(name, names[i], len))
			return parts[i];
	return NULL;
}

/* "bl=N,tee=N,snp=N,ucode=N[,fmc=N]" (any of them, each at most once) */
static int min_tcb(const struct tool_ctx *ctx, const char *arg, struct vhsm_policy *p)
{
	struct vhsm_tcb t = { 0 };
	const char *s = arg;
	unsigned int seen = 0;

	while (*s) {
		const char *eq = strchr(s, '='), *comma;
		char num[8];
		unsigned long v;
		uint8_t *part;
		size_t n;

		comma = strchr(s, ',');
		if (!comma)
			comma = s + strlen(s);
		part = eq && eq < comma ? tcb_part(&t, s, (size_t)(eq - s)) : NULL;
		n = part ? (size_t)(comma - eq - 1) : 0;
		if (!part || !n || n >= sizeof(num) || (seen & (1u << (part - &t.fmc)))) {
			tool_err(ctx, "report verify: --min-tcb \"%s\": expected "
				 "bl=N,tee=N,snp=N,ucode=N[,fmc=N], each part once", arg);
			return TOOL_USAGE;
		}
		memcpy(num, eq + 1, n);
		num[n] = '\0';
		if (!small_uint(num, 255, &v)) {
			tool_err(ctx, "report verify: --min-tcb: %.*s=%s is not a number 0..255",
				 (int)(eq - s), s, num);
			return TOOL_USAGE;
		}
		seen |= 1u << (part - &t.fmc);
		*part = (uint8_t)v;
		s = *comma ? comma + 1 : comma;
	}
	if (!seen) {
		tool_err(ctx, "report verify: --min-tcb wants bl=N,tee=N,snp=N,ucode=N[,fmc=N]");
		return TOOL_USAGE;
	}
	p->check_min_tcb = true;
	p->min_tcb = t;
	return TOOL_OK;
}

int policyarg_apply(const struct tool_ctx *ctx, int opt, const char *arg,
		    struct vhsm_policy *p)
{
	uint8_t m[48];
	unsigned long v;
	int rc;

	switch (opt) {
	case POLICYARG_REPORT_DATA:
		p->check_report_data = true;
		return hex_opt(ctx, "report-data", arg, p->report_data, 64);
	case POLICYARG_HOST_DATA:
		p->check_host_data = true;
		return hex_opt(ctx, "host-data", arg, p->host_data, 32);
	case POLICYARG_MEASUREMENT:
		rc = hex_opt(ctx, "measurement", arg, m, sizeof(m));
		if (!rc && vhsm_policy_add_measurement(p, m)) {
			tool_err(ctx, "report verify: --measurement: out of memory");
			rc = TOOL_ERROR;
		}
		return rc;
	case POLICYARG_MIN_TCB:
		return min_tcb(ctx, arg, p);
	case POLICYARG_MAX_VMPL:
		if (!small_uint(arg, 3, &v)) {
			tool_err(ctx, "report verify: --max-vmpl \"%s\" is not a VMPL 0..3", arg);
			return TOOL_USAGE;
		}
		p->vmpl_mode = VHSM_VMPL_MAX;
		p->vmpl = (uint32_t)v;
		return TOOL_OK;
	}
	return TOOL_USAGE;
}
