#pragma once
// The VAE (torch): dense, or convolutional (ModelConfig::architecture). Internal to core:
// nothing outside core/*.cpp includes this.
#include "model_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>

namespace vae {

struct VaeOutput {
    torch::Tensor logits;  // decoder output before the sigmoid, N x inputDim
    torch::Tensor mu;
    torch::Tensor logvar;
};

class VaeImpl : public torch::nn::Module {
public:
    // Modules draw their initial weights from torch's one global generator, which every thread
    // shares. The constructor holds one lock while it seeds that generator (when given a seed)
    // and draws, and every model built anywhere in the process takes the same lock, so a seed
    // gives the same weights whatever another thread (the window's decode and encode threads
    // build models too) does at that moment.
    explicit VaeImpl(const ModelConfig& config, std::optional<std::uint64_t> seed = std::nullopt);

    VaeOutput forward(const torch::Tensor& x);
    // The same with the reparameterisation's standard-normal noise given (N x latentDim).
    VaeOutput forward(const torch::Tensor& x, const torch::Tensor& eps);
    std::pair<torch::Tensor, torch::Tensor> encode(const torch::Tensor& x);
    torch::Tensor decode(const torch::Tensor& z);  // logits
    const ModelConfig& config() const { return config_; }

private:
    ModelConfig config_;
    // Children in the order data meets them; the conv ones exist in conv models only, so an
    // MLP's parameter names are what they always were and old checkpoints load.
    torch::nn::Sequential encoderConv_{nullptr};
    torch::nn::Sequential encoder_{nullptr};
    torch::nn::Linear toMu_{nullptr};
    torch::nn::Linear toLogvar_{nullptr};
    torch::nn::Sequential decoder_{nullptr};
    torch::nn::Sequential decoderConv_{nullptr};
};
TORCH_MODULE(Vae);

// Per-image means over the batch, as tensors so the caller decides when to synchronise.
struct LossTensors {
    torch::Tensor recon;  // -log p(x|z), summed over pixels
    torch::Tensor kl;     // KL(q(z|x) || N(0, I)), summed over latent dimensions
};

LossTensors negativeElboTerms(const VaeOutput& out, const torch::Tensor& x, const ModelConfig& config);
// KL(q(z|x) || N(0, I)) of each image and latent dimension: N x latentDim.
torch::Tensor klPerDimension(const VaeOutput& out);

// -log p(x|z) of each image, summed over its pixels: logits (..., pixels) from the decoder, x
// broadcastable to them. Shape: logits' without the last dimension.
torch::Tensor reconstructionPerImage(const torch::Tensor& logits, const torch::Tensor& x, const ModelConfig& config);

// A layer with parameters (dense, convolution or transposed convolution): y = f(x; weight) + bias.
struct WeightedLayer {
    torch::Tensor weight;
    torch::Tensor bias;
};
// The layers in the order data meets them: the decoder's dense layers then its transposed
// convolutions; the encoder's convolutions, its dense layers, then to_mu and to_logvar. An
// activation (config().activation) follows each but the last of each half.
std::vector<WeightedLayer> decoderLayers(Vae& model);
std::vector<WeightedLayer> encoderLayers(Vae& model);

// Pixels in [0,1] drawn as Bernoulli(p), for rows [begin, begin + p.size(0)) of a block of
// `totalRows` rows drawn from one stream seeded `seed`: a row's draw depends on its place in the
// block, never on which rank draws it.
torch::Tensor bernoulliRows(const torch::Tensor& p, std::int64_t begin, std::int64_t totalRows, std::uint64_t seed);
// uint8 images (0..255) binarized to 0/255, each pixel 255 with probability pixel/255.
torch::Tensor binarizeImages(const torch::Tensor& uint8Images, std::uint64_t seed);

// The decoder's mean image in [0,1] for each latent row.
torch::Tensor decodeMean(Vae& model, const torch::Tensor& z);

}  // namespace vae
