/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The options of vhsm-tool seal and reseal (--bind, --tcb, --root) and the
 * checks the tool makes on a blob's header before the module sees it, so
 * that a truncated, oversized or foreign file gets a message of its own.
 */
#ifndef VHSM_TOOL_SEAL_ARGS_H
#define VHSM_TOOL_SEAL_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vhsm.h>

/*
 * --bind LIST: comma-separated measurement, policy, svn, family-id,
 * image-id, tcb; or "all" (the default) or "none". 0 or -EINVAL.
 */
int seal_bind_parse(const char *list, uint64_t *fields);
/* The --bind LIST of @fields ("none" when 0) into @buf. */
void seal_bind_format(uint64_t fields, char *buf, size_t size);
/*
 * --tcb auto|committed|HEX: auto sets VHSM_SEAL_F_TCB_REPORTED, committed
 * VHSM_SEAL_F_TCB_COMMITTED, HEX (1-16 hex digits, optional 0x) the value.
 * 0 or -EINVAL.
 */
int seal_tcb_parse(const char *s, uint32_t *flags, uint64_t *tcb);
/* --root vcek|vmrk: 0 or 1; 0 or -EINVAL. */
int seal_root_parse(const char *s, uint32_t *root);
/*
 * What is wrong with a file offered as a blob, in words, or NULL when its
 * framing is right (magic, version, length); the module checks the rest.
 * @hdr is filled when NULL is returned.
 */
const char *seal_blob_problem(const uint8_t *buf, size_t len, struct vhsm_seal_hdr *hdr);

#endif /* VHSM_TOOL_SEAL_ARGS_H */
