#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Captures a /proc fixture for the parser tests from a guest kernel, or from
# this machine with "host", into java/kthreadctl-proc/src/test/resources/proc-fixtures/<kver>.
# Usage: vm/capture-fixture.sh [KVER|host]
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

fixtures=$KTHREADCTL_ROOT/java/kthreadctl-proc/src/test/resources/proc-fixtures
if [ "${1:-}" = host ]; then
	dest=$fixtures/$(uname -r)
	rm -rf "$dest"
	"$KTHREADCTL_ROOT/vm/capture-proc.sh" "$dest"
	exit 0
fi
kver=$(guest_kernel "${1:-}")
run_guest_script "$kver" capture-proc.sh
rm -rf "${fixtures:?}/$kver"
mkdir -p "$fixtures"
cp -r "$GUEST_OUT/proc-fixture" "$fixtures/$kver"
log "fixture of $kver in $fixtures/$kver"
