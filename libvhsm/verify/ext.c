// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The VCEK/VLEK checks of the SNP report verifier: what the certificate
 * says about itself (struct vek_info, decoded by vekinfo.c) against the
 * report: product, key type (VCEK or VLEK), reported TCB and chip id.  They
 * read only vek_info, never the certificate.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

/* SPL 3.<n> as decoded by _vhsm_read_vek_info(): 0, -ENOENT or -EBADMSG. */
static int spl(const struct vctx *c, int n, int64_t *val)
{
	*val = c->info.spl[n];
	return c->info.spl_err[n];
}

/* ---- individual checks ---- */

void _vhsm_check_product(struct vctx *c)
{
	enum vhsm_product rp = c->rep.product, vp = c->info.product;

	_vhsm_ran(c, VHSM_CHECK_PRODUCT);

	if (vp == VHSM_PRODUCT_UNKNOWN)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT, "%s productName \"%s\" is missing or unknown",
			   _vhsm_vek_name(c), c->info.product_name);
	if (c->rep.has_cpuid && rp == VHSM_PRODUCT_UNKNOWN)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT,
			   "report CPUID family 0x%02x model 0x%02x is not a known product",
			   c->rep.cpuid_fam_id, c->rep.cpuid_mod_id);
	if (rp != VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN && rp != vp)
		_vhsm_fail(c, VHSM_CHECK_PRODUCT,
			   "report CPUID says %s but %s productName is \"%s\"",
			   vhsm_report_product_name(rp), _vhsm_vek_name(c), c->info.product_name);
	if (rp == VHSM_PRODUCT_UNKNOWN && vp != VHSM_PRODUCT_UNKNOWN)
		vhsm_report_set_product(&c->rep, vp);
	c->res->product = c->rep.product;
}

void _vhsm_check_key_type(struct vctx *c)
{
	_vhsm_ran(c, VHSM_CHECK_KEY_TYPE);
	if (!c->info.has_hwid && !c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_CERT,
			   "certificate has neither a hwID nor a cspId extension");
	if (c->rep.signing_key == VHSM_SIGNING_KEY_VCEK && c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE,
			   "report SIGNING_KEY=0 (VCEK) but the certificate is a VLEK");
	else if (c->rep.signing_key == VHSM_SIGNING_KEY_VLEK && !c->info.is_vlek)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE,
			   "report SIGNING_KEY=1 (VLEK) but the certificate is a VCEK");
	else if (c->rep.signing_key > VHSM_SIGNING_KEY_VLEK)
		_vhsm_fail(c, VHSM_CHECK_KEY_TYPE, "report SIGNING_KEY=%u is not a VCEK or VLEK",
			   c->rep.signing_key);
}

static void check_spl(struct vctx *c, int n, const char *ext,
		      const char *part, unsigned int want)
{
	int64_t v;
	int err = spl(c, n, &v);

	if (err == -ENOENT)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s has no %s extension", _vhsm_vek_name(c), ext);
	else if (err)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s %s extension is malformed",
			   _vhsm_vek_name(c), ext);
	else if (v != (int64_t)want)
		_vhsm_fail(c, VHSM_CHECK_TCB, "%s %s=%" PRId64 " != reported_tcb.%s=%u",
			   _vhsm_vek_name(c), ext, v, part, want);
}

/* spl4..spl7 are optional; when present they must match TCB bytes 2..5. */
static void check_reserved_spls(struct vctx *c)
{
	unsigned int i, want;
	int64_t v;

	for (i = 0; i < 4; i++) {
		want = (c->rep.reported_tcb.raw >> (8 * (i + 2))) & 0xff;
		if (spl(c, (int)i + 4, &v) == 0 && v != (int64_t)want)
			_vhsm_fail(c, VHSM_CHECK_TCB,
				   "%s spl%u=%" PRId64 " != reported_tcb byte %u=%u",
				   _vhsm_vek_name(c), i + 4, v, i + 2, want);
	}
}

/*
 * Turin's TCB layout is [fmc, bl, tee, snp, rsvd, rsvd, rsvd, ucode]: bytes
 * 4..6 must be zero in all four TCBs of the report (a Genoa-layout value
 * read as Turin sets them).  Milan/Genoa's bytes 2..5 carry spl4..spl7,
 * which the VCEK repeats and check_reserved_spls() compares.
 */
static void check_reserved_bytes(struct vctx *c)
{
	const struct {
		const char *name;
		uint64_t raw;
	} tcbs[] = {
		{ "current_tcb", c->rep.current_tcb.raw },
		{ "reported_tcb", c->rep.reported_tcb.raw },
		{ "committed_tcb", c->rep.committed_tcb.raw },
		{ "launch_tcb", c->rep.launch_tcb.raw },
	};
	unsigned int i, b, v;

	if (c->rep.product != VHSM_PRODUCT_TURIN)
		return;
	for (i = 0; i < sizeof(tcbs) / sizeof(tcbs[0]); i++)
		for (b = 4; b <= 6; b++) {
			v = (tcbs[i].raw >> (8 * b)) & 0xff;
			if (v)
				_vhsm_fail(c, VHSM_CHECK_TCB,
					   "%s byte %u = 0x%02x is reserved on Turin (0x%016" PRIx64 ")",
					   tcbs[i].name, b, v, tcbs[i].raw);
		}
}

/*
 * SPL extensions the product does not define: fmcSPL (3.9) before Turin,
 * spl4..spl7 (3.4..3.7) on Turin.  One that is present with a non-zero
 * value claims a TCB part the product does not have: refused.
 */
static void check_undefined_spls(struct vctx *c)
{
	bool turin = c->rep.product == VHSM_PRODUCT_TURIN;
	int n, first = turin ? 4 : 9, last = turin ? 7 : 9;
	int64_t v;

	if (c->rep.product == VHSM_PRODUCT_UNKNOWN)
		return;
	for (n = first; n <= last; n++)
		if (spl(c, n, &v) == 0 && v != 0)
			_vhsm_fail(c, VHSM_CHECK_TCB,
				   "%s carries SPL extension 3.%d = %" PRId64
				   ", which %s does not define", _vhsm_vek_name(c), n, v,
				   vhsm_report_product_name(c->rep.product));
}

void _vhsm_check_tcb(struct vctx *c)
{
	const struct vhsm_tcb *t = &c->rep.reported_tcb;

	_vhsm_ran(c, VHSM_CHECK_TCB);
	if (t->turin)
		check_spl(c, 9, "fmcSPL", "fmc", t->fmc);
	check_spl(c, 1, "blSPL", "bl", t->bl);
	check_spl(c, 2, "teeSPL", "tee", t->tee);
	check_spl(c, 3, "snpSPL", "snp", t->snp);
	check_spl(c, 8, "ucodeSPL", "ucode", t->ucode);
	if (!t->turin)
		check_reserved_spls(c);
	check_reserved_bytes(c);
	check_undefined_spls(c);
}

static bool zero_bytes(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

void _vhsm_check_hwid(struct vctx *c)
{
	const struct vek_info *vi = &c->info;
	const uint8_t *chip = c->rep.chip_id;

	if (vi->is_vlek || !vi->has_hwid)
		return;
	_vhsm_ran(c, VHSM_CHECK_HWID);
	if (zero_bytes(chip, 64)) {
		_vhsm_fail(c, VHSM_CHECK_HWID, "report CHIP_ID is masked (all zero)");
		return;
	}
	if (vi->hwid_len == 64 && !memcmp(vi->hwid, chip, 64))
		return;
	if (vi->hwid_len == 8 && c->rep.product == VHSM_PRODUCT_TURIN &&
	    !memcmp(vi->hwid, chip, 8) && zero_bytes(chip + 8, 56))
		return;
	_vhsm_fail(c, VHSM_CHECK_HWID, "VCEK hwID (%zu bytes) does not match report CHIP_ID",
		   vi->hwid_len);
}
