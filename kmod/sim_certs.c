// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated host's certificate table: what a real host (its VMM, from
 * the certificates the cloud or the owner installed) hands the guest with an
 * extended report request, the GHCB table of GUID, offset and length
 * entries followed by the certificates.  Tests certify the simulated
 * AMD-SP's VCEK with a test CA, build the table (vhsm-testca certtable) and
 * give it to the simulated host, so that attestation with certificates runs
 * the whole path a real guest's does (attest --certs, configfs-tsm auxblob).
 *
 * Module parameter sim_certs (0600, root only):
 *   write "none"       no certificates (the default: an empty table)
 *   write "BASE64"     the table is these bytes (RFC 4648 base64)
 *   write "+BASE64"    append these bytes (a sysfs write is at most a page,
 *                      so a table larger than ~3 KiB is given in pieces; each
 *                      piece must be whole 4-character groups but the last)
 *   read               "N bytes"
 * The table is the host's word: vhsm passes it on without parsing it, as it
 * does on SEV-SNP hardware; the verifier in userspace checks it.
 */
#include <linux/base64.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim_sp.h"

#define SIM_CERTS_MAX	(16 * 1024)	/* what the attest ioctl's buffer holds */

/* certs_lock protects certs and certs_len; taken inside sp->lock, never around it */
static DEFINE_MUTEX(certs_lock);
static u8 *certs;
static size_t certs_len;

static int certs_set(const char *val, const struct kernel_param *kp)
{
	size_t n = strcspn(val, "\n"), old_len;
	bool append = val[0] == '+';
	u8 *buf = NULL;
	int got = 0;

	if (n == 4 && !strncmp(val, "none", 4)) {
		mutex_lock(&certs_lock);
		kfree(certs);
		certs = NULL;
		certs_len = 0;
		mutex_unlock(&certs_lock);
		return 0;
	}
	if (append) {
		val++;
		n--;
	}
	if (!n || n > SIM_CERTS_MAX * 4 / 3 + 4)
		return -EINVAL;
	mutex_lock(&certs_lock);
	old_len = append ? certs_len : 0;
	if (old_len + n / 4 * 3 + 3 > SIM_CERTS_MAX)
		goto too_big;
	buf = kmalloc(old_len + n / 4 * 3 + 3, GFP_KERNEL);
	if (!buf) {
		mutex_unlock(&certs_lock);
		return -ENOMEM;
	}
	if (old_len)
		memcpy(buf, certs, old_len);
	got = base64_decode(val, (int)n, buf + old_len);
	if (got < 0) {
		mutex_unlock(&certs_lock);
		kfree(buf);
		return -EINVAL;
	}
	kfree(certs);
	certs = buf;
	certs_len = old_len + (size_t)got;
	mutex_unlock(&certs_lock);
	return 0;
too_big:
	mutex_unlock(&certs_lock);
	return -E2BIG;
}

static int certs_get(char *buffer, const struct kernel_param *kp)
{
	size_t n;

	mutex_lock(&certs_lock);
	n = certs_len;
	mutex_unlock(&certs_lock);
	return scnprintf(buffer, PAGE_SIZE, "%zu bytes\n", n);
}

/* module unload */
static void certs_free(void *arg)
{
	kfree(certs);
	certs = NULL;
	certs_len = 0;
}

static const struct kernel_param_ops certs_ops = {
	.set = certs_set,
	.get = certs_get,
	.free = certs_free,
};
module_param_cb(sim_certs, &certs_ops, NULL, 0600);
MODULE_PARM_DESC(sim_certs,
		 "platform=sim: the simulated host's certificate table, base64 ('+' appends, 'none' clears)");

/**
 * vhsm_sim_certs_fill() - the simulated host answers an extended request
 * @x: the exchange; @x->certs is set
 *
 * Copies the table into @x->certs when it fits, else says how much the host
 * needs in @x->certs_needed (and leaves the buffer empty), as a host does.
 * Called with the AMD-SP's lock held.
 */
void vhsm_sim_certs_fill(struct vhsm_snp_xfer *x)
{
	mutex_lock(&certs_lock);
	if (certs_len && certs_len <= x->certs_cap)
		memcpy(x->certs, certs, certs_len);
	else if (certs_len)
		x->certs_needed = certs_len;
	mutex_unlock(&certs_lock);
}
