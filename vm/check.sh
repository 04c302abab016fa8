#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make check: grades modules with kthreadctl check in a throwaway QEMU
# guest, so that a module that oopses or hangs costs a guest, not this
# machine. A source directory is built first (vm/build-student.sh: as
# nobody, no network) against the guest kernel's headers; a build failure
# is the first check's verdict. Prints each module's KTAP, then one summary
# line each. Exits 0 if every check of every module passed, 1 if one
# failed, 2 if the harness itself failed (then nobody's module is to blame).
# Usage: vm/check.sh MODULE.ko|SRC-DIR ...
#        vm/check.sh --labs   (the examples in labs/kthreads, each compared
#                              with its expected verdict; exit 0 if all match)
# Environment: KVER (a kernel or series, default Debian's), CHECK_ARGS
# (options for kthreadctl check, quoted as in a shell, e.g.
# "--expect 'lab-.*' --threads 2").
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

harness_error() {
	log "error: $*"
	exit 2
}

labs=0
if [ "${1:-}" = --labs ]; then
	labs=1
	shift
	# Each example that leaves the kernel worse off (an oops, a stuck rmmod)
	# ends its guest: the order keeps those last, to boot fewer guests.
	set -- good never-woken spinner usermode-helper do-exit no-stop ignores-stop
	set -- "${@/#/$KTHREADCTL_ROOT/labs/kthreads/}"
fi
[ $# -gt 0 ] || die "usage: make check MODULE=path/to/module.ko or SRC=path/to/source/ [KVER=...]"
kver=$(guest_kernel "${KVER:-}")
compgen -G "$KTHREADCTL_ROOT/java/kthreadctl-cli/target/kthreadctl-cli-*-all.jar" >/dev/null ||
	die "Java side not built: run 'make build' first"
# CHECK_ARGS as the shell would split it, quotes and all (xargs does that).
mapfile -t extra < <(printf '%s' "${CHECK_ARGS:-}" | xargs -r printf '%s\n') ||
	die "CHECK_ARGS does not parse: '${CHECK_ARGS:-}'"
option() { # the value of kthreadctl check option $1 in CHECK_ARGS, else $2
	local i value=$2
	for ((i = 0; i < ${#extra[@]}; i++)); do
		case "${extra[i]}" in
		"$1") value=${extra[i + 1]:-$value} ;;
		"$1"=*) value=${extra[i]#*=} ;;
		esac
	done
	[[ $value =~ ^[0-9]+$ ]] && echo "$value" || echo "$2"
}
# What one module may take in the guest: two cycles, each with insmod's
# and rmmod's bounds, 5 s for threads to appear and the window; a JVM start.
per_module=$((2 * (2 * $(option --unload-timeout 10) + 6 + $(option --window 2)) + 30))

out=$BUILD_DIR/check/$kver
rm -rf "$out" && mkdir -p "$out"
US=$'\x1f'
entries=()
names=()
for item in "$@"; do
	name=$(basename "${item%/}" .ko)
	[[ " ${names[*]} " != *" $name "* ]] || die "two modules named $name: give them different file names"
	names+=("$name")
	if [ -d "$item" ]; then
		log "building $item for $kver"
		build=0
		"$KTHREADCTL_ROOT/vm/build-student.sh" "$kver" "$item" "$out/$name.build" || build=$?
		if [ "$build" -eq 0 ]; then
			module=$(find "$out/$name.build" -maxdepth 1 -name '*.ko' | sort | head -n 1)
			entries+=("$name$US/run/kthreadctl/$name.build/${module##*/}$US/run/kthreadctl/$name.build/build.log$(printf "$US%s" "${extra[@]}")")
		elif [ "$build" -eq 3 ]; then
			# Nothing to load: the report (every check but builds not run) is made here.
			status=0
			"$KTHREADCTL_ROOT/bin/kthreadctl" check --ktap --build-log "$out/$name.build/build.log" "${extra[@]}" \
				>"$out/$name.ktap" 2>"$out/$name.err" || status=$?
			echo "$status" >"$out/$name.status"
		else
			harness_error "could not build $item at all (see above): no verdict for it"
		fi
	elif [ -f "$item" ]; then
		# Under its own file name, which the module's name may be taken from.
		mkdir -p "$out/$name.given"
		cp "$item" "$out/$name.given/"
		entries+=("$name$US/run/kthreadctl/$name.given/${item##*/}$US$(printf "$US%s" "${extra[@]}")")
	else
		die "$item is neither a module (.ko) nor a source directory"
	fi
done

# A module whose check did not finish: the guest panicked or hung. The
# check it was on fails with the console's last lines, the ones after it
# fail as not run.
finish_ktap() {
	local ktap=$1 console=$2 plan last why n name possible earned
	local -a checks
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$ktap" | head -n 1)
	read -ra checks <<<"$(sed -n 's/^# checks: //p' "$ktap")"
	if [ -z "$plan" ] || [ "${#checks[@]}" -ne "$plan" ]; then
		# Nothing printed yet: the guest died before the check began.
		printf 'KTAP version 1\n1..1\n' >"$ktap"
		plan=1 checks=(guest_died)
	fi
	last=$(sed -n 's/^\(not \)\{0,1\}ok \([0-9]*\) .*/\2/p' "$ktap" | tail -n 1)
	why="the guest died during this check (a panic); the console's last lines:"
	grep -q 'guest timed out' "$console" && why="the guest hung: it did not finish in time; the console's last lines:"
	for ((n = ${last:-0} + 1; n <= plan; n++)); do
		name=${checks[n - 1]}
		if [ "$n" -eq $((${last:-0} + 1)) ]; then
			echo "# $name: $why"
			grep -v '^\[kthreadctl ' "$console" | tail -n 15 | sed "s/^/# $name:   /"
		else
			echo "# $name: not run: the guest died"
		fi
		echo "not ok $n $name"
	done >>"$ktap"
	possible=$(sed -n 's/^# points possible: //p' "$ktap")
	# Anchored: an evidence line (a thread's name) must not pass for points.
	earned=$(sed -n 's/^# [a-z_]*: points \([0-9]*\)\/[0-9]*$/\1/p' "$ktap" | awk '{ sum += $1 } END { print sum + 0 }')
	echo "# points $earned/${possible:-0}" >>"$ktap"
}

# No panic on oops: a student's oops is a verdict. A module that panics or
# hangs the guest costs it, and one that leaves the kernel worse off ends
# it (vm/guest/check.sh): the modules after it get a fresh guest.
remaining=("${entries[@]}")
round=0
while [ "${#remaining[@]}" -gt 0 ]; do
	round=$((round + 1))
	console=$out/console-$round.log
	printf '%s\n' "${remaining[@]}" >"$out/checks"
	printf 'exec /bin/bash %q\n' "$KTHREADCTL_ROOT/vm/guest/check.sh" >"$out/job"
	rm -f "$out/round-ended"
	log "checking ${#remaining[@]} module(s) in a $kver guest (console: $console)"
	KTHREADCTL_OOPS_PANIC=0 KTHREADCTL_GUEST_TIMEOUT=$((60 + per_module * ${#remaining[@]})) \
		"$KTHREADCTL_ROOT/vm/run-guest.sh" "$kver" "$out" >"$console" 2>&1 || true
	# A guest that never ran the job is the harness's failure, not a module's.
	grep -q 'init: userspace after' "$console" ||
		harness_error "the $kver guest did not start (console: $console): $(grep 'error' "$console" | tail -n 1)"
	left=()
	blamed=
	[ ! -f "$out/round-ended" ] || blamed=none
	for entry in "${remaining[@]}"; do
		name=${entry%%"$US"*}
		[ ! -f "$out/$name.status" ] || continue
		if [ -z "$blamed" ]; then
			blamed=$name
			touch "$out/$name.ktap"
			finish_ktap "$out/$name.ktap" "$console"
			echo 1 >"$out/$name.status"
		else
			left+=("$entry")
		fi
	done
	remaining=("${left[@]}")
done

# An example's expected verdict on this kernel: verdict, or verdict.from-X.Y
# for the newest X.Y the kernel has reached (kernels change what modules may
# do: do_exit() was exported again in 7.0).
verdict_file() {
	local dir=$1 file chosen=$1/verdict since
	while read -r file; do
		since=${file##*from-}
		if [ "$(printf '%s\n%s\n' "$since" "$kver" | sort -V | head -n 1)" = "$since" ]; then
			chosen=$file
		fi
	done < <(find "$dir" -maxdepth 1 -name 'verdict.from-*' | sort -V)
	printf '%s\n' "$chosen"
}

status=0
summary=()
for name in "${names[@]}"; do
	ktap=$out/$name.ktap
	cat "$ktap"
	points=$(sed -n 's/^# points \([0-9]*\/[0-9]*\)$/\1/p' "$ktap" | tail -n 1)
	if [ -z "$points" ]; then
		# The checker stopped without a total: its error, not a verdict.
		cat "$out/$name.err" >&2
		summary+=("check: $name on $kver: the checker failed: $(tail -n 1 "$out/$name.err")")
		status=2
		continue
	fi
	[ "$(cat "$out/$name.status")" -eq 0 ] || [ "$status" -eq 2 ] || status=1
	failed=$(sed -n 's/^not ok [0-9]* \([a-z_]*\)$/\1/p' "$ktap" | paste -sd, | sed 's/,/, /g')
	line="check: $name on $kver: points $points, ${failed:+failed: }${failed:-every check passed}"
	if [ "$labs" = 1 ]; then
		expected=$(verdict_file "$KTHREADCTL_ROOT/labs/kthreads/$name")
		if diff <(grep -v '^#' "$expected") <(grep -E '^(not )?ok [0-9]+ ' "$ktap" | sed 's/ # SKIP.*//') \
			>"$out/$name.verdict-diff"; then
			line+=" (as expected)"
		else
			line+=" (NOT as expected: $out/$name.verdict-diff)"
			labs_status=1
		fi
	fi
	summary+=("$line")
done
printf '%s\n' "${summary[@]}"
if [ "$labs" = 1 ] && [ "$status" -ne 2 ]; then
	exit "${labs_status:-0}"
fi
exit "$status"
