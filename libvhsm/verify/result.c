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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctx.h"

void vhsm_verify_result_free(struct vhsm_verify_result *res)
{
	size_t i;

	if (!res || res->size < VHSM_RESULT_STRUCT_MIN)
		return;
	for (i = 0; i < res->n_reasons; i++)
		free(res->reasons[i]);
	free(res->reasons);
	free(res->report);
	free(res->vek_serial);
	free(res->vek_subject);
	memset((char *)res + sizeof(res->size), 0, sizeof(*res) - sizeof(res->size));
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

/* The names of the bits of @mask, from @name(bit). */
static json_t *names_json(uint32_t mask, const char *(*name)(unsigned int bit))
{
	json_t *arr = json_array();
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (append_str(arr, name(i))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static const char *check_bit_name(unsigned int bit)
{
	return vhsm_verify_check_name((enum vhsm_check)(1u << bit));
}

static const char *weak_bit_name(unsigned int bit)
{
	static const char *const names[] = {
		"no_check_time", "custom_roots", "no_crl", "no_policy",
	};

	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : "unknown";
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

static json_t *signing_key_json(const struct vhsm_verify_result *res)
{
	const char *type = res->report->signing_key == VHSM_SIGNING_KEY_VLEK ? "vlek" : "vcek";

	if (!res->vek_serial && !res->vek_subject)
		return NULL;
	return json_pack("{s:s, s:s?, s:s?}", "type", type, "serial", res->vek_serial,
			 "subject", res->vek_subject);
}

/* Set @key to @v (consumed); a NULL @v is an allocation failure. */
static int set_new(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) ? -ENOMEM : 0;
}

static int verdict_json(const struct vhsm_verify_result *res, json_t *o)
{
	int err;

	err = set_new(o, "schema", json_integer(VHSM_VERIFY_JSON_SCHEMA)) ?:
	      set_new(o, "ok", json_boolean(res->failed == 0)) ?:
	      set_new(o, "product", json_string(vhsm_report_product_name(res->product))) ?:
	      set_new(o, "failed", names_json(res->failed, check_bit_name)) ?:
	      set_new(o, "reasons", reasons_json(res)) ?:
	      set_new(o, "checks", names_json(res->checks, check_bit_name)) ?:
	      set_new(o, "weakened", names_json(res->weakened, weak_bit_name));
	if (err || !res->report)
		return err;
	err = set_new(o, "claims", _vhsm_report_claims_json(res->report));
	if (!err && (res->vek_serial || res->vek_subject))
		err = set_new(o, "signing_key", signing_key_json(res));
	return err;
}

int vhsm_verify_result_to_json(const struct vhsm_verify_result *res, char **out)
{
	json_t *o;
	int err;

	if (!res || !out || res->size < VHSM_RESULT_STRUCT_MIN)
		return -EINVAL;
	*out = NULL;
	o = json_object();
	if (!o)
		return -ENOMEM;
	err = verdict_json(res, o);
	if (!err) {
		*out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		if (!*out)
			err = -ENOMEM;
	}
	json_decref(o);
	return err;
}
