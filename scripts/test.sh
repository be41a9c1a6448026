#!/usr/bin/env bash
# The test command: the app's set-up, then what the tests need (mpirun and Debian's
# python3-torch for the distributed tests and the exported models, python3-onnx's checker and ONNX
# Runtime from npm for the ONNX files, Debian's chromium and puppeteer-core from npm for the
# exported web page, Fashion-MNIST, the validators of the installed files and
# the package), builds everything, runs the suite, the window and CLI tests again with every
# core busy, then the robustness runs: the suite under
# ASan + UBSan, the thread-boundary tests under TSan, deterministic fuzzing.
# VAE_QUICK=1 skips the robustness runs (about 20 minutes from a cold cache).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install-packages.sh test \
    openmpi-bin python3-torch python3-onnx chromium dataset-fashion-mnist \
    desktop-file-utils appstream lintian man-db file dpkg-dev
# onnxruntime-node, pinned by tests/npm/package-lock.json. Its install script downloads extras
# (CUDA providers) that the tests do not use: its CPU library is inside the package.
(cd tests/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
scripts/busy-machine-tests.sh
if [[ "${VAE_QUICK:-0}" != 1 ]]; then
    scripts/robustness.sh
fi
