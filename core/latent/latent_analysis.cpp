#include "latent_analysis.h"

#include "errors.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vae {
namespace {

std::vector<double> toDoubles(const torch::Tensor& tensor) {
    const auto cpu = tensor.to(torch::kFloat64).contiguous();
    return {cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel()};
}

std::vector<float> toFloats(const torch::Tensor& tensor) {
    const auto cpu = tensor.to(torch::kFloat32).contiguous();
    return {cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel()};
}

// A singular vector's sign is arbitrary; fixing it (largest component positive) keeps the PCA
// map from flipping between two epochs' encodings.
std::vector<float> signFixed(std::vector<float> direction) {
    const auto largest = std::max_element(direction.begin(), direction.end(),
                                          [](float a, float b) { return std::abs(a) < std::abs(b); });
    if (largest != direction.end() && *largest < 0)
        for (auto& value : direction) value = -value;
    return direction;
}

}  // namespace

LatentSummary summarizeEncodings(const Encodings& encodings) {
    const int n = encodings.count, d = encodings.latentDim;
    const std::size_t values = std::size_t(std::max(n, 0)) * std::max(d, 0);
    if (n < 1 || d < 1 || encodings.mu.size() != values || encodings.logvar.size() != values)
        throw ConfigError("latent summary: " + std::to_string(n) + " encodings of " + std::to_string(d) +
                          " dimensions do not match their " + std::to_string(encodings.mu.size()) + " values");
    torch::NoGradGuard noGrad;
    // Double precision: sums over 10,000 points, and the variances decide "active" at 0.01.
    const auto mu = torch::from_blob(const_cast<float*>(encodings.mu.data()), {n, d}, torch::kFloat32).to(torch::kFloat64);
    const auto logvar = torch::from_blob(const_cast<float*>(encodings.logvar.data()), {n, d}, torch::kFloat32)
                            .to(torch::kFloat64);

    LatentSummary summary;
    summary.count = n;
    summary.latentDim = d;
    summary.klPerDim = toDoubles((0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar)).mean(0));
    const auto mean = mu.mean(0);
    const auto centred = mu - mean;
    summary.meanVariance = toDoubles(n > 1 ? centred.pow(2).sum(0) / double(n - 1) : torch::zeros({d}, torch::kFloat64));
    summary.activeUnits = int(std::count_if(summary.meanVariance.begin(), summary.meanVariance.end(),
                                            [](double variance) { return variance > LatentSummary::kActiveThreshold; }));
    summary.mean = toFloats(mean);

    // Principal directions: the right singular vectors of the centred means.
    const auto [left, singular, rightT] = torch::linalg::svd(centred, /*full_matrices=*/false, c10::nullopt);
    const auto energy = singular.pow(2);
    const double total = energy.sum().template item<double>();
    const bool second = rightT.size(0) > 1;
    summary.pc1 = signFixed(toFloats(rightT[0]));
    summary.pc2 = second ? signFixed(toFloats(rightT[1])) : std::vector<float>(std::size_t(d), 0.0f);
    summary.explained1 = total > 0 ? energy[0].template item<double>() / total : 0;
    summary.explained2 = total > 0 && second ? energy[1].template item<double>() / total : 0;
    return summary;
}

LatentPlane LatentSummary::pcaPlane() const {
    if (latentDim == 1) return LatentPlane::spanning(mean, {1.0f}, {0.0f});
    return LatentPlane::spanning(mean, pc1, pc2);
}

std::vector<int> LatentSummary::dimensionsByKl() const {
    std::vector<int> order(klPerDim.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) { return klPerDim[a] > klPerDim[b]; });
    return order;
}

}  // namespace vae
