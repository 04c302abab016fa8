#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds a student's module source for one kernel (make check SRC=). A
# submission's Makefile is code, so the build runs on a copy, as nobody,
# with no network; only its .ko files and log come out.
# Usage: vm/build-student.sh KVER SRC-DIR OUT-DIR. Exits 0 if at least one
# module was built, 3 if the build failed (OUT-DIR/build.log says why), and
# otherwise (1) if this machine could not build at all.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: vm/build-student.sh KVER SRC-DIR OUT-DIR"
kver=$(guest_kernel "$1")
[ -d "$2" ] || die "no source directory $2"
src=$(cd "$2" && pwd)
out=$3
root=$(kernel_root "$kver")
rm -rf "$out" && mkdir -p "$out"

# The copy lives inside the kernel's root, where make runs.
work=$(mktemp -d "${root%/}/var/tmp/kthreadctl-student.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$src/." "$work/"
# Objects built elsewhere, for another kernel, must not be taken as up to date.
find "$work" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
	-o -name Module.symvers -o -name modules.order \) -delete
chown -R 65534:65534 "$work"
# In a PID namespace of its own, whose init dies with unshare (--kill-child),
# and the namespace with it: timeout kills unshare after
# KTHREADCTL_BUILD_TIMEOUT seconds (default 300), so nothing the build
# started outlives it, and it cannot hold up the check. (timeout itself as
# the namespace's init fails at once with sid's coreutils 9.10: exit 125.)
limit=${KTHREADCTL_BUILD_TIMEOUT:-300}
nobody=(timeout -s KILL "$limit" unshare --pid --fork --kill-child
	setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs)
status=0
if [ "$root" = / ] || [ "$root" = "$DEBUG_ROOT" ]; then
	# Built here, with this machine's compiler.
	unshare --net -- "${nobody[@]}" make -C "${root%/}/lib/modules/$kver/build" M="$work" modules \
		>"$out/build.log" 2>&1 || status=$?
else
	# This kernel's headers want the compiler of its own distribution.
	in_kernel_root "$root" --net -- "${nobody[@]}" make -C "/lib/modules/$kver/build" M="${work#"${root%/}"}" modules \
		>"$out/build.log" 2>&1 || status=$?
fi
# The log names the student's directory, not the copy that is about to go.
sed -i "s|${work#"${root%/}"}|$src|g" "$out/build.log"
# Regular files only: a link or a FIFO named .ko must not make root read
# what it points to, or wait.
find "$work" -maxdepth 1 -type f -name '*.ko' -exec cp -P {} "$out/" \;
# A sandbox that did not start is this machine's failure, not the student's.
if [ "$status" -ne 0 ] && { [ "$status" -eq 125 ] || [ ! -s "$out/build.log" ]; }; then
	die "the build sandbox did not run (status $status, log: $out/build.log)"
fi
if [ "$status" -ne 0 ] || [ -z "$(find "$out" -maxdepth 1 -name '*.ko')" ]; then
	[ "$status" -ne 137 ] || echo "kthreadctl: the build did not finish in $limit s" >>"$out/build.log"
	log "the build of $src for $kver failed (log: $out/build.log)"
	exit 3
fi
