/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal helpers of the KBS part of libvhsm: a growable string buffer, the
 * canonical JSON writer and the base64 codecs shared by the encoders and the
 * client.
 */
#ifndef VHSM_KBS_INTERNAL_H
#define VHSM_KBS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* A NUL-terminated growable string; on allocation failure it remembers it. */
struct kbs_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

void _vhsm_kbs_buf_add(struct kbs_buf *b, const char *s, size_t n);
void _vhsm_kbs_buf_str(struct kbs_buf *b, const char *s);
void _vhsm_kbs_buf_printf(struct kbs_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* 0 and the string in *out (the buffer is handed over), or -ENOMEM. */
int _vhsm_kbs_buf_finish(struct kbs_buf *b, char **out);

/* RFC 8785 form of @v into *out; 0, -EDOM (non-integer or too large
 * numbers), -EINVAL (a non-JSON value), -ENOMEM. */
int _vhsm_kbs_jcs(const json_t *v, char **out);

/* Whether @s is non-empty standard base64 with correct padding. */
bool _vhsm_kbs_is_std_b64(const char *s);

#endif /* VHSM_KBS_INTERNAL_H */
