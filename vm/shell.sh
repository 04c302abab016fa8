#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A root shell in the guest, module loaded and kthreadctl on PATH, for lab
# work. 'exit' powers the guest off. Usage: vm/shell.sh [KVER]
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

log "the guest's root file system is this machine's, read-only; /tmp is writable"
run_guest_script "$(guest_kernel "${1:-}")" shell.sh
