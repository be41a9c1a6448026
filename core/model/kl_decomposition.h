#pragma once
// The KL term of the ELBO split as β-TCVAE does (Chen et al. 2018, "Isolating Sources of
// Disentanglement in VAEs"): E[KL(q(z|x) || p(z))] = index-code MI + total correlation +
// dimension-wise KL. q(z) and its marginals are estimated on the minibatch by minibatch-weighted
// sampling, as the authors' reference code does (its default, not stratified sampling):
//   log q(z_i) ~ logsumexp_j log q(z_i | x_j) - log(B N), and so for each dimension.
// The estimate depends on the whole batch, so it is not a sum of per-image terms.
#include <torch/torch.h>

#include <cstdint>

namespace vae {

struct KlDecomposition {
    torch::Tensor indexCodeMi;       // E[log q(z|x) - log q(z)]
    torch::Tensor totalCorrelation;  // E[log q(z) - sum_d log q(z_d)]
    torch::Tensor dimensionwiseKl;   // E[sum_d log q(z_d) - log p(z)]
};

// z: the batch's samples (B x D) drawn from N(mu, exp(logvar)); datasetSize: N, the training
// images the batch is drawn from. Batch means, as scalar tensors (differentiable). Needs B >= 2.
KlDecomposition decomposeKl(const torch::Tensor& z, const torch::Tensor& mu, const torch::Tensor& logvar,
                            std::int64_t datasetSize);

// log N(z; mu, exp(logvar)) elementwise, broadcasting.
torch::Tensor gaussianLogDensity(const torch::Tensor& z, const torch::Tensor& mu, const torch::Tensor& logvar);

}  // namespace vae
