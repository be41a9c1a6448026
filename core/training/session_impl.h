#pragma once
#include "distributed.h"
#include "fused_adam.h"
#include "model.h"
#include "replay_timeline.h"
#include "session.h"

#include <torch/torch.h>

#include <optional>

namespace vae {

struct Session::Impl {
    // seed: the initial weights' (none: drawn at random, e.g. about to be replaced by a checkpoint's).
    Impl(const ModelConfig& config, torch::Device device, std::optional<std::uint64_t> seed = std::nullopt);

    ModelConfig config;
    torch::Device device;
    Vae model;
    std::unique_ptr<FusedAdam> optimizer;
    int epochsTrained = 0;
    std::int64_t steps = 0;
    double learningRate = 1e-3;
    TrainingHistory history;
    RunSettings run;
    std::string datasetIdentity;  // ImageDataset::identity() of what it was trained on
    std::vector<ReplaySnapshot> timeline;  // kept only when asked for (setTimeline)

    void makeOptimizer(double lr);
    torch::Tensor toInput(const torch::Tensor& uint8Rows) const;
    // The test set's -ELBO; with a group, each rank evaluates its share and the sums are reduced.
    LossTerms testLoss(const ImageDataset& data, std::uint64_t seed, ProcessGroup* group, Binarization binarize);
    // The test images as the model sees them: binarized once with kTestBinarizationSeed when
    // the model was trained on binarized pixels.
    torch::Tensor testImages(const ImageDataset& data, Binarization binarize) const;
};

torch::Device resolveDevice(const std::string& spec);  // throws ConfigError

}  // namespace vae
