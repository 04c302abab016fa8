#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CI for vagrant/: as root on Debian 12, builds (or reuses) the offline box
# (vagrant/build-box.sh), runs vagrant up with provisioning on it, checks the
# provision's result line, and destroys the VM. libvirtd, virtlogd and Vagrant
# run in a network namespace made for the run, which has no uplink: the VM
# reaches nothing outside it. Only apt and the box build talk to the Debian
# mirror apt already uses. Whatever happens, a trap removes the VM, its
# volumes, the daemons and the namespace.
#
# Usage: vm/vagrant-test.sh [verify|test]
#   verify  provisioning runs kthreadctl verify (the default: the quicker one)
#   test    provisioning runs make test-here YES=1, the whole suite
# Maven runs offline in the VM, on a repository with just what the build
# needs (about 50 MB), taken from the host's ~/.m2/repository (which make
# build here fills from Maven Central) and cached by a hash of the poms.
# KTHREADCTL_VAGRANT_TIMEOUT (seconds, default 3600) bounds vagrant up;
# KTHREADCTL_VAGRANT_LEFTOVER=1 plants an interrupted run's domain first.
# Logs: $KTHREADCTL_CACHE/vagrant/run/ (up.log, serial.log).
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-${KTHREADCTL_PROVISION:-verify}}
case "$mode" in
verify) expected='verify: [0-9]+ PASS, 0 FAIL, [0-9]+ SKIP' ;;
test) expected='[^ ]+: [0-9]+ passed, 0 failed, [0-9]+ skipped' ;;
*) die "usage: vm/vagrant-test.sh [verify|test]" ;;
esac
[ "$(id -u)" -eq 0 ] || die "this needs root (apt, libvirtd, network namespaces)"
host_m2=$HOME/.m2/repository
command -v mvn >/dev/null || die "Maven is missing: run 'make build' here first (it installs it)"
[ -d "$host_m2/org/apache/maven/plugins" ] ||
	die "no Maven repository at $host_m2 to take the VM's build from: run 'make build' here first"

dir=$CACHE_DIR/vagrant
run=$dir/run
ns=kthreadctl-vagrant-$$
export VAGRANT_HOME=$dir/home VAGRANT_DOTFILE_PATH=$run/dot VAGRANT_CWD=$KTHREADCTL_ROOT/vagrant
export VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_BOX_UPDATE_CHECK_DISABLE=1
export KTHREADCTL_PROVISION=$mode KTHREADCTL_SERIAL_LOG=$run/serial.log
in_ns() { ip netns exec "$ns" "$@"; }
# Vagrant redraws its progress with \r and colours some lines: keep the last
# state of each line, without escape sequences, and say when it came.
timestamped() {
	local line
	sed -u 's/\x1b\[[0-9;]*[A-Za-z]//g' | while IFS= read -r line; do
		line=${line%$'\r'}
		printf '%(%H:%M:%S)T %s\n' -1 "${line##*$'\r'}"
	done
}

timings=() phase_name='' phase_start=0 result='' made_policy=0 made_ns=0 destroyed=0 pool_existed=1 network_existed=1
started=$(date +%s)
phase() {
	local now
	now=$(date +%s)
	[ -z "$phase_name" ] || timings+=("$phase_name $((now - phase_start)) s")
	phase_name=$1 phase_start=$now
	[ -z "$1" ] || log "phase: $1"
}

# The daemons' pids, and whatever else still runs in the namespace (dnsmasq,
# a QEMU that outlived libvirtd): all started by this run.
stop_pids() {
	[ $# -gt 0 ] || return 0
	kill "$@" 2>/dev/null
	for _ in $(seq 20); do
		alive "$@" || return 0
		sleep 0.5
	done
	kill -9 "$@" 2>/dev/null
}
alive() {
	local pid
	for pid; do kill -0 "$pid" 2>/dev/null && return 0; done
	return 1
}

# Domains and volumes (the uploaded box) named kthreadctl-*: this run's, or
# those of a run killed before its trap ran. libvirt keeps a definition in
# /etc/libvirt, and vagrant up refuses a name that is taken.
remove_domains() {
	local name
	for name in $(in_ns virsh -q list --all --name | grep '^kthreadctl-'); do
		[ "$(in_ns virsh -q domstate "$name")" != running ] || in_ns virsh -q destroy "$name"
		in_ns virsh -q undefine "$name"
	done
	for name in $(in_ns virsh -q vol-list default 2>/dev/null | awk '$1 ~ /^kthreadctl-/ {print $1}'); do
		in_ns virsh -q vol-delete --pool default "$name"
	done
}

# The VM, and whatever vagrant destroy leaves: domains, volumes, the pool and
# the network, unless they were there before.
remove_vm() {
	[ "$destroyed" = 1 ] || [ ! -d "$VAGRANT_DOTFILE_PATH/machines" ] || in_ns vagrant destroy -f
	remove_domains
	if [ "$pool_existed" = 0 ]; then
		in_ns virsh -q pool-destroy default && in_ns virsh -q pool-undefine default
	fi
	if [ "$network_existed" = 0 ]; then
		in_ns virsh -q net-destroy vagrant-libvirt && in_ns virsh -q net-undefine vagrant-libvirt
	fi
}

cleanup() {
	local status=$? name pid line pids
	set +e
	phase cleanup
	if [ "$made_ns" = 1 ] && in_ns virsh -q -c qemu:///system version >/dev/null 2>&1; then
		remove_vm >>"$run/cleanup.log" 2>&1
	fi
	if [ "$made_ns" = 1 ]; then
		for name in libvirtd virtlogd; do
			pid=$(cat "$run/$name.pid" 2>/dev/null) && stop_pids "$pid"
		done
		mapfile -t pids < <(ip netns pids "$ns")
		stop_pids "${pids[@]}"
		ip netns delete "$ns"
	fi
	[ "$made_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
	phase ''
	for line in "${timings[@]}"; do log "time: $line"; done
	log "time: total $(($(date +%s) - started)) s"
	if [ "$status" -eq 0 ] && [ -n "$result" ]; then
		echo "vagrant-test ($mode): PASS: $result"
	else
		echo "vagrant-test ($mode): FAIL${result:+: $result} (logs: $run)"
		[ "$status" -ne 0 ] || status=1
	fi
	exit "$status"
}
trap cleanup EXIT

phase packages
packages=(vagrant vagrant-libvirt libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
	qemu-system-x86 qemu-utils dnsmasq-base iptables ebtables rsync openssh-client debootstrap)
missing=()
for package in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
	# No package script may start libvirtd: it would run outside the namespace.
	if [ -e /usr/sbin/policy-rc.d ]; then
		rc=0 && /usr/sbin/policy-rc.d libvirtd start || rc=$?
		[ "$rc" -eq 101 ] || die "/usr/sbin/policy-rc.d would let package scripts start libvirtd"
	else
		printf '#!/bin/sh\n# vm/vagrant-test.sh: no daemon starts while it installs packages.\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	log "installing ${missing[*]}"
	apt-cache show vagrant-libvirt >/dev/null 2>&1 || apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

phase "maven repository"
rm -rf "$run" && mkdir -p "$run"
# A build of a scratch copy (package resolves all that test-here needs too)
# whose only repository is the host's, as a file:// mirror named central: the
# artifacts it copies are recorded as central's, so mvn -o in the VM takes them.
poms=$(cd "$KTHREADCTL_ROOT" && find . -name pom.xml -not -path './build/*' -not -path '*/target/*' |
	sort | xargs sha256sum | sha256sum | cut -c1-12)
export KTHREADCTL_M2_REPO=$dir/m2-$poms
if [ ! -d "$KTHREADCTL_M2_REPO" ]; then
	rsync -a --exclude .git/ --exclude build/ --exclude target/ "$KTHREADCTL_ROOT/" "$run/m2-source/"
	printf '<settings><mirrors><mirror><id>central</id><mirrorOf>*</mirrorOf><url>file://%s</url></mirror></mirrors></settings>\n' \
		"$host_m2" >"$run/m2-settings.xml"
	rm -rf "$KTHREADCTL_M2_REPO.new"
	(cd "$run/m2-source" && mvn -B -ntp -q -s "$run/m2-settings.xml" -Dmaven.repo.local="$KTHREADCTL_M2_REPO.new" \
		-DskipTests package >"$run/m2.log" 2>&1) ||
		die "$host_m2 lacks what the build needs (log: $run/m2.log): run 'make build' here first"
	find "$dir" -maxdepth 1 -name 'm2-*' ! -name "m2-$poms*" -exec rm -rf {} +
	mv "$KTHREADCTL_M2_REPO.new" "$KTHREADCTL_M2_REPO"
	rm -rf "$run/m2-source"
fi

phase box
KTHREADCTL_BOX=$("$KTHREADCTL_ROOT/vagrant/build-box.sh")
export KTHREADCTL_BOX

phase libvirtd
if virsh -q -c qemu:///system version >/dev/null 2>&1; then
	die "a libvirtd runs already on this machine: this test starts its own, in a namespace"
fi
pool_existed=0 network_existed=0
[ ! -e /etc/libvirt/storage/default.xml ] || pool_existed=1
[ ! -e /etc/libvirt/qemu/networks/vagrant-libvirt.xml ] || network_existed=1
ip netns add "$ns"
made_ns=1
ip -n "$ns" link set lo up
# QEMU runs as root without a security driver: the box lives under root's
# home (mode 0700). The host's qemu.conf stays as it is: libvirtd sees this
# one, bind-mounted in the mount namespace that ip netns exec gives it.
printf 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\n' >"$run/qemu.conf"
in_ns virtlogd -d -p "$run/virtlogd.pid"
# shellcheck disable=SC2016 # expanded by the inner shell
in_ns sh -c 'mount --bind "$1" /etc/libvirt/qemu.conf && exec libvirtd -d -p "$2"' sh "$run/qemu.conf" "$run/libvirtd.pid"
for _ in $(seq 60); do
	in_ns virsh -q -c qemu:///system version >/dev/null 2>&1 && break
	sleep 1
done
in_ns virsh -q -c qemu:///system version >/dev/null || die "libvirtd did not start"
# KTHREADCTL_VAGRANT_LEFTOVER=1 (CI sets it) first leaves what a run killed
# during vagrant up leaves, its domain defined and shut off: the regression
# test of the removal below, which vagrant up depends on.
if [ "${KTHREADCTL_VAGRANT_LEFTOVER:-0}" = 1 ]; then
	printf '%s\n' "<domain type='qemu'><name>kthreadctl-default</name><memory unit='MiB'>64</memory>" \
		"<os><type arch='x86_64'>hvm</type></os></domain>" >"$run/leftover.xml"
	in_ns virsh -q define "$run/leftover.xml" >/dev/null
fi
leftovers=$(in_ns virsh -q list --all --name | grep '^kthreadctl-' | paste -sd ' ') || true
if [ -n "$leftovers" ]; then
	log "removing $leftovers, left by a run that was interrupted"
	remove_domains >>"$run/cleanup.log" 2>&1 || true
	! in_ns virsh -q list --all --name | grep -q '^kthreadctl-' ||
		die "could not remove $leftovers (log: $run/cleanup.log)"
fi

phase "vagrant up ($mode)"
rc=0
in_ns timeout "${KTHREADCTL_VAGRANT_TIMEOUT:-3600}" vagrant up --provider=libvirt 2>&1 |
	timestamped | tee "$run/up.log" >&2 || rc=$?
result=$(grep -oE "$expected" "$run/up.log" | tail -n 1) || true
[ "$rc" -eq 0 ] || die "vagrant up failed (exit $rc; log: $run/up.log, console: $run/serial.log)"
[ -n "$result" ] || die "the provision printed no result line matching '$expected'"

phase "vagrant destroy"
in_ns vagrant destroy -f >&2
destroyed=1
