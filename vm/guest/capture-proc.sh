#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest: captures its /proc for vm/capture-fixture.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/vm/capture-proc.sh" /run/kthreadctl/proc-fixture
