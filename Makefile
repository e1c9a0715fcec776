# SPDX-License-Identifier: GPL-2.0-or-later
#
# vhsm — top-level build. `make` builds the module, libvhsm, vhsm-tool and the
# tests; `make check` runs every test (host and VM); `make demo` boots the VM
# and shows vhsm-tool at work. `make help` lists the rest.

VERSION   := $(shell cat VERSION)
BUILD     ?= build
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib

# The simulated platform (platform=sim) is for tests and demos: `make` and
# `make check` build it into kmod/vhsm.ko (VHSM_SIM=y); `make VHSM_SIM=n`
# leaves it out. `make install` and the packages build the production module
# without it unless VHSM_SIM is given (README: "Production and test builds").
VHSM_SIM_GIVEN := $(filter command line environment,$(origin VHSM_SIM))
VHSM_SIM  ?= y
VHSM_INSTALL_SIM := $(if $(VHSM_SIM_GIVEN),$(VHSM_SIM),n)
# the production module, built from a copy of the sources (kmod/ keeps the test build)
NOSIM_KSRC   := $(BUILD)/nosim/ksrc
INSTALL_KSRC := $(if $(filter n,$(VHSM_INSTALL_SIM)),$(NOSIM_KSRC),$(BUILD)/sim/ksrc)
CC        ?= gcc

# Kernel build tree: the running kernel's when it has one, else Debian's 6.12
# headers (which is also the kernel the test VM boots).
KVER_RUNNING := $(shell uname -r)
KDIR ?= $(if $(wildcard /lib/modules/$(KVER_RUNNING)/build/Makefile),\
	/lib/modules/$(KVER_RUNNING)/build,\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64))))
KVER      = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
# Another Debian kernel for the VM suite: `make check KVER=6.1` (Debian 12's
# default kernel; README "Supported kernels"). KVER is X.Y (the newest X.Y
# headers installed) or a full release; vhsm.ko for it is built apart, in
# $(BUILD)/k/RELEASE/kmod, and the VM boots /boot/vmlinuz-RELEASE.
ifeq ($(origin KVER),command line)
KVER_WANT := $(KVER)
override KDIR := $(firstword $(wildcard /usr/src/linux-headers-$(KVER_WANT)) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-$(KVER_WANT).*-amd64))))
# the release the kernel reports (uname -r); Debian's 6.1 headers have the
# upstream version in include/config/kernel.release
override KVER := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
VM_KMOD := $(BUILD)/k/$(KVER)/kmod
endif

# quiet by default; V=1 shows every command
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-8s %s\n'
endif

WARN      := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
	     -Wmissing-prototypes -Wno-unused-parameter
CPPFLAGS  += -Iuapi -Ilibvhsm/include -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 \
	     -DVHSM_LIB_VERSION='"$(VERSION)"' -DVHSM_TOOL_VERSION='"$(VERSION)"'
CFLAGS    ?= -O2 -g
CFLAGS    += -std=gnu11 $(WARN) -fstack-protector-strong -fPIC
LDHARDEN  := -Wl,-z,relro,-z,now
# programs find libvhsm beside them: build/bin -> build/lib, PREFIX/bin -> PREFIX/lib
RPATH     := -Wl,-rpath,'$$ORIGIN/../lib'
SANITIZE  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

include libvhsm/report.mk
# launch-measurement calculator and ID blocks (libvhsm/measure/)
VHSM_MEASURE_SRCS := libvhsm/measure/ovmf.c libvhsm/measure/vmsa.c libvhsm/measure/launch.c \
	     libvhsm/measure/hashes.c libvhsm/measure/measure.c libvhsm/measure/id_block.c

LIB_SRCS  := libvhsm/device.c libvhsm/info.c libvhsm/strerror.c libvhsm/key.c \
	     libvhsm/keyname.c libvhsm/keyerror.c libvhsm/crypto.c libvhsm/attest.c \
	     libvhsm/session.c libvhsm/keyring.c libvhsm/bulk.c \
	     $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS) $(VHSM_MEASURE_SRCS)
LIB_SRCS  += libvhsm/seal.c
# the KBS protocol client and encoders (libcurl)
LIB_SRCS  += libvhsm/kbs/buf.c libvhsm/kbs/b64.c libvhsm/kbs/jcs.c libvhsm/kbs/runtime.c \
	     libvhsm/kbs/evidence.c libvhsm/kbs/client.c libvhsm/kbs/jwe.c
LIB_LIBS  := -lcrypto -ljansson -lcurl -lkcapi
TOOL_SRCS := tools/vhsm-tool/common.c tools/vhsm-tool/info.c \
	     tools/vhsm-tool/keygen.c tools/vhsm-tool/keys.c \
	     tools/vhsm-tool/aead.c tools/vhsm-tool/container.c \
	     tools/vhsm-tool/sign.c tools/vhsm-tool/mac.c \
	     tools/vhsm-tool/pubkey.c tools/vhsm-tool/encoding.c \
	     tools/vhsm-tool/report.c tools/vhsm-tool/attest.c \
	     tools/vhsm-tool/measure.c tools/vhsm-tool/id_block.c \
	     tools/vhsm-tool/policy.c tools/vhsm-tool/hexarg.c \
	     tools/vhsm-tool/provision.c tools/vhsm-tool/keyring.c tools/vhsm-tool/fscrypt.c \
	     tools/vhsm-tool/dmcrypt.c
TOOL_SRCS += tools/vhsm-tool/seal.c tools/vhsm-tool/seal_args.c
TOOL_SRCS += tools/vhsm-tool/certdir.c tools/vhsm-tool/kds.c tools/vhsm-tool/fetch.c \
	     tools/vhsm-tool/verify_certs.c
TOOL_SRCS += tools/vhsm-tool/options.c tools/vhsm-tool/report_input.c tools/vhsm-tool/platform.c
TOOL_SRCS += tools/vhsm-tool/policyargs.c
KBSD_SRCS := tools/vhsm-kbs/main.c tools/vhsm-kbs/state.c tools/vhsm-kbs/session.c \
	     tools/vhsm-kbs/token.c tools/vhsm-kbs/jwe.c tools/vhsm-kbs/log.c \
	     tools/vhsm-kbs/attest.c tools/vhsm-kbs/http.c
KBSD      := $(BUILD)/bin/vhsm-kbs
TESTCA_SRCS := tools/vhsm-testca/testca.c
TOOL_MAIN := tools/vhsm-tool/main.c
LIB_SO    := $(BUILD)/lib/libvhsm.so.$(VERSION)
LIB_SONAME:= libvhsm.so.0
LIB_A     := $(BUILD)/lib/libvhsm.a
TOOL      := $(BUILD)/bin/vhsm-tool

# Tests that run inside the VM (kselftest harness, TAP).
GUEST_C_TESTS  := ioctl_test perm_test lib_test key_test acl_test race_test kat_test \
		  interop_test attest_test attest_variants_test attest_wipe_test ioctl_fuzz_test \
		  snp_channel_test session_test keyring_test template_test fault_test
GUEST_C_TESTS  += seal_test
GUEST_C_TESTS  += ecdsa_interop_test
# Run order: module_test.sh loads the module, unload_test.sh unloads it;
# attest_variants_test, attest_wipe_test, snp_channel_test, keyring_cli_test.sh,
# measure_sim_test.sh and seal_test reload it, so they run before pm_test.sh leaves keys for
# unload_test.sh. nosim_test.sh (the VHSM_SIM=n module refusing platform=sim)
# needs the module unloaded: after unload_test.sh.
GUEST_TESTS    := module_test.sh ioctl_test perm_test lib_test key_test acl_test race_test \
		  kat_test interop_test ecdsa_interop_test attest_test session_test provision_test.sh \
		  attest_variants_test attest_wipe_test snp_channel_test ioctl_fuzz_test \
		  cli_test.sh keycli_test.sh attest_cli_test.sh measure_sim_test.sh tsm_test.sh \
		  keyring_test keyring_cli_test.sh fscrypt_test.sh template_test dmcrypt_test.sh \
		  seal_test seal_cli_test.sh \
		  pm_test.sh unload_test.sh
GUEST_TESTS    += nosim_test.sh
GUEST_SH_TESTS := module_test.sh cli_test.sh keycli_test.sh attest_cli_test.sh tsm_test.sh \
		  pm_test.sh unload_test.sh measure_sim_test.sh provision_test.sh keyring_cli_test.sh \
		  fscrypt_test.sh dmcrypt_test.sh kmemleak_test.sh kmemleak_unloaded_test.sh
GUEST_SH_TESTS += seal_cli_test.sh
GUEST_SH_TESTS += nosim_test.sh
# The debug-kernel lane (make check-debug) runs the suite plus fault_test
# (before pm_test.sh: it may reload the module) and kmemleak passes before
# and after the final unload (not nosim_test.sh: its module is built for the
# normal kernel only).
DEBUG_TESTS    := $(patsubst pm_test.sh,fault_test kmemleak_test.sh pm_test.sh,\
		  $(filter-out nosim_test.sh,$(GUEST_TESTS))) kmemleak_unloaded_test.sh
GUEST_HELPERS  := runas fscrypt_ctl
# Host unit tests, built and run under ASan and UBSan.
HOST_C_TESTS   := lib_unit tool_unit key_unit keytool_unit key_fake_unit report_test \
		  testca_verify_test measure_unit idblock_unit keyring_unit bulk_unit
HOST_C_TESTS   += kbs_unit session_unit kbs_server_unit kbs_flow_test
HOST_C_TESTS   += kds_unit
HOST_C_TESTS   += ecc_unit
HOST_SH_TESTS  := cli_host_test.sh keycli_host_test.sh testca_test.sh report_cli_test.sh measure_cli_test.sh \
		  fuzz_smoke.sh keyring_host_test.sh dmcrypt_host_test.sh
HOST_SH_TESTS  += kbs_cli_test.sh
HOST_SH_TESTS  += seal_host_test.sh
HOST_SH_TESTS  += kds_cli_test.sh
HOST_SH_TESTS  += report_input_test.sh build_tree_test.sh
HOST_C_TESTS   += verdict_test
HOST_SH_TESTS  += verify_cli_test.sh
# the production (VHSM_SIM=n) module has no simulator (nm, modinfo)
HOST_SH_TESTS  += nosim_test.sh
# packaging: the symbols file against the library, install-time libvhsm.pc;
# make deb + lintian (no errors) and the packages' contents
HOST_SH_TESTS  += symbols_test.sh deb_test.sh
# the modprobe.d install commands (sev-guest by kernel version, group= for vhsm)
HOST_SH_TESTS  += modprobe_conf_test.sh

KSFT      := $(BUILD)/ksft
GUEST_BIN := $(addprefix $(BUILD)/selftests/,$(GUEST_C_TESTS) $(GUEST_HELPERS))
HOST_BIN  := $(addprefix $(BUILD)/host/,$(HOST_C_TESTS)) $(BUILD)/host/vhsm-tool \
	     $(BUILD)/host/vhsm-testca

lib_objs  = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps module lib tool selftests host-tests check check-run demo bench install \
	install-module install-lib install-tool install-user install-dkms module-nosim deb \
	check-install clean help fuzz fuzzers check-debug module-debug debug-kernel ct check-kernels check-6.1

all: module lib tool selftests

help:
	@echo "make            build vhsm.ko, libvhsm, vhsm-tool and the tests"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make check      run every test: host unit tests (ASan, UBSan) and the VM tests"
	@echo "make demo       boot the test VM on the sim platform and show vhsm-tool"
	@echo "make bench      benchmark in the VM: ratios against AF_ALG and OpenSSL"
	@echo "make fuzz       run each libFuzzer target for FUZZ_TIME seconds (default 600)"
	@echo "make ct         timing test of the kernel's ECC scalar multiplication on the host"
	@echo "                (dudect-style, CT_SAMPLES per curve, default 1000000; minutes)"
	@echo "make check-debug  the VM suite on a debug kernel (KASAN, lockdep, kmemleak, UBSAN,"
	@echo "                fault injection; built once into VHSM_CACHE_DIR, default /var/cache/vhsm)"
	@echo "make check KVER=6.1  make check with the VM on another Debian kernel (make check-6.1)"
	@echo "make check-kernels  compile vhsm.ko against every kernel tree at hand (README: Supported kernels)"
	@echo "make install    install module (VHSM_SIM=n unless given), library, headers, tools (PREFIX=$(PREFIX))"
	@echo "make install-lib install-tool   the same without the module (no kernel tree needed)"
	@echo "make deb        Debian packages (vhsm-dkms, libvhsm0, libvhsm-dev, vhsm-tools, vhsm-kbs) and lintian"
	@echo "make check-install  install the packages in a clean Debian 12 chroot (DKMS build), then purge"
	@echo "variables: V=1 (show commands), KDIR (kernel build tree, now $(KDIR)), BUILD, PREFIX, VHSM_KVM=0|1"

deps:
	@scripts/deps.sh

# ---- kernel module: W=1 and sparse, any warning fails the build ----------------
module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run 'make deps' or set KDIR$(if $(KVER_WANT), (KVER=$(KVER_WANT): scripts/deps.sh $(KVER_WANT)))" >&2; exit 1; }
	@$(if $(VM_KMOD),scripts/kbuild-debug.sh $(KDIR) $(BUILD)/k/$(KVER) VHSM_SIM=$(VHSM_SIM),scripts/kbuild.sh $(KDIR) $(CURDIR) VHSM_SIM=$(VHSM_SIM))

# the production module (VHSM_SIM=n) in $(NOSIM_KSRC)/kmod, for `make install`,
# the nm check and the VM's refusal test (nosim_test.sh)
module-nosim:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run 'make deps' or set KDIR" >&2; exit 1; }
	@scripts/kbuild-debug.sh $(KDIR) $(NOSIM_KSRC) VHSM_SIM=n

# ---- libvhsm ----------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB_SO): $(call lib_objs,$(LIB_SRCS)) libvhsm/libvhsm.map
	@mkdir -p $(dir $@)
	$(quiet) LD $@
	$(Q)$(CC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=libvhsm/libvhsm.map \
		$(LDHARDEN) -o $@ $(call lib_objs,$(LIB_SRCS)) $(LIB_LIBS)
	$(Q)ln -sf $(notdir $@) $(BUILD)/lib/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $(BUILD)/lib/libvhsm.so

$(LIB_A): $(call lib_objs,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(quiet) AR $@
	$(Q)$(AR) rcs $@ $^

# The build tree's libvhsm.pc points at the build tree (headers in the source
# tree, the library in $(BUILD)/lib), so that PKG_CONFIG_PATH=$(BUILD)/lib builds
# against this build; install-lib writes one pointing at PREFIX.
$(BUILD)/lib/libvhsm.pc: libvhsm/libvhsm.pc.in VERSION Makefile
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|^libdir=.*|libdir=$(abspath $(BUILD))/lib|' \
		-e 's|^includedir=.*|includedir=$${prefix}/libvhsm/include|' \
		-e 's|^Cflags:.*|Cflags: -I$${includedir} -I$${prefix}/uapi|' $< > $@

lib: $(LIB_SO) $(LIB_A) $(BUILD)/lib/libvhsm.pc

# ---- vhsm-tool --------------------------------------------------------------------
$(TOOL): $(call lib_objs,$(TOOL_SRCS) $(TOOL_MAIN)) $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) LD $@
	$(Q)$(CC) $(LDHARDEN) $(RPATH) -o $@ $(call lib_objs,$(TOOL_SRCS) $(TOOL_MAIN)) \
		-L$(BUILD)/lib -lvhsm -ljansson -lcrypto -lcurl

tool: $(TOOL) $(KBSD)

# ---- vhsm-kbs ---------------------------------------------------------------------
$(KBSD): $(call lib_objs,$(KBSD_SRCS)) $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) LD $@
	$(Q)$(CC) $(LDHARDEN) $(RPATH) -o $@ $(call lib_objs,$(KBSD_SRCS)) \
		-L$(BUILD)/lib -lvhsm -lmicrohttpd -ljansson -lcrypto -lpthread

# ---- tests that run in the VM -------------------------------------------------------
$(KSFT)/kselftest_harness.h:
	@scripts/ksft-headers.sh $(KSFT)

TEST_CPPFLAGS = $(CPPFLAGS) -isystem $(KSFT) -Iselftests/vhsm

$(BUILD)/selftests/%: selftests/vhsm/%.c $(wildcard selftests/vhsm/*.h) $(KSFT)/kselftest_harness.h $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(TEST_CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		-L$(BUILD)/lib -lvhsm -lpthread -ljansson -lcrypto -lkcapi

# the test CA in the guest, to certify the simulated AMD-SP's VCEK
$(BUILD)/selftests/vhsm-testca: tools/vhsm-testca/vhsm-testca.c $(TESTCA_SRCS) tools/vhsm-testca/testca.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ tools/vhsm-testca/vhsm-testca.c $(TESTCA_SRCS) -lcrypto

# LD_PRELOAD for provision_test.sh: a core of vhsm-tool right after the import
$(BUILD)/selftests/core_at_import.so: selftests/vhsm/core_at_import.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -shared -o $@ $< -ldl

selftests: $(GUEST_BIN) $(TOOL) $(BUILD)/selftests/vhsm-testca $(BUILD)/selftests/core_at_import.so

# ---- host unit tests: ASan + UBSan, library compiled in ----------------------------
$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c -o $@ $<

HOST_LIB_OBJS  = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(LIB_SRCS))
HOST_TOOL_OBJS = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(TOOL_SRCS))

$(BUILD)/host/vhsm-tool: $(HOST_LIB_OBJS) $(HOST_TOOL_OBJS) $(BUILD)/host/obj/$(TOOL_MAIN:.c=.o)
	$(quiet) LD-SAN $@
	$(Q)$(CC) $(SANITIZE) -o $@ $^ $(LIB_LIBS)

# every forked test child checks for leaks before _exit() (leak_exit.c)
LEAK_EXIT = selftests/host/leak_exit.c -Wl,--wrap=_exit

$(BUILD)/host/%: selftests/host/%.c $(HOST_LIB_OBJS) $(HOST_TOOL_OBJS) $(KSFT)/kselftest_harness.h \
		selftests/host/leak_exit.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(TEST_CPPFLAGS) -Itools/vhsm-tool $(CFLAGS) $(SANITIZE) -Wno-missing-prototypes \
		-o $@ $< $(LEAK_EXIT) $(HOST_LIB_OBJS) $(HOST_TOOL_OBJS) $(LIB_LIBS)

# the test CA (certifies the simulated AMD-SP's VCEK); a test tool, not installed
$(BUILD)/host/vhsm-testca: tools/vhsm-testca/vhsm-testca.c $(TESTCA_SRCS) tools/vhsm-testca/testca.h
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -o $@ tools/vhsm-testca/vhsm-testca.c \
		$(TESTCA_SRCS) -lcrypto

$(BUILD)/host/testca_verify_test: selftests/host/testca_verify_test.c $(TESTCA_SRCS) selftests/host/leak_exit.c \
		tools/vhsm-testca/testca.h $(HOST_LIB_OBJS) $(KSFT)/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(TEST_CPPFLAGS) -Itools/vhsm-testca $(CFLAGS) $(SANITIZE) -Wno-missing-prototypes \
		-o $@ $< $(LEAK_EXIT) $(TESTCA_SRCS) $(HOST_LIB_OBJS) $(LIB_LIBS)

# the key broker test double the VM's provisioning test talks to (run-vm.sh --host-server)
KBS_STUB := $(BUILD)/host/kbs_stub
$(KBS_STUB): selftests/kbs/kbs_stub.c selftests/vhsm/kbs_util.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) -Iselftests/vhsm $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		-lmicrohttpd -ljansson -lcrypto
# one per guest connection to the host server (QEMU guestfwd cmd:)
$(BUILD)/host/tcprelay: selftests/kbs/tcprelay.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<
# the sim's VCEK and CHIP_ID computed on the host, for the test CA to certify
$(BUILD)/host/sim_vcek: selftests/kbs/sim_vcek.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lcrypto
# vhsm-kbs (built by `make tool`) and kbs_stub on the host for the VM (provision_test.sh)
VM_HOST_SERVER = selftests/kbs/kbs-server.sh $(BUILD) $(BUILD)/vm/kbs
VM_HOST_BINS   = $(KBS_STUB) $(BUILD)/host/tcprelay $(BUILD)/host/sim_vcek \
		 $(BUILD)/host/vhsm-testca

# vhsm-kbs under the sanitizers, with the crash points of state.c (VHSM_KBS_FAULT)
$(BUILD)/host/vhsm-kbs: $(KBSD_SRCS) tools/vhsm-kbs/kbs.h $(HOST_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(quiet) LD-SAN $@
	$(Q)$(CC) $(CPPFLAGS) -DVHSM_KBS_FAULT_INJECTION $(CFLAGS) $(SANITIZE) -o $@ \
		$(KBSD_SRCS) $(HOST_LIB_OBJS) -lmicrohttpd $(LIB_LIBS) -lpthread

HOST_BIN  += $(BUILD)/host/vhsm-kbs

# a stand-in for AMD's KDS on loopback (kds_cli_test.sh)
$(BUILD)/host/kds_stub: selftests/host/kds_stub.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -o $@ $< -lmicrohttpd
HOST_BIN  += $(BUILD)/host/kds_stub

# vhsm-kbs's pieces and the end-to-end flow against the sanitized server
$(BUILD)/host/kbs_flow_test: selftests/host/kbs_flow_test.c selftests/host/kbs_jwe_open.h \
		$(TESTCA_SRCS) tools/vhsm-testca/testca.h $(HOST_LIB_OBJS) $(KSFT)/kselftest_harness.h \
		selftests/host/leak_exit.c $(BUILD)/host/vhsm-kbs
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(TEST_CPPFLAGS) -Itools/vhsm-testca $(CFLAGS) $(SANITIZE) -Wno-missing-prototypes \
		-Wno-deprecated-declarations -o $@ $< $(LEAK_EXIT) $(TESTCA_SRCS) $(HOST_LIB_OBJS) \
		$(LIB_LIBS)
KBSD_TEST_SRCS := $(filter-out tools/vhsm-kbs/main.c tools/vhsm-kbs/http.c,$(KBSD_SRCS))
$(BUILD)/host/kbs_server_unit: selftests/host/kbs_server_unit.c selftests/host/kbs_jwe_open.h \
		$(KBSD_TEST_SRCS) tools/vhsm-kbs/kbs.h $(HOST_LIB_OBJS) $(KSFT)/kselftest_harness.h \
		selftests/host/leak_exit.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(TEST_CPPFLAGS) -Itools/vhsm-kbs $(CFLAGS) $(SANITIZE) -Wno-missing-prototypes \
		-Wno-deprecated-declarations -o $@ $< $(KBSD_TEST_SRCS) $(LEAK_EXIT) \
		$(HOST_LIB_OBJS) $(LIB_LIBS) -lpthread

# the kernel's point code (kmod/ecc_field.c, ecc_point.c) against OpenSSL
ECC_HOST_SRCS := kmod/ecc_field.c kmod/ecc_point.c
$(BUILD)/host/ecc_unit: selftests/host/ecc_unit.c $(ECC_HOST_SRCS) kmod/ecc_field.h \
		kmod/ecc_point.h $(KSFT)/kselftest_harness.h selftests/host/leak_exit.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $@
	$(Q)$(CC) $(TEST_CPPFLAGS) -Ikmod $(CFLAGS) $(SANITIZE) -Wno-missing-prototypes \
		-Wno-deprecated-declarations -o $@ $< $(LEAK_EXIT) $(ECC_HOST_SRCS) -lcrypto

host-tests: $(HOST_BIN) fuzzers $(VM_HOST_BINS)

# ---- constant-time evidence: not part of make check (README: "Timing test") ---------
CT_SAMPLES ?= 1000000
$(BUILD)/ct/ecc_ct: selftests/ct/ecc_ct.c $(ECC_HOST_SRCS) kmod/ecc_field.h kmod/ecc_point.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) -Ikmod -o $@ $< $(ECC_HOST_SRCS) -lm

ct: $(BUILD)/ct/ecc_ct
	@mkdir -p $(BUILD)/results
	@{ $(BUILD)/ct/ecc_ct $(CT_SAMPLES); echo $$? > $(BUILD)/results/ct.rc; } | \
		tee $(BUILD)/results/ct.txt; exit $$(cat $(BUILD)/results/ct.rc)

# ---- libFuzzer targets (clang): a short run in make check, a long one in make fuzz ---
FUZZ_TARGETS := report_fuzz certtable_fuzz ovmf_fuzz kbs_fuzz jose_fuzz seal_fuzz
FUZZ_TARGETS += policy_fuzz
FUZZ_BINS    := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Iuapi -Ilibvhsm/include -D_GNU_SOURCE
FUZZ_TIME    ?= 600

$(BUILD)/fuzz/%_fuzz: selftests/fuzz/%_fuzz.c $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS) \
		libvhsm/include/vhsm/report.h $(VHSM_VERIFY_HDRS)
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS) $(LIB_LIBS)

# the firmware parser and launch digest (libvhsm/measure/)
$(BUILD)/fuzz/ovmf_fuzz: selftests/fuzz/ovmf_fuzz.c $(VHSM_MEASURE_SRCS) libvhsm/include/vhsm/measure.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(VHSM_MEASURE_SRCS) -lcrypto

# the KBS decoders (no libcurl: the client is not fuzzed)
KBS_FUZZ_SRCS := libvhsm/kbs/buf.c libvhsm/kbs/b64.c libvhsm/kbs/jcs.c libvhsm/kbs/runtime.c \
		 libvhsm/kbs/evidence.c libvhsm/kbs/jwe.c
$(BUILD)/fuzz/kbs_fuzz: selftests/fuzz/kbs_fuzz.c $(KBS_FUZZ_SRCS) $(VHSM_REPORT_SRCS) \
		$(VHSM_REPORT_GEN_SRCS) libvhsm/include/vhsm/kbs.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(KBS_FUZZ_SRCS) $(VHSM_REPORT_SRCS) \
		$(VHSM_REPORT_GEN_SRCS) -lcrypto -ljansson

# the kernel's JOSE text code (kmod/jose.c) compiled for the host
$(BUILD)/fuzz/jose_fuzz: selftests/fuzz/jose_fuzz.c kmod/jose.c kmod/jose.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -Ikmod -o $@ $< kmod/jose.c -ljansson

# the kernel's sealed-blob parser (kmod/seal_blob.c) and vhsm-tool's framing check
$(BUILD)/fuzz/seal_fuzz: selftests/fuzz/seal_fuzz.c kmod/seal_blob.c kmod/seal_blob.h \
		tools/vhsm-tool/seal_args.c tools/vhsm-tool/seal_args.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -Ikmod -Itools/vhsm-tool -o $@ $< kmod/seal_blob.c \
		tools/vhsm-tool/seal_args.c

$(BUILD)/fuzz/certtable_seed: selftests/fuzz/certtable_fuzz.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -DCERTTABLE_SEED_MAIN -o $@ $<

fuzzers: $(FUZZ_BINS) $(BUILD)/fuzz/certtable_seed $(BUILD)/fuzz/kbs_fuzz

fuzz: fuzzers
	@VHSM_FUZZ_DIR=$(BUILD)/fuzz VHSM_FUZZ_TIME=$(FUZZ_TIME) \
		VHSM_TESTDATA=selftests/testdata/snp VHSM_KBS_TESTDATA=selftests/testdata/kbs \
		selftests/host/fuzz_smoke.sh

# ---- the debug-kernel lane: not part of make check (README: "The debug-kernel lane") --
debug-kernel:
	@scripts/debug-kernel.sh >/dev/null

module-debug: debug-kernel
	@scripts/kbuild-debug.sh $$(scripts/debug-kernel.sh)/build $(BUILD)/debug/ksrc

check-debug: all $(VM_HOST_BINS)
	@scripts/deps.sh
	@scripts/check-debug.sh $(BUILD) "$(DEBUG_TESTS)" "$(VM_HOST_SERVER)"

# ---- other kernels: not part of make check (README: "Supported kernels") ----------------
# check-kernels: vhsm.ko compiled, W=1 + sparse + -Werror, against Debian's
# installed headers and every tree scripts/kernel-tree.sh prepared.
# check-6.1: the whole make check with the VM on Debian 12's default kernel.
check-kernels:
	@scripts/check-kernels.sh $(BUILD)

check-6.1:
	@$(MAKE) --no-print-directory check KVER=6.1

# ---- running the tests ---------------------------------------------------------------
check:
	@scripts/deps.sh $(KVER_WANT)
	@$(MAKE) --no-print-directory check-run

check-run: all host-tests module-nosim
	@rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results
	@selftests/host/run.sh $(BUILD) $(BUILD)/results/host.log \
		"$(HOST_C_TESTS)" "$(HOST_SH_TESTS)" ; \
	 selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) $(if $(VM_KMOD),--kmod $(VM_KMOD)) \
		--tests "$(GUEST_TESTS)" --log $(BUILD)/results/vm \
		--host-server "$(VM_HOST_SERVER)" ; \
	 scripts/tap-summary.sh $(BUILD)/results/host.log $(BUILD)/results/vm.tap \
		$(BUILD)/results/vm.status

$(BUILD)/selftests/bench: selftests/bench/bench.c selftests/bench/bench_template.c \
		selftests/bench/bench_ecdsa.c selftests/bench/bench_threads.c selftests/bench/bench.h \
		selftests/vhsm/keyops.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) -Iselftests/vhsm $(CFLAGS) -Wno-missing-prototypes -o $@ \
		selftests/bench/bench.c selftests/bench/bench_template.c \
		selftests/bench/bench_ecdsa.c selftests/bench/bench_threads.c -lkcapi -lcrypto -lpthread

$(BUILD)/bench/verify_bench: selftests/bench/verify_bench.c $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< -L$(BUILD)/lib -lvhsm

$(BUILD)/bench/measure_bench: selftests/bench/measure_bench.c $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< -L$(BUILD)/lib -lvhsm -lcrypto

$(BUILD)/bench/kbs_bench: selftests/bench/kbs_bench.c $(TESTCA_SRCS) tools/vhsm-testca/testca.h $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) -Itools/vhsm-testca $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		$(TESTCA_SRCS) -L$(BUILD)/lib -lvhsm -lcrypto -lpthread

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all $(BUILD)/selftests/bench $(BUILD)/bench/verify_bench \
		$(BUILD)/bench/measure_bench $(BUILD)/bench/kbs_bench
	@mkdir -p $(BUILD)/results
	@{ selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) --bench \
		--log $(BUILD)/results/bench && \
	   LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/verify_bench selftests/testdata/snp && \
	   LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/measure_bench selftests/testdata/measure && \
	   LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/kbs_bench $(KBSD); } \
		| tee $(BUILD)/results/bench.txt

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all $(VM_HOST_BINS)
	@selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) --demo --log $(BUILD)/demo \
		--host-server "$(VM_HOST_SERVER)"

# ---- install ---------------------------------------------------------------------------
# The module is the production build (VHSM_SIM=n) unless VHSM_SIM is given;
# libvhsm.pc is generated here for PREFIX and LIBDIR (Debian: the multiarch
# directory); SYSTEMDUNITDIR, UDEVDIR and SYSUSERSDIR for the units, the udev
# rule and the group; modprobe.d files go to SYSCONFDIR (/etc: modprobe reads
# no other prefix).
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR     ?= /etc
UDEVDIR        ?= $(PREFIX)/lib/udev
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
# the tool's units (vhsm-restore.service, beside vhsm-tool; others may go in
# dist/systemd/), shipped in vhsm-tools; @BINDIR@ and @SBINDIR@ filled in
DIST_UNITS     := $(wildcard tools/vhsm-tool/*.service dist/systemd/*.service dist/systemd/*.timer)

# install-lib and install-tool (together install-user) need no kernel tree (a
# verifier host has none); install adds the module.
install: install-module install-user

install-user: install-lib install-tool

# The module's sources for DKMS (/usr/src/vhsm-VERSION; then `dkms install
# vhsm/VERSION`): what Kbuild needs for the production build (the simulator's
# sources stay out) and dkms.conf with the version filled in.
DKMS_SRCDIR ?= /usr/src/vhsm-$(VERSION)
DKMS_KSRCS  := $(filter-out kmod/sim_% kmod/platform_sim.c,$(wildcard kmod/*.c kmod/*.h))
install-dkms:
	install -D -m 0644 Kbuild $(DESTDIR)$(DKMS_SRCDIR)/Kbuild
	install -D -m 0644 VERSION $(DESTDIR)$(DKMS_SRCDIR)/VERSION
	install -m 0644 kmod/Kbuild $(DKMS_KSRCS) -D -t $(DESTDIR)$(DKMS_SRCDIR)/kmod
	install -m 0644 uapi/linux/vhsm.h -D -t $(DESTDIR)$(DKMS_SRCDIR)/uapi/linux
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DESTDIR)$(DKMS_SRCDIR)/dkms.conf

install-module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run 'make deps' or set KDIR" >&2; exit 1; }
	@scripts/kbuild-debug.sh $(KDIR) $(INSTALL_KSRC) VHSM_SIM=$(VHSM_INSTALL_SIM)
	$(MAKE) -C $(KDIR) M=$(abspath $(INSTALL_KSRC)) INSTALL_MOD_PATH=$(DESTDIR) \
		VHSM_SIM=$(VHSM_INSTALL_SIM) modules_install

install-lib: $(LIB_SO) $(LIB_A)
	install -D -m 0644 uapi/linux/vhsm.h $(DESTDIR)$(PREFIX)/include/linux/vhsm.h
	install -D -m 0644 libvhsm/include/vhsm/vhsm.h $(DESTDIR)$(PREFIX)/include/vhsm/vhsm.h
	install -D -m 0644 libvhsm/include/vhsm/report.h $(DESTDIR)$(PREFIX)/include/vhsm/report.h
	install -D -m 0644 libvhsm/include/vhsm/measure.h $(DESTDIR)$(PREFIX)/include/vhsm/measure.h
	install -D -m 0644 libvhsm/include/vhsm/kbs.h $(DESTDIR)$(PREFIX)/include/vhsm/kbs.h
	install -D -m 0644 $(LIB_SO) $(DESTDIR)$(LIBDIR)/$(notdir $(LIB_SO))
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libvhsm.so
	install -D -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libvhsm.a
	mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|^libdir=.*|libdir=$(LIBDIR)|' -e 's|^includedir=.*|includedir=$(PREFIX)/include|' \
		libvhsm/libvhsm.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libvhsm.pc

install-tool: $(TOOL) $(KBSD)
	install -D -m 0755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/vhsm-tool
	install -D -m 0644 tools/vhsm-tool/man/vhsm-tool.1 $(DESTDIR)$(PREFIX)/share/man/man1/vhsm-tool.1
	install -D -m 0755 $(KBSD) $(DESTDIR)$(PREFIX)/sbin/vhsm-kbs
	install -D -m 0644 tools/vhsm-kbs/man/vhsm-kbs.8 $(DESTDIR)$(PREFIX)/share/man/man8/vhsm-kbs.8
	mkdir -p $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' tools/vhsm-kbs/vhsm-kbs.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/vhsm-kbs.service
	for u in $(DIST_UNITS); do \
		sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' -e 's|@BINDIR@|$(PREFIX)/bin|g' $$u \
			> $(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $$u) || exit 1; \
	done
	install -D -m 0644 dist/udev/60-vhsm.rules $(DESTDIR)$(UDEVDIR)/rules.d/60-vhsm.rules
	install -D -m 0644 dist/sysusers/vhsm.conf $(DESTDIR)$(SYSUSERSDIR)/vhsm.conf
	install -D -m 0644 dist/modprobe/vhsm.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/vhsm.conf
	install -D -m 0644 dist/modprobe/vhsm-sev-guest.conf \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d/vhsm-sev-guest.conf

# ---- Debian packages ---------------------------------------------------------------
# `make deb`: the packages from a copy of the tree (the files git knows, or all
# but the build directory outside git) in $(DEB_DIR), then lintian on them
# (any error fails; warnings are listed in $(DEB_DIR)/lintian.txt).
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/vhsm-$(VERSION)
deb:
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
			cpio -0 -pdm --quiet $(DEB_SRC); \
	 else \
		tar -cf - --exclude=./$(BUILD) --exclude=./.git . | tar -C $(DEB_SRC) -xf -; \
	 fi
	@echo "  DEB      $(DEB_DIR) (log: $(DEB_DIR)/build.log)"
	@cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b > ../build.log 2>&1 || \
		{ tail -n 40 ../build.log >&2; exit 1; }
	@scripts/lintian-check.sh $(DEB_DIR)

# `make check-install`: the packages in a clean Debian 12 chroot (debootstrap,
# cached in VHSM_CACHE_DIR), DKMS building the module for KVER, then purged
# (scripts/check-install.sh; README: "Installing").
check-install: deb
	@mkdir -p $(BUILD)/results
	@{ scripts/check-install.sh $(DEB_DIR) $(KVER); echo $$? > $(BUILD)/results/check-install.rc; } \
		| tee $(BUILD)/results/check-install.tap; exit $$(cat $(BUILD)/results/check-install.rc)

clean:
	rm -rf $(BUILD)
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null

-include $(shell find $(BUILD) -path $(BUILD)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
