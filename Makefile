# splicer: top-level build.
#
#   make            kmod/splicer.ko and ctl/splicerctl (installs build deps if missing)
#   make modules    the module only; make ctl: splicerctl only
#   make handshaked handshaked/splicer-handshaked, the TLS handshake daemon
#   make kunit      kunit.ko (out of tree, from Debian's linux-source) and
#                   kmod/tests/splicer_kunit.ko
#   make check      KUnit and every selftests/*.sh, each in its own VM;
#                   T=NAME runs only selftests/NAME.sh or the KUnit suite NAME
#   make demo       selftests/vm/demo.sh in a VM
#   make bench      splicer beside HAProxy, nginx and a direct connection in a
#                   deterministic VM (bench/run.sh, about 25 min): writes
#                   bench/results.json and Documentation/performance.md
#   make fuzz       the libFuzzer harnesses of selftests/fuzz/ on the host,
#                   300 s each (FUZZ_SECONDS=N); make check runs them 20 s
#   make deps       install every package the steps above need
#   make install    splicer.ko (modules_install + depmod), splicerctl and
#                   splicer-handshaked (with its man page and systemd unit)
#   make clean
#
# KDIR=<kernel build dir> picks the kernel (default: scripts/kver.sh's choice,
# which the VM boots too); C=1 (sparse) and W=1 pass through to kbuild.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Recursively expanded on purpose: evaluated in recipes, after deps.sh has run.
KDIR ?= /lib/modules/$(shell $(TOP)/scripts/kver.sh)/build
KVER = $(shell $(TOP)/scripts/kver.sh $(KDIR))
KUNIT_DIR = $(TOP)/build/kunit/$(KVER)
KBUILD_FLAGS = $(if $(C),C=$(C)) $(if $(W),W=$(W))
DEPS = $(TOP)/scripts/deps.sh

.PHONY: all modules ctl kunit check demo deps clean help install
.PHONY: handshaked deps-tls
.PHONY: check-kdir deps-build deps-kunit deps-vm deps-check
.PHONY: fuzz deps-fuzz bench deps-bench

all: modules ctl handshaked

# Packages first, as prerequisites: make expands a recipe (and so KDIR) only
# once the prerequisites are done.
deps-build deps-kunit deps-vm deps-fuzz deps-bench:
	@$(DEPS) $(@:deps-%=%)
deps-tls:
	@$(DEPS) tls
deps-check:
	@$(DEPS) build vm kunit fuzz

check-kdir: deps-build
	@test -f "$(KDIR)/Makefile" || { \
		echo "No kernel build dir at '$(KDIR)'."; \
		echo "Install headers: scripts/deps.sh build (or apt-get install linux-headers-amd64)."; \
		exit 1; }

modules: check-kdir
	$(MAKE) -C $(KDIR) M=$(TOP) $(KBUILD_FLAGS) modules

ctl: deps-build
	$(MAKE) -C $(TOP)/ctl

handshaked: deps-build deps-tls
	$(MAKE) -C $(TOP)/handshaked

kunit: check-kdir deps-kunit
	@$(TOP)/selftests/kunit/build-kunit.sh $(KDIR) >/dev/null
	$(MAKE) -C $(KDIR) M=$(TOP)/kmod/tests $(KBUILD_FLAGS) \
		KBUILD_EXTRA_SYMBOLS=$(KUNIT_DIR)/Module.symvers modules
	@if readelf -S $(TOP)/kmod/tests/splicer_kunit.ko | grep -q kunit_test_suites; then \
		echo "splicer_kunit.ko has a .kunit_test_suites section: kunit_compat.h was not used"; \
		exit 1; fi

check: deps-check
	SPLICER_KVER=$(KVER) KDIR=$(KDIR) $(TOP)/selftests/run.sh $(T)

fuzz: deps-fuzz
	$(TOP)/selftests/fuzz/run.sh $(or $(FUZZ_SECONDS),300)

demo: all deps-vm
	SPLICER_KVER=$(KVER) $(TOP)/selftests/vm/run.sh $(TOP)/selftests/vm/demo.sh

bench: all deps-vm deps-bench
	SPLICER_KVER=$(KVER) $(TOP)/bench/run.sh

deps:
	@$(DEPS) all

# On a real server: the module into /lib/modules/<running kernel>/updates
# (modprobe splicer then works) and splicerctl into /usr/local/sbin.
install: all
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	depmod -a $(KVER)
	$(MAKE) -C $(TOP)/ctl install
	$(MAKE) -C $(TOP)/handshaked install

clean:
	-test -f "$(KDIR)/Makefile" && $(MAKE) -C $(KDIR) M=$(TOP) clean
	-test -f "$(KDIR)/Makefile" && $(MAKE) -C $(KDIR) M=$(TOP)/kmod/tests clean
	-$(MAKE) -C $(TOP)/ctl clean
	-$(MAKE) -C $(TOP)/handshaked clean
	rm -rf $(TOP)/build

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' $(TOP)/Makefile
