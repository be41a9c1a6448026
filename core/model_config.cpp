#include "model_config.h"

#include "errors.h"
#include "settings.h"

#include <cmath>
#include <sstream>

namespace vae {

std::string likelihoodName(Likelihood likelihood) {
    return likelihood == Likelihood::Bernoulli ? "bernoulli" : "gaussian";
}

Likelihood parseLikelihood(const std::string& name) {
    if (name == "bernoulli") return Likelihood::Bernoulli;
    if (name == "gaussian") return Likelihood::Gaussian;
    throw ConfigError("likelihood '" + name + "' is not bernoulli or gaussian");
}

void ModelConfig::validate() const {
    if (imageRows < 1 || imageCols < 1 || imageRows > 4096 || imageCols > 4096)
        throw ConfigError("image size " + std::to_string(imageRows) + "x" + std::to_string(imageCols) +
                          " is not supported");
    RunSettings run;
    run.model = *this;
    vae::validate(run, SettingGroup::Model);  // the ranges live in the settings table
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
        throw ConfigError("unknown preset '" + name + "' (use pytorch-example or seed)");
    }
}

}  // namespace vae
