#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest, as root: kthreadctl check on each module listed in
# /run/kthreadctl/checks, one a line: NAME, MODULE, BUILD-LOG (may be empty)
# and the check's extra options, separated by tabs. NAME.ktap gets the KTAP
# as each check is known, so a guest that dies part way leaves what it had;
# NAME.status gets the exit code once it is done.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=/run/kthreadctl
export PATH=$root/bin:$PATH

echo "guest: Linux $(uname -r) on $(nproc) CPUs"
while IFS=$'\t' read -r name module log options; do
	args=(check --ktap "$module")
	[ -z "$log" ] || args+=(--build-log "$log")
	# The options are the caller's words, split as the shell splits them.
	read -ra extra <<<"$options"
	echo "guest: kthreadctl ${args[*]} ${extra[*]}"
	kthreadctl "${args[@]}" "${extra[@]}" >"$out/$name.ktap" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
done <"$out/checks"
dmesg >"$out/dmesg.txt"
