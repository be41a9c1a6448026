// Session::train: the training loop.
#include "dataset_data.h"
#include "errors.h"
#include "fused_elbo.h"
#include "kl_decomposition.h"
#include "process_group.h"
#include "session_impl.h"
#include "thread_governor.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <thread>

namespace vae {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Copies of the parameters from a batch whose loss was finite, to restore after divergence.
class WeightSnapshot {
public:
    void take(Vae& model) {
        torch::NoGradGuard noGrad;
        const auto params = model->parameters();
        if (saved_.size() != params.size()) {
            saved_.clear();
            for (const auto& p : params) saved_.push_back(p.detach().clone());
        } else {
            for (std::size_t i = 0; i < params.size(); ++i) saved_[i].copy_(params[i]);
        }
    }
    void restore(Vae& model) const {
        torch::NoGradGuard noGrad;
        auto params = model->parameters();
        for (std::size_t i = 0; i < saved_.size() && i < params.size(); ++i) params[i].copy_(saved_[i]);
    }

private:
    std::vector<torch::Tensor> saved_;
};

// Puts the thread count back however training ends (the governor may have lowered it).
class RestoreThreadCount {
public:
    RestoreThreadCount() : threads_(torch::get_num_threads()) {}
    ~RestoreThreadCount() { torch::set_num_threads(threads_); }
    RestoreThreadCount(const RestoreThreadCount&) = delete;
    RestoreThreadCount& operator=(const RestoreThreadCount&) = delete;

private:
    int threads_;
};

// Streams of random numbers, apart from the reparameterisation noise's (noiseSeed(seed, step)).
constexpr std::uint64_t kStaticBinarizationStream = 0x5b1a5b1a5b1a5b1aull;
constexpr std::uint64_t kDynamicBinarizationStream = 0xd1a5d1a5d1a5d1a5ull;

// Snapshots cost a parameter copy; every few batches keeps that under 1% of a step.
constexpr int kSnapshotEveryBatches = 10;
// A point of the saved training curve every this many batches (and at each epoch end).
constexpr int kCurveEveryBatches = 10;

// β-TCVAE's KL split over a window of batches: the mean of the batches' estimates.
struct SplitSum {
    KlSplit sum;
    int batches = 0;
    void add(const KlSplit& split) {
        sum.indexCodeMi += split.indexCodeMi;
        sum.totalCorrelation += split.totalCorrelation;
        sum.dimensionwiseKl += split.dimensionwiseKl;
        ++batches;
    }
    std::optional<KlSplit> takeMean() {
        if (batches == 0) return std::nullopt;
        const double n = batches;
        const KlSplit mean{sum.indexCodeMi / n, sum.totalCorrelation / n, sum.dimensionwiseKl / n};
        *this = {};
        return mean;
    }
};

// Sums over the batches of one epoch: the epoch's means, the progress report's window since the
// last report, and the saved curve's point since the last point.
struct EpochSums {
    std::int64_t seen = 0;
    SplitSum epochSplit, windowSplit, curveSplit;  // β-TCVAE only
    double recon = 0, kl = 0;
    double windowRecon = 0, windowKl = 0;
    int windowBatches = 0;
    double curveRecon = 0, curveKl = 0;
    int curveBatches = 0;

    void add(double batchRecon, double batchKl, std::int64_t images, const std::optional<KlSplit>& split) {
        if (split) {
            epochSplit.add(*split);
            windowSplit.add(*split);
            curveSplit.add(*split);
        }
        seen += images;
        recon += batchRecon * double(images);
        kl += batchKl * double(images);
        windowRecon += batchRecon;
        windowKl += batchKl;
        ++windowBatches;
        curveRecon += batchRecon;
        curveKl += batchKl;
        ++curveBatches;
    }
};

// Thrown out of a batch when the run must stop here: a cancel (or, distributed, another rank's).
struct RunCancelled {};

}  // namespace

// Session::train in named steps: one object per call, holding what the epochs share.
class TrainingLoop {
public:
    TrainingLoop(Session::Impl& session, const ImageDataset& dataset, TrainOptions& options, TrainControl& control,
                 const TrainCallbacks& callbacks, ProcessGroup* group)
        : session_(session), dataset_(dataset), options_(options), control_(control), callbacks_(callbacks), group_(group),
          generator_(at::make_generator<at::CPUGeneratorImpl>(options.seed)),
          noise_(at::make_generator<at::CPUGeneratorImpl>(options.seed)),
          governor_(torch::get_num_threads()) {}

    // Throws ConfigError/DataError for data of the wrong size, RunCancelled when stopped.
    void run(TrainResult& result);

private:
    void checkImageSize() const;
    void prepare();
    void useScheduledRate();
    EpochMetrics runEpoch(int epochOfRun);
    void waitWhilePaused(double& epochSeconds, Clock::time_point& sliceStart);
    void runBatch(int batch, const torch::Tensor& order, EpochSums& sums);
    void takeBetaRequest();
    void stepGradients(const torch::Tensor& x, const torch::Tensor& eps, double beta, double& recon, double& kl,
                       std::optional<KlSplit>& split);
    std::vector<float> klWeights(std::vector<double> klSumPerDim, double images, double beta);
    void reportProgress(int epochOfRun, int batch, EpochSums& sums, double seconds);
    EpochMetrics finishEpoch(const EpochSums& sums, double epochSeconds);

    Session::Impl& session_;
    const ImageDataset& dataset_;
    TrainOptions& options_;
    TrainControl& control_;
    const TrainCallbacks& callbacks_;
    ProcessGroup* group_;
    // Every rank draws the same permutation; each step's noise has its own seeded stream.
    at::Generator generator_;
    at::Generator noise_;
    ThreadGovernor governor_;  // the configured thread count is the most this uses
    torch::Tensor trainImages_;
    std::int64_t count_ = 0;
    int batchesPerEpoch_ = 0;
    int rank_ = 0, world_ = 1;
    std::unique_ptr<GradientExchange> exchange_;
    std::unique_ptr<FusedElboStep> fused_;
    WeightSnapshot lastGood_;
    double allreduceBefore_ = 0;
};

void TrainingLoop::checkImageSize() const {
    const auto& data = dataset_.data();
    const ModelConfig& model = session_.config;
    if (data.rows != model.imageRows || data.cols != model.imageCols || data.channels != model.imageChannels)
        throw DataError(dataset_.name() + ": images are " + imageShapeText(data.rows, data.cols, data.channels) +
                        " but the model expects " + imageShapeText(model.imageRows, model.imageCols, model.imageChannels));
}

void TrainingLoop::prepare() {
    const auto& data = dataset_.data();
    // Keeping the training images on the device avoids a host copy per batch.
    // Packed sets are binary already: static binarization would change nothing but unpack them.
    trainImages_ = options_.binarize == Binarization::Static && !data.trainPackedBits
                       ? binarizeImages(data.trainImages, noiseSeed(options_.seed, kStaticBinarizationStream)).to(session_.device)
                       : data.trainImages.to(session_.device);
    count_ = trainImages_.size(0);
    batchesPerEpoch_ = int((count_ + options_.batchSize - 1) / options_.batchSize);
    rank_ = group_ ? group_->rank() : 0;
    world_ = group_ ? group_->worldSize() : 1;
    if (group_) {
        broadcastFromRankZero(*group_, session_.model->parameters());
        exchange_ = std::make_unique<GradientExchange>(*group_, session_.model->parameters());
    }
    // Its estimate of q(z) is over the whole minibatch: a rank's share of the batch would give
    // another objective, so "N ranks train as one process" would not hold.
    if (options_.objective == Objective::BetaTc && world_ > 1)
        throw ConfigError("--objective beta-tc trains in one process only: its estimate of q(z) is over the whole "
                          "batch, which no rank holds");
    // The hand-written pass for CPU MLPs (fused_elbo.h); autograd for anything else, and for
    // β-TCVAE, whose batch-wide estimate the fused pass does not compute.
    if (options_.objective == Objective::Elbo && FusedElboStep::applies(session_.model)) fused_ = std::make_unique<FusedElboStep>(session_.model);
    lastGood_.take(session_.model);
    session_.model->train();
}

void TrainingLoop::run(TrainResult& result) {
    checkImageSize();
    prepare();
    for (int epochOfRun = 1; epochOfRun <= options_.epochs; ++epochOfRun) {
        const EpochMetrics metrics = runEpoch(epochOfRun);
        result.epochs.push_back(metrics);
        session_.history.epochs.push_back(metrics);
        if (callbacks_.epochDone) callbacks_.epochDone(metrics);
    }
}

// The schedule's rate for the model's epoch (a resumed model continues its schedule).
void TrainingLoop::useScheduledRate() {
    const double rate = options_.learningRateAt(session_.epochsTrained);
    if (session_.learningRate == rate) return;
    for (auto& group : session_.optimizer->param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
    session_.learningRate = rate;
}

EpochMetrics TrainingLoop::runEpoch(int epochOfRun) {
    useScheduledRate();
    const auto order = torch::randperm(count_, generator_, torch::kLong).to(session_.device);
    double epochSeconds = 0;
    auto sliceStart = Clock::now();
    EpochSums sums;
    for (int batch = 0; batch < batchesPerEpoch_; ++batch) {
        if (control_.pause.load()) waitWhilePaused(epochSeconds, sliceStart);
        // A distributed run learns of a cancel through the step's allreduce, so that every rank
        // stops before the same step.
        if (control_.cancel.load() && !group_) throw RunCancelled{};
        runBatch(batch, order, sums);
        const double seconds = epochSeconds + secondsSince(sliceStart);
        if (sums.curveBatches == kCurveEveryBatches || batch + 1 == batchesPerEpoch_) {
            const double n = sums.curveBatches;
            session_.history.addStep({session_.steps, session_.epochsTrained + 1,
                                {(sums.curveRecon + sums.curveKl) / n, sums.curveRecon / n, sums.curveKl / n},
                                sums.seen / std::max(1e-9, seconds), sums.curveSplit.takeMean()});
            sums.curveRecon = sums.curveKl = 0;
            sums.curveBatches = 0;
        }
        if (callbacks_.progress && ((batch + 1) % options_.progressEveryBatches == 0 || batch + 1 == batchesPerEpoch_))
            reportProgress(epochOfRun, batch, sums, seconds);
    }
    epochSeconds += secondsSince(sliceStart);
    ++session_.epochsTrained;
    return finishEpoch(sums, epochSeconds);
}

void TrainingLoop::waitWhilePaused(double& epochSeconds, Clock::time_point& sliceStart) {
    epochSeconds += secondsSince(sliceStart);
    if (callbacks_.paused) callbacks_.paused();
    while (control_.pause.load() && !control_.cancel.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    sliceStart = Clock::now();
}

void TrainingLoop::runBatch(int batch, const torch::Tensor& order, EpochSums& sums) {
    if (governor_.threads() != torch::get_num_threads()) torch::set_num_threads(governor_.threads());
    const auto stepStart = Clock::now();
    const std::int64_t start = std::int64_t(batch) * options_.batchSize;
    const std::int64_t globalImages = std::min(count_, start + options_.batchSize) - start;
    const auto [shareBegin, shareEnd] = shareOf(globalImages, rank_, world_);
    const auto index = order.slice(0, start + shareBegin, start + shareEnd);
    auto x = session_.toInput(trainRows(dataset_.data(), trainImages_, index));
    if (options_.binarize == Binarization::Dynamic)  // keyed like the noise: by step and place in the batch
        x = bernoulliRows(x, shareBegin, globalImages, noiseSeed(options_.seed ^ kDynamicBinarizationStream, std::uint64_t(session_.steps)));
    // Noise for the whole global batch, keyed by the step: rows are images' places in it.
    noise_.set_current_seed(noiseSeed(options_.seed, std::uint64_t(session_.steps)));
    const auto eps = torch::randn({globalImages, session_.config.latentDim}, noise_).slice(0, shareBegin, shareEnd).to(session_.device);
    takeBetaRequest();
    const double beta = options_.betaAt(session_.epochsTrained + double(batch) / batchesPerEpoch_, session_.steps);
    double recon = 0, kl = 0;
    std::optional<KlSplit> split;
    stepGradients(x, eps, beta, recon, kl, split);
    if (exchange_) {
        const double images = double(x.size(0));
        const auto totals = exchange_->exchange(images / double(globalImages),
                                                {recon * images, kl * images, images, control_.cancel.load()}, session_.steps);
        if (totals.stop) throw RunCancelled{};
        recon = totals.reconSum / double(globalImages);
        kl = totals.klSum / double(globalImages);
    }
    if (!std::isfinite(recon) || !std::isfinite(kl)) {
        lastGood_.restore(session_.model);
        session_.makeOptimizer(session_.learningRate);  // its moments are poisoned too
        throw ConfigError("training diverged: the loss became " + std::string(std::isnan(recon + kl) ? "NaN" : "infinite") +
                          " at epoch " + std::to_string(session_.epochsTrained + 1) + ", batch " + std::to_string(batch + 1) +
                          "; the last good weights were kept (try a smaller --lr)");
    }
    if (batch % kSnapshotEveryBatches == 0) lastGood_.take(session_.model);
    session_.optimizer->step();
    ++session_.steps;
    governor_.stepTook(secondsSince(stepStart));
    sums.add(recon, kl, globalImages, split);
}

// A new beta target asked for while training (single process only) joins the options.
void TrainingLoop::takeBetaRequest() {
    const double asked = group_ ? std::numeric_limits<double>::quiet_NaN()
                                : control_.betaRequest.exchange(std::numeric_limits<double>::quiet_NaN());
    if (std::isfinite(asked) && asked >= 0 && asked != options_.betaTargetAt(session_.steps)) {
        const BetaChange change{session_.steps, asked};
        options_.addBetaChange(change);
        if (callbacks_.betaChanged) callbacks_.betaChanged(change);
    }
}

// Each latent dimension's KL weight: beta (warmed up), or 0 under the free-bits floor, judged on
// the global batch's mean KL (a sum over ranks, when there are any).
std::vector<float> TrainingLoop::klWeights(std::vector<double> klSumPerDim, double images, double beta) {
    if (group_ && options_.freeBits > 0) {
        klSumPerDim.push_back(images);
        klSumPerDim = sumOverRanks(*group_, klSumPerDim, "the free-bits KL sum over the ranks");
        images = klSumPerDim.back();
        klSumPerDim.pop_back();
    }
    for (double& sum : klSumPerDim) sum /= std::max(1.0, images);
    return options_.klWeights(klSumPerDim, beta);
}

// The batch's gradients (this rank's share), and its mean reconstruction and KL terms.
void TrainingLoop::stepGradients(const torch::Tensor& x, const torch::Tensor& eps, double beta, double& recon, double& kl,
                                 std::optional<KlSplit>& split) {
    const double images = double(x.size(0));
    const auto weightsFor = [&](std::vector<double> klSumPerDim) { return klWeights(std::move(klSumPerDim), images, beta); };
    if (x.size(0) == 0) {  // a last batch smaller than the ranks: this one has no image
        weightsFor(std::vector<double>(std::size_t(session_.config.latentDim), 0.0));  // its part in any sum
        for (auto& p : session_.model->parameters())
            if (p.grad().defined()) p.grad().zero_();
    } else if (fused_) {
        const auto values = fused_->run(x, eps, weightsFor);
        recon = values.recon;
        kl = values.kl;
    } else if (options_.objective == Objective::BetaTc) {
        // recon + MI + β TC + dimension-wise KL; the reported KL stays the analytic one.
        const auto out = session_.model->forward(x, eps);
        const auto terms = negativeElboTerms(out, x, session_.config);
        const auto z = out.mu + torch::exp(0.5 * out.logvar) * eps;  // the sample the decoder saw
        const auto parts = decomposeKl(z, out.mu, out.logvar, count_);
        recon = terms.recon.item<double>();
        kl = terms.kl.item<double>();
        split = KlSplit{parts.indexCodeMi.item<double>(), parts.totalCorrelation.item<double>(), parts.dimensionwiseKl.item<double>()};
        session_.optimizer->zero_grad();
        (terms.recon + parts.indexCodeMi + beta * parts.totalCorrelation + parts.dimensionwiseKl).backward();
    } else {
        const auto out = session_.model->forward(x, eps);
        const auto terms = negativeElboTerms(out, x, session_.config);
        const auto klPerDim = klPerDimension(out);
        const auto klSumPerDim = klPerDim.sum(0).to(torch::kCPU, torch::kFloat64).contiguous();
        const auto weights = weightsFor({klSumPerDim.data_ptr<double>(), klSumPerDim.data_ptr<double>() + klSumPerDim.numel()});
        const auto weighted = (klPerDim.mean(0) * torch::tensor(weights).to(session_.device)).sum();
        recon = terms.recon.item<double>();
        kl = terms.kl.item<double>();
        session_.optimizer->zero_grad();
        (terms.recon + weighted).backward();
    }
}

void TrainingLoop::reportProgress(int epochOfRun, int batch, EpochSums& sums, double seconds) {
    ProgressInfo info;
    info.step = session_.steps;
    info.epoch = epochOfRun;
    info.epochs = options_.epochs;
    info.batch = batch + 1;
    info.batchesPerEpoch = batchesPerEpoch_;
    const double n = sums.windowBatches;
    info.running = {(sums.windowRecon + sums.windowKl) / n, sums.windowRecon / n, sums.windowKl / n};
    info.runningSplit = sums.windowSplit.takeMean();
    info.imagesPerSecond = sums.seen / std::max(1e-9, seconds);
    info.threads = governor_.threads();
    callbacks_.progress(info);
    sums.windowRecon = sums.windowKl = 0;
    sums.windowBatches = 0;
}

EpochMetrics TrainingLoop::finishEpoch(const EpochSums& sums, double epochSeconds) {
    EpochMetrics metrics;
    metrics.epoch = session_.epochsTrained;
    metrics.step = session_.steps;
    const double seen = double(sums.seen);
    metrics.train = {(sums.recon + sums.kl) / seen, sums.recon / seen, sums.kl / seen};
    metrics.klSplit = SplitSum(sums.epochSplit).takeMean();
    metrics.test = session_.testLoss(dataset_, options_.seed * 1000003u + std::uint64_t(session_.epochsTrained), group_, options_.binarize);
    if (group_) requireIdenticalWeights(*group_, session_.model->parameters(), session_.epochsTrained);
    metrics.epochSeconds = epochSeconds;
    metrics.imagesPerSecond = seen / std::max(1e-9, epochSeconds);
    metrics.threads = governor_.threads();
    if (exchange_) {
        metrics.allreduceSeconds = exchange_->secondsInAllreduce() - allreduceBefore_;
        allreduceBefore_ = exchange_->secondsInAllreduce();
    }
    lastGood_.take(session_.model);
    return metrics;
}

TrainResult Session::train(const ImageDataset& dataset, const TrainOptions& requested, TrainControl& control,
                           const TrainCallbacks& callbacks, ProcessGroup* group) {
    TrainResult result;
    TrainOptions options = requested;  // a copy: a beta changed while training joins its betaChanges
    try {
        options.validate();
        checkTrainingMemory(impl_->config, options.batchSize);  // before a batch is allocated
        const RestoreThreadCount restoreThreads;  // the governor may lower the count
        TrainingLoop(*impl_, dataset, options, control, callbacks, group).run(result);
    } catch (const RunCancelled&) {
        result.status = TrainStatus::Cancelled;
    } catch (const std::exception& error) {
        result.status = TrainStatus::Failed;
        // c10::Error messages carry a multi-line backtrace; keep the first line.
        std::string message = error.what();
        result.error = message.substr(0, message.find('\n'));
    }
    return result;
}

}  // namespace vae
