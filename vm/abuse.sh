#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Abuse tests for the module (kmod/tests/*.c), as root on a machine or guest
# where it can be loaded: random ioctls, a lifecycle storm under an
# unprivileged /proc reader, PARK against a thread's own return, racing
# STOPs, fault injection, load/unload cycles with threads in every state,
# and CPU hotplug under BIND and CREATE-on-CPU. Each step prints one summary
# line. It does not read the kernel log: its caller checks that and the
# taint. The module is unloaded at the end, whatever happened.
# Usage: vm/abuse.sh MODULE.ko [BINDIR]; the programs are compiled into
# BINDIR (default: a temporary directory) unless already there.
# Environment (CI defaults): KTHREADCTL_ABUSE_FUZZ_CALLS (50000),
# KTHREADCTL_ABUSE_FUZZ_SEED (from the clock), KTHREADCTL_ABUSE_STORM_SECONDS
# (20), KTHREADCTL_ABUSE_PARK_ROUNDS (10000), KTHREADCTL_ABUSE_STOP_ROUNDS
# (1000), KTHREADCTL_ABUSE_LOAD_CYCLES (200), KTHREADCTL_ABUSE_HOTPLUG_SECONDS
# (20). Under TCG emulation (2 vCPUs) the whole run then takes about three
# minutes; park-vs-exit does some 165 rounds/s there, so the 100,000 rounds
# of a soak take about ten minutes.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

{ [ $# -ge 1 ] && [ $# -le 2 ]; } || die "usage: vm/abuse.sh MODULE.ko [BINDIR]"
[ "$(id -u)" -eq 0 ] || die "loading a module needs root"
[ -f "$1" ] || die "no module at $1"
[ ! -d /sys/module/kthreadctl ] || die "kthreadctl is loaded already: rmmod it first"
module=$(realpath "$1")
fuzz_calls=${KTHREADCTL_ABUSE_FUZZ_CALLS:-50000}
fuzz_seed=${KTHREADCTL_ABUSE_FUZZ_SEED:-}
storm_seconds=${KTHREADCTL_ABUSE_STORM_SECONDS:-20}
park_rounds=${KTHREADCTL_ABUSE_PARK_ROUNDS:-10000}
stop_rounds=${KTHREADCTL_ABUSE_STOP_ROUNDS:-1000}
load_cycles=${KTHREADCTL_ABUSE_LOAD_CYCLES:-200}
hotplug_seconds=${KTHREADCTL_ABUSE_HOTPLUG_SECONDS:-20}
# Every thread the programs create has a name starting with this.
prefix="kt-abuse"
online=/sys/devices/system/cpu/cpu1/online

work=$(mktemp -d)
bin=${2:-$work/bin}
reader_pid=
failures=()

cleanup() {
	local status=$?
	if [ -n "$reader_pid" ]; then
		touch "$work/stop-reader"
		wait "$reader_pid" || true
	fi
	# A CPU left offline would change every later test on this machine.
	if [ -w "$online" ] && [ "$(cat "$online")" = 0 ]; then
		echo 1 >"$online" || log "cannot bring CPU 1 back online"
	fi
	if [ -d /sys/module/kthreadctl ] && ! rmmod kthreadctl; then
		log "rmmod kthreadctl failed: the module stays loaded"
		status=1
	fi
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT

fail() {
	failures+=("$1")
	log "FAILED: $1"
}

# Runs a step; a failure is recorded under NAME and the run goes on.
step() {
	local name=$1
	shift
	"$@" || fail "$name"
}

build_test_programs "$bin" kt ioctl-fuzz lifecycle-storm park-vs-exit many-stoppers fail-nth || die "cannot compile the abuse tests"
kt=$bin/kt

# Prints "OURS KTHREADS": tasks whose name starts with the prefix, and
# kernel threads (kthreadd's children) other than kworkers. Workqueue pools
# start and retire kworkers as load comes and goes (idle ones after five
# minutes), so their number says nothing about us and is left out; every
# other kernel thread count must come back exactly. User processes are not
# the module's business and are not counted.
task_counts() {
	local f stat comm rest ppid ours=0 kthreads=0
	for f in /proc/[0-9]*/stat; do
		read -r stat 2>/dev/null <"$f" || continue
		# The name sits between "(" and the last ")"; it may hold either.
		comm=${stat#*(}
		comm=${comm%) *}
		rest=${stat##*) }
		rest=${rest#* }
		ppid=${rest%% *}
		case $comm in "$prefix"*) ours=$((ours + 1)) ;; esac
		case $comm in kworker/*) ;; *) [ "$ppid" = 2 ] && kthreads=$((kthreads + 1)) ;; esac
	done
	echo "$ours $kthreads"
}

# Stopped threads are reaped a moment after STOP returns: wait up to 10 s.
check_tasks() {
	local expected=$1 counts tries
	for ((tries = 0; tries < 100; tries++)); do
		counts=$(task_counts)
		[ "$counts" = "0 $expected" ] && break
		sleep 0.1
	done
	echo "tasks: ${counts%% *} named $prefix*, ${counts#* } kernel threads besides kworkers (before: $expected)"
	[ "$counts" = "0 $expected" ]
}

managed() { tail -n +2 /proc/kthreadctl | wc -l; }

# An unprivileged reader of /proc/kthreadctl, one byte a read, until told to stop.
reader_loop() {
	local reads=0
	while [ ! -e "$work/stop-reader" ]; do
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			dd if=/proc/kthreadctl bs=1 of=/dev/null status=none || touch "$work/reader-failed"
		reads=$((reads + 1))
	done
	echo "$reads" >"$work/reads"
}

start=$SECONDS
log "abuse: module $module, programs in $bin"

# 1. The programs, one after another, on one load of the module.
baseline=$(task_counts)
baseline=${baseline#* }
insmod "$module"
fuzz_args=(-p 4 -n "$fuzz_calls")
[ -z "$fuzz_seed" ] || fuzz_args+=(-s "$fuzz_seed")
step ioctl-fuzz "$bin/ioctl-fuzz" "${fuzz_args[@]}"
step "stop all after ioctl-fuzz" "$kt" stopall

# The storm runs under low limits, so that ENOSPC and EAGAIN race with
# everything else; afterwards the limits must still hold exactly (a place
# counter that leaked or drifted would show).
params=/sys/module/kthreadctl/parameters
saved_limits="$(cat "$params/max_threads") $(cat "$params/max_unwoken")"
echo 48 >"$params/max_threads"
echo 4 >"$params/max_unwoken"
reader_loop &
reader_pid=$!
step lifecycle-storm "$bin/lifecycle-storm" "$storm_seconds"
touch "$work/stop-reader"
wait "$reader_pid" || fail "unprivileged reader"
reader_pid=
echo "reader: $(cat "$work/reads") unprivileged byte-by-byte reads of /proc/kthreadctl during the storm"
[ ! -e "$work/reader-failed" ] || fail "an unprivileged read of /proc/kthreadctl failed"
step "stop all after lifecycle-storm" "$kt" stopall
step limits "$kt" limits
echo "${saved_limits% *}" >"$params/max_threads"
echo "${saved_limits#* }" >"$params/max_unwoken"

step park-vs-exit "$bin/park-vs-exit" "$park_rounds"
step "stop all after park-vs-exit" "$kt" stopall
step many-stoppers "$bin/many-stoppers" "$stop_rounds"
step "stop all after many-stoppers" "$kt" stopall
status=0
"$bin/fail-nth" || status=$?
# 77: the kernel has no fault injection; fail-nth said why.
[ "$status" = 0 ] || [ "$status" = 77 ] || fail fail-nth

[ "$(managed)" = 0 ] || fail "threads left in /proc/kthreadctl: $(managed)"
step "tasks back to the baseline" check_tasks "$baseline"
rmmod kthreadctl || fail "rmmod after the programs"

# 2. Load/unload cycles, each with a thread in every state, read by nobody
# (uid 65534); every fourth holds /proc/kthreadctl open across the unload,
# after which a read must fail instead of reaching freed module data. kt
# does it in one process: an exec costs more than a cycle under emulation.
step load-cycles "$kt" cycles "$module" "$load_cycles" "$prefix-lc"
# A cycle that failed half way may leave it loaded.
[ ! -d /sys/module/kthreadctl ] || rmmod kthreadctl || fail "rmmod after the load cycles"
step "no thread after the load cycles" check_tasks "$baseline"

# 3. CPU 1 goes offline and online under BIND and CREATE/RUN on it.
if [ ! -w "$online" ]; then
	echo "hotplug: SKIP: no hotpluggable CPU 1 ($online missing)"
else
	insmod "$module"
	"$kt" hotplug 1 "$hotplug_seconds" &
	loop_pid=$!
	toggles=0
	end=$((SECONDS + hotplug_seconds))
	while [ "$SECONDS" -lt "$end" ]; do
		if ! echo 0 >"$online"; then
			if [ "$toggles" -eq 0 ]; then
				echo "hotplug: SKIP: CPU 1 refuses to go offline"
			else
				fail "CPU 1 would not go offline again"
			fi
			break
		fi
		sleep 0.1
		echo 1 >"$online" || { fail "CPU 1 would not come back online"; break; }
		toggles=$((toggles + 1))
		sleep 0.1
	done
	wait "$loop_pid" || fail "the BIND/CREATE loop during hotplug"
	echo "hotplug: CPU 1 went offline and online $toggles times"
	step "stop all after hotplug" "$kt" stopall
	rmmod kthreadctl || fail "rmmod after hotplug"
fi

if [ ${#failures[@]} -gt 0 ]; then
	die "abuse: $(printf '%s; ' "${failures[@]}")after $((SECONDS - start)) s"
fi
echo "abuse: all passed in $((SECONDS - start)) s"
