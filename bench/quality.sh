#!/usr/bin/env bash
# Paper-comparable figures (issue 11): trains a preset for a wall-clock budget on 2 cores, keeps
# the checkpoint at each evaluation minute, then estimates -log p(x) by importance sampling on
# the binarized test set. Hours in all: a benchmark, never run by CI.
#
#   bench/quality.sh PRESET [MINUTES] [EVAL_MINUTES] [K_SNAPSHOTS] [SNAPSHOT_IMAGES] [K_FINAL] [FINAL_IMAGES]
#   bench/quality.sh paper 30 10,20,30 1000 1000 5000 10000
#   bench/quality.sh conv 30 5,10,15,30 500 500 1000 1000
#   bench/quality.sh reference 30 10,20,30 1000 1000      # the issue's PyTorch loop (paper_reference.py)
#
# DATASET (default mnist) and BUILD (default build) come from the environment. Output goes to
# quality-PRESET/ under $OUT (default /tmp): the run's files, snapshot-<M>min.pt and
# results.txt with lines "minute M epochs E nll X k K images N". Minutes are wall-clock minutes
# of `vae-explorer train` including its per-epoch test evaluation; the reference counts only
# its training steps, which favours it.
set -euo pipefail
preset=${1:?preset: paper, conv, pytorch-example or reference}
minutes=${2:-30}
evals=${3:-10,20,30}
k_snap=${4:-1000}
snap_images=${5:-1000}
k_final=${6:-5000}
final_images=${7:-10000}
cd "$(dirname "$0")/.."
exe=${BUILD:-build}/app/vae-explorer
dataset=${DATASET:-mnist}
out=${OUT:-/tmp}/quality-$preset
rm -rf "$out"
mkdir -p "$out"
results=$out/results.txt
seconds() { awk -v m="$1" 'BEGIN { print int(m * 60) }'; }

if [[ $preset == reference ]]; then
    data=${VAE_EXPLORER_MNIST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vae-explorer/mnist}
    /usr/bin/python3 bench/paper_reference.py --data "$data" --minutes "$minutes" --eval-at "$evals" \
        --k "$k_snap" --images "$snap_images" --threads 2 | tee "$results"
    exit 0
fi

# One run, uninterrupted; its checkpoint is rewritten atomically after every epoch, so a copy at
# minute M is the model after its last whole epoch by then.
"$exe" train --preset "$preset" --dataset "$dataset" --epochs 100000 --threads 2 --out "$out/run" > "$out/train.log" 2>&1 &
trainer=$!
started=$(date +%s)
IFS=, read -r -a marks <<< "$evals"
for mark in "${marks[@]}"; do
    while (( $(date +%s) - started < $(seconds "$mark") )); do sleep 1; done
    cp "$out/run/checkpoint.pt" "$out/snapshot-${mark}min.pt"
    echo "minute $mark: $(grep -c '^epoch' "$out/train.log") epochs" >&2
done
while (( $(date +%s) - started < $(seconds "$minutes") )); do sleep 1; done
kill -INT "$trainer"  # the trainer stops before its next step and keeps its last whole epoch
wait "$trainer" || true
tail -n 2 "$out/train.log" >&2

: > "$results"
for mark in "${marks[@]}"; do
    snapshot=$out/snapshot-${mark}min.pt
    report=$("$exe" eval --checkpoint "$snapshot" --threads 2 -k "$k_snap" --images "$snap_images" 2>/dev/null)
    epochs=$(sed -n 's/^model .*, \([0-9]*\) epochs;.*/\1/p' <<< "$report")
    nll=$(awk '$1 == "test_neg_log_likelihood" {print $2}' <<< "$report")
    echo "minute $mark epochs $epochs nll $nll k $k_snap images $snap_images" | tee -a "$results"
done
final=$out/snapshot-${marks[-1]}min.pt
started=$(date +%s)
"$exe" eval --checkpoint "$final" --threads 2 -k "$k_final" --images "$final_images" 2>/dev/null | tee "$out/final.txt"
echo "final: k $k_final images $final_images in $(( $(date +%s) - started )) s" | tee -a "$results"
