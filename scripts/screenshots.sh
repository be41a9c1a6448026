#!/usr/bin/env bash
# Starts the real app under Xvfb, presses Start (F5), lets it train on MNIST, clicks the latent
# map, and saves screenshots of the whole screen. Usage: scripts/screenshots.sh [OUT_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh screenshots xvfb xauth imagemagick xdotool
out="${1:-screenshots}"
seconds="${2:-25}"
mkdir -p "$out"
export XDG_CONFIG_HOME="$(mktemp -d)"  # fresh preferences: the defaults a new user sees

xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
    build/app/vae-explorer & app=$!
    for _ in $(seq 50); do xdotool search --name "VAE latent-space explorer" >/dev/null 2>&1 && break; sleep 0.2; done
    window=$(xdotool search --name "VAE latent-space explorer" | head -n1)
    xdotool windowmove "$window" 0 0 windowsize "$window" 1400 900
    sleep 1
    import -window root "'"$out"'/startup.png"
    # No window manager under Xvfb: click into the window to give it focus, then press F5.
    xdotool mousemove --window "$window" 600 36 click 1 key --window "$window" F5
    sleep "'"$seconds"'"
    # Click into the map (the middle column), then drag a little.
    eval "$(xdotool getwindowgeometry --shell "$window")"
    xdotool mousemove --window "$window" 560 330 click 1
    sleep 0.5
    import -window root "'"$out"'/training.png"
    xdotool mousedown 1 mousemove_relative 60 40 mouseup 1
    sleep 1
    import -window root "'"$out"'/dragged.png"
    kill "$app"; wait "$app" || true
'
echo "screenshots in $out/"
