#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest: CLI start-up first, on the guest as it booted; then
# loads the module with room for the extra threads and runs the scan
# comparison. Needs KTHREADCTL_MODULE, KTHREADCTL_BENCH_THREADS;
# KTHREADCTL_BENCH_STARTUP_ROUNDS (default 5) and KTHREADCTL_BENCH_BEFORE
# go to bench/startup.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=${KTHREADCTL_BENCH_THREADS:-5000}
"$root/bench/startup.sh" "${KTHREADCTL_BENCH_STARTUP_ROUNDS:-5}" | tee /run/kthreadctl/startup.txt
insmod "$KTHREADCTL_MODULE" max_threads=$((threads + 100))
# Room for the Java scanner to keep every stat file open, as on a systemd
# machine (the guest's init leaves the kernel's default of 4096).
ulimit -n 1048576
gcc -O2 -o /tmp/minimal-scan "$root/bench/src/main/c/minimal-scan.c"
java -Djna.tmpdir=/tmp/jna -cp "$root/bench/target/classes:$(cat "$root/bench/target/runtime-classpath.txt")" \
	dev.kthreadctl.bench.GuestScanComparison "$threads" 20 /tmp/minimal-scan | tee /run/kthreadctl/bench.txt
rmmod kthreadctl
