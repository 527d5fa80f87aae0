# SPDX-License-Identifier: GPL-2.0
# dacc: build the module and the tools, test them in a VM, install them.
#
#   make            module (kmod/tcp_dacc.ko) and userspace programs
#   make demo       boot the VM and show dacc against cubic and bbr
#   make check      deps if missing, build, checkpatch, unit tests, VM selftests
#   make check-debug  the VM selftests, netlink fuzzer and churn under a debug
#                   kernel (KASAN, lockdep, kmemleak...; built once, cached)
#   make bench      the benchmark scenarios of DESIGN.md in the VM
#   make sim        the scale grid in the simulator (and ns-3), bench/results/sim
#   make fuzz       the libFuzzer harnesses of fuzz/, FUZZ_SECONDS (60) each
#   make deps       install the Debian packages this project needs
#   make install    module via DKMS, tools to $(PREFIX); make uninstall

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The kernel the test VM boots; the module must be built for exactly it.
VM_KVER := $(shell . $(TOP)/selftests/vm/kernel.sh && vm_kernel_version)
VM_KDIR := /lib/modules/$(VM_KVER)/build
# On a host with its own headers build for the running kernel, else for the VM.
HOST_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(HOST_KDIR)/Makefile),$(HOST_KDIR),$(VM_KDIR))
# The same, found when a recipe runs: on a fresh machine `make demo` installs
# the kernel (deps-if-missing) after this Makefile was read.
VM_KDIR_NOW = /lib/modules/$$(. $(TOP)/selftests/vm/kernel.sh && vm_kernel_version)/build

PREFIX ?= /usr/local
DESTDIR ?=
DACC_VERSION := 0.1

# Pieces of the kernel source read at build time: checkpatch, kselftest.
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
LSRC := $(TOP)/build/linux-source
LSRC_STAMP := $(LSRC)/.stamp

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.PHONY: all module userspace deps deps-if-missing check check-debug unit selftests checkpatch \
	demo bench sim fuzz install uninstall clean linux-source

all: module userspace

module:
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP) modules

userspace:
	$(Q)$(MAKE) -C $(TOP)/userspace

deps:
	$(Q)$(TOP)/scripts/deps.sh

deps-if-missing:
	$(Q)$(TOP)/scripts/deps.sh --check 2>/dev/null || $(TOP)/scripts/deps.sh

$(LSRC_STAMP): $(LINUX_SRC_TAR)
	$(Q)mkdir -p $(LSRC)
	$(Q)tar -xJf $(LINUX_SRC_TAR) -C $(LSRC) --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch \
		linux-source-6.1/tools/testing/selftests/kselftest.h \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/lib.mk \
		linux-source-6.1/tools/testing/selftests/kselftest
	$(Q)touch $@

linux-source: $(LSRC_STAMP)

# Kernel style: every file of kmod/ clean under checkpatch --strict.
checkpatch: $(LSRC_STAMP)
	$(Q)$(TOP)/scripts/checkpatch.sh $(LSRC)/scripts/checkpatch.pl

# Userspace unit tests (cmocka, ASan + UBSan), TAP on stdout.
unit: $(LSRC_STAMP)
	$(Q)$(MAKE) -C $(TOP)/userspace run-tests

# The VM selftests, built for the VM's kernel.
selftests: $(LSRC_STAMP)
	$(Q)$(MAKE) -C $(VM_KDIR_NOW) M=$(TOP) modules >/dev/null
	$(Q)$(MAKE) -C $(TOP)/userspace >/dev/null
	$(Q)$(TOP)/selftests/vm/run.sh $(TOP)/selftests/vm/guest-selftests.sh

check: deps-if-missing
	$(Q)$(TOP)/scripts/check.sh

check-debug: deps-if-missing
	$(Q)$(TOP)/scripts/check-debug.sh

demo: deps-if-missing
	$(Q)$(MAKE) -C $(VM_KDIR_NOW) M=$(TOP) modules >/dev/null
	$(Q)$(MAKE) -C $(TOP)/userspace >/dev/null
	$(Q)$(TOP)/selftests/vm/run.sh $(TOP)/scripts/demo.sh

bench: deps-if-missing
	$(Q)$(MAKE) -C $(VM_KDIR_NOW) M=$(TOP) modules >/dev/null
	$(Q)$(MAKE) -C $(TOP)/userspace >/dev/null
	$(Q)$(TOP)/bench/run.sh

sim: deps-if-missing
	$(Q)$(MAKE) -C $(TOP)/userspace >/dev/null
	$(Q)if pkg-config --exists ns3-internet 2>/dev/null; then \
		$(MAKE) -s -C $(TOP)/bench/sim/ns3; fi
	$(Q)$(TOP)/bench/sim/grid.py --out $(TOP)/bench/results/sim

# The parsers of dacc and daccd under libFuzzer (clang, ASan + UBSan), one
# harness after the other; a crash fails and is saved in fuzz/crashes/.
# New inputs go to build/fuzz/corpus-new/; scripts/fuzz.sh --merge adds the
# interesting ones to fuzz/corpus/.  make check replays the corpora.
FUZZ_SECONDS ?= 60
fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) $(TOP)/scripts/fuzz.sh

install: userspace
	$(Q)$(TOP)/scripts/install.sh install "$(DESTDIR)" "$(PREFIX)" "$(DACC_VERSION)"

uninstall:
	$(Q)$(TOP)/scripts/install.sh uninstall "$(DESTDIR)" "$(PREFIX)" "$(DACC_VERSION)"

clean:
	$(Q)if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi
	$(Q)$(MAKE) -C $(TOP)/userspace clean
	$(Q)rm -rf $(TOP)/build
