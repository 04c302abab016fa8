#!/usr/bin/env bash
# Builds kmod/ for one kernel with W=1 and sparse, failing on any diagnostic.
# Usage: vm/build-module.sh [KVER]; prints the path of kthreadctl.ko.
# An unchanged source tree for the same kernel is not rebuilt.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:-$(guest_kernel)}
out=$BUILD_DIR/kmod/$kver
stamp=$(cd "$KTHREADCTL_ROOT/kmod" && find Kbuild kthreadctl.c include -type f -print0 |
	sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)

if [ -f "$out/kthreadctl.ko" ] && [ "$(cat "$out/.source-hash" 2>/dev/null)" = "$stamp" ]; then
	log "module for $kver is up to date"
	printf '%s\n' "$out/kthreadctl.ko"
	exit 0
fi

log "building the module for $kver (W=1, sparse)"
rm -rf "$out"
mkdir -p "$out"
cp -a "$KTHREADCTL_ROOT/kmod/Kbuild" "$KTHREADCTL_ROOT/kmod/kthreadctl.c" "$KTHREADCTL_ROOT/kmod/include" "$out/"
if ! make -C "/lib/modules/$kver/build" M="$out" W=1 C=1 modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	die "module build for $kver failed"
fi
if grep -E 'warning:|error:' "$out/build.log" >&2; then
	rm -f "$out/kthreadctl.ko"
	die "module build for $kver has diagnostics (log: $out/build.log)"
fi
printf '%s\n' "$stamp" >"$out/.source-hash"
printf '%s\n' "$out/kthreadctl.ko"
