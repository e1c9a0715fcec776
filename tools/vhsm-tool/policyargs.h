/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Appraisal-policy checks given on the command line of `report verify`
 * (--report-data, --measurement, --host-data, --min-tcb, --max-vmpl), applied
 * to a struct vhsm_policy on top of a --policy file.
 */
#ifndef VHSM_TOOL_POLICYARGS_H
#define VHSM_TOOL_POLICYARGS_H

#include <getopt.h>

#include <vhsm/report.h>

#include "subcommands.h"

enum {
	POLICYARG_REPORT_DATA = 0x200,
	POLICYARG_MEASUREMENT,
	POLICYARG_HOST_DATA,
	POLICYARG_MIN_TCB,
	POLICYARG_MAX_VMPL,
};

/* struct option entries for getopt_long (append to a command's table) */
#define POLICYARGS_OPTIONS \
	{ "report-data", required_argument, NULL, POLICYARG_REPORT_DATA }, \
	{ "measurement", required_argument, NULL, POLICYARG_MEASUREMENT }, \
	{ "host-data", required_argument, NULL, POLICYARG_HOST_DATA }, \
	{ "min-tcb", required_argument, NULL, POLICYARG_MIN_TCB }, \
	{ "max-vmpl", required_argument, NULL, POLICYARG_MAX_VMPL }

/* the --help lines of these options */
#define POLICYARGS_HELP \
	"  --report-data HEX  require REPORT_DATA (128 hex digits)\n" \
	"  --measurement HEX  allow this MEASUREMENT (96 hex digits; repeatable)\n" \
	"  --host-data HEX    require HOST_DATA (64 hex digits)\n" \
	"  --min-tcb bl=N,tee=N,snp=N,ucode=N[,fmc=N]\n" \
	"                     minimum REPORTED_TCB (parts left out are 0)\n" \
	"  --max-vmpl N       require VMPL <= N (0..3)\n"

/* Whether OPT (a getopt_long value) is one of ours. */
static inline bool policyarg_is(int opt)
{
	return opt >= POLICYARG_REPORT_DATA && opt <= POLICYARG_MAX_VMPL;
}

/*
 * Apply option OPT with argument ARG to P (initialised); TOOL_OK, or a
 * message naming the option and what is wrong with ARG and TOOL_USAGE
 * (TOOL_ERROR on allocation failure).
 */
int policyarg_apply(const struct tool_ctx *ctx, int opt, const char *arg,
		    struct vhsm_policy *p);

#endif /* VHSM_TOOL_POLICYARGS_H */
