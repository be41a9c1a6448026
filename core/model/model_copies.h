#pragma once
// Between a model's layers and plain weight copies (internal to core): how a model's encoder
// and decoder reach other threads as values.
#include "decoder.h"
#include "encoder.h"
#include "model.h"

namespace vae {

DecoderWeights copyDecoderWeights(Vae& model);
void loadDecoderWeights(Vae& model, const DecoderWeights& weights);  // throws ConfigError
EncoderWeights copyEncoderWeights(Vae& model);
void loadEncoderWeights(Vae& model, const EncoderWeights& weights);  // throws ConfigError
Images toImages(const torch::Tensor& images, const ModelConfig& config);

// mu and logvar of uint8 image rows (N x pixels), in batches, on the model's device.
Encodings encodeRows(Vae& model, const torch::Tensor& uint8Rows, torch::Device device);

}  // namespace vae
