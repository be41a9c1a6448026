#pragma once
// A copy of one half of the model's parameters as plain vectors: how a model reaches another
// thread (the GUI's decode and encode threads, the replay) without sharing tensors. Torch-free.
#include "model_config.h"

#include <vector>

namespace vae {

// Half tells the encoder's weights from the decoder's as types, so one never reaches the other's
// constructor; the layout is the same for both (see EncoderWeights and DecoderWeights).
template <typename Half>
struct NetworkWeights {
    ModelConfig config;
    std::vector<std::vector<float>> weights;  // per weighted layer, in torch's layout, row-major
    std::vector<std::vector<float>> biases;   // per weighted layer
};

}  // namespace vae
