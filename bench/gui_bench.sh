#!/usr/bin/env bash
# The window's responsiveness figures under a real X server (Xvfb): start-up time, click ->
# image, grid decode, longest event-loop stall and memory, idle and while training on MNIST, and
# then the same with a 64x64 colour model.
# Usage: bench/gui_bench.sh [TRAINING_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_CONFIG_HOME="$(mktemp -d)"  # default settings: MNIST, the 2-D model

# Start-up: from launching the process to the first window shown, five times. Each copy is ended
# by its own PID, never by name (that would end a user's own running copy too).
for _ in 1 2 3 4 5; do
    xvfb-run -a -s "-screen 0 1400x920x24" bash -c '
        log=$(mktemp)
        start=$(date +%s%3N)
        VAE_EXPLORER_REPORT_STARTUP=1 build/app/vae-explorer 2>"$log" >/dev/null &
        app=$!
        for _ in $(seq 200); do grep -q "^window shown at " "$log" && break; sleep 0.1; done
        kill "$app"; wait "$app" 2>/dev/null || true
        shown=$(sed -n "s/^window shown at \([0-9]*\).*/\1/p" "$log")
        if [[ -n $shown ]]; then echo "start-up: window shown $((shown - start)) ms after launch"
        else echo "start-up: no window within 20 s"; fi
        rm -f "$log"' || true
done
xvfb-run -a -s "-screen 0 1400x920x24" build/bench/gui_bench "${1:-20}"
# A 64x64 colour model (the emoji set drawn at 64 px, the emoji preset's architecture).
xvfb-run -a -s "-screen 0 1400x920x24" build/bench/gui_bench colour "${1:-20}"

# The same default model trained by the CLI, for the window's images/s to be compared with.
cli_out=$(mktemp -d)
build/app/vae-explorer train --dataset mnist --epochs 1 --out "$cli_out" 2>&1 | grep "^epoch" | sed 's/^/CLI, default model: /'
rm -rf "$cli_out"
