#pragma once
// Element-wise steps that LibTorch 1.13 runs slowly on the CPU, each with its torch fallback
// (internal to core). Where this build has SLEEF and the CPU has AVX2 and FMA, CPU float32
// tensors go through sleef_kernels.h, split between torch's threads; anything else (another
// dtype, a GPU tensor, an older CPU) takes torch's operator.
#include "model.h"

namespace vae {

// log p(x | z) = -reconstructionPerImage for each row of `logits` (... x pixels), the rows
// cycling through the images `x` (images x pixels): samples x images x pixels gives samples x
// images. The kernel serves Bernoulli likelihoods; no gradient flows through it.
torch::Tensor logLikelihoodPerRow(const torch::Tensor& logits, const torch::Tensor& x, const ModelConfig& config);

// tanh or ReLU in place.
void activateInPlace(torch::Tensor& values, Activation activation);

}  // namespace vae
