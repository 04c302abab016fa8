#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the guest suite on each kernel asked for: builds the module for it,
# boots it under QEMU, runs vm/guest/run-tests.sh there (in two guests at
# once, each with half the suite: KTHREADCTL_SUITE_GUESTS=1 for one); then,
# but on the debug kernel, grades the lab's example modules in a guest
# (vm/check.sh --labs; KTHREADCTL_LABS=0 skips it). Prints one line per
# kernel, "KVER: N passed, N failed, N skipped; abuse tests passed; labs 7/7
# as expected", and fails on a test failure, a missing result, a failed
# abuse test (vm/abuse.sh), a lab verdict not as expected, or a kernel log
# with any of KERNEL_COMPLAINTS (vm/lib.sh).
# Usage: vm/test.sh [KERNEL...]; a KERNEL is a version or a series (6.1, 6.12,
# sid or 7.2, debug). Without arguments: $KERNELS ("all" for every series), else $KVER or
# the default kernel. A series not installed yet is installed first.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

# The KTAP the suite wrote must say what the JUnit report says.
check_ktap() {
	local ktap=$1 report=$2 tests failures
	tests=$(sed -n 's/.*<testsuite [^>]* tests="\([0-9]*\)".*/\1/p' "$report" | head -n 1)
	failures=$(grep -c '<failure\|<error' "$report" || true)
	if [ "$(head -n 2 "$ktap" 2>/dev/null)" != "$(printf 'KTAP version 1\n1..%s' "$tests")" ] ||
		[ "$(grep -c '^\(not \)\?ok [0-9]' "$ktap")" -ne "$tests" ] ||
		[ "$(grep -c '^not ok [0-9]' "$ktap")" -ne "$failures" ]; then
		log "$ktap does not match the JUnit report ($tests tests, $failures failed)"
		return 1
	fi
}

# The abuse tests' programs, built here once for every guest: the guests run
# this machine's root, and a compiler under emulation is slow.
build_abuse_programs() {
	local dir=$BUILD_DIR/abuse-bin source names=()
	for source in "$KTHREADCTL_ROOT"/kmod/tests/*.c; do
		names+=("$(basename "$source" .c)")
	done
	# Built afresh each run: the sources may have changed.
	rm -rf "$dir" && build_test_programs "$dir" "${names[@]}" && printf '%s\n' "$dir"
}

# The lab's example modules, graded by kthreadctl check in guests of their
# own (they must not panic on an oops), into BUILD_DIR/check/KVER-labs.txt;
# but on the debug kernel, and unless KTHREADCTL_LABS=0.
grade_labs() {
	local kver=$1 labs_log=$BUILD_DIR/check/$1-labs.txt
	rm -f "$labs_log"
	if [ "${KTHREADCTL_LABS:-1}" != 0 ] && ! is_debug_kernel "$kver"; then
		mkdir -p "$BUILD_DIR/check"
		KVER=$kver "$KTHREADCTL_ROOT/vm/check.sh" --labs >"$labs_log"
	fi
}

# Prints the result line of one kernel; returns non-zero if it failed.
test_kernel() {
	local kver=$1 started out report line abuse failed=0 guest_status=0 dmesg_status=0
	started=$(date +%s)
	# The debug kernel runs this JVM several times slower than Debian's
	# kernels: its bounds stretch, and of the suite it runs the classes
	# that drive the module from one JVM (DEBUG_LANE_TESTS in vm/lib.sh).
	# The abuse tests' counts in CI, per kernel, sized from rates measured
	# under TCG (vm/abuse.sh has them; make soak runs the full counts):
	# about a minute on a Debian kernel and 2.5 minutes on the debug kernel.
	local park=3000 stops=300 cycles=200 storm=10 hotplug=10
	if is_debug_kernel "$kver"; then
		export KTHREADCTL_TIME_SCALE=${KTHREADCTL_TIME_SCALE:-4}
		export KTHREADCTL_TESTS=${KTHREADCTL_TESTS:-$DEBUG_LANE_TESTS}
		park=1000 stops=200 cycles=50 storm=20 hotplug=20
	fi
	export KTHREADCTL_ABUSE_FUZZ_CALLS=${KTHREADCTL_ABUSE_FUZZ_CALLS:-50000}
	export KTHREADCTL_ABUSE_PARK_ROUNDS=${KTHREADCTL_ABUSE_PARK_ROUNDS:-$park}
	export KTHREADCTL_ABUSE_STOP_ROUNDS=${KTHREADCTL_ABUSE_STOP_ROUNDS:-$stops}
	export KTHREADCTL_ABUSE_LOAD_CYCLES=${KTHREADCTL_ABUSE_LOAD_CYCLES:-$cycles}
	export KTHREADCTL_ABUSE_STORM_SECONDS=${KTHREADCTL_ABUSE_STORM_SECONDS:-$storm}
	export KTHREADCTL_ABUSE_HOTPLUG_SECONDS=${KTHREADCTL_ABUSE_HOTPLUG_SECONDS:-$hotplug}
	# Two guests at once, each on a host core of its own (TCG runs a guest
	# on one host thread): the first runs SUITE_FIRST_GUEST's classes, the
	# second every other class, then the abuse tests. One guest with
	# KTHREADCTL_SUITE_GUESTS=1, on the debug kernel, or for KTHREADCTL_TESTS
	# or KTHREADCTL_TESTS_EXCEPT. The second guest's console goes to stderr
	# (stdout carries the result line only), the first's to a file. The labs
	# are graded once the first guest is done (with one guest, after it).
	local outs=() reports=() first second labs_status=0
	if [ "${KTHREADCTL_SUITE_GUESTS:-2}" = 2 ] && [ -z "${KTHREADCTL_TESTS:-}${KTHREADCTL_TESTS_EXCEPT:-}" ] &&
		! is_debug_kernel "$kver"; then
		# What both guests need is made here first, not by both at once.
		if ! "$KTHREADCTL_ROOT/vm/build-module.sh" "$kver" >/dev/null ||
			! "$KTHREADCTL_ROOT/vm/build-initramfs.sh" "$kver" >/dev/null; then
			echo "$kver: 0 passed, 1 failed (the module or the initramfs did not build)"
			return 1
		fi
		pvh_kernel "$(kernel_image "$kver")" >/dev/null
		mkdir -p "$BUILD_DIR/guest"
		KTHREADCTL_TESTS=$SUITE_FIRST_GUEST KTHREADCTL_ABUSE=0 \
			run_guest_script "$kver" run-tests.sh run-tests-1 >"$BUILD_DIR/guest/$kver-run-tests-1.console" 2>&1 &
		first=$!
		outs+=("$BUILD_DIR/guest/$kver-run-tests-1")
		KTHREADCTL_TESTS_EXCEPT=$SUITE_FIRST_GUEST run_guest_script "$kver" run-tests.sh run-tests-2 >&2 &
		second=$!
		outs+=("$BUILD_DIR/guest/$kver-run-tests-2")
		wait "$first" || { guest_status=$?; tail -n 40 "$BUILD_DIR/guest/$kver-run-tests-1.console" >&2; }
		# The first guest's core is free while the second runs the abuse tests.
		grade_labs "$kver" || labs_status=1
		wait "$second" || guest_status=$?
	else
		run_guest_script "$kver" run-tests.sh >&2 || guest_status=$?
		outs+=("$GUEST_OUT")
		grade_labs "$kver" || labs_status=1
	fi
	log "$kver: the guests took $(($(date +%s) - started)) s, the labs' too; results in ${outs[*]}"
	for out in "${outs[@]}"; do
		for crash in "$out"/hs_err_pid*.log; do
			[ -f "$crash" ] && log "the guest JVM crashed; its report: $crash" && head -n 40 "$crash" >&2
		done
		report=$out/junit/TEST-junit-jupiter.xml
		if [ ! -f "$report" ]; then
			echo "$kver: 0 passed, 1 failed (no test report: the guest $out did not finish the suite)"
			return 1
		fi
		reports+=("$report")
		if grep -E "$KERNEL_COMPLAINTS" "$out/dmesg.txt" >&2; then
			log "$kver: the guest kernel logged the complaints above (full log: $out/dmesg.txt)"
			dmesg_status=1
		fi
	done
	line=$(result_line "$kver" "${reports[@]}") || failed=1
	if [ "${KTHREADCTL_ABUSE:-1}" != 0 ]; then
		# The last guest ran them.
		abuse=$(cat "${outs[-1]}/abuse.result" 2>/dev/null || echo "did not finish")
		line+="; abuse tests $abuse"
		[ "$abuse" = passed ] || failed=1
	fi
	local labs_log=$BUILD_DIR/check/$kver-labs.txt expected total
	if [ -f "$labs_log" ]; then
		expected=$(grep -c ' (as expected)$' "$labs_log" || true)
		total=$(grep -c '^check: ' "$labs_log" || true)
		line+="; labs $expected/$total as expected"
		[ "$total" -gt 0 ] && [ "$labs_status" -eq 0 ] || failed=1
	fi
	echo "$line"
	for out in "${outs[@]}"; do
		failed_tests "$kver" "$out/junit/TEST-junit-jupiter.xml"
		check_ktap "$out/ktap.txt" "$out/junit/TEST-junit-jupiter.xml" || failed=1
	done
	[ ! -f "$labs_log" ] || grep '^check: .*(NOT as expected' "$labs_log" | sed "s/^/$kver: labs: /" || true
	[ "$guest_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$dmesg_status" -eq 0 ]
}

if [ $# -gt 0 ]; then
	wanted=("$@")
elif [ "${KERNELS:-}" = all ]; then
	read -ra wanted <<<"$KNOWN_SERIES"
elif [ -n "${KERNELS:-}" ]; then
	read -ra wanted <<<"$KERNELS"
else
	wanted=("${KVER:-$(default_kernel)}")
fi

kernels=()
debug_build=
for kernel in "${wanted[@]}"; do
	if [ "$kernel" = debug ] && [ -z "$(kernel_for_series debug)" ]; then
		# Building it takes about 10 minutes of both cores. At nice 19 it
		# takes what the kernels' installs and guests leave (two guests at
		# once keep both cores busy, so it gains most while the kernels
		# below are installed) and runs last.
		mkdir -p "$BUILD_DIR"
		log "building the debug kernel in the background (log: $BUILD_DIR/debug-kernel.log)"
		nice -n 19 "$KTHREADCTL_ROOT/vm/setup-kernels.sh" debug >"$BUILD_DIR/debug-kernel.log" 2>&1 &
		debug_build=$!
		continue
	fi
	if [[ " $KNOWN_SERIES $SERIES_ALIASES " == *" $kernel "* ]] && [ -z "$(kernel_for_series "$kernel")" ]; then
		"$KTHREADCTL_ROOT/vm/setup-kernels.sh" "$kernel"
	fi
	kernels+=("$(guest_kernel "$kernel")")
done

# A class-data archive for the suite's JVM: made here, where a JVM starts in
# a second, from a run that finds the tests and loads every class on the
# class path (GuestSuiteMain --train), and used by every guest, which runs
# this machine's JVM and jars. Without one (classes newer than their jar)
# the guests start slower.
make_suite_archive() {
	local archive=$BUILD_DIR/guest-suite.jsa
	rm -f "$archive"
	java "${SUITE_JVM_OPTIONS[@]}" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
		-cp "$(suite_classpath)" dev.kthreadctl.guest.GuestSuiteMain --train >/dev/null 2>&1 || true
	[ ! -f "$archive" ] || printf '%s\n' "$archive"
}

KTHREADCTL_ABUSE_BIN=$(build_abuse_programs)
export KTHREADCTL_ABUSE_BIN
KTHREADCTL_SUITE_ARCHIVE=$(make_suite_archive)
export KTHREADCTL_SUITE_ARCHIVE
status=0
results=()
for kver in "${kernels[@]}"; do
	line=$(test_kernel "$kver") || status=1
	results+=("$line")
done
if [ -n "$debug_build" ]; then
	if wait "$debug_build"; then
		kver=$(guest_kernel debug)
		line=$(test_kernel "$kver") || status=1
		results+=("$line")
	else
		tail -n 20 "$BUILD_DIR/debug-kernel.log" >&2
		results+=("debug: 0 passed, 1 failed (the debug kernel did not build: $BUILD_DIR/debug-kernel.log)")
		status=1
	fi
fi
# The result lines last, together, so no guest output comes between them.
printf '%s\n' "${results[@]}"
exit "$status"
