#!/usr/bin/env bash
# Open-ended fuzzing: runs each libFuzzer target for SECONDS (default 600) from its committed seed
# corpus and regression inputs, and prints how many inputs it executed. A finding stops with its
# reproducer in build-fuzz/crashes/: add it to tests/fuzz/regressions/<target>/ with a fix.
# CI's deterministic run is tests/fuzz/check.sh. Usage: bench/fuzz.sh [SECONDS] [TARGET...];
# build with the "fuzz" preset.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/fuzz/fuzz-settings.sh
seconds="${1:-600}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=("${fuzz_targets[@]}")
mkdir -p build-fuzz/crashes
for target in "${targets[@]}"; do
    scratch=$(fuzz_scratch_corpus "$target")
    log="build-fuzz/$target-explore.log"
    if "$(fuzz_binary "$target")" "${fuzz_options[@]}" -max_total_time="$seconds" \
        -artifact_prefix=build-fuzz/crashes/"$target"- "$scratch" >"$log" 2>&1; then
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 || true)
        echo "$target: $(fuzz_executed "$log") inputs in ${seconds} s, no finding ($cov, corpus $(ls "$scratch" | wc -l) files)"
    else
        echo "$target: FAILED, see $log and build-fuzz/crashes/" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
    rm -rf "$scratch"
done
