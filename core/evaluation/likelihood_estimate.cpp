#include "likelihood_estimate.h"

#include "errors.h"
#include "vector_math.h"

#include <chrono>
#include <cmath>
#include <exception>

namespace vae {
namespace {

// Latent rows drawn and decoded per chunk: about 13 MB of 784-pixel logits, enough tasks for
// every thread, and a cancel waits for one chunk at most.
constexpr std::int64_t kRowsPerDecode = 4096;
// Rows one task takes through the decoder and the likelihood (whole samples, at least one):
// 128 rows of 784 logits stay in a core's cache between the product and the kernel.
constexpr std::int64_t kRowsPerTask = 128;

// log p(x | z) for latents z (samples x images x latent) against the images x (images x pixels).
// An MLP on the CPU runs layer by layer into buffers kept between calls: the estimate decodes
// k x images rows (50 million at k = 5000 on the test set), and a fresh 13 MB logits tensor per
// call cost page faults, torch's tanh a tenth of SLEEF's speed. Other models decode as usual.
class SampleScorer {
public:
    explicit SampleScorer(Vae& model)
        : model_(model), config_(model->config()),
          runsLayers_(config_.architecture == Architecture::Mlp) {
        // Detached: the products run on OpenMP's threads, where this thread's NoGradGuard does
        // not reach, and out= products refuse tensors that require grad.
        for (const auto& layer : decoderLayers(model)) layers_.push_back({layer.weight.detach(), layer.bias.detach()});
    }

    torch::Tensor logLikelihood(const torch::Tensor& z, const torch::Tensor& x) {
        const std::int64_t samples = z.size(0), images = z.size(1);
        const auto rows = z.reshape({samples * images, z.size(2)});
        if (!runsLayers_ || !z.device().is_cpu())
            return logLikelihoodPerRow(model_->decode(rows).reshape({samples, images, config_.inputDim()}), x, config_);
        buffers_.resize(layers_.size());
        for (std::size_t i = 0; i < layers_.size(); ++i)
            if (!buffers_[i].defined() || buffers_[i].size(0) < rows.size(0))
                buffers_[i] = torch::empty({rows.size(0), layers_[i].weight.size(0)}, rows.options());
        auto out = torch::empty({samples, images}, torch::kFloat);
        const std::int64_t samplesPerTask = std::max<std::int64_t>(1, kRowsPerTask / images);
        const std::int64_t tasks = (samples + samplesPerTask - 1) / samplesPerTask;
        // Each task takes a few samples through every layer and the likelihood: one parallel
        // region per call, single-threaded products (the BLAS sees that it is inside one). The
        // tasks are handed out one at a time (OpenMP's dynamic schedule), not split in equal
        // halves as at::parallel_for does: where another process holds one of the cores, the
        // thread that shares it no longer keeps the other waiting (bench/eval_speed.sh).
        std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(at::get_num_threads())
        for (std::int64_t task = 0; task < tasks; ++task) {
            try {
                const std::int64_t first = task * samplesPerTask;
                const std::int64_t count = std::min(samplesPerTask, samples - first);
                const auto logits = layers(rows, first * images, (first + count) * images);
                out.narrow(0, first, count).copy_(logLikelihoodPerRow(logits.reshape({count, images, -1}), x, config_));
            } catch (...) {
#pragma omp critical
                if (!failure) failure = std::current_exception();
            }
        }
        if (failure) std::rethrow_exception(failure);
        return out;
    }

private:
    // Rows [begin, end) of `rows` through the decoder's layers; their logits (a view of a buffer).
    torch::Tensor layers(const torch::Tensor& rows, std::int64_t begin, std::int64_t end) {
        torch::Tensor input = rows.narrow(0, begin, end - begin);
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            auto out = buffers_[i].narrow(0, begin, end - begin);
            at::addmm_out(out, layers_[i].bias, input, layers_[i].weight.t());  // as torch::nn::Linear
            if (i + 1 < layers_.size()) activateInPlace(out, config_.activation);
            input = out;
        }
        return input;
    }

    Vae& model_;
    ModelConfig config_;
    bool runsLayers_;
    std::vector<WeightedLayer> layers_;
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
    SampleScorer scorer(model);
    LikelihoodEstimate estimate;
    const auto stopAsked = [&](std::int64_t imagesDone) { return progress && !progress(int(imagesDone), int(total)); };
    const auto cancelled = [&] {
        model->train();
        estimate.cancelled = true;
        return estimate;
    };
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
            const auto logPxGivenZ = scorer.logLikelihood(z, x);
            const auto logPz = -0.5 * z.pow(2).sum(-1) - config.latentDim * halfLog2Pi;
            const auto logQzGivenX = -0.5 * (eps.pow(2) + logvar).sum(-1) - config.latentDim * halfLog2Pi;
            logWeights.slice(0, s, s + count).copy_((logPxGivenZ + logPz - logQzGivenX).to(torch::kCPU, torch::kFloat64));
            // Asked between chunks too, so that a cancel lands within one chunk even at a large k.
            if (s + count < k && stopAsked(first)) return cancelled();
        }
        sumLogMeanWeight += (torch::logsumexp(logWeights, 0) - std::log(double(k))).sum().item<double>();
        sumLogWeight += logWeights.mean(0).sum().item<double>();
        if (stopAsked(first + batch)) return cancelled();
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
