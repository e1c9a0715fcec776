/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VHSM_TOOL_KEYS_H
#define VHSM_TOOL_KEYS_H

#include <jansson.h>
#include <linux/vhsm.h>

/*
 * One key as "show --json" prints it and "list --json" lists it:
 * {"handle", "key" ("#N"), "label", "type", "key_len", "usage" [names],
 *  "mode" ("0700"), "owner_uid", "owner_gid", "origin", "created" (seconds
 *  since the epoch), "public_only"}. NULL on allocation failure.
 */
json_t *key_info_to_json(const struct vhsm_key_info *ki);

#endif /* VHSM_TOOL_KEYS_H */
