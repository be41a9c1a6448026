#pragma once
// `vae-explorer export --format web --out DIR`: the latent space as a self-contained web page that
// works offline and from any static host. DIR gets index.html with its script and style, the
// decoder as ONNX (decoder.onnx), the encodings of test images with their labels, class names and
// the map's plane (data.json), and ONNX Runtime Web's single-threaded wasm build with its licence
// (no threads: GitHub Pages cannot give the cross-origin isolation they need).
#include "model_export.h"

#include <QString>

#include <vector>

namespace vae {

// onnxruntime-web's version and the two of its files the page needs.
inline constexpr char kOrtWebVersion[] = "1.17.3";
inline const QStringList kOrtWebFiles{"ort.wasm-core.min.js", "ort-wasm-simd.wasm"};

// Where ONNX Runtime Web's files are: VAE_EXPLORER_ORT_WEB_DIR, else beside the installed program
// (share/vae-explorer/onnxruntime-web), else where scripts/fetch-ort-web.sh put them (the app's
// data folder). Empty when none holds them.
QString ortWebFolder();

struct WebMap {
    Encodings encodings;     // of the first test images
    std::vector<int> labels;  // one per encoding
};

// The first `points` test images of `data` through the session's encoder.
WebMap webMapOf(Session& session, const ImageDataset& data, int points);

// Writes the folder beside DIR and renames it into place: never a partial folder. An existing
// non-empty DIR is refused unless `force`. Returns one line naming the folder, or empty.
QString writeWebExplorer(const ModelExport& model, const WebMap& map, const QString& dir, bool force);

}  // namespace vae
