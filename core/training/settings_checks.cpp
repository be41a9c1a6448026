// The checks across settings; the table's rows, each with its own range check, stay in
// settings.cpp.
#include "settings.h"

namespace vae {

void validate(const RunSettings& settings) {
    for (auto group : {SettingGroup::Model, SettingGroup::Training, SettingGroup::Run}) validate(settings, group);
    // The model must fit this machine before anything is allocated: named by its layers when it
    // does not fit even one image at a time, else by the batch size.
    try {
        checkTrainingMemory(settings.model, settings.training.batchSize);
    } catch (const ConfigError& error) {
        bool fitsOneImage = true;
        try {
            checkTrainingMemory(settings.model, 1);
        } catch (const ConfigError&) {
            fitsOneImage = false;
        }
        throw SettingError(*findSetting(fitsOneImage ? "batch_size" : "hidden"), error.what());
    }
}

void validate(const RunSettings& settings, SettingGroup group) {
    // Every value must survive its own round trip through the table's checks.
    RunSettings scratch = settings;
    for (const auto& s : settingsTable())
        if (s.group == group) s.set(scratch, s.get(settings));
    const TrainOptions& training = settings.training;
    if (group == SettingGroup::Training && training.objective == Objective::BetaTc) {
        // Its q(z) is estimated over the batch; free bits floor a per-image KL it does not have.
        if (training.batchSize < 2)
            throw SettingError(*findSetting("objective"), "beta-tc needs a batch of at least 2 images (it estimates q(z) over the batch)");
        if (training.freeBits > 0)
            throw SettingError(*findSetting("objective"), "beta-tc does not take free bits (they floor the plain KL term)");
    }
}

}  // namespace vae
