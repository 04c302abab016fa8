#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The abuse tests (vm/abuse.sh) at soak scale, in a guest with the same
# health checks as make test (kernel log, taint, kmemleak), without the Java
# suite. Usage: vm/soak.sh [KERNEL] (default: KVER, else the debug kernel).
# The counts are the KTHREADCTL_ABUSE_* variables of vm/abuse.sh; unset ones
# take the soak figures below. Prints what ran and the verdict.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

series=${1:-${KVER:-debug}}
[ "$series" != debug ] || [ -n "$(kernel_for_series debug)" ] || "$KTHREADCTL_ROOT/vm/setup-kernels.sh" debug
kver=$(guest_kernel "$series")

export KTHREADCTL_ABUSE_FUZZ_CALLS=${KTHREADCTL_ABUSE_FUZZ_CALLS:-1000000}
export KTHREADCTL_ABUSE_STORM_SECONDS=${KTHREADCTL_ABUSE_STORM_SECONDS:-300}
export KTHREADCTL_ABUSE_PARK_ROUNDS=${KTHREADCTL_ABUSE_PARK_ROUNDS:-100000}
export KTHREADCTL_ABUSE_STOP_ROUNDS=${KTHREADCTL_ABUSE_STOP_ROUNDS:-10000}
export KTHREADCTL_ABUSE_LOAD_CYCLES=${KTHREADCTL_ABUSE_LOAD_CYCLES:-1000}
export KTHREADCTL_ABUSE_HOTPLUG_SECONDS=${KTHREADCTL_ABUSE_HOTPLUG_SECONDS:-120}
export KTHREADCTL_GUEST_TIMEOUT=${KTHREADCTL_GUEST_TIMEOUT:-14400}
export KTHREADCTL_TIME_SCALE=${KTHREADCTL_TIME_SCALE:-1}
log "soak on $kver: $(compgen -e | grep '^KTHREADCTL_ABUSE_' | while read -r name; do printf '%s=%s ' "${name#KTHREADCTL_ABUSE_}" "${!name}"; done)"

started=$(date +%s)
status=0
KTHREADCTL_SUITE=none run_guest_script "$kver" run-tests.sh >&2 || status=$?
out=$GUEST_OUT
grep -E '^(ioctl-fuzz|lifecycle-storm|park-vs-exit|many-stoppers|fail-nth|load-unload|hotplug)' "$out/abuse.log" 2>/dev/null || true
# test-here.sh, in the guest, has checked the kernel log, taint and
# kmemleak already: its status is the guest's.
verdict=$(cat "$out/abuse.result" 2>/dev/null || echo "did not finish")
echo "$kver: soak $verdict in $(($(date +%s) - started)) s (logs: $out)"
[ "$status" -eq 0 ] && [ "$verdict" = passed ]
