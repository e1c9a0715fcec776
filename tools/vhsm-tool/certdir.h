/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Certificates as users hand them over: snpguest's flat folder (ark, ask,
 * vcek or vlek, each .der or .pem) and the platform's certificate table
 * (extended report, configfs-tsm auxblob).
 */
#ifndef VHSM_TOOL_CERTDIR_H
#define VHSM_TOOL_CERTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vhsm/report.h>

#include "subcommands.h"

/* the raw certificate table attest --certs saves next to the certificates */
#define CERTDIR_TABLE_FILE "certtable.bin"

/**
 * struct certsrc - certificates from one source, as read
 * @vek, @ask, @ark:  the bytes (DER or PEM), NULL when the source has none
 * @*_len:            their lengths
 * @*_name:           where each came from, for messages
 */
struct certsrc {
	uint8_t *vek, *ask, *ark;
	size_t vek_len, ask_len, ark_len;
	char vek_name[512], ask_name[512], ark_name[512];
};

/* attest --certs DIR: the table's certificates as DIR/{vcek,vlek,ask,ark}.der
 * and the table itself as DIR/certtable.bin. */
int certdir_save(const struct tool_ctx *ctx, const char *cmd, const char *dir,
		 const uint8_t *table, size_t len);

/* DIR/{vcek|vlek,ask|asvk,ark}.{der,pem}; the VEK must be there. */
int certsrc_from_dir(const struct tool_ctx *ctx, const char *dir, bool vlek,
		     struct certsrc *s);

/* A certificate table (WHAT names it); it must hold the VEK. */
int certsrc_from_table(const struct tool_ctx *ctx, const char *what,
		       const uint8_t *buf, size_t len, bool vlek, struct certsrc *s);

/*
 * The source's ARK and ASK/ASVK are the host's word, never trusted: the ARK
 * must be a trusted one (AMD's built-in ARK of @p, or a self-signed
 * certificate of @roots) and the ASK/ASVK must be signed by it.
 * TOOL_OK, TOOL_REFUSED (a message says which certificate and why),
 * TOOL_ERROR (unparsable).
 */
int certsrc_check_roots(const struct tool_ctx *ctx, const struct certsrc *s,
			enum vhsm_product p, bool vlek, const uint8_t *roots,
			size_t roots_len);

void certsrc_free(struct certsrc *s);

#endif /* VHSM_TOOL_CERTDIR_H */
