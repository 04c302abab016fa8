#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# QEMU for libvirt's emulated (TCG) domains, which the Vagrantfile names as
# libvirt.emulator_path: it runs all vCPUs on one host thread
# (-accel tcg,thread=single), which libvirt has no setting for. With a host
# thread per vCPU, QEMU 7.2 made the guest JVM crash now and then in freshly
# JIT-compiled code (see vm/run-guest.sh); KTHREADCTL_TCG_THREAD=multi in
# the Vagrantfile's environment leaves QEMU's default.
set -euo pipefail
args=()
for arg; do
	[ "$arg" = tcg ] && [ "${args[-1]:-}" = -accel ] && arg=tcg,thread=single
	args+=("$arg")
done
exec /usr/bin/qemu-system-x86_64 "${args[@]}"
