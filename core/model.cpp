#include "model.h"

#include <cmath>

namespace vae {
namespace {

torch::nn::Sequential mlp(int in, const std::vector<int>& widths) {
    torch::nn::Sequential layers;
    for (int width : widths) {
        layers->push_back(torch::nn::Linear(in, width));
        layers->push_back(torch::nn::ReLU());
        in = width;
    }
    return layers;
}

// The Linear layers of the model's children with these names, in order (ReLUs have no
// parameters; a child that is itself a Linear counts as one layer).
std::vector<torch::nn::Linear> linearLayers(Vae& model, std::initializer_list<const char*> names) {
    std::vector<torch::nn::Linear> layers;
    for (const char* name : names)
        for (const auto& child : model->named_children()) {
            if (child.key() != name) continue;
            if (auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(child.value()))
                layers.emplace_back(linear);
            for (const auto& layer : child.value()->children())
                if (auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(layer)) layers.emplace_back(linear);
        }
    return layers;
}

}  // namespace

std::vector<torch::nn::Linear> decoderLayers(Vae& model) { return linearLayers(model, {"decoder"}); }
std::vector<torch::nn::Linear> encoderLayers(Vae& model) {
    return linearLayers(model, {"encoder", "to_mu", "to_logvar"});
}

VaeImpl::VaeImpl(const ModelConfig& config) : config_(config) {
    config_.validate();
    const int lastEncoder = config.encoderHidden.empty() ? config.inputDim() : config.encoderHidden.back();
    const int lastDecoder = config.decoderHidden.empty() ? config.latentDim : config.decoderHidden.back();
    encoder_ = register_module("encoder", mlp(config.inputDim(), config.encoderHidden));
    toMu_ = register_module("to_mu", torch::nn::Linear(lastEncoder, config.latentDim));
    toLogvar_ = register_module("to_logvar", torch::nn::Linear(lastEncoder, config.latentDim));
    auto decoder = mlp(config.latentDim, config.decoderHidden);
    decoder->push_back(torch::nn::Linear(lastDecoder, config.inputDim()));
    decoder_ = register_module("decoder", decoder);
}

std::pair<torch::Tensor, torch::Tensor> VaeImpl::encode(const torch::Tensor& x) {
    const auto hidden = config_.encoderHidden.empty() ? x : encoder_->forward(x);
    return {toMu_->forward(hidden), toLogvar_->forward(hidden)};
}

torch::Tensor VaeImpl::decode(const torch::Tensor& z) { return decoder_->forward(z); }

VaeOutput VaeImpl::forward(const torch::Tensor& x) {
    return forward(x, torch::randn({x.size(0), config_.latentDim}, x.options()));
}

VaeOutput VaeImpl::forward(const torch::Tensor& x, const torch::Tensor& eps) {
    auto [mu, logvar] = encode(x);
    // Reparameterisation: z = mu + sigma * eps keeps the sample differentiable in mu, logvar.
    const auto z = mu + torch::exp(0.5 * logvar) * eps;
    return {decode(z), mu, logvar};
}

torch::Tensor reconstructionPerImage(const torch::Tensor& logits, const torch::Tensor& x, const ModelConfig& config) {
    const auto target = x.expand_as(logits);
    if (config.likelihood == Likelihood::Bernoulli)
        return torch::binary_cross_entropy_with_logits(logits, target, {}, {}, at::Reduction::None).sum(-1);
    // Gaussian with fixed sigma around the sigmoid mean: a real log-density, not a bare MSE.
    const double sigma = config.gaussianSigma;
    const double constant = double(logits.size(-1)) * (std::log(sigma) + 0.5 * std::log(2 * M_PI));
    return (target - torch::sigmoid(logits)).pow(2).sum(-1) / (2 * sigma * sigma) + constant;
}

torch::Tensor klPerDimension(const VaeOutput& out) { return -0.5 * (1 + out.logvar - out.mu.pow(2) - out.logvar.exp()); }

LossTensors negativeElboTerms(const VaeOutput& out, const torch::Tensor& x, const ModelConfig& config) {
    const auto batch = double(x.size(0));
    const auto reconSum = reconstructionPerImage(out.logits, x, config).sum();
    const auto klSum = klPerDimension(out).sum();
    return {reconSum / batch, klSum / batch};
}

torch::Tensor bernoulliRows(const torch::Tensor& p, std::int64_t begin, std::int64_t totalRows, std::uint64_t seed) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto uniform = torch::rand({totalRows, p.size(1)}, generator).slice(0, begin, begin + p.size(0));
    return uniform.to(p.device()).lt(p).to(torch::kFloat32);
}

torch::Tensor binarizeImages(const torch::Tensor& uint8Images, std::uint64_t seed) {
    // In chunks, each from its own stream: a float copy of a whole training set is 190 MB.
    constexpr std::int64_t kChunk = 10000;
    const auto flat = uint8Images.reshape({uint8Images.size(0), -1});
    auto out = torch::empty_like(flat);
    for (std::int64_t start = 0, chunk = 0; start < flat.size(0); start += kChunk, ++chunk) {
        const auto rows = flat.slice(0, start, std::min(flat.size(0), start + kChunk));
        const auto p = rows.to(torch::kFloat32).div_(255);
        out.slice(0, start, start + rows.size(0)).copy_(bernoulliRows(p, 0, rows.size(0), seed + std::uint64_t(chunk)).mul_(255));
    }
    return out.view_as(uint8Images);
}

torch::Tensor decodeMean(Vae& model, const torch::Tensor& z) { return torch::sigmoid(model->decode(z)); }

}  // namespace vae
