#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the "debug" guest kernel: Debian's linux-source-6.1 with lockdep,
# KASAN, KFENCE, kmemleak, debug objects, the hung-task, soft-lockup and
# workqueue watchdogs and fault injection (vm/debug-kernel.config on top of
# tinyconfig). Debian ships no such kernel, and only such a kernel shows a
# use-after-free or a lock-order bug that does not happen to oops.
#
# The result is cached by the source package's version and the fragment, in
# CACHE/debug-kernel/KEY/root laid out as an installed kernel
# (boot/vmlinuz-KVER, lib/modules/KVER/build); CACHE/debug-root points at
# the current one. Prints KVER. A cold build takes about 15-20 minutes on
# 2 cores; the build log stays in CACHE/debug-kernel/KEY/build.log.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

package=linux-source-6.1
fragment=$KTHREADCTL_ROOT/vm/debug-kernel.config
tools=(flex bison bc libelf-dev libssl-dev)

missing=()
for name in "$package" "${tools[@]}"; do
	dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed' || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || die "missing: ${missing[*]}; as root: apt-get install --no-install-recommends ${missing[*]}"
	log "installing ${missing[*]} to build the debug kernel"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

# Bump when a change here changes what gets built.
layout=1
key=$( {
	dpkg-query -W -f='${Version}\n' "$package"
	echo "$layout"
	cat "$fragment"
} | sha256sum | cut -c1-16)
dir=$CACHE_DIR/debug-kernel/$key
if [ -f "$dir/kver" ]; then
	ln -sfn "$dir/root" "$DEBUG_ROOT"
	log "debug kernel $(cat "$dir/kver") is up to date"
	cat "$dir/kver"
	exit 0
fi

# One cached build at a time: an older one is 2 GB of nothing.
rm -rf "$CACHE_DIR/debug-kernel" && mkdir -p "$dir/src"
started=$(date +%s)
log "extracting $package into $dir/src"
tar -xJf "/usr/src/$package.tar.xz" -C "$dir/src" --strip-components=1
cd "$dir/src"

log "configuring: tinyconfig + $(basename "$fragment")"
{
	make tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$fragment"
	make olddefconfig
	# A second pass settles options whose defaults depend on the first.
	make olddefconfig
} >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; die "configuring the debug kernel failed"; }

# Every option the fragment asks for must be in the result: Kconfig drops a
# request it cannot meet without a word.
lost=()
while IFS= read -r line; do
	name=${line%%=*} value=${line#*=}
	if [ "$value" = n ]; then
		grep -qx "$name=.*" .config && lost+=("$line")
	else
		grep -qxF "$line" .config || lost+=("$line (got: $(grep -x "$name=.*" .config || echo unset))")
	fi
done < <(grep '^CONFIG_' "$fragment")
[ ${#lost[@]} -eq 0 ] || die "the debug kernel's .config lost: ${lost[*]}"

log "building with $(nproc) jobs (log: $dir/build.log)"
if ! make -j"$(nproc)" bzImage modules >>"$dir/build.log" 2>&1; then
	grep -m 5 -E 'error|Error' "$dir/build.log" >&2 || tail -n 30 "$dir/build.log" >&2
	die "building the debug kernel failed (log: $dir/build.log)"
fi
# Known only once the build has read CONFIG_LOCALVERSION.
kver=$(cat include/config/kernel.release)
make INSTALL_MOD_PATH="$dir/root" modules_install >>"$dir/build.log" 2>&1
mkdir -p "$dir/root/boot"
cp arch/x86/boot/bzImage "$dir/root/boot/vmlinuz-$kver"
# modules_install links build to this tree already; say so where it counts.
ln -sfn "$dir/src" "$dir/root/lib/modules/$kver/build"
printf '%s\n' "$kver" >"$dir/kver"
ln -sfn "$dir/root" "$DEBUG_ROOT"
log "debug kernel $kver built in $(($(date +%s) - started)) s"
printf '%s\n' "$kver"
