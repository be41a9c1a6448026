#pragma once
// Training options, losses and progress: what the trainer takes and reports. Plain values.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace vae {

// Binarized inputs, as the VAE literature evaluates MNIST. Dynamic: every training batch is drawn
// afresh as Bernoulli(pixel); static: the training set once, with the run's seed. Either way
// the test set is binarized once with kTestBinarizationSeed, the same for every run.
enum class Binarization { None, Dynamic, Static };
constexpr std::uint64_t kTestBinarizationSeed = 1;
std::string binarizationName(Binarization binarization);
Binarization parseBinarization(const std::string& name);  // throws ConfigError

// What training minimises. Elbo: reconstruction + β KL (β-VAE when β != 1). BetaTc: β-TCVAE
// (Chen et al. 2018): reconstruction + index-code MI + β total correlation + dimension-wise KL,
// with q(z) estimated over the minibatch (core/model/kl_decomposition.h). Either way the loss
// reported and evaluated is the true -ELBO.
enum class Objective { Elbo, BetaTc };
std::string objectiveName(Objective objective);
Objective parseObjective(const std::string& name);  // throws ConfigError

// β-TCVAE's split of the KL term, nats per image (means over the images or batches counted).
struct KlSplit {
    double indexCodeMi = 0;
    double totalCorrelation = 0;
    double dimensionwiseKl = 0;
};

// Beta set while training (the window's β field): from the model's step `step` on, the KL
// weight's target is `beta`. Kept in the run's settings, so a repeated run applies it again.
struct BetaChange {
    std::int64_t step = 0;
    double beta = 1;
    bool operator==(const BetaChange& other) const { return step == other.step && beta == other.beta; }
};

struct TrainOptions {
    int epochs = 10;
    int batchSize = 128;
    double learningRate = 1e-3;
    double beta = 1.0;
    std::uint64_t seed = 1;
    int progressEveryBatches = 20;
    Binarization binarize = Binarization::None;
    Objective objective = Objective::Elbo;
    int warmupEpochs = 0;  // KL warm-up: beta ramps linearly from 0 over the model's first epochs
    double freeBits = 0;   // nats per latent dimension, on the batch-mean KL (Kingma et al. 2016)
    // Step decay: the rate is multiplied by lrDecay every lrDecayEvery epochs of the model.
    double lrDecay = 1;
    int lrDecayEvery = 1;
    std::vector<BetaChange> betaChanges;  // in step order

    void validate() const;  // throws ConfigError
    // The KL weight after `epochsTrained` epochs of the model (fractional: within an epoch), at
    // its step `step`: the target (beta, or the last change made at or before `step`), ramped
    // by the warm-up.
    double betaAt(double epochsTrained, std::int64_t step) const;
    double betaTargetAt(std::int64_t step) const;  // beta, or the last change at or before `step`
    // A change made now replaces any recorded for its step or later (a repeated run's).
    void addBetaChange(const BetaChange& change);
    // The learning rate for the model's epoch after `epochsTrained` whole ones.
    double learningRateAt(int epochsTrained) const;
    // The weight of each latent dimension's KL in the objective, from its batch-mean KL: the
    // objective counts max(freeBits, KL_d), whose gradient is zero for a dimension under the
    // floor; so beta where KL_d > freeBits, else 0. The reported loss stays the true -ELBO.
    std::vector<float> klWeights(const std::vector<double>& klMeanPerDim, double beta) const;
};

// An epoch of fewer optimizer steps than this learns little: 50 images at batch 128 (one step an
// epoch) learned one mean blob in 50 epochs. Below it, the CLI and the window say so.
inline constexpr std::int64_t kFewStepsPerEpoch = 10;
// One line when an epoch of `trainImages` at `batchSize` is under kFewStepsPerEpoch steps, naming
// a batch size that gives that many; empty otherwise.
std::string fewStepsAdvice(std::int64_t trainImages, int batchSize);

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
    std::optional<KlSplit> runningSplit;  // β-TCVAE only: the KL's split over the same batches
    double imagesPerSecond = 0;
    int threads = 0;  // compute threads in use now (thread_governor.h)
};

struct EpochMetrics {
    int epoch = 0;          // total epochs the model has been trained, counting resumed ones
    std::int64_t step = 0;  // optimizer steps the model had taken when the epoch ended
    LossTerms train;
    LossTerms test;
    double epochSeconds = 0;  // training time of this epoch alone (no evaluation, no pauses)
    double imagesPerSecond = 0;
    int threads = 0;  // compute threads in use when the epoch ended (the trainer may drop to one)
    double allreduceSeconds = 0;  // of epochSeconds, spent in the gradient allreduce (distributed runs)
    std::optional<KlSplit> klSplit;  // the training batches' split, mean over them (β-TCVAE only)
};

// One point of the training curve.
struct StepLoss {
    std::int64_t step = 0;  // optimizer steps the model had taken
    int epoch = 0;          // the model's epoch it fell in, counting from 1
    LossTerms train;        // means over the batches since the previous point
    double imagesPerSecond = 0;
    std::optional<KlSplit> klSplit;  // β-TCVAE only: means over the same batches
};

// Everything a model was trained through: every epoch's metrics and the training curve. It
// lives in the session and its checkpoint, so a resumed run continues it.
struct TrainingHistory {
    // The curve keeps its whole shape in a bounded size: past this many points every other
    // one is dropped.
    static constexpr std::size_t kMaxSteps = 4000;
    std::vector<EpochMetrics> epochs;
    std::vector<StepLoss> steps;

    void addStep(const StepLoss& point);
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
    // A new beta target, taken at the next batch (NaN: none asked for). Single process only.
    std::atomic<double> betaRequest{std::numeric_limits<double>::quiet_NaN()};
};

struct TrainCallbacks {
    std::function<void(const ProgressInfo&)> progress;
    std::function<void(const EpochMetrics&)> epochDone;
    // The trainer has really stopped stepping (TrainControl::pause was seen between two batches).
    std::function<void()> paused;
    // A TrainControl::betaRequest took effect at this step.
    std::function<void(const BetaChange&)> betaChanged;
};

}  // namespace vae
