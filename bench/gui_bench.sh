#!/usr/bin/env bash
# The window's responsiveness figures under a real X server (Xvfb): start-up time, click ->
# image, grid decode, longest event-loop stall and memory, idle and while training on MNIST.
# Usage: bench/gui_bench.sh [TRAINING_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_CONFIG_HOME="$(mktemp -d)"  # default settings: MNIST, the 2-D model

# Start-up: from launching the process to the first window shown, five times.
for _ in 1 2 3 4 5; do
    xvfb-run -a -s "-screen 0 1400x920x24" bash -c '
        start=$(date +%s%3N)
        VAE_EXPLORER_REPORT_STARTUP=1 timeout 20 build/app/vae-explorer 2>&1 >/dev/null | while read -r line; do
            case "$line" in "window shown at "*)
                shown=${line#window shown at }; shown=${shown%% *}
                echo "start-up: window shown $((shown - start)) ms after launch"; pkill -f build/app/vae-explorer;;
            esac
        done' || true
done
xvfb-run -a -s "-screen 0 1400x920x24" build/bench/gui_bench "${1:-20}"
