#!/usr/bin/env bash
# The exported web page's speed in headless chromium (tests/web/web_check.js): how long the page
# takes to be ready from a local `python3 -m http.server`, and the decode of a click (run in the
# browser and drawn) as the median over CLICKS clicks, for ROUNDS fresh browsers, quiet and with
# one core busy. The issue's goals: ready ≤ 2 s, decode ≤ 16 ms. A benchmark, never run by CI.
#
#   bench/web_speed.sh [CHECKPOINT] [ROUNDS] [CLICKS]
# Without a checkpoint it trains the default model (MNIST, 2-D MLP) for one epoch first.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${BUILD:-build}/app/vae-explorer
rounds=${2:-3}
clicks=${3:-100}
work=$(mktemp -d)
hog=""
stop_hog() { if [[ -n $hog ]]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi; }
trap 'stop_hog; rm -rf "$work"' EXIT
checkpoint=${1:-}
if [[ -z $checkpoint ]]; then
    "$exe" train --dataset mnist --epochs 1 --out "$work/run" >/dev/null
    checkpoint=$work/run/checkpoint.pt
fi
"$exe" export --checkpoint "$checkpoint" --format web --out "$work/web" >/dev/null
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(nproc) cores; $(/usr/bin/chromium --version)"
for load in quiet busy; do
    if [[ $load == busy ]]; then
        bash -c 'while :; do :; done' &  # one core's worth of someone else's work, ended by PID
        hog=$!
    fi
    for ((round = 1; round <= rounds; round++)); do
        node tests/web/web_check.js "$PWD/tests/npm/node_modules" "$work/web" /usr/bin/chromium "$work/result.json" "" "$clicks"
        /usr/bin/python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print(f\"$load round $round: ready in {r['loadMs']} ms, decode median {r['decodeMedianMs']:.2f} ms (best {r['decodeBestMs']:.2f}) over {r['decodeCount']} clicks\")" "$work/result.json"
    done
    stop_hog
done
