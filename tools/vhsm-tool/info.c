// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool info: module, ABI, platform, capabilities, limits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <vhsm/vhsm.h>

#include "info.h"
#include "subcommands.h"

static const struct {
	unsigned long long bit;
	const char *name;
} cap_names[] = {
	{ VHSM_CAP_ATTEST, "attest" },
	{ VHSM_CAP_DERIVE_KEY, "derive-key" },
	{ VHSM_CAP_KEYSTORE, "keystore" },
	{ VHSM_CAP_KEYRING_EXPORT, "keyring-export" },
};

#define N_CAPS (sizeof(cap_names) / sizeof(cap_names[0]))

static json_t *caps_to_json(unsigned long long caps)
{
	json_t *arr = json_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < N_CAPS; i++)
		if ((caps & cap_names[i].bit) &&
		    json_array_append_new(arr, json_string(cap_names[i].name))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *limits_to_json(const struct vhsm_info_limits *l)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}",
			 "max_keys", (json_int_t)l->max_keys,
			 "max_keys_per_user", (json_int_t)l->max_keys_per_user,
			 "max_bytes_per_user", (json_int_t)l->max_bytes_per_user,
			 "max_data_len", (json_int_t)l->max_data_len,
			 "max_label_len", (json_int_t)l->max_label_len);
}

json_t *info_to_json(const struct vhsm_info *info, const char *device)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:{s:s, s:I, s:b}, s:o*, s:o*}",
			 "device", device,
			 "abi_version", (json_int_t)info->abi_version,
			 "module_version", info->module_version,
			 "library_version", vhsm_library_version(),
			 "platform",
			 "name", info->platform_name,
			 "id", (json_int_t)info->platform_id,
			 "simulated",
			 !!(info->platform_flags & VHSM_PLATFORM_F_SIMULATED),
			 "capabilities", caps_to_json(info->capabilities),
			 "limits", limits_to_json(&info->limits));
}

static void print_human(const struct vhsm_info *info, const char *device)
{
	size_t i;
	int any = 0;

	printf("device        %s\n", device);
	printf("module        %s (ABI %u)\n", info->module_version,
	       info->abi_version);
	printf("library       %s\n", vhsm_library_version());
	printf("platform      %s%s\n", info->platform_name,
	       info->platform_flags & VHSM_PLATFORM_F_SIMULATED ?
	       " (SIMULATED: reports are not hardware-signed)" : "");
	printf("capabilities ");
	for (i = 0; i < N_CAPS; i++)
		if (info->capabilities & cap_names[i].bit) {
			printf(" %s", cap_names[i].name);
			any = 1;
		}
	printf("%s\n", any ? "" : " none");
	if (info->limits.max_keys)
		printf("limits        %u keys, %u per user, %u bytes per user, %u bytes per call, label %u\n",
		       info->limits.max_keys, info->limits.max_keys_per_user,
		       info->limits.max_bytes_per_user,
		       info->limits.max_data_len, info->limits.max_label_len);
}

static void info_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s [--json] info\n"
		"  Show module and library versions, ABI, platform, capabilities and limits.\n",
		ctx->prog);
}

int info_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct vhsm_info info;
	struct vhsm *h;
	int ret, rc;

	rc = tool_parse_json_help(ctx, argc, argv, info_usage);
	if (rc >= 0)
		return rc;
	if (optind != argc) {
		tool_err(ctx, "info: unexpected argument '%s'", argv[optind]);
		info_usage(ctx, stderr);
		return TOOL_USAGE;
	}

	rc = tool_open(ctx, &h);
	if (rc)
		return rc;
	ret = vhsm_info(h, &info);
	if (ret) {
		tool_err(ctx, "info: %s", vhsm_strerror(ret));
		rc = tool_rc_from_errno(ret);
		goto out;
	}
	if (ctx->json)
		rc = tool_print_json(ctx, info_to_json(&info,
						   vhsm_device_path(h)));
	else
		print_human(&info, vhsm_device_path(h));
out:
	vhsm_close(h);
	return rc;
}
