#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the guest suite on each kernel asked for: builds the module for it,
# boots it under QEMU, runs vm/guest/run-tests.sh there. Prints one line per
# kernel, "KVER: N passed, N failed, N skipped", and fails on a test failure,
# a missing result, or a kernel log with BUG/WARNING/Oops/refcount_t.
# Usage: vm/test.sh [KERNEL...]; a KERNEL is a version or a series (6.1, 6.12,
# 7.2). Without arguments: $KERNELS ("all" for every series), else $KVER or
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

# Prints the result line of one kernel; returns non-zero if it failed.
test_kernel() {
	local kver=$1 started out report failed=0 guest_status=0 dmesg_status=0
	started=$(date +%s)
	# The guest console goes to stderr: stdout carries the result line only.
	run_guest_script "$kver" run-tests.sh >&2 || guest_status=$?
	out=$GUEST_OUT
	log "$kver: guest run took $(($(date +%s) - started)) s; results in $out"
	for crash in "$out"/hs_err_pid*.log; do
		[ -f "$crash" ] && log "the guest JVM crashed; its report: $crash" && head -n 40 "$crash" >&2
	done
	report=$out/junit/TEST-junit-jupiter.xml
	if [ ! -f "$report" ]; then
		echo "$kver: 0 passed, 1 failed (no test report: the guest did not finish the suite)"
		return 1
	fi
	if grep -E "$KERNEL_COMPLAINTS" "$out/dmesg.txt" >&2; then
		log "$kver: the guest kernel logged the complaints above (full log: $out/dmesg.txt)"
		dmesg_status=1
	fi
	result_line "$kver" "$report" || failed=1
	check_ktap "$out/ktap.txt" "$report" || failed=1
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
for kernel in "${wanted[@]}"; do
	if [[ " $KNOWN_SERIES " == *" $kernel "* ]] && [ -z "$(kernel_for_series "$kernel")" ]; then
		"$KTHREADCTL_ROOT/vm/setup-kernels.sh" "$kernel"
	fi
	kernels+=("$(guest_kernel "$kernel")")
done

status=0
results=()
for kver in "${kernels[@]}"; do
	line=$(test_kernel "$kver") || status=1
	results+=("$line")
done
# The result lines last, together, so no guest output comes between them.
printf '%s\n' "${results[@]}"
exit "$status"
