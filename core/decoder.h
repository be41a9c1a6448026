#pragma once
// A decoder-only model for a thread other than the trainer's: the GUI's decode thread builds
// one from the DecoderWeights the trainer publishes, so clicks never wait for a training step.
#include "types.h"

#include <memory>

namespace vae {

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
    GrayImages decode(const std::vector<float>& latents);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vae
