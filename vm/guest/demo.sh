#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest: a short tour of kernel threads with kthreadctl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$root/bin:$PATH

step() { printf '\n=== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
id_of() { sed -n 's/^[a-z]* id \([0-9]*\) pid.*/\1/p' <<<"$1"; }
pid_of() { sed -n 's/.* pid \([0-9]*\).*/\1/p' <<<"$1"; }

step "Kernel threads are already running: one ksoftirqd per CPU, and kworkers for work queues"
show kthreadctl list --kind ksoftirqd
show kthreadctl list --kind kworker
show kthreadctl list --per-cpu

step "Load the module: /dev/kthreadctl appears"
show insmod "$KTHREADCTL_MODULE"
show ls -l /dev/kthreadctl

step "kthread_create(): the thread exists, in state D, but does not run"
created=$(kthreadctl create demo-thread --period 100 --exit-code 42)
printf '$ kthreadctl create demo-thread --period 100 --exit-code 42\n%s\n' "$created"
id=$(id_of "$created")
pid=$(pid_of "$created")
show kthreadctl list --name '^(kthreadd|ksoftirqd/|demo-thread)'
sleep 1
show kthreadctl status "$id"

step "wake_up_process(): its function runs, sleeping 100 ms between iterations"
show kthreadctl wake "$id"
sleep 1
show kthreadctl status "$id"
sleep 1
show kthreadctl status "$id"
show kthreadctl show "$pid"

step "kthread_park(): the thread waits in state P"
show kthreadctl park "$id"
show kthreadctl list --name '^demo-thread$'
show kthreadctl unpark "$id"

step "kthread_stop(): blocks until the function returns, and gives back its value"
show kthreadctl stop "$id"
show ls -d "/proc/$pid" || true

step "kthread_bind() before the first wake: the thread stays on CPU 1"
bound=$(kthreadctl create demo-bound --cpu 1)
echo "$bound"
show grep Cpus_allowed_list "/proc/$(pid_of "$bound")/status"
show kthreadctl wake "$(id_of "$bound")"

step "kworker processes work queues: our work item is run by a real kworker"
queued=$(kthreadctl run demo-workqueue --work workqueue --cpu 0 --period 50)
echo "$queued"
sleep 1
show kthreadctl status "$(id_of "$queued")"

step "module_exit stops what is still running, whatever its state"
kthreadctl create demo-never-woken >/dev/null
show cat /proc/kthreadctl
show rmmod kthreadctl
echo '$ dmesg | grep kthreadctl'
dmesg --notime | grep kthreadctl | tail -n 2

step "kthreadctl verify: every claim of the seed text, checked on this kernel"
show insmod "$KTHREADCTL_MODULE"
show kthreadctl verify --module "$KTHREADCTL_MODULE"
