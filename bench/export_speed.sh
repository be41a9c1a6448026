#!/usr/bin/env bash
# Speed of `vae-explorer export` (the issue's goal: under 2 s for the default model), each format
# in turn, round by round, quiet and with another process keeping one of the two cores busy.
# Wall time of the whole command (start-up, checkpoint, data for the class names, the file).
# Prints each run, then best and median per format and condition. A benchmark, never run by CI.
#
#   bench/export_speed.sh [CHECKPOINT] [ROUNDS]
# Without a checkpoint it trains the default model (MNIST, 2-D MLP) for one epoch first.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${BUILD:-build}/app/vae-explorer
rounds=${2:-5}
work=$(mktemp -d)
hog=""
stop_hog() { if [[ -n $hog ]]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi; }
trap 'stop_hog; rm -rf "$work"' EXIT
checkpoint=${1:-}
if [[ -z $checkpoint ]]; then
    "$exe" train --dataset mnist --epochs 1 --out "$work/run" >/dev/null
    checkpoint=$work/run/checkpoint.pt
fi
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(nproc) cores; $("$exe" --version | head -1)"
declare -A times
for load in quiet busy; do
    if [[ $load == busy ]]; then
        bash -c 'while :; do :; done' &  # one core's worth of someone else's work, ended by PID
        hog=$!
    fi
    for ((round = 1; round <= rounds; round++)); do
        for format in torchscript onnx; do
            start=$(date +%s.%N)
            "$exe" export --checkpoint "$checkpoint" --format "$format" --out "$work/model.$format" --force >/dev/null
            seconds=$(printf '%.3f' "$(echo "$(date +%s.%N) - $start" | bc)")
            echo "$load round $round $format: $seconds s"
            times[$load|$format]+="$seconds "
        done
    done
    stop_hog
done
for key in "${!times[@]}"; do
    read -r -a values <<<"${times[$key]}"
    sorted=$(printf '%s\n' "${values[@]}" | sort -g)
    best=$(head -1 <<<"$sorted")
    median=$(sed -n "$(((${#values[@]} + 1) / 2))p" <<<"$sorted")
    echo "${key/|/ }: best ${best} s, median ${median} s over ${#values[@]} runs"
done | sort
