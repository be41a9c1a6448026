#pragma once
// A model's shape and likelihood, and the named protocols shared by the CLI and the window.
// Plain values: they cross threads and are seen by code that must compile fast (no torch).
#include "training.h"

#include <string>
#include <vector>

namespace vae {

enum class Likelihood { Bernoulli, Gaussian };

std::string likelihoodName(Likelihood likelihood);
Likelihood parseLikelihood(const std::string& name);  // throws ConfigError

struct ModelConfig {
    int imageRows = 28;
    int imageCols = 28;
    // Default for a 2-D latent map: two wide hidden layers give a smooth, well-spread map.
    std::vector<int> encoderHidden{512, 256};
    std::vector<int> decoderHidden{256, 512};
    int latentDim = 2;
    Likelihood likelihood = Likelihood::Bernoulli;
    // Fixed standard deviation of the Gaussian likelihood, in pixel units of [0,1].
    double gaussianSigma = 0.1;

    int inputDim() const { return imageRows * imageCols; }
    // Throws ConfigError naming the bad field. Caps sizes so a typo cannot exhaust memory.
    void validate() const;
    bool operator==(const ModelConfig& other) const;
    bool operator!=(const ModelConfig& other) const { return !(*this == other); }
    std::string describe() const;  // e.g. "784-400-20 bernoulli"
};

// Named protocols shared by the CLI and the window: "pytorch-example" and "seed".
std::vector<std::string> presetNames();
void applyPreset(const std::string& name, ModelConfig& model, TrainOptions& training);  // throws ConfigError

}  // namespace vae
