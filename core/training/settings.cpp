#include "settings.h"

#include "builtin_datasets.h"
#include "setting_values.h"

#include <limits>

namespace vae {
namespace {

// A cap that keeps a typo from exhausting memory (the number of layers: setting_values.h).
constexpr double kMaxLayerWidth = 16384;


// One table row; `get` and `set` read and write its value in RunSettings.
template <typename Get, typename Set>
Setting row(SettingGroup group, const char* key, const char* flag, const char* label, const std::string& valueName,
            const std::string& help, SettingKind kind, double min, double max, Get get, Set set) {
    Setting s;
    s.group = group;
    s.key = key;
    s.flag = flag;
    s.label = label;
    s.valueName = valueName;
    s.help = help;
    s.kind = kind;
    s.min = min;
    s.max = max;
    s.get = get;
    s.assign = set;
    return s;
}

// The settings panel's field of a row (see SettingField).
void showAs(Setting& s, SettingField field, int decimals = 0, double step = 1) {
    s.field = field;
    s.decimals = decimals;
    s.step = step;
}

// The data: what to read or draw, at what size, and how an image folder is split.
void addDataRows(std::vector<Setting>& table) {
    using K = SettingKind;
    table.push_back(row(SettingGroup::Run, "dataset", "dataset", "Dataset", builtInDatasetNames("|") + "|DIR",
                        "Images to train on: " + builtInDatasetNames(", ") + " (a name, never a folder of that name: "
                        "write ./mnist for one), a folder of four IDX files (raw or .gz), or one of one subfolder of "
                        "PNG/JPEG/BMP images per class. A built-in set brings its image size. With --resume, the "
                        "checkpoint's by default.", K::Text, 0, 0,
                        [](const RunSettings& r) { return r.dataset; },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            // Another built-in set is read or drawn at its own size unless a later
                            // image_size says otherwise (the table applies rows in order).
                            if (const BuiltInDataset* set = findBuiltInDataset(v); set && v != r.dataset)
                                r.imageSize = set->imageSize;
                            r.dataset = v;
                        }));
    showAs(table.back(), SettingField::DataSource);
    table.push_back(row(SettingGroup::Run, "image_size", "image-size", "Image size", "N",
                        "Side in pixels of the squares an image folder's images are made into, or a generated set "
                        "(emoji, sprites) is drawn at.", K::Integer, 4, 512,
                        [](const RunSettings& r) { return std::to_string(r.imageSize); },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.imageSize = int(toInteger(s, v)); }));
    showAs(table.back(), SettingField::Spin);
    table.back().imageFoldersOnly = true;
    table.back().drawnSetsToo = true;
    table.push_back(row(SettingGroup::Run, "color", "color", "Colour", "auto|gray|rgb",
                        "An image folder's colour: auto keeps RGB when any image has colour; transparent pixels are "
                        "drawn on white.", K::Choice, 0, 0, [](const RunSettings& r) { return r.color; },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.color = toChoice(s, v); }));
    table.back().choices = {"auto", "gray", "rgb"};
    showAs(table.back(), SettingField::Choice);
    table.back().imageFoldersOnly = true;
    table.push_back(row(SettingGroup::Run, "fit", "fit", "Fit", "crop|squash",
                        "How an image folder's pictures become squares: crop resizes the shorter side and centre-crops "
                        "(torchvision's Resize + CenterCrop); squash resizes both sides.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return r.fit; },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.fit = toChoice(s, v); }));
    table.back().choices = {"crop", "squash"};
    showAs(table.back(), SettingField::Choice);
    table.back().imageFoldersOnly = true;
    table.push_back(row(SettingGroup::Run, "test_fraction", "test-fraction", "Test fraction", "X",
                        "Share of an image folder without a test/ subfolder held out as its test set (split with the seed).",
                        K::Number, 0, 0.9, [](const RunSettings& r) { return numberText(r.testFraction); },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.testFraction = toNumber(s, v); }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.05);
    table.back().imageFoldersOnly = true;
    table.push_back(row(SettingGroup::Run, "subset", "subset", "Training subset", "N",
                        "Train on N of the training images, chosen with the seed (0: all); the test set stays whole.",
                        K::Integer, 0, 100000000, [](const RunSettings& r) { return std::to_string(r.subset); },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.subset = int(toInteger(s, v)); }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
}

// The model's shape: fixed once a model is trained.
void addModelRows(std::vector<Setting>& table) {
    using K = SettingKind;
    table.push_back(row(SettingGroup::Model, "latent_dim", "latent-dim", "Latent dim", "N", "Latent dimensions.", K::Integer, 1, 1024,
                        [](const RunSettings& r) { return std::to_string(r.model.latentDim); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.latentDim = int(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row(SettingGroup::Model, "hidden", "hidden", "Hidden", "H1[,H2,...]",
                        "Encoder hidden widths; the decoder mirrors them unless decoder_hidden says otherwise.",
                        K::Widths, 1, kMaxLayerWidth,
                        [](const RunSettings& r) { return widthsText(r.model.encoderHidden); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.encoderHidden = toWidths(s, v);
                            r.model.decoderHidden.assign(r.model.encoderHidden.rbegin(), r.model.encoderHidden.rend());
                        }));
    showAs(table.back(), SettingField::Widths);
    table.push_back(row(SettingGroup::Model, "decoder_hidden", "decoder-hidden", "Decoder hidden", "H1[,H2,...]",
                        "Decoder hidden widths (default: the encoder's, mirrored).", K::Widths, 1, kMaxLayerWidth,
                        [](const RunSettings& r) { return widthsText(r.model.decoderHidden); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.decoderHidden = toWidths(s, v);
                        }));
    table.push_back(row(SettingGroup::Model, "arch", "arch", "Architecture", "mlp|conv",
                        "mlp: dense layers; conv: 4x4 convolutions at stride 2 before the dense layers, and their "
                        "transposed mirror in the decoder.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return architectureName(r.model.architecture); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.architecture = parseArchitecture(toChoice(s, v));
                        }));
    table.back().choices = {"mlp", "conv"};
    showAs(table.back(), SettingField::Choice);
    table.push_back(row(SettingGroup::Model, "conv_channels", "conv-channels", "Conv channels", "C1[,C2,...]",
                        "A conv model's convolutions' channels, each halving the image; the decoder mirrors them.",
                        K::Widths, 1, 1024, [](const RunSettings& r) { return widthsText(r.model.convChannels); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.convChannels = toWidths(s, v);
                        }));
    showAs(table.back(), SettingField::Widths);
    table.back().enabledWithKey = "arch";
    table.back().enabledWithValue = "conv";
    table.push_back(row(SettingGroup::Model, "activation", "activation", "Activation", "relu|tanh", "The nonlinearity after every hidden layer.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return activationName(r.model.activation); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.activation = parseActivation(toChoice(s, v));
                        }));
    table.back().choices = {"relu", "tanh"};
    showAs(table.back(), SettingField::Choice);
    table.push_back(row(SettingGroup::Model, "likelihood", "likelihood", "Likelihood", "bernoulli|gaussian", "Pixel likelihood.",
                        K::Choice, 0, 0, [](const RunSettings& r) { return likelihoodName(r.model.likelihood); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.likelihood = parseLikelihood(toChoice(s, v));
                        }));
    table.back().choices = {"bernoulli", "gaussian"};
    showAs(table.back(), SettingField::Choice);
    table.back().choiceLabels = {"Bernoulli", "Gaussian (fixed σ)"};
    table.push_back(row(SettingGroup::Model, "sigma", "sigma", "σ (Gaussian)", "X",
                        "Standard deviation of the Gaussian likelihood, in pixel units of [0,1].", K::Number, 0, 10,
                        [](const RunSettings& r) { return numberText(r.model.gaussianSigma); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.model.gaussianSigma = toNumber(s, v);
                        }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.01);
    table.back().advanced = true;
    table.back().enabledWithKey = "likelihood";
    table.back().enabledWithValue = "gaussian";
}

// What it minimises: the objective and the KL term's weight.
void addObjectiveRows(std::vector<Setting>& table) {
    using K = SettingKind;
    table.push_back(row(SettingGroup::Training, "beta", "beta", "β (KL weight)", "X", "Weight of the KL term in the objective.", K::Number,
                        0, 100, [](const RunSettings& r) { return numberText(r.training.beta); },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.training.beta = toNumber(s, v); }));
    showAs(table.back(), SettingField::Decimal, 2, 0.1);
    table.back().editableWhileTraining = true;
    table.push_back(row(SettingGroup::Training, "beta_changes", "beta-changes", "β changes", "STEP:BETA[,...]",
                        "Beta targets set while training, each from the model's step STEP on (the window records them).",
                        K::Text, 0, 100, [](const RunSettings& r) { return betaChangesText(r.training.betaChanges); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.betaChanges = toBetaChanges(s, v);
                        }));
    table.push_back(row(SettingGroup::Training, "warmup_epochs", "warmup-epochs", "KL warm-up", "N",
                        "Epochs over which beta ramps linearly from 0 to its value (0: none).", K::Integer, 0, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.warmupEpochs); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.warmupEpochs = int(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
    table.push_back(row(SettingGroup::Training, "free_bits", "free-bits", "Free bits", "NATS",
                        "KL floor per latent dimension, on the batch mean: the objective counts max(NATS, KL_d).",
                        K::Number, 0, 100, [](const RunSettings& r) { return numberText(r.training.freeBits); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.freeBits = toNumber(s, v);
                        }));
    showAs(table.back(), SettingField::Decimal, 2, 0.1);
    table.back().advanced = true;
    table.push_back(row(SettingGroup::Training, "objective", "objective", "Objective", "elbo|beta-tc",
                        "What training minimises: elbo (recon + β KL, a β-VAE when β is not 1) or beta-tc (β-TCVAE: "
                        "recon + index-code MI + β total correlation + dimension-wise KL, estimated on each batch).",
                        K::Choice, 0, 0, [](const RunSettings& r) { return objectiveName(r.training.objective); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.objective = parseObjective(toChoice(s, v));
                        }));
    table.back().choices = {"elbo", "beta-tc"};
    table.back().choiceLabels = {"ELBO (β-VAE)", "β-TCVAE"};
    showAs(table.back(), SettingField::Choice);
    table.back().advanced = true;
    table.push_back(row(SettingGroup::Training, "binarize", "binarize", "Binarize", "none|dynamic|static",
                        "Binarized pixels: dynamic draws each batch afresh, static the training set once (the test "
                        "set is binarized once with a fixed seed).",
                        K::Choice, 0, 0, [](const RunSettings& r) { return binarizationName(r.training.binarize); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.binarize = parseBinarization(toChoice(s, v));
                        }));
    table.back().choices = {"none", "dynamic", "static"};
    showAs(table.back(), SettingField::Choice);
    table.back().advanced = true;
}

// How long, in what steps and how fast it learns.
void addScheduleRows(std::vector<Setting>& table) {
    using K = SettingKind;
    table.push_back(row(SettingGroup::Training, "epochs", "epochs", "Epochs", "N", "Epochs to train.", K::Integer, 1, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.epochs); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.epochs = int(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row(SettingGroup::Training, "batch_size", "batch-size", "Batch size", "N", "Images per batch.", K::Integer, 1, 65536,
                        [](const RunSettings& r) { return std::to_string(r.training.batchSize); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.batchSize = int(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.push_back(row(SettingGroup::Training, "lr", "lr", "Learning rate", "X", "Adam learning rate.", K::Number, 0, 10,
                        [](const RunSettings& r) { return numberText(r.training.learningRate); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.learningRate = toNumber(s, v);
                        }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 5, 0.0001);
    table.push_back(row(SettingGroup::Training, "lr_decay", "lr-decay", "LR decay", "FACTOR",
                        "Step decay: the learning rate is multiplied by FACTOR every lr_decay_every epochs (1: none).",
                        K::Number, 0, 1, [](const RunSettings& r) { return numberText(r.training.lrDecay); },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.training.lrDecay = toNumber(s, v); }));
    table.back().minExclusive = true;
    showAs(table.back(), SettingField::Decimal, 3, 0.05);
    table.back().advanced = true;
    table.push_back(row(SettingGroup::Training, "lr_decay_every", "lr-decay-every", "LR decay every", "EPOCHS",
                        "Epochs of the model between two learning-rate decays.", K::Integer, 1, 100000,
                        [](const RunSettings& r) { return std::to_string(r.training.lrDecayEvery); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.lrDecayEvery = int(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
    table.back().advanced = true;
    table.push_back(row(SettingGroup::Training, "seed", "seed", "Seed", "N", "Random seed (initial weights, batch order, noise).",
                        K::Integer, 0, std::numeric_limits<int>::max(),
                        [](const RunSettings& r) { return std::to_string(r.training.seed); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.training.seed = std::uint64_t(toInteger(s, v));
                        }));
    showAs(table.back(), SettingField::Spin);
}

// Where it computes.
void addComputeRows(std::vector<Setting>& table) {
    using K = SettingKind;
    table.push_back(row(SettingGroup::Run, "threads", "threads", "Threads", "N", "Compute threads, at most one per core (0: one per core).",
                        K::Integer, 0, 1 << 20, [](const RunSettings& r) { return std::to_string(r.threads); },
                        [](const Setting& s, RunSettings& r, const std::string& v) {
                            r.threads = int(toInteger(s, v));
                        }));
    table.push_back(row(SettingGroup::Run, "device", "device", "Device", "auto|cpu|cuda", "Where to train.", K::Choice, 0, 0,
                        [](const RunSettings& r) { return r.device; },
                        [](const Setting& s, RunSettings& r, const std::string& v) { r.device = toChoice(s, v); }));
    table.back().choices = {"auto", "cpu", "cuda"};
}

std::vector<Setting> buildTable() {
    // In this order: a row may set another that follows it (dataset sets the image size, hidden
    // the decoder's widths), and files are read in table order.
    std::vector<Setting> table;
    addDataRows(table);
    addModelRows(table);
    addObjectiveRows(table);
    addScheduleRows(table);
    addComputeRows(table);
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

std::string rangeText(const Setting& s) {
    return (s.minExclusive ? "more than " + numberText(s.min) + " up to " : numberText(s.min) + "..") + numberText(s.max);
}

}  // namespace vae
