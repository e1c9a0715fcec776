// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-testca: a test stand-in for AMD's key distribution service.
 *
 *   vhsm-testca init DIR [--product P] [--bits N] [--force]
 *   vhsm-testca vcek DIR --pubkey FILE --hwid HEX --tcb HEX16 [options] -o FILE
 *   vhsm-testca vlek DIR --pubkey FILE --tcb HEX16 [--csp-id STR] [options] -o FILE
 *   vhsm-testca crl  DIR [--revoke SERIAL]... [--days N] [--pem] -o FILE
 *   vhsm-testca report --key FILE --tcb HEX16 [--hwid HEX] [options] -o FILE
 *   vhsm-testca certtable [--vcek F] [--vlek F] [--ask F] [--ark F] -o FILE
 *
 * The certificates it makes are signed by a locally generated ARK, never by
 * AMD: use them with a custom trust set (vhsm-tool report verify --roots).
 * Exit codes: 0 ok, 1 error, 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "testca.h"

#define PROG "vhsm-testca"
#define TESTCA_MAX_INPUT (1 << 20)
#define MAX_REVOKE 64

enum { RC_OK = 0, RC_ERROR = 1, RC_USAGE = 2 };

/* "vhsm-testca: MESSAGE" on a line of stderr. */
__attribute__((format(printf, 1, 0)))
static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 1, 2)))
static void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: " PROG " init DIR [--product Milan|Genoa|Turin] [--bits N] [--force]\n"
"         create an ARK, an ASK and an ASVK (RSA-4096, RSA-PSS/SHA-384) in DIR:\n"
"         ark.pem ask.pem asvk.pem, *.key (0600), cert_chain.pem (ASK, ARK),\n"
"         vlek_cert_chain.pem (ASVK, ARK), roots.pem (ARK, ASK, ASVK)\n"
"       " PROG " vcek DIR --pubkey FILE --hwid HEX --tcb HEX16 [--product P]\n"
"         [--product-name NAME] [--serial N] [--days N] [--backdate N] [--pem] -o FILE\n"
"         issue a VCEK for a P-384 key, signed by the ASK\n"
"       " PROG " vlek DIR --pubkey FILE --tcb HEX16 [--csp-id STR] [--product P]\n"
"         [--product-name NAME] [--serial N] [--days N] [--backdate N] [--pem] -o FILE\n"
"         issue a VLEK, signed by the ASVK\n"
"       " PROG " crl DIR [--revoke SERIAL]... [--days N] [--pem] -o FILE\n"
"         a CRL signed by the ARK\n"
"       " PROG " report --key FILE --tcb HEX16 [--hwid HEX] [--product P] [--vlek]\n"
"         [--version N] [--vmpl N] [--policy HEX] [--report-data HEX]\n"
"         [--measurement HEX] [--host-data HEX] -o FILE\n"
"         a synthetic ATTESTATION_REPORT signed with a P-384 private key\n"
"       " PROG " certtable [--vcek F] [--vlek F] [--ask F] [--ark F] -o FILE\n"
"         the host's certificate table (GHCB GUID table) holding these (DER)\n"
"\n"
"--pubkey: PEM/DER SubjectPublicKeyInfo, a PEM private key, or SEC1 point hex.\n"
"--tcb: the TCB_VERSION u64 in hex (byte 0 least significant); Milan/Genoa\n"
"  layout [bl,tee,0,0,0,0,snp,ucode], Turin [fmc,bl,tee,snp,0,0,0,ucode].\n"
"--hwid: CHIP_ID hex, 64 bytes (8 on Turin).  -o - writes to stdout; a FILE\n"
"  ending in .pem, or --pem, selects PEM.  These certificates are NOT AMD's.\n"
"exit codes: 0 ok, 1 error, 2 usage\n");
}

__attribute__((format(printf, 1, 2)))
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "(try '" PROG " --help')\n");
	return RC_USAGE;
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	unsigned char *p = NULL, *q;
	int err = 0;

	*buf = NULL;
	if (!f) {
		err_msg("cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	for (;;) {
		size_t got;

		if (!p || n == cap) {
			if (p)
				cap *= 2;
			if (cap > TESTCA_MAX_INPUT + 1) {
				err_msg("%s is larger than %d bytes", path, TESTCA_MAX_INPUT);
				err = -EFBIG;
				break;
			}
			q = realloc(p, cap + 1);
			if (!q) {
				err = -ENOMEM;
				break;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				err_msg("cannot read %s", path);
				err = -EIO;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (err) {
		free(p);
		return err;
	}
	p[n] = 0;
	*buf = p;
	*len = n;
	return 0;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* HEX16: up to 16 hex digits, optional 0x. */
static bool parse_tcb(const char *s, uint64_t *out)
{
	size_t n;
	char *end;

	if (!strncasecmp(s, "0x", 2))
		s += 2;
	n = strlen(s);
	if (!n || n > 16 || strspn(s, "0123456789abcdefABCDEF") != n)
		return false;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return !errno && !*end;
}

/* Exactly-even hex string into out (at most max bytes). */
static bool parse_hex(const char *s, uint8_t *out, size_t max, size_t *n)
{
	size_t len, i;

	if (!strncasecmp(s, "0x", 2))
		s += 2;
	len = strlen(s);
	if (!len || len % 2 || len / 2 > max)
		return false;
	for (i = 0; i < len / 2; i++) {
		int hi = testca_hex_val((unsigned char)s[2 * i]);
		int lo = testca_hex_val((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*n = len / 2;
	return true;
}

static bool ends_with(const char *s, const char *sfx)
{
	size_t a = strlen(s), b = strlen(sfx);

	return a >= b && !strcasecmp(s + a - b, sfx);
}

/*
 * Options more than one command takes. Each is false, with a usage message,
 * when the argument is bad.
 */

/* --product P; with @stepping a "-<stepping>" suffix is allowed. */
static bool opt_product(const char *arg, bool stepping, enum testca_product *p)
{
	*p = testca_product_parse(arg);
	if (*p && (stepping || !strchr(arg, '-')))
		return true;
	usage_err("--product: '%s' is not Milan, Genoa or Turin", arg);
	return false;
}

/* --days N, 1..36500. */
static bool opt_days(const char *arg, uint64_t *days)
{
	if (parse_u64(arg, 36500, days) && *days)
		return true;
	usage_err("--days: '%s' is not a number in 1..36500", arg);
	return false;
}

/* --tcb HEX16. */
static bool opt_tcb(const char *arg, uint64_t *tcb)
{
	if (parse_tcb(arg, tcb))
		return true;
	usage_err("--tcb: '%s' is not a hex u64 (up to 16 digits)", arg);
	return false;
}

/* --hwid HEX: 8 or 64 bytes into @hwid. */
static bool opt_hwid(const char *arg, uint8_t hwid[64], size_t *n)
{
	if (parse_hex(arg, hwid, 64, n) && (*n == 8 || *n == 64))
		return true;
	usage_err("--hwid: '%s' is not 8 or 64 bytes of hex", arg);
	return false;
}

/* -o FILE and --pem, taken by vcek, vlek and crl. */
struct out_opts {
	const char *path;
	bool pem;
};

/* Take option C if it is -o or --pem; false if not. */
static bool out_opt(struct out_opts *o, int c, const char *arg)
{
	if (c == 'P')
		o->pem = true;
	else if (c == 'o')
		o->path = arg;
	else
		return false;
	return true;
}

/* PEM if --pem was given or the file name ends in .pem. */
static bool out_pem(const struct out_opts *o)
{
	return o->pem || ends_with(o->path, ".pem");
}

/* ---- init ---- */

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "product", required_argument, NULL, 'p' },
		{ "bits", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	enum testca_product prod = TESTCA_MILAN;
	struct testca ca;
	bool force = false;
	uint64_t bits = TESTCA_DEFAULT_BITS;
	int c, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!opt_product(optarg, false, &prod))
				return RC_USAGE;
			break;
		case 'b':
			if (!parse_u64(optarg, 16384, &bits) || bits < 2048)
				return usage_err("--bits: '%s' is not a number in 2048..16384", optarg);
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			usage(stdout);
			return RC_OK;
		default:
			return usage_err("%s", "init: bad option");
		}
	}
	if (optind + 1 != argc)
		return usage_err("%s", "init: give exactly one DIR");
	err = testca_create(&ca, prod, (int)bits);
	if (!err)
		err = testca_save(&ca, argv[optind], force);
	testca_free(&ca);
	if (err) {
		err_msg("init: %s", testca_errmsg());
		return RC_ERROR;
	}
	return RC_OK;
}

/* ---- vcek / vlek ---- */

static int cmd_vek(int argc, char **argv, bool vlek)
{
	static const struct option opts[] = {
		{ "pubkey", required_argument, NULL, 'k' },
		{ "hwid", required_argument, NULL, 'w' },
		{ "tcb", required_argument, NULL, 't' },
		{ "product", required_argument, NULL, 'p' },
		{ "product-name", required_argument, NULL, 'n' },
		{ "csp-id", required_argument, NULL, 'c' },
		{ "serial", required_argument, NULL, 's' },
		{ "days", required_argument, NULL, 'd' },
		{ "backdate", required_argument, NULL, 'B' },
		{ "pem", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *name = vlek ? "vlek" : "vcek";
	const char *pubkey = NULL, *hwid_s = NULL, *tcb_s = NULL;
	struct out_opts out = { 0 };
	struct testca_vek_req req = { .vlek = vlek };
	uint8_t hwid[64];
	uint64_t v;
	unsigned char *kbuf = NULL;
	size_t klen, hlen = 0;
	struct testca ca;
	X509 *x = NULL;
	int c, err, rc = RC_ERROR;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			pubkey = optarg;
			break;
		case 'w':
			if (vlek)
				return usage_err("%s", "vlek: a VLEK has no hwID (--hwid)");
			hwid_s = optarg;
			break;
		case 't':
			tcb_s = optarg;
			break;
		case 'p':
			if (!opt_product(optarg, true, &req.product))
				return RC_USAGE;
			if (strchr(optarg, '-'))
				req.product_name = optarg;
			break;
		case 'n':
			req.product_name = optarg;
			break;
		case 'c':
			if (!vlek)
				return usage_err("%s", "vcek: --csp-id is for VLEKs");
			req.csp_id = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, UINT64_MAX >> 1, &req.serial) || !req.serial)
				return usage_err("--serial: '%s' is not a positive 63-bit number", optarg);
			break;
		case 'd':
			if (!opt_days(optarg, &v))
				return RC_USAGE;
			req.days = (long)v;
			break;
		case 'B':
			if (!parse_u64(optarg, 36500, &v))
				return usage_err("--backdate: '%s' is not a number in 0..36500", optarg);
			req.backdate = (long)v;
			break;
		case 'h':
			usage(stdout);
			return RC_OK;
		default:
			if (!out_opt(&out, c, optarg))
				return usage_err("%s: bad option", name);
			break;
		}
	}
	if (optind + 1 != argc)
		return usage_err("%s: give exactly one CA DIR", name);
	if (!pubkey || !tcb_s || !out.path || (!vlek && !hwid_s))
		return usage_err("%s: --pubkey,%s --tcb and -o are required", name,
				 vlek ? "" : " --hwid,");
	if (!opt_tcb(tcb_s, &req.tcb))
		return RC_USAGE;
	if (hwid_s) {
		if (!opt_hwid(hwid_s, hwid, &hlen))
			return RC_USAGE;
		req.hwid = hwid;
		req.hwid_len = hlen;
	}

	err = testca_load(&ca, argv[optind]);
	if (err) {
		err_msg("%s: %s", name, testca_errmsg());
		return RC_ERROR;
	}
	if (read_file(pubkey, &kbuf, &klen))
		goto out;
	err = testca_load_pubkey(kbuf, klen, &req.pubkey);
	if (err) {
		err_msg("%s: %s: %s", name, pubkey, testca_errmsg());
		goto out;
	}
	err = testca_issue_vek(&ca, &req, &x);
	if (!err)
		err = testca_write_cert(x, out.path, out_pem(&out));
	if (err) {
		err_msg("%s: %s", name, testca_errmsg());
		goto out;
	}
	rc = RC_OK;
out:
	X509_free(x);
	EVP_PKEY_free(req.pubkey);
	free(kbuf);
	testca_free(&ca);
	return rc;
}

/* ---- crl ---- */

static int write_blob(const char *path, const void *p, size_t n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	size_t w;

	if (!f) {
		err_msg("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	w = fwrite(p, 1, n, f);
	if ((f == stdout ? fflush(f) : fclose(f)) || w != n) {
		err_msg("cannot write %s", path);
		return -1;
	}
	return 0;
}

static int cmd_crl(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "revoke", required_argument, NULL, 'r' },
		{ "days", required_argument, NULL, 'd' },
		{ "pem", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t serials[MAX_REVOKE], days = 30;
	struct out_opts out = { 0 };
	unsigned char *der = NULL;
	struct testca ca;
	size_t n = 0;
	int c, len = 0, rc = RC_ERROR;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (n == MAX_REVOKE)
				return usage_err("%s", "crl: too many --revoke");
			if (!parse_u64(optarg, UINT64_MAX, &serials[n]))
				return usage_err("--revoke: '%s' is not a serial number", optarg);
			n++;
			break;
		case 'd':
			if (!opt_days(optarg, &days))
				return RC_USAGE;
			break;
		case 'h':
			usage(stdout);
			return RC_OK;
		default:
			if (!out_opt(&out, c, optarg))
				return usage_err("%s", "crl: bad option");
			break;
		}
	}
	if (optind + 1 != argc || !out.path)
		return usage_err("%s", "crl: give one CA DIR and -o FILE");
	if (testca_load(&ca, argv[optind])) {
		err_msg("crl: %s", testca_errmsg());
		return RC_ERROR;
	}
	if (testca_make_crl(&ca, serials, n, (long)days, &der, &len)) {
		err_msg("crl: %s", testca_errmsg());
		goto out;
	}
	if (out_pem(&out)) {
		const unsigned char *p = der;
		X509_CRL *crl = d2i_X509_CRL(NULL, &p, len);
		BIO *bio = BIO_new(BIO_s_mem());
		char *data;
		long dlen;

		if (!crl || !bio || PEM_write_bio_X509_CRL(bio, crl) != 1) {
			X509_CRL_free(crl);
			BIO_free(bio);
			err_msg("crl: out of memory");
			goto out;
		}
		dlen = BIO_get_mem_data(bio, &data);
		rc = write_blob(out.path, data, (size_t)dlen) ? RC_ERROR : RC_OK;
		X509_CRL_free(crl);
		BIO_free(bio);
	} else {
		rc = write_blob(out.path, der, (size_t)len) ? RC_ERROR : RC_OK;
	}
out:
	OPENSSL_free(der);
	testca_free(&ca);
	return rc;
}

/* ---- report ---- */

static void put_le32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "tcb", required_argument, NULL, 't' },
		{ "hwid", required_argument, NULL, 'w' },
		{ "product", required_argument, NULL, 'p' },
		{ "vlek", no_argument, NULL, 'L' },
		{ "version", required_argument, NULL, 'V' },
		{ "vmpl", required_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'y' },
		{ "report-data", required_argument, NULL, 'r' },
		{ "measurement", required_argument, NULL, 'M' },
		{ "host-data", required_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint8_t rep[TESTCA_REPORT_SIZE], tmp[64];
	enum testca_product prod = TESTCA_MILAN;
	const char *key = NULL, *out = NULL, *tcb_s = NULL;
	uint64_t version = 3, vmpl = 0, policy = 0x30000, tcb;
	unsigned char *kbuf = NULL;
	EVP_PKEY *pkey = NULL;
	bool vlek = false;
	size_t n, klen;
	int c, rc = RC_ERROR;

	memset(rep, 0, sizeof(rep));
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			key = optarg;
			break;
		case 't':
			tcb_s = optarg;
			break;
		case 'w':
			if (!opt_hwid(optarg, tmp, &n))
				return RC_USAGE;
			memcpy(rep + 0x1A0, tmp, n);
			break;
		case 'p':
			if (!opt_product(optarg, true, &prod))
				return RC_USAGE;
			break;
		case 'L':
			vlek = true;
			break;
		case 'V':
			if (!parse_u64(optarg, 5, &version) || version < 2)
				return usage_err("--version: '%s' is not 2..5", optarg);
			break;
		case 'm':
			if (!parse_u64(optarg, 3, &vmpl))
				return usage_err("--vmpl: '%s' is not 0..3", optarg);
			break;
		case 'y':
			if (!parse_u64(optarg, UINT64_MAX, &policy))
				return usage_err("--policy: '%s' is not a number", optarg);
			break;
		case 'r':
			if (!parse_hex(optarg, tmp, 64, &n))
				return usage_err("--report-data: '%s' is not up to 64 bytes of hex", optarg);
			memcpy(rep + 0x50, tmp, n);
			break;
		case 'M':
			if (!parse_hex(optarg, tmp, 48, &n) || n != 48)
				return usage_err("--measurement: '%s' is not 48 bytes of hex", optarg);
			memcpy(rep + 0x90, tmp, n);
			break;
		case 'H':
			if (!parse_hex(optarg, tmp, 32, &n) || n != 32)
				return usage_err("--host-data: '%s' is not 32 bytes of hex", optarg);
			memcpy(rep + 0xC0, tmp, n);
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return RC_OK;
		default:
			return usage_err("%s", "report: bad option");
		}
	}
	if (optind != argc || !key || !tcb_s || !out)
		return usage_err("%s", "report: --key, --tcb and -o are required");
	if (!opt_tcb(tcb_s, &tcb))
		return RC_USAGE;

	put_le32(rep + 0x00, (uint32_t)version);
	put_le64(rep + 0x08, policy);
	put_le32(rep + 0x30, (uint32_t)vmpl);
	put_le64(rep + 0x38, tcb);			/* CURRENT_TCB */
	put_le32(rep + 0x48, (vlek ? 1u : 0u) << 2);	/* SIGNING_KEY */
	put_le64(rep + 0x180, tcb);			/* REPORTED_TCB */
	if (version >= 3) {
		rep[0x188] = prod == TESTCA_TURIN ? 0x1A : 0x19;
		rep[0x189] = prod == TESTCA_TURIN ? 0x02 : prod == TESTCA_GENOA ? 0x11 : 0x01;
		rep[0x18A] = 0x01;
	}
	put_le64(rep + 0x1E0, tcb);			/* COMMITTED_TCB */
	rep[0x1E8] = 0;					/* CURRENT_BUILD */
	rep[0x1E9] = 55;				/* CURRENT_MINOR */
	rep[0x1EA] = 1;					/* CURRENT_MAJOR */
	rep[0x1EC] = 0;
	rep[0x1ED] = 55;
	rep[0x1EE] = 1;
	put_le64(rep + 0x1F0, tcb);			/* LAUNCH_TCB */

	if (read_file(key, &kbuf, &klen))
		goto out;
	if (testca_load_privkey(kbuf, klen, &pkey) || testca_sign_report(rep, pkey)) {
		err_msg("report: %s: %s", key, testca_errmsg());
		goto out;
	}
	rc = write_blob(out, rep, sizeof(rep)) ? RC_ERROR : RC_OK;
out:
	EVP_PKEY_free(pkey);
	if (kbuf)
		OPENSSL_cleanse(kbuf, klen);
	free(kbuf);
	return rc;
}

/* ---- certtable ---- */

/* GHCB certificate-table GUIDs (RFC 4122 byte order): VCEK, VLEK, ASK, ARK */
static const uint8_t table_guids[4][16] = {
	{ 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
	  0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd },
	{ 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
	  0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 },
	{ 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
	  0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 },
	{ 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
	  0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae },
};

static int cmd_certtable(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vcek", required_argument, NULL, 0 }, { "vlek", required_argument, NULL, 1 },
		{ "ask", required_argument, NULL, 2 }, { "ark", required_argument, NULL, 3 },
		{ "output", required_argument, NULL, 'o' }, { 0 }
	};
	const char *in[4] = { 0 }, *out = NULL;
	unsigned char *der[4] = { 0 }, *tab = NULL;
	size_t n = 0, off, total;
	int c, i, len[4] = { 0 }, rc = RC_ERROR;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c >= 0 && c < 4)
			in[c] = optarg;
		else if (c == 'o')
			out = optarg;
		else
			return usage_err("%s", "certtable: bad option");
	}
	if (optind != argc || !out)
		return usage_err("%s", "certtable: give certificates and -o FILE");
	for (i = 0; i < 4; i++) {
		unsigned char *buf = NULL;
		const unsigned char *p;
		size_t blen;
		X509 *x;
		BIO *bio;

		if (!in[i])
			continue;
		if (read_file(in[i], &buf, &blen))
			goto out;
		p = buf;
		if (blen > 10 && !memcmp(buf, "-----BEGIN", 10)) {
			bio = BIO_new_mem_buf(buf, (int)blen);
			x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
			BIO_free(bio);
		} else {
			x = d2i_X509(NULL, &p, (long)blen);
		}
		free(buf);
		len[i] = x ? i2d_X509(x, &der[i]) : -1;
		X509_free(x);
		if (len[i] <= 0) {
			err_msg("certtable: %s is not a certificate", in[i]);
			goto out;
		}
		n++;
	}
	off = (n + 1) * 24;
	total = off;
	for (i = 0; i < 4; i++)
		total += der[i] ? (size_t)len[i] : 0;
	tab = calloc(1, total);
	if (!tab)
		goto out;
	for (i = 0, n = 0; i < 4; i++) {
		if (!der[i])
			continue;
		memcpy(tab + 24 * n, table_guids[i], 16);
		put_le32(tab + 24 * n + 16, (uint32_t)off);
		put_le32(tab + 24 * n + 20, (uint32_t)len[i]);
		memcpy(tab + off, der[i], (size_t)len[i]);
		off += (size_t)len[i];
		n++;
	}
	rc = write_blob(out, tab, total) ? RC_ERROR : RC_OK;
out:
	for (i = 0; i < 4; i++)
		OPENSSL_free(der[i]);
	free(tab);
	return rc;
}

int main(int argc, char **argv)
{
	umask(0022);
	if (argc < 2) {
		usage(stderr);
		return RC_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return RC_OK;
	}
	if (!strcmp(argv[1], "init"))
		return cmd_init(argc - 1, argv + 1);
	if (!strcmp(argv[1], "vcek"))
		return cmd_vek(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "vlek"))
		return cmd_vek(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "crl"))
		return cmd_crl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "certtable"))
		return cmd_certtable(argc - 1, argv + 1);
	return usage_err("unknown command '%s'", argv[1]);
}
