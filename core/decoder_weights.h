#pragma once
// Between a model's decoder and plain DecoderWeights (internal to core).
#include "model.h"

namespace vae {

DecoderWeights copyDecoderWeights(Vae& model);
void loadDecoderWeights(Vae& model, const DecoderWeights& weights);  // throws ConfigError
GrayImages toGrayImages(const torch::Tensor& images, const ModelConfig& config);

}  // namespace vae
