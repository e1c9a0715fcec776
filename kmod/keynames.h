/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_KEYNAMES_H
#define _VHSM_KEYNAMES_H

#include <linux/types.h>

struct seq_file;

/* Longest type name ("hmac-sha384") plus NUL. */
#define VHSM_KEYNAME_TYPE_MAX	16

int vhsm_keyname_type_parse(const char *name, u32 *type, u32 *key_len);
void vhsm_keyname_type(u32 type, u32 key_len, char *buf, size_t size);
int vhsm_keyname_usage_parse(const char *list, u32 *usage);
void vhsm_keyname_usage_show(struct seq_file *m, u32 usage);
u32 vhsm_keyname_default_usage(u32 type);

#endif /* _VHSM_KEYNAMES_H */
