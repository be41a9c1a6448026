#!/usr/bin/env bash
# Soak: the real window under Xvfb trains on MNIST for 20 minutes (or $1 seconds) while the
# harness clicks and drags on the latent map without pause. Prints memory, throughput, stalls.
set -euo pipefail
cd "$(dirname "$0")/.."
export XDG_CONFIG_HOME="$(mktemp -d)"
xvfb-run -a -s "-screen 0 1400x920x24" build/bench/gui_bench soak "${1:-1200}"
