#include "model_commands.h"

#include "errors.h"
#include "file_export.h"
#include "latent_analysis.h"
#include "session.h"

#include <QCommandLineParser>

#include <cstdio>
#include <functional>
#include <optional>

namespace vae {
namespace {

void printLine(std::FILE* stream, const QString& text) {
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

struct ModelAndData {
    QString checkpoint;
    Session session;
    ImageDataset dataset;
};

// The options every model command shares, after the command's own. Returns false when --help
// was asked for (and printed). Throws ConfigError for bad options.
bool parseModelOptions(QCommandLineParser& parser, const QStringList& arguments) {
    parser.addOption({"checkpoint", "The trained model (a checkpoint.pt).", "FILE"});
    parser.addOption({"dataset", "mnist, fashion-mnist or a folder of IDX files (default: the one the model was "
                                 "trained on).", "DATASET"});
    parser.addOption({"threads", "Compute threads (default: one per core).", "N", "0"});
    parser.addHelpOption();
    if (!parser.parse(arguments)) throw ConfigError(parser.errorText().toStdString());
    if (!parser.positionalArguments().isEmpty())
        throw ConfigError(("unexpected argument '" + parser.positionalArguments().first() + "'").toStdString());
    if (parser.isSet("help")) {
        printLine(stdout, parser.helpText());
        return false;
    }
    return true;
}

// Loads both files and checks that they fit together: ConfigError for a pair that does not,
// DataError for a file that cannot be read.
ModelAndData loadModelAndData(const QCommandLineParser& parser) {
    const QString checkpoint = parser.value("checkpoint");
    if (checkpoint.isEmpty()) throw ConfigError("--checkpoint: which model? (--checkpoint FILE is required)");
    bool ok = false;
    const int threads = parser.value("threads").toInt(&ok);
    if (!ok || threads < 0) throw ConfigError(("--threads: '" + parser.value("threads") + "' is not a count").toStdString());
    setComputeThreads(threads);
    Session session = Session::fromCheckpoint(checkpoint.toStdString(), "cpu");
    const std::string spec = parser.isSet("dataset") ? parser.value("dataset").toStdString() : session.runSettings().dataset;
    ImageDataset dataset = ImageDataset::load(spec);
    const ModelConfig& config = session.config();
    if (dataset.rows() != config.imageRows || dataset.cols() != config.imageCols)
        throw ConfigError("--dataset " + spec + ": its images are " + std::to_string(dataset.rows()) + "x" +
                          std::to_string(dataset.cols()) + " but " + checkpoint.toStdString() + " takes " +
                          std::to_string(config.imageRows) + "x" + std::to_string(config.imageCols) + " images");
    return {checkpoint, std::move(session), std::move(dataset)};
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

}  // namespace

int runEncodeCommand(const QStringList& arguments) {
    return guarded("encode", [&] {
        QCommandLineParser parser;
        parser.setApplicationDescription("Writes q(z|x) of the test images as CSV: index,label,mu_1..mu_d,logvar_1..logvar_d");
        parser.addOption({"out", "The CSV file to write.", "FILE"});
        parser.addOption({"count", "Encode the first N test images (default: all).", "N"});
        if (!parseModelOptions(parser, arguments)) return 0;
        auto loaded = loadModelAndData(parser);
        const QString out = parser.value("out");
        if (out.isEmpty()) throw ConfigError("--out: where to? (--out FILE.csv is required)");
        int count = -1;
        if (parser.isSet("count")) {
            bool ok = false;
            count = parser.value("count").toInt(&ok);
            if (!ok || count < 1) throw ConfigError(("--count: '" + parser.value("count") + "' is not a positive count").toStdString());
        }
        const Encodings encodings = loaded.session.encodeTestImages(loaded.dataset, count);
        const auto& labels = loaded.dataset.testLabels();
        if (const QString error = writeFileAtomically(out, encodingsCsv(encodings, labels)); !error.isEmpty())
            throw DataError(error.toStdString());
        printLine(stdout, QString("wrote %1 encodings of %2 dimensions to %3").arg(encodings.count).arg(encodings.latentDim).arg(out));
        return 0;
    });
}

int runEvalCommand(const QStringList& arguments) {
    return guarded("eval", [&] {
        QCommandLineParser parser;
        parser.setApplicationDescription("Prints the model's test-set figures, one per line: name value");
        parser.addOption({"seed", "Seed of the posterior samples in the ELBO estimate.", "S", "1"});
        if (!parseModelOptions(parser, arguments)) return 0;
        auto loaded = loadModelAndData(parser);
        bool ok = false;
        const quint64 seed = parser.value("seed").toULongLong(&ok);
        if (!ok) throw ConfigError(("--seed: '" + parser.value("seed") + "' is not a number").toStdString());
        const LossTerms test = loaded.session.evaluate(loaded.dataset, seed);
        const LatentSummary summary = summarizeEncodings(loaded.session.encodeTestImages(loaded.dataset));
        printLine(stdout, QString("model %1, %2 epochs; dataset %3, %4 test images")
                              .arg(QString::fromStdString(loaded.session.config().describe()))
                              .arg(loaded.session.epochsTrained())
                              .arg(QString::fromStdString(loaded.dataset.name()))
                              .arg(loaded.dataset.testCount()));
        printLine(stdout, QString("test_neg_elbo %1").arg(test.loss, 0, 'f', 4));
        printLine(stdout, QString("test_recon %1").arg(test.recon, 0, 'f', 4));
        printLine(stdout, QString("test_kl %1").arg(test.kl, 0, 'f', 4));
        for (int d = 0; d < summary.latentDim; ++d)
            printLine(stdout, QString("kl_z%1 %2").arg(d + 1).arg(summary.klPerDim[std::size_t(d)], 0, 'f', 4));
        printLine(stdout, QString("active_units %1 of %2").arg(summary.activeUnits).arg(summary.latentDim));
        return 0;
    });
}

}  // namespace vae
