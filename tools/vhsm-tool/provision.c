// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-tool provision: receive a key from a key broker (vhsm-kbs or a Trustee
 * KBS) into the module. The KBS client (libvhsm/kbs) runs the handshake; its
 * evidence callback opens a provisioning session in the kernel, which makes
 * the session key and binds nonce and key into the report; the resource JWE
 * goes back to the kernel unopened. This process only ever holds the nonce,
 * the public key, the evidence and ciphertext.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vhsm/kbs.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

#define CERTS_CAP	(16 * 1024)

static const char provision_help[] =
	"[--json] provision --kbs URL --resource REPO/TYPE/TAG --label LABEL --type TYPE\n"
	"                    [--usage LIST] [--mode OCTAL] [--cacert FILE]\n"
	"  Attest this VM to the key broker at URL (KBS protocol 0.4.0: vhsm-kbs or a\n"
	"  Trustee KBS), fetch the resource REPO/TYPE/TAG encrypted to a key that\n"
	"  exists only in the kernel, and store it as a new key; print its handle (#N).\n"
	"  The resource must be exactly as long as TYPE's key (secretN: N bytes).\n"
	"  URL    http://HOST:PORT (loopback or a test network) or https://...;\n"
	"         --cacert FILE: the CAs (PEM) to trust for HTTPS, default the system's\n"
	"  TYPE, LIST, OCTAL as for keygen.\n"
	"  Exit 3 when the broker refuses (attestation or policy) or the resource\n"
	"  does not open in the kernel.\n";

struct provision_args {
	const char *kbs;
	const char *resource;
	const char *cacert;
	const char *type;
	const char *label;
	const char *usage;
	const char *mode;
};

/* The evidence callback's state: the session the kernel opened. */
struct provision_ctx {
	struct vhsm *h;
	uint32_t session_id;
};

static int coord(const char *b64, uint8_t out[VHSM_KBS_P256_COORD_LEN])
{
	uint8_t *raw = NULL;
	size_t len = 0;
	int ret = vhsm_kbs_b64url_decode(b64, &raw, &len);

	if (!ret && len != VHSM_KBS_P256_COORD_LEN)
		ret = -EPROTO;
	if (!ret)
		memcpy(out, raw, len);
	free(raw);
	return ret;
}

/* The KBS client's evidence callback: a new session in the kernel. */
static int session_evidence(void *arg, const struct vhsm_kbs_challenge *ch,
			    struct vhsm_kbs_evidence *ev)
{
	struct provision_ctx *pc = arg;
	struct vhsm_session_info info;
	size_t report_len = sizeof(ev->report), certs_len = CERTS_CAP;
	uint8_t *certs;
	int ret;

	if (strcmp(ch->hash_alg, "sha384") || (ch->additional_evidence && *ch->additional_evidence))
		return -EOPNOTSUPP;
	certs = malloc(CERTS_CAP);
	if (!certs)
		return -ENOMEM;
	ret = vhsm_session_open(pc->h, ch->nonce, 0, 0, ev->report, &report_len, certs,
				&certs_len, &info, NULL);
	if (!ret)
		ret = coord(info.jwk_x, ev->x) ?: coord(info.jwk_y, ev->y);
	if (ret) {
		free(certs);
		return ret;
	}
	ev->report_len = report_len;
	if (certs_len) {
		ev->certs = certs;
		ev->certs_len = certs_len;
	} else {
		free(certs);
	}
	/* a second handshake (the client retries once on a 401) replaces the first */
	if (pc->session_id)
		vhsm_session_close(pc->h, pc->session_id);
	pc->session_id = info.id;
	return 0;
}

/* REPO/TYPE/TAG, each part from [A-Za-z0-9._-], not starting with '.'. */
static bool resource_ok(const char *path)
{
	int parts = 0;
	const char *p = path;

	while (*p) {
		size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

		if (!n || *p == '.' || (p[n] && p[n] != '/'))
			return false;
		parts++;
		p += n;
		if (*p == '/' && !*++p)
			return false;
	}
	return parts == 3;
}

static void provision_usage(const struct tool_ctx *ctx, FILE *out)
{
	fprintf(out, "usage: %s %s", ctx->prog, provision_help);
}

/* -1 to go on, else the exit code */
static int parse_args(struct tool_ctx *ctx, int argc, char **argv, struct provision_args *a)
{
	const struct tool_opt opts[] = {
		{ .name = "kbs", .str = &a->kbs },
		{ .name = "resource", .str = &a->resource },
		{ .name = "cacert", .str = &a->cacert },
		{ .name = "type", .str = &a->type },
		{ .name = "label", .str = &a->label },
		{ .name = "usage", .str = &a->usage },
		{ .name = "mode", .str = &a->mode },
	};
	int rc = tool_parse_opts(ctx, argc, argv, opts, TOOL_NOPTS(opts), provision_usage);

	if (rc >= 0)
		return rc;
	if (optind != argc) {
		tool_err(ctx, "provision: unexpected argument '%s'", argv[optind]);
		return TOOL_USAGE;
	}
	if (!a->kbs || !a->resource) {
		tool_err(ctx, "provision: missing %s", !a->kbs ? "--kbs URL" : "--resource REPO/TYPE/TAG");
		return TOOL_USAGE;
	}
	if (!resource_ok(a->resource)) {
		tool_err(ctx, "provision: bad --resource '%s': give REPO/TYPE/TAG, each from A-Z a-z 0-9 . _ - and not starting with '.'",
			 a->resource);
		return TOOL_USAGE;
	}
	return -1;
}

/* The broker's side failed: say what it said; refusals are exit 3. */
static int kbs_fail(const struct tool_ctx *ctx, const struct vhsm_kbs_client *c,
		    const char *url, int err)
{
	const char *msg = vhsm_kbs_errmsg(c);

	if (err == -EACCES || err == -ENOENT) {
		tool_err(ctx, "provision: %s refused: %s", url, *msg ? msg : vhsm_strerror(err));
		return err == -EACCES ? TOOL_REFUSED : TOOL_ERROR;
	}
	if (err == -EDQUOT) {
		tool_err(ctx, "provision: too many provisioning sessions open for this user; wait for them to expire (module parameter session_timeout) or raise max_sessions_per_user");
		return TOOL_ERROR;
	}
	tool_err(ctx, "provision: %s: %s", url, *msg ? msg : vhsm_strerror(err));
	return tool_rc_from_errno(err) == TOOL_NODEV ? TOOL_ERROR : tool_rc_from_errno(err);
}

static int import_fail(const struct tool_ctx *ctx, const struct provision_args *a, int err)
{
	if (err == -EBADMSG) {
		tool_err(ctx, "provision: the resource did not open in the kernel: not encrypted to this session's key, tampered with, or not the length of a --type %s key",
			 a->type);
		return TOOL_REFUSED;
	}
	if (err == -ENOENT) {
		tool_err(ctx, "provision: the provisioning session expired before the resource arrived (module parameter session_timeout)");
		return TOOL_ERROR;
	}
	return tool_key_fail(ctx, "provision", a->label, err);
}

int provision_main(struct tool_ctx *ctx, int argc, char **argv)
{
	struct provision_args a = { 0 };
	struct vhsm_key_attr attr;
	struct vhsm_kbs_config cfg = { 0 };
	struct vhsm_kbs_client *c = NULL;
	struct provision_ctx pc = { 0 };
	char *body = NULL;
	size_t len = 0;
	uint32_t handle;
	int rc, ret;

	rc = parse_args(ctx, argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = tool_key_attr(ctx, "provision", a.type, a.label, a.usage, a.mode, &attr);
	if (rc)
		return rc;
	cfg.url = a.kbs;
	cfg.cacert = a.cacert;
	ret = vhsm_kbs_client_new(&cfg, &c);
	if (ret) {
		tool_err(ctx, "provision: cannot use --kbs '%s'%s: %s", a.kbs,
			 a.cacert ? " with --cacert" : "", vhsm_strerror(ret));
		return ret == -EINVAL ? TOOL_USAGE : TOOL_ERROR;
	}
	rc = tool_open(ctx, &pc.h);
	if (rc)
		goto out_client;
	ret = vhsm_kbs_provision(c, session_evidence, &pc, a.resource, &body, &len);
	if (ret) {
		rc = kbs_fail(ctx, c, a.kbs, ret);
		if (pc.session_id)	/* wipe the session key now, not at expiry */
			vhsm_session_close(pc.h, pc.session_id);
		goto out;
	}
	ret = vhsm_session_import_resource(pc.h, pc.session_id, body, len, &attr, &handle);
	rc = ret ? import_fail(ctx, &a, ret) : tool_print_new_key(ctx, handle, &attr);
out:
	free(body);
	vhsm_close(pc.h);
out_client:
	vhsm_kbs_client_free(c);
	return rc;
}
