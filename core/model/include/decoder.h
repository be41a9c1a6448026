#pragma once
// A decoder-only model for a thread other than the trainer's: the GUI's decode thread builds
// one from the DecoderWeights the trainer publishes, so clicks never wait for a training step.
#include "images.h"
#include "model_config.h"
#include "network_weights.h"

#include <memory>

namespace vae {

// A copy of the decoder's parameters: how the model reaches the GUI's decode thread without
// sharing tensors. Weighted layers in order (dense, then a conv model's transposed
// convolutions), each weight in torch's layout, row-major: the same for every architecture.
struct DecoderHalf;
using DecoderWeights = NetworkWeights<DecoderHalf>;

class Decoder {
public:
    explicit Decoder(const DecoderWeights& weights);  // throws ConfigError on inconsistent weights
    ~Decoder();
    Decoder(Decoder&&) noexcept;
    Decoder& operator=(Decoder&&) noexcept;

    // Takes newer weights: a copy when the shape is unchanged, a rebuild otherwise.
    void update(const DecoderWeights& weights);

    const ModelConfig& config() const;
    // latents: count x latentDim, row-major. The decoder's mean images, as Session::decode.
    Images decode(const std::vector<float>& latents);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vae
