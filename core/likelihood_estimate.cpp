#include "likelihood_estimate.h"

#include "vector_math.h"
#include "errors.h"

#include <chrono>
#include <cmath>

namespace vae {
namespace {

// Latent rows decoded per call.
constexpr std::int64_t kRowsPerDecode = 4096;
constexpr std::int64_t kRowsPerThread = 256;

// The decoder, for an MLP on the CPU run layer by layer into buffers kept between calls: the
// estimate decodes k x images rows (50 million at k = 5000 on the test set), and a fresh 13 MB
// logits tensor per call cost page faults, torch's tanh a tenth of SLEEF's speed.
class ReusingDecoder {
public:
    explicit ReusingDecoder(Vae& model)
        : model_(model), activation_(model->config().activation),
          runsLayers_(model->config().architecture == Architecture::Mlp) {
        // Detached: the products run on torch's worker threads, where this thread's NoGradGuard
        // does not reach, and out= products refuse tensors that require grad.
        for (const auto& layer : decoderLayers(model)) layers_.push_back({layer.weight.detach(), layer.bias.detach()});
    }

    torch::Tensor decode(const torch::Tensor& z) {
        if (!runsLayers_ || !z.device().is_cpu()) return model_->decode(z);
        const std::int64_t rows = z.size(0);
        buffers_.resize(layers_.size());
        for (std::size_t i = 0; i < layers_.size(); ++i)
            if (!buffers_[i].defined() || buffers_[i].size(0) < rows)
                buffers_[i] = torch::empty({rows, layers_[i].weight.size(0)}, z.options());
        // Each thread takes its rows through every layer: one parallel region per call instead
        // of one per product and activation, and single-threaded products (the BLAS sees that
        // it is inside a parallel region), which ran faster than shared ones here.
        at::parallel_for(0, rows, kRowsPerThread, [&](std::int64_t begin, std::int64_t end) {
            torch::Tensor input = z.narrow(0, begin, end - begin);
            for (std::size_t i = 0; i < layers_.size(); ++i) {
                auto out = buffers_[i].narrow(0, begin, end - begin);
                at::addmm_out(out, layers_[i].bias, input, layers_[i].weight.t());  // as torch::nn::Linear
                if (i + 1 < layers_.size()) activateInPlace(out, activation_);
                input = out;
            }
        });
        return buffers_.back().narrow(0, 0, rows);
    }

private:
    Vae& model_;
    std::vector<WeightedLayer> layers_;
    Activation activation_;
    bool runsLayers_;
    std::vector<torch::Tensor> buffers_;
};

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
    ReusingDecoder decoder(model);
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
            const auto logits = decoder.decode(z.reshape({count * batch, config.latentDim}))
                                    .reshape({count, batch, config.inputDim()});
            const auto logPxGivenZ = logLikelihoodPerRow(logits, x, config);
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
