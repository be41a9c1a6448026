#pragma once
// An encoder-only model for a thread other than the trainer's, as Decoder is for decoding: the
// GUI's encode thread builds one from the EncoderWeights the trainer publishes and places the
// test set on the latent map while training goes on.
#include "images.h"
#include "model_config.h"
#include "network_weights.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace vae {

// A copy of the encoder's parameters: a conv model's convolutions, the hidden layers, then the mu
// layer, then the log-variance layer. Each weight in torch's layout (dense: out x in), row-major.
struct EncoderHalf;
using EncoderWeights = NetworkWeights<EncoderHalf>;

// The posterior q(z|x) = N(mu, diag(exp(logvar))) of `count` images: count x latentDim each,
// row-major.
struct Encodings {
    int count = 0;
    int latentDim = 0;
    std::vector<float> mu;
    std::vector<float> logvar;

    std::vector<float> muOf(int index) const { return row(mu, index); }
    std::vector<float> varianceOf(int index) const;

private:
    std::vector<float> row(const std::vector<float>& values, int index) const {
        const auto first = values.begin() + std::ptrdiff_t(index) * latentDim;
        return {first, first + latentDim};
    }
};

class Encoder {
public:
    explicit Encoder(const EncoderWeights& weights);  // throws ConfigError on inconsistent weights
    ~Encoder();
    Encoder(Encoder&&) noexcept;
    Encoder& operator=(Encoder&&) noexcept;

    void update(const EncoderWeights& weights);  // a copy when the shape is unchanged
    const ModelConfig& config() const;
    // count images of the model's size as bytes (0..255, row-major), as datasets hold them.
    // Throws ConfigError when the byte count is not count images of the model's size.
    Encodings encode(const std::uint8_t* pixels, std::size_t byteCount);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vae
