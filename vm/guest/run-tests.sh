#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest, as root: the kernel suite on the guest's kernel, as
# on any machine (vm/test-here.sh), with the module in KTHREADCTL_MODULE and
# the results (JUnit XML, KTAP, kernel log) in /run/kthreadctl for the host.
# KTHREADCTL_TESTS, a list of test class names (e.g. "ModuleAbuseGuestTest
# DeviceAbiGuestTest"), runs only those; KTHREADCTL_TESTS_EXCEPT, all but those.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

echo "guest: Linux $(uname -r) on $(nproc) CPUs"
export KTHREADCTL_RESULTS=/run/kthreadctl KTHREADCTL_GUEST=1
exec "$root/vm/test-here.sh" --yes
