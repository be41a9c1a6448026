#!/usr/bin/env bash
# The window against the CLI, and start-up, for one or more builds in alternating rounds (the
# machine's speed drifts, so builds are compared within one run): per build, the window's
# untouched training throughput (bench/gui_bench's figure), `vae-explorer train`'s on the same
# default model (MNIST, 1 epoch) and the time from launch to the window shown.
# Usage: bench/window_speed.sh ROUNDS TRAINING_SECONDS BUILD_DIR [BUILD_DIR...]
# Each process is ended by its own PID. Run under a quiet machine and again with a hog.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1 seconds=$2
shift 2
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}; $(nproc) cores"
results=$(mktemp)
for round in $(seq "$rounds"); do
    for build in "$@"; do
        config=$(mktemp -d)
        window=$(XDG_CONFIG_HOME="$config" xvfb-run -a -s "-screen 0 1400x920x24" "$build/bench/gui_bench" "$seconds" 2>&1 |
                 sed -n 's/^training throughput in the untouched window: \([0-9]*\) images\/s/\1/p')
        out=$(mktemp -d)
        cli=$("$build/app/vae-explorer" train --dataset mnist --epochs 1 --out "$out" 2>&1 |
              sed -n 's/^epoch 1\/1 .* \([0-9]*\) img\/s .*/\1/p')
        rm -rf "$out" "$config"
        startup=$(xvfb-run -a -s "-screen 0 1400x920x24" bash -c '
            log=$(mktemp); config=$(mktemp -d); start=$(date +%s%3N)
            XDG_CONFIG_HOME="$config" VAE_EXPLORER_REPORT_STARTUP=1 "$1/app/vae-explorer" 2>"$log" >/dev/null &
            app=$!
            for _ in $(seq 1000); do grep -q "^window shown at " "$log" && break; sleep 0.02; done
            kill "$app"; wait "$app" 2>/dev/null || true
            shown=$(sed -n "s/^window shown at \([0-9]*\).*/\1/p" "$log"); rm -rf "$log" "$config"
            echo $((shown - start))' _ "$build")
        echo "round $round $build: window ${window:-?} img/s, CLI ${cli:-?} img/s, start-up ${startup} ms"
        echo "$build ${window:-0} ${cli:-1} $startup" >>"$results"
    done
done
echo "per build: window/CLI ratio and start-up, best and median over the rounds"
for build in "$@"; do
    ratios=$(awk -v b="$build" '$1 == b { printf "%.3f\n", $2 / $3 }' "$results" | sort -n)
    startups=$(awk -v b="$build" '$1 == b { print $4 }' "$results" | sort -n)
    n=$(echo "$ratios" | wc -l) m=$(( ($(echo "$ratios" | wc -l) + 1) / 2 ))
    echo "$build: window/CLI best $(echo "$ratios" | tail -1) median $(echo "$ratios" | sed -n "${m}p") (n=$n);" \
         "start-up best $(echo "$startups" | head -1) ms median $(echo "$startups" | sed -n "${m}p") ms"
done
rm -f "$results"
