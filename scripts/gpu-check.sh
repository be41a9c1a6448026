#!/usr/bin/env bash
# On a machine with a CUDA LibTorch (e.g. pip's torch) and no Qt: builds core/ alone and runs
# the core smoke test on the GPU and on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
cmake -S . -B build-core -G Ninja -DCMAKE_BUILD_TYPE=Release -DVAE_BUILD_QT=OFF -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CUDA_ARCHITECTURES=90 >build-core.log 2>&1 || { tail -n 40 build-core.log; exit 1; }
cmake --build build-core -j "$(nproc)" >>build-core.log 2>&1 || { grep -E "error" -A3 build-core.log | head -n 60; exit 1; }
(cd build-core && ./core_smoke cuda 3 && ./core_smoke cpu 1)
