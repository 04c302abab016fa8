#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the guest kernels beyond the default one, each with what building
# a module for it needs. Usage: vm/setup-kernels.sh SERIES... (6.1, 6.12,
# sid, debug; 7.2 is accepted for sid while sid serves a 7.2)
#   6.1    Debian 12's own kernel and headers (linux-image-amd64).
#   6.12   bookworm-backports' kernel and headers, installed on this machine
#          (built with gcc-12, so modules build here as for 6.1).
#   sid    sid's newest kernel and headers in a sid chroot under the cache
#          folder: its headers want sid's compiler and C library, so modules
#          build in there. Whatever sid serves is taken, and named; asking
#          again moves an installed chroot to sid's newest kernel.
#   debug  the lockdep/KASAN/kmemleak kernel built from linux-source-6.1
#          (vm/build-debug-kernel.sh; cached, about 15-20 min cold).
# Packages come from the Debian mirror this machine's apt already uses.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "installing kernels needs root"
export DEBIAN_FRONTEND=noninteractive

# The mirror of the configured bookworm suite, reused for backports and sid.
debian_mirror() {
	apt-cache policy | awk '$3 == "bookworm/main" { print $2; exit }'
}

setup_612() {
	local mirror list=/etc/apt/sources.list.d/kthreadctl-backports.sources
	if [ -n "$(kernel_for_series 6.12)" ]; then
		log "6.12 is installed: $(kernel_for_series 6.12)"
		return
	fi
	if [ ! -f "$list" ]; then
		mirror=$(debian_mirror)
		[ -n "$mirror" ] || die "no bookworm mirror in apt's sources to take backports from"
		log "adding bookworm-backports from $mirror"
		printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$mirror" >"$list"
	fi
	apt-get update
	local image
	image=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9.]*\+deb12-amd64$' |
		cut -d' ' -f1 | sort -V | tail -n 1)
	[ -n "$image" ] || die "bookworm-backports offers no linux-image-6.12.*+deb12-amd64"
	log "installing $image and its headers (about 150 MB)"
	apt-get install -y --no-install-recommends "$image" "${image/linux-image/linux-headers}"
}

setup_sid() {
	local root=$SID_ROOT mirror kver
	command -v debootstrap >/dev/null || apt-get install -y --no-install-recommends debootstrap
	mirror=$(debian_mirror)
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		log "creating a sid chroot in $root (about 750 MB; debootstrap lists what it fetches)"
		rm -rf "$root"
		debootstrap --variant=minbase sid "$root" "$mirror"
	fi
	# sid's Release file can be past its Valid-Until date on a snapshot mirror.
	printf 'Acquire::Check-Valid-Until "false";\n' >"$root/etc/apt/apt.conf.d/99kthreadctl"
	log "installing sid's newest kernel, its headers, make and sparse in the chroot"
	chroot "$root" apt-get update
	chroot "$root" apt-get install -y --no-install-recommends \
		linux-image-amd64 linux-headers-amd64 make sparse kmod
	kver=$(kernel_for_series sid)
	[ -n "$kver" ] || die "sid's linux-image-amd64 left no kernel with headers in $root/lib/modules"
	log "sid serves $kver: the sid series is now that kernel"
}

for series in "$@"; do
	case "$series" in
	6.1) log "6.1 comes with the host setup: $(default_kernel)" ;;
	6.12) setup_612 ;;
	sid | 7.2) setup_sid ;;
	debug) "$KTHREADCTL_ROOT/vm/build-debug-kernel.sh" >/dev/null ;;
	*) die "unknown kernel series '$series' (known: $KNOWN_SERIES)" ;;
	esac
done
