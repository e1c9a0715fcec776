/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VHSM_TOOL_REPORT_H
#define VHSM_TOOL_REPORT_H

struct tool_ctx;

/* vhsm-tool report show|verify: SEV-SNP attestation reports (no device needed). */
int report_main(struct tool_ctx *ctx, int argc, char **argv);

#endif /* VHSM_TOOL_REPORT_H */
