# kthreadctl: see README.md.
#   make test    host unit tests, then the guest suite on one kernel in QEMU
#   make demo    a short tour in the guest
#   make shell   a root shell in the guest with the module loaded
# KVER=<version or series> picks the guest kernel (default: Debian's
# linux-image-amd64); for make test, KERNELS=all runs 6.1, 6.12 and 7.2 (or
# KERNELS="6.1 7.2", a list), installing the ones that are missing.

MVN ?= mvn -B -ntp
export KVER KERNELS

.PHONY: all setup build module test demo shell clean

all: build module

setup:
	vm/setup-host.sh

build: setup
	$(MVN) -DskipTests test-compile

module: setup
	vm/build-module.sh

test: setup
	$(MVN) test
	vm/test.sh

demo: build
	vm/demo.sh

shell: build
	vm/shell.sh

clean:
	$(MVN) -q clean
	rm -rf build
