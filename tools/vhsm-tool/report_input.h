/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An attestation report as users hand it over: raw bytes (perhaps followed by
 * the extended report's certificate table), hex or base64 text.
 */
#ifndef VHSM_TOOL_REPORT_INPUT_H
#define VHSM_TOOL_REPORT_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct tool_ctx;

enum report_inform {
	REPORT_INFORM_AUTO,
	REPORT_INFORM_RAW,
	REPORT_INFORM_HEX,
	REPORT_INFORM_BASE64,
};

/* "auto", "raw", "hex" or "base64"; 0 or -EINVAL */
int report_inform_parse(const char *s, enum report_inform *out);
const char *report_inform_name(enum report_inform f);

struct report_bytes {
	uint8_t *buf;			/* decoded bytes, malloc()ed */
	size_t len;
	enum report_inform found;	/* never AUTO */
	const uint8_t *table;		/* bytes after the report, or NULL */
	size_t table_len;
	int table_ok;			/* 1 if they parse as a certificate table */
};

/*
 * Decode IN[LEN] in FORM (AUTO: raw if any byte is not text, else hex if all
 * hex digits, else base64). 0, or -EINVAL (not that form; none of them).
 */
int report_decode(const uint8_t *in, size_t len, enum report_inform form,
		  struct report_bytes *out);

/*
 * Read the report at PATH ("-": stdin) and decode it; say on stderr which
 * encoding was found when it was not raw (unless --quiet), and warn when
 * bytes after the report are not a certificate table. A TOOL_* code.
 */
int report_read(const struct tool_ctx *ctx, const char *cmd, const char *path,
		enum report_inform form, struct report_bytes *out);
void report_bytes_free(struct report_bytes *b);

#endif /* VHSM_TOOL_REPORT_INPUT_H */
