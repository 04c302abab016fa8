#!/usr/bin/env bash
# Runs the guest suite on one kernel: builds the module for it, boots it under
# QEMU, runs vm/guest/run-tests.sh there, then prints one line
# "KVER: N passed, N failed" and fails on test failures, a missing result or a
# kernel log with BUG/WARNING/Oops/refcount_t. Usage: vm/test.sh [KVER]
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:-$(guest_kernel)}
started=$(date +%s)
guest_status=0
run_guest_script "$kver" run-tests.sh || guest_status=$?
out=$GUEST_OUT
log "guest run took $(($(date +%s) - started)) s; results in $out"

for crash in "$out"/hs_err_pid*.log; do
	[ -f "$crash" ] && log "the guest JVM crashed; its report: $crash" && head -n 40 "$crash" >&2
done
report=$out/junit/TEST-junit-jupiter.xml
if [ ! -f "$report" ]; then
	echo "$kver: 0 passed, 1 failed (no test report: the guest did not finish the suite)"
	exit 1
fi
count() { sed -n "s/.*<testsuite [^>]* $1=\"\([0-9]*\)\".*/\1/p" "$report" | head -n 1; }
tests=$(count tests)
failed=$(($(count failures) + $(count errors)))
skipped=$(count skipped)
passed=$((tests - failed - skipped))

dmesg_status=0
if grep -E 'BUG:|WARNING:|Oops|refcount_t|general protection' "$out/dmesg.txt" >&2; then
	log "the guest kernel logged the complaints above (full log: $out/dmesg.txt)"
	dmesg_status=1
fi
echo "$kver: $passed passed, $failed failed, $skipped skipped"
[ "$guest_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$dmesg_status" -eq 0 ]
