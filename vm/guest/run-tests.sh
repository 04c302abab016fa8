#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs inside the guest, as root: loads the module, runs the JUnit guest suite
# with reports in /run/kthreadctl/junit, unloads the module, saves dmesg.
# Needs KTHREADCTL_MODULE (path of kthreadctl.ko). KTHREADCTL_TESTS, a list of
# test class names (e.g. "ModuleAbuseGuestTest DeviceAbiGuestTest"), runs
# only those.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=/run/kthreadctl
target=$root/java/kthreadctl-guest-tests/target
native=$root/java/kthreadctl-cli/target/jna-native/com/sun/jna/linux-x86-64

echo "guest: Linux $(uname -r) on $(nproc) CPUs"
insmod "$KTHREADCTL_MODULE"
status=0
selectors=(--select-package=dev.kthreadctl)
if [ -n "${KTHREADCTL_TESTS:-}" ]; then
	selectors=()
	for name in $KTHREADCTL_TESTS; do
		selectors+=("--select-class=$(cd "$target/test-classes" && find . -name "$name.class" | sed 's|^\./||; s|\.class$||; s|/|.|g')")
	done
fi
# JNA loads its native part from where the build unpacked it, as the wrapper does.
java -XX:ErrorFile=/tmp/hs_err_pid%p.log -Djna.boot.library.path="$native" -Djna.nounpack=true -Dkthreadctl.module="$KTHREADCTL_MODULE" -Dkthreadctl.root="$root" \
	-cp "$target/test-classes:$(cat "$target/test-classpath.txt")" \
	org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=tree \
	--fail-if-no-tests --include-tag=guest "${selectors[@]}" \
	--reports-dir="$out/junit" || status=$?
# A JVM crash report is the only trace of a crash: keep it.
cp /tmp/hs_err_pid*.log "$out/" 2>/dev/null || true
# Unloading last shows module_exit copes with whatever the suite left behind.
if [ -d /sys/module/kthreadctl ]; then
	rmmod kthreadctl || status=1
fi
dmesg >"$out/dmesg.txt"
exit "$status"
