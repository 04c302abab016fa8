#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds kmod/ for one kernel with W=1 and sparse, failing on any diagnostic,
# after checkpatch.pl --strict (vm/checkpatch.sh), failing on any report.
# Usage: vm/build-module.sh [KVER]; prints the path of kthreadctl.ko.
# An unchanged source tree for the same kernel is not rebuilt.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

kver=$(guest_kernel "${1:-}")
root=$(kernel_root "$kver")
out=$BUILD_DIR/kmod/$kver
version=$(project_version)
stamp=$( (cd "$KTHREADCTL_ROOT/kmod" && find Kbuild kthreadctl.c include -type f -print0 |
	sort -z | xargs -0 sha256sum && echo "$version") | sha256sum | cut -d' ' -f1)

if [ -f "$out/kthreadctl.ko" ] && [ "$(cat "$out/.source-hash" 2>/dev/null)" = "$stamp" ]; then
	log "module for $kver is up to date"
	printf '%s\n' "$out/kthreadctl.ko"
	exit 0
fi

"$KTHREADCTL_ROOT/vm/checkpatch.sh"
log "building the module for $kver (W=1, sparse)"
rm -rf "$out"
mkdir -p "$out"
cp -a "$KTHREADCTL_ROOT/kmod/Kbuild" "$KTHREADCTL_ROOT/kmod/kthreadctl.c" "$KTHREADCTL_ROOT/kmod/include" "$out/"
if [ "$root" = / ] || [ "$root" = "$DEBUG_ROOT" ]; then
	# The debug kernel was built here, with this machine's compiler.
	build() { make -C "${root%/}/lib/modules/$kver/build" M="$out" W=1 C=1 KTHREADCTL_VERSION="$version" modules; }
else
	# This kernel's headers want the compiler and C library of its own
	# distribution: build inside its root, then bring the module out.
	inside=/var/tmp/kthreadctl-build/$kver
	# Debian's headers lack kbuild's sparse probe, and kbuild then skips
	# sparse with a notice: supply one that says whether the checker runs.
	checker=$root/usr/src/linux-headers-${kver%-amd64}-common/scripts/checker-valid.sh
	if [ -d "$(dirname "$checker")" ] && [ ! -e "$checker" ]; then
		printf '#!/bin/sh\n# Written by kthreadctl: prints 1 if the checker runs on empty C input.\n"$@" -E -x c /dev/null >/dev/null 2>&1 && echo 1\n' >"$checker"
		chmod 755 "$checker"
	fi
	chroot_make() {
		in_kernel_root "$root" -- \
			make -C "/lib/modules/$kver/build" M="$inside" W=1 C=1 KTHREADCTL_VERSION="$version" modules
	}
	build() {
		rm -rf "${root:?}$inside" && mkdir -p "$root$inside" && cp -a "$out/." "$root$inside/" &&
			chroot_make && cp "$root$inside/kthreadctl.ko" "$out/"
	}
fi
if ! build >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	if [ "$root" = "$SID_ROOT" ]; then
		die "the module does not build on $kver, the kernel sid serves now: the compiler's errors are above; the fix goes into kmod/kthreadctl.c's version guards"
	fi
	die "module build for $kver failed"
fi
if grep -E 'warning:|error:' "$out/build.log" >&2; then
	rm -f "$out/kthreadctl.ko"
	die "module build for $kver has diagnostics (log: $out/build.log)"
fi
printf '%s\n' "$stamp" >"$out/.source-hash"
printf '%s\n' "$out/kthreadctl.ko"
