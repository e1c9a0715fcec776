/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_TEMPLATE_H
#define _VHSM_TEMPLATE_H

#include <linux/types.h>

struct crypto_instance;
struct crypto_template;
struct rtattr;
struct vhsm_key;

/**
 * struct vhsm_tmpl_alg - an inner algorithm the vhsm(...) template wraps
 * @name:   the inner algorithm's cra_name
 * @types:  the vHSM key types whose material keys it (0-terminated)
 * @usage:  the VHSM_USAGE_* bits a key must carry to key it
 * @caller_iv: every encryption uses the caller's IV (GCM): the key needs
 *          what VHSM_AEAD_F_CALLER_IV needs (vhsm_policy_caller_iv())
 */
struct vhsm_tmpl_alg {
	const char *name;
	u32 types[3];
	u32 usage;
	bool caller_iv;
};

const struct vhsm_tmpl_alg *vhsm_template_find(const char *cra_name);
struct vhsm_key *vhsm_template_key(const struct vhsm_tmpl_alg *alg,
				   const u8 *token, unsigned int len, int *err);

int vhsm_template_create_skcipher(struct crypto_template *tmpl, struct rtattr **tb);
int vhsm_template_create_aead(struct crypto_template *tmpl, struct rtattr **tb);
int vhsm_template_create_hash(struct crypto_template *tmpl, struct rtattr **tb);

int vhsm_template_init(void);
void vhsm_template_exit(void);

#endif /* _VHSM_TEMPLATE_H */
