// SPDX-License-Identifier: GPL-2.0-only
/*
 * vHSM EC keys as "asymmetric" keys: a parser for add_key("asymmetric") and
 * a subtype, so keyctl pkey_query, pkey_sign and pkey_verify (and in-kernel
 * users of the asymmetric key API) reach a stored P-256 or P-384 key.
 *
 * Payload (keyctl padd asymmetric NAME RING), either of:
 *   - text: "vhsm:" followed by the token as 32 hex digits (what
 *     "vhsm-tool keyring token KEY" prints), optionally one trailing newline;
 *   - binary: the 16-byte token itself (it starts with "vhT1").
 * Anything else is not ours (-EBADMSG: the next parser is tried).
 *
 * At add time the adding task must pass the device node's rule (root or the
 * group= group) and the token must name an EC key it may see; the curve and
 * public key are cached. Signing ("enc=x962" DER or "enc=raw" r || s;
 * "hash=sha256" or "hash=sha384", the input being that digest) checks again
 * at every call with the calling task's credentials: the device node's rule,
 * the key's mode and VHSM_USAGE_SIGN decide, not who added the keyring key;
 * a destroyed key answers -ENOENT. Verifying uses the cached public key and
 * needs no rights, as for any public key. No encrypt or decrypt.
 *
 * Locking: none. The cached data never changes after the parser filled it;
 * each signature holds a reference to the vHSM key while it runs.
 */
#include <linux/key-type.h>
#include <linux/keyctl.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/public_key.h>
#include <keys/asymmetric-parser.h>
#include <keys/asymmetric-subtype.h>

#include "asym_key.h"
#include "chardev.h"
#include "compat.h"
#include "ecc.h"
#include "keynames.h"
#include "keystore.h"
#include "token.h"

#define VHSM_ASYM_TEXT_PREFIX	"vhsm:"

/**
 * struct vhsm_asym - asym_crypto of a vHSM asymmetric key
 * @token:       names the vHSM key; resolved at every signature
 * @curve:       its curve
 * @type:        VHSM_KEY_EC_P256 or VHSM_KEY_EC_P384
 * @public_only: an imported public key: verify only
 * @handle:      for /proc/keys
 * @pub:         X || Y, cached at add time
 * @label:       for /proc/keys
 */
struct vhsm_asym {
	u8 token[VHSM_TOKEN_LEN];
	enum vhsm_ecc_curve curve;
	u32 type;
	bool public_only;
	u32 handle;
	u8 pub[2 * VHSM_ECC_MAX_BYTES];
	char label[VHSM_LABEL_MAX];
};

/* The token in an add_key payload, or -EBADMSG when the payload is not ours. */
static int payload_token(const u8 *data, size_t len, u8 *token)
{
	size_t plen = strlen(VHSM_ASYM_TEXT_PREFIX);

	if (len == VHSM_TOKEN_LEN && !memcmp(data, "vhT1", 4)) {
		memcpy(token, data, VHSM_TOKEN_LEN);
		return 0;
	}
	if (len > plen && data[len - 1] == '\n')
		len--;
	if (len != plen + 2 * VHSM_TOKEN_LEN || memcmp(data, VHSM_ASYM_TEXT_PREFIX, plen))
		return -EBADMSG;
	return hex2bin(token, data + plen, VHSM_TOKEN_LEN) ? -EBADMSG : 0;
}

/* Digest length for params->hash_algo (NULL: the curve's own hash). */
static int asym_digest_len(const struct vhsm_asym *asym, const char *hash)
{
	if (!hash)
		return asym->curve == VHSM_ECC_P384 ? 48 : 32;
	if (!strcmp(hash, "sha256"))
		return 32;
	if (!strcmp(hash, "sha384"))
		return 48;
	return -ENOPKG;
}

/* Whether the encoding is X9.62 DER (true) or raw r || s (false). */
static int asym_encoding(const char *enc, bool *der)
{
	if (enc && !strcmp(enc, "x962"))
		*der = true;
	else if (enc && !strcmp(enc, "raw"))
		*der = false;
	else
		return -ENOPKG;
	return 0;
}

static int vhsm_asym_query(const struct kernel_pkey_params *params,
			   struct kernel_pkey_query *info)
{
	const struct vhsm_asym *asym = params->key->payload.data[asym_crypto];
	unsigned int n = vhsm_ecc_nbytes(asym->curve);
	int dlen = asym_digest_len(asym, params->hash_algo);
	bool der;
	int ret;

	ret = asym_encoding(params->encoding, &der);
	if (ret)
		return ret;
	if (dlen < 0)
		return dlen;
	info->supported_ops = KEYCTL_SUPPORTS_VERIFY |
			      (asym->public_only ? 0 : KEYCTL_SUPPORTS_SIGN);
	info->key_size = 8 * n;
	info->max_data_size = dlen;
	/* DER: SEQUENCE of two INTEGERs, each up to n + 1 bytes; short lengths */
	info->max_sig_size = der ? 2 * (n + 3) + 2 : 2 * n;
	info->max_enc_size = 0;
	info->max_dec_size = 0;
	return 0;
}

/* Sign @digest with the key behind @asym, as the calling task. */
static int asym_sign(const struct vhsm_asym *asym, const u8 *digest,
		     unsigned int dlen, u8 *raw)
{
	struct vhsm_key *key;
	int ret;

	if (!vhsm_chardev_caller_allowed())
		return -EACCES;
	key = vhsm_token_resolve(asym->token, sizeof(asym->token), VHSM_MODE_USE,
				 VHSM_USAGE_SIGN, &ret);
	if (!key)
		return ret;
	if (key->public_only || !vhsm_key_is_ec(key->type))
		ret = -EOPNOTSUPP;
	else
		ret = vhsm_ecc_sign(asym->curve, key->material, digest, dlen, raw);
	vhsm_key_put(key);
	return ret;
}

static int vhsm_asym_eds_op(struct kernel_pkey_params *params,
			    const void *in, void *out)
{
	const struct vhsm_asym *asym = params->key->payload.data[asym_crypto];
	unsigned int n = vhsm_ecc_nbytes(asym->curve);
	int dlen = asym_digest_len(asym, params->hash_algo);
	u8 raw[2 * VHSM_ECC_MAX_BYTES], der[VHSM_SIG_MAX];
	bool use_der;
	int ret, len;

	if (params->op != kernel_pkey_sign)
		return -EOPNOTSUPP;
	ret = asym_encoding(params->encoding, &use_der);
	if (ret)
		return ret;
	if (dlen < 0)
		return dlen;
	if (params->in_len != (u32)dlen)
		return -EINVAL;
	ret = asym_sign(asym, in, dlen, raw);
	if (ret)
		return ret;
	len = 2 * n;
	if (use_der) {
		len = vhsm_ecc_sig_to_der(asym->curve, raw, der, sizeof(der));
		if (len < 0)
			return len;
	}
	if ((u32)len > params->out_len)
		return -EMSGSIZE;
	memcpy(out, use_der ? der : raw, len);
	return len;
}

/*
 * The length of the DER SEQUENCE at the start of the signature. keyctl's
 * pkey_verify hands the subtype max_sig_size bytes whatever length userspace
 * gave (6.12 security/keys/keyctl_pkey.c sets in2_len from the query), so
 * bytes after the SEQUENCE are not part of the signature. Our curves' DER
 * signatures are at most 104 bytes: short-form lengths only.
 */
static u32 der_len(const struct public_key_signature *sig)
{
	if (sig->s_size < 2 || sig->s[0] != 0x30 || (sig->s[1] & 0x80) ||
	    2U + sig->s[1] > sig->s_size)
		return sig->s_size;	/* the strict parser refuses it */
	return 2U + sig->s[1];
}

static int vhsm_asym_verify(const struct key *key,
			    const struct public_key_signature *sig)
{
	const struct vhsm_asym *asym = key->payload.data[asym_crypto];
	unsigned int n = vhsm_ecc_nbytes(asym->curve);
	u8 raw[2 * VHSM_ECC_MAX_BYTES];
	int dlen = asym_digest_len(asym, sig->hash_algo);
	bool der;
	int ret;

	ret = asym_encoding(sig->encoding, &der);
	if (ret)
		return ret;
	if (dlen < 0)
		return dlen;
	if (vhsm_sig_takes_data(sig) || vhsm_sig_digest_size(sig) != (u32)dlen)
		return -EINVAL;	/* ECDSA verifies a digest, never the data */
	if (der)
		ret = vhsm_ecc_sig_from_der(asym->curve, sig->s, der_len(sig), raw);
	else if (sig->s_size == 2 * n)
		memcpy(raw, sig->s, 2 * n);
	else
		ret = -EBADMSG;
	if (!ret)
		ret = vhsm_ecc_verify(asym->curve, asym->pub, vhsm_sig_digest(sig), dlen, raw);
	return ret == -EBADMSG ? -EKEYREJECTED : ret;
}

static void vhsm_asym_describe(const struct key *key, struct seq_file *m)
{
	const struct vhsm_asym *asym = key->payload.data[asym_crypto];
	char type[VHSM_KEYNAME_TYPE_MAX];

	vhsm_keyname_type(asym->type, 0, type, sizeof(type));
	seq_printf(m, "vhsm %s label=%s #%u", type, asym->label, asym->handle);
}

static void vhsm_asym_destroy(void *payload_crypto, void *payload_auth)
{
	kfree(payload_crypto);
}

static struct asymmetric_key_subtype vhsm_asym_subtype = {
	.owner = THIS_MODULE,
	.name = "vhsm",
	.name_len = sizeof("vhsm") - 1,
	.describe = vhsm_asym_describe,
	.destroy = vhsm_asym_destroy,
	.query = vhsm_asym_query,
	.eds_op = vhsm_asym_eds_op,
	.verify_signature = vhsm_asym_verify,
};

/* Fill @asym from the key @token names, if the adding task may see it. */
static int asym_from_token(struct vhsm_asym *asym, const u8 *token)
{
	struct vhsm_key *key;
	int ret = 0;

	key = vhsm_token_resolve(token, VHSM_TOKEN_LEN, VHSM_MODE_SEE, 0, &ret);
	if (!key)
		return ret;
	if (!vhsm_key_is_ec(key->type)) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	memcpy(asym->token, token, VHSM_TOKEN_LEN);
	asym->type = key->type;
	asym->curve = vhsm_key_curve(key->type);
	asym->public_only = key->public_only;
	asym->handle = key->handle;
	memcpy(asym->pub, vhsm_key_pub(key), 2 * vhsm_ecc_nbytes(asym->curve));
	strscpy(asym->label, key->label, sizeof(asym->label));
out:
	vhsm_key_put(key);
	return ret;
}

static int vhsm_asym_parse(struct key_preparsed_payload *prep)
{
	u8 token[VHSM_TOKEN_LEN];
	struct vhsm_asym *asym;
	int ret;

	ret = payload_token(prep->data, prep->datalen, token);
	if (ret)
		return ret;
	if (!vhsm_chardev_caller_allowed())
		return -EACCES;
	asym = kzalloc(sizeof(*asym), GFP_KERNEL_ACCOUNT);
	if (!asym)
		return -ENOMEM;
	ret = asym_from_token(asym, token);
	if (ret)
		goto err_free;
	prep->description = kasprintf(GFP_KERNEL_ACCOUNT, "vhsm:%s", asym->label);
	if (!prep->description) {
		ret = -ENOMEM;
		goto err_free;
	}
	/* the key service puts the subtype's module when the key goes */
	__module_get(THIS_MODULE);
	prep->payload.data[asym_subtype] = &vhsm_asym_subtype;
	prep->payload.data[asym_crypto] = asym;
	prep->quotalen = sizeof(*asym);
	return 0;

err_free:
	kfree(asym);
	return ret;
}

static struct asymmetric_key_parser vhsm_asym_parser = {
	.owner = THIS_MODULE,
	.name = "vhsm",
	.parse = vhsm_asym_parse,
};

int vhsm_asym_key_init(void)
{
	return register_asymmetric_key_parser(&vhsm_asym_parser);
}

void vhsm_asym_key_exit(void)
{
	unregister_asymmetric_key_parser(&vhsm_asym_parser);
}
