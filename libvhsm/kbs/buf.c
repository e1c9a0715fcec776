// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A growable NUL-terminated string for the KBS encoders and the client. An
 * allocation failure is remembered and reported once, by
 * _vhsm_kbs_buf_finish(), so writers need no error check per append.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbs_internal.h"

static int buf_reserve(struct kbs_buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return -ENOMEM;
	if (more > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return -ENOMEM;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return -ENOMEM;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void _vhsm_kbs_buf_add(struct kbs_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void _vhsm_kbs_buf_str(struct kbs_buf *b, const char *s)
{
	_vhsm_kbs_buf_add(b, s, strlen(s));
}

void _vhsm_kbs_buf_printf(struct kbs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int _vhsm_kbs_buf_finish(struct kbs_buf *b, char **out)
{
	if (!b->oom && !b->p)
		buf_reserve(b, 0);
	if (b->oom) {
		free(b->p);
		memset(b, 0, sizeof(*b));
		return -ENOMEM;
	}
	*out = b->p;
	memset(b, 0, sizeof(*b));
	return 0;
}
