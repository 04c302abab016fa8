#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the kernel suite on the kernel this machine is running, as root: loads
# the module (built for `uname -r`, unless KTHREADCTL_MODULE names one), runs
# the guest suite (which includes kthreadctl verify), unloads the module, runs
# the abuse tests (vm/abuse.sh; KTHREADCTL_ABUSE=0 skips them), and
# checks the kernel's health around the run: only the out-of-tree (O) and
# unsigned (E) taint flags may appear, the kernel log may hold no oops, BUG,
# WARNING, lockdep, KASAN, hung-task or soft-lockup report, and kmemleak
# (where the kernel has it) may suspect no leak.
#
# It loads a module into the running kernel, so it refuses unless asked:
# KTHREADCTL_ALLOW_HOST=1 or --yes. Prints "KVER: N passed, N failed, N
# skipped" as make test does; results (JUnit XML, KTAP, the kernel log) go to
# KTHREADCTL_RESULTS (default build/test-here/KVER). Needs the Java side
# built: make test-here does both.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = --yes ] && KTHREADCTL_ALLOW_HOST=1
if [ "${KTHREADCTL_ALLOW_HOST:-}" != 1 ]; then
	die "this loads the kthreadctl module into the kernel you are running ($(uname -r)); say so with --yes or KTHREADCTL_ALLOW_HOST=1, or use 'make test' for a QEMU guest"
fi
[ "$(id -u)" -eq 0 ] || die "loading a module needs root"
[ ! -d /sys/module/kthreadctl ] || die "a kthreadctl module is loaded already: rmmod kthreadctl first"

kver=$(uname -r)
if [ -z "${KTHREADCTL_MODULE:-}" ] && [ ! -d "/lib/modules/$kver/build" ]; then
	die "no headers for $kver to build the module with: install linux-headers-$kver (Debian, Ubuntu)"
fi
module=${KTHREADCTL_MODULE:-$("$KTHREADCTL_ROOT/vm/build-module.sh" "$kver")}
results=${KTHREADCTL_RESULTS:-$BUILD_DIR/test-here/$kver}
target=$KTHREADCTL_ROOT/java/kthreadctl-guest-tests/target
native=$KTHREADCTL_ROOT/java/kthreadctl-cli/target/jna-native/com/sun/jna/linux-$(uname -m | tr _ -)
[ -f "$target/test-classpath.txt" ] || die "Java side not built: run 'make test-here' (or mvn -DskipTests test)"
mkdir -p "$results"

# Only these two taint bits may appear: the module is out of tree and, on
# most machines, unsigned.
allowed_taint=$(((1 << 12) | (1 << 13)))
taint_before=$(cat /proc/sys/kernel/tainted)
log_before=$(dmesg | wc -l)

# KTHREADCTL_TESTS: only these classes; else KTHREADCTL_TESTS_EXCEPT: all but these.
classes=()
[ -n "${KTHREADCTL_TESTS:-}" ] || [ -z "${KTHREADCTL_TESTS_EXCEPT:-}" ] || classes=(--except)
for name in ${KTHREADCTL_TESTS:-${KTHREADCTL_TESTS_EXCEPT:-}}; do
	classes+=("$(cd "$target/test-classes" && find . -name "$name.class" | sed 's|^\./||; s|\.class$||; s|/|.|g')")
done

# kmemleak, on kernels that have it (the debug kernel): what it already
# suspects is cleared now, so that only leaks from this run count.
kmemleak=/sys/kernel/debug/kmemleak
if [ -d /sys/kernel/debug ] && [ ! -e "$kmemleak" ] && ! mountpoint -q /sys/kernel/debug; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
fi
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak" && echo clear >"$kmemleak"
fi

status=0
# KTHREADCTL_SUITE=none runs the abuse tests only (vm/soak.sh does).
if [ "${KTHREADCTL_SUITE:-java}" != none ]; then
	log "loading $module into $kver"
	insmod "$module"
	# JNA loads its native part from where the build unpacked it, as the
	# wrapper does. KTHREADCTL_SUITE_ARCHIVE: a class-data archive vm/test.sh
	# made for this classpath; the JVM ignores it quietly if it does not match.
	options=("${SUITE_JVM_OPTIONS[@]}")
	if [ -f "${KTHREADCTL_SUITE_ARCHIVE:-}" ]; then
		options+=(-XX:SharedArchiveFile="$KTHREADCTL_SUITE_ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=off)
	fi
	java -XX:ErrorFile=/tmp/hs_err_pid%p.log "${options[@]}" \
		-Djna.boot.library.path="$native" -Djna.nounpack=true \
		-Dkthreadctl.module="$module" -Dkthreadctl.root="$KTHREADCTL_ROOT" -Dkthreadctl.ktap="$results/ktap.txt" \
		-Dkthreadctl.timeScale="${KTHREADCTL_TIME_SCALE:-1}" \
		-cp "$(suite_classpath)" dev.kthreadctl.guest.GuestSuiteMain "$results/junit" "${classes[@]}" >&2 || status=$?
	log "suite done"
	# A JVM crash report is the only trace of a crash: keep it.
	cp /tmp/hs_err_pid*.log "$results/" 2>/dev/null || true
	# Unloading last shows module_exit copes with whatever the suite left behind.
	if [ -d /sys/module/kthreadctl ]; then
		rmmod kthreadctl || { log "rmmod kthreadctl failed"; status=1; }
	fi
fi

# The abuse tests (vm/abuse.sh) load and unload the module themselves;
# KTHREADCTL_ABUSE=0 leaves them out. Their verdict goes next to the report.
rm -f "$results/abuse.result"
# Taking a CPU offline is for guests: on a real machine only when asked.
if [ "${KTHREADCTL_GUEST:-}" != 1 ]; then
	export KTHREADCTL_ABUSE_HOTPLUG_SECONDS=${KTHREADCTL_ABUSE_HOTPLUG_SECONDS:-0}
fi
if [ "${KTHREADCTL_ABUSE:-1}" != 0 ] && [ ! -d /sys/module/kthreadctl ]; then
	log "abuse tests (log: $results/abuse.log)"
	if "$KTHREADCTL_ROOT/vm/abuse.sh" "$module" ${KTHREADCTL_ABUSE_BIN:+"$KTHREADCTL_ABUSE_BIN"} 2>&1 |
		tee "$results/abuse.log" >&2; then
		echo passed >"$results/abuse.result"
	else
		echo failed >"$results/abuse.result"
		status=1
	fi
fi

if [ -w "$kmemleak" ]; then
	# An object is reported only once it is 5 s old: wait that long, so
	# that what the last steps leaked counts too. One scan takes a minute
	# or more under emulation.
	log "kmemleak: scanning for leaks"
	sleep 6 && echo scan >"$kmemleak"
	cat "$kmemleak" >"$results/kmemleak.txt"
	if [ -s "$results/kmemleak.txt" ]; then
		head -n 40 "$results/kmemleak.txt" >&2
		log "kmemleak suspects the leaks above (all: $results/kmemleak.txt)"
		status=1
	fi
fi
dmesg | tail -n +"$((log_before + 1))" >"$results/dmesg.txt"
if grep -E "$KERNEL_COMPLAINTS" "$results/dmesg.txt" >&2; then
	log "the kernel logged the complaints above during the run (log: $results/dmesg.txt)"
	status=1
fi
new_taint=$(($(cat /proc/sys/kernel/tainted) & ~taint_before & ~allowed_taint))
if [ "$new_taint" -ne 0 ]; then
	log "the run tainted the kernel beyond O and E: new flags $new_taint (see Documentation/admin-guide/tainted-kernels.rst)"
	status=1
fi
if [ "${KTHREADCTL_SUITE:-java}" != none ]; then
	[ -f "$results/junit/TEST-junit-jupiter.xml" ] || die "the suite left no report"
	result_line "$kver" "$results/junit/TEST-junit-jupiter.xml" || status=1
	failed_tests "$kver" "$results/junit/TEST-junit-jupiter.xml"
fi
[ ! -f "$results/abuse.result" ] || echo "$kver: abuse tests $(cat "$results/abuse.result")"
exit "$status"
