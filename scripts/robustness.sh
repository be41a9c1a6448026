#!/usr/bin/env bash
# The short robustness runs that CI makes after the main suite: the whole ctest suite under
# ASan + UBSan, the thread-boundary tests under TSan, and deterministic libFuzzer runs.
# Open-ended fuzzing: bench/fuzz.sh 600. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-packages.sh robustness clang-14 libclang-rt-14-dev  # libFuzzer, clang's sanitizer runtimes
command -v clang++ >/dev/null || export CC=clang-14 CXX=clang++-14

echo "== ASan + UBSan: the whole suite"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

echo "== TSan: trainer control and worker-to-GUI updates"
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan

echo "== libFuzzer: committed inputs, then fixed-seed runs (deterministic)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
tests/fuzz/check.sh
