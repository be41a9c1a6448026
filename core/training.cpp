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

}  // namespace vae
