#!/usr/bin/env bash
# Runs inside the guest: a short tour of kernel threads with kthreadctl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$root/bin:$PATH

step() { printf '\n=== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "Kernel threads are already running: one ksoftirqd per CPU, and kworkers for work queues"
show kthreadctl list --name '^(kthreadd|ksoftirqd/|kworker/)'

step "Load the module: /dev/kthreadctl appears"
show insmod "$KTHREADCTL_MODULE"
show ls -l /dev/kthreadctl

step "kthread_create(): the thread exists but does not run"
created=$(kthreadctl create demo-thread --period-ms 100 --exit-value 42)
printf '$ kthreadctl create demo-thread --period-ms 100 --exit-value 42\n%s\n' "$created"
id=$(sed -n 's/^created id \([0-9]*\) pid.*/\1/p' <<<"$created")
pid=$(sed -n 's/.* pid \([0-9]*\) .*/\1/p' <<<"$created")
show kthreadctl list --name '^(kthreadd|ksoftirqd/|demo-thread)'
sleep 1
show kthreadctl info "$id"

step "wake_up_process(): its function runs, sleeping 100 ms between iterations"
show kthreadctl wake "$id"
sleep 1
show kthreadctl info "$id"
show grep -E '^(Name|State|PPid|Threads|VmSize)' "/proc/$pid/status"
echo "(no Vm* lines: a kernel thread has no user address space, mm == NULL)"

step "kthread_stop(): blocks until the function returns, and gives back its value"
show kthreadctl stop "$id"
show ls -d "/proc/$pid" || true

step "module_exit stops what is still running: one woken and one never-woken thread"
running=$(kthreadctl create demo-left-running --period-ms 50)
kthreadctl wake "$(sed -n 's/^created id \([0-9]*\) pid.*/\1/p' <<<"$running")" >/dev/null
kthreadctl create demo-never-woken >/dev/null
show cat /proc/kthreadctl
show rmmod kthreadctl
echo '$ dmesg | grep kthreadctl'
dmesg --notime | grep kthreadctl | tail -n 2
