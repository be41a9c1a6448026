#!/usr/bin/env bash
# MIG and the FactorVAE score of the sprites presets against a plain VAE (β = 1) of the same
# architecture, data and epochs: sprites-beta (β-VAE, β = 4), sprites-tc (β-TCVAE, β = 6) and
# sprites-beta with --beta 1, for each seed given (default: 1 2). About ten minutes a model on
# two cores. Prints one table row per model and seed, then the mean per model.
# Usage: bench/factor_scores.sh [SEED...]   (build first; runs kept under ${OUT:-/tmp/factor-scores})
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("${@:-1 2}")
[[ $# -gt 0 ]] || seeds=(1 2)
out=${OUT:-/tmp/factor-scores}
mkdir -p "$out"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}; $(nproc) cores; $(date -u +%F)"
echo "model seed minutes test_neg_elbo mig factor_vae_score active_units"
for seed in "${seeds[@]}"; do
    for model in "vae:--preset sprites-beta --beta 1" "sprites-beta:--preset sprites-beta" "sprites-tc:--preset sprites-tc"; do
        name=${model%%:*}
        run="$out/$name-$seed"
        rm -rf "$run"
        start=$(date +%s)
        # shellcheck disable=SC2086  # the options are words
        build/app/vae-explorer train --dataset sprites ${model#*:} --seed "$seed" --out "$run" >"$run.log" 2>&1
        minutes=$(awk -v s="$(( $(date +%s) - start ))" 'BEGIN { printf "%.1f", s / 60 }')
        build/app/vae-explorer eval --checkpoint "$run/checkpoint.pt" --factors >"$run.eval"
        value() { awk -v k="$1" '$1 == k { print $2 }' "$run.eval"; }
        echo "$name $seed $minutes $(value test_neg_elbo) $(value mig) $(value factor_vae_score) $(awk '$1 == "active_units" { print $2 }' "$run.eval")"
    done
done | tee "$out/table.txt"
echo "mean over seeds:"
awk 'NR > 0 { n[$1]++; mig[$1] += $5; fv[$1] += $6 } END { for (m in n) printf "%s MIG %.4f FactorVAE %.4f (%d seeds)\n", m, mig[m] / n[m], fv[m] / n[m], n[m] }' "$out/table.txt"
