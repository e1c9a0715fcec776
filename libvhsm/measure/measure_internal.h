/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared between the files of libvhsm/measure/: little-endian access,
 * GUIDs, and the error sentence helper.
 */
#ifndef VHSM_MEASURE_INTERNAL_H
#define VHSM_MEASURE_INTERNAL_H

#include <stdint.h>
#include <string.h>

#define GUID_SIZE 16

static inline uint16_t _vm_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t _vm_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void _vm_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void _vm_put32(uint8_t *p, uint32_t v)
{
	_vm_put16(p, (uint16_t)v);
	_vm_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void _vm_put64(uint8_t *p, uint64_t v)
{
	_vm_put32(p, (uint32_t)v);
	_vm_put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * A GUID written "aabbccdd-eeff-gghh-iijj-kkllmmnnoopp" to its 16 bytes as
 * firmware stores it (the first three groups little-endian).
 */
void _vm_guid(const char *text, uint8_t out[GUID_SIZE]);

/* printf into ERR[ERRLEN] when ERR is not NULL; returns RET. */
int _vm_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* VHSM_MEASURE_INTERNAL_H */
