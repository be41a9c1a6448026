#!/usr/bin/env bash
# Screenshots of the data on the latent map, for the README: the window opened on a 2-D model
# with its coloured test set and a selected test image, and on a model of more dimensions on its
# PCA plane with the slider panel. Usage:
#   scripts/explorer-screenshots.sh OUT_DIR MODEL_2D.pt MODEL_ND.pt [FASHION_2D.pt]
# The app is ended by its own PID.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh screenshots xvfb xauth imagemagick xdotool
out="$1"; two="$2"; many="$3"; fashion="${4:-}"
mkdir -p "$out"
export XDG_CONFIG_HOME="$(mktemp -d)"  # fresh preferences: the defaults a new user sees

shoot() {  # shoot MODEL NAME XDOTOOL_STEPS...
    local model="$1" name="$2"; shift 2
    xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
        build/app/vae-explorer "$0" & app=$!
        for _ in $(seq 50); do xdotool search --name "VAE latent-space explorer" >/dev/null 2>&1 && break; sleep 0.2; done
        window=$(xdotool search --name "VAE latent-space explorer" | head -n1)
        xdotool windowmove "$window" 0 0 windowsize "$window" 1400 900
        sleep 5  # the model, the data and its encodings
        for step in "${@:2}"; do eval "xdotool $step"; sleep 1; done
        import -window root "$1"
        kill "$app"; wait "$app" || true' "$model" "$out/$name.png" "$@"
}

# The 2-D model: click a data point near the middle of the map (selects it, shows its ellipse).
shoot "$two" map-with-data "mousemove 660 400 click 1" "mousemove 700 300"
# The Walk tab: two test images as endpoints (the path on the map, the strip), then a 7 drawn on
# the pad, placed on the map (the diamond) with its reconstruction.
shoot "$two" walk-and-draw "mousemove 1262 283 click 1" "mousemove 1262 283 click 1" "mousemove 560 430 click 1" \
    "mousemove 1340 346 click 1" "mousemove 790 420 click 1" "mousemove 1340 374 click 1" \
    "mousemove 1150 500 click --repeat 12 5" "mousemove 1035 445 mousedown 1" "mousemove 1100 443" \
    "mousemove 1170 446" "mousemove 1130 520" "mousemove 1095 600 mouseup 1" "mousemove 900 700"
# More dimensions: the PCA plane, the Sliders tab and the KL tab.
shoot "$many" pca-plane-sliders "mousemove 1295 283 click 1" "mousemove 223 745 click 1" "mousemove 640 330"
# Fashion-MNIST with its class names, test images drawn where they encode.
[[ -n $fashion ]] && shoot "$fashion" fashion-images "mousemove 354 96 click 1" "mousemove 700 380"
echo "screenshots in $out/"
