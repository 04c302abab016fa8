#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The module through DKMS, as root.
#   vm/dkms.sh install     sources to /usr/src/kthreadctl-VERSION, then dkms add, build, install
#   vm/dkms.sh uninstall   dkms remove --all, and the sources go
#   vm/dkms.sh check       dkms build (no install) for every kernel whose headers are here,
#                          checking each module's vermagic; leaves nothing registered
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || die "dkms is missing: apt-get install --no-install-recommends dkms"
[ "$(id -u)" -eq 0 ] || die "DKMS needs root"
version=$(project_version)
source=/usr/src/kthreadctl-$version

# The DKMS source tree: what Kbuild needs, the licence, and dkms.conf with the version.
put_sources() {
	rm -rf "$source" && mkdir -p "$source"
	cp -a "$KTHREADCTL_ROOT/kmod/Kbuild" "$KTHREADCTL_ROOT/kmod/kthreadctl.c" "$KTHREADCTL_ROOT/kmod/include" \
		"$KTHREADCTL_ROOT/kmod/LICENSE" "$source/"
	sed "s/@VERSION@/$version/" "$KTHREADCTL_ROOT/kmod/dkms.conf.in" >"$source/dkms.conf"
}

remove() {
	if [ -d "/var/lib/dkms/kthreadctl/$version" ]; then
		# dkms remove reads dkms.conf from the sources: put them back if they went.
		[ -f "$source/dkms.conf" ] || put_sources
		dkms remove -m kthreadctl -v "$version" --all >&2
	fi
	rm -rf "$source"
}

case "${1:-}" in
install)
	remove
	put_sources
	dkms add -m kthreadctl -v "$version"
	dkms build -m kthreadctl -v "$version"
	dkms install -m kthreadctl -v "$version"
	;;
uninstall)
	remove
	;;
check)
	remove
	put_sources
	dkms add -m kthreadctl -v "$version" >&2
	trap remove EXIT
	checked=0
	for build in /lib/modules/*/build; do
		kver=$(basename "$(dirname "$build")")
		[ -f "$build/Makefile" ] || continue
		dkms build -m kthreadctl -v "$version" -k "$kver" >&2 ||
			die "dkms build for $kver failed (log: /var/lib/dkms/kthreadctl/$version/build/make.log)"
		ko=$(find "/var/lib/dkms/kthreadctl/$version/$kver" -name 'kthreadctl.ko*' | head -n 1)
		vermagic=$(modinfo -F vermagic "$ko")
		[ "${vermagic%% *}" = "$kver" ] || die "$ko has vermagic '$vermagic', not $kver"
		[ "$(modinfo -F version "$ko")" = "$version" ] || die "$ko says version $(modinfo -F version "$ko"), not $version"
		log "dkms: kthreadctl $version builds for $kver (vermagic $vermagic)"
		checked=$((checked + 1))
	done
	[ "$checked" -gt 0 ] || die "no kernel headers under /lib/modules to build against"
	;;
*)
	die "usage: vm/dkms.sh install|uninstall|check"
	;;
esac
