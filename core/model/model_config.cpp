#include "model_config.h"

#include "errors.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace vae {

std::uint64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? std::uint64_t(pages) * std::uint64_t(pageSize) : std::uint64_t(8) << 30;
}

std::string likelihoodName(Likelihood likelihood) {
    return likelihood == Likelihood::Bernoulli ? "bernoulli" : "gaussian";
}

Likelihood parseLikelihood(const std::string& name) {
    if (name == "bernoulli") return Likelihood::Bernoulli;
    if (name == "gaussian") return Likelihood::Gaussian;
    throw ConfigError("likelihood '" + name + "' is not bernoulli or gaussian");
}

std::string architectureName(Architecture architecture) { return architecture == Architecture::Mlp ? "mlp" : "conv"; }

Architecture parseArchitecture(const std::string& name) {
    if (name == "mlp") return Architecture::Mlp;
    if (name == "conv") return Architecture::Conv;
    throw ConfigError("architecture '" + name + "' is not mlp or conv");
}

std::string activationName(Activation activation) { return activation == Activation::Relu ? "relu" : "tanh"; }

Activation parseActivation(const std::string& name) {
    if (name == "relu") return Activation::Relu;
    if (name == "tanh") return Activation::Tanh;
    throw ConfigError("activation '" + name + "' is not relu or tanh");
}

namespace {
// A 4x4 convolution at stride 2 with padding 1 maps a side s to (s + 2 - 4) / 2 + 1 = floor(s / 2).
int afterConvolutions(int side, std::size_t layers) {
    for (std::size_t i = 0; i < layers; ++i) side /= 2;
    return side;
}
}  // namespace

int ModelConfig::convRows() const { return afterConvolutions(imageRows, convChannels.size()); }
int ModelConfig::convCols() const { return afterConvolutions(imageCols, convChannels.size()); }

std::uint64_t ModelConfig::trainingBytes(int batchSize) const {
    std::uint64_t parameters = 0, outputsPerImage = 0;
    const auto dense = [&](std::uint64_t in, std::uint64_t out) {
        parameters += in * out + out;
        outputsPerImage += out;
    };
    std::uint64_t features = std::uint64_t(inputDim());
    if (architecture == Architecture::Conv) {
        // 4x4 convolutions at stride 2 (and their transposed mirror in the decoder, counted twice).
        std::uint64_t channels = std::uint64_t(imageChannels), rows = std::uint64_t(imageRows), cols = std::uint64_t(imageCols);
        for (int next : convChannels) {
            rows = std::uint64_t(afterConvolutions(int(rows), 1));
            cols = std::uint64_t(afterConvolutions(int(cols), 1));
            parameters += 2 * (channels * std::uint64_t(next) * 16 + std::uint64_t(next));
            outputsPerImage += 2 * std::uint64_t(next) * rows * cols;
            channels = std::uint64_t(next);
        }
        features = channels * rows * cols;
    }
    std::uint64_t width = features;
    for (int next : encoderHidden) dense(width, std::uint64_t(next)), width = std::uint64_t(next);
    dense(width, 2 * std::uint64_t(latentDim));  // mu and log-variance
    width = std::uint64_t(latentDim);
    for (int next : decoderHidden) dense(width, std::uint64_t(next)), width = std::uint64_t(next);
    dense(width, features);
    return 4 * (4 * parameters + 3 * outputsPerImage * std::uint64_t(std::max(1, batchSize)));
}

std::optional<std::uint64_t> memoryLimitOverride() {
    const char* text = std::getenv("VAE_EXPLORER_MEMORY_LIMIT_MB");
    if (!text || !*text) return std::nullopt;
    char* end = nullptr;
    const unsigned long long megabytes = std::strtoull(text, &end, 10);
    if (*end != '\0' || megabytes == 0 || megabytes > (1ull << 30))
        throw ConfigError(std::string("VAE_EXPLORER_MEMORY_LIMIT_MB='") + text + "' is not a number of megabytes");
    return megabytes << 20;
}

void checkTrainingMemory(const ModelConfig& config, int batchSize) {
    const auto override = memoryLimitOverride();
    const std::uint64_t limit = override ? *override : std::uint64_t(kMemoryShare * double(physicalMemoryBytes()));
    const std::uint64_t needed = config.trainingBytes(batchSize);
    if (needed <= limit) return;
    const auto gib = [](std::uint64_t bytes) {
        std::ostringstream text;
        text.precision(bytes < (std::uint64_t(10) << 30) ? 2 : 0);
        text << std::fixed << double(bytes) / double(std::uint64_t(1) << 30) << " GiB";
        return text.str();
    };
    throw ConfigError("the model " + config.describe() + " needs about " + gib(needed) + " to train" +
                      (batchSize > 1 ? " at batch " + std::to_string(batchSize) : std::string()) +
                      " (weights, gradients, Adam's state and activations), more than " +
                      (override ? "VAE_EXPLORER_MEMORY_LIMIT_MB's " + gib(limit)
                                : std::to_string(int(kMemoryShare * 100)) + "% of this machine's " +
                                      gib(physicalMemoryBytes()) + " (" + gib(limit) + ")"));
}

bool ModelConfig::operator==(const ModelConfig& o) const {
    return imageRows == o.imageRows && imageCols == o.imageCols && imageChannels == o.imageChannels &&
           encoderHidden == o.encoderHidden &&
           decoderHidden == o.decoderHidden && latentDim == o.latentDim && likelihood == o.likelihood &&
           (likelihood == Likelihood::Bernoulli || gaussianSigma == o.gaussianSigma) && architecture == o.architecture &&
           activation == o.activation && (architecture == Architecture::Mlp || convChannels == o.convChannels);
}

std::string ModelConfig::describe() const {
    std::ostringstream text;
    if (imageChannels == 3) text << "rgb ";
    if (architecture == Architecture::Conv) {
        text << "conv ";
        for (std::size_t i = 0; i < convChannels.size(); ++i) text << (i ? "," : "") << convChannels[i];
        text << ' ';
    }
    text << inputDim();
    for (int width : encoderHidden) text << '-' << width;
    text << '-' << latentDim;
    for (int width : decoderHidden) text << '-' << width;
    text << '-' << inputDim() << ' ' << likelihoodName(likelihood);
    if (likelihood == Likelihood::Gaussian) text << " (sigma " << gaussianSigma << ')';
    if (activation != Activation::Relu) text << ' ' << activationName(activation);
    return text.str();
}

}  // namespace vae
