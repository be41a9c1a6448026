#!/usr/bin/env bash
# Renders the app's PNG icons (48, 128 and 256 px, for the hicolor theme and the window) from
# resources/desktop's SVG, which is the one drawing. Run it after changing the SVG and commit
# the PNGs: the build needs no SVG renderer. Needs librsvg2-bin (rsvg-convert).
set -euo pipefail
cd "$(dirname "$0")/../resources/desktop"
for size in 48 128 256; do
    rsvg-convert --width "$size" --height "$size" org.vaeexplorer.vaeexplorer.svg -o "icon-$size.png"
done
