// SPDX-License-Identifier: GPL-2.0-only
/*
 * Provisioning sessions (VHSM_IOC_SESSION_OPEN, _IMPORT, _CLOSE): an
 * ephemeral P-256 key per session, the KBS runtime data bound into a report
 * (rtdata.c), and a resource JWE opened into the key store (jwe.c). See the
 * uapi header for the protocol steps.
 *
 * Lifetime: a session is in vhsm_sessions from open until the first of
 * import, expiry, or module unload. Whoever erases it from the xarray (under
 * vhsm_session_lock) owns it and is the one to wipe and free it:
 * - import (and close) erases it, then cancels its expiry work synchronously
 *   (the work, if running, finds it gone and leaves it alone), then uses the
 *   key once;
 * - the expiry work erases it if it is still there and frees it;
 * - unload erases and frees what is left.
 * So a session is wiped exactly once, by session_free(), after import
 * (whatever the outcome), close, expiry, or unload.
 *
 * Locking: vhsm_session_lock (a mutex) serialises changes to vhsm_sessions
 * and the counting for the limits; nothing sleeps on crypto under it.
 */
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "param_ro.h"
#include "ecc.h"
#include "ioctl.h"
#include "jose.h"
#include "jwe.h"
#include "keystore.h"
#include "platform.h"
#include "rtdata.h"
#include "session.h"

#define SESSION_KEY_BYTES	32	/* P-256 */
#define SESSION_CERTS_MAX	(16 * 1024)
#define SESSION_TIMEOUT_MAX	86400

static unsigned int session_timeout = 300;
module_param(session_timeout, uint, 0644);
MODULE_PARM_DESC(session_timeout, "seconds a provisioning session lives (1..86400)");

static unsigned int max_sessions_per_user = 4;
module_param(max_sessions_per_user, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_user, "open provisioning sessions one uid may hold (-EDQUOT beyond)");

static unsigned int max_sessions = 256;
module_param(max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions, "open provisioning sessions in total (-EDQUOT beyond)");

/**
 * struct vhsm_session - one provisioning session
 * @id:      its number in vhsm_sessions (1..)
 * @uid:     the fsuid that opened it; only it may import
 * @expires: jiffies after which it is refused
 * @expire:  removes and wipes it at @expires
 * @priv:    the ephemeral P-256 private scalar; never leaves the kernel
 */
struct vhsm_session {
	u32 id;
	kuid_t uid;
	unsigned long expires;
	struct delayed_work expire;
	u8 priv[SESSION_KEY_BYTES];
};

/* expiry works run here, so that unload can wait for every one to finish */
static struct workqueue_struct *vhsm_session_wq;
static DEFINE_MUTEX(vhsm_session_lock);
static DEFINE_XARRAY_ALLOC1(vhsm_sessions);	/* changed under vhsm_session_lock */
static u32 vhsm_session_next = 1;		/* under vhsm_session_lock */
static atomic64_t vhsm_sessions_opened = ATOMIC64_INIT(0);
static atomic64_t vhsm_sessions_wiped = ATOMIC64_INIT(0);

static void session_free(struct vhsm_session *s)
{
	memzero_explicit(s->priv, sizeof(s->priv));
	atomic64_inc(&vhsm_sessions_wiped);
	kfree_sensitive(s);
}

static unsigned int session_count(kuid_t uid, unsigned int *total)
{
	struct vhsm_session *s;
	unsigned long idx;
	unsigned int mine = 0;

	lockdep_assert_held(&vhsm_session_lock);
	*total = 0;
	xa_for_each(&vhsm_sessions, idx, s) {
		(*total)++;
		if (uid_eq(s->uid, uid))
			mine++;
	}
	return mine;
}

static int sessions_get(char *buffer, const struct kernel_param *kp)
{
	unsigned int open;

	mutex_lock(&vhsm_session_lock);
	session_count(GLOBAL_ROOT_UID, &open);
	mutex_unlock(&vhsm_session_lock);
	return scnprintf(buffer, PAGE_SIZE, "open=%u opened=%lld wiped=%lld\n", open,
			 atomic64_read(&vhsm_sessions_opened),
			 atomic64_read(&vhsm_sessions_wiped));
}

static const struct kernel_param_ops sessions_ops = {
	.set = vhsm_param_set_readonly,
	.get = sessions_get,
};
module_param_cb(sessions, &sessions_ops, NULL, 0444);
MODULE_PARM_DESC(sessions, "provisioning sessions: open now, opened and wiped since load");

static void session_expire(struct work_struct *work)
{
	struct vhsm_session *s = container_of(to_delayed_work(work),
					      struct vhsm_session, expire);
	bool mine = false;

	mutex_lock(&vhsm_session_lock);
	if (xa_load(&vhsm_sessions, s->id) == s) {
		xa_erase(&vhsm_sessions, s->id);
		mine = true;
	}
	mutex_unlock(&vhsm_session_lock);
	if (mine)
		session_free(s);
}

/* Insert within the limits; the expiry clock starts now. */
static int session_insert(struct vhsm_session *s, unsigned int timeout)
{
	unsigned int total, mine;
	int ret;

	mutex_lock(&vhsm_session_lock);
	mine = session_count(s->uid, &total);
	ret = -EDQUOT;
	if (mine >= READ_ONCE(max_sessions_per_user) || total >= READ_ONCE(max_sessions))
		goto out;
	s->expires = jiffies + (unsigned long)timeout * HZ;
	ret = xa_alloc_cyclic(&vhsm_sessions, &s->id, s, XA_LIMIT(1, INT_MAX),
			      &vhsm_session_next, GFP_KERNEL);
	if (ret < 0)
		goto out;
	ret = 0;
	queue_delayed_work(vhsm_session_wq, &s->expire, (unsigned long)timeout * HZ);
out:
	mutex_unlock(&vhsm_session_lock);
	return ret;
}

/* Take @id out of the table if @uid owns it and it has not expired. */
static struct vhsm_session *session_take(u32 id, kuid_t uid)
{
	struct vhsm_session *s;

	mutex_lock(&vhsm_session_lock);
	s = xa_load(&vhsm_sessions, id);
	if (s && !uid_eq(s->uid, uid))
		s = NULL;
	if (s)
		xa_erase(&vhsm_sessions, id);
	mutex_unlock(&vhsm_session_lock);
	if (!s)
		return ERR_PTR(-ENOENT);
	cancel_delayed_work_sync(&s->expire);
	if (time_after(jiffies, s->expires)) {
		session_free(s);
		return ERR_PTR(-ENOENT);
	}
	return s;
}

/* ---- VHSM_IOC_SESSION_OPEN ------------------------------------------------- */

static int open_check(const struct vhsm_session_open *arg)
{
	if (arg->flags & ~VHSM_SESSION_OPEN_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->session_id || arg->fw_error || arg->expires_in || arg->__pad ||
	    !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)) ||
	    !vhsm_all_zero(arg->jwk_x, sizeof(arg->jwk_x)) ||
	    !vhsm_all_zero(arg->jwk_y, sizeof(arg->jwk_y)) ||
	    !vhsm_all_zero(arg->report_data, sizeof(arg->report_data)))
		return -EINVAL;
	if (!(arg->flags & VHSM_SESSION_F_CERTS) && (arg->certs_ptr || arg->certs_len))
		return -EINVAL;
	if (arg->vmpl > 3 || arg->nonce_len < 4 || arg->nonce_len > VHSM_SESSION_NONCE_MAX)
		return -EINVAL;
	return 0;
}

/* The key pair, its JWK coordinates and REPORT_DATA over the runtime data. */
static int open_bind(struct vhsm_session_open *arg, struct vhsm_session *s,
		     const char *nonce)
{
	u8 pub[2 * SESSION_KEY_BYTES];
	struct vhsm_rtdata rt = {
		.nonce = nonce, .nonce_len = arg->nonce_len,
		.x = arg->jwk_x, .y = arg->jwk_y,
		.with_addev = !(arg->flags & VHSM_SESSION_F_NO_ADDEV),
	};
	int ret;

	BUILD_BUG_ON(VHSM_JWK_COORD_LEN < 43 + 1);
	ret = vhsm_ecc_generate(VHSM_ECC_P256, s->priv) ?:
	      vhsm_ecc_public(VHSM_ECC_P256, s->priv, pub);
	if (ret)
		return ret;
	vhsm_b64url_encode(pub, SESSION_KEY_BYTES, arg->jwk_x);
	vhsm_b64url_encode(pub + SESSION_KEY_BYTES, SESSION_KEY_BYTES, arg->jwk_y);
	return vhsm_rtdata_report_data(&rt, arg->report_data);
}

/* The report (and certificate table) into kernel buffers; lengths checked. */
static int open_report(struct vhsm_session_open *arg, u8 *report, void *certs,
		       u32 *certs_len)
{
	const struct vhsm_platform_ops *platform = vhsm_platform_get();
	u32 fw_error = 0;
	int ret;

	ret = platform->get_report(arg->report_data, arg->vmpl, report, certs,
				   certs_len, &fw_error);
	arg->fw_error = fw_error;
	if (!ret && *certs_len > arg->certs_len)
		ret = -ENOSPC;
	if (ret == -ENOSPC) {
		arg->report_len = VHSM_SNP_REPORT_LEN;
		arg->certs_len = *certs_len;
	}
	return ret;
}

static int open_copy_out(struct vhsm_session_open *arg, const u8 *report,
			 const void *certs, u32 certs_len)
{
	int ret = vhsm_ubuf_copy_out(arg->report_ptr, report, VHSM_SNP_REPORT_LEN);

	if (!ret && certs_len)
		ret = vhsm_ubuf_copy_out(arg->certs_ptr, certs, certs_len);
	arg->report_len = VHSM_SNP_REPORT_LEN;
	arg->certs_len = certs_len;
	return ret;
}

static void session_remove(struct vhsm_session *s)
{
	mutex_lock(&vhsm_session_lock);
	xa_erase(&vhsm_sessions, s->id);
	mutex_unlock(&vhsm_session_lock);
	cancel_delayed_work_sync(&s->expire);
	session_free(s);
}

int vhsm_cmd_session_open(struct vhsm_session_open *arg)
{
	unsigned int timeout = clamp(READ_ONCE(session_timeout), 1U, SESSION_TIMEOUT_MAX);
	u32 certs_len = 0;
	struct vhsm_session *s;
	void *certs = NULL;
	u8 *report = NULL;
	char *nonce;
	int ret;

	ret = open_check(arg);
	if (ret)
		return ret;
	if (!vhsm_platform_get()->get_report)
		return -EOPNOTSUPP;
	if (arg->report_len < VHSM_SNP_REPORT_LEN) {
		arg->report_len = VHSM_SNP_REPORT_LEN;
		return -ENOSPC;
	}
	nonce = vhsm_ubuf_copy_in(arg->nonce_ptr, arg->nonce_len, VHSM_SESSION_NONCE_MAX);
	if (IS_ERR(nonce))
		return PTR_ERR(nonce);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	report = kzalloc(VHSM_SNP_REPORT_LEN, GFP_KERNEL);
	if (arg->flags & VHSM_SESSION_F_CERTS) {
		certs_len = SESSION_CERTS_MAX;
		certs = kvzalloc(certs_len, GFP_KERNEL);
	}
	ret = -ENOMEM;
	if (!s || !report || (arg->flags & VHSM_SESSION_F_CERTS && !certs))
		goto err;
	s->uid = current_fsuid();
	INIT_DELAYED_WORK(&s->expire, session_expire);

	ret = open_bind(arg, s, nonce) ?:
	      open_report(arg, report, certs, &certs_len) ?:
	      session_insert(s, timeout);
	if (ret)
		goto err;
	atomic64_inc(&vhsm_sessions_opened);
	arg->session_id = s->id;
	arg->expires_in = timeout;
	ret = open_copy_out(arg, report, certs, certs_len);
	if (ret) {
		session_remove(s);
		s = NULL;
	}
	goto out;

err:
	if (s)
		session_free(s);
out:
	kvfree(certs);
	kfree(report);
	kfree(nonce);
	return ret;
}

/* ---- VHSM_IOC_SESSION_IMPORT ----------------------------------------------- */

/* Bounds in base64url characters: 40, 12 and 16 bytes need 54, 16 and 22. */
#define ENCRYPTED_KEY_CHARS_MAX	64
#define IV_CHARS_MAX		32
#define TAG_CHARS_MAX		32

static int import_check(const struct vhsm_session_import *arg, u32 *len)
{
	if (arg->flags & ~VHSM_SESSION_IMPORT_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->handle || arg->__pad ||
	    !vhsm_all_zero(arg->__reserved, sizeof(arg->__reserved)))
		return -EINVAL;
	if (!arg->protected_len || arg->protected_len > VHSM_JWE_PROTECTED_MAX ||
	    !arg->encrypted_key_len || arg->encrypted_key_len > ENCRYPTED_KEY_CHARS_MAX ||
	    !arg->iv_len || arg->iv_len > IV_CHARS_MAX ||
	    !arg->ciphertext_len || arg->ciphertext_len > VHSM_JWE_CIPHERTEXT_MAX ||
	    !arg->tag_len || arg->tag_len > TAG_CHARS_MAX)
		return -EINVAL;
	return vhsm_keystore_validate_attr(&arg->attr, len);
}

static void parts_free(struct vhsm_jwe_parts *p)
{
	kfree(p->protected);
	kfree(p->encrypted_key);
	kfree(p->iv);
	kfree(p->ciphertext);
	kfree(p->tag);
}

static int part_copy_in(u64 uptr, u32 len, const char **out)
{
	char *p = vhsm_ubuf_copy_in(uptr, len, VHSM_JWE_PROTECTED_MAX);

	if (IS_ERR(p))
		return PTR_ERR(p);
	*out = p;
	return 0;
}

static int parts_copy_in(const struct vhsm_session_import *arg, struct vhsm_jwe_parts *p)
{
	p->protected_len = arg->protected_len;
	p->encrypted_key_len = arg->encrypted_key_len;
	p->iv_len = arg->iv_len;
	p->ciphertext_len = arg->ciphertext_len;
	p->tag_len = arg->tag_len;
	return part_copy_in(arg->protected_ptr, arg->protected_len, &p->protected) ?:
	       part_copy_in(arg->encrypted_key_ptr, arg->encrypted_key_len, &p->encrypted_key) ?:
	       part_copy_in(arg->iv_ptr, arg->iv_len, &p->iv) ?:
	       part_copy_in(arg->ciphertext_ptr, arg->ciphertext_len, &p->ciphertext) ?:
	       part_copy_in(arg->tag_ptr, arg->tag_len, &p->tag);
}

int vhsm_cmd_session_import(struct vhsm_session_import *arg)
{
	struct vhsm_key_spec spec = { .attr = &arg->attr, .origin = VHSM_ORIGIN_PROVISIONED };
	struct vhsm_jwe_parts parts = {};
	struct vhsm_session *s;
	u8 *plain = NULL;
	u32 plain_len = 0;
	int ret;

	ret = import_check(arg, &spec.len);
	if (ret)
		return ret;
	ret = parts_copy_in(arg, &parts);
	if (ret)
		goto out;
	ret = -ENOMEM;
	plain = kzalloc(VHSM_JWE_PLAINTEXT_MAX, GFP_KERNEL);
	if (!plain)
		goto out;

	s = session_take(arg->session_id, current_fsuid());
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		goto out;
	}
	ret = vhsm_jwe_open(s->priv, &parts, plain, VHSM_JWE_PLAINTEXT_MAX, &plain_len);
	session_free(s);
	if (!ret && plain_len != spec.len)
		ret = -EBADMSG;
	if (ret)
		goto out;
	spec.material = plain;
	ret = vhsm_keystore_add(&spec, &arg->handle);
out:
	kfree_sensitive(plain);
	parts_free(&parts);
	return ret;
}

/* ---- VHSM_IOC_SESSION_CLOSE ------------------------------------------------ */

int vhsm_cmd_session_close(struct vhsm_session_close *arg)
{
	struct vhsm_session *s;

	if (arg->flags & ~VHSM_SESSION_CLOSE_FLAGS_ALL)
		return -EOPNOTSUPP;
	if (arg->__reserved)
		return -EINVAL;
	s = session_take(arg->session_id, current_fsuid());
	if (IS_ERR(s))
		return PTR_ERR(s);
	session_free(s);
	return 0;
}

int vhsm_session_init(void)
{
	vhsm_session_wq = alloc_workqueue("vhsm_session", 0, 0);
	return vhsm_session_wq ? 0 : -ENOMEM;
}

/*
 * After the device is gone: wipe what is left, then wait for expiry works
 * that had already taken their session (and so are invisible here) to end.
 */
void vhsm_session_exit(void)
{
	struct vhsm_session *s;
	unsigned int wiped = 0;
	unsigned long idx;

	for (;;) {
		idx = 0;
		mutex_lock(&vhsm_session_lock);
		s = xa_find(&vhsm_sessions, &idx, ULONG_MAX, XA_PRESENT);
		if (s)
			xa_erase(&vhsm_sessions, idx);
		mutex_unlock(&vhsm_session_lock);
		if (!s)
			break;
		cancel_delayed_work_sync(&s->expire);
		session_free(s);
		wiped++;
	}
	destroy_workqueue(vhsm_session_wq);
	if (wiped)
		pr_info("wiped %u provisioning sessions\n", wiped);
}
