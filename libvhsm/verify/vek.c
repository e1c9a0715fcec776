// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The VCEK/VLEK a report is verified with: from the options, or from the
 * offline cache directory (<cache>/vcek/<Product>/<hwid>/<tcb>.der,
 * <cache>/vlek/<Product>/<tcb>.der).  Its public key and extensions come
 * from the certificate cache when these bytes were seen before, else the
 * certificate is parsed here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "cache.h"
#include "checks.h"
#include "load.h"

static void cache_vek_path(const struct vctx *c, enum vhsm_product p,
			   char *path, size_t size)
{
	char hwid[129], tcb[17];
	size_t n = p == VHSM_PRODUCT_TURIN ? 8 : 64;

	snprintf(tcb, sizeof(tcb), "%016" PRIx64, c->rep.reported_tcb.raw);
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK) {
		snprintf(path, size, "%s/vlek/%s/%s.der", c->opts->cache_dir,
			 vhsm_report_product_name(p), tcb);
		return;
	}
	_vhsm_hex_str(c->rep.chip_id, n, hwid);
	snprintf(path, size, "%s/vcek/%s/%s/%s.der", c->opts->cache_dir,
		 vhsm_report_product_name(p), hwid, tcb);
}

/*
 * Take the VEK bytes: c->info and c->pkey from the certificate cache, or
 * by parsing them (c->vek); -EINVAL if they hold no certificate.
 */
static int use_vek(struct vctx *c, const void *buf, size_t len)
{
	c->vek_buf = buf;
	c->vek_len = len;
	SHA256(buf, len, c->vek_digest);
	if (_vhsm_cache_get_vek(c->vek_digest, &c->info, &c->pkey))
		return 0;
	c->vek = _vhsm_load_cert(buf, len);
	if (!c->vek)
		return -EINVAL;
	_vhsm_read_vek_info(c->vek, &c->info);
	c->pkey = X509_get0_pubkey(c->vek);
	if (c->pkey && !EVP_PKEY_up_ref(c->pkey))
		return -ENOMEM;
	return 0;
}

/* The first cache file (of the report's product, or any) with a certificate. */
static int load_cached_vek(struct vctx *c)
{
	enum vhsm_product p, first = c->rep.product, last = c->rep.product;
	char path[4096];
	uint8_t *buf;
	size_t len;
	int err;

	if (!c->opts->cache_dir)
		return -ENOKEY;
	if (first == VHSM_PRODUCT_UNKNOWN) {
		first = VHSM_PRODUCT_MILAN;
		last = VHSM_PRODUCT_TURIN;
	}
	for (p = first; p <= last; p++) {
		cache_vek_path(c, p, path, sizeof(path));
		if (_vhsm_read_file(path, &buf, &len))
			continue;
		err = use_vek(c, buf, len);
		if (!err) {
			c->vek_own = buf;
			return 0;
		}
		free(buf);
		c->vek_buf = NULL;
		c->vek_len = 0;
		if (err != -EINVAL)
			return err;
	}
	return -ENOKEY;
}

int _vhsm_load_vek(struct vctx *c)
{
	const struct vhsm_verify_opts *o = c->opts;
	int err;

	_vhsm_ran(c, VHSM_CHECK_CERT);
	if (o->vek)
		return use_vek(c, o->vek, o->vek_len);
	err = load_cached_vek(c);
	if (err == -ENOKEY)
		_vhsm_fail(c, VHSM_CHECK_CERT, "no %s given and none found in the cache",
			   c->rep.signing_key == VHSM_SIGNING_KEY_VLEK ? "VLEK" : "VCEK");
	return err;
}
