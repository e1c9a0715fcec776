// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Result object of the SNP report verifier: the public helpers that free a
 * result, look up a reason and render it as JSON (the reasons themselves
 * are recorded by the checks through _vhsm_fail(), ctx.c).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctx.h"

void vhsm_verify_result_free(struct vhsm_verify_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->n_reasons; i++)
		free(res->reasons[i]);
	free(res->reasons);
	memset(res, 0, sizeof(*res));
}

bool vhsm_verify_result_has_reason(const struct vhsm_verify_result *res,
				   const char *prefix)
{
	size_t i;

	if (!res || !prefix)
		return false;
	for (i = 0; i < res->n_reasons; i++)
		if (!strncmp(res->reasons[i], prefix, strlen(prefix)))
			return true;
	return false;
}

static int append_str(json_t *arr, const char *s)
{
	return json_array_append_new(arr, json_string(s)) ? -ENOMEM : 0;
}

static json_t *failed_json(uint32_t failed)
{
	json_t *arr = json_array();
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < 32; i++) {
		if (!(failed & (1u << i)))
			continue;
		if (append_str(arr, vhsm_verify_check_name(1u << i))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *reasons_json(const struct vhsm_verify_result *res)
{
	json_t *arr = json_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < res->n_reasons; i++) {
		if (append_str(arr, res->reasons[i])) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int vhsm_verify_result_to_json(const struct vhsm_verify_result *res, char **out)
{
	json_t *o;
	int err = 0;

	if (!res || !out)
		return -EINVAL;
	*out = NULL;
	o = json_pack("{s:b, s:s, s:o?, s:o?}", "ok", res->failed == 0,
		      "product", vhsm_report_product_name(res->product),
		      "failed", failed_json(res->failed),
		      "reasons", reasons_json(res));
	if (!o || !json_is_array(json_object_get(o, "failed")) ||
	    !json_is_array(json_object_get(o, "reasons")))
		err = -ENOMEM;
	if (!err) {
		*out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		if (!*out)
			err = -ENOMEM;
	}
	json_decref(o);
	return err;
}
