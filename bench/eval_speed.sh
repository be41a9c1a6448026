#!/usr/bin/env bash
# Speed of `vae-explorer eval --k`: the importance-weighted -log p(x) estimate, on a trained
# checkpoint, quiet and with another process keeping one of the two cores busy (users' laptops
# are never idle). With a second executable (an older build) the two alternate, round by round,
# because this machine's speed drifts within minutes; compare them within one run only.
# Prints each run's seconds, then best and median per executable and condition, and the
# 10,000-image time those imply. A benchmark, never run by CI.
#
#   bench/eval_speed.sh CHECKPOINT [K] [IMAGES] [ROUNDS] [BASELINE_EXECUTABLE]
#   bench/eval_speed.sh /tmp/quality-paper/snapshot-30min.pt 5000 200 3 /tmp/old/vae-explorer
set -euo pipefail
checkpoint=${1:?checkpoint}
k=${2:-5000}
images=${3:-200}
rounds=${4:-3}
baseline=${5:-}
cd "$(dirname "$0")/.."
exe=${BUILD:-build}/app/vae-explorer
sides=("$exe")
[[ -n $baseline ]] && sides+=("$baseline")

declare -A times
hog=""
stop_hog() { if [[ -n $hog ]]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; hog=""; fi; }
trap stop_hog EXIT
for load in quiet busy; do
    if [[ $load == busy ]]; then
        # One core's worth of someone else's work, ended by PID.
        bash -c 'while :; do :; done' &
        hog=$!
    fi
    for ((round = 1; round <= rounds; round++)); do
        for side in "${sides[@]}"; do
            seconds=$("$side" eval --checkpoint "$checkpoint" --threads 2 -k "$k" --images "$images" 2>/dev/null |
                sed -n 's/^importance_samples .* seed [0-9]*, \([0-9.]*\) s$/\1/p')
            echo "$load round $round $side: $seconds s"
            times[$load|$side]+="$seconds "
        done
    done
    stop_hog
done
for load in quiet busy; do
    for side in "${sides[@]}"; do
        # shellcheck disable=SC2086
        printf '%s\n' ${times[$load|$side]} | sort -g | awk -v load="$load" -v side="$side" -v images="$images" -v k="$k" '
            { t[NR] = $1 }
            END { median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
                  printf "%s %s: k = %d, %d images: best %.2f s, median %.2f s; 10,000 images: best %.0f s, median %.0f s\n",
                         load, side, k, images, t[1], median, t[1] * 10000 / images, median * 10000 / images }'
    done
done
