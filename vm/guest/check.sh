#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest, as root: kthreadctl check on each module listed in
# /run/kthreadctl/checks, one a line: NAME, MODULE, BUILD-LOG (may be empty)
# and the check's options, separated by US (0x1f), not tabs, so that an
# empty field stays one. NAME.ktap gets the KTAP as each check is known, so
# a guest that dies part way leaves what it had; NAME.status gets the exit
# code once it is done. round-ended says the loop ended by itself.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=/run/kthreadctl
export PATH=$root/bin:$PATH

echo "guest: Linux $(uname -r) on $(nproc) CPUs"
while IFS=$'\x1f' read -ra fields; do
	name=${fields[0]}
	args=(check --ktap "${fields[1]}")
	[ -z "${fields[2]:-}" ] || args+=(--build-log "${fields[2]}")
	args+=("${fields[@]:3}")
	echo "guest: kthreadctl ${args[*]}"
	kthreadctl "${args[@]}" >"$out/$name.ktap" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
	# A module that left the kernel worse off (a stuck rmmod, kernel threads
	# that outlived it, an oops) would show in the next one's checks: the
	# rest go to a fresh guest.
	grep -qx '# kernel left clean: yes' "$out/$name.ktap" || break
done <"$out/checks"
dmesg >"$out/dmesg.txt"
: >"$out/round-ended"
