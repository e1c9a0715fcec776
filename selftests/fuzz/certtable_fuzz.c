// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: GHCB certificate-table parser.  Every entry returned
 * must lie inside the input, after the table, and not overlap another.
 *
 * Built with -DCERTTABLE_SEED_MAIN (and without -fsanitize=fuzzer) this file
 * instead writes a seed table "OUTDIR/seed-vcek-ask-ark" from VCEK, ASK and
 * ARK files: certtable_seed OUTDIR VCEK ASK ARK.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vhsm/report.h"

#ifndef CERTTABLE_SEED_MAIN

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_entries(const struct vhsm_certtable *t, const uint8_t *data,
			  size_t size)
{
	size_t i, j, table_end = (t->n + 1) * 24;

	for (i = 0; i < t->n; i++) {
		const struct vhsm_cert_entry *e = &t->entries[i];

		if (e->len == 0 || e->offset < table_end ||
		    (uint64_t)e->offset + e->len > size ||
		    e->data != data + e->offset)
			abort();
		for (j = 0; j < i; j++) {
			const struct vhsm_cert_entry *f = &t->entries[j];

			if (e->offset < (uint64_t)f->offset + f->len &&
			    f->offset < (uint64_t)e->offset + e->len)
				abort();
		}
		/* touch every byte so ASan sees any out-of-bounds range */
		volatile uint8_t sink = 0;
		for (j = 0; j < e->len; j++)
			sink ^= e->data[j];
		(void)sink;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhsm_certtable t;
	uint8_t *copy;

	/* an exact-size heap copy so ASan catches reads past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (vhsm_certtable_parse(copy, size, &t) == 0) {
		check_entries(&t, copy, size);
		vhsm_certtable_find(&t, VHSM_CERT_VCEK);
		vhsm_certtable_free(&t);
	}
	free(copy);
	return 0;
}

#else /* CERTTABLE_SEED_MAIN */

static const uint8_t guids[3][16] = {
	{ 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
	  0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd },	/* VCEK */
	{ 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
	  0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 },	/* ASK */
	{ 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
	  0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae },	/* ARK */
};

static long slurp(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, max, f);
	fclose(f);
	return (long)n;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	size_t off = 4 * 24;
	char path[4096];
	FILE *out;
	int i;

	if (argc != 5) {
		fprintf(stderr, "usage: %s OUTDIR VCEK ASK ARK\n", argv[0]);
		return 2;
	}
	memset(buf, 0, off);
	for (i = 0; i < 3; i++) {
		long n = slurp(argv[2 + i], buf + off, sizeof(buf) - off);

		if (n <= 0)
			return 1;
		memcpy(buf + 24 * i, guids[i], 16);
		put_le32(buf + 24 * i + 16, (uint32_t)off);
		put_le32(buf + 24 * i + 20, (uint32_t)n);
		off += (size_t)n;
	}
	snprintf(path, sizeof(path), "%s/seed-vcek-ask-ark", argv[1]);
	out = fopen(path, "wb");
	if (!out || fwrite(buf, 1, off, out) != off || fclose(out))
		return 1;
	return 0;
}

#endif /* CERTTABLE_SEED_MAIN */
