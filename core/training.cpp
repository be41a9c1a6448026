#include "training.h"

#include "errors.h"
#include "settings.h"

#include <cmath>

namespace vae {

void TrainOptions::validate() const {
    RunSettings run;
    run.training = *this;
    vae::validate(run, SettingGroup::Training);  // the ranges live in the settings table
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
