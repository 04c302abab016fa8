# SPDX-License-Identifier: Apache-2.0
# kthreadctl: see README.md.
#   make test    host unit tests, then the guest suite on one kernel in QEMU
#   make demo    a short tour in the guest
#   make shell   a root shell in the guest with the module loaded
#   make check   grade a student's kthread module in a throwaway guest (MODULE=x.ko or SRC=dir/)
#   make bench   CLI start-up and the /proc scan comparison in the guest (make bench-host: JMH)
#   make install the command line under PREFIX (default /usr/local)
# KVER=<version or series> picks the guest kernel (default: Debian's
# linux-image-amd64); for make test, KERNELS=all runs 6.1, 6.12, sid's newest
# and the debug kernel (or KERNELS="6.1 debug", a list), installing or
# building the ones that are missing.

MVN ?= mvn -B -ntp
export KVER KERNELS CHECK_ARGS

PREFIX ?= /usr/local

.PHONY: all setup build module test test-here check check-labs check-checkers soak vagrant-test reproducible dkms-install dkms-uninstall dkms-check load unload demo shell bench bench-host install uninstall clean

all: build module

setup:
	vm/setup-host.sh

# Each packing of the jar is followed by the class-data-sharing archive the
# wrapper passes to the JVM (bin/kthreadctl has why): a JVM without one (no
# base archive) only starts slower.
CDS_ARCHIVE = bin/kthreadctl --write-cds-archive || echo "kthreadctl: no class-data archive: commands start slower"

build: setup
	$(MVN) -DskipTests package
	$(CDS_ARCHIVE)

module: setup
	vm/build-module.sh

# The jar and its class-data archive too, for the suite's runs of
# bin/kthreadctl (javadoc and sources jars are for releases, not for this).
test: setup
	$(MVN) -Dmaven.javadoc.skip -Dmaven.source.skip package
	$(CDS_ARCHIVE)
	vm/test.sh

# The suite on the kernel this machine runs (a lab VM, a real machine): it
# loads the module here, so it wants KTHREADCTL_ALLOW_HOST=1 (or YES=1).
test-here: setup
	$(MVN) -q -DskipTests test
	$(if $(YES),KTHREADCTL_ALLOW_HOST=1) vm/test-here.sh

# A student's module, graded by kthreadctl check in a fresh guest: a module
# that oopses or hangs costs the guest. MODULE=path/to/x.ko, or SRC=dir/ to
# build it first against the guest kernel's headers (as nobody, no network);
# CHECK_ARGS passes options (--expect, --threads, --allow-spin). check-labs
# grades the examples in labs/kthreads against their expected verdicts.
check: build
	vm/check.sh $(or $(MODULE),$(SRC),$(error give MODULE=path/to/module.ko or SRC=path/to/source/))

check-labs: build
	vm/check.sh --labs

# The debug kernel's checkers bite: module variants with a planted lock
# inversion, leak and use-after-free must each be reported.
check-checkers: setup
	vm/check-checkers.sh

# The abuse tests at soak scale in a guest (default: the debug kernel); the
# counts are variables, see vm/soak.sh.
soak: setup
	vm/soak.sh

# vagrant/ for real and offline: a locally built Debian 12 box, vagrant up
# with provisioning, the result line checked, the VM destroyed, all inside a
# network namespace of its own (vm/vagrant-test.sh; MODE=test for the suite).
vagrant-test: build
	vm/vagrant-test.sh $(or $(MODE),verify)

# The module through DKMS, rebuilt for every kernel installed later
# (dkms-check: built for every kernel with headers here, nothing installed).
dkms-install dkms-uninstall dkms-check:
	vm/dkms.sh $(patsubst dkms-%,%,$@)

# The module for the running kernel, loaded from the build tree, or unloaded.
load:
	test -d /sys/module/kthreadctl || insmod "$$(vm/build-module.sh "$$(uname -r)")"
unload:
	! test -d /sys/module/kthreadctl || rmmod kthreadctl

# Two clean builds give byte-identical jars (CI runs it after the tests).
reproducible: setup
	vm/check-reproducible.sh

demo: build
	vm/demo.sh

shell: build
	vm/shell.sh

# In a guest: CLI start-up lever by lever (bench/startup.sh, which also runs
# here), then the /proc scan against a minimal C scanner, ps and OSHI with
# 5,000 extra kernel threads (KTHREADCTL_BENCH_THREADS changes it).
bench: setup
	$(MVN) -Pbench -DskipTests package
	$(CDS_ARCHIVE)
	vm/bench.sh

# JMH on this machine, with the GC profiler: time and bytes per scan of a
# captured fixture and of the live /proc.
bench-host: setup
	$(MVN) -Pbench -DskipTests package
	java -cp "bench/target/classes:$$(cat bench/target/runtime-classpath.txt)" org.openjdk.jmh.Main \
		-prof gc -p procRoot=/proc,$(CURDIR)/java/kthreadctl-proc/src/test/resources/proc-fixtures/6.1.0-56-amd64 ProcScanBenchmark

# The command line for every user: one jar, JNA's native library for this
# machine, the wrapper (bin/kthreadctl, which finds both) and bash completion.
JNA_PLATFORM = linux-$(subst _,-,$(shell uname -m))
install: build
	install -D -m 0644 java/kthreadctl-cli/target/kthreadctl-cli-*-all.jar $(DESTDIR)$(PREFIX)/share/kthreadctl/kthreadctl.jar
	install -D -m 0644 java/kthreadctl-cli/target/jna-native/com/sun/jna/$(JNA_PLATFORM)/libjnidispatch.so \
		$(DESTDIR)$(PREFIX)/lib/kthreadctl/libjnidispatch.so
	install -D -m 0755 bin/kthreadctl $(DESTDIR)$(PREFIX)/bin/kthreadctl
	@# The archive names the jar by its final path: a staged install (DESTDIR)
	@# makes it on the target machine, with 'kthreadctl --write-cds-archive'.
	[ -n "$(DESTDIR)" ] || $(PREFIX)/bin/kthreadctl --write-cds-archive || \
		echo "kthreadctl: no class-data archive: commands start slower"
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	bin/kthreadctl completion >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kthreadctl
	@# The module, for the running kernel, where modprobe finds it (needs its headers).
	if [ -d "/lib/modules/$$(uname -r)/build" ]; then \
		ko=$$(vm/build-module.sh "$$(uname -r)") && \
		install -D -m 0644 "$$ko" "$(DESTDIR)/lib/modules/$$(uname -r)/updates/kthreadctl.ko" && \
		{ [ -n "$(DESTDIR)" ] || depmod -a "$$(uname -r)"; }; \
	else \
		echo "kthreadctl: no headers for $$(uname -r): the module is not installed (apt-get install linux-headers-$$(uname -r), or make dkms-install)"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kthreadctl $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kthreadctl
	rm -rf $(DESTDIR)$(PREFIX)/share/kthreadctl $(DESTDIR)$(PREFIX)/lib/kthreadctl
	rm -f "$(DESTDIR)/lib/modules/$$(uname -r)/updates/kthreadctl.ko"
	[ -n "$(DESTDIR)" ] || [ ! -d "/lib/modules/$$(uname -r)" ] || depmod -a "$$(uname -r)"

clean:
	$(MVN) -q clean
	rm -rf build
