#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) on a scratch copy of its committed seed
# corpus, and prints how many inputs it executed. A crash stops with its reproducer in
# build-fuzz/crashes/. Usage: bench/fuzz.sh [SECONDS] [TARGET...]; build with the "fuzz" preset.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_idx fuzz_checkpoint)
mkdir -p build-fuzz/crashes
for target in "${targets[@]}"; do
    corpus="tests/fuzz/corpus/${target#fuzz_}"
    scratch=$(mktemp -d)
    cp -r "$corpus/." "$scratch/"
    log="build-fuzz/$target.log"
    # Torch's own allocations outlive the process on purpose; only our code is judged for leaks.
    if ASAN_OPTIONS="detect_leaks=0" build-fuzz/tests/fuzz/"$target" -max_total_time="$seconds" \
        -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/"$target"- \
        "$scratch" >"$log" 2>&1; then
        runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 || true)
        echo "$target: $runs inputs in ${seconds} s, no crash ($cov, corpus $(ls "$scratch" | wc -l) files)"
    else
        echo "$target: FAILED, see $log and build-fuzz/crashes/" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
    rm -rf "$scratch"
done
