#include "model_commands.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "command_table.h"
#include "console.h"
#include "disentanglement.h"
#include "encoder.h"
#include "errors.h"
#include "file_export.h"
#include "gif_writer.h"
#include "image_convert.h"
#include "image_folder.h"
#include "latent_analysis.h"
#include "latent_paths.h"
#include "likelihood.h"
#include "model_and_data.h"
#include "model_export.h"
#include "one_line.h"
#include "option_values.h"
#include "progress_line.h"
#include "runtime_info.h"
#include "session.h"
#include "web_export.h"

#include <QCommandLineParser>
#include <QElapsedTimer>

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <optional>

namespace vae {
namespace {

// Parses the command's options (command_table). Returns false when --help was asked for (and
// printed). Throws ConfigError for bad options.
bool parseModelOptions(QCommandLineParser& parser, const QStringList& arguments, const QString& command) {
    addCommandOptions(parser, commandSpec(command));
    if (!parser.parse(arguments)) throw ConfigError(parser.errorText().toStdString());
    if (!parser.positionalArguments().isEmpty())
        throw ConfigError(("unexpected argument '" + parser.positionalArguments().first() + "'").toStdString());
    if (parser.isSet("help")) {
        printLine(stdout, commandHelp(commandSpec(command)));
        return false;
    }
    return true;
}

QString checkpointOf(const QCommandLineParser& parser) {
    const QString checkpoint = parser.value("checkpoint");
    if (checkpoint.isEmpty()) throw ConfigError("--checkpoint: which model? (--checkpoint FILE is required)");
    return checkpoint;
}

int threadsOf(const QCommandLineParser& parser) {
    bool ok = false;
    const int threads = parser.value("threads").toInt(&ok);
    if (!ok || threads < 0) throw ConfigError(("--threads: '" + parser.value("threads") + "' is not a count").toStdString());
    return threads;
}

// The checkpoint and data that --checkpoint, --dataset and --threads name.
ModelAndData modelAndDataOf(const QCommandLineParser& parser) {
    if (const QString note = datasetNameNote(parser.value("dataset")); parser.isSet("dataset") && !note.isEmpty())
        printLine(stderr, note);
    return loadModelAndData(checkpointOf(parser), threadsOf(parser), parser.isSet("dataset") ? parser.value("dataset") : QString());
}

// encode --image: the pictures through the checkpoint's encoder, as CSV. Every picture is read
// before anything is written, so a bad one leaves no partial CSV.
int encodePictures(const QCommandLineParser& parser) {
    if (parser.isSet("count")) throw ConfigError("--count: counts test images, and --image encodes pictures instead");
    if (parser.isSet("dataset"))
        throw ConfigError("--dataset: --image pictures are prepared as the model's own data set prepared its images");
    const QString out = parser.value("out");
    const QString checkpoint = checkpointOf(parser);
    setComputeThreads(threadsOf(parser));
    Session session = Session::fromCheckpoint(checkpoint.toStdString(), "cpu");
    const ModelConfig& config = session.config();
    const QStringList files = parser.values("image");
    std::vector<std::uint8_t> pixels;
    for (const QString& file : files) {
        const DecodedImage picture = preparePicture(QFile::encodeName(file).toStdString(), config, session.runSettings().fit);
        if (picture.image.isNull()) throw DataError((file + ": " + picture.problem).toStdString());
        appendPlanes(pixels, picture.image);
    }
    const Encodings encodings = Encoder(session.encoderWeights()).encode(pixels.data(), pixels.size());
    const QByteArray csv = picturesCsv(encodings, files);
    if (out.isEmpty()) {
        std::fwrite(csv.constData(), 1, std::size_t(csv.size()), stdout);
        return 0;
    }
    if (const QString error = writeFileAtomically(out, csv); !error.isEmpty()) throw DataError(error.toStdString());
    printLine(stdout, QString("wrote %1 encodings of %2 dimensions to %3").arg(encodings.count).arg(encodings.latentDim).arg(out));
    return 0;
}

// Runs `body`, turning errors into one line and an exit code.
int guarded(const QString& command, const std::function<int()>& body) {
    try {
        return body();
    } catch (const ConfigError& error) {
        printLine(stderr, "vae-explorer " + command + ": " + error.what());
        return 2;
    } catch (const std::exception& error) {
        printLine(stderr, "vae-explorer " + command + ": " + error.what());
        return 1;
    }
}

// An endpoint: --NAME Z (comma-separated) or --NAME-index I (a test image of the dataset,
// through its posterior mean).
std::vector<float> endpoint(const QCommandLineParser& parser, ModelAndData& loaded, const QString& name) {
    const int dim = loaded.session.config().latentDim;
    const bool byValue = parser.isSet(name), byIndex = parser.isSet(name + "-index");
    if (byValue == byIndex)
        throw ConfigError(("--" + name + ": give either --" + name + " Z or --" + name + "-index I").toStdString());
    if (byValue) return parseLatent(parser.value(name).toStdString(), dim, "--" + name.toStdString());
    bool ok = false;
    const int index = parser.value(name + "-index").toInt(&ok);
    const int count = loaded.dataset.testCount();
    if (!ok || index < 0 || index >= count)
        throw ConfigError(("--" + name + "-index: '" + parser.value(name + "-index") + "' is not a test image of " +
                           QString::fromStdString(loaded.dataset.name()) + " (0.." + QString::number(count - 1) + ")")
                              .toStdString());
    return loaded.session.encodeTestImages(loaded.dataset, index + 1).muOf(index);
}

}  // namespace

int runInterpolateCommand(const QStringList& arguments) {
    return guarded("interpolate", [&] {
        QCommandLineParser parser;
        if (!parseModelOptions(parser, arguments, "interpolate")) return 0;
        // Options first, so that a typo is named before the files are read.
        const QString out = parser.value("out");
        if (!out.endsWith(".png", Qt::CaseInsensitive) && !out.endsWith(".gif", Qt::CaseInsensitive))
            throw ConfigError(("--out: '" + out + "' is not a .png or .gif file").toStdString());
        const int steps = integerOption(parser, options::kWalkSteps);
        const Interpolation mode = parseInterpolation(parser.value("mode").toStdString());
        const int scale = integerOption(parser, options::kStripScale);
        GifOptions gif;
        gif.delayMs = integerOption(parser, options::kGifDelay);
        gif.loops = integerOption(parser, options::kGifLoops);
        auto loaded = modelAndDataOf(parser);
        const auto from = endpoint(parser, loaded, "from"), to = endpoint(parser, loaded, "to");
        const int dim = loaded.session.config().latentDim;
        std::vector<float> path = interpolate(from, to, steps, mode);
        const bool animated = out.endsWith(".gif", Qt::CaseInsensitive);
        if (animated && parser.isSet("there-and-back")) path = thereAndBack(path, dim);
        const Images images = loaded.session.decode(path);
        const int tile = scale * images.cols;
        QString error;
        if (animated) {
            QVector<QImage> frames;
            for (int i = 0; i < images.count; ++i)
                frames << toQImage(images, i).scaled(images.cols * scale, images.rows * scale, Qt::IgnoreAspectRatio,
                                                     Qt::FastTransformation);
            error = writeGifAtomically(out, frames, gif);
        } else {
            error = saveImageAtomically(out, tileImages(images, images.count, tile, 2));
        }
        if (!error.isEmpty()) throw DataError(error.toStdString());
        printLine(stdout, (animated ? QString("wrote %1 frames of a %2 walk to %3") : QString("wrote a strip of %1 images of a %2 walk to %3"))
                              .arg(images.count)
                              .arg(QString::fromStdString(interpolationName(mode)), out));
        return 0;
    });
}

int runEncodeCommand(const QStringList& arguments) {
    return guarded("encode", [&] {
        QCommandLineParser parser;
        if (!parseModelOptions(parser, arguments, "encode")) return 0;
        // Options first, so that a typo is named before the files are read.
        const QString out = parser.value("out");
        if (out.isEmpty() && !parser.isSet("image")) throw ConfigError("--out: where to? (--out FILE.csv is required)");
        if (!out.isEmpty() && !QFileInfo(out).absoluteDir().exists())
            throw ConfigError(("--out: folder " + QFileInfo(out).absolutePath() + " does not exist").toStdString());
        if (QFileInfo(out).isDir()) throw ConfigError(("--out: " + out + " is a folder; name a .csv file").toStdString());
        if (parser.isSet("image")) return encodePictures(parser);
        const int count = parser.isSet("count") ? integerOption(parser, options::kEncodeCount) : -1;
        auto loaded = modelAndDataOf(parser);
        const Encodings encodings = loaded.session.encodeTestImages(loaded.dataset, count);
        const auto& labels = loaded.dataset.testLabels();
        const auto& factors = loaded.dataset.testFactors();
        if (const QString error = writeFileAtomically(out, encodingsCsv(encodings, labels, loaded.dataset.factorNames(), factors));
            !error.isEmpty())
            throw DataError(error.toStdString());
        printLine(stdout, QString("wrote %1 encodings of %2 dimensions to %3").arg(encodings.count).arg(encodings.latentDim).arg(out));
        return 0;
    });
}

namespace {

// A factor's name as one word of eval's "name value" lines: "position x" -> "position_x".
// A factor's name as one word of a `name value` line: from a factors.csv, so a line break or an
// escape sequence in it is shown as U+FFFD (one_line.h), never sent to the terminal.
QString factorWord(const std::string& name) { return oneLine(QString::fromStdString(name)).replace(' ', '_'); }

// eval --factors: the disentanglement scores of the test set's posterior means.
void printFactorScores(const Encodings& encodings, const ImageDataset& dataset, quint64 seed) {
    if (dataset.factorNames().empty())
        throw ConfigError("--factors: " + dataset.name() + " has no factors of variation (--dataset sprites has five)");
    QElapsedTimer timer;
    timer.start();
    const FactorScores scores = scoreFactors(encodings.mu, encodings.latentDim, dataset.testFactors(), dataset.factorNames(), seed);
    const auto factors = int(scores.factorNames.size());
    printLine(stdout, QString("mig %1").arg(scores.mig, 0, 'f', 4));
    // Beside disentanglement_lib's MIG, the one a collapsed model cannot pass for trained with.
    printLine(stdout, QString("mig_active_dims %1 (over %2 of %3 dimensions with a spread of means)")
                          .arg(scores.migActive, 0, 'f', 4).arg(scores.activeDimensions).arg(scores.latentDim));
    printLine(stdout, QString("factor_vae_score %1").arg(scores.factorVaeScore, 0, 'f', 4));
    if (scores.activeDimensions == 0)
        printLine(stderr, "vae-explorer eval: warning: every latent dimension has collapsed (its means hardly vary), so "
                          "mig and factor_vae_score measure binning noise, not disentanglement");
    for (int f = 0; f < factors; ++f) {
        const QString name = factorWord(scores.factorNames[std::size_t(f)]);
        if (scores.constantFactor[std::size_t(f)]) printLine(stdout, QString("constant_factor %1 (left out of the scores)").arg(name));
        else printLine(stdout, QString("mig_%1 %2").arg(name).arg(scores.migPerFactor[std::size_t(f)], 0, 'f', 4));
    }
    for (int f = 0; f < factors; ++f)
        printLine(stdout, QString("entropy_%1 %2").arg(factorWord(scores.factorNames[std::size_t(f)])).arg(scores.factorEntropy[std::size_t(f)], 0, 'f', 4));
    for (int d = 0; d < scores.latentDim; ++d) {
        const int f = scores.factorOfDimension[std::size_t(d)];
        printLine(stdout, QString("factor_of_z%1 %2").arg(d + 1).arg(f < 0 ? QString("none") : factorWord(scores.factorNames[std::size_t(f)])));
        for (int g = 0; g < factors; ++g)
            printLine(stdout, QString("mi_z%1_%2 %3").arg(d + 1).arg(factorWord(scores.factorNames[std::size_t(g)])).arg(scores.mutualInformationAt(d, g), 0, 'f', 4));
    }
    printLine(stdout, QString("factor_scores %1 test images, %2 s (MI as disentanglement_lib: 20-bin histograms of the means)")
                          .arg(encodings.count).arg(timer.nsecsElapsed() / 1e9, 0, 'f', 2));
}

}  // namespace

int runEvalCommand(const QStringList& arguments) {
    return guarded("eval", [&] {
        QCommandLineParser parser;
        if (!parseModelOptions(parser, arguments, "eval")) return 0;
        bool ok = false;
        const quint64 seed = parser.value("seed").toULongLong(&ok);
        if (!ok) throw ConfigError(("--seed: '" + parser.value("seed") + "' is not a number").toStdString());
        std::optional<LikelihoodOptions> likelihood;
        if (parser.isSet("k")) {
            LikelihoodOptions estimate;
            estimate.samples = integerOption(parser, options::kSamples);
            if (parser.isSet("images")) estimate.images = integerOption(parser, options::kEstimateImages);
            estimate.batchImages = integerOption(parser, options::kEstimateBatch);
            estimate.seed = seed;
            estimate.validate();
            likelihood = estimate;
        } else if (parser.isSet("images")) {
            throw ConfigError("--images: counts the images of the -log p(x) estimate, which needs --k");
        } else if (parser.isSet("batch-size")) {
            throw ConfigError("--batch-size: sizes the batches of the -log p(x) estimate, which needs --k");
        }
        auto loaded = modelAndDataOf(parser);
        const LossTerms test = loaded.session.evaluate(loaded.dataset, seed);
        const Encodings encodings = loaded.session.encodeTestImages(loaded.dataset);
        const LatentSummary summary = summarizeEncodings(encodings);
        const Binarization binarize = loaded.session.runSettings().training.binarize;
        printLine(stdout, QString("model %1, %2 epochs; dataset %3, %4 test images%5")
                              .arg(QString::fromStdString(loaded.session.config().describe()))
                              .arg(loaded.session.epochsTrained())
                              .arg(QString::fromStdString(loaded.dataset.name()))
                              .arg(loaded.dataset.testCount())
                              .arg(binarize == Binarization::None
                                       ? QString()
                                       : QString(", binarized once with seed %1 (the model was trained %2-binarized)")
                                             .arg(kTestBinarizationSeed)
                                             .arg(QString::fromStdString(binarizationName(binarize)))));
        printLine(stdout, QString("test_neg_elbo %1").arg(test.loss, 0, 'f', 4));
        printLine(stdout, QString("test_recon %1").arg(test.recon, 0, 'f', 4));
        printLine(stdout, QString("test_kl %1").arg(test.kl, 0, 'f', 4));
        for (int d = 0; d < summary.latentDim; ++d)
            printLine(stdout, QString("kl_z%1 %2").arg(d + 1).arg(summary.klPerDim[std::size_t(d)], 0, 'f', 4));
        printLine(stdout, QString("active_units %1 of %2").arg(summary.activeUnits).arg(summary.latentDim));
        if (parser.isSet("factors")) printFactorScores(encodings, loaded.dataset, seed);
        if (likelihood) {
            ProgressLine progress("-log p(x)", "images", parser.isSet("quiet"));
            const LikelihoodEstimate estimate = loaded.session.estimateLikelihood(
                loaded.dataset, *likelihood, [&progress](int done, int total) { return progress.update(done, total), true; });
            progress.finish();
            printLine(stdout, QString("test_neg_log_likelihood %1").arg(estimate.negLogLikelihood, 0, 'f', 4));
            printLine(stdout, QString("test_neg_elbo_of_the_samples %1").arg(estimate.negElbo, 0, 'f', 4));
            printLine(stdout, QString("importance_samples %1 per image, %2 images, seed %3, %4 s")
                                  .arg(estimate.samples).arg(estimate.images).arg(seed).arg(estimate.seconds, 0, 'f', 1));
        }
        return 0;
    });
}

namespace {

// export --format web: the page needs the test set's encodings, so the data must be here.
int exportWebPage(const QCommandLineParser& parser, const QString& out, bool force) {
    const int points = integerOption(parser, options::kWebPoints);
    auto loaded = modelAndDataOf(parser);
    const WebMap map = webMapOf(loaded.session, loaded.dataset, points);
    const ModelExport model = modelExportOf(loaded.session, loaded.dataset.classNames());
    if (const QString error = writeWebExplorer(model, map, out, force); !error.isEmpty()) throw DataError(error.toStdString());
    printLine(stdout, QString("wrote a web explorer of %1 (%2) with %3 test images to %4: serve the folder "
                              "(python3 -m http.server -d %4) and open it")
                          .arg(checkpointOf(parser), QString::fromStdString(loaded.session.config().describe()))
                          .arg(map.encodings.count)
                          .arg(out));
    return 0;
}

}  // namespace

int runExportCommand(const QStringList& arguments) {
    return guarded("export", [&] {
        QCommandLineParser parser;
        if (!parseModelOptions(parser, arguments, "export")) return 0;
        // Options first, so that a typo is named before the files are read.
        const bool web = parser.value("format") == "web";
        const ExportFormat format = [&] {
            try {
                return web ? ExportFormat::Onnx : parseExportFormat(parser.value("format"));
            } catch (const ConfigError& error) {
                throw ConfigError(std::string("--format: ") + error.what() + " or web");
            }
        }();
        const ExportPart part = [&] {
            try {
                return parseExportPart(parser.value("part").toStdString());
            } catch (const ConfigError& error) {
                throw ConfigError(std::string("--part: ") + error.what());
            }
        }();
        const QString out = parser.value("out");
        if (out.isEmpty()) throw ConfigError("--out: where to? (--out FILE is required)");
        if (!QFileInfo(out).absoluteDir().exists())
            throw ConfigError(("--out: folder " + QFileInfo(out).absolutePath() + " does not exist").toStdString());
        if (web) return exportWebPage(parser, out, parser.isSet("force"));
        if (QFileInfo::exists(out) && !parser.isSet("force"))
            throw ConfigError(("--out: " + out + " exists (--force replaces it)").toStdString());
        // The class names come with the data; a model whose data is not here exports without them.
        std::optional<Session> session;
        std::vector<std::string> classNames;
        QString dataMissing;  // why the class names are not exported
        try {
            auto loaded = modelAndDataOf(parser);
            classNames = loaded.dataset.classNames();
            session.emplace(std::move(loaded.session));
        } catch (const std::exception& error) {  // not here, changed, or not of the model's shape
            if (parser.isSet("dataset")) throw;
            dataMissing = QString::fromUtf8(error.what()).section('\n', 0, 0);
            session.emplace(Session::fromCheckpoint(checkpointOf(parser).toStdString(), "cpu"));
        }
        const ModelExport model = modelExportOf(*session, std::move(classNames));
        if (const QString error = writeExportedModel(model, format, part, out); !error.isEmpty())
            throw DataError(error.toStdString());
        if (!dataMissing.isEmpty())  // after the write: a refusal stays one line
            printLine(stderr, "vae-explorer export: exported without class names: " + dataMissing);
        printLine(stdout, QString("wrote the %1 of %2 (%3) as %4 to %5 (%6 bytes)")
                              .arg(QString::fromStdString(exportPartName(part)), checkpointOf(parser),
                                   QString::fromStdString(session->config().describe()), exportFormatName(format), out)
                              .arg(QFileInfo(out).size()));
        return 0;
    });
}

}  // namespace vae
