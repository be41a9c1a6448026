#include "model_config.h"

#include "errors.h"
#include "settings.h"

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

void ModelConfig::validate() const {
    // The table's largest image size: what an image folder may be resized to (IDX files may be
    // smaller, so the smallest is not the table's).
    const double largest = findSetting("image_size")->max;
    if (imageRows < 1 || imageCols < 1 || imageRows > largest || imageCols > largest)
        throw SettingError(*findSetting("image_size"), "image size " + std::to_string(imageRows) + "x" + std::to_string(imageCols) +
                          " is not supported (at most " + std::to_string(int(largest)) + "x" +
                          std::to_string(int(largest)) + ")");
    if (imageChannels != 1 && imageChannels != 3)
        throw ConfigError("images of " + std::to_string(imageChannels) + " channels are not supported (1: grey, 3: RGB)");
    if (architecture == Architecture::Conv && (convChannels.empty() || convRows() < 1 || convCols() < 1))
        throw SettingError(*findSetting("conv_channels"), "a conv model's " + std::to_string(convChannels.size()) + " convolutions, each halving the image, "
                          "leave nothing of " + std::to_string(imageRows) + "x" + std::to_string(imageCols) + " images");
    RunSettings run;
    run.model = *this;
    vae::validate(run, SettingGroup::Model);  // the ranges live in the settings table
    checkTrainingMemory(*this, 1);  // the batch's share is checked where the batch size is known
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

std::vector<std::string> presetNames() { return {"pytorch-example", "paper", "conv", "seed", "emoji", "sprites-beta", "sprites-tc"}; }

void applyPreset(const std::string& name, ModelConfig& model, TrainOptions& training) {
    // A preset starts from the defaults of what any preset sets, so the one chosen before it
    // leaves nothing behind.
    const ModelConfig defaultModel;
    const TrainOptions defaultTraining;
    model.architecture = defaultModel.architecture;
    model.activation = defaultModel.activation;
    model.convChannels = defaultModel.convChannels;
    training.binarize = defaultTraining.binarize;
    training.beta = defaultTraining.beta;
    training.objective = defaultTraining.objective;
    training.lrDecay = defaultTraining.lrDecay;
    training.lrDecayEvery = defaultTraining.lrDecayEvery;
    if (name == "pytorch-example") {
        // pytorch/examples vae/main.py: 784-400-20, Bernoulli, batch 128, Adam 1e-3, 10 epochs.
        model.encoderHidden = {400};
        model.decoderHidden = {400};
        model.latentDim = 20;
        model.likelihood = Likelihood::Bernoulli;
        training.batchSize = 128;
        training.learningRate = 1e-3;
        training.epochs = 10;
    } else if (name == "paper") {
        // IWAE's one-stochastic-layer VAE (Burda et al. 2015): 784-200-200-50, tanh, dynamically
        // binarized MNIST; batch 100 (IWAE's was 20, slower per epoch here); Adam 1e-3 decayed ×0.7
        // every 50 epochs, so that 500 epochs (about 30 minutes on 2 cores here) end near 3e-5
        // (bench/quality.sh). 3e-3 on this schedule was 2 nats worse at 5 and 10 minutes (README).
        model.encoderHidden = {200, 200};
        model.decoderHidden = {200, 200};
        model.latentDim = 50;
        model.likelihood = Likelihood::Bernoulli;
        model.activation = Activation::Tanh;
        training.binarize = Binarization::Dynamic;
        training.batchSize = 100;
        training.learningRate = 1e-3;
        training.lrDecay = 0.7;
        training.lrDecayEvery = 50;
        training.epochs = 500;
    } else if (name == "conv") {
        // Two 4x4 convolutions at stride 2 (32 and 64 channels), dense 256, z = 32, dynamically
        // binarized, Adam 1e-3.
        model.architecture = Architecture::Conv;
        model.convChannels = {32, 64};
        model.encoderHidden = {256};
        model.decoderHidden = {256};
        model.latentDim = 32;
        model.likelihood = Likelihood::Bernoulli;
        training.binarize = Binarization::Dynamic;
        training.batchSize = 128;
        training.learningRate = 1e-3;
        training.lrDecay = 1;
        training.epochs = 100;
    } else if (name == "seed") {
        // The seed article's network with its bugs fixed: Gaussian (MSE) likelihood, sigmoid output.
        model.encoderHidden = {128, 64, 32};
        model.decoderHidden = {32, 64};
        model.latentDim = 2;
        model.likelihood = Likelihood::Gaussian;
    } else if (name == "emoji") {
        // For --dataset emoji at 32 pixels (presetImageSize): three 4x4 convolutions at stride 2
        // (32, 64, 128 channels; 4x4 features), dense 512, z = 16, Bernoulli over the colour
        // levels, batch 64 (3,089 training images: 49 steps an epoch), Adam 1e-3. 35 epochs: in a
        // 200-epoch run (15 minutes on two cores) the test -ELBO was best at epoch 34 (1205.5) and
        // then worsened as the small training set was overfit (1264 at epoch 200); 35 epochs take
        // about 2.5 minutes here (README).
        model.architecture = Architecture::Conv;
        model.convChannels = {32, 64, 128};
        model.encoderHidden = {512};
        model.decoderHidden = {512};
        model.latentDim = 16;
        model.likelihood = Likelihood::Bernoulli;
        training.batchSize = 64;
        training.learningRate = 1e-3;
        training.epochs = 35;
    } else if (name == "sprites-beta" || name == "sprites-tc") {
        // For --dataset sprites at 64 pixels (presetImageSize), a seeded 100,000 of its 727,280
        // training images (presetSubset): four 4x4 convolutions at stride 2 (32, 32, 64, 64
        // channels, as Burgess et al.'s β-VAE encoder), dense 256, z = 10, Bernoulli, batch 64,
        // Adam 5e-4, 3 epochs: about 560 images a second on two cores here, so 300,000 images
        // in about 9 minutes, which is what ten minutes buys. β-VAE with β = 4, or β-TCVAE with β = 6.
        model.architecture = Architecture::Conv;
        model.convChannels = {32, 32, 64, 64};
        model.encoderHidden = {256};
        model.decoderHidden = {256};
        model.latentDim = 10;
        model.likelihood = Likelihood::Bernoulli;
        training.batchSize = 64;
        training.learningRate = 5e-4;
        training.lrDecay = 1;
        training.epochs = 3;
        training.beta = name == "sprites-beta" ? 4 : 6;
        training.objective = name == "sprites-beta" ? Objective::Elbo : Objective::BetaTc;
    } else {
        throw ConfigError("unknown preset '" + name + "' (use pytorch-example, paper, conv, seed, emoji, sprites-beta or sprites-tc)");
    }
}

std::optional<int> presetImageSize(const std::string& name) {
    if (name == "emoji") return 32;
    if (name == "sprites-beta" || name == "sprites-tc") return 64;
    return std::nullopt;
}

int presetSubset(const std::string& name) { return name == "sprites-beta" || name == "sprites-tc" ? 100000 : 0; }

}  // namespace vae
