/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VHSM_TOOL_INFO_H
#define VHSM_TOOL_INFO_H

#include <jansson.h>
#include <linux/vhsm.h>

/* The JSON document "vhsm-tool info --json" prints; NULL on allocation failure. */
json_t *info_to_json(const struct vhsm_info *info, const char *device);

#endif /* VHSM_TOOL_INFO_H */
