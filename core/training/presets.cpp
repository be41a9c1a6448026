#include "presets.h"

#include "builtin_datasets.h"
#include "errors.h"

namespace vae {

// Why each preset is what it is, and the figures behind its lengths: docs/benchmarks.md,
// docs/colour.md and docs/factors.md.
const std::vector<Preset>& presetTable() {
    static const std::vector<Preset> table = {
        {"pytorch-example", "pytorch/examples vae/main.py: 784-400-20, Bernoulli, batch 128, Adam 1e-3, 10 epochs", "",
         0, 0,
         {{"hidden", "400"}, {"latent_dim", "20"}, {"likelihood", "bernoulli"}, {"batch_size", "128"}, {"lr", "0.001"},
          {"epochs", "10"}}},
        {"paper",
         "IWAE's one-stochastic-layer VAE (Burda et al. 2015): 784-200-200-50 tanh, dynamically binarized, batch 100, "
         "Adam 1e-3 x0.7 every 50 epochs, 500 epochs",
         "", 0, 0,
         {{"hidden", "200,200"}, {"latent_dim", "50"}, {"likelihood", "bernoulli"}, {"activation", "tanh"},
          {"binarize", "dynamic"}, {"batch_size", "100"}, {"lr", "0.001"}, {"lr_decay", "0.7"},
          {"lr_decay_every", "50"}, {"epochs", "500"}}},
        {"conv", "a convolutional VAE: two 4x4 convolutions at stride 2 (32, 64), dense 256, z = 32, dynamically binarized",
         "", 0, 0,
         {{"arch", "conv"}, {"conv_channels", "32,64"}, {"hidden", "256"}, {"latent_dim", "32"},
          {"likelihood", "bernoulli"}, {"binarize", "dynamic"}, {"batch_size", "128"}, {"lr", "0.001"},
          {"epochs", "100"}}},
        {"seed", "the seed article's network with its bugs fixed: 128-64-32-2, Gaussian likelihood", "", 0, 0,
         {{"hidden", "128,64,32"}, {"decoder_hidden", "32,64"}, {"latent_dim", "2"}, {"likelihood", "gaussian"}}},
        {"emoji", "colour emoji at 32 px: conv 32, 64, 128, dense 512, z = 16, batch 64, 35 epochs", "emoji", 32, 0,
         {{"arch", "conv"}, {"conv_channels", "32,64,128"}, {"hidden", "512"}, {"latent_dim", "16"},
          {"likelihood", "bernoulli"}, {"batch_size", "64"}, {"lr", "0.001"}, {"epochs", "35"}}},
        {"sprites-beta",
         "beta-VAE (beta 4) on 100,000 sprites at 64 px: conv 32, 32, 64, 64 (Burgess et al.), dense 256, z = 10, "
         "3 epochs",
         "sprites", 64, 100000,
         {{"arch", "conv"}, {"conv_channels", "32,32,64,64"}, {"hidden", "256"}, {"latent_dim", "10"},
          {"likelihood", "bernoulli"}, {"batch_size", "64"}, {"lr", "0.0005"}, {"epochs", "3"}, {"beta", "4"},
          {"objective", "elbo"}}},
        {"sprites-tc", "beta-TCVAE (beta 6) on the sprites-beta preset's data and network", "sprites", 64, 100000,
         {{"arch", "conv"}, {"conv_channels", "32,32,64,64"}, {"hidden", "256"}, {"latent_dim", "10"},
          {"likelihood", "bernoulli"}, {"batch_size", "64"}, {"lr", "0.0005"}, {"epochs", "3"}, {"beta", "6"},
          {"objective", "beta-tc"}}},
    };
    return table;
}

const Preset* findPreset(const std::string& name) {
    for (const Preset& preset : presetTable())
        if (preset.name == name) return &preset;
    return nullptr;
}

std::vector<std::string> presetNames() {
    std::vector<std::string> names;
    for (const Preset& preset : presetTable()) names.push_back(preset.name);
    return names;
}

std::string presetNameList() {
    const auto& table = presetTable();
    std::string list;
    for (std::size_t i = 0; i < table.size(); ++i)
        list += (i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + table[i].name;
    return list;
}

void applyPreset(const std::string& name, RunSettings& run) {
    const Preset* preset = findPreset(name);
    if (!preset) throw ConfigError("unknown preset '" + name + "' (use " + presetNameList() + ")");
    const RunSettings defaults;
    for (const Preset& any : presetTable())
        for (const auto& [key, value] : any.values) findSetting(key)->set(run, findSetting(key)->get(defaults));
    for (const auto& [key, value] : preset->values) findSetting(key)->set(run, value);
    if (!preset->dataset.empty()) findSetting("dataset")->set(run, preset->dataset);
    if (preset->imageSize > 0) run.imageSize = preset->imageSize;
    run.subset = preset->subset;
}

std::string presetDataNote(const std::string& name, const RunSettings& run) {
    const Preset* preset = findPreset(name);
    if (!preset || preset->dataset.empty() || preset->dataset == run.dataset) return {};
    return "--preset " + name + " is made for --dataset " + preset->dataset + "; training on " + run.dataset +
           " with its model and training settings (its image size and subset do not apply)";
}

}  // namespace vae
