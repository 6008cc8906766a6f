# ferry: one plain Makefile. `make V=1` shows the full command lines.
#   make          build/ferry (static, musl) + build/mkinitramfs (host) + build/initramfs.cpio.gz
#   make run      build everything and boot the demo in QEMU, printing the boot timeline
#   make check    every test: unit, fuzz (bounded), netns, QEMU scenarios
#   make bench    size and speed figures side by side with peers
#   make install  PREFIX/DESTDIR

SHELL   := /bin/bash
PREFIX  ?= /usr
DESTDIR ?=
B       ?= build
V       ?= 0
FUZZ_SECONDS ?= 10
FUZZ_EXECS ?= 10000000
# LIBC=musl (default): the three libraries built from Debian's sources with musl-gcc into $(B)/sysroot.
# LIBC=glibc: link Debian's glibc .a files statically instead (a fallback only).
LIBC    ?= musl

Q = $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' '$(1)' '$(2)';)

ifeq ($(LIBC),musl)
ifeq ($(origin CC),default)
CC := musl-gcc
endif
SYSROOT   := $(B)/sysroot
SYSROOT_STAMP := $(SYSROOT)/.done
SYS_CFLAGS := -isystem $(SYSROOT)/include
SYS_LDFLAGS := -L$(SYSROOT)/lib
else
ifeq ($(origin CC),default)
CC := gcc
endif
SYSROOT_STAMP :=
endif
HOSTCC  ?= cc
CLANG   ?= clang

WARN     = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  ?= -Os
FERRY_CFLAGS = -std=gnu11 $(WARN) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-D_GNU_SOURCE -MMD -MP
LDLIBS_FERRY = -lblkid -lkeyutils -lz
LDFLAGS_FERRY = -static -Wl,--gc-sections -s

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
INIT_SRC := $(sort $(wildcard init/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
INIT_OBJ := $(INIT_SRC:%.c=$(B)/obj/%.o)
HLIB_OBJ := $(LIB_SRC:%.c=$(B)/host/%.o)
FLIB_OBJ := $(LIB_SRC:%.c=$(B)/fuzz/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/host/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/bin/%)

all: $(B)/ferry $(B)/mkinitramfs $(B)/initramfs.cpio.gz

# --- the static PID 1 binary -------------------------------------------------------------------------
$(SYSROOT)/.done: tools/sysroot.sh
	$(call say,SYSROOT,$(SYSROOT))
	$(Q)tools/sysroot.sh $(SYSROOT)

$(B)/obj/%.o: %.c | $(SYSROOT_STAMP)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(FERRY_CFLAGS) $(SYS_CFLAGS) -c -o $@ $<

$(B)/libferry.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/ferry: $(INIT_OBJ) $(B)/libferry.a
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS_FERRY) $(SYS_LDFLAGS) -o $@ $(INIT_OBJ) $(B)/libferry.a $(LDLIBS_FERRY)

# --- host builds: lib/ for unit tests and host tools ---------------------------------------------------
$(B)/host/%.o: %.c
	$(call say,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -O1 -g $(FERRY_CFLAGS) -fsanitize=address,undefined -c -o $@ $<

$(B)/host/libferry.a: $(HLIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/host/tests/%: $(B)/host/tests/unit/%.o $(B)/host/libferry.a
	$(call say,HOSTLD,$@)
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ $(LDLIBS_FERRY)

# ferry itself for the host, with ASan and UBSan (glibc, dynamic: a test build only): the netns
# tests run `ferry net` from it against hostile servers, so a memory error there shows.
# (-Wno-format-truncation: gcc's -O1 with ASan sees a NULL that cannot be there, in init/early.c.)
HINIT_OBJ := $(INIT_SRC:%.c=$(B)/host/%.o)
$(B)/host/init/%.o: init/%.c
	$(call say,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -O1 -g $(FERRY_CFLAGS) -Wno-format-truncation -fsanitize=address,undefined -c -o $@ $<
$(B)/host/ferry: $(HINIT_OBJ) $(B)/host/libferry.a
	$(call say,HOSTLD,$@)
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ $(LDLIBS_FERRY)

# Host tools are built optimised and without sanitizers: mkinitramfs compresses tens of MB per VM test.
TLIB_OBJ := $(LIB_SRC:%.c=$(B)/tool/%.o)
$(B)/tool/%.o: %.c
	$(call say,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 $(FERRY_CFLAGS) -c -o $@ $<

$(B)/tool/libferry.a: $(TLIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/mkinitramfs: $(B)/tool/tools/mkinitramfs.o $(B)/tool/libferry.a
	$(call say,HOSTLD,$@)
	$(Q)$(HOSTCC) -o $@ $^ $(LDLIBS_FERRY)

$(B)/initramfs.cpio.gz: initramfs-list $(B)/ferry $(B)/mkinitramfs
	$(call say,CPIO,$@)
	$(Q)FERRY_BUILD=$(abspath $(B)) FERRY_TOP=$(CURDIR) $(B)/mkinitramfs -t 0 -o $@ initramfs-list

# --- fuzz targets ----------------------------------------------------------------------------------------
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
$(B)/fuzz/%.o: %.c
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) $(FERRY_CFLAGS) -c -o $@ $<

$(B)/fuzz/libferry.a: $(FLIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(B)/fuzz/bin/%: $(B)/fuzz/tests/fuzz/%.o $(B)/fuzz/libferry.a
	$(call say,FUZZLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS_FERRY)

# --- tests -----------------------------------------------------------------------------------------------
# Each layer writes its log under $(B)/check/; tests/tally.sh sums the "N passed, N failed" lines.
deps:
	$(Q)tools/deps.sh

check: deps
	$(Q)rm -rf $(B)/check; mkdir -p $(B)/check
	$(Q)$(MAKE) --no-print-directory all unit-bin fuzz-bin
	$(Q)$(MAKE) --no-print-directory -k check-unit check-fuzz check-host check-netns check-vm; rc=$$?; \
		tests/tally.sh $(B)/check && exit $$rc

unit-bin: $(UNIT_BIN)
fuzz-bin: $(FUZZ_BIN)

check-unit: $(UNIT_BIN)
	$(Q)mkdir -p $(B)/check
	$(Q)rc=0; for t in $(UNIT_BIN); do $$t || rc=1; done > $(B)/check/unit.log 2>&1; cat $(B)/check/unit.log; exit $$rc

check-fuzz: $(FUZZ_BIN)
	$(Q)mkdir -p $(B)/check
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN) 2>&1 | tee $(B)/check/fuzz.log; exit $${PIPESTATUS[0]}

# Every target to FUZZ_EXECS executions, one at a time; build/fuzz/summary.txt, new corpus entries
# merged into tests/fuzz/corpus/. FUZZ_TARGETS='fuzz_dhcp fuzz_lease' runs only those.
fuzz-long: $(FUZZ_BIN)
	$(Q)tests/fuzz/long.sh $(FUZZ_EXECS) $(B)/fuzz $(if $(FUZZ_TARGETS),$(addprefix $(B)/fuzz/bin/,$(FUZZ_TARGETS)),$(FUZZ_BIN))

check-host: all
	$(Q)mkdir -p $(B)/check
	$(Q)tests/host/run.sh $(B) 2>&1 | tee $(B)/check/host.log; exit $${PIPESTATUS[0]}

check-netns: all $(B)/host/ferry
	$(Q)mkdir -p $(B)/check
	$(Q)tests/netns/run.sh $(B) 2>&1 | tee $(B)/check/netns.log; exit $${PIPESTATUS[0]}

check-vm: all
	$(Q)mkdir -p $(B)/check
	$(Q)tests/vm/run.sh $(B) 2>&1 | tee $(B)/check/vm.log; exit $${PIPESTATUS[0]}

# --- demo, benchmarks, install ---------------------------------------------------------------------------
run: deps all
	$(Q)tests/vm/demo.sh $(B)

bench: deps all
	$(Q)tests/bench/run.sh $(B)

install: $(B)/ferry
	install -D -m 0755 $(B)/ferry $(DESTDIR)$(PREFIX)/sbin/ferry

clean:
	rm -rf $(B)

.PHONY: all deps check unit-bin fuzz-bin fuzz-long check-unit check-fuzz check-host check-netns check-vm run bench install clean
.DELETE_ON_ERROR:
.SECONDARY:
-include $(shell find $(B)/obj $(B)/host $(B)/tool $(B)/fuzz -name '*.d' -type f 2>/dev/null)
