// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Key names as users write them: type names, usage lists, origins, "#N"
 * handles and labels. Pure string handling; nothing here calls the module.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SECRET_PREFIX	"secret"
#define SECRET_MIN	16
#define SECRET_MAX	64

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ VHSM_KEY_AES128_GCM, "aes128" },
	{ VHSM_KEY_AES256_GCM, "aes256" },
	{ VHSM_KEY_AES256_XTS, "aes256-xts" },
	{ VHSM_KEY_HMAC_SHA256, "hmac-sha256" },
	{ VHSM_KEY_HMAC_SHA384, "hmac-sha384" },
	{ VHSM_KEY_EC_P256, "p256" },
	{ VHSM_KEY_EC_P384, "p384" },
};

/* In bit order: vhsm_usage_format() lists them this way. */
static const struct {
	uint32_t bit;
	const char *name;
} usage_names[] = {
	{ VHSM_USAGE_ENCRYPT, "encrypt" },
	{ VHSM_USAGE_DECRYPT, "decrypt" },
	{ VHSM_USAGE_SIGN, "sign" },
	{ VHSM_USAGE_VERIFY, "verify" },
	{ VHSM_USAGE_MAC, "mac" },
	{ VHSM_USAGE_DERIVE, "derive" },
	{ VHSM_USAGE_EXPORT_KERNEL, "export-kernel" },
	{ VHSM_USAGE_CALLER_IV, "caller-iv" },
	{ VHSM_USAGE_SEAL, "seal" },
};

static const char *const origin_names[] = {
	[VHSM_ORIGIN_GENERATED] = "generated",
	[VHSM_ORIGIN_PROVISIONED] = "provisioned",
	[VHSM_ORIGIN_IMPORTED] = "imported",
	[VHSM_ORIGIN_UNSEALED] = "unsealed",
	[VHSM_ORIGIN_DERIVED] = "derived",
};

/* "16".."64" exactly: decimal, no sign, no leading zero, no trailing junk. */
static int parse_secret_len(const char *s, uint32_t *len)
{
	uint32_t v = 0;
	size_t i;

	if (s[0] < '1' || s[0] > '9')
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 2)
			return -EINVAL;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v < SECRET_MIN || v > SECRET_MAX)
		return -EINVAL;
	*len = v;
	return 0;
}

int vhsm_key_type_parse(const char *name, uint32_t *type, uint32_t *key_len)
{
	uint32_t len;
	size_t i;

	if (!name || !type || !key_len)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(name, type_names[i].name)) {
			*type = type_names[i].type;
			*key_len = 0;
			return 0;
		}
	if (strncmp(name, SECRET_PREFIX, strlen(SECRET_PREFIX)) ||
	    parse_secret_len(name + strlen(SECRET_PREFIX), &len))
		return -EINVAL;
	*type = VHSM_KEY_SECRET;
	*key_len = len;
	return 0;
}

static int copy_out(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size) {
		if (size)
			buf[0] = '\0';
		return -ENOSPC;
	}
	memcpy(buf, s, n + 1);
	return 0;
}

int vhsm_key_type_name(uint32_t type, uint32_t key_len, char *buf, size_t size)
{
	char tmp[VHSM_KEY_TYPE_NAME_MAX];
	size_t i;

	if (!buf)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (type_names[i].type == type)
			return copy_out(buf, size, type_names[i].name);
	if (type != VHSM_KEY_SECRET || key_len < SECRET_MIN || key_len > SECRET_MAX)
		return -EINVAL;
	snprintf(tmp, sizeof(tmp), SECRET_PREFIX "%u", key_len);
	return copy_out(buf, size, tmp);
}

uint32_t vhsm_key_default_usage(uint32_t type, unsigned int import_flags)
{
	switch (type) {
	case VHSM_KEY_AES128_GCM:
	case VHSM_KEY_AES256_GCM:
		return VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT;
	case VHSM_KEY_AES256_XTS:
	case VHSM_KEY_SECRET:
		return VHSM_USAGE_EXPORT_KERNEL;
	case VHSM_KEY_HMAC_SHA256:
	case VHSM_KEY_HMAC_SHA384:
		return VHSM_USAGE_MAC;
	case VHSM_KEY_EC_P256:
	case VHSM_KEY_EC_P384:
		if (import_flags & VHSM_IMPORT_F_PUBLIC)
			return VHSM_USAGE_VERIFY;
		return VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY;
	default:
		return 0;
	}
}

int vhsm_usage_parse(const char *list, uint32_t *usage)
{
	uint32_t bits = 0;
	const char *p, *end;
	size_t i, n;

	if (!list || !usage)
		return -EINVAL;
	for (p = list;; p = end + 1) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < ARRAY_SIZE(usage_names); i++)
			if (strlen(usage_names[i].name) == n &&
			    !memcmp(p, usage_names[i].name, n))
				break;
		if (i == ARRAY_SIZE(usage_names))
			return -EINVAL;	/* also an empty item */
		bits |= usage_names[i].bit;
		if (!end)
			break;
	}
	*usage = bits;
	return 0;
}

int vhsm_usage_format(uint32_t usage, char *buf, size_t size)
{
	char tmp[VHSM_USAGE_STR_MAX] = "";
	size_t i;

	if (!buf || (usage & ~VHSM_USAGE_ALL))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(usage_names); i++) {
		if (!(usage & usage_names[i].bit))
			continue;
		if (tmp[0])
			strcat(tmp, ",");
		strcat(tmp, usage_names[i].name);
	}
	return copy_out(buf, size, tmp);
}

const char *vhsm_origin_name(uint32_t origin)
{
	if (origin >= ARRAY_SIZE(origin_names))
		return NULL;
	return origin_names[origin];
}

int vhsm_origin_parse(const char *name, uint32_t *origin)
{
	uint32_t i;

	if (!name || !origin)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(origin_names); i++)
		if (origin_names[i] && !strcmp(name, origin_names[i])) {
			*origin = i;
			return 0;
		}
	return -EINVAL;
}

int vhsm_key_handle_parse(const char *key, uint32_t *handle)
{
	uint64_t v = 0;
	const char *p;

	if (!key || !handle || key[0] != '#' || !key[1])
		return -EINVAL;
	for (p = key + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	if (!v)
		return -EINVAL;
	*handle = (uint32_t)v;
	return 0;
}

static int label_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || (c && strchr("._:@/+=-", c));
}

int vhsm_key_label_check(const char *label)
{
	size_t i;

	if (!label || !label[0])
		return -EINVAL;
	for (i = 0; label[i]; i++)
		if (i >= VHSM_LABEL_MAX - 1 || !label_char_ok(label[i]))
			return -EINVAL;
	return 0;
}
