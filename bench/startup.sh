#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CLI start-up, lever by lever, against 'java -version' and 'ps -e' timed in
# the same run: medians of interleaved runs, in ms and as ratios. Runs on
# the host after 'make build' or in the guest (make bench).
# Usage: bench/startup.sh [ROUNDS]; KTHREADCTL_BENCH_BEFORE=JAR adds the
# shaded jar of an earlier build, run as the wrapper ran it then.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-15}
target=$root/java/kthreadctl-cli/target
jars=("$target"/kthreadctl-cli-*-all.jar)
jar=${jars[-1]}
archive=$target/kthreadctl.jsa
[ -f "$archive" ] || { echo "bench/startup.sh: no $archive: run 'make build'" >&2; exit 1; }
native=(-Djna.boot.library.path="$target/jna-native/com/sun/jna/linux-x86-64" -Djna.nounpack=true -Djna.nosys=true)
fast=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData)
cds=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)

# name, then the command that runs kthreadctl with its arguments appended.
variants=()
declare -A command
add() { variants+=("$1"); command[$1]=$2; }
if [ -n "${KTHREADCTL_BENCH_BEFORE:-}" ]; then
	add "before: earlier jar, plain JVM" "java ${native[*]} -cp $KTHREADCTL_BENCH_BEFORE dev.kthreadctl.cli.Main"
fi
add "code levers, plain JVM" "java ${native[*]} -cp $jar dev.kthreadctl.cli.Main"
add "+ C1 in one thread, serial GC" "java ${fast[*]} ${native[*]} -cp $jar dev.kthreadctl.cli.Main"
add "+ CDS archive" "java ${fast[*]} ${native[*]} ${cds[*]} -cp $jar dev.kthreadctl.cli.Main"
add "bin/kthreadctl (all, + wrapper)" "$root/bin/kthreadctl"

# One command inside one JVM (batch, as shell runs it): the difference
# between a batch of eleven 'list' lines and a batch of one, per line.
batches=$(mktemp -d)
trap 'rm -rf "$batches"' EXIT
echo list >"$batches/one"
for _ in $(seq 11); do echo list; done >"$batches/eleven"

declare -A samples
# One run's wall time in ms; its output is not what is measured.
time_ms() {
	local start=$EPOCHREALTIME end
	"$@" >/dev/null 2>&1 || true
	end=$EPOCHREALTIME
	echo $(((${end/./} - ${start/./}) / 1000))
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

for _ in $(seq "$rounds"); do
	samples[java]+=" $(time_ms java -version)"
	samples[ps]+=" $(time_ms ps -e)"
	for variant in "${variants[@]}"; do
		for args in --version list; do
			# shellcheck disable=SC2086 # the command is words on purpose
			samples[$variant/$args]+=" $(time_ms ${command[$variant]} $args)"
		done
	done
	samples[batch1]+=" $(time_ms "$root/bin/kthreadctl" batch "$batches/one")"
	samples[batch11]+=" $(time_ms "$root/bin/kthreadctl" batch "$batches/eleven")"
done

java_ms=$(median "${samples[java]}")
printf 'startup, median of %s rounds on %s (%s), %s\n' "$rounds" "$(uname -r)" "$(nproc) CPUs" \
	"$(java -version 2>&1 | head -n 1)"
printf '  %-34s %6s ms\n' "java -version" "$java_ms" "ps -e" "$(median "${samples[ps]}")"
for variant in "${variants[@]}"; do
	version=$(median "${samples[$variant/--version]}")
	list=$(median "${samples[$variant/list]}")
	printf '  %-34s --version %6s ms (%4.1fx)   list %6s ms (%4.1fx)\n' "$variant" \
		"$version" "$(awk "BEGIN {print $version / $java_ms}")" "$list" "$(awk "BEGIN {print $list / $java_ms}")"
done
ps_ms=$(median "${samples[ps]}")
inside=$((($(median "${samples[batch11]}") - $(median "${samples[batch1]}")) / 10))
printf '  %-34s %6s ms (%4.1fx ps -e)\n' "one list inside batch/shell" "$inside" "$(awk "BEGIN {print $inside / $ps_ms}")"
