#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what building and booting the test guest needs, if it is missing.
# Debian/Ubuntu, as root. A first run downloads a few hundred MB.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

missing=()
want_command() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
want_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed' || missing+=("$1"); }

want_command qemu-system-x86_64 qemu-system-x86
want_command cpio cpio
want_command insmod kmod
want_command sparse sparse
want_command gcc gcc
want_command make make
want_command javac openjdk-17-jdk-headless
want_command mvn maven
want_command setpriv util-linux
want_command python3 python3
want_command unzip unzip
# Unpack the guest kernels once (vm/lib.sh, pvh_kernel): Debian's newer ones are zstd.
want_command xz xz-utils
want_command zstd zstd
want_command readelf binutils
want_command dkms dkms
want_package busybox-static
want_package linux-libc-dev
want_package linux-image-amd64
want_package linux-headers-amd64
# checkpatch.pl (vm/checkpatch.sh) comes from the kernel source package.
want_package linux-source-6.1

if [ ${#missing[@]} -eq 0 ]; then
	log "host has everything needed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	die "missing: ${missing[*]}. As root: apt-get install --no-install-recommends ${missing[*]}"
fi
log "installing ${missing[*]} (a first run downloads a few hundred MB; apt shows progress)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
log "host setup done"
