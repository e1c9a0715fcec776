/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fixed-length binary values given on the command line (measurements, key
 * digests, IDs): hex, optionally base64, and back.
 */
#ifndef VHSM_TOOL_HEXARG_H
#define VHSM_TOOL_HEXARG_H

#include <stddef.h>
#include <stdint.h>

/* Exactly 2*N hex digits (an optional 0x prefix) into OUT[N]; 0 or -EINVAL. */
int hexarg_parse(const char *s, uint8_t *out, size_t n);
/* 2*N hex digits or base64 of exactly N bytes into OUT[N]; 0 or -EINVAL. */
int hexarg_parse_hex_or_b64(const char *s, uint8_t *out, size_t n);
/* Lowercase hex of IN[N] into OUT[2N+1]. */
void hexarg_str(const uint8_t *in, size_t n, char *out);

#endif /* VHSM_TOOL_HEXARG_H */
