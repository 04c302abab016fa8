#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest, in this order: CLI start-up on the guest as it
# booted; then, with the module loaded with room for the extra threads, the
# scan comparison and the control-path comparison. Needs KTHREADCTL_MODULE
# and KTHREADCTL_BENCH_BIN (the C programs, built on the host);
# KTHREADCTL_BENCH_PARTS (default "startup scan control"; "breakdown" times
# the scan's pieces) picks parts;
# KTHREADCTL_BENCH_THREADS, KTHREADCTL_BENCH_STARTUP_ROUNDS (default 5) and
# KTHREADCTL_BENCH_BEFORE (see bench/startup.sh) size them;
# KTHREADCTL_BENCH_JAVA_OPTIONS are added to the comparisons' JVMs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=/run/kthreadctl
threads=${KTHREADCTL_BENCH_THREADS:-5000}
parts=" ${KTHREADCTL_BENCH_PARTS:-startup scan control} "
classpath=$root/bench/target/classes:$(cat "$root/bench/target/runtime-classpath.txt")
read -ra java_options <<<"${KTHREADCTL_BENCH_JAVA_OPTIONS:-}"

if [[ $parts == *" startup "* ]]; then
	"$root/bench/startup.sh" "${KTHREADCTL_BENCH_STARTUP_ROUNDS:-5}" | tee "$out/startup.txt"
fi
insmod "$KTHREADCTL_MODULE" max_threads=$((threads + 100))
# Room for the Java scanner to keep every stat file open, as on a systemd
# machine (the guest's init leaves the kernel's default of 4096).
ulimit -n 1048576
if [[ $parts == *" scan "* ]]; then
	java "${java_options[@]}" -Djna.tmpdir=/tmp/jna -cp "$classpath" dev.kthreadctl.bench.GuestScanComparison \
		"$threads" 20 "$KTHREADCTL_BENCH_BIN/minimal-scan" | tee "$out/bench.txt"
fi
if [[ $parts == *" breakdown "* ]]; then
	java "${java_options[@]}" -Djna.tmpdir=/tmp/jna -cp "$classpath" dev.kthreadctl.bench.GuestScanBreakdown \
		"$threads" 10 "$KTHREADCTL_BENCH_BIN/scan-pieces" | tee "$out/breakdown.txt"
fi
if [[ $parts == *" control "* ]]; then
	java "${java_options[@]}" -Djna.tmpdir=/tmp/jna -cp "$classpath" dev.kthreadctl.bench.GuestControlComparison \
		300 1000 20000 "$KTHREADCTL_BENCH_BIN/control-client" | tee "$out/control.txt"
fi
rmmod kthreadctl
