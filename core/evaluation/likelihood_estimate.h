#pragma once
// The importance-weighted -log p(x) estimate on tensors (internal to core; see likelihood.h).
#include "likelihood.h"
#include "model.h"

namespace vae {

// images: N x pixels, float in [0,1], on the model's device. Throws ConfigError for bad options.
LikelihoodEstimate estimateLikelihood(Vae& model, const torch::Tensor& images, const LikelihoodOptions& options,
                                      const LikelihoodProgress& progress = {});

}  // namespace vae
