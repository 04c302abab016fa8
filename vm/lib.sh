# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Shared by the vm/ scripts: paths, logging and the choice of guest kernel.

KTHREADCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Downloads and built images live outside the repo, shared by every checkout.
# shellcheck disable=SC2034 # used by the scripts that source this file
CACHE_DIR=${KTHREADCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kthreadctl}
BUILD_DIR=$KTHREADCTL_ROOT/build

# sid's kernel and the toolchain its headers need live in this chroot.
SID_ROOT=$CACHE_DIR/sid-root
# The debug kernel (vm/build-debug-kernel.sh), laid out as an installed one.
DEBUG_ROOT=$CACHE_DIR/debug-root
# The series make test knows: Debian 12's kernel, bookworm-backports' 6.12,
# sid's newest kernel (whatever sid serves; "7.2" names it while sid serves a
# 7.2) and the debug kernel built from source. KERNELS=all runs all four.
# shellcheck disable=SC2034 # used by the scripts that source this file
KNOWN_SERIES="6.1 6.12 sid debug"
# Names accepted for a series besides KNOWN_SERIES.
SERIES_ALIASES="7.2"

# The one version of kthreadctl: the top-level pom.xml's own <version>.
project_version() {
	sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$KTHREADCTL_ROOT/pom.xml"
}

# What the kernel log may never say during a run: oops, BUG, WARN, refcount,
# lockdep, KASAN/KFENCE/UBSAN, kmemleak, hung task, soft or hard lockup.
# shellcheck disable=SC2034 # used by the scripts that source this file
KERNEL_COMPLAINTS='BUG:|WARNING:|Oops|refcount_t|general protection|possible circular locking|possible recursive locking|inconsistent lock state|KASAN:|KFENCE:|UBSAN:|kmemleak:.*suspected|blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO: .* detected stalls'

# "KVER: N passed, N failed, N skipped" from JUnit XML reports (their sums):
# result_line KVER REPORT...; returns non-zero if a test failed.
result_line() {
	local kver=$1 report tests=0 failed=0 skipped=0
	shift
	count() { sed -n "s/.*<testsuite [^>]* $1=\"\([0-9]*\)\".*/\1/p" "$report" | head -n 1; }
	for report in "$@"; do
		tests=$((tests + $(count tests)))
		failed=$((failed + $(count failures) + $(count errors)))
		skipped=$((skipped + $(count skipped)))
	done
	echo "$kver: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

# "KVER: failed: Class.method() message" for each failed test in a JUnit XML
# report: CI shows only the log's tail, so the names go next to the counts.
failed_tests() {
	local kver=$1 report=$2
	awk '/<testcase /{ match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
			match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
		/<(failure|error)[ >]/{ msg = ""; if (match($0, /message="[^"]*/)) msg = substr($0, RSTART + 9, RLENGTH - 9)
			gsub(/&lt;/, "<", msg); gsub(/&gt;/, ">", msg); gsub(/&quot;/, "\"", msg); gsub(/&amp;/, "\\&", msg)
			sub(/.*\./, "", cls); print kver ": failed: " cls "." name " " substr(msg, 1, 200) }' kver="$kver" "$report"
}

log() { printf '[kthreadctl %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The kernel Debian's linux-image-amd64 points at, e.g. 6.1.0-56-amd64.
default_kernel() {
	dpkg-query -W -f='${Depends}\n' linux-image-amd64 2>/dev/null |
		sed -n 's/^linux-image-\([^ ,]*\).*/\1/p'
}

# The newest installed kernel of a series, or nothing. sid's lives in the
# sid chroot, the debug kernel in the cache, the others on this machine.
kernel_for_series() {
	local dir=/lib/modules pattern="$1.*-amd64"
	case "$1" in
	sid) dir=$SID_ROOT/lib/modules pattern='*-amd64' ;;
	7.2) dir=$SID_ROOT/lib/modules ;;
	debug) dir=$DEBUG_ROOT/lib/modules pattern='*-kthreadctl-debug' ;;
	esac
	find "$dir" -mindepth 1 -maxdepth 1 -name "$pattern" -printf '%f\n' 2>/dev/null |
		while read -r kver; do [ -d "$dir/$kver/build" ] && echo "$kver"; done | sort -V | tail -n 1
}

# Where a kernel's image, modules and build tree are: /, the sid chroot or
# the debug kernel's root.
kernel_root() {
	local root
	for root in / "$SID_ROOT" "$DEBUG_ROOT"; do
		[ -d "${root%/}/lib/modules/$1/build" ] && { echo "$root"; return; }
	done
}

# Runs a command inside kernel root ROOT (a chroot, for kernels whose headers
# want their own distribution's compiler), with the /proc that objtool
# reads, in a private mount namespace so that nothing stays mounted.
# Usage: in_kernel_root ROOT [UNSHARE-OPTION...] -- COMMAND...
in_kernel_root() {
	local root=$1 options=()
	shift
	while [ "$1" != -- ]; do
		options+=("$1")
		shift
	done
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --fork "${options[@]}" sh -c 'mount -t proc proc "$1/proc" && exec chroot "$@"' sh "$root" "$@"
}

# The classes vm/test.sh runs in the first of the two guests it boots per
# kernel; the second runs every other class, then the abuse tests. About
# half the suite's time each (a new class lands in the second).
# shellcheck disable=SC2034 # used by vm/test.sh
SUITE_FIRST_GUEST="CommandLineGuestTest VerifyGuestTest ProcDiscoveryGuestTest ModuleUnloadGuestTest"

# The guest test classes the debug kernel runs: those that drive the module
# from this JVM. Left out there: ProcDiscoveryGuestTest, CommandLineGuestTest,
# VerifyGuestTest and PermissionGuestTest, which start a JVM per check (about
# 35 s each on that kernel); the abuse tests cover EPERM there.
# shellcheck disable=SC2034 # used by vm/test.sh
DEBUG_LANE_TESTS="DeviceAbiGuestTest KthreadLifecycleGuestTest ModuleAbuseGuestTest ModuleUnloadGuestTest ThreadControlsGuestTest"

# Compiles kmod/tests/NAME.c into DIR/NAME for each NAME not there yet: the
# one place that knows how the C tests are built.
build_test_programs() {
	local dir=$1 name
	shift
	mkdir -p "$dir" || return 1
	for name; do
		[ -x "$dir/$name" ] && continue
		gcc -O2 -Wall -Wextra -Werror -pthread -o "$dir/$name" "$KTHREADCTL_ROOT/kmod/tests/$name.c" || return 1
	done
}

# The guest suite's classpath: its classes as the jar 'mvn package' made
# (unless classes were compiled since), then its dependencies.
suite_classpath() {
	local target=$KTHREADCTL_ROOT/java/kthreadctl-guest-tests/target classes jar
	classes=$target/test-classes
	for jar in "$target"/kthreadctl-guest-tests-*-tests.jar; do
		if [ -f "$jar" ] && [ -z "$(find "$classes" -newer "$jar" -print -quit)" ]; then
			classes=$jar
		fi
	done
	printf '%s:%s\n' "$classes" "$(cat "$target/test-classpath.txt")"
}

# The JVM options of the suite: the client compiler alone and the serial
# collector, as bin/kthreadctl has them. The suite mostly waits on the
# kernel, and under an emulator the server compiler costs more than it saves.
# shellcheck disable=SC2034 # used by the scripts that source this file
SUITE_JVM_OPTIONS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# Whether KVER is the debug kernel, whose guests run the debug lane.
is_debug_kernel() { [[ $1 == *-kthreadctl-debug ]]; }

# The kernel image of an installed kernel.
kernel_image() {
	local root image
	root=$(kernel_root "$1")
	for image in "$root/boot/vmlinuz-$1" "$root/usr/lib/modules/$1/vmlinuz" "$root/usr/lib/modules/$1/vmlinuz.unsigned"; do
		[ -f "$image" ] && { echo "$image"; return; }
	done
}

# The kernel image $1 unpacked, an ELF file QEMU starts at its PVH entry
# point, cached by the image's hash: printed, or nothing if it cannot be had
# (no unpacker, no PVH entry), and then the caller boots $1 as it is. Under
# TCG the kernel's own unpacking takes about 4 s of every boot.
pvh_kernel() {
	local image=$1 cached tmp pattern unpack offset unpacked='' end
	cached=$CACHE_DIR/vmlinux/$(basename "$image")-$(sha256sum "$image" | cut -c1-16)
	tmp=$cached.$$.tmp
	# An image found to have no PVH entry is not unpacked again.
	[ ! -f "$cached.none" ] || return 0
	if [ ! -f "$cached" ]; then
		mkdir -p "$(dirname "$cached")"
		# Where the compressed kernel starts: the first offset of its format's
		# magic that unpacks to an ELF file (the bytes may occur earlier too).
		for pattern in '\xfd7zXZ\x00:xz -dcq --single-stream' '\x28\xb5\x2f\xfd:zstd -dcq' '\x1f\x8b\x08:gzip -dcq'; do
			unpack=${pattern#*:}
			command -v "${unpack%% *}" >/dev/null || continue
			for offset in $(LC_ALL=C grep -aboP "${pattern%%:*}" "$image" | cut -d: -f1 | head -n 5); do
				tail -c +"$((offset + 1))" "$image" | $unpack >"$tmp" 2>/dev/null || true
				[ "$(head -c 4 "$tmp")" = $'\x7fELF' ] || continue
				# Whole: the section headers, the ELF file's last part, end
				# within it (the unpackers' status is no guide: the bytes
				# after the kernel make them complain).
				end=$(readelf -h "$tmp" 2>/dev/null | awk -F: '/Start of section headers/ { start = $2 + 0 }
					/Size of section headers/ { size = $2 + 0 } /Number of section headers/ { n = $2 + 0 }
					END { print start + size * n }')
				if [ "${end:-0}" -le 0 ] || [ "$end" -gt "$(stat -c %s "$tmp")" ]; then
					continue
				fi
				unpacked=1
				# XEN_ELFNOTE_PHYS32_ENTRY (18): the kernel has a PVH entry (CONFIG_PVH).
				if readelf -n "$tmp" 2>/dev/null | grep -qE '^ *Xen .*\(0x00000012\)'; then
					mv "$tmp" "$cached" && break 2
				fi
			done
		done
		rm -f "$tmp"
		# Only a kernel unpacked whole without the entry is marked: a missing
		# unpacker or a full disk may be put right.
		[ -f "$cached" ] || [ -z "$unpacked" ] || : >"$cached.none"
	fi
	[ ! -f "$cached" ] || printf '%s\n' "$cached"
}

# Resolves $1 (default: $KVER, else the default kernel) to an installed kernel
# version: a full version, or a series (6.1, 6.12, sid or 7.2, debug).
guest_kernel() {
	local kver=${1:-${KVER:-$(default_kernel)}}
	[ -n "$kver" ] || die "no guest kernel: install linux-image-amd64 (vm/setup-host.sh does)"
	case " $KNOWN_SERIES $SERIES_ALIASES " in
	*" $kver "*)
		local series=$kver
		kver=$(kernel_for_series "$series")
		if [ -z "$kver" ] && [ "$series" = 7.2 ] && [ -n "$(kernel_for_series sid)" ]; then
			die "sid serves $(kernel_for_series sid) now, not a 7.2: ask for the sid series"
		fi
		[ -n "$kver" ] || die "no $series kernel installed: run vm/setup-kernels.sh $series"
		;;
	esac
	[ -n "$(kernel_root "$kver")" ] || die "kernel $kver is not installed (vm/setup-kernels.sh installs $KNOWN_SERIES)"
	[ -n "$(kernel_image "$kver")" ] || die "no image for kernel $kver"
	[ -d "$(kernel_root "$kver")/lib/modules/$kver/build" ] || die "headers for $kver missing"
	printf '%s\n' "$kver"
}

# Runs vm/guest/SCRIPT in a guest booted on KVER, with KTHREADCTL_MODULE set
# to the module built for KVER: run_guest_script KVER SCRIPT [NAME]. Results
# land in $GUEST_OUT, $BUILD_DIR/guest/KVER-NAME (NAME: SCRIPT less .sh).
# Returns the script's exit status.
run_guest_script() {
	local kver=$1 script=$2 name=${3:-${2%.sh}} module
	# Callers may run this under || where set -e is off: check each step.
	module=$("$KTHREADCTL_ROOT/vm/build-module.sh" "$kver") || return 1
	[ -f "$KTHREADCTL_ROOT/java/kthreadctl-guest-tests/target/test-classpath.txt" ] || die "Java side not built: run 'make build' first"
	GUEST_OUT=$BUILD_DIR/guest/$kver-$name
	rm -rf "$GUEST_OUT" && mkdir -p "$GUEST_OUT" || return 1
	{
		# The guest starts with a clean environment: hand on our settings.
		local name
		for name in $(compgen -e | grep '^KTHREADCTL_'); do
			printf 'export %s=%q\n' "$name" "${!name}"
		done
		printf 'export KTHREADCTL_MODULE=%q\nexec /bin/bash %q\n' "$module" "$KTHREADCTL_ROOT/vm/guest/$script"
	} >"$GUEST_OUT/job" || return 1
	"$KTHREADCTL_ROOT/vm/run-guest.sh" "$kver" "$GUEST_OUT"
}
