// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading an attestation report: raw, hex or base64 (found out, or as
 * --inform says), with what follows the report's bytes checked to be a
 * certificate table (the extended report's, as snpguest and configfs-tsm
 * write it) rather than silently ignored.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/report.h>

#include "encoding.h"
#include "report_input.h"
#include "subcommands.h"

#define REPORT_MAX_INPUT (1 << 20)	/* a report and its certificates are far less */

static const char *const inform_names[] = {
	[REPORT_INFORM_AUTO] = "auto",
	[REPORT_INFORM_RAW] = "raw",
	[REPORT_INFORM_HEX] = "hex",
	[REPORT_INFORM_BASE64] = "base64",
};

int report_inform_parse(const char *s, enum report_inform *out)
{
	size_t i;

	for (i = 0; i < sizeof(inform_names) / sizeof(inform_names[0]); i++) {
		if (!strcmp(s, inform_names[i])) {
			*out = (enum report_inform)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *report_inform_name(enum report_inform f)
{
	return inform_names[f];
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_text(const uint8_t *p, size_t n)
{
	while (n--) {
		if (!is_space(*p) && (*p < 0x21 || *p > 0x7e))
			return false;
		p++;
	}
	return true;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* hex digits, white space between pairs ignored, into OUT; length or -EINVAL */
static long hex_decode(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t i, o = 0;
	int hi = -1, d;

	for (i = 0; i < len; i++) {
		if (is_space(in[i]) && hi < 0)
			continue;
		d = hex_digit(in[i]);
		if (d < 0)
			return -EINVAL;
		if (hi < 0) {
			hi = d;
		} else {
			out[o++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	return hi < 0 && o ? (long)o : -EINVAL;
}

static int decode_as(const uint8_t *in, size_t len, enum report_inform form,
		     uint8_t *out, size_t *out_len)
{
	long n;

	switch (form) {
	case REPORT_INFORM_RAW:
		memcpy(out, in, len);
		*out_len = len;
		return len ? 0 : -EINVAL;
	case REPORT_INFORM_HEX:
		n = hex_decode(in, len, out);
		if (n < 0)
			return -EINVAL;
		*out_len = (size_t)n;
		return 0;
	case REPORT_INFORM_BASE64:
		return b64_decode((const char *)in, len, out, len, out_len) || !*out_len ?
		       -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static void find_table(struct report_bytes *b)
{
	struct vhsm_certtable t;

	if (b->len <= VHSM_REPORT_SIZE)
		return;
	b->table = b->buf + VHSM_REPORT_SIZE;
	b->table_len = b->len - VHSM_REPORT_SIZE;
	b->table_ok = !vhsm_certtable_parse(b->table, b->table_len, &t) && t.n;
	vhsm_certtable_free(&t);
}

int report_decode(const uint8_t *in, size_t len, enum report_inform form,
		  struct report_bytes *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (form == REPORT_INFORM_AUTO && !is_text(in, len))
		form = REPORT_INFORM_RAW;
	out->buf = malloc(len ? len : 1);
	if (!out->buf)
		return -ENOMEM;
	if (form == REPORT_INFORM_AUTO) {
		/* text: hex digits first (base64's alphabet holds them too) */
		form = REPORT_INFORM_HEX;
		ret = decode_as(in, len, form, out->buf, &out->len);
		if (ret) {
			form = REPORT_INFORM_BASE64;
			ret = decode_as(in, len, form, out->buf, &out->len);
		}
	} else {
		ret = decode_as(in, len, form, out->buf, &out->len);
	}
	if (ret) {
		report_bytes_free(out);
		return ret;
	}
	out->found = form;
	find_table(out);
	return 0;
}

void report_bytes_free(struct report_bytes *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

int report_read(const struct tool_ctx *ctx, const char *cmd, const char *path,
		enum report_inform form, struct report_bytes *out)
{
	uint8_t *raw;
	size_t len;
	int rc = tool_read_input(ctx, cmd, "report", path, REPORT_MAX_INPUT, NULL,
				 &raw, &len);

	if (rc)
		return rc;
	if (report_decode(raw, len, form, out)) {
		if (form == REPORT_INFORM_AUTO)
			tool_err(ctx, "%s: %s (%zu bytes) is neither a raw report nor hex nor base64 text",
				 cmd, path, len);
		else
			tool_err(ctx, "%s: %s is not %s (--inform %s)", cmd, path,
				 form == REPORT_INFORM_RAW ? "a raw report" :
				 report_inform_name(form), report_inform_name(form));
		free(raw);
		return TOOL_ERROR;
	}
	free(raw);
	if (out->found != REPORT_INFORM_RAW && !ctx->quiet)
		tool_err(ctx, "%s: %s is %s text: decoded %zu bytes", cmd, path,
			 report_inform_name(out->found), out->len);
	if (out->table && !out->table_ok)
		tool_err(ctx, "%s: warning: %zu bytes after the %d-byte report in %s are not a certificate table; ignored",
			 cmd, out->table_len, VHSM_REPORT_SIZE, path);
	return TOOL_OK;
}
