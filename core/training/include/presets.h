#pragma once
// Named protocols shared by the CLI, run files and the window, one row each: what a preset is
// made for (its data set, image size and training subset) and the settings it gives, as
// (settings-table key, value) pairs applied through each setting's own setter. --help, the man
// page, the bash completion, docs/cli.md, the window's preset menu and the errors all read this
// table: adding a preset is adding one row to presets.cpp.
#include "settings.h"

#include <string>
#include <utility>
#include <vector>

namespace vae {

struct Preset {
    std::string name;     // --preset NAME
    std::string summary;  // one line, for the help, the docs and the window's tooltip
    std::string dataset;  // the data set it is made for (selected with it); empty: any
    int imageSize = 0;    // the side it is made for; 0: the data set's own
    int subset = 0;       // RunSettings::subset it trains on (0: every training image)
    std::vector<std::pair<std::string, std::string>> values;  // settings-table key, value
};

const std::vector<Preset>& presetTable();
const Preset* findPreset(const std::string& name);  // null for an unknown name
std::vector<std::string> presetNames();
// "a, b or c": the names for an error message.
std::string presetNameList();

// Applies a preset to a run: every setting that any preset gives first returns to its default,
// so the preset chosen before it leaves nothing behind; then the preset's own values, its data set
// (with that set's image size, or the preset's), and its subset. Throws ConfigError for an
// unknown name.
void applyPreset(const std::string& name, RunSettings& run);

// What of a preset was kept when its data set was replaced by `run`'s, in one line (empty when
// the preset is made for any data, or `run` trains on the preset's own): for the CLI and window.
std::string presetDataNote(const std::string& name, const RunSettings& run);

}  // namespace vae
