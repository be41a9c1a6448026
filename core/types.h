#pragma once
// Plain value types shared by the core, the CLI and the GUI. No torch here: these cross
// threads and are seen by code that must compile fast.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
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

struct TrainOptions {
    int epochs = 10;
    int batchSize = 128;
    double learningRate = 1e-3;
    double beta = 1.0;
    std::uint64_t seed = 1;
    int progressEveryBatches = 20;

    void validate() const;  // throws ConfigError
};

// Nats per image. `loss` is the negative ELBO (reconstruction + KL), whatever beta is.
struct LossTerms {
    double loss = 0;
    double recon = 0;
    double kl = 0;
};

struct ProgressInfo {
    std::int64_t step = 0;  // optimizer steps since this session's model was created
    int epoch = 0;          // 1-based epoch of this run
    int epochs = 0;
    int batch = 0;  // batches done in this epoch
    int batchesPerEpoch = 0;
    LossTerms running;  // mean over the batches since the previous report
    double imagesPerSecond = 0;
};

struct EpochMetrics {
    int epoch = 0;  // total epochs the model has been trained, counting resumed ones
    LossTerms train;
    LossTerms test;
    double epochSeconds = 0;  // training time of this epoch alone (no evaluation, no pauses)
    double imagesPerSecond = 0;
};

enum class TrainStatus { Finished, Cancelled, Failed };

struct TrainResult {
    TrainStatus status = TrainStatus::Finished;
    std::string error;  // set when Failed
    std::vector<EpochMetrics> epochs;
};

// Checked once per batch by the trainer; set from any thread.
struct TrainControl {
    std::atomic<bool> pause{false};
    std::atomic<bool> cancel{false};
};

struct TrainCallbacks {
    std::function<void(const ProgressInfo&)> progress;
    std::function<void(const EpochMetrics&)> epochDone;
};

// Named protocols shared by the CLI and the window: "pytorch-example" and "seed".
std::vector<std::string> presetNames();
void applyPreset(const std::string& name, ModelConfig& model, TrainOptions& training);  // throws ConfigError

// A copy of the decoder's parameters: how the model reaches the GUI's decode thread without
// sharing tensors. Layers in order; each weight is out x in, row-major.
struct DecoderWeights {
    ModelConfig config;
    std::vector<std::vector<float>> weights;
    std::vector<std::vector<float>> biases;
};

// The latent map's default half-width: +-3 prior standard deviations.
constexpr double kDefaultLatentRange = 3.0;

// Tile centres of an n x n grid over [-range, range]^2, row-major from the top-left, so the
// top row has the largest z2 (as on a plot). Pixel-exact picking uses latentAt.
std::vector<float> latentGrid(int n, double range);
// The latent point under fraction (fx, fy) of the grid's width and height (0..1, from top-left).
std::pair<float, float> latentAt(double fx, double fy, double range);
// Places 2-D points on two axes of a latentDim space; every other coordinate is 0.
std::vector<float> embedPoints(const std::vector<float>& points2d, int latentDim, int axisX, int axisY);

// count x latentDim draws from the N(0, I) prior, reproducible for a seed on any platform's
// std::mt19937_64 (the normal transform is the standard library's).
std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed);

// Images as floats in [0,1], row-major, `count` images of rows x cols.
struct GrayImages {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<float> values;

    const float* image(int index) const { return values.data() + std::size_t(index) * rows * cols; }
};

}  // namespace vae
