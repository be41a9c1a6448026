// The checks across settings, and a model's shape against the table (ModelConfig::validate is
// declared in model/ but checks the ranges that live here); the table's rows, each with its own
// range check, stay in settings.cpp.
#include "settings.h"

namespace vae {

// The table's lookup by key, for the code around it (the table's own rows name nothing by key).
const Setting* findSetting(const std::string& key) {
    for (const auto& s : settingsTable())
        if (s.key == key) return &s;
    return nullptr;
}

void ModelConfig::validate() const {
    // The table's largest image size: what an image folder may be resized to (IDX files may be
    // smaller, so the smallest is not the table's).
    const double largest = findSetting("image_size")->max;
    if (imageRows < 1 || imageCols < 1 || imageRows > largest || imageCols > largest)
        throw SettingError(*findSetting("image_size"), "image size " + std::to_string(imageRows) + "x" + std::to_string(imageCols) +
                          " is not supported (at most " + std::to_string(int(largest)) + "x" +
                          std::to_string(int(largest)) + ")");
    if (imageChannels != 1 && imageChannels != 3)
        throw ConfigError("images of " + std::to_string(imageChannels) + " channels are not supported (1: grey, 3: RGB)");
    if (architecture == Architecture::Conv && (convChannels.empty() || convRows() < 1 || convCols() < 1))
        throw SettingError(*findSetting("conv_channels"), "a conv model's " + std::to_string(convChannels.size()) + " convolutions, each halving the image, "
                          "leave nothing of " + std::to_string(imageRows) + "x" + std::to_string(imageCols) + " images");
    RunSettings run;
    run.model = *this;
    vae::validate(run, SettingGroup::Model);  // the ranges live in the settings table
    checkTrainingMemory(*this, 1);  // the batch's share is checked where the batch size is known
}

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
