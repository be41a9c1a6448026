#!/usr/bin/env bash
# What bench/ needs beyond the tests (run scripts/test.sh, or at least scripts/setup.sh, first):
# Debian's PyTorch for the Python references, matplotlib for the plots, and a real X server for
# the window's benchmarks and the screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh bench/setup \
    python3-torch python3-torchvision python3-matplotlib \
    xvfb xauth imagemagick xdotool
cmake --build build -j2
