#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest: loads the module and hands the serial console to an
# interactive shell.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
insmod "$KTHREADCTL_MODULE"
export PATH=$root/bin:$PATH PS1='guest:\w# '
echo "kthreadctl module loaded ($KTHREADCTL_MODULE); try: kthreadctl --help, kthreadctl list"
# The serial port, not /dev/console, so the shell gets job control.
exec setsid --ctty bash --norc -i </dev/ttyS0 >/dev/ttyS0 2>&1
