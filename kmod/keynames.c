// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key type and usage names as users write them, for the kernel's own text
 * interfaces (the "vhsm" key type's payload and its /proc/keys line). The
 * same names as libvhsm and vhsm-tool: aes128, aes256, aes256-xts,
 * hmac-sha256, hmac-sha384, p256, p384, secret16 ... secret64; usage encrypt,
 * decrypt, sign, verify, mac, derive, export-kernel, caller-iv, seal. Pure string
 * handling.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vhsm.h>

#include "keynames.h"

#define SECRET_PREFIX	"secret"

static const char *const type_names[__VHSM_KEY_TYPE_MAX] = {
	[VHSM_KEY_AES128_GCM] = "aes128",
	[VHSM_KEY_AES256_GCM] = "aes256",
	[VHSM_KEY_AES256_XTS] = "aes256-xts",
	[VHSM_KEY_HMAC_SHA256] = "hmac-sha256",
	[VHSM_KEY_HMAC_SHA384] = "hmac-sha384",
	[VHSM_KEY_EC_P256] = "p256",
	[VHSM_KEY_EC_P384] = "p384",
};

/* In bit order. */
static const char *const usage_names[] = {
	"encrypt", "decrypt", "sign", "verify", "mac", "derive", "export-kernel",
	"caller-iv", "seal",
};

static_assert(ARRAY_SIZE(usage_names) == 9 && VHSM_USAGE_ALL == 0x1ff);

/**
 * vhsm_keyname_type_parse() - a key type from its name
 * @name:    e.g. "aes256" or "secret64"
 * @type:    [out] enum vhsm_key_type
 * @key_len: [out] 16..64 for secretN, else 0 (the type's default)
 *
 * Return: 0 or -EINVAL.
 */
int vhsm_keyname_type_parse(const char *name, u32 *type, u32 *key_len)
{
	u32 i, len;

	for (i = 1; i < ARRAY_SIZE(type_names); i++)
		if (type_names[i] && !strcmp(name, type_names[i])) {
			*type = i;
			*key_len = 0;
			return 0;
		}
	if (!str_has_prefix(name, SECRET_PREFIX))
		return -EINVAL;
	name += strlen(SECRET_PREFIX);
	if (name[0] < '1' || name[0] > '9' || kstrtou32(name, 10, &len) ||
	    len < 16 || len > 64)
		return -EINVAL;
	*type = VHSM_KEY_SECRET;
	*key_len = len;
	return 0;
}

/* The name of @type into @buf ("?" for an unknown type). */
void vhsm_keyname_type(u32 type, u32 key_len, char *buf, size_t size)
{
	if (type == VHSM_KEY_SECRET)
		scnprintf(buf, size, SECRET_PREFIX "%u", key_len);
	else if (type < ARRAY_SIZE(type_names) && type_names[type])
		strscpy(buf, type_names[type], size);
	else
		strscpy(buf, "?", size);
}

/**
 * vhsm_keyname_usage_parse() - usage flags from a comma-separated list
 * @list:  e.g. "encrypt,decrypt,export-kernel"
 * @usage: [out] VHSM_USAGE_*
 *
 * Return: 0, or -EINVAL for an unknown or empty item.
 */
int vhsm_keyname_usage_parse(const char *list, u32 *usage)
{
	const char *p = list, *end;
	u32 bits = 0;
	size_t i, n;

	for (;;) {
		end = strchrnul(p, ',');
		n = end - p;
		for (i = 0; i < ARRAY_SIZE(usage_names); i++)
			if (strlen(usage_names[i]) == n && !memcmp(p, usage_names[i], n))
				break;
		if (i == ARRAY_SIZE(usage_names))
			return -EINVAL;
		bits |= 1U << i;
		if (!*end)
			break;
		p = end + 1;
	}
	*usage = bits;
	return 0;
}

/* "encrypt,decrypt" (or "none") into @m. */
void vhsm_keyname_usage_show(struct seq_file *m, u32 usage)
{
	bool first = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(usage_names); i++) {
		if (!(usage & (1U << i)))
			continue;
		seq_printf(m, "%s%s", first ? "" : ",", usage_names[i]);
		first = false;
	}
	if (first)
		seq_puts(m, "none");
}

/* The usage a new key gets when none is named: libvhsm's defaults. */
u32 vhsm_keyname_default_usage(u32 type)
{
	switch (type) {
	case VHSM_KEY_AES128_GCM:
	case VHSM_KEY_AES256_GCM:
		return VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT;
	case VHSM_KEY_HMAC_SHA256:
	case VHSM_KEY_HMAC_SHA384:
		return VHSM_USAGE_MAC;
	case VHSM_KEY_EC_P256:
	case VHSM_KEY_EC_P384:
		return VHSM_USAGE_SIGN | VHSM_USAGE_VERIFY;
	default:
		return VHSM_USAGE_EXPORT_KERNEL;
	}
}
