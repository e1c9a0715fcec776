// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm(...) keyed-hash instances: vhsm(hmac(sha256)) and vhsm(hmac(sha384)),
 * as shash (AF_ALG and other ahash users reach them through the crypto API's
 * shash-to-ahash wrapper). See template.c for what setkey checks and what a
 * keyed transform holds.
 *
 * The descriptor context holds the inner transform's descriptor, so every
 * call forwards to it without allocating; export and import are the inner
 * algorithm's, so partial states keep its size and format.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vhsm.h>
#include <crypto/internal/hash.h>

#include "compat.h"
#include "keystore.h"
#include "template.h"

struct vhsm_hash_inst_ctx {
	struct crypto_shash_spawn spawn;
	const struct vhsm_tmpl_alg *alg;
};

struct vhsm_hash_ctx {
	struct crypto_shash *child;
	const struct vhsm_tmpl_alg *alg;
};

/* The inner descriptor, pointed at the inner transform. */
static struct shash_desc *vhsm_hash_sub(struct shash_desc *desc)
{
	struct vhsm_hash_ctx *ctx = crypto_shash_ctx(desc->tfm);
	struct shash_desc *sub = shash_desc_ctx(desc);

	sub->tfm = ctx->child;
	return sub;
}

static int vhsm_hash_setkey(struct crypto_shash *tfm, const u8 *token,
			    unsigned int len)
{
	struct vhsm_hash_ctx *ctx = crypto_shash_ctx(tfm);
	struct vhsm_key *key;
	int ret;

	key = vhsm_template_key(ctx->alg, token, len, &ret);
	if (!key)
		return ret;
	crypto_shash_clear_flags(ctx->child, CRYPTO_TFM_REQ_MASK);
	crypto_shash_set_flags(ctx->child, crypto_shash_get_flags(tfm) &
			       CRYPTO_TFM_REQ_MASK);
	ret = crypto_shash_setkey(ctx->child, key->material, key->len);
	vhsm_key_put(key);
	return ret;
}

static int vhsm_hash_init(struct shash_desc *desc)
{
	return crypto_shash_init(vhsm_hash_sub(desc));
}

static int vhsm_hash_update(struct shash_desc *desc, const u8 *data,
			    unsigned int len)
{
	return crypto_shash_update(shash_desc_ctx(desc), data, len);
}

static int vhsm_hash_final(struct shash_desc *desc, u8 *out)
{
	return crypto_shash_final(shash_desc_ctx(desc), out);
}

static int vhsm_hash_finup(struct shash_desc *desc, const u8 *data,
			   unsigned int len, u8 *out)
{
	return crypto_shash_finup(shash_desc_ctx(desc), data, len, out);
}

static int vhsm_hash_digest(struct shash_desc *desc, const u8 *data,
			    unsigned int len, u8 *out)
{
	return crypto_shash_digest(vhsm_hash_sub(desc), data, len, out);
}

static int vhsm_hash_export(struct shash_desc *desc, void *out)
{
	return crypto_shash_export(shash_desc_ctx(desc), out);
}

static int vhsm_hash_import(struct shash_desc *desc, const void *in)
{
	return crypto_shash_import(vhsm_hash_sub(desc), in);
}

static int vhsm_hash_init_tfm(struct crypto_shash *tfm)
{
	struct shash_instance *inst = shash_alg_instance(tfm);
	struct vhsm_hash_inst_ctx *ictx = shash_instance_ctx(inst);
	struct vhsm_hash_ctx *ctx = crypto_shash_ctx(tfm);
	struct crypto_shash *child;

	child = crypto_spawn_shash(&ictx->spawn);
	if (IS_ERR(child))
		return PTR_ERR(child);
	ctx->child = child;
	ctx->alg = ictx->alg;
#if VHSM_HAVE_SHASH_TFM_DESCSIZE
	/* the inner transform's descriptor may be larger than its alg's */
	tfm->descsize = sizeof(struct shash_desc) + crypto_shash_descsize(child);
#endif
	return 0;
}

static void vhsm_hash_exit_tfm(struct crypto_shash *tfm)
{
	struct vhsm_hash_ctx *ctx = crypto_shash_ctx(tfm);

	crypto_free_shash(ctx->child);
}

static void vhsm_hash_free(struct shash_instance *inst)
{
	struct vhsm_hash_inst_ctx *ictx = shash_instance_ctx(inst);

	crypto_drop_shash(&ictx->spawn);
	kfree(inst);
}

int vhsm_template_create_hash(struct crypto_template *tmpl, struct rtattr **tb)
{
	struct vhsm_hash_inst_ctx *ictx;
	struct shash_instance *inst;
	struct shash_alg *alg;
	u32 mask;
	int ret;

	ret = crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_SHASH, &mask);
	if (ret)
		return ret;
	inst = kzalloc(sizeof(*inst) + sizeof(*ictx), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	ictx = shash_instance_ctx(inst);

	ret = crypto_grab_shash(&ictx->spawn, shash_crypto_instance(inst),
				crypto_attr_alg_name(tb[1]), 0, mask);
	if (ret)
		goto err_free;
	alg = crypto_spawn_shash_alg(&ictx->spawn);
	ictx->alg = vhsm_template_find(alg->base.cra_name);
	if (!ictx->alg) {
		ret = -ENOENT;
		goto err_free;
	}
	ret = crypto_inst_setname(shash_crypto_instance(inst), "vhsm", &alg->base);
	if (ret)
		goto err_free;

	inst->alg.base.cra_flags = alg->base.cra_flags & CRYPTO_ALG_INHERITED_FLAGS;
	inst->alg.base.cra_priority = alg->base.cra_priority;
	inst->alg.base.cra_blocksize = alg->base.cra_blocksize;
	inst->alg.base.cra_alignmask = alg->base.cra_alignmask;
	inst->alg.base.cra_ctxsize = sizeof(struct vhsm_hash_ctx);
	inst->alg.digestsize = alg->digestsize;
	inst->alg.statesize = alg->statesize;
	inst->alg.descsize = sizeof(struct shash_desc) + alg->descsize;
	inst->alg.setkey = vhsm_hash_setkey;
	inst->alg.init = vhsm_hash_init;
	inst->alg.update = vhsm_hash_update;
	inst->alg.final = vhsm_hash_final;
	inst->alg.finup = vhsm_hash_finup;
	inst->alg.digest = vhsm_hash_digest;
	inst->alg.export = vhsm_hash_export;
	inst->alg.import = vhsm_hash_import;
	inst->alg.init_tfm = vhsm_hash_init_tfm;
	inst->alg.exit_tfm = vhsm_hash_exit_tfm;
	inst->free = vhsm_hash_free;

	ret = shash_register_instance(tmpl, inst);
	if (ret)
		goto err_free;
	return 0;

err_free:
	vhsm_hash_free(inst);
	return ret;
}
