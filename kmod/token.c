// SPDX-License-Identifier: GPL-2.0-only
/*
 * Key references ("tokens"): 16 public bytes that name one stored key, for
 * the kernel's own clients (keyrings, the vhsm(...) crypto template), which
 * cannot hold a /dev/vhsm handle.
 *
 * A token is not a capability. It names a key and nothing more: whoever
 * presents it is checked, at the moment of use and with the presenting task's
 * credentials, against the key's owner, group, mode and usage, exactly as an
 * ioctl on the handle would be. It carries the key's 64-bit id besides its
 * handle, so a token for a destroyed key never names a later key that reuses
 * the handle number; ids start at a random value at module load, so a token
 * from an earlier load of the module does not name a key of this one.
 *
 * Wire format (VHSM_TOKEN_LEN = 16 bytes, little-endian):
 *   0  4  magic "vhT1"
 *   4  4  handle
 *   8  8  key id
 */
#include <linux/string.h>

#include "compat.h"
#include "ioctl.h"
#include "keystore.h"
#include "policy.h"
#include "token.h"

static const u8 vhsm_token_magic[4] = { 'v', 'h', 'T', '1' };

void vhsm_token_make(const struct vhsm_key *key, u8 token[VHSM_TOKEN_LEN])
{
	memcpy(token, vhsm_token_magic, sizeof(vhsm_token_magic));
	put_unaligned_le32(key->handle, token + 4);
	put_unaligned_le64(key->id, token + 8);
}

/**
 * vhsm_token_resolve() - the key a token names, if the current task may use it
 * @token:      the token bytes
 * @len:        their length (must be VHSM_TOKEN_LEN)
 * @need_mode:  VHSM_MODE_* bits the action needs
 * @need_usage: VHSM_USAGE_* bits the action needs
 * @err:        [out] the reason when NULL is returned: -EINVAL (not a token),
 *              -ENOENT (no such key, or the caller may not see it), -EACCES,
 *              -EPERM (as vhsm_policy_check())
 *
 * Return: a referenced key (release with vhsm_key_put()) or NULL.
 */
struct vhsm_key *vhsm_token_resolve(const u8 *token, size_t len,
				    unsigned int need_mode, u32 need_usage,
				    int *err)
{
	struct vhsm_key *key;

	if (len != VHSM_TOKEN_LEN || memcmp(token, vhsm_token_magic, sizeof(vhsm_token_magic))) {
		*err = -EINVAL;
		return NULL;
	}
	key = vhsm_keystore_get(get_unaligned_le32(token + 4));
	if (!key || key->id != get_unaligned_le64(token + 8)) {
		if (key)
			vhsm_key_put(key);
		*err = -ENOENT;
		return NULL;
	}
	*err = vhsm_policy_check(key, need_mode, need_usage);
	if (*err) {
		vhsm_key_put(key);
		return NULL;
	}
	return key;
}

int vhsm_cmd_key_token(struct vhsm_key_token *arg)
{
	struct vhsm_key *key;
	int ret;

	if (arg->flags & ~VHSM_KEY_TOKEN_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->__pad || !vhsm_all_zero(arg->token, sizeof(arg->token)) ||
	    !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	key = vhsm_keystore_get_for(arg->handle, VHSM_MODE_SEE, &ret);
	if (!key)
		return ret;
	vhsm_token_make(key, arg->token);
	vhsm_key_put(key);
	return 0;
}
