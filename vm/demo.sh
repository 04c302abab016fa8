#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tour: boots the guest kernel and runs vm/guest/demo.sh there.
# Usage: vm/demo.sh [KVER]
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

run_guest_script "$(guest_kernel "${1:-}")" demo.sh
