#pragma once
// A model as an ONNX file (opset 13), built with ONNX's own protobuf classes (Debian's
// libonnx-dev) from core's network steps. Inputs `z` (N x latentDim) and `x` (N x C x H x W in
// [0,1]) with a dynamic batch N; outputs `images` (N x C x H x W in [0,1]), `mu` and `logvar`:
// decoder z -> images, encoder x -> mu, logvar, vae x -> images (decoded at mu), mu, logvar.
#include "network_steps.h"

#include <string>
#include <utility>
#include <vector>

namespace vae {

inline constexpr int kOnnxOpset = 13;

// The file's bytes. `metadata` goes into the model's metadata_props, in order.
std::string onnxFile(const NetworkSteps& steps, ExportPart part,
                     const std::vector<std::pair<std::string, std::string>>& metadata);

}  // namespace vae
