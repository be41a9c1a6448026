#include "types.h"

#include "errors.h"

#include <cmath>
#include <random>
#include <sstream>

namespace vae {
namespace {
constexpr int kMaxLayerWidth = 16384;
constexpr int kMaxLatentDim = 1024;
constexpr int kMaxLayers = 16;

void checkLayers(const std::vector<int>& widths, const char* option) {
    if (widths.size() > std::size_t(kMaxLayers))
        throw ConfigError(std::string(option) + ": at most " + std::to_string(kMaxLayers) + " hidden layers");
    for (int width : widths)
        if (width < 1 || width > kMaxLayerWidth)
            throw ConfigError(std::string(option) + ": layer width " + std::to_string(width) +
                              " is outside 1.." + std::to_string(kMaxLayerWidth));
}
}  // namespace

std::string likelihoodName(Likelihood likelihood) {
    return likelihood == Likelihood::Bernoulli ? "bernoulli" : "gaussian";
}

Likelihood parseLikelihood(const std::string& name) {
    if (name == "bernoulli") return Likelihood::Bernoulli;
    if (name == "gaussian") return Likelihood::Gaussian;
    throw ConfigError("--likelihood: '" + name + "' is not bernoulli or gaussian");
}

void ModelConfig::validate() const {
    if (imageRows < 1 || imageCols < 1 || imageRows > 4096 || imageCols > 4096)
        throw ConfigError("image size " + std::to_string(imageRows) + "x" + std::to_string(imageCols) +
                          " is not supported");
    if (latentDim < 1 || latentDim > kMaxLatentDim)
        throw ConfigError("--latent-dim: " + std::to_string(latentDim) + " is outside 1.." +
                          std::to_string(kMaxLatentDim));
    checkLayers(encoderHidden, "--hidden");
    checkLayers(decoderHidden, "--hidden (decoder)");
    if (!(gaussianSigma > 0) || !std::isfinite(gaussianSigma))
        throw ConfigError("gaussian sigma must be a positive number");
}

bool ModelConfig::operator==(const ModelConfig& o) const {
    return imageRows == o.imageRows && imageCols == o.imageCols && encoderHidden == o.encoderHidden &&
           decoderHidden == o.decoderHidden && latentDim == o.latentDim && likelihood == o.likelihood &&
           (likelihood == Likelihood::Bernoulli || gaussianSigma == o.gaussianSigma);
}

std::string ModelConfig::describe() const {
    std::ostringstream text;
    text << inputDim();
    for (int width : encoderHidden) text << '-' << width;
    text << '-' << latentDim;
    for (int width : decoderHidden) text << '-' << width;
    text << '-' << inputDim() << ' ' << likelihoodName(likelihood);
    if (likelihood == Likelihood::Gaussian) text << " (sigma " << gaussianSigma << ')';
    return text.str();
}

std::vector<std::string> presetNames() { return {"pytorch-example", "seed"}; }

void applyPreset(const std::string& name, ModelConfig& model, TrainOptions& training) {
    if (name == "pytorch-example") {
        // pytorch/examples vae/main.py: 784-400-20, Bernoulli, batch 128, Adam 1e-3, 10 epochs.
        model.encoderHidden = {400};
        model.decoderHidden = {400};
        model.latentDim = 20;
        model.likelihood = Likelihood::Bernoulli;
        training.batchSize = 128;
        training.learningRate = 1e-3;
        training.epochs = 10;
    } else if (name == "seed") {
        // The seed article's network with its bugs fixed: Gaussian (MSE) likelihood, sigmoid output.
        model.encoderHidden = {128, 64, 32};
        model.decoderHidden = {32, 64};
        model.latentDim = 2;
        model.likelihood = Likelihood::Gaussian;
    } else {
        throw ConfigError("--preset: unknown preset '" + name + "' (use pytorch-example or seed)");
    }
}

void TrainOptions::validate() const {
    if (epochs < 1 || epochs > 100000) throw ConfigError("--epochs: must be between 1 and 100000");
    if (batchSize < 1 || batchSize > 65536) throw ConfigError("--batch-size: must be between 1 and 65536");
    if (!(learningRate > 0) || !std::isfinite(learningRate))
        throw ConfigError("--lr: must be a positive number");
    if (!(beta >= 0) || !std::isfinite(beta)) throw ConfigError("--beta: must be a number >= 0");
    if (progressEveryBatches < 1) throw ConfigError("progress interval must be at least 1 batch");
}

}  // namespace vae

namespace vae {

std::vector<float> latentGrid(int n, double range) {
    std::vector<float> points;
    points.reserve(std::size_t(std::max(n, 0)) * std::max(n, 0) * 2);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const auto [z1, z2] = latentAt((col + 0.5) / n, (row + 0.5) / n, range);
            points.push_back(z1);
            points.push_back(z2);
        }
    return points;
}

std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> latents(std::size_t(std::max(count, 0)) * std::max(latentDim, 0));
    for (auto& value : latents) value = normal(random);
    return latents;
}

std::pair<float, float> latentAt(double fx, double fy, double range) {
    return {float((2 * fx - 1) * range), float((1 - 2 * fy) * range)};
}

std::vector<float> embedPoints(const std::vector<float>& points2d, int latentDim, int axisX, int axisY) {
    if (axisX < 0 || axisY < 0 || axisX >= latentDim || axisY >= latentDim)
        throw ConfigError("latent axes " + std::to_string(axisX + 1) + " and " + std::to_string(axisY + 1) +
                          " do not exist in a " + std::to_string(latentDim) + "-D latent space");
    const std::size_t count = points2d.size() / 2;
    std::vector<float> latents(count * std::size_t(latentDim), 0.0f);
    for (std::size_t i = 0; i < count; ++i) {
        latents[i * latentDim + axisX] = points2d[2 * i];
        latents[i * latentDim + axisY] = points2d[2 * i + 1];
    }
    return latents;
}

}  // namespace vae
