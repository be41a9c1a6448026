#include "kl_decomposition.h"

#include "errors.h"

#include <cmath>

namespace vae {

torch::Tensor gaussianLogDensity(const torch::Tensor& z, const torch::Tensor& mu, const torch::Tensor& logvar) {
    static const double logTwoPi = std::log(2.0 * M_PI);
    return -0.5 * (logTwoPi + logvar + (z - mu).pow(2) * torch::exp(-logvar));
}

KlDecomposition decomposeKl(const torch::Tensor& z, const torch::Tensor& mu, const torch::Tensor& logvar,
                            std::int64_t datasetSize) {
    const std::int64_t batch = z.size(0);
    if (batch < 2) throw ConfigError("the total-correlation estimate needs a batch of at least 2 images");
    // pairwise[i][j][d] = log q(z_id | x_j): every sample under every image's posterior.
    const auto pairwise = gaussianLogDensity(z.unsqueeze(1), mu.unsqueeze(0), logvar.unsqueeze(0));
    const double logWeight = std::log(double(batch) * double(datasetSize));
    const auto logQzGivenX = gaussianLogDensity(z, mu, logvar).sum(1);
    const auto logQz = torch::logsumexp(pairwise.sum(2), 1) - logWeight;
    const auto logQzProduct = (torch::logsumexp(pairwise, 1) - logWeight).sum(1);
    const auto logPz = gaussianLogDensity(z, torch::zeros_like(z), torch::zeros_like(z)).sum(1);
    return {(logQzGivenX - logQz).mean(), (logQz - logQzProduct).mean(), (logQzProduct - logPz).mean()};
}

}  // namespace vae
