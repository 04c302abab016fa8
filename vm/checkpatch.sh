#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the kernel's checkpatch.pl --strict on the module's C sources and
# headers; fails on any error, warning or check. checkpatch.pl comes from
# Debian's linux-source-6.1 (installed if missing), extracted once into the
# cache.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"

package=linux-source-6.1
if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
	[ "$(id -u)" -eq 0 ] || die "$package is missing; as root: apt-get install --no-install-recommends $package"
	log "installing $package for checkpatch.pl (about 140 MB)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" >&2
fi
version=$(dpkg-query -W -f='${Version}' "$package")
tools=$CACHE_DIR/checkpatch/$version
if [ ! -f "$tools/scripts/checkpatch.pl" ]; then
	log "extracting checkpatch.pl from $package $version"
	rm -rf "$tools.new" && mkdir -p "$tools.new"
	tar -xJf "/usr/src/$package.tar.xz" -C "$tools.new" --strip-components=1 \
		"$package/scripts/checkpatch.pl" "$package/scripts/spelling.txt" "$package/scripts/const_structs.checkpatch"
	rm -rf "$tools" && mv "$tools.new" "$tools"
fi

cd "$KTHREADCTL_ROOT/kmod"
mapfile -t sources < <(find . -name '*.c' -o -name '*.h' | sed 's|^\./||' | sort)
report=$(perl "$tools/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f "${sources[@]}" || true)
if grep -qE ': (ERROR|WARNING|CHECK):' <<<"$report"; then
	printf '%s\n' "$report" >&2
	die "checkpatch.pl --strict found the problems above"
fi
log "checkpatch.pl --strict: ${#sources[@]} files clean"
