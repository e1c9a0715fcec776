// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhsm-kbs: the embedded attestation and provisioning service of vhsm,
 * speaking Trustee's KBS protocol (0.4.0) to vhsm-tool provision and to
 * guest-components.
 *
 *   vhsm-kbs --state DIR resource put REPO/TYPE/TAG FILE
 *   vhsm-kbs --state DIR resource delete REPO/TYPE/TAG
 *   vhsm-kbs --state DIR resource list
 *   vhsm-kbs --state DIR policy set FILE
 *   vhsm-kbs --state DIR serve --listen ADDR:PORT [--tls-cert F --tls-key F]
 *            [--certs DIR] [--roots FILE] [--crl FILE] [--no-check-time]
 *            [--token-pubkey FILE] [--session-ttl S] [--token-ttl S]
 *            [--max-sessions N] [--threads N] [--port-file FILE]
 *
 * Exit codes as vhsm-tool's: 0 ok, 1 error, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kbs.h"

static const char usage_text[] =
	"usage: vhsm-kbs --state DIR COMMAND [ARGS]\n"
	"  resource put REPO/TYPE/TAG FILE   store a resource (FILE '-' = stdin; at most 64 KiB)\n"
	"  resource delete REPO/TYPE/TAG\n"
	"  resource list\n"
	"  policy set FILE                   the verifier's JSON policy (see vhsm-tool(1))\n"
	"  serve --listen ADDR:PORT [--tls-cert FILE --tls-key FILE] [--certs DIR]\n"
	"        [--roots FILE] [--crl FILE] [--no-check-time] [--token-pubkey FILE]\n"
	"        [--session-ttl SEC] [--token-ttl SEC] [--max-sessions N] [--threads N]\n"
	"        [--port-file FILE]\n"
	"Plain HTTP is served only on loopback addresses; any other needs TLS.\n"
	"Exit codes: 0 ok, 1 error, 2 usage.\n";

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vhsm-kbs: %s\n", msg);
	fputs(usage_text, stderr);
	return KBS_USAGE;
}

static int print_path(void *arg, const char *path)
{
	(void)arg;
	return printf("%s\n", path) < 0 ? -EIO : 0;
}

static int resource_cmd(int dirfd, int argc, char **argv)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	if (argc < 1)
		return usage("resource: say put, delete or list");
	if (!strcmp(argv[0], "list")) {
		if (argc != 1)
			return usage("resource list takes no arguments");
		err = kbs_resource_list(dirfd, print_path, NULL);
		if (err && err != -ENOENT) {
			fprintf(stderr, "vhsm-kbs: resource list: %s\n", strerror(-err));
			return KBS_ERROR;
		}
		return fflush(stdout) ? KBS_ERROR : KBS_OK;
	}
	if (!strcmp(argv[0], "put") || !strcmp(argv[0], "delete")) {
		bool put = argv[0][0] == 'p';

		if (argc != (put ? 3 : 2))
			return usage(put ? "resource put REPO/TYPE/TAG FILE" :
				     "resource delete REPO/TYPE/TAG");
		if (!kbs_resource_path_ok(argv[1])) {
			fprintf(stderr, "vhsm-kbs: resource path '%s' must be REPO/TYPE/TAG, each "
				"part of [A-Za-z0-9._-] not starting with '.'\n", argv[1]);
			return KBS_USAGE;
		}
		if (!put) {
			err = kbs_resource_delete(dirfd, argv[1]);
			if (err)
				fprintf(stderr, "vhsm-kbs: resource delete %s: %s\n", argv[1],
					err == -ENOENT ? "no such resource" : strerror(-err));
			return err ? KBS_ERROR : KBS_OK;
		}
		err = kbs_read_file(argv[2], KBS_MAX_RESOURCE, &buf, &len);
		if (err) {
			fprintf(stderr, "vhsm-kbs: cannot read %s: %s\n", argv[2],
				err == -EFBIG ? "larger than 64 KiB" : strerror(-err));
			return KBS_ERROR;
		}
		err = kbs_resource_put(dirfd, argv[1], buf, len);
		OPENSSL_cleanse(buf, len);
		free(buf);
		if (err) {
			fprintf(stderr, "vhsm-kbs: resource put %s: %s\n", argv[1], strerror(-err));
			return KBS_ERROR;
		}
		return KBS_OK;
	}
	return usage("resource: say put, delete or list");
}

static int policy_cmd(int dirfd, int argc, char **argv)
{
	char *msg = NULL;
	uint8_t *buf;
	size_t len;
	int err;

	if (argc != 2 || strcmp(argv[0], "set"))
		return usage("policy set FILE");
	err = kbs_read_file(argv[1], 1 << 20, &buf, &len);
	if (err) {
		fprintf(stderr, "vhsm-kbs: cannot read %s: %s\n", argv[1], strerror(-err));
		return KBS_ERROR;
	}
	err = kbs_policy_set(dirfd, (char *)buf, len, &msg);
	free(buf);
	if (err == -EINVAL) {
		fprintf(stderr, "vhsm-kbs: %s is not a valid policy: %s (the keys are those "
			"vhsm-tool report verify --policy accepts); the stored policy is "
			"unchanged\n", argv[1], msg ? msg : "it holds a NUL byte");
		free(msg);
		return KBS_ERROR;
	}
	free(msg);
	if (err) {
		fprintf(stderr, "vhsm-kbs: policy set: %s\n", strerror(-err));
		return KBS_ERROR;
	}
	return KBS_OK;
}

static int num_arg(const char *s, unsigned int lo, unsigned int hi, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

struct serve_files {
	uint8_t *roots, *crl;
	size_t roots_len, crl_len;
};

static int serve_parse(int argc, char **argv, struct kbs_serve_opts *o,
		       const char **roots, const char **crl)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "certs", required_argument, NULL, 'c' },
		{ "cache", required_argument, NULL, 'c' },
		{ "roots", required_argument, NULL, 'R' },
		{ "crl", required_argument, NULL, 'r' },
		{ "no-check-time", no_argument, NULL, 'T' },
		{ "token-pubkey", required_argument, NULL, 'P' },
		{ "session-ttl", required_argument, NULL, 's' },
		{ "token-ttl", required_argument, NULL, 't' },
		{ "max-sessions", required_argument, NULL, 'm' },
		{ "threads", required_argument, NULL, 'n' },
		{ "port-file", required_argument, NULL, 'p' },
		{ 0 }
	};
	int c, bad = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 'C': o->tls_cert = optarg; break;
		case 'K': o->tls_key = optarg; break;
		case 'c': o->verify.cache_dir = optarg; break;
		case 'R': *roots = optarg; break;
		case 'r': *crl = optarg; break;
		case 'T': o->verify.flags |= VHSM_VERIFY_NO_CHECK_TIME; break;
		case 'P': o->token_pubkey = optarg; break;
		case 's': bad |= num_arg(optarg, 1, 86400, &o->session_ttl); break;
		case 't': bad |= num_arg(optarg, 1, 86400, &o->token_ttl); break;
		case 'm': bad |= num_arg(optarg, 1, 1000000, &o->max_sessions); break;
		case 'n': bad |= num_arg(optarg, 1, 64, &o->threads); break;
		case 'p': o->port_file = optarg; break;
		default: return usage(NULL);
		}
	}
	if (bad)
		return usage("serve: a number is out of range (ttl 1..86400 s, sessions "
			     "1..1000000, threads 1..64)");
	if (optind != argc)
		return usage("serve: unexpected argument");
	if (!o->tls_cert != !o->tls_key)
		return usage("serve: --tls-cert and --tls-key go together");
	return KBS_OK;
}

static int serve_cmd(int dirfd, int argc, char **argv)
{
	struct kbs_serve_opts o = {
		.listen = "127.0.0.1:8080", .session_ttl = 300, .token_ttl = 300,
		.max_sessions = 65536, .threads = 4, .verify = VHSM_VERIFY_OPTS_INIT,
	};
	struct serve_files f = { 0 };
	const char *roots = NULL, *crl = NULL;
	int rc = serve_parse(argc, argv, &o, &roots, &crl), err = 0;

	if (rc)
		return rc;
	if (roots && (err = kbs_read_file(roots, 1 << 20, &f.roots, &f.roots_len)))
		fprintf(stderr, "vhsm-kbs: --roots %s: %s\n", roots, strerror(-err));
	else if (crl && (err = kbs_read_file(crl, 1 << 20, &f.crl, &f.crl_len)))
		fprintf(stderr, "vhsm-kbs: --crl %s: %s\n", crl, strerror(-err));
	if (!err) {
		o.verify.roots = f.roots;
		o.verify.roots_len = f.roots_len;
		o.verify.crl = f.crl;
		o.verify.crl_len = f.crl_len;
		rc = kbs_serve(dirfd, &o);
	}
	free(f.roots);
	free(f.crl);
	return err ? KBS_ERROR : rc;
}

int main(int argc, char **argv)
{
	const char *state = NULL;
	int i = 1, dirfd, err, rc;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return KBS_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("vhsm-kbs %s\n", VHSM_TOOL_VERSION);
		return KBS_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "--state")) {
		state = argv[2];
		i = 3;
	} else if (argc > 1 && !strncmp(argv[1], "--state=", 8)) {
		state = argv[1] + 8;
		i = 2;
	}
	if (!state || !*state)
		return usage("give the state directory with --state DIR");
	if (i >= argc)
		return usage("no command");
	err = kbs_state_open(state, &dirfd);
	if (err) {
		fprintf(stderr, "vhsm-kbs: state directory %s: %s\n", state, strerror(-err));
		return KBS_ERROR;
	}
	if (!strcmp(argv[i], "resource"))
		rc = resource_cmd(dirfd, argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "policy"))
		rc = policy_cmd(dirfd, argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "serve"))
		rc = serve_cmd(dirfd, argc - i, argv + i);
	else
		rc = usage("unknown command (resource, policy, serve)");
	close(dirfd);
	return rc;
}
