# ferry: one plain Makefile. `make V=1` shows the full command lines.
#   make          build/ferry (static, musl) + build/mkinitramfs (host) + build/initramfs.cpio.gz
#   make ARCH=aarch64 / ARCH=armv7   the same for ARM in build/ARCH/ (README "Building")
#   make run      build everything and boot the demo in QEMU, printing the boot timeline
#   make check    every test: unit, fuzz (bounded), netns, QEMU scenarios
#   make bench    size and speed figures side by side with peers
#   make install  PREFIX/DESTDIR

SHELL   := /bin/bash
PREFIX  ?= /usr
DESTDIR ?=
B       ?= build
V       ?= 0
FUZZ_SECONDS ?= 5
FUZZ_EXECS ?= 10000000
# LIBC=musl (default): the three libraries built from Debian's sources with musl-gcc into $(B)/sysroot.
# LIBC=glibc: link Debian's glibc .a files statically instead (a fallback only).
LIBC    ?= musl
# ARCH: what ferry is built for (README "Building"): x86_64, aarch64, armv7; arm64, arm and armhf are
# read as Linux, Yocto and Buildroot spell them. A foreign ARCH builds in $(B)/ARCH/; host tools
# (mkinitramfs) stay in $(B)/. Without ARCH, a CROSS_COMPILE prefix names it (aarch64-poky-linux-musl-).
# LIBS=bundled (default): libblkid, libkeyutils, zlib from tools/sysroot.sh in $(B)/sysroot.
# LIBS=system: the toolchain's own, found with $(PKG_CONFIG) (Yocto, Buildroot), with $(CROSS_COMPILE)gcc.
# HARDEN=1 (default): stack protector, stack clash probes, zeroed locals, static-pie, RELRO, BIND_NOW,
# no executable stack. HARDEN=0: plain -static (for the benchmark). NOSTRIP=1: $(B)/ferry not stripped
# (for build systems that split debug info themselves); $(B)/ferry.debug is always the unstripped twin.
# LTO=1 (default): ferry's own code link-time optimised (about 8 KiB less on aarch64). MAXPAGE: the
# largest page size the binary can be loaded with; 4096 on arm (i.MX kernels use 4 KiB pages) instead of
# the linker's 64 KiB, whose RELRO alignment pads the file by up to 64 KiB of zeros; MAXPAGE=65536 for
# arm64 kernels with 16 or 64 KiB pages.
LIBS    ?= bundled
HARDEN  ?= 1
NOSTRIP ?= 0
arch_name = $(or $(if $(filter aarch64 arm64,$(1)),aarch64),$(if $(filter arm armv7 armv7l armhf,$(1)),armv7),$(if $(filter x86_64 amd64,$(1)),x86_64),$(1))
# ARCH and CROSS_COMPILE exported for a kernel build do not change ferry's: only make's command line
# (or this file) chooses the target.
override HOST_ARCH := $(call arch_name,$(shell uname -m))
from_cmdline = $(if $(filter environment%,$(origin $(1))),,$($(1)))
override ARCH := $(call arch_name,$(or $(call from_cmdline,ARCH),$(if $(call from_cmdline,CROSS_COMPILE),$(firstword \
	$(subst -, ,$(CROSS_COMPILE)))),$(HOST_ARCH)))
# RELR=1 (default with the bundled musl and HARDEN=1): ferry's own start code (lib/core/start/start.c)
# and the relative relocations packed as DT_RELR, by GNU ld where it can (binutils 2.40: x86_64 only; its
# aarch64 and arm ld ignore -z pack-relative-relocs), else by ld.lld (aarch64, armv7), which cannot take GCC's
# LTO: there LTO defaults to 0, and LTO=1 on the command line links with GNU ld and no DT_RELR instead.
# Measured without LTO and with lld: aarch64 -16,392 + 29,544 bytes, armv7 (DT_REL's 8-byte entries)
# -8,208 + 10,408.
RELR    ?= 1
RELR_LD_x86_64  := bfd
RELR_LD_aarch64 := lld
RELR_LD_armv7   := lld
OWN_START := $(if $(filter musl.bundled.1.1,$(LIBC).$(LIBS).$(HARDEN).$(RELR)),1)
RELR_LD := $(if $(OWN_START),$(RELR_LD_$(ARCH)))
ifeq ($(RELR_LD),lld)
LLD := $(shell command -v ld.lld 2>/dev/null)
ifeq ($(LTO),1)
override RELR_LD :=
else ifeq ($(LLD),)
override RELR_LD :=
endif
endif
LTO     ?= $(if $(filter lld,$(RELR_LD)),0,1)
HB      := $(B)
ifneq ($(ARCH),$(HOST_ARCH))
override B := $(B)/$(ARCH)
endif

Q = $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' '$(1)' '$(2)';)

# CC_PROBE: the compiler asked which flags it takes (without the musl specs, which may not exist yet).
ifeq ($(LIBS),system)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
CC_PROBE = $(CC)
PKG_CONFIG ?= pkg-config
PC_LIBS := blkid libkeyutils zlib
ifeq ($(filter clean,$(MAKECMDGOALS)),)
PC_ERR := $(shell $(PKG_CONFIG) --exists --print-errors $(PC_LIBS) 2>&1 || echo FAILED)
ifneq ($(filter FAILED,$(PC_ERR)),)
$(error LIBS=system: $(PKG_CONFIG) finds no $(PC_LIBS) for the target: $(filter-out FAILED,$(PC_ERR)))
endif
SYS_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PC_LIBS))
LDLIBS_FERRY := $(shell $(PKG_CONFIG) --static --libs $(PC_LIBS))
endif
SYSROOT_STAMP :=
else ifeq ($(LIBC),musl)
# Debian's musl wrappers (musl-gcc, aarch64-linux-musl-gcc, arm-linux-musleabihf-gcc) are the GNU
# cross compiler plus a specs file; $(B)/musl-gcc.specs is that file taught -static-pie (rcrt1.o).
GNU_TRIPLE_x86_64   := x86_64-linux-gnu
GNU_TRIPLE_aarch64  := aarch64-linux-gnu
GNU_TRIPLE_armv7    := arm-linux-gnueabihf
MUSL_TRIPLE_x86_64  := x86_64-linux-musl
MUSL_TRIPLE_aarch64 := aarch64-linux-musl
MUSL_TRIPLE_armv7   := arm-linux-musleabihf
ifeq ($(MUSL_TRIPLE_$(ARCH)),)
$(error ARCH=$(ARCH): ferry builds for x86_64, aarch64, armv7 (or LIBS=system with your own toolchain))
endif
override CROSS_COMPILE := $(GNU_TRIPLE_$(ARCH))-
MUSL_SPECS := /usr/lib/$(MUSL_TRIPLE_$(ARCH))/musl-gcc.specs
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc -specs $(B)/musl-gcc.specs
endif
CC_PROBE = $(CROSS_COMPILE)gcc
SYSROOT   := $(B)/sysroot
SYSROOT_STAMP := $(SYSROOT)/.done $(B)/musl-gcc.specs
SYS_CFLAGS := -isystem $(SYSROOT)/include
SYS_LDFLAGS := -L$(SYSROOT)/lib
else
ifeq ($(origin CC),default)
CC := gcc
endif
CC_PROBE = $(CC)
SYSROOT_STAMP :=
endif
HOSTCC  ?= cc
CLANG   ?= clang
STRIP   ?= $(CROSS_COMPILE)strip

WARN     = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  ?= -Os -g
# ARCH_CFLAGS_$(ARCH): for ferry's own objects of that ARCH. aarch64: GCC keeps a frame record (x29) in
# every function unless told (x86_64 and arm omit it at -Os already); ferry.debug's .debug_frame is
# what gdb unwinds with. -5,280 bytes on aarch64.
ARCH_CFLAGS_aarch64 := -fomit-frame-pointer
FERRY_CFLAGS = -std=gnu11 $(WARN) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-D_GNU_SOURCE -MMD -MP
LDLIBS_FERRY ?= -lblkid -lkeyutils -lz
MAXPAGE_aarch64 := 4096
MAXPAGE_armv7   := 4096
MAXPAGE ?= $(MAXPAGE_$(ARCH))
# With LTO the code is generated at the link: the code generation flags go there too (the warnings stay
# those of each file's compile, as without LTO).
LTO_FLAGS := $(if $(filter 1,$(LTO)),-flto=auto)
LTO_LINK_FLAGS := $(if $(filter 1,$(LTO)),-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables)
LDFLAGS_FERRY = -Wl,--gc-sections $(MAXPAGE:%=-Wl,-z,max-page-size=%) $(HARDEN_LDFLAGS) $(RELR_LDFLAGS)

# --- hardening (README "Building"): each flag where the compiler has it for ARCH ------------------------
cc-option = $(shell $(CC_PROBE) -Werror $(1) -c -x c /dev/null -o /dev/null 2>/dev/null && echo '$(1)')
# _FORTIFY_SOURCE only where the libc has fortified headers (glibc, musl with fortify-headers; Debian's
# musl has none) and the build system has not chosen a level itself.
FORTIFY_PROBE = printf '\043include <string.h>\n\043if !(__USE_FORTIFY_LEVEL > 0) && !defined(_FORTIFY_HEADERS_H)\n\043error\n\043endif\n' | \
	$(CC_PROBE) $(CFLAGS) -O2 -D_FORTIFY_SOURCE=2 -E -x c - -o /dev/null 2>/dev/null && echo -D_FORTIFY_SOURCE=2
ifeq ($(HARDEN),1)
HARDEN_CFLAGS := -fPIE $(call cc-option,-fstack-protector-strong) $(call cc-option,-fstack-clash-protection) \
	$(call cc-option,-ftrivial-auto-var-init=zero) \
	$(if $(filter musl.bundled,$(LIBC).$(LIBS))$(findstring _FORTIFY_SOURCE,$(CFLAGS) $(CPPFLAGS)),,$(shell $(FORTIFY_PROBE)))
HARDEN_LDFLAGS := -static-pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack
else
HARDEN_CFLAGS :=
HARDEN_LDFLAGS := -static
endif

# --- ferry's own static-pie start code and packed relocations (README "Building", "Size") --------------
# With the bundled musl (1.2.3, whose rcrt1.o applies no DT_RELR) and HARDEN=1, ferry starts from
# lib/core/start/start.c (DT_REL, DT_RELA and DT_RELR applied, then musl's __libc_start_main), linked
# with $(B)/start.specs (musl's specs without rcrt1.o); RELR_LD (above) says which linker packs the
# relocations. RELR=0 links as before (musl's rcrt1.o, DT_RELA / DT_REL). ld.lld's -O2 merges a string
# into the tail of a longer one, as GNU ld always does (aarch64 -2,464 bytes).
ifeq ($(OWN_START),1)
START_OBJ := $(B)/obj/lib/core/start/start.o
START_SPECS := $(B)/start.specs
RELR_LDFLAGS_bfd := -Wl,-z,pack-relative-relocs
RELR_LDFLAGS_lld := -B$(B)/lld/ -fuse-ld=lld -Wl,--pack-dyn-relocs=relr -Wl,-O2
RELR_LDFLAGS := -specs $(START_SPECS) $(RELR_LDFLAGS_$(RELR_LD))
START_DEPS := $(START_OBJ) $(START_SPECS) $(if $(filter lld,$(RELR_LD)),$(B)/lld/ld.lld)
endif

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
INIT_SRC := $(sort $(wildcard init/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# $(B)/.flags: the compile and link flags of the last build; objects are rebuilt when they change
# (HARDEN=0 after HARDEN=1, another CFLAGS), never mixed.
FLAGS_NOW = $(CC) $(CPPFLAGS) $(CFLAGS) $(FERRY_CFLAGS) $(ARCH_CFLAGS_$(ARCH)) $(HARDEN_CFLAGS) $(LTO_FLAGS) $(SYS_CFLAGS) ; $(LTO_LINK_FLAGS) $(LDFLAGS) \
	$(LDFLAGS_FERRY) $(SYS_LDFLAGS) $(LDLIBS_FERRY)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(file <$(B)/.flags),$(strip $(FLAGS_NOW)))
$(shell mkdir -p $(B))
$(file >$(B)/.flags,$(strip $(FLAGS_NOW)))
endif
endif

# Architecture-specific code: lib/*/arch/$(ARCH)/*.c and *.S go into ferry for that ARCH only (not into
# the host's unit-test and fuzz builds).
ARCH_SRC := $(sort $(wildcard lib/*/arch/$(ARCH)/*.c lib/*/arch/$(ARCH)/*.S))

LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
ARCH_OBJ := $(addprefix $(B)/obj/,$(addsuffix .o,$(basename $(ARCH_SRC))))
INIT_OBJ := $(INIT_SRC:%.c=$(B)/obj/%.o)
HLIB_OBJ := $(LIB_SRC:%.c=$(B)/host/%.o)
FLIB_OBJ := $(LIB_SRC:%.c=$(B)/fuzz/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/host/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/bin/%)

all: $(B)/ferry $(HB)/mkinitramfs $(B)/initramfs.cpio.gz

# --- the static PID 1 binary -------------------------------------------------------------------------
$(SYSROOT)/.done: tools/sysroot.sh
	$(call say,SYSROOT,$(SYSROOT))
	$(Q)tools/sysroot.sh $(SYSROOT) $(ARCH)

$(B)/musl-gcc.specs: $(MUSL_SPECS)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|%{!shared: \(/[^ ]*/\)Scrt1.o}|%{static-pie: \1rcrt1.o; !shared: \1Scrt1.o}|' \
		-e 's|^-dynamic-linker \([^ ]*\) |%{!static-pie:-dynamic-linker \1} |' \
		-e 's|%{static:-static}|%{static:-static} %{static-pie:-static -pie --no-dynamic-linker -z text}|' $< >$@.tmp
	$(Q)grep -q rcrt1.o $@.tmp && grep -q no-dynamic-linker $@.tmp || { echo "$<: unexpected layout" >&2; exit 1; }
	$(Q)mv $@.tmp $@

# The start code runs before its relocations: no LTO (nothing inlined into it or it into anything);
# its one function that runs unrelocated has the attribute no_stack_protector.
$(START_OBJ): LTO_FLAGS :=

# the cross gcc finds ld.lld (-fuse-ld=lld) only in its own directories or -B's
$(B)/lld/ld.lld:
	$(Q)mkdir -p $(@D)
	$(Q)ln -sfn $(LLD) $@

$(START_SPECS): $(B)/musl-gcc.specs
	$(Q){ echo '*startfile:'; sed -n '/^\*startfile:/{n;s|%{static-pie: [^;]*rcrt1.o; !shared: [^}]*} ||p;}' $<; } >$@.tmp
	$(Q)test "$$(wc -l <$@.tmp)" = 2 && ! grep -q rcrt1.o $@.tmp || { echo "$<: unexpected startfile" >&2; exit 1; }
	$(Q)mv $@.tmp $@

$(B)/obj/%.o: %.c $(B)/.flags | $(SYSROOT_STAMP)
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(FERRY_CFLAGS) $(ARCH_CFLAGS_$(ARCH)) $(HARDEN_CFLAGS) $(LTO_FLAGS) $(SYS_CFLAGS) -c -o $@ $<

$(B)/obj/%.o: %.S $(B)/.flags | $(SYSROOT_STAMP)
	$(call say,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(FERRY_CFLAGS) $(SYS_CFLAGS) -Wa,--noexecstack -c -o $@ $<

$(B)/libferry.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# lib/'s objects are linked as objects (not through libferry.a, whose index would need the LTO plugin of
# the target's ar); --gc-sections drops what ferry does not call.
# (the sysroot's stamp a prerequisite, not order-only: a rebuilt sysroot is linked in)
$(B)/ferry.debug: $(START_DEPS) $(INIT_OBJ) $(ARCH_OBJ) $(LIB_OBJ) $(B)/.flags $(SYSROOT_STAMP)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(HARDEN_CFLAGS) $(LTO_FLAGS) $(LTO_LINK_FLAGS) $(LDFLAGS) $(LDFLAGS_FERRY) $(SYS_LDFLAGS) -o $@ \
		$(START_OBJ) $(INIT_OBJ) $(ARCH_OBJ) $(LIB_OBJ) $(LDLIBS_FERRY)

$(B)/ferry: $(B)/ferry.debug
	$(call say,STRIP,$@)
	$(Q)$(if $(filter 1,$(NOSTRIP)),cp $< $@,$(STRIP) --strip-all -o $@ $<)

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
TLIB_OBJ := $(LIB_SRC:%.c=$(HB)/tool/%.o)
$(HB)/tool/%.o: %.c
	$(call say,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 $(FERRY_CFLAGS) -c -o $@ $<

$(HB)/tool/libferry.a: $(TLIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(HB)/mkinitramfs: $(HB)/tool/tools/mkinitramfs.o $(HB)/tool/libferry.a
	$(call say,HOSTLD,$@)
	$(Q)$(HOSTCC) -o $@ $^ $(LDLIBS_FERRY)

$(B)/initramfs.cpio.gz: initramfs-list $(B)/ferry $(HB)/mkinitramfs
	$(call say,CPIO,$@)
	$(Q)FERRY_BUILD=$(abspath $(B)) FERRY_TOP=$(CURDIR) $(HB)/mkinitramfs -t 0 -o $@ initramfs-list

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
	@# The test kernels (a fresh machine's longest step) build beside the layers, at the layers' own
	@# priority: niced, they got a tenth of a core once the QEMU layer began and came last. Their
	@# scenarios run last (tests/vm/run.sh); one that comes to a kernel still building waits for it
	@# (kernel.sh holds a lock) or, if it failed, reports it.
	$(Q)(tests/vm/kernel.sh x86_64 && tests/vm/kernel.sh aarch64) > $(B)/check/kernels.out 2>&1 < /dev/null &
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

check-host: all arm-all
	$(Q)mkdir -p $(B)/check
	$(Q)tests/host/run.sh $(B) 2>&1 | tee $(B)/check/host.log; exit $${PIPESTATUS[0]}

check-netns: all $(B)/host/ferry
	$(Q)mkdir -p $(B)/check
	$(Q)tests/netns/run.sh $(B) 2>&1 | tee $(B)/check/netns.log; exit $${PIPESTATUS[0]}

check-vm: all arm-all
	$(Q)mkdir -p $(B)/check
	$(Q)tests/vm/run.sh $(B) 2>&1 | tee $(B)/check/vm.log; exit $${PIPESTATUS[0]}

# ferry for the arm VM layers ($(B)/aarch64, $(B)/armv7); a failed cross build is left for their
# scenarios to report (skipped: why, or a failure under CI=true).
arm-all:
	-$(Q)for a in aarch64 armv7; do $(MAKE) --no-print-directory B=$(HB) ARCH=$$a all; done

# --- demo, benchmarks, install ---------------------------------------------------------------------------
run: deps all
	$(Q)tests/vm/demo.sh $(B)

bench: deps all arm-all
	$(Q)tests/bench/run.sh $(B)

# `make ferry`: the binary alone (what Yocto and Buildroot build; no host tools, no initramfs).
ferry: $(B)/ferry

install: $(B)/ferry
	install -D -m 0755 $(B)/ferry $(DESTDIR)$(PREFIX)/sbin/ferry

clean:
	rm -rf $(B)

.PHONY: all ferry deps check unit-bin fuzz-bin fuzz-long check-unit check-fuzz check-host check-netns check-vm arm-all run bench install clean
.DELETE_ON_ERROR:
.SECONDARY:
-include $(shell find $(B)/obj $(B)/host $(HB)/tool $(B)/fuzz -name '*.d' -type f 2>/dev/null)
