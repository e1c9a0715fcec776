// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm(...) skcipher instances: vhsm(xts(aes)) and vhsm(cbc(aes)). See
 * template.c for what setkey checks and what a keyed transform holds.
 *
 * The instance has the inner algorithm's block size, IV size, chunk size and
 * alignment, and one key size: VHSM_TOKEN_LEN. Encrypt and decrypt forward
 * the caller's request to the inner transform through a sub-request kept in
 * the request context, with the caller's completion, so an asynchronous
 * inner algorithm completes the caller's request directly.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vhsm.h>
#include <crypto/internal/skcipher.h>

#include "compat.h"
#include "keystore.h"
#include "template.h"

struct vhsm_skcipher_inst_ctx {
	struct crypto_skcipher_spawn spawn;
	const struct vhsm_tmpl_alg *alg;
};

struct vhsm_skcipher_ctx {
	struct crypto_skcipher *child;
	const struct vhsm_tmpl_alg *alg;
};

static int vhsm_skcipher_setkey(struct crypto_skcipher *tfm, const u8 *token,
				unsigned int len)
{
	struct vhsm_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vhsm_key *key;
	int ret;

	key = vhsm_template_key(ctx->alg, token, len, &ret);
	if (!key)
		return ret;
	crypto_skcipher_clear_flags(ctx->child, CRYPTO_TFM_REQ_MASK);
	crypto_skcipher_set_flags(ctx->child, crypto_skcipher_get_flags(tfm) &
				  CRYPTO_TFM_REQ_MASK);
	ret = crypto_skcipher_setkey(ctx->child, key->material, key->len);
	vhsm_key_put(key);
	return ret;
}

static struct skcipher_request *vhsm_skcipher_subreq(struct skcipher_request *req)
{
	struct vhsm_skcipher_ctx *ctx = crypto_skcipher_ctx(crypto_skcipher_reqtfm(req));
	struct skcipher_request *sub = skcipher_request_ctx(req);

	skcipher_request_set_tfm(sub, ctx->child);
	skcipher_request_set_callback(sub, skcipher_request_flags(req),
				      req->base.complete, req->base.data);
	skcipher_request_set_crypt(sub, req->src, req->dst, req->cryptlen, req->iv);
	return sub;
}

static int vhsm_skcipher_encrypt(struct skcipher_request *req)
{
	return crypto_skcipher_encrypt(vhsm_skcipher_subreq(req));
}

static int vhsm_skcipher_decrypt(struct skcipher_request *req)
{
	return crypto_skcipher_decrypt(vhsm_skcipher_subreq(req));
}

static int vhsm_skcipher_init(struct crypto_skcipher *tfm)
{
	struct skcipher_instance *inst = skcipher_alg_instance(tfm);
	struct vhsm_skcipher_inst_ctx *ictx = skcipher_instance_ctx(inst);
	struct vhsm_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct crypto_skcipher *child;

	child = crypto_spawn_skcipher(&ictx->spawn);
	if (IS_ERR(child))
		return PTR_ERR(child);
	ctx->child = child;
	ctx->alg = ictx->alg;
	crypto_skcipher_set_reqsize(tfm, sizeof(struct skcipher_request) +
				    crypto_skcipher_reqsize(child));
	return 0;
}

static void vhsm_skcipher_exit(struct crypto_skcipher *tfm)
{
	struct vhsm_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);

	crypto_free_skcipher(ctx->child);
}

static void vhsm_skcipher_free(struct skcipher_instance *inst)
{
	struct vhsm_skcipher_inst_ctx *ictx = skcipher_instance_ctx(inst);

	crypto_drop_skcipher(&ictx->spawn);
	kfree(inst);
}

int vhsm_template_create_skcipher(struct crypto_template *tmpl, struct rtattr **tb)
{
	struct vhsm_skcipher_inst_ctx *ictx;
	struct vhsm_skcipher_alg_common *alg;
	struct skcipher_instance *inst;
	u32 mask;
	int ret;

	ret = crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_SKCIPHER, &mask);
	if (ret)
		return ret;
	inst = kzalloc(sizeof(*inst) + sizeof(*ictx), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	ictx = skcipher_instance_ctx(inst);

	ret = crypto_grab_skcipher(&ictx->spawn, skcipher_crypto_instance(inst),
				   crypto_attr_alg_name(tb[1]), 0, mask);
	if (ret)
		goto err_free;
	alg = vhsm_spawn_skcipher_alg_common(&ictx->spawn);
	ictx->alg = vhsm_template_find(alg->base.cra_name);
	if (!ictx->alg) {
		ret = -ENOENT;
		goto err_free;
	}
	ret = crypto_inst_setname(skcipher_crypto_instance(inst), "vhsm", &alg->base);
	if (ret)
		goto err_free;

	inst->alg.base.cra_flags = alg->base.cra_flags & CRYPTO_ALG_INHERITED_FLAGS;
	inst->alg.base.cra_priority = alg->base.cra_priority;
	inst->alg.base.cra_blocksize = alg->base.cra_blocksize;
	inst->alg.base.cra_alignmask = alg->base.cra_alignmask;
	inst->alg.base.cra_ctxsize = sizeof(struct vhsm_skcipher_ctx);
	inst->alg.ivsize = alg->ivsize;
	inst->alg.chunksize = alg->chunksize;
	inst->alg.min_keysize = VHSM_TOKEN_LEN;
	inst->alg.max_keysize = VHSM_TOKEN_LEN;
	inst->alg.setkey = vhsm_skcipher_setkey;
	inst->alg.encrypt = vhsm_skcipher_encrypt;
	inst->alg.decrypt = vhsm_skcipher_decrypt;
	inst->alg.init = vhsm_skcipher_init;
	inst->alg.exit = vhsm_skcipher_exit;
	inst->free = vhsm_skcipher_free;

	ret = skcipher_register_instance(tmpl, inst);
	if (ret)
		goto err_free;
	return 0;

err_free:
	vhsm_skcipher_free(inst);
	return ret;
}
