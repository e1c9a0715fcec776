// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool seal/reseal options and blob framing checks (seal_args.h).
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_args.h"

static const struct {
	uint64_t bit;
	const char *name;
} bind_names[] = {
	{ VHSM_FIELD_MEASUREMENT, "measurement" },
	{ VHSM_FIELD_POLICY, "policy" },
	{ VHSM_FIELD_GUEST_SVN, "svn" },
	{ VHSM_FIELD_FAMILY_ID, "family-id" },
	{ VHSM_FIELD_IMAGE_ID, "image-id" },
	{ VHSM_FIELD_TCB_VERSION, "tcb" },
};

#define N_BIND	(sizeof(bind_names) / sizeof(bind_names[0]))

int seal_bind_parse(const char *list, uint64_t *fields)
{
	const char *p = list, *end;
	uint64_t bits = 0;
	size_t i, n;

	if (!list || !*list)
		return -EINVAL;
	if (!strcmp(list, "all")) {
		*fields = VHSM_FIELD_ALL;
		return 0;
	}
	if (!strcmp(list, "none")) {
		*fields = 0;
		return 0;
	}
	for (;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < N_BIND; i++)
			if (strlen(bind_names[i].name) == n && !memcmp(p, bind_names[i].name, n))
				break;
		if (i == N_BIND || bits & bind_names[i].bit)
			return -EINVAL;
		bits |= bind_names[i].bit;
		if (!end)
			break;
		p = end + 1;
	}
	*fields = bits;
	return 0;
}

void seal_bind_format(uint64_t fields, char *buf, size_t size)
{
	size_t i, used = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (i = 0; i < N_BIND; i++) {
		int n;

		if (!(fields & bind_names[i].bit))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? "," : "",
			     bind_names[i].name);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, size, "none");
}

int seal_tcb_parse(const char *s, uint32_t *flags, uint64_t *tcb)
{
	const char *d;
	size_t n;

	if (!s)
		return -EINVAL;
	*tcb = 0;
	if (!strcmp(s, "auto")) {
		*flags = VHSM_SEAL_F_TCB_REPORTED;
		return 0;
	}
	if (!strcmp(s, "committed")) {
		*flags = VHSM_SEAL_F_TCB_COMMITTED;
		return 0;
	}
	d = strncmp(s, "0x", 2) && strncmp(s, "0X", 2) ? s : s + 2;
	n = strlen(d);
	if (!n || n > 16 || strspn(d, "0123456789abcdefABCDEF") != n)
		return -EINVAL;
	*flags = 0;
	*tcb = strtoull(d, NULL, 16);
	return 0;
}

int seal_root_parse(const char *s, uint32_t *root)
{
	if (s && !strcmp(s, "vcek")) {
		*root = 0;
		return 0;
	}
	if (s && !strcmp(s, "vmrk")) {
		*root = 1;
		return 0;
	}
	return -EINVAL;
}

const char *seal_blob_problem(const uint8_t *buf, size_t len, struct vhsm_seal_hdr *hdr)
{
	size_t want;

	if (len < 8)
		return "not a sealed blob: too short";
	if (memcmp(buf, VHSM_SEAL_MAGIC, 4))
		return "not a sealed blob: no \"vhSB\" magic";
	memcpy(hdr, buf, len < sizeof(*hdr) ? len : sizeof(*hdr));
	if (le16toh(hdr->version) != VHSM_SEAL_VERSION)
		return "sealed blob of an unknown version (this vhsm knows version 1)";
	if (len < sizeof(*hdr))
		return "sealed blob truncated: shorter than its header";
	want = sizeof(*hdr) + (size_t)le32toh(hdr->key_len) + VHSM_SEAL_TAG_LEN;
	if (le32toh(hdr->key_len) > VHSM_SEAL_KEY_MAX)
		return "not a sealed blob: impossible key length in the header";
	if (len < want)
		return "sealed blob truncated: shorter than its header says";
	if (len > want)
		return "sealed blob oversized: longer than its header says";
	return NULL;
}
