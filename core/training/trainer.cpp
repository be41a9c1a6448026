// Session::train: the training loop.
#include "dataset_data.h"
#include "errors.h"
#include "fused_elbo.h"
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

}  // namespace

TrainResult Session::train(const ImageDataset& dataset, const TrainOptions& requested, TrainControl& control,
                           const TrainCallbacks& callbacks, ProcessGroup* group) {
    TrainResult result;
    // A copy: a beta changed while training joins its betaChanges.
    TrainOptions options = requested;
    try {
        options.validate();
        Impl& s = *impl_;
        const auto& data = dataset.data();
        if (data.rows != s.config.imageRows || data.cols != s.config.imageCols)
            throw DataError(dataset.name() + ": images are " + std::to_string(data.rows) + "x" +
                            std::to_string(data.cols) + " but the model expects " +
                            std::to_string(s.config.imageRows) + "x" + std::to_string(s.config.imageCols));
        // The schedule's rate for the model's epoch (a resumed model continues its schedule).
        const auto useScheduledRate = [&] {
            const double rate = options.learningRateAt(s.epochsTrained);
            if (s.learningRate == rate) return;
            for (auto& group : s.optimizer->param_groups())
                static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
            s.learningRate = rate;
        };
        // Keeping the training images on the device avoids a host copy per batch.
        const auto trainImages = options.binarize == Binarization::Static
                                     ? binarizeImages(data.trainImages, noiseSeed(options.seed, kStaticBinarizationStream)).to(s.device)
                                     : data.trainImages.to(s.device);
        const std::int64_t count = trainImages.size(0);
        const int batchesPerEpoch = int((count + options.batchSize - 1) / options.batchSize);
        // Every rank draws the same permutation; each step's noise has its own seeded stream.
        auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
        auto noise = at::make_generator<at::CPUGeneratorImpl>(options.seed);
        const int rank = group ? group->rank() : 0, world = group ? group->worldSize() : 1;
        std::unique_ptr<GradientExchange> exchange;
        if (group) {
            broadcastFromRankZero(*group, s.model->parameters());
            exchange = std::make_unique<GradientExchange>(*group, s.model->parameters());
        }
        // The hand-written pass for CPU MLPs (fused_elbo.h); autograd for anything else.
        std::unique_ptr<FusedElboStep> fused;
        if (FusedElboStep::applies(s.model)) fused = std::make_unique<FusedElboStep>(s.model);
        WeightSnapshot lastGood;
        lastGood.take(s.model);
        // The configured thread count is the most this uses (thread_governor.h).
        const RestoreThreadCount restoreThreads;
        ThreadGovernor governor(torch::get_num_threads());
        s.model->train();

        double allreduceBefore = 0;
        for (int epochOfRun = 1; epochOfRun <= options.epochs; ++epochOfRun) {
            useScheduledRate();
            const auto order = torch::randperm(count, generator, torch::kLong).to(s.device);
            double epochSeconds = 0;
            auto sliceStart = Clock::now();
            double sumRecon = 0, sumKl = 0, windowRecon = 0, windowKl = 0, curveRecon = 0, curveKl = 0;
            std::int64_t seen = 0;
            int windowBatches = 0, curveBatches = 0;
            for (int batch = 0; batch < batchesPerEpoch; ++batch) {
                if (control.pause.load()) {
                    epochSeconds += secondsSince(sliceStart);
                    if (callbacks.paused) callbacks.paused();
                    while (control.pause.load() && !control.cancel.load())
                        std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    sliceStart = Clock::now();
                }
                // A distributed run learns of a cancel through the step's allreduce, so that every
                // rank stops before the same step.
                if (control.cancel.load() && !group) {
                    result.status = TrainStatus::Cancelled;
                    return result;
                }
                if (governor.threads() != torch::get_num_threads()) torch::set_num_threads(governor.threads());
                const auto stepStart = Clock::now();
                const std::int64_t start = std::int64_t(batch) * options.batchSize;
                const std::int64_t globalImages = std::min(count, start + options.batchSize) - start;
                const auto [shareBegin, shareEnd] = shareOf(globalImages, rank, world);
                const auto index = order.slice(0, start + shareBegin, start + shareEnd);
                auto x = s.toInput(trainImages.index_select(0, index));
                if (options.binarize == Binarization::Dynamic)  // keyed like the noise: by step and place in the batch
                    x = bernoulliRows(x, shareBegin, globalImages, noiseSeed(options.seed ^ kDynamicBinarizationStream, std::uint64_t(s.steps)));
                // Noise for the whole global batch, keyed by the step: rows are images' places in it.
                noise.set_current_seed(noiseSeed(options.seed, std::uint64_t(s.steps)));
                const auto eps = torch::randn({globalImages, s.config.latentDim}, noise).slice(0, shareBegin, shareEnd).to(s.device);
                // Each latent dimension's KL weight: beta (warmed up), or 0 under the free-bits floor,
                // judged on the global batch's mean KL (a sum over ranks, when there are any).
                const double asked = group ? std::numeric_limits<double>::quiet_NaN()
                                           : control.betaRequest.exchange(std::numeric_limits<double>::quiet_NaN());
                if (std::isfinite(asked) && asked >= 0 && asked != options.betaTargetAt(s.steps)) {
                    const BetaChange change{s.steps, asked};
                    options.addBetaChange(change);
                    if (callbacks.betaChanged) callbacks.betaChanged(change);
                }
                const double beta = options.betaAt(s.epochsTrained + double(batch) / batchesPerEpoch, s.steps);
                const auto weightsFor = [&](std::vector<double> klSumPerDim) {
                    double images = double(x.size(0));
                    if (group && options.freeBits > 0) {
                        klSumPerDim.push_back(images);
                        klSumPerDim = sumOverRanks(*group, klSumPerDim, "the free-bits KL sum over the ranks");
                        images = klSumPerDim.back();
                        klSumPerDim.pop_back();
                    }
                    for (double& sum : klSumPerDim) sum /= std::max(1.0, images);
                    return options.klWeights(klSumPerDim, beta);
                };
                double recon = 0, kl = 0;
                if (x.size(0) == 0) {  // a last batch smaller than the ranks: this one has no image
                    weightsFor(std::vector<double>(std::size_t(s.config.latentDim), 0.0));  // its part in any sum
                    for (auto& p : s.model->parameters())
                        if (p.grad().defined()) p.grad().zero_();
                } else if (fused) {
                    const auto values = fused->run(x, eps, weightsFor);
                    recon = values.recon;
                    kl = values.kl;
                } else {
                    const auto out = s.model->forward(x, eps);
                    const auto terms = negativeElboTerms(out, x, s.config);
                    const auto klPerDim = klPerDimension(out);
                    const auto klSumPerDim = klPerDim.sum(0).to(torch::kCPU, torch::kFloat64).contiguous();
                    const auto weights = weightsFor({klSumPerDim.data_ptr<double>(), klSumPerDim.data_ptr<double>() + klSumPerDim.numel()});
                    const auto weighted = (klPerDim.mean(0) * torch::tensor(weights).to(s.device)).sum();
                    recon = terms.recon.item<double>();
                    kl = terms.kl.item<double>();
                    s.optimizer->zero_grad();
                    (terms.recon + weighted).backward();
                }
                if (exchange) {
                    const double images = double(x.size(0));
                    const auto totals = exchange->exchange(images / double(globalImages),
                                                           {recon * images, kl * images, images, control.cancel.load()},
                                                           s.steps);
                    if (totals.stop) {
                        result.status = TrainStatus::Cancelled;
                        return result;
                    }
                    recon = totals.reconSum / double(globalImages);
                    kl = totals.klSum / double(globalImages);
                }
                if (!std::isfinite(recon) || !std::isfinite(kl)) {
                    lastGood.restore(s.model);
                    s.makeOptimizer(s.learningRate);  // its moments are poisoned too
                    throw ConfigError("training diverged: the loss became " +
                                      std::string(std::isnan(recon + kl) ? "NaN" : "infinite") + " at epoch " +
                                      std::to_string(s.epochsTrained + 1) + ", batch " + std::to_string(batch + 1) +
                                      "; the last good weights were kept (try a smaller --lr)");
                }
                if (batch % kSnapshotEveryBatches == 0) lastGood.take(s.model);
                s.optimizer->step();
                ++s.steps;
                governor.stepTook(secondsSince(stepStart));

                const auto images = globalImages;
                seen += images;
                sumRecon += recon * images;
                sumKl += kl * images;
                windowRecon += recon;
                windowKl += kl;
                ++windowBatches;
                curveRecon += recon;
                curveKl += kl;
                ++curveBatches;
                if (curveBatches == kCurveEveryBatches || batch + 1 == batchesPerEpoch) {
                    s.history.addStep({s.steps, s.epochsTrained + 1,
                                       {(curveRecon + curveKl) / curveBatches, curveRecon / curveBatches,
                                        curveKl / curveBatches},
                                       seen / std::max(1e-9, epochSeconds + secondsSince(sliceStart))});
                    curveRecon = curveKl = 0;
                    curveBatches = 0;
                }
                if (callbacks.progress && ((batch + 1) % options.progressEveryBatches == 0 || batch + 1 == batchesPerEpoch)) {
                    ProgressInfo info;
                    info.step = s.steps;
                    info.epoch = epochOfRun;
                    info.epochs = options.epochs;
                    info.batch = batch + 1;
                    info.batchesPerEpoch = batchesPerEpoch;
                    info.running = {(windowRecon + windowKl) / windowBatches, windowRecon / windowBatches,
                                    windowKl / windowBatches};
                    info.imagesPerSecond = seen / std::max(1e-9, epochSeconds + secondsSince(sliceStart));
                    info.threads = governor.threads();
                    callbacks.progress(info);
                    windowRecon = windowKl = 0;
                    windowBatches = 0;
                }
            }
            epochSeconds += secondsSince(sliceStart);
            ++s.epochsTrained;

            EpochMetrics metrics;
            metrics.epoch = s.epochsTrained;
            metrics.step = s.steps;
            metrics.train = {(sumRecon + sumKl) / seen, sumRecon / seen, sumKl / seen};
            metrics.test = s.testLoss(dataset, options.seed * 1000003u + std::uint64_t(s.epochsTrained), group, options.binarize);
            if (group) requireIdenticalWeights(*group, s.model->parameters(), s.epochsTrained);
            metrics.epochSeconds = epochSeconds;
            metrics.imagesPerSecond = seen / std::max(1e-9, epochSeconds);
            metrics.threads = governor.threads();
            if (exchange) {
                metrics.allreduceSeconds = exchange->secondsInAllreduce() - allreduceBefore;
                allreduceBefore = exchange->secondsInAllreduce();
            }
            lastGood.take(s.model);
            result.epochs.push_back(metrics);
            s.history.epochs.push_back(metrics);
            if (callbacks.epochDone) callbacks.epochDone(metrics);
        }
    } catch (const std::exception& error) {
        result.status = TrainStatus::Failed;
        // c10::Error messages carry a multi-line backtrace; keep the first line.
        std::string message = error.what();
        result.error = message.substr(0, message.find('\n'));
    }
    return result;
}

}  // namespace vae
