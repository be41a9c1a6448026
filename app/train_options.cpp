#include "train_options.h"

#include "errors.h"

#include <QCommandLineParser>
#include <QThread>

#include <algorithm>

#include <cmath>

namespace vae {
namespace {

struct OptionSpec {
    const char* name;
    const char* valueName;
    const char* help;
};

const OptionSpec kOptions[] = {
    {"dataset", "mnist|fashion-mnist|DIR", "Images to train on (four IDX files, raw or .gz)."},
    {"out", "DIR", "Folder for metrics.csv, checkpoint.pt and the PNG images."},
    {"preset", "pytorch-example|seed", "Start from a named protocol; explicit options override it."},
    {"latent-dim", "N", "Latent dimensions (default 2)."},
    {"hidden", "H1[,H2,...]", "Encoder hidden widths; the decoder mirrors them (default 512,256)."},
    {"epochs", "N", "Epochs to train (default 10)."},
    {"batch-size", "N", "Images per batch (default 128)."},
    {"lr", "X", "Adam learning rate (default 1e-3)."},
    {"beta", "X", "Weight of the KL term in the objective (default 1)."},
    {"likelihood", "bernoulli|gaussian", "Pixel likelihood (default bernoulli)."},
    {"sigma", "X", "Standard deviation of the gaussian likelihood (default 0.1)."},
    {"seed", "N", "Random seed (default 1)."},
    {"threads", "N", "Compute threads, at most one per core (default: one per core)."},
    {"device", "auto|cpu|cuda", "Where to train (default auto)."},
    {"resume", "CHECKPOINT", "Continue training a saved checkpoint (its model settings are used)."},
};

[[noreturn]] void bad(const QString& option, const QString& problem) {
    throw ConfigError(QString("--%1: %2").arg(option, problem).toStdString());
}

long long toInteger(const QString& option, const QString& text, long long low, long long high) {
    bool ok = false;
    const long long value = text.toLongLong(&ok);
    if (!ok) bad(option, QString("'%1' is not a whole number").arg(text));
    if (value < low || value > high) bad(option, QString("%1 is outside %2..%3").arg(text).arg(low).arg(high));
    return value;
}

double toNumber(const QString& option, const QString& text, bool allowZero) {
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value)) bad(option, QString("'%1' is not a number").arg(text));
    if (value < 0 || (!allowZero && value == 0))
        bad(option, QString("%1 must be %2").arg(text, allowZero ? "zero or positive" : "positive"));
    return value;
}

std::vector<int> toWidths(const QString& text) {
    std::vector<int> widths;
    for (const QString& part : text.split(',', Qt::KeepEmptyParts))
        widths.push_back(int(toInteger("hidden", part.trimmed(), 1, 16384)));
    return widths;
}

}  // namespace

QString trainUsage() {
    QString text = "Usage: vae-explorer train --dataset mnist|fashion-mnist|DIR --out DIR [options]\n\nOptions:\n";
    for (const auto& spec : kOptions)
        text += QString("  --%1 %2\n      %3\n").arg(spec.name, spec.valueName, spec.help);
    return text;
}

TrainInvocation parseTrainArguments(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    for (const auto& spec : kOptions) parser.addOption({spec.name, spec.help, spec.valueName});
    if (!parser.parse(arguments)) throw ConfigError(parser.errorText().toStdString());

    TrainInvocation run;
    if (parser.isSet("help")) {
        run.helpRequested = true;
        return run;
    }
    if (!parser.positionalArguments().isEmpty())
        throw ConfigError("unexpected argument '" + parser.positionalArguments().first().toStdString() + "'");
    for (const char* required : {"dataset", "out"})
        if (!parser.isSet(required) || parser.value(required).isEmpty()) bad(required, "is required");
    run.dataset = parser.value("dataset");
    run.outDir = parser.value("out");
    if (parser.isSet("preset")) applyPreset(parser.value("preset").toStdString(), run.model, run.training);

    if (parser.isSet("latent-dim")) run.model.latentDim = int(toInteger("latent-dim", parser.value("latent-dim"), 1, 1024));
    if (parser.isSet("hidden")) {
        run.model.encoderHidden = toWidths(parser.value("hidden"));
        run.model.decoderHidden.assign(run.model.encoderHidden.rbegin(), run.model.encoderHidden.rend());
    }
    if (parser.isSet("epochs")) run.training.epochs = int(toInteger("epochs", parser.value("epochs"), 1, 100000));
    if (parser.isSet("batch-size"))
        run.training.batchSize = int(toInteger("batch-size", parser.value("batch-size"), 1, 65536));
    if (parser.isSet("lr")) run.training.learningRate = toNumber("lr", parser.value("lr"), false);
    if (parser.isSet("beta")) run.training.beta = toNumber("beta", parser.value("beta"), true);
    if (parser.isSet("likelihood")) {
        const auto name = parser.value("likelihood");
        if (name != "bernoulli" && name != "gaussian") bad("likelihood", QString("'%1' is not bernoulli or gaussian").arg(name));
        run.model.likelihood = parseLikelihood(name.toStdString());
    }
    if (parser.isSet("sigma")) run.model.gaussianSigma = toNumber("sigma", parser.value("sigma"), false);
    if (parser.isSet("seed")) run.training.seed = std::uint64_t(toInteger("seed", parser.value("seed"), 0, 1LL << 62));
    if (parser.isSet("threads")) {
        // More threads than cores only fight over them: 1000 on two cores trained 15x slower.
        const int cores = std::max(1, QThread::idealThreadCount());
        const long long threads = toInteger("threads", parser.value("threads"), 1, 1LL << 30);
        if (threads > cores) bad("threads", QString("%1 is more than the %2 cores this machine has").arg(threads).arg(cores));
        run.threads = int(threads);
    }
    if (parser.isSet("device")) {
        run.device = parser.value("device");
        if (run.device != "auto" && run.device != "cpu" && run.device != "cuda")
            bad("device", QString("'%1' is not auto, cpu or cuda").arg(run.device));
    }
    if (parser.isSet("resume")) run.resumeFrom = parser.value("resume");
    for (const char* shaping : {"preset", "latent-dim", "hidden", "likelihood", "sigma"})
        run.modelOptionsSet = run.modelOptionsSet || parser.isSet(shaping);
    run.model.validate();
    run.training.validate();
    return run;
}

}  // namespace vae
