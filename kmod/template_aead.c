// SPDX-License-Identifier: GPL-2.0-only
/*
 * vhsm(...) AEAD instances: vhsm(gcm(aes)). See template.c for what setkey
 * checks and what a keyed transform holds.
 *
 * The instance has the inner algorithm's IV size, tag sizes, chunk size and
 * alignment, and one key size: VHSM_TOKEN_LEN (the crypto API does not check
 * AEAD key sizes, so setkey does). setauthsize goes to the inner transform;
 * encrypt and decrypt forward the caller's request through a sub-request kept
 * in the request context, with the caller's completion.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vhsm.h>
#include <crypto/internal/aead.h>

#include "keystore.h"
#include "template.h"

struct vhsm_aead_inst_ctx {
	struct crypto_aead_spawn spawn;
	const struct vhsm_tmpl_alg *alg;
};

struct vhsm_aead_ctx {
	struct crypto_aead *child;
	const struct vhsm_tmpl_alg *alg;
};

static int vhsm_aead_setkey(struct crypto_aead *tfm, const u8 *token,
			    unsigned int len)
{
	struct vhsm_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct vhsm_key *key;
	int ret;

	key = vhsm_template_key(ctx->alg, token, len, &ret);
	if (!key)
		return ret;
	crypto_aead_clear_flags(ctx->child, CRYPTO_TFM_REQ_MASK);
	crypto_aead_set_flags(ctx->child, crypto_aead_get_flags(tfm) &
			      CRYPTO_TFM_REQ_MASK);
	ret = crypto_aead_setkey(ctx->child, key->material, key->len);
	vhsm_key_put(key);
	return ret;
}

static int vhsm_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	struct vhsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	return crypto_aead_setauthsize(ctx->child, authsize);
}

static struct aead_request *vhsm_aead_subreq(struct aead_request *req)
{
	struct vhsm_aead_ctx *ctx = crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct aead_request *sub = aead_request_ctx(req);

	aead_request_set_tfm(sub, ctx->child);
	aead_request_set_callback(sub, aead_request_flags(req),
				  req->base.complete, req->base.data);
	aead_request_set_crypt(sub, req->src, req->dst, req->cryptlen, req->iv);
	aead_request_set_ad(sub, req->assoclen);
	return sub;
}

static int vhsm_aead_encrypt(struct aead_request *req)
{
	return crypto_aead_encrypt(vhsm_aead_subreq(req));
}

static int vhsm_aead_decrypt(struct aead_request *req)
{
	return crypto_aead_decrypt(vhsm_aead_subreq(req));
}

static int vhsm_aead_init(struct crypto_aead *tfm)
{
	struct aead_instance *inst = aead_alg_instance(tfm);
	struct vhsm_aead_inst_ctx *ictx = aead_instance_ctx(inst);
	struct vhsm_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct crypto_aead *child;

	child = crypto_spawn_aead(&ictx->spawn);
	if (IS_ERR(child))
		return PTR_ERR(child);
	ctx->child = child;
	ctx->alg = ictx->alg;
	crypto_aead_set_reqsize(tfm, sizeof(struct aead_request) +
				crypto_aead_reqsize(child));
	return 0;
}

static void vhsm_aead_exit(struct crypto_aead *tfm)
{
	struct vhsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	crypto_free_aead(ctx->child);
}

static void vhsm_aead_free(struct aead_instance *inst)
{
	struct vhsm_aead_inst_ctx *ictx = aead_instance_ctx(inst);

	crypto_drop_aead(&ictx->spawn);
	kfree(inst);
}

int vhsm_template_create_aead(struct crypto_template *tmpl, struct rtattr **tb)
{
	struct vhsm_aead_inst_ctx *ictx;
	struct aead_instance *inst;
	struct aead_alg *alg;
	u32 mask;
	int ret;

	ret = crypto_check_attr_type(tb, CRYPTO_ALG_TYPE_AEAD, &mask);
	if (ret)
		return ret;
	inst = kzalloc(sizeof(*inst) + sizeof(*ictx), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	ictx = aead_instance_ctx(inst);

	ret = crypto_grab_aead(&ictx->spawn, aead_crypto_instance(inst),
			       crypto_attr_alg_name(tb[1]), 0, mask);
	if (ret)
		goto err_free;
	alg = crypto_spawn_aead_alg(&ictx->spawn);
	ictx->alg = vhsm_template_find(alg->base.cra_name);
	if (!ictx->alg) {
		ret = -ENOENT;
		goto err_free;
	}
	ret = crypto_inst_setname(aead_crypto_instance(inst), "vhsm", &alg->base);
	if (ret)
		goto err_free;

	inst->alg.base.cra_flags = alg->base.cra_flags & CRYPTO_ALG_INHERITED_FLAGS;
	inst->alg.base.cra_priority = alg->base.cra_priority;
	inst->alg.base.cra_blocksize = alg->base.cra_blocksize;
	inst->alg.base.cra_alignmask = alg->base.cra_alignmask;
	inst->alg.base.cra_ctxsize = sizeof(struct vhsm_aead_ctx);
	inst->alg.ivsize = crypto_aead_alg_ivsize(alg);
	inst->alg.maxauthsize = crypto_aead_alg_maxauthsize(alg);
	inst->alg.chunksize = crypto_aead_alg_chunksize(alg);
	inst->alg.setkey = vhsm_aead_setkey;
	inst->alg.setauthsize = vhsm_aead_setauthsize;
	inst->alg.encrypt = vhsm_aead_encrypt;
	inst->alg.decrypt = vhsm_aead_decrypt;
	inst->alg.init = vhsm_aead_init;
	inst->alg.exit = vhsm_aead_exit;
	inst->free = vhsm_aead_free;

	ret = aead_register_instance(tmpl, inst);
	if (ret)
		goto err_free;
	return 0;

err_free:
	vhsm_aead_free(inst);
	return ret;
}
