#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the guest initramfs for one kernel: static busybox, guest-init and
# the virtio/9p modules in load order. Usage: vm/build-initramfs.sh [KVER];
# prints the image's path. Images are cached by their inputs.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

kver=$(guest_kernel "${1:-}")
root=$(kernel_root "$kver")
here=$KTHREADCTL_ROOT/vm
# What the guest needs to mount the host: virtio over PCI, and 9p over virtio.
wanted=(virtio_pci 9pnet_virtio 9p)

# Asked of the kernel's own root, whose modprobe knows its module format. A
# module built into the kernel (the debug kernel has all three) needs nothing.
load_order() {
	local module
	for module in "${wanted[@]}"; do
		grep -qx ".*/$module\.ko" "$root/lib/modules/$kver/modules.builtin" 2>/dev/null && continue
		chroot "$root" modprobe --show-depends -S "$kver" "$module"
	done | awk -v root="${root%/}" '$1 == "insmod" && !seen[$2]++ { print root $2 }'
}

modules=$(load_order)
if [ -z "$modules" ] && ! grep -q '/9p\.ko$' "$root/lib/modules/$kver/modules.builtin" 2>/dev/null; then
	die "no virtio/9p modules found for $kver"
fi
key=$( {
	printf '%s\n' "$kver" "$modules"
	cat "$here/guest-init" "$0" /bin/busybox
} | sha256sum | cut -c1-16)
image=$CACHE_DIR/initramfs/$kver-$key.cpio.gz
if [ -f "$image" ]; then
	log "initramfs for $kver is up to date"
	printf '%s\n' "$image"
	exit 0
fi

log "building the initramfs for $kver"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging"/{bin,dev,proc,sys,mnt,modules}
: >"$staging/modules/order"
cp /bin/busybox "$staging/bin/busybox"
cp "$here/guest-init" "$staging/init"
chmod 755 "$staging/init"
while read -r path; do
	[ -n "$path" ] || continue
	name=$(basename "$path")
	# Newer Debian kernels compress their modules; busybox insmod wants them plain.
	case "$name" in
	*.ko.xz) xz -dc "$path" >"$staging/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$path" >"$staging/modules/${name%.zst}"; name=${name%.zst} ;;
	*) cp "$path" "$staging/modules/$name" ;;
	esac
	printf '%s\n' "$name" >>"$staging/modules/order"
done <<<"$modules"
mkdir -p "$(dirname "$image")"
(cd "$staging" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$image.tmp"
mv "$image.tmp" "$image"
printf '%s\n' "$image"
