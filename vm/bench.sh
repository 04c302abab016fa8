#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# In a guest, timed in one run each: CLI start-up (bench/startup.sh); the
# /proc scan comparison with extra kernel threads (default 5,000): Java
# scan, two C scanners, ps and OSHI; and the control path from Java against
# a small C client. The part "breakdown" (not run unless asked) times the
# scan's pieces against the same pieces in C. Usage: vm/bench.sh [KVER]; vm/guest/bench.sh has the
# variables that pick and size the parts.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ -f "$KTHREADCTL_ROOT/bench/target/runtime-classpath.txt" ] || die "benchmarks not built: make bench"
# Compiled here: a compiler under emulation is slow.
KTHREADCTL_BENCH_BIN=$BUILD_DIR/bench-bin
mkdir -p "$KTHREADCTL_BENCH_BIN"
for program in minimal-scan scan-pieces control-client; do
	gcc -O2 -Wall -Wextra -Werror -o "$KTHREADCTL_BENCH_BIN/$program" "$KTHREADCTL_ROOT/bench/src/main/c/$program.c"
done
export KTHREADCTL_BENCH_BIN
export KTHREADCTL_BENCH_THREADS=${KTHREADCTL_BENCH_THREADS:-5000}
kver=$(guest_kernel "${1:-}")
run_guest_script "$kver" bench.sh
log "results in $GUEST_OUT: startup.txt, bench.txt, control.txt (breakdown.txt if asked)"
