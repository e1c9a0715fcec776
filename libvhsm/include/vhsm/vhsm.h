/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvhsm — the C API of vhsm, a virtual HSM for AMD SEV-SNP guests.
 *
 * Every function returns 0 (or a non-negative count) on success and a negative
 * errno on failure; vhsm_strerror() turns that into a sentence that says what
 * to do. The library prints nothing.
 */
#ifndef VHSM_VHSM_H
#define VHSM_VHSM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vhsm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open /dev/vhsm. Opaque; not shared between threads without locking. */
struct vhsm;

/**
 * vhsm_open() - open the vhsm device
 * @out:  [out] the new handle, to be released with vhsm_close()
 * @path: device path; NULL means $VHSM_DEVICE if set, else /dev/vhsm
 *
 * Return: 0, or -EINVAL (@out is NULL), -ENOENT (no device: module not
 * loaded), -EACCES (caller is not in the device's group), -ENOMEM, or another
 * errno from open(2).
 */
int vhsm_open(struct vhsm **out, const char *path);

/**
 * vhsm_close() - close a handle from vhsm_open(); NULL is accepted
 * @h: the handle
 */
void vhsm_close(struct vhsm *h);

/**
 * vhsm_device_path() - the path the handle was opened with
 * @h: the handle
 *
 * Return: a string owned by @h.
 */
const char *vhsm_device_path(const struct vhsm *h);

/**
 * vhsm_info() - describe the module and its platform (VHSM_IOC_INFO)
 * @h:    the handle
 * @info: [out] filled in; its size field is set by the library
 *
 * Return: 0, or -EINVAL (NULL argument), -ENOTTY (@h is not a vhsm device),
 * -EFAULT, -EPROTO (the module answered with an ABI this library does not
 * understand).
 */
int vhsm_info(struct vhsm *h, struct vhsm_info *info);

/**
 * vhsm_strerror() - describe a negative errno returned by libvhsm
 * @err: the return value (negative errno; positive values are accepted too)
 *
 * Return: a static string; never NULL.
 */
const char *vhsm_strerror(int err);

/**
 * vhsm_library_version() - the library's version string
 *
 * Return: a static string, e.g. "0.1.0".
 */
const char *vhsm_library_version(void);

/* ------------------------------------------------------------------------- */
/* Key store (VHSM_0.2)                                                        */
/* ------------------------------------------------------------------------- */

/*
 * Keys are named by a handle (uint32_t, never 0) or by a label unique per
 * owner. Secret key bytes never leave the kernel; these functions move
 * attributes, public keys, data and results only. Unless stated otherwise a
 * function returns 0 or a negative errno, checks its arguments before it calls
 * the module (-EINVAL for a NULL pointer that must not be NULL, or a key
 * handle of 0), and answers -E2BIG for a length that does not fit the ABI's
 * 32-bit length fields.
 *
 * Errors every function that reaches the module can return, besides those it
 * lists: -ENOTTY (@h is not a vhsm device, or the module has no key store),
 * -EFAULT, -EOPNOTSUPP (a flag this module does not know), -EPROTO (the module
 * answered something this library cannot use). Functions that name a key add
 * -ENOENT (no such key, or one the caller may not see) and, for operations,
 * -EACCES (its mode forbids use), -EPERM (it lacks the usage flag) and
 * -EOPNOTSUPP (its type cannot do this). vhsm_key_strerror() describes them.
 */

/* Mode of a new key unless the caller chooses one: owner only. */
#define VHSM_KEY_DEFAULT_MODE	0700U

/* Buffer sizes for the name helpers, terminator included. */
#define VHSM_KEY_TYPE_NAME_MAX	16
#define VHSM_USAGE_STR_MAX	80

/**
 * vhsm_key_default_usage() - the usage flags a new key gets when the caller
 * names none
 * @type:         enum vhsm_key_type
 * @import_flags: VHSM_IMPORT_F_PUBLIC for an imported public key, else 0
 *
 * AES-GCM: encrypt,decrypt. AES-XTS and secrets: export-kernel. HMAC: mac.
 * EC: sign,verify (a public key: verify).
 *
 * Return: VHSM_USAGE_* bits, or 0 for an unknown type.
 */
uint32_t vhsm_key_default_usage(uint32_t type, unsigned int import_flags);

/**
 * vhsm_key_attr_init() - fill in attributes with the library's defaults
 * @attr:    [out] zeroed, then type, key_len, label, the type's default usage
 *           (vhsm_key_default_usage(@type, 0)) and VHSM_KEY_DEFAULT_MODE
 * @type:    enum vhsm_key_type
 * @key_len: key length in bytes; 0 for the type's default (required for
 *           VHSM_KEY_SECRET: 16 to 64)
 * @label:   the key's label (see vhsm_key_label_check())
 *
 * The caller may change usage and mode afterwards.
 *
 * Return: 0, or -EINVAL (NULL argument, unknown type, a secret length out of
 * range, or a bad label).
 */
int vhsm_key_attr_init(struct vhsm_key_attr *attr, uint32_t type,
		       uint32_t key_len, const char *label);

/**
 * vhsm_key_generate() - create a key from the kernel RNG (VHSM_IOC_KEY_GENERATE)
 * @h:      the handle
 * @attr:   what the key is, passed to the module as is (see
 *          vhsm_key_attr_init() for defaults)
 * @handle: [out] the new key's handle
 *
 * The key belongs to the caller's uid and gid.
 *
 * Return: 0, or -EINVAL (NULL argument; or the module refused the type,
 * usage for the type, mode, key_len or label), -EEXIST (the caller already
 * owns a key with this label), -EDQUOT (a key-count or byte quota is used up).
 */
int vhsm_key_generate(struct vhsm *h, const struct vhsm_key_attr *attr,
		      uint32_t *handle);

/**
 * vhsm_key_import() - store caller-supplied key material (VHSM_IOC_KEY_IMPORT)
 * @h:        the handle
 * @attr:     what the key is; for secret material key_len must equal @len
 * @material: secret bytes (EC: the big-endian scalar), or with
 *            VHSM_IMPORT_F_PUBLIC an EC public key, SEC1 uncompressed
 * @len:      bytes at @material
 * @flags:    0 or VHSM_IMPORT_F_PUBLIC
 * @handle:   [out] the new key's handle
 *
 * Secret material needs CAP_SYS_ADMIN and a module loaded with
 * allow_plain_import=1. The library does not copy @material; the caller
 * should wipe it after the call.
 *
 * Return: 0, or -EINVAL (NULL argument, @len 0; material of the wrong length,
 * a scalar out of range, a point not on the curve, usage other than verify on
 * a public key), -EPERM (secret import not allowed for this caller or by the
 * module), -EEXIST, -EDQUOT, -E2BIG.
 */
int vhsm_key_import(struct vhsm *h, const struct vhsm_key_attr *attr,
		    const void *material, size_t len, unsigned int flags,
		    uint32_t *handle);

/**
 * vhsm_key_destroy() - remove a key (VHSM_IOC_KEY_DESTROY)
 * @h:      the handle
 * @handle: the key
 *
 * The module zeroises the material once running operations are done.
 *
 * Return: 0, or -EINVAL (@h is NULL or @handle is 0), -ENOENT, -EACCES (the
 * key's mode does not let the caller destroy it).
 */
int vhsm_key_destroy(struct vhsm *h, uint32_t handle);

/**
 * vhsm_key_info() - a key's attributes, never its material (VHSM_IOC_KEY_INFO)
 * @h:      the handle
 * @handle: the key
 * @out:    [out] filled in; the label is always NUL-terminated
 *
 * Return: 0, or -EINVAL (NULL argument or @handle 0), -ENOENT.
 */
int vhsm_key_info(struct vhsm *h, uint32_t handle, struct vhsm_key_info *out);

/**
 * vhsm_key_lookup() - find one of the caller's keys by label
 * (VHSM_IOC_KEY_LOOKUP)
 * @h:      the handle
 * @label:  the label
 * @handle: [out] its handle
 *
 * Return: 0, or -EINVAL (NULL argument, or @label is not a valid label),
 * -ENOENT (the caller owns no key with this label it may see).
 */
int vhsm_key_lookup(struct vhsm *h, const char *label, uint32_t *handle);

/**
 * vhsm_key_list() - the handles of every key the caller may see
 * (VHSM_IOC_KEY_LIST, repeated until the module has no more)
 * @h:       the handle
 * @handles: [out] a malloc()ed array in ascending order for the caller to
 *           free(); NULL when there are no keys
 * @n:       [out] its number of entries
 *
 * Keys created or destroyed meanwhile may or may not appear.
 *
 * Return: 0, or -EINVAL (NULL argument), -ENOMEM, -EPROTO (the module's
 * cursor did not advance).
 */
int vhsm_key_list(struct vhsm *h, uint32_t **handles, size_t *n);

/**
 * vhsm_key_handle_parse() - parse a handle written "#N"
 * @key:    the text: '#' and a decimal number from 1 to 4294967295, with
 *          nothing before or after
 * @handle: [out] N
 *
 * Return: 0, or -EINVAL (NULL argument, or @key is not of that form).
 */
int vhsm_key_handle_parse(const char *key, uint32_t *handle);

/**
 * vhsm_key_label_check() - whether a string is a valid key label
 * @label: 1 to VHSM_LABEL_MAX - 1 characters from [A-Za-z0-9._:@/+=-]
 *
 * Return: 0, or -EINVAL (NULL, empty, too long or a character outside the
 * set).
 */
int vhsm_key_label_check(const char *label);

/**
 * vhsm_key_resolve() - the handle of a key named the way users write it
 * @h:      the handle
 * @key:    "#N" (see vhsm_key_handle_parse(); not checked with the module)
 *          or a label (looked up with vhsm_key_lookup())
 * @handle: [out] the key's handle
 *
 * Return: 0, or -EINVAL (NULL argument, a malformed "#N" or a bad label),
 * -ENOENT (no key with this label visible to the caller).
 */
int vhsm_key_resolve(struct vhsm *h, const char *key, uint32_t *handle);

/**
 * vhsm_key_type_parse() - a key type from its name
 * @name:    "aes128", "aes256", "aes256-xts", "hmac-sha256", "hmac-sha384",
 *           "p256", "p384", or "secretN" with N the length in bytes, 16 to 64
 * @type:    [out] enum vhsm_key_type
 * @key_len: [out] N for a secret, else 0 (the type's default length)
 *
 * Return: 0, or -EINVAL (NULL argument or an unknown name).
 */
int vhsm_key_type_parse(const char *name, uint32_t *type, uint32_t *key_len);

/**
 * vhsm_key_type_name() - the name of a key type, as vhsm_key_type_parse()
 * reads it
 * @type:    enum vhsm_key_type
 * @key_len: the key's length; used only by VHSM_KEY_SECRET (16 to 64)
 * @buf:     [out] the name, NUL-terminated
 * @size:    bytes at @buf; VHSM_KEY_TYPE_NAME_MAX is always enough
 *
 * Return: 0, or -EINVAL (NULL @buf, unknown type, a secret length out of
 * range), -ENOSPC (@buf too small; it holds "" then when @size > 0).
 */
int vhsm_key_type_name(uint32_t type, uint32_t key_len, char *buf, size_t size);

/**
 * vhsm_usage_parse() - usage flags from a comma-separated list
 * @list:  names from encrypt, decrypt, sign, verify, mac, derive,
 *         export-kernel, caller-iv; at least one, no empty items, no spaces
 * @usage: [out] VHSM_USAGE_* bits
 *
 * Return: 0, or -EINVAL (NULL argument, an empty list or item, an unknown
 * name).
 */
int vhsm_usage_parse(const char *list, uint32_t *usage);

/**
 * vhsm_usage_format() - the comma-separated list vhsm_usage_parse() reads
 * @usage: VHSM_USAGE_* bits; 0 gives ""
 * @buf:   [out] the list, NUL-terminated, in the order of the bits
 * @size:  bytes at @buf; VHSM_USAGE_STR_MAX is always enough
 *
 * Return: 0, or -EINVAL (NULL @buf, a bit outside VHSM_USAGE_ALL), -ENOSPC
 * (@buf too small; it holds "" then when @size > 0).
 */
int vhsm_usage_format(uint32_t usage, char *buf, size_t size);

/**
 * vhsm_origin_name() - the name of an enum vhsm_key_origin: "generated",
 * "provisioned", "imported", "unsealed" or "derived"
 * @origin: the value
 *
 * Return: a static string, or NULL for an unknown value.
 */
const char *vhsm_origin_name(uint32_t origin);

/**
 * vhsm_origin_parse() - the enum vhsm_key_origin named by vhsm_origin_name()
 * @name:   the name
 * @origin: [out] the value
 *
 * Return: 0, or -EINVAL (NULL argument or an unknown name).
 */
int vhsm_origin_parse(const char *name, uint32_t *origin);

/**
 * vhsm_key_strerror() - describe an error from a key store function
 * @err: its return value (negative errno; positive values are accepted too)
 *
 * Unlike vhsm_strerror(), which reads errors as the device's, this reads
 * -ENOENT as "no such key" and -EACCES as the key's mode.
 *
 * Return: a static string; never NULL.
 */
const char *vhsm_key_strerror(int err);

/* ------------------------------------------------------------------------- */
/* Operations on stored keys (VHSM_0.2)                                        */
/* ------------------------------------------------------------------------- */

/**
 * vhsm_aead_encrypt() - AES-GCM encryption with a stored AES key (VHSM_IOC_AEAD)
 * @h:       the handle
 * @handle:  an AES-GCM key with VHSM_USAGE_ENCRYPT
 * @aad:     additional authenticated data; NULL if @aad_len is 0
 * @aad_len: bytes at @aad, at most the module's max_data_len
 * @in:      plaintext; NULL if @len is 0
 * @len:     bytes at @in, at most the module's max_data_len
 * @out:     [out] @len bytes of ciphertext; NULL if @len is 0; may not
 *           overlap @in
 * @iv:      [in/out] the 12-byte IV: written with the module's random IV, or
 *           read with VHSM_AEAD_F_CALLER_IV
 * @tag:     [out] the 16-byte authentication tag
 * @flags:   0 or VHSM_AEAD_F_CALLER_IV (the caller then guarantees that an IV
 *           is never used twice with one key; the key needs the caller-iv
 *           usage, VHSM_USAGE_CALLER_IV, or the caller CAP_SYS_ADMIN)
 *
 * Return: 0, or -EINVAL (a NULL pointer with a non-zero length, NULL @iv or
 * @tag, VHSM_AEAD_F_DECRYPT in @flags), -E2BIG (above max_data_len), the
 * operation errors (-ENOENT, -EACCES, -EPERM, -EOPNOTSUPP).
 */
int vhsm_aead_encrypt(struct vhsm *h, uint32_t handle,
		      const void *aad, size_t aad_len,
		      const void *in, size_t len, void *out,
		      uint8_t iv[VHSM_AEAD_IV_LEN],
		      uint8_t tag[VHSM_AEAD_TAG_LEN], unsigned int flags);

/**
 * vhsm_aead_decrypt() - AES-GCM decryption with a stored AES key (VHSM_IOC_AEAD)
 * @h:       the handle
 * @handle:  an AES-GCM key with VHSM_USAGE_DECRYPT
 * @aad:     additional authenticated data; NULL if @aad_len is 0
 * @aad_len: bytes at @aad
 * @in:      ciphertext; NULL if @len is 0
 * @len:     bytes at @in
 * @out:     [out] @len bytes of plaintext, written only when the tag is
 *           right; NULL if @len is 0
 * @iv:      the 12-byte IV used to encrypt
 * @tag:     the 16-byte tag
 * @flags:   0 (VHSM_AEAD_F_DECRYPT is implied)
 *
 * Return: 0, or -EBADMSG (authentication failed: wrong key, IV, AAD, or
 * modified data), -EINVAL (a NULL pointer with a non-zero length, NULL @iv or
 * @tag), -E2BIG, the operation errors.
 */
int vhsm_aead_decrypt(struct vhsm *h, uint32_t handle,
		      const void *aad, size_t aad_len,
		      const void *in, size_t len, void *out,
		      const uint8_t iv[VHSM_AEAD_IV_LEN],
		      const uint8_t tag[VHSM_AEAD_TAG_LEN], unsigned int flags);

/**
 * vhsm_mac() - HMAC with a stored HMAC key (VHSM_IOC_MAC)
 * @h:       the handle
 * @handle:  an HMAC key with VHSM_USAGE_MAC
 * @data:    the message; NULL if @len is 0
 * @len:     bytes at @data
 * @mac:     [out] the MAC (32 bytes for SHA-256, 48 for SHA-384)
 * @mac_len: [in/out] capacity of @mac (VHSM_MAC_MAX is always enough); on
 *           return the MAC's length, also when it is -ENOSPC
 *
 * Return: 0, or -ENOSPC (@mac too small), -EINVAL, -E2BIG, the operation
 * errors.
 */
int vhsm_mac(struct vhsm *h, uint32_t handle, const void *data, size_t len,
	     void *mac, size_t *mac_len);

/**
 * vhsm_mac_verify() - check an HMAC in constant time (VHSM_IOC_MAC)
 * @h:       the handle
 * @handle:  an HMAC key with VHSM_USAGE_MAC
 * @data:    the message; NULL if @len is 0
 * @len:     bytes at @data
 * @mac:     the MAC to check
 * @mac_len: its length: the full 32 or 48 bytes
 *
 * Return: 0 (the MAC is right), -EBADMSG (it is not, or @mac_len is longer
 * than VHSM_MAC_MAX), -EINVAL (NULL argument; the module may also answer this
 * for a truncated MAC), -E2BIG, the operation errors.
 */
int vhsm_mac_verify(struct vhsm *h, uint32_t handle, const void *data,
		    size_t len, const void *mac, size_t mac_len);

/**
 * vhsm_sign() - ECDSA signature with a stored EC key (VHSM_IOC_SIGN)
 * @h:       the handle
 * @handle:  an EC key with VHSM_USAGE_SIGN
 * @flags:   VHSM_SIG_F_DIGEST (@data is the SHA-256 or SHA-384 hash, 32 or
 *           48 bytes) and/or VHSM_SIG_F_DER (a DER signature instead of r||s)
 * @data:    the message or its hash; NULL if @len is 0
 * @len:     bytes at @data
 * @sig:     [out] the signature
 * @sig_len: [in/out] capacity of @sig (VHSM_SIG_MAX is always enough); on
 *           return the signature's length, or with -ENOSPC the length needed
 *
 * Return: 0, or -ENOSPC, -EINVAL (NULL argument; a digest of the wrong
 * length), -E2BIG, the operation errors.
 */
int vhsm_sign(struct vhsm *h, uint32_t handle, unsigned int flags,
	      const void *data, size_t len, void *sig, size_t *sig_len);

/**
 * vhsm_verify() - check an ECDSA signature with a stored EC key
 * (VHSM_IOC_VERIFY)
 * @h:       the handle
 * @handle:  an EC key (private or public) with VHSM_USAGE_VERIFY
 * @flags:   as for vhsm_sign(); VHSM_SIG_F_DER says @sig is DER
 * @data:    the message or its hash; NULL if @len is 0
 * @len:     bytes at @data
 * @sig:     the signature
 * @sig_len: its length
 *
 * Return: 0 (valid), -EBADMSG (invalid or malformed signature), -EINVAL
 * (NULL argument; a digest of the wrong length), -E2BIG, the operation errors.
 */
int vhsm_verify(struct vhsm *h, uint32_t handle, unsigned int flags,
		const void *data, size_t len, const void *sig, size_t sig_len);

/**
 * vhsm_pubkey() - the public key of a stored EC key (VHSM_IOC_PUBKEY)
 * @h:      the handle
 * @handle: an EC key the caller may see (no usage flag needed)
 * @flags:  0 for SEC1 uncompressed (0x04 || X || Y), VHSM_PUBKEY_F_SPKI for
 *          SubjectPublicKeyInfo DER
 * @buf:    [out] the key
 * @len:    [in/out] capacity of @buf (VHSM_PUBKEY_MAX is always enough); on
 *          return the key's length, or with -ENOSPC the length needed
 *
 * Return: 0, or -ENOSPC, -EINVAL (NULL argument), -ENOENT, -EOPNOTSUPP (not
 * an EC key).
 */
int vhsm_pubkey(struct vhsm *h, uint32_t handle, unsigned int flags,
		void *buf, size_t *len);

/**
 * vhsm_derive() - ECDH with a peer's public key, then HKDF, into a new stored
 * key (VHSM_IOC_DERIVE)
 * @h:          the handle
 * @handle:     an EC key with VHSM_USAGE_DERIVE
 * @peer:       the peer's public key, SEC1 uncompressed, same curve
 * @peer_len:   bytes at @peer
 * @salt:       HKDF salt; NULL if @salt_len is 0
 * @salt_len:   at most VHSM_DERIVE_INFO_MAX bytes
 * @info:       HKDF info; NULL if @info_len is 0
 * @info_len:   at most VHSM_DERIVE_INFO_MAX bytes
 * @attr:       the new key (any symmetric type); see vhsm_key_attr_init()
 * @new_handle: [out] the new key's handle (origin VHSM_ORIGIN_DERIVED)
 *
 * Return: 0, or -EINVAL (NULL argument; the peer is not on the curve; bad
 * attributes), -EEXIST, -EDQUOT, -E2BIG, the operation errors.
 */
int vhsm_derive(struct vhsm *h, uint32_t handle,
		const void *peer, size_t peer_len,
		const void *salt, size_t salt_len,
		const void *info, size_t info_len,
		const struct vhsm_key_attr *attr, uint32_t *new_handle);

/**
 * vhsm_attest() - an attestation report binding @report_data (VHSM_IOC_ATTEST)
 * @h:           the handle
 * @report_data: 64 bytes the report carries (e.g. a hash of a public key and
 *               a verifier's nonce)
 * @vmpl:        the VMPL to report (0..3; at least the one vhsm runs at)
 * @report:      [out] at least VHSM_SNP_REPORT_LEN bytes
 * @report_len:  [in,out] capacity of @report; bytes written
 * @certs:       [out] optional (NULL): the platform's certificate table
 * @certs_len:   [in,out] capacity of @certs; bytes written (0: none)
 * @fw_error:    [out] optional: the firmware status when -EIO is returned
 *
 * Return: 0, or -EINVAL, -E2BIG, -ENOSPC (a buffer too small; the needed
 * lengths are written back), -EOPNOTSUPP (the platform cannot attest),
 * -EIO (firmware refused: see @fw_error), -ETIMEDOUT (host kept it busy),
 * -ENOTRECOVERABLE (the guest-message key was wiped; restart the guest).
 */
int vhsm_attest(struct vhsm *h, const uint8_t report_data[VHSM_REPORT_DATA_LEN],
		uint32_t vmpl, uint8_t *report, size_t *report_len,
		uint8_t *certs, size_t *certs_len, uint32_t *fw_error);

/**
 * vhsm_platform_key() - store a key derived by the platform from its root key
 *                       and the selected launch fields (VHSM_IOC_PLATFORM_KEY)
 * @h:   the handle
 * @req: [in,out] the request (see uapi/linux/vhsm.h); the library sets size;
 *       handle and fw_error are written back
 *
 * Return: 0, or the errors of vhsm_key_generate() and vhsm_attest().
 */
int vhsm_platform_key(struct vhsm *h, struct vhsm_platform_key *req);

/* ---- provisioning sessions (KBS protocol; see uapi/linux/vhsm.h) ---------- */

/**
 * struct vhsm_session_info - an open provisioning session
 * @id:          the session id for vhsm_session_import()
 * @expires_in:  seconds it lives (module parameter session_timeout)
 * @jwk_x:       the session public key's x, base64url, NUL-terminated
 * @jwk_y:       its y; the broker's tee-pubkey is {"kty":"EC","crv":"P-256",
 *               "alg":"ECDH-ES+A256KW","x":jwk_x,"y":jwk_y}
 * @report_data: the REPORT_DATA the kernel computed (SHA-384 of the runtime
 *               data, zero-padded) and put in the report
 */
struct vhsm_session_info {
	uint32_t id;
	uint32_t expires_in;
	char jwk_x[VHSM_JWK_COORD_LEN];
	char jwk_y[VHSM_JWK_COORD_LEN];
	uint8_t report_data[VHSM_REPORT_DATA_LEN];
};

/**
 * vhsm_session_open() - open a provisioning session (VHSM_IOC_SESSION_OPEN)
 * @h:          the handle
 * @nonce:      the broker's challenge nonce (standard base64, NUL-terminated)
 * @flags:      0, or VHSM_SESSION_F_NO_ADDEV
 * @vmpl:       the VMPL to report
 * @report:     [out] at least VHSM_SNP_REPORT_LEN bytes
 * @report_len: [in,out] capacity; bytes written
 * @certs:      [out] optional (NULL): the platform's certificate table
 * @certs_len:  [in,out] capacity; bytes written (0: none)
 * @out:        [out] the session
 * @fw_error:   [out] optional: firmware status on -EIO
 *
 * Return: 0, or -EINVAL (nonce, flags), -EDQUOT (too many open sessions),
 * -EPROTO (a malformed answer), and the errors of vhsm_attest().
 */
int vhsm_session_open(struct vhsm *h, const char *nonce, uint32_t flags, uint32_t vmpl,
		      uint8_t *report, size_t *report_len, uint8_t *certs,
		      size_t *certs_len, struct vhsm_session_info *out, uint32_t *fw_error);

/**
 * vhsm_session_close() - give up a session (VHSM_IOC_SESSION_CLOSE): the
 *                        kernel wipes its key now rather than at expiry
 * @h:          the handle
 * @session_id: from vhsm_session_open()
 *
 * Return: 0, or -ENOENT (no such session for this user: imported, closed or
 * expired).
 */
int vhsm_session_close(struct vhsm *h, uint32_t session_id);

/**
 * struct vhsm_jwe - a flattened JWE's members: base64url text exactly as the
 * broker sent it, NUL-terminated
 */
struct vhsm_jwe {
	const char *protected;
	const char *encrypted_key;
	const char *iv;
	const char *ciphertext;
	const char *tag;
};

/**
 * vhsm_session_import() - open @jwe in the kernel and store the plaintext as
 *                         a key with @attr (VHSM_IOC_SESSION_IMPORT)
 * @h:          the handle
 * @session_id: from vhsm_session_open(); used up by this call unless it fails
 *              with -EINVAL
 * @jwe:        the resource
 * @attr:       the new key's type, usage, mode, label (key_len for secret
 *              and HMAC types: the plaintext length)
 * @handle:     [out] the new key
 *
 * Return: 0, or -EINVAL, -ENOENT (no such session for this user, or
 * expired), -EBADMSG (not a JWE for this session, tampered, or a plaintext
 * that does not fit the type), -EEXIST, -EDQUOT.
 */
int vhsm_session_import(struct vhsm *h, uint32_t session_id, const struct vhsm_jwe *jwe,
			const struct vhsm_key_attr *attr, uint32_t *handle);

/**
 * vhsm_session_import_resource() - vhsm_session_import() of a KBS resource
 *                                  response body as received
 * @body, @len: a flattened JWE in JSON (Trustee's form: protected,
 *              encrypted_key, iv, ciphertext, tag) or the compact
 *              serialization (five base64url parts joined by '.')
 *
 * Return: as vhsm_session_import(), and -EBADMSG for a body that is neither
 * (JSON with aad, header or unprotected members is refused: the kernel
 * authenticates only the protected header).
 */
int vhsm_session_import_resource(struct vhsm *h, uint32_t session_id, const char *body,
				 size_t len, const struct vhsm_key_attr *attr,
				 uint32_t *handle);
/* ------------------------------------------------------------------------- */
/* Sealing (VHSM_0.4)                                                          */
/* ------------------------------------------------------------------------- */

/**
 * vhsm_key_seal() - a stored key as a sealed blob, or a blob resealed to a
 *                   new binding (VHSM_IOC_SEAL)
 * @h:   the handle
 * @req: [in,out] the request (see uapi/linux/vhsm.h): handle (or, with
 *       VHSM_SEAL_F_RESEAL, src_ptr/src_len), root_key_select,
 *       guest_field_select, tcb_version or a TCB flag, blob_ptr/blob_len
 *       (VHSM_SEAL_BLOB_MAX always suffices); the library sets size;
 *       blob_len, tcb_version, guest_svn and fw_error are written back
 *
 * Return: 0, or -ENOENT, -EACCES (not the owner, or the mode forbids use),
 * -EPERM (the key lacks VHSM_USAGE_SEAL), -EOPNOTSUPP, -ENOSPC, -EINVAL,
 * -EIO (the firmware refused, e.g. a TCB above COMMITTED_TCB: see
 * fw_error), and for a reseal the errors of vhsm_key_unseal().
 */
int vhsm_key_seal(struct vhsm *h, struct vhsm_seal *req);

/**
 * vhsm_key_unseal() - store the key a sealed blob holds (VHSM_IOC_UNSEAL)
 * @h:        the handle
 * @blob:     the blob
 * @len:      its length
 * @label:    NULL or "" for the blob's label, else the new key's label
 * @handle:   [out] the new key
 * @fw_error: [out] optional: the firmware status when -EIO is returned
 *
 * The key gets the blob's type, usage, mode and owner. Only that owner (in
 * the owning group) or CAP_SYS_ADMIN may unseal it.
 *
 * Return: 0, or -EINVAL (not a sealed blob, or a bad label),
 * -EPROTONOSUPPORT (unknown blob version), -EMSGSIZE (truncated or
 * oversized), -EPERM (another owner's blob), -EBADMSG (modified, or another
 * platform or launch), -EIO (the firmware refused: a TCB or guest SVN above
 * the current one), -EEXIST, -EDQUOT.
 */
int vhsm_key_unseal(struct vhsm *h, const void *blob, size_t len, const char *label,
		    uint32_t *handle, uint32_t *fw_error);

/* ------------------------------------------------------------------------- */
/* Kernel integration: tokens and keyrings (VHSM_0.4)                          */
/* ------------------------------------------------------------------------- */

/**
 * vhsm_key_token() - the key's token (VHSM_IOC_KEY_TOKEN): VHSM_TOKEN_LEN
 *                    public bytes naming this key, for the kernel's clients
 * @h:      the handle
 * @handle: a key the caller may see
 * @token:  [out] "vhT1", handle (le32), key id (le64)
 *
 * A token grants nothing: whoever presents it (the vhsm key type, an
 * asymmetric key, the vhsm(...) crypto template) is checked against the
 * key's owner, group, mode and usage at the moment of use.
 *
 * Return: 0, or -ENOENT, -EPROTO.
 */
int vhsm_key_token(struct vhsm *h, uint32_t handle,
		   uint8_t token[VHSM_TOKEN_LEN]);

/**
 * vhsm_key_export() - put a key into a kernel keyring (VHSM_IOC_KEY_EXPORT)
 * @h:       the handle
 * @handle:  a key with VHSM_USAGE_EXPORT_KERNEL the caller may use
 * @as:      VHSM_EXPORT_LOGON (the key bytes in a "logon" key),
 *           VHSM_EXPORT_FSCRYPT (an "fscrypt-provisioning" key for fscrypt
 *           v2; VHSM_KEY_SECRET keys only) or VHSM_EXPORT_TOKEN (the token
 *           in a "logon" key)
 * @keyring: a keyring serial or KEY_SPEC_* id (see vhsm_keyring_parse())
 * @desc:    the new key's description: printable, no white space; the logon
 *           forms need "prefix:", e.g. "vhsm:disk1"
 * @serial:  [out] the new key's serial
 *
 * The bytes go from key to key inside the kernel. The new key is the
 * caller's, with add_key(2)'s default permissions.
 *
 * Return: 0, or -EINVAL, -EEXIST (that description is taken in the keyring),
 * -EACCES (also: no write permission on the keyring), -EPERM, -EOPNOTSUPP,
 * -EDQUOT (the caller's key quota), the errors of add_key(2).
 */
int vhsm_key_export(struct vhsm *h, uint32_t handle, uint32_t as,
		    int32_t keyring, const char *desc, int32_t *serial);

/**
 * vhsm_keyring_parse() - a keyring as keyctl(1) spells it
 * @ring: "@t", "@p", "@s", "@u", "@us" (thread, process, session, user,
 *        user session: the KEY_SPEC_* ids, resolved by the kernel at use)
 *        or a decimal serial
 * @id:   [out] the id to pass to vhsm_key_export()
 *
 * Return: 0 or -EINVAL.
 */
int vhsm_keyring_parse(const char *ring, int32_t *id);

/**
 * vhsm_export_as_parse() - "logon", "fscrypt" or "token" as VHSM_EXPORT_*
 * @name: the name
 * @as:   [out]
 *
 * Return: 0 or -EINVAL.
 */
int vhsm_export_as_parse(const char *name, uint32_t *as);

/* ------------------------------------------------------------------------- */
/*
 * Bulk encryption (VHSM_0.5) through the kernel crypto API (AF_ALG, libkcapi) with the
 * vhsm(...) template: the socket is keyed with the key's public token, the
 * module checks the calling process against the key's owner, mode and usage
 * at that moment, and the key bytes stay in the kernel. Data goes straight to
 * the kernel's cipher, not through /dev/vhsm (so max_data_len does not
 * apply; VHSM_BULK_MAX_LEN does). Needs the module's template (vhsm.ko
 * loaded) and AF_ALG (algif_aead, algif_skcipher). The key must carry
 * VHSM_USAGE_EXPORT_KERNEL, for AES keys encrypt and decrypt, and for GCM
 * VHSM_USAGE_CALLER_IV (or the caller CAP_SYS_ADMIN).
 *
 * A struct vhsm_bulk is one keyed socket: use it from one thread at a time;
 * open one per thread. Destroying the key does not unkey an open handle
 * (the kernel transform keeps its key schedule until vhsm_bulk_close()), but
 * no new handle can be opened with it.
 */
struct vhsm_bulk;

#define VHSM_BULK_MAX_LEN	65536	/* bytes per call (AAD + data for AEAD) */
#define VHSM_BULK_GCM_IV_LEN	12
#define VHSM_BULK_GCM_TAG_LEN	16
#define VHSM_BULK_AES_IV_LEN	16
#define VHSM_BULK_AES_BLOCK_LEN	16

/**
 * vhsm_bulk_aead_open() - AES-GCM through vhsm(gcm(aes)) with a stored key
 * @h:      the handle (used once, for the key's token; may be closed after)
 * @handle: an aes128 or aes256 key with export-kernel, encrypt, decrypt and
 *          (the IVs are the caller's) caller-iv, unless the caller has
 *          CAP_SYS_ADMIN
 * @out:    [out] the bulk handle, to be released with vhsm_bulk_close()
 *
 * Return: 0, or -EINVAL, -ENOMEM, the token's errors (-ENOENT), the
 * template's setkey errors: -ENOENT (no such key, or not visible to the
 * caller), -EACCES (its mode forbids use), -EPERM (a usage flag is
 * missing), -EOPNOTSUPP (wrong key type); -ENOENT also when the module or
 * AF_ALG is not loaded.
 */
int vhsm_bulk_aead_open(struct vhsm *h, uint32_t handle, struct vhsm_bulk **out);

/**
 * vhsm_bulk_aead_open_token() - as vhsm_bulk_aead_open(), from a key token
 *                               (VHSM_IOC_KEY_TOKEN); needs no /dev/vhsm
 * @token: the VHSM_TOKEN_LEN-byte token
 * @out:   [out] the bulk handle
 *
 * Return: as vhsm_bulk_aead_open(); -EINVAL also for a malformed token.
 */
int vhsm_bulk_aead_open_token(const uint8_t token[VHSM_TOKEN_LEN], struct vhsm_bulk **out);

/**
 * vhsm_bulk_aead_encrypt() - AES-GCM encryption
 * @b:       a handle from vhsm_bulk_aead_open()
 * @iv:      the 12-byte IV; the caller guarantees it is never used twice
 *           with one key (a counter, or 96 random bits for fewer than 2^32
 *           messages)
 * @aad:     additional authenticated data; NULL if @aad_len is 0
 * @aad_len: bytes at @aad
 * @in:      plaintext; NULL if @len is 0
 * @len:     bytes at @in; @aad_len + @len at most VHSM_BULK_MAX_LEN
 * @out:     [out] @len bytes of ciphertext; may be @in
 * @tag:     [out] the 16-byte tag
 *
 * Return: 0, or -EINVAL, -E2BIG, -ENOMEM, another -errno from AF_ALG.
 */
int vhsm_bulk_aead_encrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_GCM_IV_LEN],
			   const void *aad, size_t aad_len, const void *in, size_t len,
			   void *out, uint8_t tag[VHSM_BULK_GCM_TAG_LEN]);

/**
 * vhsm_bulk_aead_decrypt() - AES-GCM decryption
 * @b:       a handle from vhsm_bulk_aead_open()
 * @iv:      the IV used to encrypt
 * @aad:     additional authenticated data; NULL if @aad_len is 0
 * @aad_len: bytes at @aad
 * @in:      ciphertext; NULL if @len is 0
 * @len:     bytes at @in; @aad_len + @len at most VHSM_BULK_MAX_LEN
 * @tag:     the 16-byte tag
 * @out:     [out] @len bytes of plaintext; its contents are undefined when
 *           -EBADMSG is returned
 *
 * Return: 0, -EBADMSG (authentication failed), or -EINVAL, -E2BIG, -ENOMEM,
 * another -errno from AF_ALG.
 */
int vhsm_bulk_aead_decrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_GCM_IV_LEN],
			   const void *aad, size_t aad_len, const void *in, size_t len,
			   const uint8_t tag[VHSM_BULK_GCM_TAG_LEN], void *out);

/**
 * vhsm_bulk_skcipher_open() - AES-XTS or AES-CBC through vhsm(xts(aes)) or
 *                             vhsm(cbc(aes)) with a stored key
 * @h:      the handle (used once, for the key's token)
 * @handle: "xts": an aes256-xts key (export-kernel); "cbc": an aes128 or
 *          aes256 key (export-kernel, encrypt, decrypt)
 * @mode:   "xts" or "cbc"
 * @out:    [out] the bulk handle, to be released with vhsm_bulk_close()
 *
 * Return: as vhsm_bulk_aead_open(); -EINVAL also for another @mode.
 */
int vhsm_bulk_skcipher_open(struct vhsm *h, uint32_t handle, const char *mode,
			    struct vhsm_bulk **out);

/**
 * vhsm_bulk_skcipher_open_token() - as vhsm_bulk_skcipher_open(), from a
 *                                   key token; needs no /dev/vhsm
 * @token: the VHSM_TOKEN_LEN-byte token
 * @mode:  "xts" or "cbc"
 * @out:   [out] the bulk handle
 *
 * Return: as vhsm_bulk_skcipher_open().
 */
int vhsm_bulk_skcipher_open_token(const uint8_t token[VHSM_TOKEN_LEN], const char *mode,
				  struct vhsm_bulk **out);

/**
 * vhsm_bulk_skcipher_encrypt() - encrypt one unit (an XTS data unit, or a
 *                                CBC message) without padding
 * @b:   a handle from vhsm_bulk_skcipher_open()
 * @iv:  the 16-byte IV (XTS: the tweak, e.g. the sector number little-endian)
 * @in:  the data
 * @len: bytes at @in: a non-zero multiple of 16, at most VHSM_BULK_MAX_LEN
 * @out: [out] @len bytes; may be @in
 *
 * Return: 0, or -EINVAL, -E2BIG, another -errno from AF_ALG.
 */
int vhsm_bulk_skcipher_encrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_AES_IV_LEN],
			       const void *in, size_t len, void *out);

/**
 * vhsm_bulk_skcipher_decrypt() - the inverse of vhsm_bulk_skcipher_encrypt()
 * @b:   a handle from vhsm_bulk_skcipher_open()
 * @iv:  the IV used to encrypt
 * @in:  the ciphertext
 * @len: bytes at @in: a non-zero multiple of 16, at most VHSM_BULK_MAX_LEN
 * @out: [out] @len bytes; may be @in
 *
 * Return: 0, or -EINVAL, -E2BIG, another -errno from AF_ALG.
 */
int vhsm_bulk_skcipher_decrypt(struct vhsm_bulk *b, const uint8_t iv[VHSM_BULK_AES_IV_LEN],
			       const void *in, size_t len, void *out);

/**
 * vhsm_bulk_close() - close a bulk handle; NULL is accepted
 * @b: the handle
 */
void vhsm_bulk_close(struct vhsm_bulk *b);

#ifdef __cplusplus
}
#endif

#endif /* VHSM_VHSM_H */
