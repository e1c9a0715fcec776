// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vhsm(...) crypto template: vhsm(xts(aes)), vhsm(cbc(aes)),
 * vhsm(gcm(aes)), vhsm(hmac(sha256)) and vhsm(hmac(sha384)) are instances of
 * the inner algorithm whose setkey takes a key token (token.c) instead of key
 * bytes. dm-crypt, AF_ALG and any other crypto API user can then use a vHSM
 * key without ever holding its bytes.
 *
 * At setkey the setting task must pass the device node's rule (root or the
 * group= group) and the token is resolved with its credentials
 * (vhsm_token_resolve(): owner, group, mode, usage); the key's type must fit
 * the inner algorithm, and the inner transform is keyed straight from the
 * stored material: no copy is made, so there is none to wipe. From then on
 * the instance only forwards requests to the inner transform; its request
 * context carries the inner request, so the data path allocates nothing
 * (dm-crypt asks for algorithms without CRYPTO_ALG_ALLOCATES_MEMORY, and the
 * instance inherits that flag from the inner algorithm).
 *
 * What a keyed transform holds: the inner transform's key schedule, which
 * lives until the transform is freed. Destroying the vHSM key therefore
 * refuses new setkeys (the token no longer resolves) but does not reach into
 * transforms already keyed: the crypto API has no way to revoke a key from a
 * live transform, and tearing a key out from under dm-crypt would turn a
 * mounted volume into I/O errors. Remove the users (dmsetup remove, close the
 * socket) to drop the schedule.
 *
 * Usage a key must carry: VHSM_USAGE_EXPORT_KERNEL always (the key schedule
 * leaves the key store for another subsystem's memory and outlives destroy,
 * which is what that flag allows), plus the operation flags the key type can
 * restrict: encrypt and decrypt for AES keys on ciphers (the transform does
 * both), mac for HMAC keys. aes256-xts keys can only carry export-kernel.
 * vhsm(gcm(aes)) encrypts under the caller's IV every time, so it also needs
 * what a caller-chosen IV needs on the ioctl path: VHSM_USAGE_CALLER_IV or
 * CAP_SYS_ADMIN (vhsm_policy_caller_iv()); a repeated GCM IV gives away the
 * keystream.
 *
 * Lifetime: the template is registered at module init and unregistered at
 * exit. Every transform of an instance holds a reference on this module
 * (the crypto API takes it through cra_module), so the module cannot be
 * unloaded while a dm-crypt device or an AF_ALG socket uses an instance;
 * crypto_unregister_template() then frees the instances nobody uses.
 */
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vhsm.h>
#include <crypto/algapi.h>

#include "chardev.h"
#include "keystore.h"
#include "policy.h"
#include "template.h"
#include "token.h"

#define VHSM_CIPHER_USAGE	(VHSM_USAGE_ENCRYPT | VHSM_USAGE_DECRYPT)

static const struct vhsm_tmpl_alg vhsm_tmpl_algs[] = {
	{ "xts(aes)", { VHSM_KEY_AES256_XTS }, VHSM_CIPHER_USAGE },
	{ "cbc(aes)", { VHSM_KEY_AES128_GCM, VHSM_KEY_AES256_GCM }, VHSM_CIPHER_USAGE },
	{ "gcm(aes)", { VHSM_KEY_AES128_GCM, VHSM_KEY_AES256_GCM }, VHSM_CIPHER_USAGE, true },
	{ "hmac(sha256)", { VHSM_KEY_HMAC_SHA256 }, VHSM_USAGE_MAC },
	{ "hmac(sha384)", { VHSM_KEY_HMAC_SHA384 }, VHSM_USAGE_MAC },
};

/* The table entry for an inner algorithm, or NULL if vhsm(...) does not wrap it. */
const struct vhsm_tmpl_alg *vhsm_template_find(const char *cra_name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vhsm_tmpl_algs); i++)
		if (!strcmp(vhsm_tmpl_algs[i].name, cra_name))
			return &vhsm_tmpl_algs[i];
	return NULL;
}

static bool vhsm_template_type_fits(const struct vhsm_tmpl_alg *alg, u32 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(alg->types) && alg->types[i]; i++)
		if (alg->types[i] == type)
			return true;
	return false;
}

/**
 * vhsm_template_key() - the key a setkey token names, checked for @alg
 * @alg:   the inner algorithm
 * @token: what setkey was given
 * @len:   its length
 * @err:   [out] the reason when NULL is returned: -EACCES when the caller
 *         may not use vhsm at all, as vhsm_token_resolve(), -EOPNOTSUPP
 *         when the key's type does not fit @alg, -EPERM for a missing usage
 *
 * Checks run with the current task's credentials: first the device node's
 * rule (root or the group= group, as for the keyring entry points: the
 * template is another way in that does not open /dev/vhsm), then the token.
 * The caller keys the inner transform from key->material and releases the
 * key with vhsm_key_put().
 *
 * Return: a referenced key, or NULL.
 */
struct vhsm_key *vhsm_template_key(const struct vhsm_tmpl_alg *alg,
				   const u8 *token, unsigned int len, int *err)
{
	struct vhsm_key *key;
	u32 need;

	if (!vhsm_chardev_caller_allowed()) {
		*err = -EACCES;
		return NULL;
	}
	key = vhsm_token_resolve(token, len, VHSM_MODE_USE, VHSM_USAGE_EXPORT_KERNEL, err);
	if (!key)
		return NULL;
	if (!vhsm_template_type_fits(alg, key->type)) {
		*err = -EOPNOTSUPP;
		goto err_put;
	}
	/* the usage the type can carry decides what must be present */
	need = alg->usage & vhsm_policy_usage_allowed(key->type, key->public_only);
	if ((key->usage & need) != need) {
		*err = -EPERM;
		goto err_put;
	}
	if (alg->caller_iv) {
		*err = vhsm_policy_caller_iv(key);
		if (*err)
			goto err_put;
	}
	return key;

err_put:
	vhsm_key_put(key);
	return NULL;
}

/*
 * One template for three algorithm types: the type the caller asked for
 * decides which kind of instance is built.
 */
static int vhsm_template_create(struct crypto_template *tmpl, struct rtattr **tb)
{
	u32 mask;

	if (!crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_SKCIPHER, &mask))
		return vhsm_template_create_skcipher(tmpl, tb);
	if (!crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_AEAD, &mask))
		return vhsm_template_create_aead(tmpl, tb);
	if (!crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_SHASH, &mask))
		return vhsm_template_create_hash(tmpl, tb);
	return -EINVAL;
}

static struct crypto_template vhsm_tmpl = {
	.name = "vhsm",
	.create = vhsm_template_create,
	.module = THIS_MODULE,
};

int vhsm_template_init(void)
{
	return crypto_register_template(&vhsm_tmpl);
}

void vhsm_template_exit(void)
{
	crypto_unregister_template(&vhsm_tmpl);
}

MODULE_ALIAS_CRYPTO("vhsm");
