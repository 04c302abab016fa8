#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest: a short tour of kernel threads with kthreadctl.
# Each step's commands run as one 'kthreadctl batch --echo', which prints
# them as a user would type them: a JVM start per step, not per command,
# keeps the tour near a minute and a half under an emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$root/bin:$PATH

step() { printf '\n=== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
# The commands on standard input, one per line, in one JVM.
commands() { kthreadctl batch --echo -; }
# The id or pid of the Nth thread (default the first) that create or run printed.
id_of() { sed -n 's/^[a-z]* id \([0-9]*\) pid .*/\1/p' <<<"$1" | sed -n "${2:-1}p"; }
pid_of() { sed -n 's/^[a-z]* id [0-9]* pid \([0-9]*\).*/\1/p' <<<"$1" | sed -n "${2:-1}p"; }

step "Kernel threads are already running: one ksoftirqd per CPU, and kworkers for work queues"
commands <<'EOF'
list --kind ksoftirqd
list --kind kworker
list --per-cpu
EOF

step "Load the module: /dev/kthreadctl appears"
show insmod "$KTHREADCTL_MODULE"
show ls -l /dev/kthreadctl

step "kthread_create(): the thread exists, in state D, but does not run"
created=$(commands <<'EOF'
create demo-thread --period 100 --exit-code 42
list --name '^(kthreadd|ksoftirqd/|demo-thread)'
EOF
)
echo "$created"
id=$(id_of "$created")
pid=$(pid_of "$created")

step "wake_up_process(): its function runs, sleeping 100 ms between iterations"
commands <<EOF
status $id
wake $id
status $id
show $pid
status $id
EOF

step "kthread_park(), then kthread_stop(): parked in state P; stop blocks until the function returns, and gives back its value"
commands <<EOF
park $id
list --name '^demo-thread$'
unpark $id
stop $id
EOF
show ls -d "/proc/$pid" || true

step "kthread_bind() before the first wake keeps a thread on CPU 1; a kworker runs our work item"
made=$(commands <<'EOF'
create demo-bound --cpu 1
run demo-workqueue --work workqueue --cpu 0 --period 50
EOF
)
echo "$made"
show grep Cpus_allowed_list "/proc/$(pid_of "$made" 1)/status"
commands <<EOF
wake $(id_of "$made" 1)
status $(id_of "$made" 2)
EOF

step "module_exit stops what is still running, whatever its state"
commands <<'EOF'
create demo-never-woken
status
EOF
show cat /proc/kthreadctl
show rmmod kthreadctl
echo '$ dmesg | grep kthreadctl'
dmesg --notime | grep kthreadctl | tail -n 2

step "kthreadctl verify: every claim of the seed text, checked on this kernel"
show insmod "$KTHREADCTL_MODULE"
show kthreadctl verify --module "$KTHREADCTL_MODULE"
