#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boots the guest kernel under QEMU and runs OUTDIR/job in it as root, in a
# chroot of this machine's root (read-only), with OUTDIR writable at
# /run/kthreadctl. Exits with the job's status; a guest that died, oopsed or
# timed out leaves no status and fails.
# Usage: vm/run-guest.sh KVER OUTDIR
# Environment: KTHREADCTL_ACCEL (kvm|tcg; default: kvm only if usable),
# KTHREADCTL_TCG_THREAD (single|multi, default single: see below),
# KTHREADCTL_GUEST_MEM (MiB, default 3072; 2048 for the debug kernel),
# KTHREADCTL_GUEST_CPUS (default 2),
# KTHREADCTL_GUEST_TIMEOUT (seconds, default 1800), KTHREADCTL_OOPS_PANIC
# (default 1: an oops ends the guest); for the debug kernel,
# KTHREADCTL_PANIC_ON_WARN (default 1).
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

kver=$(guest_kernel "$1")
outdir=$(cd "$2" && pwd)
[ -f "$outdir/job" ] || die "$outdir/job missing"
initramfs=$("$KTHREADCTL_ROOT/vm/build-initramfs.sh" "$kver")

# /dev/kvm can exist where KVM hangs (nested, paravirtual hosts): require the
# CPU to advertise hardware virtualisation too.
accel=${KTHREADCTL_ACCEL:-}
if [ -z "$accel" ]; then
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi
fi
# Multi-threaded TCG runs each vCPU on its own host thread. With it, about
# one guest JVM run in ten crashed here (QEMU 7.2) in freshly JIT-compiled
# code, at a method's first instruction with a nonsensical fault address:
# the mark of one vCPU running stale translations of code another vCPU had
# just rewritten. One TCG thread for all vCPUs has not crashed.
case "$accel" in
kvm) cpu=host ;;
tcg) cpu=max accel=tcg,thread=${KTHREADCTL_TCG_THREAD:-single} ;;
*) die "KTHREADCTL_ACCEL must be kvm or tcg, not '$accel'" ;;
esac

# Two NUMA nodes, CPU 0 on node 0 and the others on node 1, each with half
# the memory: then what a kernel does with a thread's node can be seen. Each
# CPU is a socket of its own: CPUs sharing a cache across nodes make the
# kernel warn at boot (topology_sane).
# The debug kernel's kmemleak scans memory in proportion to its size, and a
# scan already takes a minute or more under TCG: 2 GiB is plenty there.
default_mem=3072
is_debug_kernel "$kver" && default_mem=2048
mem=${KTHREADCTL_GUEST_MEM:-$default_mem}
cpus=${KTHREADCTL_GUEST_CPUS:-2}
[[ $mem =~ ^[0-9]+$ ]] || die "KTHREADCTL_GUEST_MEM is in MiB, e.g. 3072, not '$mem'"
numa=()
if [ "$cpus" -ge 2 ]; then
	numa=(-object "memory-backend-ram,id=node0,size=$((mem / 2))M"
		-object "memory-backend-ram,id=node1,size=$((mem - mem / 2))M"
		-numa "node,nodeid=0,cpus=0,memdev=node0"
		-numa "node,nodeid=1,cpus=1-$((cpus - 1)),memdev=node1")
fi

# KTHREADCTL_OOPS_PANIC=0 (make check) lets the guest go on after an oops:
# there a student's oops is a verdict, not the end of the run.
oops=oops=panic
[ "${KTHREADCTL_OOPS_PANIC:-1}" != 0 ] || oops=
append="console=ttyS0 panic=-1 $oops quiet loglevel=4"
if is_debug_kernel "$kver"; then
	# Under TCG, -cpu max turns on 5-level paging, and with it KASAN was seen
	# to report a false wild-memory-access at boot once in two.
	[ "$accel" = kvm ] || cpu=max,la57=off
	# Every KASAN report, not just the first; a WARN (KFENCE's reports too)
	# or a hung task ends the guest at once, and shows on the console, which
	# now has warnings too, rather than let the run go on past it.
	# KTHREADCTL_PANIC_ON_WARN=0 lets the run go on to collect every report.
	append="console=ttyS0 panic=-1 $oops quiet loglevel=5 kasan_multi_shot panic_on_warn=${KTHREADCTL_PANIC_ON_WARN:-1} hung_task_panic=1"
fi

image=$(kernel_image "$kver")
kernel=$(pvh_kernel "$image" || true)
kernel=${kernel:-$image}

rm -f "$outdir/status"
log "booting $kver under QEMU (-accel $accel, $cpus CPUs)"
guest_rc=0
timeout --foreground "${KTHREADCTL_GUEST_TIMEOUT:-1800}" \
	qemu-system-x86_64 -accel "$accel" -cpu "$cpu" \
	-m "${mem}M" -smp "$cpus,sockets=$cpus,cores=1,threads=1" "${numa[@]}" \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initramfs" \
	-append "$append" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$outdir,mount_tag=out,security_model=none,multidevs=remap" ||
	guest_rc=$?

if [ ! -f "$outdir/status" ]; then
	[ "$guest_rc" -eq 124 ] && die "guest timed out after ${KTHREADCTL_GUEST_TIMEOUT:-1800} s"
	die "guest ended without a result (QEMU status $guest_rc): it crashed, oopsed or never ran the job"
fi
exit "$(cat "$outdir/status")"
