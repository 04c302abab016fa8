#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds a Debian 12 box for vagrant-libvirt from the Debian mirror apt already
# uses (nothing else is downloaded), adds it to Vagrant and prints its name.
# As root. The box already holds everything vagrant/provision.sh installs
# (vagrant/packages.list, and the headers of its kernel), so provisioning it
# needs no network: the offline test (vm/vagrant-test.sh) depends on that.
#
# It has no boot loader: libvirt boots its kernel directly (the box's own
# Vagrantfile says so), which keeps the image a bare ext4 file system.
# Cached under $KTHREADCTL_CACHE/vagrant by a hash of this script, the
# package list and vm/checkpatch.sh: an unchanged box is neither rebuilt nor
# added again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=vm/lib.sh
. "$here/../vm/lib.sh"
export VAGRANT_CHECKPOINT_DISABLE=1

[ "$(id -u)" -eq 0 ] || die "building the box needs root (debootstrap, chroot)"
for tool in debootstrap vagrant qemu-img mkfs.ext4; do
	command -v "$tool" >/dev/null || die "$tool is missing (vm/vagrant-test.sh installs what this needs)"
done

hash=$(cat "$here/build-box.sh" "$here/packages.list" "$KTHREADCTL_ROOT/vm/checkpatch.sh" | sha256sum | cut -c1-12)
name=kthreadctl-bookworm-$hash
dir=$CACHE_DIR/vagrant
box=$dir/$name.box

if vagrant box list | awk '{print $1}' | grep -qx "$name"; then
	log "box $name is already added"
	echo "$name"
	exit 0
fi

if [ ! -f "$box" ]; then
	log "building box $name (a few minutes; downloads about 400 MB from the Debian mirror)"
	work=$dir/$name.tmp
	rm -rf "$work" && mkdir -p "$work"
	trap 'rm -rf "$work"' EXIT
	root=$work/root

	# The box's apt sources are the host's: bookworm, -updates and -security.
	sources=$(apt-cache policy | awk '$3 ~ /^bookworm(-updates|-security)?\/main$/ && $4 == "amd64" {
		split($3, suite, "/"); print "deb " $2 " " suite[1] " main" }' | sort -u)
	mirror=$(awk '$3 == "bookworm" {print $2; exit}' <<<"$sources")
	[ -n "$mirror" ] || die "apt knows no bookworm/main mirror (apt-cache policy)"
	mapfile -t packages < <(grep -o '^[^#[:space:]]\+' "$here/packages.list")

	debootstrap --variant=minbase \
		--include=systemd-sysv,udev,openssh-server,sudo,iproute2,procps,ifupdown,isc-dhcp-client \
		bookworm "$root" "$mirror" >&2
	printf '%s\n' "$sources" >"$root/etc/apt/sources.list"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	# No service may start inside the chroot (sshd would, from its init script).
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"

	# Package scripts want /proc, /sys and /dev: mount them in a private mount
	# namespace, so nothing stays mounted whatever happens. Nothing of this
	# machine's environment goes in.
	in_root() {
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && mount -t sysfs sysfs "$0/sys" &&
			mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"' "$root" \
			env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	}
	in_root apt-get update >&2
	in_root apt-get install -y --no-install-recommends linux-image-amd64 linux-headers-amd64 "${packages[@]}" >&2
	in_root apt-get clean
	# vm/checkpatch.sh (which make install runs) first extracts checkpatch.pl
	# from linux-source-6.1's 140 MB tarball into root's cache: minutes under
	# emulation. Run it once here, on a copy of kmod/, to have that cache ready.
	mkdir -p "$root/tmp/kthreadctl"
	cp -a "$KTHREADCTL_ROOT/vm" "$KTHREADCTL_ROOT/kmod" "$KTHREADCTL_ROOT/pom.xml" "$root/tmp/kthreadctl/"
	in_root /tmp/kthreadctl/vm/checkpatch.sh >&2 || log "checkpatch.pl has complaints about kmod/ (its cache is ready all the same)"

	echo kthreadctl-box >"$root/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tkthreadctl-box\n' >"$root/etc/hosts"
	echo '/dev/vda / ext4 defaults 0 1' >"$root/etc/fstab"
	# eth0, not enp0s5: the kernel command line says net.ifnames=0.
	printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n' >"$root/etc/network/interfaces"
	# Vagrant logs in as vagrant with its insecure key.
	key=$(find /usr/share/rubygems-integration/all/gems/ -path '*/vagrant-[0-9]*/keys/vagrant.pub' | head -n 1)
	[ -n "$key" ] || die "Vagrant's insecure public key (keys/vagrant.pub) is missing"
	in_root useradd --create-home --shell /bin/bash vagrant
	echo 'vagrant ALL=(ALL) NOPASSWD: ALL' >"$root/etc/sudoers.d/vagrant"
	chmod 440 "$root/etc/sudoers.d/vagrant"
	install -d -m 700 "$root/home/vagrant/.ssh"
	install -m 600 "$key" "$root/home/vagrant/.ssh/authorized_keys"
	in_root chown -R vagrant:vagrant /home/vagrant/.ssh
	# Each VM makes its own machine id; the DHCP client writes resolv.conf.
	: >"$root/etc/machine-id"
	rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf"
	rm -rf "$root"/var/lib/apt/lists/* "$root"/tmp/*

	kernel=$(find "$root/boot" -name 'vmlinuz-*' -printf '%f\n' | sort -V | tail -n 1)
	cp "$root/boot/$kernel" "$work/vmlinuz"
	cp "$root/boot/initrd.img-${kernel#vmlinuz-}" "$work/initrd.img"
	# An ext4 file system as the whole disk: no partition table, no boot loader.
	truncate -s 8G "$work/root.ext4"
	mkfs.ext4 -q -L root -d "$root" "$work/root.ext4"
	qemu-img convert -O qcow2 "$work/root.ext4" "$work/box.img"
	echo '{"provider": "libvirt", "format": "qcow2", "virtual_size": 8}' >"$work/metadata.json"
	cat >"$work/Vagrantfile" <<-'EOF'
		# Written by kthreadctl's vagrant/build-box.sh: the box boots its kernel directly.
		Vagrant.configure("2") do |config|
		  config.vm.provider :libvirt do |libvirt|
		    libvirt.kernel = File.join(File.dirname(__FILE__), "vmlinuz")
		    libvirt.initrd = File.join(File.dirname(__FILE__), "initrd.img")
		    libvirt.cmd_line = "root=/dev/vda rw console=ttyS0 net.ifnames=0"
		  end
		  # A local test box, never reachable from outside its host: keep
		  # the insecure key rather than spend a minute replacing it.
		  config.ssh.insert_key = false
		end
	EOF
	tar -cf "$box.new" -C "$work" metadata.json Vagrantfile box.img vmlinuz initrd.img
	mv "$box.new" "$box"
	log "box $name built with kernel ${kernel#vmlinuz-}: $(du -h "$box" | cut -f1)"
fi

# Older builds of this box only take space.
for old in $(vagrant box list | awk '$1 ~ /^kthreadctl-bookworm-/ {print $1}' | sort -u); do
	[ "$old" = "$name" ] || vagrant box remove --force --all "$old" >&2
done
find "$dir" -maxdepth 1 -name 'kthreadctl-bookworm-*.box' ! -name "$name.box" -delete
vagrant box add --name "$name" "$box" >&2
echo "$name"
