#pragma once
// The one table of a run's settings, as FFmpeg's AVOption table is for a codec: for each setting
// its key (run.json and the checkpoint), its command-line flag, its label in the window, what it
// means in one line, its kind, range and default. Validation, the CLI's options and help, the
// settings panel's widgets and ranges, the run file's keys and the error messages all come from
// here; a default lives in the structs' initialisers (RunSettings{} is the default run) and
// nowhere else. Torch-free.
#include "errors.h"
#include "model_config.h"
#include "training.h"

#include <functional>
#include <string>
#include <vector>

namespace vae {

// Everything that defines a run.
struct RunSettings {
    std::string dataset = "mnist";  // a built-in set's name (builtin_datasets.h) or a folder
    ModelConfig model;
    TrainOptions training;
    int imageSize = 28;              // an image folder's images are resized to this square
    // An image folder's colour: "auto" (RGB when any image has colour), "gray" or "rgb"; and how
    // a picture that is not square becomes one: "crop" (the shorter side resized, the rest
    // centre-cropped, as torchvision's Resize + CenterCrop) or "squash" (both sides resized).
    // Run files and checkpoints from before these existed mean gray and squash (kLegacyColor...).
    std::string color = "auto";
    std::string fit = "crop";
    double testFraction = 1.0 / 6;   // of an image folder without a test/ subfolder
    int subset = 0;  // train on this many training images, chosen with the seed (0: all of them)
    int threads = 0;  // compute threads; 0 = one per core
    std::string device = "auto";
};

enum class SettingGroup {
    Model,     // the model's shape: fixed once a model is trained
    Training,  // how it is trained
    Run,       // where: the data, threads and device
};

enum class SettingKind {
    Integer,  // a whole number in [min, max]
    Number,   // a real number in [min, max] (or (min, max] with minExclusive)
    Widths,   // layer widths, each in [min, max], comma separated
    Choice,   // one of `choices`
    Text,     // free text (a dataset name or folder)
};

// How the window's settings panel shows a setting. The panel builds its fields from the table
// alone: adding a setting means one row here and nothing in ui/.
enum class SettingField {
    Hidden,      // not in the panel (it keeps the value it was given)
    Spin,        // a whole number over [min, max]
    Decimal,     // a real number over [min, max], with `decimals` and `step`
    Widths,      // comma-separated layer widths, each in [min, max]
    Choice,      // one of `choices`, shown as `choiceLabels` where given
    DataSource,  // the data set chooser: the built-ins and Open folder… (a widget of its own)
};

struct Setting {
    std::string key;        // run.json and checkpoint key: "batch_size"
    std::string flag;       // the command-line option, without "--": "batch-size"
    std::string label;      // the window's field: "Batch size"
    std::string valueName;  // for the CLI's help: "N"
    std::string help;       // what it means, in one line
    SettingKind kind = SettingKind::Integer;
    double min = 0;
    double max = 0;
    bool minExclusive = false;
    std::vector<std::string> choices;
    SettingGroup group = SettingGroup::Run;
    // The settings panel's field. A Model setting locks while a trained model exists; the others
    // lock while training, unless editableWhileTraining (β: taken at the trainer's next batch).
    SettingField field = SettingField::Hidden;
    int decimals = 0;   // Decimal
    double step = 1;    // Spin and Decimal
    std::vector<std::string> choiceLabels;  // Choice: the window's words for `choices`
    bool editableWhileTraining = false;
    bool imageFoldersOnly = false;  // enabled for an image folder's data only
    bool drawnSetsToo = false;      // imageFoldersOnly, and a generated set (emoji) is drawn at it too
    bool advanced = false;          // in the panel's collapsible Advanced section, not its group's
    // Enabled only while the setting `enabledWithKey` has the value `enabledWithValue`.
    std::string enabledWithKey;
    std::string enabledWithValue;
    // The value as text (the CLI's and run.json's common form), and back. `set` checks the text
    // and the range and throws SettingError; `assign` is the row's own setter, handed its row.
    std::function<std::string(const RunSettings&)> get;
    std::function<void(const Setting& self, RunSettings&, const std::string&)> assign;
    void set(RunSettings& run, const std::string& text) const { assign(*this, run, text); }
};

// A bad value for a setting. what() names it in words ("Batch size: 0 is outside 1..65536");
// each front end may name it its own way instead: the CLI by its flag, the window by its field.
struct SettingError : ConfigError {
    SettingError(const Setting& setting, const std::string& problem);
    std::string key;
    std::string problem;
};

// What a run file or checkpoint without the color or fit key was trained with.
inline constexpr const char* kLegacyColor = "gray";
inline constexpr const char* kLegacyFit = "squash";

const std::vector<Setting>& settingsTable();
// Null for an unknown key.
const Setting* findSetting(const std::string& key);

// Checks the settings of a group (every setting without one) against the table. Throws SettingError.
void validate(const RunSettings& settings);
void validate(const RunSettings& settings, SettingGroup group);
// The range of a numeric setting as text, e.g. "1..65536".
std::string rangeText(const Setting& setting);
// Layer widths as the table writes them (the CLI, run.json's text form, the window): "512,256".
std::string widthsText(const std::vector<int>& widths);

}  // namespace vae
