#include "training.h"

#include "errors.h"
#include "settings.h"

#include <algorithm>
#include <cmath>

namespace vae {

void TrainOptions::validate() const {
    RunSettings run;
    run.training = *this;
    vae::validate(run, SettingGroup::Training);  // the ranges live in the settings table
    if (progressEveryBatches < 1) throw ConfigError("progress interval must be at least 1 batch");
}

std::string binarizationName(Binarization binarization) {
    switch (binarization) {
    case Binarization::Dynamic: return "dynamic";
    case Binarization::Static: return "static";
    case Binarization::None: break;
    }
    return "none";
}

Binarization parseBinarization(const std::string& name) {
    for (auto b : {Binarization::None, Binarization::Dynamic, Binarization::Static})
        if (name == binarizationName(b)) return b;
    throw ConfigError("binarization '" + name + "' is not none, dynamic or static");
}

std::string objectiveName(Objective objective) { return objective == Objective::BetaTc ? "beta-tc" : "elbo"; }

Objective parseObjective(const std::string& name) {
    for (auto o : {Objective::Elbo, Objective::BetaTc})
        if (name == objectiveName(o)) return o;
    throw ConfigError("objective '" + name + "' is not elbo or beta-tc");
}

double TrainOptions::betaTargetAt(std::int64_t step) const {
    double target = beta;
    for (const BetaChange& change : betaChanges)
        if (change.step <= step) target = change.beta;
    return target;
}

void TrainOptions::addBetaChange(const BetaChange& change) {
    while (!betaChanges.empty() && betaChanges.back().step >= change.step) betaChanges.pop_back();
    betaChanges.push_back(change);
}

double TrainOptions::betaAt(double epochsTrained, std::int64_t step) const {
    const double target = betaTargetAt(step);
    if (warmupEpochs <= 0 || epochsTrained >= warmupEpochs) return target;
    return target * std::max(0.0, epochsTrained) / warmupEpochs;
}

double TrainOptions::learningRateAt(int epochsTrained) const {
    return learningRate * std::pow(lrDecay, double(std::max(0, epochsTrained) / std::max(1, lrDecayEvery)));
}

std::vector<float> TrainOptions::klWeights(const std::vector<double>& klMeanPerDim, double stepBeta) const {
    std::vector<float> weights(klMeanPerDim.size(), float(stepBeta));
    if (freeBits > 0)
        for (std::size_t d = 0; d < weights.size(); ++d)
            if (!(klMeanPerDim[d] > freeBits)) weights[d] = 0;
    return weights;
}

std::string fewStepsAdvice(std::int64_t trainImages, int batchSize) {
    const std::int64_t steps = (trainImages + batchSize - 1) / std::max(1, batchSize);
    if (trainImages <= 0 || steps >= kFewStepsPerEpoch) return {};
    const std::int64_t suggested = std::max<std::int64_t>(1, trainImages / kFewStepsPerEpoch);
    return "an epoch of " + std::to_string(trainImages) + " training images at batch size " + std::to_string(batchSize) +
           " is " + std::to_string(steps) + (steps == 1 ? " step" : " steps") +
           ", too few for the model to learn much; batch size " + std::to_string(suggested) + " gives " +
           std::to_string((trainImages + suggested - 1) / suggested) + " steps an epoch";
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
