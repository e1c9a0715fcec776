// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The firmware image's GUIDed footer table and SEV metadata, as QEMU and the
 * AMD SEV launch flow read them.
 *
 * Layout, from the end of the image: the last 32 bytes are the reset vector
 * area; just before them sits the footer entry (u16 size, GUID
 * 96b582de-...); its size covers the whole table, which grows downwards:
 * each entry ends in (u16 size, GUID) with its data before that. The SEV
 * metadata entry holds the offset, from the end of the image, of an "ASEV"
 * header (signature, u32 size, u32 version 1, u32 count) followed by
 * count x (u32 gpa, u32 size, u32 type).
 *
 * The image is untrusted: every size and offset is checked against the bytes
 * that are there before it is used; inconsistent tables are errors, never
 * guesses. A GUID that appears twice is refused (QEMU takes the last entry,
 * sev-snp-measure the first: refusing leaves no doubt which one a launch
 * used).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <vhsm/measure.h>

#include "measure_internal.h"

#define FOOTER_TAIL	32	/* bytes after the footer entry */
#define ENTRY_HDR	(2 + GUID_SIZE)
#define META_HDR	16
#define META_ITEM	12

#define GUID_FOOTER	"96b582de-1fb2-45f7-baea-a366c55a082d"
#define GUID_HASH_TABLE	"7255371f-3a3b-4b04-927b-1da6efa8d454"
#define GUID_RESET	"00f771de-1a7e-4fcb-890e-68c77e2fb44e"
#define GUID_METADATA	"dc886566-984a-4798-a75e-5585a7bf67cc"
#define GUID_SVSM_INFO	"a789a612-0597-4c4b-a49f-cbb1fe9d1ddd"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

void _vm_guid(const char *text, uint8_t out[GUID_SIZE])
{
	/* byte order within the 16: 3 2 1 0 | 5 4 | 7 6 | 8 9 | 10..15 */
	static const uint8_t pos[GUID_SIZE] = { 3, 2, 1, 0, 5, 4, 7, 6,
						8, 9, 10, 11, 12, 13, 14, 15 };
	size_t i = 0, n = 0;

	for (; text[i] && n < GUID_SIZE; i++) {
		if (text[i] == '-')
			continue;
		out[pos[n++]] = (uint8_t)(hexval(text[i]) << 4 | hexval(text[i + 1]));
		i++;
	}
}

int _vm_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

const char *vhsm_ovmf_section_name(uint32_t type)
{
	switch (type) {
	case VHSM_SECTION_SNP_SEC_MEM:
		return "SNP_SEC_MEM";
	case VHSM_SECTION_SNP_SECRETS:
		return "SNP_SECRETS";
	case VHSM_SECTION_CPUID:
		return "CPUID";
	case VHSM_SECTION_SVSM_CAA:
		return "SVSM_CAA";
	case VHSM_SECTION_SNP_KERNEL_HASHES:
		return "SNP_KERNEL_HASHES";
	default:
		return NULL;
	}
}

/* The footer table's extent [*start, *end), or 0 with *end == 0 if none. */
static int footer_table(const uint8_t *fw, size_t len, size_t *start, size_t *end,
			char *err, size_t errlen)
{
	uint8_t guid[GUID_SIZE];
	size_t at, tsize;

	*start = *end = 0;
	if (len < FOOTER_TAIL + ENTRY_HDR)
		return 0;
	at = len - FOOTER_TAIL - ENTRY_HDR;
	_vm_guid(GUID_FOOTER, guid);
	if (memcmp(fw + at + 2, guid, GUID_SIZE))
		return 0;
	tsize = _vm_le16(fw + at);
	if (tsize < ENTRY_HDR)
		return _vm_fail(err, errlen, -EINVAL,
				"firmware footer table: size %zu is smaller than its own header",
				tsize);
	tsize -= ENTRY_HDR;
	if (tsize > at)
		return _vm_fail(err, errlen, -EINVAL,
				"firmware footer table is truncated: %zu bytes claimed, %zu in the file",
				tsize, at);
	*start = at - tsize;
	*end = at;
	return 0;
}

/* Store one known entry's first u32; refuse duplicates and short entries. */
static int take_u32(const char *name, const uint8_t *data, size_t dlen, bool *have,
		    uint32_t *val, char *err, size_t errlen)
{
	if (*have)
		return _vm_fail(err, errlen, -EINVAL,
				"firmware footer table: the %s entry appears twice", name);
	if (dlen < 4)
		return _vm_fail(err, errlen, -EINVAL,
				"firmware footer table: the %s entry is truncated (%zu bytes)",
				name, dlen);
	*have = true;
	*val = _vm_le32(data);
	return 0;
}

static int table_entry(const uint8_t *guid, const uint8_t *data, size_t dlen,
		       struct vhsm_ovmf *o, uint32_t *meta_off, bool *have_meta,
		       char *err, size_t errlen)
{
	uint8_t g[GUID_SIZE];

	_vm_guid(GUID_RESET, g);
	if (!memcmp(guid, g, GUID_SIZE))
		return take_u32("SEV-ES reset block", data, dlen, &o->has_reset_eip,
				&o->reset_eip, err, errlen);
	_vm_guid(GUID_HASH_TABLE, g);
	if (!memcmp(guid, g, GUID_SIZE))
		return take_u32("SEV hash table", data, dlen, &o->has_hashes_table,
				&o->hashes_table_gpa, err, errlen);
	_vm_guid(GUID_SVSM_INFO, g);
	if (!memcmp(guid, g, GUID_SIZE))
		return take_u32("SVSM information", data, dlen, &o->has_svsm_info,
				&o->svsm_entry, err, errlen);
	_vm_guid(GUID_METADATA, g);
	if (!memcmp(guid, g, GUID_SIZE))
		return take_u32("SEV metadata", data, dlen, have_meta, meta_off,
				err, errlen);
	return 0;	/* an entry this code does not use */
}

static int walk_table(const uint8_t *fw, size_t start, size_t end, struct vhsm_ovmf *o,
		      uint32_t *meta_off, bool *have_meta, char *err, size_t errlen)
{
	while (end - start >= ENTRY_HDR) {
		size_t esize = _vm_le16(fw + end - ENTRY_HDR);
		int ret;

		if (esize < ENTRY_HDR)
			return _vm_fail(err, errlen, -EINVAL,
					"firmware footer table: entry at offset %zu has size %zu, "
					"smaller than its header", end - ENTRY_HDR, esize);
		if (esize > end - start)
			return _vm_fail(err, errlen, -EINVAL,
					"firmware footer table: entry at offset %zu (%zu bytes) runs "
					"past the start of the table", end - ENTRY_HDR, esize);
		ret = table_entry(fw + end - GUID_SIZE, fw + end - esize, esize - ENTRY_HDR,
				  o, meta_off, have_meta, err, errlen);
		if (ret)
			return ret;
		end -= esize;
	}
	return 0;
}

static int parse_metadata(const uint8_t *fw, size_t len, uint32_t off, struct vhsm_ovmf *o,
			  char *err, size_t errlen)
{
	const uint8_t *h;
	uint32_t size, count, i;

	if (off > len || off < META_HDR)
		return _vm_fail(err, errlen, -EINVAL,
				"SEV metadata offset %u is outside the %zu-byte image", off, len);
	h = fw + len - off;
	if (memcmp(h, "ASEV", 4))
		return _vm_fail(err, errlen, -EINVAL, "SEV metadata: wrong signature");
	size = _vm_le32(h + 4);
	count = _vm_le32(h + 12);
	if (_vm_le32(h + 8) != 1)
		return _vm_fail(err, errlen, -EINVAL, "SEV metadata: version %u, expected 1",
				_vm_le32(h + 8));
	if (size < META_HDR || size > off)
		return _vm_fail(err, errlen, -EINVAL,
				"SEV metadata: size %u does not fit the image", size);
	if (count > (size - META_HDR) / META_ITEM)
		return _vm_fail(err, errlen, -EINVAL,
				"SEV metadata: %u sections do not fit its %u bytes", count, size);
	if (count > VHSM_OVMF_SECTIONS_MAX)
		return _vm_fail(err, errlen, -E2BIG,
				"SEV metadata: %u sections, at most %d supported", count,
				VHSM_OVMF_SECTIONS_MAX);
	for (i = 0; i < count; i++) {
		const uint8_t *it = h + META_HDR + (size_t)i * META_ITEM;

		o->sections[i].gpa = _vm_le32(it);
		o->sections[i].size = _vm_le32(it + 4);
		o->sections[i].type = _vm_le32(it + 8);
	}
	o->n_sections = count;
	o->has_metadata = true;
	return 0;
}

int vhsm_ovmf_parse(const uint8_t *fw, size_t len, struct vhsm_ovmf *out,
		    char *err, size_t errlen)
{
	bool have_meta = false;
	uint32_t meta_off = 0;
	size_t start, end;
	int ret;

	if (!out || (!fw && len))
		return _vm_fail(err, errlen, -EINVAL, "no firmware image");
	memset(out, 0, sizeof(*out));
	if (len > VHSM_OVMF_MAX)
		return _vm_fail(err, errlen, -EFBIG,
				"firmware image of %zu bytes is larger than %u MiB", len,
				VHSM_OVMF_MAX >> 20);
	out->size = len;
	ret = footer_table(fw, len, &start, &end, err, errlen);
	if (ret || !end)
		return ret;
	ret = walk_table(fw, start, end, out, &meta_off, &have_meta, err, errlen);
	if (!ret && have_meta)
		ret = parse_metadata(fw, len, meta_off, out, err, errlen);
	if (ret) {
		memset(out, 0, sizeof(*out));
		out->size = len;
	}
	return ret;
}
