#!/usr/bin/env bash
# Puts ONNX Runtime Web's single-threaded wasm build (two files of the npm package onnxruntime-web,
# pinned) where `vae-explorer export --format web` and the build's install rules look for it:
# ${XDG_DATA_HOME:-~/.local/share}/vae-explorer/onnxruntime-web. Fetched once with `npm pack`, so
# none of the package's scripts run, and checked. Safe to run again.
set -euo pipefail

version=1.17.3
dest="${XDG_DATA_HOME:-$HOME/.local/share}/vae-explorer/onnxruntime-web"
sums="6783fcd6647ce1b426a527c31412a9c40894552faa609e9c931b3239a3438071  ort-wasm-simd.wasm
b4123ea72f45a0ba802bf0d719e3b909d8ec19e0918c89f1b73726d4efd263d8  ort.wasm-core.min.js"

if [[ -d "$dest" ]] && (cd "$dest" && sha256sum --check --quiet --status <<<"$sums"); then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-ort-web: downloading onnxruntime-web@$version from the npm registry"
(cd "$work" && npm pack --silent "onnxruntime-web@$version" >/dev/null && tar -xzf "onnxruntime-web-$version.tgz")
(cd "$work/package/dist" && sha256sum --check --quiet <<<"$sums") || {
    echo "fetch-ort-web: checksum mismatch in onnxruntime-web@$version; refusing to install it" >&2
    exit 1
}
mkdir -p "$dest"
for file in ort-wasm-simd.wasm ort.wasm-core.min.js; do
    cp "$work/package/dist/$file" "$dest/$file.tmp" && mv "$dest/$file.tmp" "$dest/$file"
done
echo "$version" >"$dest/VERSION"
echo "fetch-ort-web: ONNX Runtime Web $version is in $dest"
