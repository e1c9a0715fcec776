// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Provisioning sessions (VHSM_IOC_SESSION_OPEN, VHSM_IOC_SESSION_IMPORT): the
 * kernel makes the session key, binds the KBS runtime data into a report and
 * opens the broker's JWE; these wrappers only carry text and evidence across,
 * so no secret ever passes through this process.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

int vhsm_session_open(struct vhsm *h, const char *nonce, uint32_t flags, uint32_t vmpl,
		      uint8_t *report, size_t *report_len, uint8_t *certs,
		      size_t *certs_len, struct vhsm_session_info *out, uint32_t *fw_error)
{
	struct vhsm_session_open o = { .size = sizeof(o), .vmpl = vmpl };
	int ret;

	if (!h || !nonce || !report || !report_len || !out || (certs && !certs_len) ||
	    flags & ~(uint32_t)VHSM_SESSION_F_NO_ADDEV)
		return -EINVAL;
	if (strlen(nonce) > VHSM_SESSION_NONCE_MAX)
		return -EINVAL;
	if (*report_len > UINT32_MAX || (certs && *certs_len > UINT32_MAX))
		return -E2BIG;
	o.flags = flags;
	o.nonce_ptr = (uintptr_t)nonce;
	o.nonce_len = (uint32_t)strlen(nonce);
	o.report_ptr = (uintptr_t)report;
	o.report_len = (uint32_t)*report_len;
	if (certs) {
		o.flags |= VHSM_SESSION_F_CERTS;
		o.certs_ptr = (uintptr_t)certs;
		o.certs_len = (uint32_t)*certs_len;
	}
	ret = _vhsm_ioctl(h, VHSM_IOC_SESSION_OPEN, &o);
	if (fw_error)
		*fw_error = o.fw_error;
	if (!ret || ret == -ENOSPC) {
		*report_len = o.report_len;
		if (certs)
			*certs_len = o.certs_len;
	}
	if (ret)
		return ret;
	if (!o.session_id || memchr(o.jwk_x, 0, sizeof(o.jwk_x)) == NULL ||
	    memchr(o.jwk_y, 0, sizeof(o.jwk_y)) == NULL)
		return -EPROTO;
	memset(out, 0, sizeof(*out));
	out->id = o.session_id;
	out->expires_in = o.expires_in;
	memcpy(out->jwk_x, o.jwk_x, sizeof(out->jwk_x));
	memcpy(out->jwk_y, o.jwk_y, sizeof(out->jwk_y));
	memcpy(out->report_data, o.report_data, sizeof(out->report_data));
	return 0;
}

static int jwe_part(const char *s, __u64 *ptr, __u32 *len)
{
	size_t n;

	if (!s)
		return -EINVAL;
	n = strlen(s);
	if (!n || n > VHSM_JWE_PROTECTED_MAX)
		return -EINVAL;
	*ptr = (uintptr_t)s;
	*len = (uint32_t)n;
	return 0;
}

int vhsm_session_import(struct vhsm *h, uint32_t session_id, const struct vhsm_jwe *jwe,
			const struct vhsm_key_attr *attr, uint32_t *handle)
{
	struct vhsm_session_import im = { .size = sizeof(im), .session_id = session_id };
	int ret;

	if (!h || !jwe || !attr || !handle)
		return -EINVAL;
	ret = jwe_part(jwe->protected, &im.protected_ptr, &im.protected_len) ?:
	      jwe_part(jwe->encrypted_key, &im.encrypted_key_ptr, &im.encrypted_key_len) ?:
	      jwe_part(jwe->iv, &im.iv_ptr, &im.iv_len) ?:
	      jwe_part(jwe->ciphertext, &im.ciphertext_ptr, &im.ciphertext_len) ?:
	      jwe_part(jwe->tag, &im.tag_ptr, &im.tag_len);
	if (ret)
		return ret;
	im.attr = *attr;
	ret = _vhsm_ioctl(h, VHSM_IOC_SESSION_IMPORT, &im);
	return _vhsm_handle_out(ret, im.handle, handle);
}

/* Compact serialization: five base64url parts joined by '.'. */
static int import_compact(struct vhsm *h, uint32_t session_id, const char *body,
			  size_t len, const struct vhsm_key_attr *attr, uint32_t *handle)
{
	const char **slot[5];
	struct vhsm_jwe jwe;
	char *copy, *p, *dot;
	int i, ret;

	slot[0] = &jwe.protected;
	slot[1] = &jwe.encrypted_key;
	slot[2] = &jwe.iv;
	slot[3] = &jwe.ciphertext;
	slot[4] = &jwe.tag;
	if (memchr(body, '\0', len))
		return -EBADMSG;
	copy = strndup(body, len);
	if (!copy)
		return -ENOMEM;
	/* tolerate one trailing newline, nothing else */
	if (len && copy[len - 1] == '\n')
		copy[len - 1] = '\0';
	ret = 0;
	for (p = copy, i = 0; !ret && i < 5; i++) {
		dot = strchr(p, '.');
		if ((i < 4) != (dot != NULL)) {
			ret = -EBADMSG;
			break;
		}
		if (dot)
			*dot = '\0';
		*slot[i] = p;
		p = dot ? dot + 1 : p;
	}
	if (!ret)
		ret = vhsm_session_import(h, session_id, &jwe, attr, handle);
	free(copy);
	return ret == -EINVAL ? -EBADMSG : ret;
}

static int import_flattened(struct vhsm *h, uint32_t session_id, const char *json,
			    size_t len, const struct vhsm_key_attr *attr, uint32_t *handle)
{
	struct vhsm_jwe jwe;
	json_t *root;
	int ret;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return -EBADMSG;
	}
	jwe.protected = json_string_value(json_object_get(root, "protected"));
	jwe.encrypted_key = json_string_value(json_object_get(root, "encrypted_key"));
	jwe.iv = json_string_value(json_object_get(root, "iv"));
	jwe.ciphertext = json_string_value(json_object_get(root, "ciphertext"));
	jwe.tag = json_string_value(json_object_get(root, "tag"));
	/* a flattened JWE with unprotected headers or extra AAD is not Trustee's */
	if (json_object_get(root, "aad") || json_object_get(root, "unprotected") ||
	    json_object_get(root, "header"))
		ret = -EBADMSG;
	else if (!jwe.protected || !jwe.encrypted_key || !jwe.iv || !jwe.ciphertext || !jwe.tag)
		ret = -EBADMSG;
	else
		ret = vhsm_session_import(h, session_id, &jwe, attr, handle);
	json_decref(root);
	return ret;
}

int vhsm_session_import_resource(struct vhsm *h, uint32_t session_id, const char *body,
				 size_t len, const struct vhsm_key_attr *attr, uint32_t *handle)
{
	size_t i = 0;

	if (!h || !body || !attr || !handle)
		return -EINVAL;
	while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
		i++;
	if (i < len && body[i] == '{')
		return import_flattened(h, session_id, body, len, attr, handle);
	return import_compact(h, session_id, body, len, attr, handle);
}

int vhsm_session_close(struct vhsm *h, uint32_t session_id)
{
	struct vhsm_session_close c = { .size = sizeof(c), .session_id = session_id };

	if (!h)
		return -EINVAL;
	return _vhsm_ioctl(h, VHSM_IOC_SESSION_CLOSE, &c);
}
