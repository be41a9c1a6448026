#include "model.h"

#include <cmath>
#include <mutex>

namespace vae {
namespace {

void addActivation(torch::nn::Sequential& layers, Activation activation) {
    if (activation == Activation::Tanh) layers->push_back(torch::nn::Tanh());
    else layers->push_back(torch::nn::ReLU());
}

torch::nn::Sequential mlp(int in, const std::vector<int>& widths, Activation activation) {
    torch::nn::Sequential layers;
    for (int width : widths) {
        layers->push_back(torch::nn::Linear(in, width));
        addActivation(layers, activation);
        in = width;
    }
    return layers;
}

// 4x4 kernels at stride 2 with padding 1 halve a side exactly (rounding down); the transposed
// mirror doubles it, and its output padding gives back the odd pixel a halving dropped.
constexpr int kKernel = 4, kStride = 2, kPadding = 1;
torch::nn::Conv2dOptions halving(int in, int out) { return torch::nn::Conv2dOptions(in, out, kKernel).stride(kStride).padding(kPadding); }

torch::nn::Sequential convolutions(const ModelConfig& config) {
    torch::nn::Sequential layers;
    int in = config.imageChannels;
    for (int channels : config.convChannels) {
        layers->push_back(torch::nn::Conv2d(halving(in, channels)));
        addActivation(layers, config.activation);
        in = channels;
    }
    return layers;
}

torch::nn::Sequential transposedConvolutions(const ModelConfig& config) {
    // Sides before each convolution of the encoder, to undo them in reverse.
    std::vector<std::pair<int, int>> sides{{config.imageRows, config.imageCols}};
    for (std::size_t i = 0; i < config.convChannels.size(); ++i) sides.push_back({sides.back().first / 2, sides.back().second / 2});
    torch::nn::Sequential layers;
    for (std::size_t i = config.convChannels.size(); i-- > 0;) {
        const int in = config.convChannels[i], out = i == 0 ? config.imageChannels : config.convChannels[i - 1];
        const auto [rows, cols] = sides[i];
        const auto [smallRows, smallCols] = sides[i + 1];
        layers->push_back(torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in, out, kKernel).stride(kStride).padding(kPadding).output_padding(
            {rows - 2 * smallRows, cols - 2 * smallCols})));
        if (i > 0) addActivation(layers, config.activation);
    }
    return layers;
}

// The weighted layers of the model's children with these names, in order (activations have no
// parameters; a child that is itself weighted counts as one layer).
std::vector<WeightedLayer> weightedLayers(Vae& model, std::initializer_list<const char*> names) {
    std::vector<WeightedLayer> layers;
    const auto take = [&layers](const torch::nn::Module& module) {
        const auto own = module.named_parameters(/*recurse=*/false);
        if (own.contains("weight") && own.contains("bias")) layers.push_back({own["weight"], own["bias"]});
    };
    for (const char* name : names)
        for (const auto& child : model->named_children()) {
            if (child.key() != name) continue;
            take(*child.value());
            for (const auto& layer : child.value()->children()) take(*layer);
        }
    return layers;
}

// Images made from rows with any leading shape (N x D, or K x N x D), flattened back to rows of
// features under the same leading shape.
torch::Tensor rowsLike(const torch::Tensor& images, const torch::Tensor& rows) {
    const auto flat = images.flatten(1);
    auto shape = rows.sizes().slice(0, rows.dim() - 1).vec();
    shape.push_back(flat.size(1));
    return flat.reshape(shape);
}

}  // namespace

std::vector<WeightedLayer> decoderLayers(Vae& model) { return weightedLayers(model, {"decoder", "decoder_conv"}); }
std::vector<WeightedLayer> encoderLayers(Vae& model) {
    return weightedLayers(model, {"encoder_conv", "encoder", "to_mu", "to_logvar"});
}

VaeImpl::VaeImpl(const ModelConfig& config, std::optional<std::uint64_t> seed) : config_(config) {
    config_.validate();
    static std::mutex globalGenerator;
    const std::lock_guard<std::mutex> drawing(globalGenerator);
    if (seed) torch::manual_seed(*seed);
    const bool conv = config.architecture == Architecture::Conv;
    const int flatFeatures = conv ? config.convChannels.back() * config.convRows() * config.convCols() : config.inputDim();
    const int lastEncoder = config.encoderHidden.empty() ? flatFeatures : config.encoderHidden.back();
    const int lastDecoder = config.decoderHidden.empty() ? config.latentDim : config.decoderHidden.back();
    if (conv) encoderConv_ = register_module("encoder_conv", convolutions(config));
    encoder_ = register_module("encoder", mlp(flatFeatures, config.encoderHidden, config.activation));
    toMu_ = register_module("to_mu", torch::nn::Linear(lastEncoder, config.latentDim));
    toLogvar_ = register_module("to_logvar", torch::nn::Linear(lastEncoder, config.latentDim));
    auto decoder = mlp(config.latentDim, config.decoderHidden, config.activation);
    decoder->push_back(torch::nn::Linear(lastDecoder, flatFeatures));
    if (conv) addActivation(decoder, config.activation);  // the transposed convolutions follow
    decoder_ = register_module("decoder", decoder);
    if (conv) decoderConv_ = register_module("decoder_conv", transposedConvolutions(config));
}

std::pair<torch::Tensor, torch::Tensor> VaeImpl::encode(const torch::Tensor& x) {
    auto features = x;
    if (encoderConv_)  // rows of pixels to single-channel images, and their features back to rows
        features = rowsLike(encoderConv_->forward(x.reshape({-1, config_.imageChannels, config_.imageRows, config_.imageCols})), x);
    const auto hidden = config_.encoderHidden.empty() ? features : encoder_->forward(features);
    return {toMu_->forward(hidden), toLogvar_->forward(hidden)};
}

torch::Tensor VaeImpl::decode(const torch::Tensor& z) {
    const auto out = decoder_->forward(z);
    if (!decoderConv_) return out;
    return rowsLike(decoderConv_->forward(out.reshape({-1, config_.convChannels.back(), config_.convRows(), config_.convCols()})), z);
}

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
