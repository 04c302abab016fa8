# shellcheck shell=bash
# Shared by the vm/ scripts: paths, logging and the choice of guest kernel.

KTHREADCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Downloads and built images live outside the repo, shared by every checkout.
# shellcheck disable=SC2034 # used by the scripts that source this file
CACHE_DIR=${KTHREADCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kthreadctl}
BUILD_DIR=$KTHREADCTL_ROOT/build

log() { printf '[kthreadctl %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The kernel Debian's linux-image-amd64 points at, e.g. 6.1.0-56-amd64.
default_kernel() {
	dpkg-query -W -f='${Depends}\n' linux-image-amd64 2>/dev/null |
		sed -n 's/^linux-image-\([^ ,]*\).*/\1/p'
}

# The kernel to use: $KVER if set, else the default one.
guest_kernel() {
	local kver=${KVER:-$(default_kernel)}
	[ -n "$kver" ] || die "no guest kernel: install linux-image-amd64 (vm/setup-host.sh does)"
	[ -f "/boot/vmlinuz-$kver" ] || die "/boot/vmlinuz-$kver missing: apt-get install linux-image-$kver"
	[ -d "/lib/modules/$kver/build" ] || die "headers for $kver missing: apt-get install linux-headers-$kver"
	printf '%s\n' "$kver"
}

# Runs vm/guest/SCRIPT in a guest booted on KVER, with KTHREADCTL_MODULE set
# to the module built for KVER. Results land in $GUEST_OUT. Returns the
# script's exit status.
run_guest_script() {
	local kver=$1 script=$2 module
	# Callers may run this under || where set -e is off: check each step.
	module=$("$KTHREADCTL_ROOT/vm/build-module.sh" "$kver") || return 1
	[ -f "$KTHREADCTL_ROOT/java/target/test-classpath.txt" ] || die "Java side not built: run 'make build' first"
	GUEST_OUT=$BUILD_DIR/guest/$kver-${script%.sh}
	rm -rf "$GUEST_OUT" && mkdir -p "$GUEST_OUT" || return 1
	printf 'export KTHREADCTL_MODULE=%q\nexec /bin/bash %q\n' "$module" \
		"$KTHREADCTL_ROOT/vm/guest/$script" >"$GUEST_OUT/job" || return 1
	"$KTHREADCTL_ROOT/vm/run-guest.sh" "$kver" "$GUEST_OUT"
}
