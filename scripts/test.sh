#!/usr/bin/env bash
# Set up (packages, MNIST, build), run the whole test suite, then the robustness runs:
# the suite under ASan + UBSan, the thread-boundary tests under TSan, deterministic fuzzing.
# VAE_QUICK=1 skips the robustness runs (about 20 minutes from a cold cache).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
if [[ "${VAE_QUICK:-0}" != 1 ]]; then
    scripts/robustness.sh
fi
