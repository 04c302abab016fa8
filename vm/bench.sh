#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# In a guest: CLI start-up (bench/startup.sh), then the /proc scan
# comparison with extra kernel threads (default 5,000): Java scan, a
# minimal C scanner, ps and OSHI, timed in one run.
# Usage: vm/bench.sh [KVER]; KTHREADCTL_BENCH_THREADS changes the count.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ -f "$KTHREADCTL_ROOT/bench/target/runtime-classpath.txt" ] || die "benchmarks not built: make bench"
export KTHREADCTL_BENCH_THREADS=${KTHREADCTL_BENCH_THREADS:-5000}
kver=$(guest_kernel "${1:-}")
run_guest_script "$kver" bench.sh
log "results in $GUEST_OUT/startup.txt and $GUEST_OUT/bench.txt"
