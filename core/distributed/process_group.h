#pragma once
// The collectives the trainer uses, over a joined ProcessGroup (internal to core; torch).
#include "distributed.h"

#include <torch/torch.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace vae {

// A generator seed for the noise of `counter` (a step, a test chunk) in a run seeded `seed`. The
// noise of an image then depends on where it sits in the global batch, never on which rank
// computes it, so training on N ranks draws what one process draws.
std::uint64_t noiseSeed(std::uint64_t seed, std::uint64_t counter);

// What a step's allreduce carries beside the gradients.
struct StepTotals {
    double reconSum = 0;  // -log p(x|z) summed over the images
    double klSum = 0;
    double images = 0;
    bool stop = false;  // any rank asked to stop: every rank stops before this step
};

// One allreduce per step: every parameter's gradient and the step's totals in one flat buffer.
class GradientExchange {
public:
    GradientExchange(ProcessGroup& group, std::vector<torch::Tensor> parameters);
    // Each rank's grad() holds the gradient of its own images' mean; `share` is its fraction of
    // the global batch. Afterwards every rank's grad() holds the global batch's mean gradient,
    // and the returned totals are summed over the ranks.
    StepTotals exchange(double share, const StepTotals& local, std::int64_t step);
    double secondsInAllreduce() const { return seconds_; }  // since construction

private:
    ProcessGroup& group_;
    std::vector<torch::Tensor> parameters_;
    torch::Tensor flat_;
    double seconds_ = 0;
};

// Rank 0's values of `tensors` on every rank.
void broadcastFromRankZero(ProcessGroup& group, std::vector<torch::Tensor> tensors);
// Element-wise sums over the ranks.
std::vector<double> sumOverRanks(ProcessGroup& group, const std::vector<double>& values, const char* during);
// A checksum of the weights compared across the ranks; DistributedError names the ranks whose
// weights differ from rank 0's.
void requireIdenticalWeights(ProcessGroup& group, const std::vector<torch::Tensor>& parameters, int epoch);

}  // namespace vae
