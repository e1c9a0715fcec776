/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VHSM_TOOL_SUBCOMMANDS_H
#define VHSM_TOOL_SUBCOMMANDS_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

struct vhsm;
struct json_t;
struct vhsm_key_attr;

/* Global options, parsed before the subcommand. */
struct tool_ctx {
	const char *prog;
	const char *device;	/* NULL: library default */
	bool json;
	bool quiet;
};

/*
 * Exit codes, documented in README.md and vhsm-tool --help. Do not reorder:
 * scripts depend on them.
 */
enum tool_rc {
	TOOL_OK = 0,
	TOOL_ERROR = 1,
	TOOL_USAGE = 2,
	TOOL_REFUSED = 3,	/* permission, policy, bad signature */
	TOOL_NODEV = 4,		/* device unavailable */
};

int tool_rc_from_errno(int err);
int tool_open(const struct tool_ctx *ctx, struct vhsm **h);
void tool_err(const struct tool_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The message of the last tool_err() ("" if none), e.g. for {"error": ...}. */
const char *tool_last_error(void);

/* Largest data buffer when the module reports no limit (max_data_len 0). */
#define TOOL_DEFAULT_DATA_MAX	(1024 * 1024)

/* Exit code of a failed key store call (the device is open: -ENOENT is 1). */
int tool_key_rc(int err);
/* Print "CMD: key 'KEY': what went wrong" (KEY may be NULL); its exit code. */
int tool_key_fail(const struct tool_ctx *ctx, const char *cmd, const char *key,
		  int err);
/* TOOL_OK if KEY is a valid label or "#N", else a message and TOOL_USAGE. */
int tool_check_key_arg(const struct tool_ctx *ctx, const char *cmd,
		       const char *key);
/*
 * The operands left after getopt_long(): exactly NPOS keys, each checked with
 * tool_check_key_arg(), into POS. On a wrong count "CMD: missing KEY" or
 * "CMD: TOO_MANY" and the usage HELP. TOOL_OK or TOOL_USAGE.
 */
int tool_key_operands(const struct tool_ctx *ctx, const char *cmd,
		      const char *help, int argc, char **argv, int npos,
		      const char **pos, const char *too_many);
/* vhsm_key_resolve() with a message on failure; a TOOL_* code. */
int tool_resolve_key(const struct tool_ctx *ctx, const char *cmd,
		     struct vhsm *h, const char *key, uint32_t *handle);
/* An octal mode, 1 to 4 digits, at most 0777; 0 or -EINVAL. */
int tool_parse_mode(const char *s, uint32_t *mode);
/* An unsigned number in BASE (0: C prefixes), at most MAX; 0 or -EINVAL. */
int tool_parse_u64(const char *s, int base, uint64_t max, uint64_t *out);
/* The module's max_data_len, or TOOL_DEFAULT_DATA_MAX when it reports 0. */
int tool_data_limit(const struct tool_ctx *ctx, const char *cmd,
		    struct vhsm *h, size_t *max);
/*
 * Read all of PATH (NULL or "-": stdin), at most MAX bytes, into a malloc()ed
 * buffer to be released with tool_free_secret(). WHAT names it in messages;
 * TOO_BIG_HINT (may be NULL) says what to do when it is larger than MAX.
 */
int tool_read_input(const struct tool_ctx *ctx, const char *cmd,
		    const char *what, const char *path, size_t max,
		    const char *too_big_hint, uint8_t **out, size_t *out_len);
/*
 * Note that WHAT (e.g. "the report", "--vcek") reads stdin; TOOL_USAGE with a
 * message naming both if another input already does.
 */
int tool_claim_stdin(const struct tool_ctx *ctx, const char *cmd,
		     const char *what);
/* Flush stdout at exit: TOOL_ERROR with a message if any write to it failed. */
int tool_close_stdout(const struct tool_ctx *ctx);
/* Zeroise and free. */
void tool_free_secret(void *p, size_t len);
/* TOOL_USAGE with a message if PATH is stdout and stdout is a terminal. */
int tool_refuse_tty(const struct tool_ctx *ctx, const char *cmd,
		    const char *path);
/* Write BUF to PATH (NULL or "-": stdout; a file is created 0600). */
int tool_write_output(const struct tool_ctx *ctx, const char *cmd,
		      const char *path, const void *buf, size_t len);
/* Print DOC (a reference the call takes; NULL means out of memory). */
int tool_print_json(const struct tool_ctx *ctx, struct json_t *doc);

/*
 * Options of commands whose only options are --json and --help: -1 to go on
 * (optind at the first operand), else the exit code. USAGE prints the help.
 */
int tool_parse_json_help(struct tool_ctx *ctx, int argc, char **argv,
			 void (*usage)(const struct tool_ctx *ctx, FILE *out));

/*
 * One option of a subcommand for tool_parse_opts(): NAME is the long name
 * (NULL: none), SHORT_NAME its letter (0: none). An option with FLAG takes no argument and
 * sets *FLAG; one with FN hands its argument to FN (with DATA as the table
 * says), which returns a TOOL_* code; else the argument is stored in *STR
 * (the last one given wins).
 */
struct tool_opt {
	const char *name;
	char short_name;
	const char **str;
	bool *flag;
	int (*fn)(const struct tool_ctx *ctx, const struct tool_opt *o, const char *arg);
	void *data;
};

/*
 * Parse a subcommand's options OPTS[N] plus --json, --quiet and --help. -1
 * to go on (optind at the first operand), else the exit code: TOOL_OK after
 * --help (USAGE printed to stdout), TOOL_USAGE for an unknown option (USAGE
 * to stderr), or what an FN returned.
 */
int tool_parse_opts(struct tool_ctx *ctx, int argc, char **argv,
		    const struct tool_opt *opts, size_t n,
		    void (*usage)(const struct tool_ctx *ctx, FILE *out));
#define TOOL_NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A new key's attributes from the keygen-style options (--type, --label,
 * --usage, --mode; usage and mode may be NULL for the defaults), with the
 * messages keygen gives; a TOOL_* code.
 */
int tool_key_attr(const struct tool_ctx *ctx, const char *cmd, const char *type,
		  const char *label, const char *usage, const char *mode,
		  struct vhsm_key_attr *attr);
/* Print a new key's handle ("#N", or JSON); TOOL_OK. */
int tool_print_new_key(const struct tool_ctx *ctx, uint32_t handle,
		       const struct vhsm_key_attr *attr);

int info_main(struct tool_ctx *ctx, int argc, char **argv);
int report_main(struct tool_ctx *ctx, int argc, char **argv);
int attest_main(struct tool_ctx *ctx, int argc, char **argv);
int keygen_main(struct tool_ctx *ctx, int argc, char **argv);
int import_main(struct tool_ctx *ctx, int argc, char **argv);
int list_main(struct tool_ctx *ctx, int argc, char **argv);
int show_main(struct tool_ctx *ctx, int argc, char **argv);
int destroy_main(struct tool_ctx *ctx, int argc, char **argv);
int pubkey_main(struct tool_ctx *ctx, int argc, char **argv);
int encrypt_main(struct tool_ctx *ctx, int argc, char **argv);
int decrypt_main(struct tool_ctx *ctx, int argc, char **argv);
int sign_main(struct tool_ctx *ctx, int argc, char **argv);
int verify_main(struct tool_ctx *ctx, int argc, char **argv);
int mac_main(struct tool_ctx *ctx, int argc, char **argv);
int dmcrypt_main(struct tool_ctx *ctx, int argc, char **argv);
int measure_main(struct tool_ctx *ctx, int argc, char **argv);
int id_block_main(struct tool_ctx *ctx, int argc, char **argv);
int seal_main(struct tool_ctx *ctx, int argc, char **argv);
int unseal_main(struct tool_ctx *ctx, int argc, char **argv);
int reseal_main(struct tool_ctx *ctx, int argc, char **argv);
int restore_main(struct tool_ctx *ctx, int argc, char **argv);
int policy_main(struct tool_ctx *ctx, int argc, char **argv);
int provision_main(struct tool_ctx *ctx, int argc, char **argv);
int keyring_main(struct tool_ctx *ctx, int argc, char **argv);
int fscrypt_main(struct tool_ctx *ctx, int argc, char **argv);
int fetch_main(struct tool_ctx *ctx, int argc, char **argv);
int platform_main(struct tool_ctx *ctx, int argc, char **argv);

#endif /* VHSM_TOOL_SUBCOMMANDS_H */
