/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the benchmark's parts share (bench.c). */
#ifndef VHSM_BENCH_H
#define VHSM_BENCH_H

#include <stddef.h>

double now(void);
double rate(int (*fn)(void *ctx, size_t len), void *ctx, size_t len);
void bench_template(int fd);
void bench_ecdsa(int fd, const unsigned char *in);
void bench_threads(void);

#endif /* VHSM_BENCH_H */
