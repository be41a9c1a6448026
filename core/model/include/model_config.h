#pragma once
// A model's shape and likelihood, and the named protocols shared by the CLI and the window.
// Plain values: they cross threads and are seen by code that must compile fast (no torch).
#include "errors.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vae {

enum class Likelihood { Bernoulli, Gaussian };

std::string likelihoodName(Likelihood likelihood);
Likelihood parseLikelihood(const std::string& name);  // throws ConfigError

// Mlp: dense layers only. Conv: 4x4 convolutions at stride 2 (each halves the image) before the
// encoder's dense layers, and the decoder's mirror, transposed convolutions, after its own.
enum class Architecture { Mlp, Conv };
std::string architectureName(Architecture architecture);
Architecture parseArchitecture(const std::string& name);  // throws ConfigError

// The nonlinearity after every hidden layer, dense or convolutional.
enum class Activation { Relu, Tanh };
std::string activationName(Activation activation);
Activation parseActivation(const std::string& name);  // throws ConfigError

struct ModelConfig {
    int imageRows = 28;
    int imageCols = 28;
    int imageChannels = 1;  // 1 (grey) or 3 (RGB); checkpoints before format 5 are grey
    // Default for a 2-D latent map: two wide hidden layers give a smooth, well-spread map.
    std::vector<int> encoderHidden{512, 256};
    std::vector<int> decoderHidden{256, 512};
    int latentDim = 2;
    Likelihood likelihood = Likelihood::Bernoulli;
    // Fixed standard deviation of the Gaussian likelihood, in pixel units of [0,1].
    double gaussianSigma = 0.1;
    Architecture architecture = Architecture::Mlp;
    Activation activation = Activation::Relu;
    // Conv only: the encoder's convolutions' output channels, in order; the decoder mirrors them.
    std::vector<int> convChannels{32, 64};

    int inputDim() const { return imageChannels * imageRows * imageCols; }
    // Conv only: the feature map's side after the convolutions, each (s + 2 - 4) / 2 + 1.
    int convRows() const;
    int convCols() const;
    // Throws ConfigError naming the bad field. Caps sizes so a typo cannot exhaust memory: the
    // image size keeps to the settings table's range, and the model must fit (trainingBytes at
    // batch 1, within kMemoryShare of this machine's memory) before anything is allocated.
    // Defined in training/settings_checks.cpp, beside the table whose ranges it checks.
    void validate() const;
    // What training costs at `batchSize`, in bytes: every parameter four times (weights,
    // gradients, Adam's two moments) and every layer's outputs three times per image (output,
    // activation, gradient), in float32. An estimate to refuse the impossible, not a budget.
    std::uint64_t trainingBytes(int batchSize) const;
    bool operator==(const ModelConfig& other) const;
    bool operator!=(const ModelConfig& other) const { return !(*this == other); }
    std::string describe() const;  // e.g. "784-400-20-400-784 bernoulli", "conv 32,64 784-256-32-256-784 ...", "rgb 3072-..."
};

// The share of physical memory a model may need to train: the rest is the data, the window and
// the user's other programs.
inline constexpr double kMemoryShare = 0.5;
std::uint64_t physicalMemoryBytes();
// Throws ConfigError when config.trainingBytes(batchSize) is over kMemoryShare of this machine's
// memory, with both figures in the message. VAE_EXPLORER_MEMORY_LIMIT_MB, when set, is the limit
// instead: for a shared machine or a container whose share is smaller than the machine's, and for
// the fuzz targets, which must never build a model larger than their allocation limit.
void checkTrainingMemory(const ModelConfig& config, int batchSize);

}  // namespace vae
