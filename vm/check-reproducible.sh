#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Java artifacts twice from clean and fails unless every jar
# (classes, shaded, sources, javadoc) has the same SHA-256 both times, and
# unless each published artifact has its sources and javadoc jars and the
# shaded jar carries JNA's native parts for Linux x86-64 and aarch64 only.
set -euo pipefail
# shellcheck source=vm/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$KTHREADCTL_ROOT"

checksums() {
	mvn -B -ntp -q clean package -DskipTests >&2
	find java -path '*/target/*' -maxdepth 4 -name '*.jar' -print0 | sort -z | xargs -0 sha256sum
}

first=$(checksums)
second=$(checksums)
if [ "$first" != "$second" ]; then
	diff <(printf '%s\n' "$first") <(printf '%s\n' "$second") >&2 || true
	die "two builds from the same sources gave different jars"
fi
version=$(project_version)
for artifact in proc device cli; do
	for kind in "" -sources -javadoc; do
		jar=java/kthreadctl-$artifact/target/kthreadctl-$artifact-$version$kind.jar
		[ -f "$jar" ] || die "$jar was not built"
	done
done
shaded=java/kthreadctl-cli/target/kthreadctl-cli-$version-all.jar
natives=$(unzip -Z1 "$shaded" | sed -n 's|^com/sun/jna/\([^/]*\)/libjnidispatch.*|\1|p' | sort | tr '\n' ' ')
[ "$natives" = "linux-aarch64 linux-x86-64 " ] || die "the shaded jar carries JNA natives for: $natives"
unzip -p "$shaded" META-INF/MANIFEST.MF | grep -q '^Multi-Release: true' || die "the shaded jar is not Multi-Release"
log "reproducible: $(printf '%s\n' "$first" | wc -l) jars identical in two builds"
printf '%s\n' "$first"
