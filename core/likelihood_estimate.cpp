#include "likelihood_estimate.h"

#include "errors.h"

#include <chrono>
#include <cmath>

namespace vae {
namespace {

// Latent rows decoded per call: the logits and the likelihood's temporaries of 16,384 rows of
// 784 pixels take about 200 MB, and larger calls are no faster.
constexpr std::int64_t kRowsPerDecode = 16384;

}  // namespace

void LikelihoodOptions::validate() const {
    if (samples < 1) throw ConfigError("--k: " + std::to_string(samples) + " importance samples; it must be at least 1");
    if (images == 0 || images < -1) throw ConfigError("--images: " + std::to_string(images) + "; it must be at least 1");
    if (batchImages < 1) throw ConfigError("--batch-size: " + std::to_string(batchImages) + "; it must be at least 1");
}

LikelihoodEstimate estimateLikelihood(Vae& model, const torch::Tensor& images, const LikelihoodOptions& options,
                                      const LikelihoodProgress& progress) {
    options.validate();
    const auto started = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    model->eval();
    const ModelConfig& config = model->config();
    const std::int64_t total = options.images < 0 ? images.size(0) : std::min<std::int64_t>(options.images, images.size(0));
    const std::int64_t k = options.samples;
    const double halfLog2Pi = 0.5 * std::log(2 * M_PI);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    double sumLogMeanWeight = 0, sumLogWeight = 0;
    LikelihoodEstimate estimate;
    for (std::int64_t first = 0; first < total; first += options.batchImages) {
        const auto x = images.slice(0, first, std::min(total, first + options.batchImages));
        const std::int64_t batch = x.size(0);
        const auto [mu, logvar] = model->encode(x);
        const auto sigma = torch::exp(0.5 * logvar);
        // log w for every (sample, image), filled a chunk of samples at a time.
        auto logWeights = torch::empty({k, batch}, torch::kFloat64);
        const std::int64_t chunk = std::max<std::int64_t>(1, kRowsPerDecode / batch);
        for (std::int64_t s = 0; s < k; s += chunk) {
            const std::int64_t count = std::min(chunk, k - s);
            const auto eps = torch::randn({count, batch, config.latentDim}, generator).to(mu.device());
            const auto z = mu + sigma * eps;  // count x batch x latent
            const auto logits = model->decode(z.reshape({count * batch, config.latentDim}))
                                    .reshape({count, batch, config.inputDim()});
            const auto logPxGivenZ = -reconstructionPerImage(logits, x, config);
            const auto logPz = -0.5 * z.pow(2).sum(-1) - config.latentDim * halfLog2Pi;
            const auto logQzGivenX = -0.5 * (eps.pow(2) + logvar).sum(-1) - config.latentDim * halfLog2Pi;
            logWeights.slice(0, s, s + count).copy_((logPxGivenZ + logPz - logQzGivenX).to(torch::kCPU, torch::kFloat64));
            // Asked between chunks too, so that a cancel lands within one chunk even at a large k.
            if (progress && s + count < k && !progress(int(first), int(total))) {
                model->train();
                estimate.cancelled = true;
                return estimate;
            }
        }
        sumLogMeanWeight += (torch::logsumexp(logWeights, 0) - std::log(double(k))).sum().item<double>();
        sumLogWeight += logWeights.mean(0).sum().item<double>();
        if (progress && !progress(int(first + batch), int(total))) {
            model->train();
            estimate.cancelled = true;
            return estimate;
        }
    }
    model->train();
    estimate.images = int(total);
    estimate.samples = int(k);
    estimate.negLogLikelihood = -sumLogMeanWeight / double(total);
    estimate.negElbo = -sumLogWeight / double(total);
    estimate.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return estimate;
}

}  // namespace vae
