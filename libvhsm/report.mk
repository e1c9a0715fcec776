# SPDX-License-Identifier: LGPL-2.1-or-later
# Make fragment for the SNP report parser/verifier part of libvhsm.
# Include from the top-level Makefile (paths are relative to the repo root):
#   VHSM_REPORT_SRCS      library sources in the tree
#   VHSM_REPORT_GEN_SRCS  generated sources (under $(BUILD)); compile them too
#   VHSM_REPORT_ALL_SRCS  both of the above
#   VHSM_REPORT_LIBS      link flags
#   VHSM_REPORT_CFLAGS    include path for <vhsm/report.h>

BUILD ?= build

# the verifier, libvhsm/verify/: layered as verify/ctx.h describes
VHSM_VERIFY_SRCS := $(addprefix libvhsm/verify/,ctx.c load.c vekinfo.c cache.c roots.c \
	chain.c vek.c ext.c sig.c policy.c policy_json.c result.c builtin.c verify.c)
VHSM_VERIFY_HDRS := $(addprefix libvhsm/verify/,ctx.h load.h cache.h roots.h checks.h)
VHSM_REPORT_SRCS := libvhsm/report.c $(VHSM_VERIFY_SRCS)
VHSM_REPORT_ROOT_PEMS := $(foreach p,milan genoa turin,$(foreach r,ark ask asvk,libvhsm/roots/$(p)_$(r).pem))
VHSM_REPORT_GEN_SRCS := $(BUILD)/libvhsm/amd_roots.c
VHSM_REPORT_ALL_SRCS := $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS)
VHSM_REPORT_LIBS := -lcrypto -ljansson
VHSM_REPORT_CFLAGS := -I libvhsm/include

$(BUILD)/libvhsm/amd_roots.c: libvhsm/roots/gen-roots.sh $(VHSM_REPORT_ROOT_PEMS)
	@mkdir -p $(@D)
	@sh libvhsm/roots/gen-roots.sh $@ libvhsm/roots
