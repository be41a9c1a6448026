#include "decoder.h"

#include "decoder_weights.h"
#include "errors.h"

namespace vae {
namespace {

// The decoder's Linear layers in order (ReLUs have no parameters).
std::vector<torch::nn::Linear> decoderLayers(Vae& model) {
    std::vector<torch::nn::Linear> layers;
    for (const auto& child : model->named_children())
        if (child.key() == "decoder")
            for (const auto& layer : child.value()->children())
                if (auto linear = std::dynamic_pointer_cast<torch::nn::LinearImpl>(layer))
                    layers.emplace_back(linear);
    return layers;
}

std::vector<float> toVector(const torch::Tensor& tensor) {
    const auto cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return {cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel()};
}

}  // namespace

DecoderWeights copyDecoderWeights(Vae& model) {
    DecoderWeights out;
    out.config = model->config();
    for (auto& layer : decoderLayers(model)) {
        out.weights.push_back(toVector(layer->weight));
        out.biases.push_back(toVector(layer->bias));
    }
    return out;
}

void loadDecoderWeights(Vae& model, const DecoderWeights& weights) {
    auto layers = decoderLayers(model);
    if (layers.size() != weights.weights.size() || layers.size() != weights.biases.size())
        throw ConfigError("decoder weights have the wrong number of layers");
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        auto& w = layers[i]->weight;
        auto& b = layers[i]->bias;
        if (std::size_t(w.numel()) != weights.weights[i].size() || std::size_t(b.numel()) != weights.biases[i].size())
            throw ConfigError("decoder layer " + std::to_string(i + 1) + " has the wrong size");
        w.copy_(torch::from_blob(const_cast<float*>(weights.weights[i].data()), w.sizes(), torch::kFloat32));
        b.copy_(torch::from_blob(const_cast<float*>(weights.biases[i].data()), b.sizes(), torch::kFloat32));
    }
}

GrayImages toGrayImages(const torch::Tensor& images, const ModelConfig& config) {
    const auto cpu = images.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    GrayImages out{int(cpu.size(0)), config.imageRows, config.imageCols, {}};
    out.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return out;
}

struct Decoder::Impl {
    explicit Impl(const DecoderWeights& w) : model(w.config) { loadDecoderWeights(model, w); }
    Vae model;  // the encoder is built too but never used; it keeps one decode path for both
};

Decoder::Decoder(const DecoderWeights& weights) : impl_(std::make_unique<Impl>(weights)) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

void Decoder::update(const DecoderWeights& weights) {
    if (weights.config == config()) {
        loadDecoderWeights(impl_->model, weights);
    } else {
        impl_ = std::make_unique<Impl>(weights);
    }
}

const ModelConfig& Decoder::config() const { return impl_->model->config(); }

GrayImages Decoder::decode(const std::vector<float>& latents) {
    const int dim = config().latentDim;
    if (latents.empty() || latents.size() % std::size_t(dim) != 0)
        throw ConfigError("decode: expected a multiple of " + std::to_string(dim) + " latent values");
    torch::NoGradGuard noGrad;
    const auto z = torch::from_blob(const_cast<float*>(latents.data()), {std::int64_t(latents.size()) / dim, dim},
                                    torch::kFloat32);
    return toGrayImages(decodeMean(impl_->model, z), config());
}

}  // namespace vae
