#include "command_table.h"

#include "builtin_datasets.h"
#include "command_options.h"
#include "option_values.h"
#include "presets.h"
#include "runtime_info.h"
#include "settings.h"

#include <QStringList>
#include <QtGlobal>

#include <stdexcept>

namespace vae {
namespace {

QCommandLineOption helpOption() { return {{"h", "help"}, "Show this help and exit."}; }
QCommandLineOption quietOption() {
    return {{"q", "quiet"}, "Print no progress while working (a line redrawn on a terminal, a line a tenth in a log)."};
}

QList<QCommandLineOption> windowOptions() {
    return {{"version", "Show the version and the libraries it runs on, and exit."}, helpOption()};
}

// "pytorch-example|paper|...": every preset core knows.
QString presetValueName() {
    QStringList names;
    for (const std::string& name : presetNames()) names << QString::fromStdString(name);
    return names.join('|');
}

// "mnist|fashion-mnist|emoji|sprites|DIR": every built-in data set, then a folder.
QString datasetValueName() { return QString::fromStdString(builtInDatasetNames("|")) + "|DIR"; }

// train: where the run goes and how it is launched, then every setting of the settings table.
QList<QCommandLineOption> trainOptions() {
    QList<QCommandLineOption> options = {
        {"out", "Folder for metrics.csv, checkpoint.pt, run.json and the PNG images.", "DIR"},
        {"config", "Start from a run file's settings (another run's run.json); flags override it.", "RUN.json"},
        {"preset", "Start from a named protocol (one made for a data set selects it and its image size); explicit "
                   "options override it.", presetValueName()},
        {"force", "Replace the run already in --out (a folder with a run.json); without it such a folder is "
                  "refused, unless --resume continues its own checkpoint."},
        {"resume", "Continue training a saved checkpoint: its model settings, and (without --config or --preset) its "
                   "training settings but --epochs where not given here, and its data without --dataset.", "CHECKPOINT.pt"},
        {"keep-timeline", "Keep the replay's snapshots in checkpoint.pt (the window replays a reopened model too)."},
        {"timeline-gif", "Also write the replay of how the latent map formed (2-D latents: z1 and z2; more: the PCA "
                         "plane of the final encodings).", "FILE.gif"},
        {"world-size", "Train as one of N data-parallel processes (with --rank and --master); torchrun's, mpirun's "
                       "and Slurm's variables do the same without options.", "N"},
        {"rank", "This process's rank in 0..N-1; rank 0 hosts the rendezvous and alone writes files.", "R"},
        {"master", "Where rank 0 hosts the rendezvous (c10d's TCPStore).", "HOST:PORT"},
        {"dist-timeout", "How long a rank waits for the others, at the rendezvous and at every step (default 60).",
         "SECONDS"},
        quietOption(),
    };
    const RunSettings defaults;
    for (const Setting& setting : settingsTable())
        options << QCommandLineOption(QString::fromStdString(setting.flag),
                                      QString::fromStdString(setting.help + " (default " + setting.get(defaults) + ")"),
                                      QString::fromStdString(setting.valueName));
    return options << helpOption();
}

// What every model command takes after its own options.
QList<QCommandLineOption> modelOptions(QList<QCommandLineOption> own) {
    return own << QCommandLineOption("checkpoint", "The trained model (a checkpoint.pt).", "FILE.pt")
               << QCommandLineOption("dataset", "A built-in data set, a folder of IDX files or of images (default: the "
                                                "one the model was trained on).", datasetValueName())
               << QCommandLineOption("threads", "Compute threads (default: one per core).", "N", "0")
               << quietOption() << helpOption();
}

QList<CommandSpec> buildTable() {
    using namespace options;
    return {
        {"", "[MODEL.pt | RUN.json]",
         "Opens the window: train a VAE while watching its losses, reconstructions, samples and latent map, or open "
         "a trained checkpoint or a run file.",
         "vae-explorer run/checkpoint.pt", windowOptions()},
        {"train", "train --dataset " + datasetValueName() + " --out DIR [options]",
         "Trains a VAE headless, writing run.json, metrics.csv and checkpoint.pt every epoch and the images at "
         "the end.",
         "vae-explorer train --dataset mnist --epochs 10 --latent-dim 2 --out run", trainOptions()},
        {"encode", "encode --checkpoint MODEL.pt (--out encodings.csv | --image FILE... [--out FILE.csv]) [options]",
         "Writes q(z|x) of the test images as CSV: index,label,mu_1..mu_d,logvar_1..logvar_d. With --image, of "
         "your own pictures instead, prepared as the model's data set prepared its images: "
         "file,mu_1..mu_d,logvar_1..logvar_d, printed unless --out names a file.",
         "vae-explorer encode --checkpoint run/checkpoint.pt --out encodings.csv",
         modelOptions({{"out", "The CSV file to write.", "FILE.csv"}, commandLineOption(kEncodeCount),
                       {"image", "A picture (PNG, JPEG, BMP) to encode instead of the test set; repeat it for more.",
                        "FILE"}})},
        {"eval", "eval --checkpoint MODEL.pt [options]",
         "Prints the model's test-set figures, one per line: name value.",
         "vae-explorer eval --checkpoint run/checkpoint.pt --k 5000",
         modelOptions({{"seed", "Seed of the posterior samples in the ELBO and -log p(x) estimates.", "S", "1"},
                       {"factors", "Also score which dimension learned which factor (data with factors: sprites): "
                                   "MIG and the mutual information as disentanglement_lib computes them, and the "
                                   "FactorVAE score."},
                       commandLineOption(kSamples, false),  // opt-in: no --k, no estimate
                       commandLineOption(kEstimateImages), commandLineOption(kEstimateBatch)})},
        {"export", "export --checkpoint MODEL.pt --format torchscript|onnx|web [--part decoder|encoder|vae] --out PATH "
                   "[options]",
         "Writes the model for other programs: a TorchScript file that torch.jit.load runs, an ONNX file (opset 13) "
         "that ONNX Runtime runs, or (web) a folder with a web page of the latent space that decodes in the browser. "
         "decode(z) gives images N x C x H x W in [0,1], encode(x) gives (mu, logvar); the settings and class names "
         "go inside.",
         "vae-explorer export --checkpoint run/checkpoint.pt --format onnx --part decoder --out decoder.onnx",
         modelOptions({{"format", "torchscript, onnx, or web (a folder: the page, the decoder as ONNX, the map).",
                        "torchscript|onnx|web"},
                       {"part", "decoder (z -> images), encoder (x -> mu, logvar) or vae (x -> images at mu, mu, logvar).",
                        "decoder|encoder|vae", "vae"},
                       {"out", "The file (or web: the folder) to write, written beside it and then renamed.", "PATH"},
                       commandLineOption(kWebPoints),
                       {"force", "Replace an existing file or non-empty folder."}})},
        {"interpolate", "interpolate --checkpoint MODEL.pt (--from Z | --from-index I) (--to Z | --to-index J) "
                        "--out walk.png|walk.gif [options]",
         "Decodes a walk between two latent points as a PNG strip or an animated GIF.",
         "vae-explorer interpolate --checkpoint run/checkpoint.pt --from-index 0 --to-index 1 --out walk.gif",
         modelOptions({{"from", "Start point: comma-separated latent coordinates.", "Z"},
                       {"from-index", "Start point: the posterior mean of this test image of the dataset.", "I"},
                       {"to", "End point: comma-separated latent coordinates.", "Z"},
                       {"to-index", "End point: the posterior mean of this test image.", "J"},
                       commandLineOption(kWalkSteps),
                       {"mode", "lerp (a straight line) or slerp (a great circle, the norm interpolated).",
                        "lerp|slerp", "lerp"},
                       {"out", "walk.png (a strip) or walk.gif (an animation).", "FILE.png|FILE.gif"},
                       commandLineOption(kStripScale), commandLineOption(kGifDelay), commandLineOption(kGifLoops),
                       {"there-and-back", "GIF: walk back to the start, for a seamless loop."}})},
    };
}

}  // namespace

const QList<CommandSpec>& commandTable() {
    static const QList<CommandSpec> table = buildTable();
    return table;
}

const CommandSpec& commandSpec(const QString& name) {
    for (const CommandSpec& command : commandTable())
        if (command.name == name) return command;
    throw std::out_of_range("no command " + name.toStdString());
}

void addCommandOptions(QCommandLineParser& parser, const CommandSpec& command) {
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(command.options);
}

QString commandHelp(const CommandSpec& command) {
    QString text = "Usage: vae-explorer " + command.synopsis + "\n\n" + command.summary + "\n";
    if (command.name.isEmpty()) {
        text += "\nCommands:\n";
        for (const CommandSpec& other : commandTable())
            if (!other.name.isEmpty()) text += QString("  %1  %2\n").arg(other.name, -12).arg(other.summary);
        text += "  (vae-explorer COMMAND --help lists a command's options)\n";
    }
    text += "\nOptions:\n";
    for (const QCommandLineOption& option : command.options) {
        QStringList names;
        for (const QString& name : option.names()) names << (name.size() == 1 ? "-" : "--") + name;
        text += "  " + names.join(", ") + (option.valueName().isEmpty() ? "" : " " + option.valueName()) + "\n      " +
                option.description() + "\n";
    }
    return text;
}

QString versionText() {
    return QString("vae-explorer %1\nQt %2, LibTorch %3\n%4\nLicence GPL-3.0-or-later\n")
        .arg(VAE_EXPLORER_VERSION, qVersion(), QString::fromStdString(libTorchVersion()),
             QString::fromStdString(computeBackendReport()));
}

}  // namespace vae
