#include "settings.h"

#include "builtin_datasets.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace vae {
namespace {

// Caps that keep a typo from exhausting memory.
constexpr double kMaxLayerWidth = 16384;
constexpr std::size_t kMaxLayers = 16;

std::string numberText(double value) {
    std::ostringstream text;
    text.precision(15);
    text << value;
    return text.str();
}


long long toInteger(const Setting& s, const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
        // A number out of range is named so, however it is written ("1e+30", as JSON writes a
        // large whole number, or 99999999999999999999).
        char* numberEnd = nullptr;
        const double number = std::strtod(text.c_str(), &numberEnd);
        if (!text.empty() && numberEnd == text.c_str() + text.size() && (number < s.min || number > s.max))
            throw SettingError(s, text + " is outside " + rangeText(s));
        throw SettingError(s, "'" + text + "' is not a whole number");
    }
    if (double(value) < s.min || double(value) > s.max)
        throw SettingError(s, text + " is outside " + rangeText(s));
    return value;
}

double toNumber(const Setting& s, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
        throw SettingError(s, "'" + text + "' is not a number");
    if (s.minExclusive && !(value > s.min))
        throw SettingError(s, text + (s.min == 0 ? " must be positive" : " must be more than " + numberText(s.min)));
    if (!s.minExclusive && value < s.min)
        throw SettingError(s, text + (s.min == 0 ? " must be zero or positive" : " is outside " + rangeText(s)));
    if (value > s.max) throw SettingError(s, text + " is more than " + numberText(s.max));
    return value;
}

std::vector<int> toWidths(const Setting& s, const std::string& text) {
    std::vector<int> widths;
    if (text.empty()) return widths;  // no hidden layer: a linear map
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string part = text.substr(start, comma - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        widths.push_back(int(toInteger(s, part)));
        start = comma + 1;
    }
    if (widths.size() > kMaxLayers)
        throw SettingError(s, "at most " + std::to_string(kMaxLayers) + " hidden layers");
    return widths;
}

// "STEP:BETA,STEP:BETA", steps rising.
std::string betaChangesText(const std::vector<BetaChange>& changes) {
    std::string text;
    for (const auto& change : changes) text += (text.empty() ? "" : ",") + std::to_string(change.step) + ":" + numberText(change.beta);
    return text;
}

std::vector<BetaChange> toBetaChanges(const Setting& s, const std::string& text) {
    std::vector<BetaChange> changes;
    if (text.empty()) return changes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string part = text.substr(start, comma - start);
        const std::size_t colon = part.find(':');
        char* end = nullptr;
        BetaChange change;
        errno = 0;
        change.step = std::strtoll(part.c_str(), &end, 10);
        const bool stepOk = colon != std::string::npos && colon > 0 && end == part.c_str() + colon && errno == 0 && change.step >= 0;
        if (stepOk) change.beta = std::strtod(part.c_str() + colon + 1, &end);
        if (!stepOk || end != part.c_str() + part.size() || colon + 1 == part.size() || !std::isfinite(change.beta))
            throw SettingError(s, "'" + part + "' is not STEP:BETA");
        if (change.beta < 0 || change.beta > s.max) throw SettingError(s, "beta " + numberText(change.beta) + " is outside 0.." + numberText(s.max));
        if (!changes.empty() && change.step <= changes.back().step)
            throw SettingError(s, "steps must rise (" + std::to_string(change.step) + " after " + std::to_string(changes.back().step) + ")");
        if (changes.size() >= 10000) throw SettingError(s, "at most 10000 changes");
        changes.push_back(change);
        start = comma + 1;
    }
    return changes;
}

std::string toChoice(const Setting& s, const std::string& text) {
    for (const auto& choice : s.choices)
        if (text == choice) return text;
    std::string list;
    for (std::size_t i = 0; i < s.choices.size(); ++i)
        list += (i == 0 ? "" : i + 1 == s.choices.size() ? " or " : ", ") + s.choices[i];
    throw SettingError(s, "'" + text + "' is not " + list);
}

// One table row; `get` and `set` read and write its value in RunSettings.
template <typename Get, typename Set>
Setting row(const char* key, const char* flag, const char* label, const std::string& valueName, const std::string& help,
            SettingKind kind, double min, double max, Get get, Set set) {
    Setting s;
    s.key = key;
    s.flag = flag;
    s.label = label;
    s.valueName = valueName;
    s.help = help;
    s.kind = kind;
    s.min = min;
    s.max = max;
    s.get = get;
    s.set = set;
    return s;
}

// The settings panel's field of a row (see SettingField).
void showAs(Setting& s, SettingField field, int decimals = 0, double step = 1) {
    s.field = field;
    s.decimals = decimals;
    s.step = step;
}

std::vector<Setting> buildTable() {
    using K = SettingKind;
    std::vector<Setting> table;
    table.push_back(row("dataset", "dataset", "Dataset", builtInDatasetNames("|") + "|DIR",
                        "Images to train on: " + builtInDatasetNames(", ") + " (a name, never a folder of that name: "
                        "write ./mnist for one), a folder of four IDX files (raw or .gz), or one of one subfolder of "
                        "PNG/JPEG/BMP images per class. A built-in set brings its image size. With --resume, the "
                        "checkpoint's by default.", K::Text, 0, 0,
                        [](const RunSettings& r) { return r.dataset; },
                        [](RunSettings& r, const std::string& v) {
                            // Another built-in set is read or drawn at its own size unless a later
                            // image_size says otherwise (the table applies rows in order).
                            if (const BuiltInDataset* set = findBuiltInDataset(v); set && v != r.dataset)
                                r.imageSize = set->imageSize;
                            r.dataset = v;
                        }));
    showAs(table.back(), SettingField::DataSource);
    table.push_back(row("image_size", "image-size", "Image size", "N",
                        "Side in pixels of the squares an image folder's images are made into, or a generated set "
                        "(emoji, sprites) is drawn at.", K::Integer, 4, 512,
                        [](const RunSettings& r) { return std::to_string(r.imageSize); },
                        [](RunSettings& r, const std::string& v) { r.imageSize = int(toInteger(*findSetting("image_size"), v)); }));
    showAs(table.back(), SettingField::Spin);
    table.back().imageFoldersOnly = true;
    table.back().drawnSetsToo = true;
    table.push_back(row("color", "color", "Colour", "auto|gray|rgb",
                        "An image folder's colour: auto keeps RGB when any image has colour; transparent pixels are "
                        "drawn on white.", K::Choice, 0, 0, [](const RunSettings& r) { return r.color; },
                        [](RunSettings& r, const std::string& v) { r.color = toChoice(*findSetting("color"), v); }));
    table.back().choices = {"auto", "gray", "rgb"};
    showAs(table.back(), SettingField::Choice);
    table.back().imageFoldersOnly = true;
    table.push_back(row("fit", "fit", "Fit", "crop|squash",
                        "How an image folder's pictures become squares: crop resizes the shorter side and centre-crops "
                        "(torchvision's Resize + CenterCrop); squash resizes both sides.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return r.fit; },
                        [](RunSettings& r, const std::string& v) { r.fit = toChoice(*findSetting("fit"), v); }));
    table.back().choices = {"crop", "squash"};
    showAs(table.back(), SettingField::Choice);
    table.back().imageFoldersOnly = true;
    table.push_back(row("test_fraction", "test-fraction", "Test fraction", "X",
                        "Share of an image folder without a test/ subfolder held out as its test set (split with the seed).",
                        K::Number, 0, 0.9, [](const RunSettings& r) { return numberText(r.testFraction); },
                        [](RunSettings& r, const std::string& v) { r.testFraction = toNumber(*findSetting("test_fraction"), v); }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.05);
    table.back().imageFoldersOnly = true;
    table.push_back(row("subset", "subset", "Training subset", "N",
                        "Train on N of the training images, chosen with the seed (0: all); the test set stays whole.",
                        K::Integer, 0, 100000000, [](const RunSettings& r) { return std::to_string(r.subset); },
                        [](RunSettings& r, const std::string& v) { r.subset = int(toInteger(*findSetting("subset"), v)); }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
    table.push_back(row("latent_dim", "latent-dim", "Latent dim", "N", "Latent dimensions.", K::Integer, 1, 1024,
                        [](const RunSettings& r) { return std::to_string(r.model.latentDim); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.latentDim = int(toInteger(*findSetting("latent_dim"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row("hidden", "hidden", "Hidden", "H1[,H2,...]",
                        "Encoder hidden widths; the decoder mirrors them unless decoder_hidden says otherwise.",
                        K::Widths, 1, kMaxLayerWidth,
                        [](const RunSettings& r) { return widthsText(r.model.encoderHidden); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.encoderHidden = toWidths(*findSetting("hidden"), v);
                            r.model.decoderHidden.assign(r.model.encoderHidden.rbegin(), r.model.encoderHidden.rend());
                        }));
    showAs(table.back(), SettingField::Widths);
    table.push_back(row("decoder_hidden", "decoder-hidden", "Decoder hidden", "H1[,H2,...]",
                        "Decoder hidden widths (default: the encoder's, mirrored).", K::Widths, 1, kMaxLayerWidth,
                        [](const RunSettings& r) { return widthsText(r.model.decoderHidden); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.decoderHidden = toWidths(*findSetting("decoder_hidden"), v);
                        }));
    table.push_back(row("arch", "arch", "Architecture", "mlp|conv",
                        "mlp: dense layers; conv: 4x4 convolutions at stride 2 before the dense layers, and their "
                        "transposed mirror in the decoder.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return architectureName(r.model.architecture); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.architecture = parseArchitecture(toChoice(*findSetting("arch"), v));
                        }));
    table.back().choices = {"mlp", "conv"};
    showAs(table.back(), SettingField::Choice);
    table.push_back(row("conv_channels", "conv-channels", "Conv channels", "C1[,C2,...]",
                        "A conv model's convolutions' channels, each halving the image; the decoder mirrors them.",
                        K::Widths, 1, 1024, [](const RunSettings& r) { return widthsText(r.model.convChannels); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.convChannels = toWidths(*findSetting("conv_channels"), v);
                        }));
    showAs(table.back(), SettingField::Widths);
    table.back().enabledWithKey = "arch";
    table.back().enabledWithValue = "conv";
    table.push_back(row("activation", "activation", "Activation", "relu|tanh", "The nonlinearity after every hidden layer.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return activationName(r.model.activation); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.activation = parseActivation(toChoice(*findSetting("activation"), v));
                        }));
    table.back().choices = {"relu", "tanh"};
    showAs(table.back(), SettingField::Choice);
    table.push_back(row("likelihood", "likelihood", "Likelihood", "bernoulli|gaussian", "Pixel likelihood.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return likelihoodName(r.model.likelihood); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.likelihood = parseLikelihood(toChoice(*findSetting("likelihood"), v));
                        }));
    table.back().choices = {"bernoulli", "gaussian"};
    showAs(table.back(), SettingField::Choice);
    table.back().choiceLabels = {"Bernoulli", "Gaussian (fixed σ)"};
    table.push_back(row("sigma", "sigma", "σ (Gaussian)", "X",
                        "Standard deviation of the Gaussian likelihood, in pixel units of [0,1].", K::Number, 0, 10,
                        [](const RunSettings& r) { return numberText(r.model.gaussianSigma); },
                        [](RunSettings& r, const std::string& v) {
                            r.model.gaussianSigma = toNumber(*findSetting("sigma"), v);
                        }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.01);
    table.back().advanced = true;
    table.back().enabledWithKey = "likelihood";
    table.back().enabledWithValue = "gaussian";
    table.push_back(row("beta", "beta", "β (KL weight)", "X", "Weight of the KL term in the objective.", K::Number,
                        0, 100, [](const RunSettings& r) { return numberText(r.training.beta); },
                        [](RunSettings& r, const std::string& v) { r.training.beta = toNumber(*findSetting("beta"), v); }));
    showAs(table.back(), SettingField::Decimal, 2, 0.1);
    table.back().editableWhileTraining = true;
    table.push_back(row("beta_changes", "beta-changes", "β changes", "STEP:BETA[,...]",
                        "Beta targets set while training, each from the model's step STEP on (the window records them).",
                        K::Text, 0, 100, [](const RunSettings& r) { return betaChangesText(r.training.betaChanges); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.betaChanges = toBetaChanges(*findSetting("beta_changes"), v);
                        }));
    table.push_back(row("warmup_epochs", "warmup-epochs", "KL warm-up", "N",
                        "Epochs over which beta ramps linearly from 0 to its value (0: none).", K::Integer, 0, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.warmupEpochs); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.warmupEpochs = int(toInteger(*findSetting("warmup_epochs"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
    table.push_back(row("free_bits", "free-bits", "Free bits", "NATS",
                        "KL floor per latent dimension, on the batch mean: the objective counts max(NATS, KL_d).",
                        K::Number, 0, 100, [](const RunSettings& r) { return numberText(r.training.freeBits); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.freeBits = toNumber(*findSetting("free_bits"), v);
                        }));
    showAs(table.back(), SettingField::Decimal, 2, 0.1);
    table.back().advanced = true;
    table.push_back(row("objective", "objective", "Objective", "elbo|beta-tc",
                        "What training minimises: elbo (recon + β KL, a β-VAE when β is not 1) or beta-tc (β-TCVAE: "
                        "recon + index-code MI + β total correlation + dimension-wise KL, estimated on each batch).",
                        K::Choice, 0, 0, [](const RunSettings& r) { return objectiveName(r.training.objective); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.objective = parseObjective(toChoice(*findSetting("objective"), v));
                        }));
    table.back().choices = {"elbo", "beta-tc"};
    table.back().choiceLabels = {"ELBO (β-VAE)", "β-TCVAE"};
    showAs(table.back(), SettingField::Choice);
    table.back().advanced = true;
    table.push_back(row("binarize", "binarize", "Binarize", "none|dynamic|static",
                        "Binarized pixels: dynamic draws each batch afresh, static the training set once (the test "
                        "set is binarized once with a fixed seed).",
                        K::Choice, 0, 0, [](const RunSettings& r) { return binarizationName(r.training.binarize); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.binarize = parseBinarization(toChoice(*findSetting("binarize"), v));
                        }));
    table.back().choices = {"none", "dynamic", "static"};
    showAs(table.back(), SettingField::Choice);
    table.back().advanced = true;
    table.push_back(row("epochs", "epochs", "Epochs", "N", "Epochs to train.", K::Integer, 1, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.epochs); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.epochs = int(toInteger(*findSetting("epochs"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row("batch_size", "batch-size", "Batch size", "N", "Images per batch.", K::Integer, 1, 65536,
                        [](const RunSettings& r) { return std::to_string(r.training.batchSize); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.batchSize = int(toInteger(*findSetting("batch_size"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row("lr", "lr", "Learning rate", "X", "Adam learning rate.", K::Number, 0, 10,
                        [](const RunSettings& r) { return numberText(r.training.learningRate); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.learningRate = toNumber(*findSetting("lr"), v);
                        }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 5, 0.0001);
    table.push_back(row("lr_decay", "lr-decay", "LR decay", "FACTOR",
                        "Step decay: the learning rate is multiplied by FACTOR every lr_decay_every epochs (1: none).",
                        K::Number, 0, 1, [](const RunSettings& r) { return numberText(r.training.lrDecay); },
                        [](RunSettings& r, const std::string& v) { r.training.lrDecay = toNumber(*findSetting("lr_decay"), v); }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.05);
    table.back().advanced = true;
    table.push_back(row("lr_decay_every", "lr-decay-every", "LR decay every", "EPOCHS",
                        "Epochs of the model between two learning-rate decays.", K::Integer, 1, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.lrDecayEvery); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.lrDecayEvery = int(toInteger(*findSetting("lr_decay_every"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
    table.push_back(row("seed", "seed", "Seed", "N", "Random seed (initial weights, batch order, noise).",
                        K::Integer, 0, std::numeric_limits<int>::max(),
                        [](const RunSettings& r) { return std::to_string(r.training.seed); },
                        [](RunSettings& r, const std::string& v) {
                            r.training.seed = std::uint64_t(toInteger(*findSetting("seed"), v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row("threads", "threads", "Threads", "N", "Compute threads, at most one per core (0: one per core).",
                        K::Integer, 0, 1 << 20, [](const RunSettings& r) { return std::to_string(r.threads); },
                        [](RunSettings& r, const std::string& v) {
                            r.threads = int(toInteger(*findSetting("threads"), v));
                        }));
    table.push_back(row("device", "device", "Device", "auto|cpu|cuda", "Where to train.", K::Choice, 0, 0,
                        [](const RunSettings& r) { return r.device; },
                        [](RunSettings& r, const std::string& v) { r.device = toChoice(*findSetting("device"), v); }));
    table.back().choices = {"auto", "cpu", "cuda"};
    for (auto& s : table) {
        for (const char* key : {"latent_dim", "hidden", "decoder_hidden", "arch", "conv_channels", "activation", "likelihood", "sigma"})
            if (s.key == key) s.group = SettingGroup::Model;
        for (const char* key : {"beta", "beta_changes", "warmup_epochs", "free_bits", "binarize", "objective", "epochs", "batch_size", "lr",
                                "lr_decay", "lr_decay_every", "seed"})
            if (s.key == key) s.group = SettingGroup::Training;
    }
    return table;
}

}  // namespace

SettingError::SettingError(const Setting& setting, const std::string& problemText)
    : ConfigError(setting.label + ": " + problemText), key(setting.key), problem(problemText) {}

std::string widthsText(const std::vector<int>& widths) {
    std::string text;
    for (int width : widths) text += (text.empty() ? "" : ",") + std::to_string(width);
    return text;
}

const std::vector<Setting>& settingsTable() {
    static const std::vector<Setting> table = buildTable();
    return table;
}

const Setting* findSetting(const std::string& key) {
    for (const auto& s : settingsTable())
        if (s.key == key) return &s;
    return nullptr;
}

std::string rangeText(const Setting& s) {
    return (s.minExclusive ? "more than " + numberText(s.min) + " up to " : numberText(s.min) + "..") + numberText(s.max);
}

}  // namespace vae
