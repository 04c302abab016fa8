#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shows that the debug kernel's checkers bite: builds throw-away variants of
# the module, each with one planted bug, runs kmod/tests/lifecycle-once.c on
# each in one debug guest, and fails unless the lane's kernel-log check
# (KERNEL_COMPLAINTS, as vm/test.sh applies it) reports every one, with the
# checker that should see it. The variants live under build/planted only;
# kmod/ is never touched.
# Usage: vm/check-checkers.sh (builds the debug kernel first if needed).
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ -n "$(kernel_for_series debug)" ] || "$KTHREADCTL_ROOT/vm/setup-kernels.sh" debug
kver=$(guest_kernel debug)
build=$(kernel_root "$kver")/lib/modules/$kver/build

# Each plant: a name, what must appear in the kernel log, and a Perl
# substitution on kthreadctl.c that must match exactly once. In this order:
# lockdep switches itself off after its first report and KASAN's taint
# would switch it off too, so the lock inversion goes first.
plants=(lock-inversion leak use-after-free)
declare -A expect=(
	[lock-inversion]='possible circular locking dependency'
	[leak]='kmemleak: [0-9]+ new suspected memory leak'
	[use-after-free]='KASAN: use-after-free|KFENCE: use-after-free'
)
# shellcheck disable=SC2016 # Perl expands these
declare -A patch=(
	# WAKE takes a new mutex under the thread's ctl mutex; STOP takes ctl
	# under that mutex: the ABBA order lockdep exists to see.
	[lock-inversion]='s/^(static void free_thread_rcu)/static DEFINE_MUTEX(planted);\n\n$1/m;
		s/(\tret = 0;\n\tif \(atomic_read\(&t->life\) == KTHREADCTL_LIFE_STOPPING\) \{\n)/\tmutex_lock(&planted);\n\tmutex_unlock(&planted);\n$1/;
		s/(\tt = lock_thread\(req.id\);\n)(\tif \(IS_ERR\(t\)\)\n\t\treturn PTR_ERR\(t\);\n\tret = 0;\n\tlife = )/\tmutex_lock(&planted);\n$1\tmutex_unlock(&planted);\n$2/'
	# INFO keeps only its last allocation: each earlier one leaks.
	[leak]='s/^(static long ioctl_info\(struct kthreadctl_info __user \*argp\)\n\{\n)/static void *planted;\n\n$1\tplanted = kmalloc(64, GFP_KERNEL);\n/m'
	# The entry is freed at once, not after RCU's grace period, and STOP
	# reads it after dropping its own reference.
	[use-after-free]='s/\tcall_rcu\(&t->rcu, free_thread_rcu\);/\tfree_thread_rcu(&t->rcu);/;
		s/(out_put:\n\tput_thread\(t\);\n)(\treturn ret;\n\}\n\nstatic long park_thread)/$1\tif (!ret \&\& atomic_read(\&t->life) != KTHREADCTL_LIFE_STOPPING)\n\t\tret = -EIO;\n$2/'
)
out=$BUILD_DIR/planted
rm -rf "$out" && mkdir -p "$out/results"
for plant in "${plants[@]}"; do
	dir=$out/$plant
	mkdir -p "$dir"
	cp -a "$KTHREADCTL_ROOT/kmod/Kbuild" "$KTHREADCTL_ROOT/kmod/kthreadctl.c" "$KTHREADCTL_ROOT/kmod/include" "$dir/"
	before=$(sha256sum <"$dir/kthreadctl.c")
	perl -0pi -e "${patch[$plant]}" "$dir/kthreadctl.c"
	[ "$(sha256sum <"$dir/kthreadctl.c")" != "$before" ] || die "plant $plant no longer applies to kmod/kthreadctl.c"
	make -C "$build" M="$dir" KTHREADCTL_VERSION="$(project_version)" modules >"$dir/build.log" 2>&1 ||
		{ cat "$dir/build.log" >&2; die "the $plant variant does not build"; }
done
build_test_programs "$out/results" lifecycle-once

# shellcheck disable=SC2016 # the guest's shell expands these
{
	echo 'set -u'
	echo 'kmemleak=/sys/kernel/debug/kmemleak'
	echo 'mount -t debugfs debugfs /sys/kernel/debug'
	echo 'echo scan >$kmemleak; echo clear >$kmemleak'
	for plant in "${plants[@]}"; do
		printf 'echo "== %s"\n' "$plant"
		printf 'insmod %q && /run/kthreadctl/lifecycle-once 2; rmmod kthreadctl\n' "$out/$plant/kthreadctl.ko"
		if [ "$plant" = leak ]; then
			echo 'echo scan >$kmemleak; sleep 6; echo scan >$kmemleak; head -n 20 $kmemleak'
		fi
	done
	echo 'dmesg >/run/kthreadctl/dmesg.txt'
} >"$out/results/job"
# Each report is to be seen, so a WARN (KFENCE reports as one) must not end
# the guest before the next plant runs.
KTHREADCTL_PANIC_ON_WARN=0 "$KTHREADCTL_ROOT/vm/run-guest.sh" "$kver" "$out/results" >"$out/console.txt" 2>&1 || true

[ -f "$out/results/dmesg.txt" ] || die "the debug guest left no kernel log"
status=0
for plant in "${plants[@]}"; do
	caught=$(grep -m 1 -E "${expect[$plant]}" "$out/results/dmesg.txt" || true)
	if [ -n "$caught" ] && grep -qE "$KERNEL_COMPLAINTS" <<<"$caught"; then
		log "planted $plant: caught, the lane fails on: ${caught#*] }"
	else
		log "planted $plant: NOT caught (wanted: ${expect[$plant]}; log: $out/results/dmesg.txt)"
		status=1
	fi
done
exit "$status"
