#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copies the stat and status files of every kernel thread, and of a few user
# tasks for contrast, from this machine's /proc into DEST/<pid>/, with
# DEST/uname holding the kernel version: a fixture for the /proc parser tests.
# Runs on any Linux; vm/capture-fixture.sh runs it in a guest.
# Usage: vm/capture-proc.sh DEST
set -euo pipefail

dest=$1
mkdir -p "$dest"
uname -r >"$dest/uname"
nproc >"$dest/nproc"
users=0
for dir in /proc/[0-9]*; do
	pid=${dir#/proc/}
	# Field 9 after the name is the flags; PF_KTHREAD is 0x00200000.
	stat=$(cat "$dir/stat" 2>/dev/null) || continue
	flags=$(cut -d' ' -f7 <<<"${stat##*) }")
	if (((flags & 0x00200000) == 0)); then
		[ "$users" -lt 3 ] || continue
		users=$((users + 1))
	fi
	mkdir -p "$dest/$pid"
	printf '%s\n' "$stat" >"$dest/$pid/stat"
	cat "$dir/status" >"$dest/$pid/status" 2>/dev/null || rm -rf "${dest:?}/$pid"
done
echo "captured $(find "$dest" -mindepth 1 -maxdepth 1 -type d | wc -l) tasks of $(uname -r) into $dest"
