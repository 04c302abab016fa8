#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make check: grades modules with kthreadctl check in a throwaway QEMU
# guest, so that a module that oopses or hangs costs a guest, not this
# machine. A source directory is built first (as nobody, no network) against
# the guest kernel's headers; a build failure is the first check's verdict.
# Prints each module's KTAP, then one summary line each; exits 0 only if
# every check of every module passed.
# Usage: vm/check.sh MODULE.ko|SRC-DIR ...
#        vm/check.sh --labs   (the examples in labs/kthreads, each compared
#                              with the verdict in its directory)
# Environment: KVER (a kernel or series, default Debian's), CHECK_ARGS
# (options for kthreadctl check, e.g. "--expect 'lab-.*' --threads 2").
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

labs=0
if [ "${1:-}" = --labs ]; then
	labs=1
	shift
	# The order matters: the last two leave the guest worse off (an oops, a
	# stuck rmmod) for whatever ran after them.
	set -- good never-woken spinner usermode-helper do-exit no-stop ignores-stop
	set -- "${@/#/$KTHREADCTL_ROOT/labs/kthreads/}"
fi
[ $# -gt 0 ] || die "usage: make check MODULE=path/to/module.ko or SRC=path/to/source/ [KVER=...]"
kver=$(guest_kernel "${KVER:-}")
compgen -G "$KTHREADCTL_ROOT/java/kthreadctl-cli/target/kthreadctl-cli-*-all.jar" >/dev/null ||
	die "Java side not built: run 'make build' first"
out=$BUILD_DIR/check/$kver
rm -rf "$out" && mkdir -p "$out"
: >"$out/checks"

names=()
for item in "$@"; do
	name=$(basename "${item%/}" .ko)
	[[ " ${names[*]} " != *" $name "* ]] || die "two modules named $name: give them different file names"
	names+=("$name")
	if [ -d "$item" ]; then
		log "building $item for $kver"
		if "$KTHREADCTL_ROOT/vm/build-student.sh" "$kver" "$item" "$out/$name.build"; then
			module=$(find "$out/$name.build" -maxdepth 1 -name '*.ko' | sort | head -n 1)
			printf '%s\t%s\t%s\t%s\n' "$name" "/run/kthreadctl/$name.build/${module##*/}" \
				"/run/kthreadctl/$name.build/build.log" \
				"${CHECK_ARGS:-}" >>"$out/checks"
		else
			# Nothing to load: the report (every check but builds not run) is made here.
			read -ra extra <<<"${CHECK_ARGS:-}"
			status=0
			"$KTHREADCTL_ROOT/bin/kthreadctl" check --ktap --build-log "$out/$name.build/build.log" "${extra[@]}" \
				>"$out/$name.ktap" || status=$?
			echo "$status" >"$out/$name.status"
		fi
	elif [ -f "$item" ]; then
		# Under its own file name, which the module's name may be taken from.
		mkdir -p "$out/$name.given"
		cp "$item" "$out/$name.given/"
		printf '%s\t%s\t\t%s\n' "$name" "/run/kthreadctl/$name.given/${item##*/}" "${CHECK_ARGS:-}" >>"$out/checks"
	else
		die "$item is neither a module (.ko) nor a source directory"
	fi
done

if [ -s "$out/checks" ]; then
	printf 'exec /bin/bash %q\n' "$KTHREADCTL_ROOT/vm/guest/check.sh" >"$out/job"
	# No panic on oops: a student's oops is a verdict, and the checks after
	# it still run. A module takes 15 s here under TCG, 45 s at worst (two
	# cycles with their bounds); a guest past a minute each is reported as
	# hung.
	log "checking $(wc -l <"$out/checks") module(s) in a $kver guest (console: $out/console.log)"
	KTHREADCTL_OOPS_PANIC=0 KTHREADCTL_GUEST_TIMEOUT=$((60 + 60 * $(wc -l <"$out/checks"))) \
		"$KTHREADCTL_ROOT/vm/run-guest.sh" "$kver" "$out" >"$out/console.log" 2>&1 || true
fi

# A module whose check did not finish: the guest panicked or hung. Its
# remaining checks fail, with the console's tail as the reason.
finish_ktap() {
	local ktap=$1 plan last why
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$ktap" | head -n 1)
	if [ -z "$plan" ]; then
		printf 'KTAP version 1\n1..1\n' >"$ktap"
		plan=1
	fi
	last=$(sed -n 's/^\(not \)\{0,1\}ok \([0-9]*\) .*/\2/p' "$ktap" | tail -n 1)
	why="the guest died during this check (panic or hang); the console's last lines:"
	grep -q 'guest timed out' "$out/console.log" && why="the guest hung: it did not finish in time; the console's last lines:"
	{
		echo "# $why"
		grep -v '^\[kthreadctl ' "$out/console.log" | tail -n 15 | sed 's/^/#   /'
		for ((n = ${last:-0} + 1; n <= plan; n++)); do
			if [ "$n" -eq $((${last:-0} + 1)) ]; then echo "not ok $n guest_died"; else echo "not ok $n not_run"; fi
		done
	} >>"$ktap"
	possible=$(sed -n 's/^# points possible: //p' "$ktap")
	earned=$(awk -F'[ /]' '/^# [a-z_]+: points [0-9]+\//{ sum += $4 } END { print sum + 0 }' "$ktap")
	echo "# points $earned/${possible:-?}" >>"$ktap"
}

status=0
summary=()
for name in "${names[@]}"; do
	ktap=$out/$name.ktap
	if [ ! -f "$out/$name.status" ]; then
		touch "$ktap"
		finish_ktap "$ktap"
		echo 1 >"$out/$name.status"
	fi
	cat "$ktap"
	[ "$(cat "$out/$name.status")" -eq 0 ] || status=1
	points=$(sed -n 's/^# points \([0-9]*\/.*\)/\1/p' "$ktap" | tail -n 1)
	failed=$(sed -n 's/^not ok [0-9]* \([a-z_]*\).*/\1/p' "$ktap" | paste -sd, | sed 's/,/, /g')
	line="check: $name on $kver: points ${points:-?}, ${failed:+failed: }${failed:-every check passed}"
	if [ "$labs" = 1 ]; then
		expected=$KTHREADCTL_ROOT/labs/kthreads/$name/verdict
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
if [ "$labs" = 1 ]; then
	exit "${labs_status:-0}"
fi
exit "$status"
