#!/usr/bin/env bash
# Runs inside the guest: captures its /proc for vm/capture-fixture.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/vm/capture-proc.sh" /run/kthreadctl/proc-fixture
