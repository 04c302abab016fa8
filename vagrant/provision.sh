#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Vagrant's provisioner, as root in the VM: installs kthreadctl as a user
# would (the module through DKMS, the command line under /usr/local), loads
# the module, and checks it on the VM's own kernel.
#
# Environment (the Vagrantfile passes it on):
#   KTHREADCTL_SRC            the synced checkout (default /vagrant)
#   KTHREADCTL_PROVISION      test: make test-here YES=1, the whole suite (default);
#                             verify: kthreadctl verify only
#   KTHREADCTL_MAVEN_OFFLINE  1: Maven runs offline (mvn -o) on the repository
#                             synced to /root/.m2/repository (no internet needed)
# Ends with the result line: test-here's "KVER: N passed, N failed, N skipped",
# or verify's "verify: N PASS, N FAIL, N SKIP".
#
# provision.sh kernel: only installs Debian's current kernel and its headers,
# for Vagrant to reboot into (a public box's own kernel may have no headers
# left in the archive).
set -euo pipefail
src=${KTHREADCTL_SRC:-/vagrant}
mode=${KTHREADCTL_PROVISION:-test}
kver=$(uname -r)
say() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

if [ "${1:-}" = kernel ]; then
	say "installing Debian's current kernel and its headers (Vagrant reboots into it next)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends linux-image-amd64 linux-headers-amd64
	exit 0
fi
case "$mode" in test | verify) ;; *) echo "KTHREADCTL_PROVISION must be test or verify, not '$mode'" >&2; exit 2 ;; esac
cd "$src"

# apt only for what is missing: a box with everything installed (the one
# vagrant/build-box.sh makes) is provisioned with no network at all.
mapfile -t wanted < <(grep -o '^[^#[:space:]]\+' vagrant/packages.list)
wanted+=("linux-headers-$kver")
missing=()
for package in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
else
	say "all packages present, apt not needed"
fi

# make install ships the shaded jar only: no javadoc or sources jars, which
# take minutes under emulation. For the same reason the JIT stops at C1: a
# build is too short for C2's code to pay for its compiling.
mvn="mvn -B -ntp -Dmaven.javadoc.skip=true -Dmaven.source.skip=true"
[ "${KTHREADCTL_MAVEN_OFFLINE:-0}" = 1 ] && mvn="$mvn -o"
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1"
# make -o setup: vm/setup-host.sh prepares the QEMU guests of make test
# (QEMU, linux-image-amd64, busybox): here the suite runs on the VM's own
# kernel, and the packages above are what it needs.
say "make dkms-install"
make dkms-install
say "make install"
make -o setup MVN="$mvn" install
say "modprobe kthreadctl"
modprobe kthreadctl
module=$(modinfo -n kthreadctl)
[ -c /dev/kthreadctl ] || { echo "/dev/kthreadctl is missing after modprobe" >&2; exit 1; }
say "loaded $module (version $(cat /sys/module/kthreadctl/version))"

if [ "$mode" = verify ]; then
	status=0
	# Claim 11 unloads the module with live threads, then loads it from --module.
	/usr/local/bin/kthreadctl verify --module "$module" | tee /root/kthreadctl-verify.txt || status=$?
	exit "$status"
fi
# test-here loads the module it builds itself and wants none loaded before,
# and unloads it at the end: load the installed one again for the user.
rmmod kthreadctl
say "make test-here YES=1"
make -o setup MVN="$mvn" test-here YES=1
modprobe kthreadctl
