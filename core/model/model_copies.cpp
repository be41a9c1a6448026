#include "decoder.h"

#include "model_copies.h"
#include "errors.h"

namespace vae {
namespace {

std::vector<float> toVector(const torch::Tensor& tensor) {
    const auto cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return {cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel()};
}

template <typename Weights>
Weights copyLayers(Vae& model, const std::vector<WeightedLayer>& layers) {
    Weights out;
    out.config = model->config();
    for (const auto& layer : layers) {
        out.weights.push_back(toVector(layer.weight));
        out.biases.push_back(toVector(layer.bias));
    }
    return out;
}

template <typename Weights>
void loadLayers(const std::vector<WeightedLayer>& layers, const Weights& weights, const char* part) {
    if (layers.size() != weights.weights.size() || layers.size() != weights.biases.size())
        throw ConfigError(std::string(part) + " weights have the wrong number of layers");
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        auto w = layers[i].weight;
        auto b = layers[i].bias;
        if (std::size_t(w.numel()) != weights.weights[i].size() || std::size_t(b.numel()) != weights.biases[i].size())
            throw ConfigError(std::string(part) + " layer " + std::to_string(i + 1) + " has the wrong size");
        w.copy_(torch::from_blob(const_cast<float*>(weights.weights[i].data()), w.sizes(), torch::kFloat32));
        b.copy_(torch::from_blob(const_cast<float*>(weights.biases[i].data()), b.sizes(), torch::kFloat32));
    }
}

}  // namespace

DecoderWeights copyDecoderWeights(Vae& model) { return copyLayers<DecoderWeights>(model, decoderLayers(model)); }
void loadDecoderWeights(Vae& model, const DecoderWeights& weights) { loadLayers(decoderLayers(model), weights, "decoder"); }
EncoderWeights copyEncoderWeights(Vae& model) { return copyLayers<EncoderWeights>(model, encoderLayers(model)); }
void loadEncoderWeights(Vae& model, const EncoderWeights& weights) { loadLayers(encoderLayers(model), weights, "encoder"); }

Images toImages(const torch::Tensor& images, const ModelConfig& config) {
    const auto cpu = images.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    Images out{int(cpu.size(0)), config.imageRows, config.imageCols, {}, config.imageChannels};
    out.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return out;
}

Encodings encodeRows(Vae& model, const torch::Tensor& uint8Rows, torch::Device device) {
    torch::NoGradGuard noGrad;
    const std::int64_t count = uint8Rows.size(0);
    Encodings out;
    out.count = int(count);
    out.latentDim = model->config().latentDim;
    out.mu.reserve(std::size_t(count) * out.latentDim);
    out.logvar.reserve(out.mu.capacity());
    constexpr std::int64_t kBatch = 1000;  // bounds the hidden activations' memory
    for (std::int64_t start = 0; start < count; start += kBatch) {
        const auto x = uint8Rows.slice(0, start, std::min(count, start + kBatch)).to(device, torch::kFloat32).div_(255);
        const auto [mu, logvar] = model->encode(x);
        for (auto [tensor, target] : {std::pair{mu, &out.mu}, std::pair{logvar, &out.logvar}}) {
            const auto values = toVector(tensor);
            target->insert(target->end(), values.begin(), values.end());
        }
    }
    return out;
}

std::vector<float> Encodings::varianceOf(int index) const {
    auto values = row(logvar, index);
    for (auto& value : values) value = std::exp(value);
    return values;
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
    if (weights.config == config()) loadDecoderWeights(impl_->model, weights);
    else impl_ = std::make_unique<Impl>(weights);
}

const ModelConfig& Decoder::config() const { return impl_->model->config(); }

Images Decoder::decode(const std::vector<float>& latents) {
    const int dim = config().latentDim;
    if (latents.empty() || latents.size() % std::size_t(dim) != 0)
        throw ConfigError("decode: expected a multiple of " + std::to_string(dim) + " latent values");
    torch::NoGradGuard noGrad;
    const auto z = torch::from_blob(const_cast<float*>(latents.data()), {std::int64_t(latents.size()) / dim, dim},
                                    torch::kFloat32);
    return toImages(decodeMean(impl_->model, z), config());
}

struct Encoder::Impl {
    explicit Impl(const EncoderWeights& w) : model(w.config) { loadEncoderWeights(model, w); }
    Vae model;  // as in Decoder: the unused half keeps one encode path for the session and here
};

Encoder::Encoder(const EncoderWeights& weights) : impl_(std::make_unique<Impl>(weights)) {}
Encoder::~Encoder() = default;
Encoder::Encoder(Encoder&&) noexcept = default;
Encoder& Encoder::operator=(Encoder&&) noexcept = default;

void Encoder::update(const EncoderWeights& weights) {
    if (weights.config == config()) loadEncoderWeights(impl_->model, weights);
    else impl_ = std::make_unique<Impl>(weights);
}

const ModelConfig& Encoder::config() const { return impl_->model->config(); }

Encodings Encoder::encode(const std::uint8_t* pixels, std::size_t byteCount) {
    const std::size_t pixelsPerImage = std::size_t(config().inputDim());
    if (byteCount == 0 || byteCount % pixelsPerImage != 0)
        throw ConfigError("encode: " + std::to_string(byteCount) + " bytes are not whole " +
                          std::to_string(config().imageRows) + "x" + std::to_string(config().imageCols) +
                          (config().imageChannels == 3 ? " RGB" : "") + " images");
    const auto rows = torch::from_blob(const_cast<std::uint8_t*>(pixels),
                                       {std::int64_t(byteCount / pixelsPerImage), std::int64_t(pixelsPerImage)}, torch::kUInt8);
    return encodeRows(impl_->model, rows, torch::kCPU);
}

}  // namespace vae
