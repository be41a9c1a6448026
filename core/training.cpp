#include "training.h"

#include "errors.h"

#include <cmath>

namespace vae {

void TrainOptions::validate() const {
    if (epochs < 1 || epochs > 100000) throw ConfigError("--epochs: must be between 1 and 100000");
    if (batchSize < 1 || batchSize > 65536) throw ConfigError("--batch-size: must be between 1 and 65536");
    if (!(learningRate > 0) || !std::isfinite(learningRate))
        throw ConfigError("--lr: must be a positive number");
    if (!(beta >= 0) || !std::isfinite(beta)) throw ConfigError("--beta: must be a number >= 0");
    if (progressEveryBatches < 1) throw ConfigError("progress interval must be at least 1 batch");
}

void TrainingHistory::addStep(const StepLoss& point) {
    steps.push_back(point);
    if (steps.size() <= kMaxSteps) return;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < steps.size(); i += 2) steps[kept++] = steps[i];
    if (steps.back().step != steps[kept - 1].step) steps[kept++] = steps.back();  // the newest stays
    steps.resize(kept);
}

}  // namespace vae
