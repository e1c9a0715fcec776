// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers every subcommand shares: error messages, exit codes, opening the
 * device, key arguments, reading input and writing output.
 */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <vhsm/vhsm.h>

#include "subcommands.h"

/* the last message tool_err() printed, for a command's --json error object */
static char last_error[1024];

void tool_err(const struct tool_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", ctx->prog, last_error);
}

const char *tool_last_error(void)
{
	return last_error;
}

int tool_rc_from_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return TOOL_OK;
	case EACCES:
	case EPERM:
	case EKEYREJECTED:
		return TOOL_REFUSED;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return TOOL_NODEV;
	default:
		return TOOL_ERROR;
	}
}

int tool_open(const struct tool_ctx *ctx, struct vhsm **h)
{
	const char *env = getenv("VHSM_DEVICE");
	const char *typed = ctx->device ? ctx->device : env && *env ? env : NULL;
	const char *how = ctx->device ? "--device" : "VHSM_DEVICE";
	int ret = vhsm_open(h, ctx->device);

	if (!ret)
		return TOOL_OK;
	/* a path the user typed: say what is wrong with it, not the module */
	if (typed && ret == -ENOENT)
		tool_err(ctx, "cannot open %s %s: no such file (check the path; the default is %s)",
			 how, typed, VHSM_DEVICE_PATH);
	else if (typed)
		tool_err(ctx, "cannot open %s %s: %s", how, typed, strerror(-ret));
	else
		tool_err(ctx, "cannot open the vhsm device: %s", vhsm_strerror(ret));
	return tool_rc_from_errno(ret);
}

/* which input already took stdin, for tool_claim_stdin() */
static const char *stdin_owner;

int tool_claim_stdin(const struct tool_ctx *ctx, const char *cmd,
		     const char *what)
{
	if (stdin_owner) {
		tool_err(ctx, "%s: %s and %s cannot both be read from stdin ('-'): give one of them as a file",
			 cmd, stdin_owner, what);
		return TOOL_USAGE;
	}
	stdin_owner = what;
	return TOOL_OK;
}

int tool_close_stdout(const struct tool_ctx *ctx)
{
	/* buffered output that failed (a full disk, a closed pipe) fails the command */
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		tool_err(ctx, "cannot write to stdout: %s", strerror(errno ? errno : EIO));
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

/*
 * Exit code of a failed key store call, once the device is open: -ENOENT
 * there is a missing key (1), not a missing device (4); -EBADMSG is a failed
 * authentication (3, like a bad signature).
 */
int tool_key_rc(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return TOOL_OK;
	case ENOENT:
		return TOOL_ERROR;
	case EBADMSG:
		return TOOL_REFUSED;
	default:
		return tool_rc_from_errno(err);
	}
}

int tool_key_fail(const struct tool_ctx *ctx, const char *cmd, const char *key,
		  int err)
{
	if (key)
		tool_err(ctx, "%s: key '%s': %s", cmd, key, vhsm_key_strerror(err));
	else
		tool_err(ctx, "%s: %s", cmd, vhsm_key_strerror(err));
	return tool_key_rc(err);
}

int tool_check_key_arg(const struct tool_ctx *ctx, const char *cmd,
		       const char *key)
{
	uint32_t handle;

	if (key[0] == '#' ? vhsm_key_handle_parse(key, &handle) :
	    vhsm_key_label_check(key)) {
		tool_err(ctx, "%s: '%s' is not a key: give a label (up to %d of A-Z a-z 0-9 . _ : @ / + = -) or a handle written #N",
			 cmd, key, VHSM_LABEL_MAX - 1);
		return TOOL_USAGE;
	}
	return TOOL_OK;
}

int tool_key_operands(const struct tool_ctx *ctx, const char *cmd,
		      const char *help, int argc, char **argv, int npos,
		      const char **pos, const char *too_many)
{
	int i;

	if (argc - optind != npos) {
		tool_err(ctx, "%s: %s", cmd, argc - optind < npos ?
			 "missing KEY" : too_many);
		fprintf(stderr, "usage: %s %s", ctx->prog, help);
		return TOOL_USAGE;
	}
	for (i = 0; i < npos; i++) {
		pos[i] = argv[optind + i];
		if (tool_check_key_arg(ctx, cmd, pos[i]))
			return TOOL_USAGE;
	}
	return TOOL_OK;
}

int tool_resolve_key(const struct tool_ctx *ctx, const char *cmd,
		     struct vhsm *h, const char *key, uint32_t *handle)
{
	int ret = vhsm_key_resolve(h, key, handle);

	return ret ? tool_key_fail(ctx, cmd, key, ret) : TOOL_OK;
}

int tool_parse_mode(const char *s, uint32_t *mode)
{
	uint32_t v = 0;
	size_t i;

	if (!s[0] || strlen(s) > 4)
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		v = v * 8 + (uint32_t)(s[i] - '0');
	}
	if (v > VHSM_MODE_MASK)
		return -EINVAL;
	*mode = v;
	return 0;
}

int tool_parse_u64(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || end == s || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int tool_data_limit(const struct tool_ctx *ctx, const char *cmd,
		    struct vhsm *h, size_t *max)
{
	struct vhsm_info info;
	int ret = vhsm_info(h, &info);

	if (ret) {
		tool_err(ctx, "%s: %s", cmd, vhsm_strerror(ret));
		return tool_rc_from_errno(ret);
	}
	*max = info.limits.max_data_len ? info.limits.max_data_len :
	       TOOL_DEFAULT_DATA_MAX;
	return TOOL_OK;
}

static bool is_std(const char *path)
{
	return !path || !strcmp(path, "-");
}

void tool_free_secret(void *p, size_t len)
{
	if (p)
		explicit_bzero(p, len);
	free(p);
}

int tool_read_input(const struct tool_ctx *ctx, const char *cmd,
		    const char *what, const char *path, size_t max,
		    const char *too_big_hint, uint8_t **out, size_t *out_len)
{
	size_t cap = max < 4096 ? max + 1 : 4096, len = 0, ncap;
	uint8_t *buf, *nbuf;
	int fd = STDIN_FILENO;
	ssize_t n;

	*out = NULL;
	*out_len = 0;
	if (is_std(path) && tool_claim_stdin(ctx, cmd, what))
		return TOOL_USAGE;
	if (!is_std(path)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			tool_err(ctx, "%s: cannot open %s '%s': %s", cmd, what,
				 path, strerror(errno));
			return TOOL_ERROR;
		}
	}
	buf = malloc(cap);
	if (!buf)
		goto err_nomem;
	for (;;) {
		if (len == cap) {
			if (cap > max)
				break;	/* read max + 1 bytes: too big */
			ncap = cap > max / 2 ? max + 1 : cap * 2;
			/* no realloc: it would leave a copy of secrets behind */
			nbuf = malloc(ncap);
			if (!nbuf)
				goto err_nomem;
			memcpy(nbuf, buf, len);
			tool_free_secret(buf, cap);
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_err(ctx, "%s: cannot read %s '%s': %s", cmd, what,
				 is_std(path) ? "-" : path, strerror(errno));
			goto err;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		tool_err(ctx, "%s: %s '%s' is larger than %zu bytes%s%s", cmd,
			 what, is_std(path) ? "-" : path, max,
			 too_big_hint ? ": " : "", too_big_hint ? too_big_hint : "");
		goto err;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*out = buf;
	*out_len = len;
	return TOOL_OK;

err_nomem:
	tool_err(ctx, "%s: out of memory", cmd);
err:
	tool_free_secret(buf, cap);
	if (fd != STDIN_FILENO)
		close(fd);
	return TOOL_ERROR;
}

int tool_refuse_tty(const struct tool_ctx *ctx, const char *cmd,
		    const char *path)
{
	if (is_std(path) && isatty(STDOUT_FILENO)) {
		tool_err(ctx, "%s: not writing binary output to a terminal: use -o FILE or redirect stdout",
			 cmd);
		return TOOL_USAGE;
	}
	return TOOL_OK;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int tool_write_output(const struct tool_ctx *ctx, const char *cmd,
		      const char *path, const void *buf, size_t len)
{
	int fd = STDOUT_FILENO, ret;

	if (!is_std(path)) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			tool_err(ctx, "%s: cannot create '%s': %s", cmd, path,
				 strerror(errno));
			return TOOL_ERROR;
		}
	} else {
		fflush(stdout);
	}
	ret = write_all(fd, buf, len);
	if (fd != STDOUT_FILENO && close(fd) && !ret)
		ret = -errno;
	if (ret) {
		tool_err(ctx, "%s: cannot write '%s': %s", cmd,
			 is_std(path) ? "-" : path, strerror(-ret));
		if (!is_std(path))
			unlink(path);	/* no partial output left behind */
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int tool_print_json(const struct tool_ctx *ctx, json_t *doc)
{
	int ret;

	if (!doc) {
		tool_err(ctx, "out of memory");
		return TOOL_ERROR;
	}
	ret = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	if (ret || putchar('\n') == EOF || fflush(stdout)) {
		tool_err(ctx, "cannot write JSON to stdout");
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int tool_parse_json_help(struct tool_ctx *ctx, int argc, char **argv,
			 void (*usage)(const struct tool_ctx *ctx, FILE *out))
{
	return tool_parse_opts(ctx, argc, argv, NULL, 0, usage);
}
