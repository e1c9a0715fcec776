# SPDX-License-Identifier: GPL-2.0-or-later
#
# vhsm — top-level build. `make` builds the module, libvhsm, vhsm-tool and the
# tests; `make check` runs every test (host and VM); `make demo` boots the VM
# and shows vhsm-tool at work. `make help` lists the rest.

VERSION   := $(shell cat VERSION)
BUILD     ?= build
PREFIX    ?= /usr/local
CC        ?= gcc

# Kernel build tree: the running kernel's when it has one, else Debian's 6.12
# headers (which is also the kernel the test VM boots).
KVER_RUNNING := $(shell uname -r)
KDIR ?= $(if $(wildcard /lib/modules/$(KVER_RUNNING)/build/Makefile),\
	/lib/modules/$(KVER_RUNNING)/build,\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64))))
KVER      = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

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
SANITIZE  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

include libvhsm/report.mk

LIB_SRCS  := libvhsm/device.c libvhsm/info.c libvhsm/strerror.c libvhsm/key.c \
	     libvhsm/keyname.c libvhsm/keyerror.c libvhsm/crypto.c libvhsm/attest.c \
	     $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS)
LIB_LIBS  := -lcrypto -ljansson
TOOL_SRCS := tools/vhsm-tool/common.c tools/vhsm-tool/info.c \
	     tools/vhsm-tool/keygen.c tools/vhsm-tool/keys.c \
	     tools/vhsm-tool/aead.c tools/vhsm-tool/container.c \
	     tools/vhsm-tool/sign.c tools/vhsm-tool/mac.c \
	     tools/vhsm-tool/pubkey.c tools/vhsm-tool/encoding.c \
	     tools/vhsm-tool/report.c tools/vhsm-tool/attest.c
TESTCA_SRCS := tools/vhsm-testca/testca.c
TOOL_MAIN := tools/vhsm-tool/main.c
LIB_SO    := $(BUILD)/lib/libvhsm.so.$(VERSION)
LIB_SONAME:= libvhsm.so.0
LIB_A     := $(BUILD)/lib/libvhsm.a
TOOL      := $(BUILD)/bin/vhsm-tool

# Tests that run inside the VM (kselftest harness, TAP).
GUEST_C_TESTS  := ioctl_test perm_test lib_test key_test acl_test race_test kat_test \
		  interop_test attest_test attest_variants_test attest_wipe_test ioctl_fuzz_test \
		  snp_channel_test fault_test
# Run order: module_test.sh loads the module, unload_test.sh unloads it;
# attest_variants_test, attest_wipe_test and snp_channel_test reload it, so
# they run before pm_test.sh leaves keys for unload_test.sh.
GUEST_TESTS    := module_test.sh ioctl_test perm_test lib_test key_test acl_test race_test \
		  kat_test interop_test attest_test attest_variants_test attest_wipe_test \
		  snp_channel_test ioctl_fuzz_test \
		  cli_test.sh keycli_test.sh attest_cli_test.sh tsm_test.sh pm_test.sh unload_test.sh
GUEST_SH_TESTS := module_test.sh cli_test.sh keycli_test.sh attest_cli_test.sh tsm_test.sh \
		  pm_test.sh unload_test.sh kmemleak_test.sh kmemleak_unloaded_test.sh
# The debug-kernel lane (make check-debug) runs the suite plus fault_test
# (before pm_test.sh: it may reload the module) and kmemleak passes before
# and after the final unload.
DEBUG_TESTS    := $(patsubst pm_test.sh,fault_test kmemleak_test.sh pm_test.sh,\
		  $(GUEST_TESTS)) kmemleak_unloaded_test.sh
GUEST_HELPERS  := runas
# Host unit tests, built and run under ASan and UBSan.
HOST_C_TESTS   := lib_unit tool_unit key_unit keytool_unit key_fake_unit report_test \
		  testca_verify_test
HOST_SH_TESTS  := cli_host_test.sh keycli_host_test.sh testca_test.sh report_cli_test.sh \
		  fuzz_smoke.sh

KSFT      := $(BUILD)/ksft
GUEST_BIN := $(addprefix $(BUILD)/selftests/,$(GUEST_C_TESTS) $(GUEST_HELPERS))
HOST_BIN  := $(addprefix $(BUILD)/host/,$(HOST_C_TESTS)) $(BUILD)/host/vhsm-tool \
	     $(BUILD)/host/vhsm-testca

lib_objs  = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps module lib tool selftests host-tests check check-run demo bench install \
	clean help fuzz fuzzers check-debug module-debug debug-kernel

all: module lib tool selftests

help:
	@echo "make            build vhsm.ko, libvhsm, vhsm-tool and the tests"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make check      run every test: host unit tests (ASan, UBSan) and the VM tests"
	@echo "make demo       boot the test VM on the sim platform and show vhsm-tool"
	@echo "make bench      benchmark in the VM: ratios against AF_ALG and OpenSSL"
	@echo "make fuzz       run each libFuzzer target for FUZZ_TIME seconds (default 600)"
	@echo "make check-debug  the VM suite on a debug kernel (KASAN, lockdep, kmemleak, UBSAN,"
	@echo "                fault injection; built once into VHSM_CACHE_DIR, default /var/cache/vhsm)"
	@echo "make install    install module, library, headers and tool (PREFIX=$(PREFIX))"
	@echo "variables: V=1 (show commands), KDIR (kernel build tree, now $(KDIR)), BUILD, PREFIX, VHSM_KVM=0|1"

deps:
	@scripts/deps.sh

# ---- kernel module: W=1 and sparse, any warning fails the build ----------------
module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run 'make deps' or set KDIR" >&2; exit 1; }
	@scripts/kbuild.sh $(KDIR) $(CURDIR)

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

$(BUILD)/lib/libvhsm.pc: libvhsm/libvhsm.pc.in VERSION
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

lib: $(LIB_SO) $(LIB_A) $(BUILD)/lib/libvhsm.pc

# ---- vhsm-tool --------------------------------------------------------------------
$(TOOL): $(call lib_objs,$(TOOL_SRCS) $(TOOL_MAIN)) $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) LD $@
	$(Q)$(CC) $(LDHARDEN) -o $@ $(call lib_objs,$(TOOL_SRCS) $(TOOL_MAIN)) \
		-L$(BUILD)/lib -lvhsm -ljansson -lcrypto

tool: $(TOOL)

# ---- tests that run in the VM -------------------------------------------------------
$(KSFT)/kselftest_harness.h:
	@scripts/ksft-headers.sh $(KSFT)

TEST_CPPFLAGS = $(CPPFLAGS) -isystem $(KSFT) -Iselftests/vhsm

$(BUILD)/selftests/%: selftests/vhsm/%.c $(KSFT)/kselftest_harness.h $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(TEST_CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		-L$(BUILD)/lib -lvhsm -lpthread -ljansson -lcrypto

# the test CA in the guest, to certify the simulated AMD-SP's VCEK
$(BUILD)/selftests/vhsm-testca: tools/vhsm-testca/vhsm-testca.c $(TESTCA_SRCS) tools/vhsm-testca/testca.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ tools/vhsm-testca/vhsm-testca.c $(TESTCA_SRCS) -lcrypto

selftests: $(GUEST_BIN) $(TOOL) $(BUILD)/selftests/vhsm-testca

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

host-tests: $(HOST_BIN) fuzzers

# ---- libFuzzer targets (clang): a short run in make check, a long one in make fuzz ---
FUZZ_TARGETS := report_fuzz certtable_fuzz
FUZZ_BINS    := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Iuapi -Ilibvhsm/include -D_GNU_SOURCE
FUZZ_TIME    ?= 600

$(BUILD)/fuzz/%_fuzz: selftests/fuzz/%_fuzz.c $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS) \
		libvhsm/include/vhsm/report.h libvhsm/verify_internal.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZ $@
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(VHSM_REPORT_SRCS) $(VHSM_REPORT_GEN_SRCS) $(LIB_LIBS)

$(BUILD)/fuzz/certtable_seed: selftests/fuzz/certtable_fuzz.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -DCERTTABLE_SEED_MAIN -o $@ $<

fuzzers: $(FUZZ_BINS) $(BUILD)/fuzz/certtable_seed

fuzz: fuzzers
	@VHSM_FUZZ_DIR=$(BUILD)/fuzz VHSM_FUZZ_TIME=$(FUZZ_TIME) \
		VHSM_TESTDATA=selftests/testdata/snp selftests/host/fuzz_smoke.sh

# ---- the debug-kernel lane: not part of make check (README: "The debug-kernel lane") --
debug-kernel:
	@scripts/debug-kernel.sh >/dev/null

module-debug: debug-kernel
	@scripts/kbuild-debug.sh $$(scripts/debug-kernel.sh)/build $(BUILD)/debug/ksrc

check-debug: all
	@scripts/deps.sh
	@scripts/check-debug.sh $(BUILD) "$(DEBUG_TESTS)"

# ---- running the tests ---------------------------------------------------------------
check:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory check-run

check-run: all host-tests
	@rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results
	@selftests/host/run.sh $(BUILD) $(BUILD)/results/host.log \
		"$(HOST_C_TESTS)" "$(HOST_SH_TESTS)" ; \
	 selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) \
		--tests "$(GUEST_TESTS)" --log $(BUILD)/results/vm ; \
	 scripts/tap-summary.sh $(BUILD)/results/host.log $(BUILD)/results/vm.tap \
		$(BUILD)/results/vm.status

$(BUILD)/selftests/bench: selftests/bench/bench.c selftests/vhsm/keyops.h
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) -Iselftests/vhsm $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		-lkcapi -lcrypto

$(BUILD)/bench/verify_bench: selftests/bench/verify_bench.c $(LIB_SO)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< -L$(BUILD)/lib -lvhsm

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all $(BUILD)/selftests/bench $(BUILD)/bench/verify_bench
	@mkdir -p $(BUILD)/results
	@{ selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) --bench \
		--log $(BUILD)/results/bench && \
	   LD_LIBRARY_PATH=$(BUILD)/lib $(BUILD)/bench/verify_bench selftests/testdata/snp; } \
		| tee $(BUILD)/results/bench.txt

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@selftests/qemu/run-vm.sh --kver $(KVER) --build $(BUILD) --demo --log $(BUILD)/demo

# ---- install ---------------------------------------------------------------------------
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	install -D -m 0644 uapi/linux/vhsm.h $(DESTDIR)$(PREFIX)/include/linux/vhsm.h
	install -D -m 0644 libvhsm/include/vhsm/vhsm.h $(DESTDIR)$(PREFIX)/include/vhsm/vhsm.h
	install -D -m 0644 libvhsm/include/vhsm/report.h $(DESTDIR)$(PREFIX)/include/vhsm/report.h
	install -D -m 0755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/$(notdir $(LIB_SO))
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(PREFIX)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(PREFIX)/lib/libvhsm.so
	install -D -m 0644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/libvhsm.a
	install -D -m 0644 $(BUILD)/lib/libvhsm.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/libvhsm.pc
	install -D -m 0755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/vhsm-tool
	install -D -m 0644 tools/vhsm-tool/man/vhsm-tool.1 $(DESTDIR)$(PREFIX)/share/man/man1/vhsm-tool.1

clean:
	rm -rf $(BUILD)
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
