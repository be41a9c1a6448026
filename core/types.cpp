#include "types.h"

#include "errors.h"

#include <cmath>
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

void TrainOptions::validate() const {
    if (epochs < 1 || epochs > 100000) throw ConfigError("--epochs: must be between 1 and 100000");
    if (batchSize < 1 || batchSize > 65536) throw ConfigError("--batch-size: must be between 1 and 65536");
    if (!(learningRate > 0) || !std::isfinite(learningRate))
        throw ConfigError("--lr: must be a positive number");
    if (!(beta >= 0) || !std::isfinite(beta)) throw ConfigError("--beta: must be a number >= 0");
    if (progressEveryBatches < 1) throw ConfigError("progress interval must be at least 1 batch");
}

}  // namespace vae
