#include "train_options.h"

#include "errors.h"
#include "run_file.h"

#include <QCommandLineParser>
#include <QThread>

#include <algorithm>

namespace vae {
namespace {

// The options that are not settings of the run.
struct CommandOption {
    const char* name;
    const char* valueName;
    const char* help;
};

const CommandOption kCommandOptions[] = {
    {"out", "DIR", "Folder for metrics.csv, checkpoint.pt, run.json and the PNG images."},
    {"config", "RUN.json", "Start from a run file's settings (another run's run.json); flags override it."},
    {"preset", "pytorch-example|seed", "Start from a named protocol; explicit options override it."},
    {"resume", "CHECKPOINT", "Continue training a saved checkpoint (its model settings are used)."},
    {"keep-timeline", nullptr, "Keep the replay's snapshots in checkpoint.pt (the window replays a reopened model too)."},
    {"timeline-gif", "FILE.gif", "Also write the replay of how the latent map formed (2-D latents: z1 and z2; "
                                 "more: the PCA plane of the final encodings)."},
};

[[noreturn]] void bad(const QString& option, const QString& problem) {
    throw ConfigError(QString("--%1: %2").arg(option, problem).toStdString());
}

QString flagOf(const std::string& key) { return QString::fromStdString(findSetting(key)->flag); }

}  // namespace

QString trainUsage() {
    QString text = "Usage: vae-explorer train --dataset mnist|fashion-mnist|DIR --out DIR [options]\n\nOptions:\n";
    for (const auto& option : kCommandOptions)
        text += QString("  --%1 %2\n      %3\n").arg(option.name, option.valueName, option.help);
    const RunSettings defaults;
    for (const Setting& setting : settingsTable())
        text += QString("  --%1 %2\n      %3 (default %4)\n")
                    .arg(QString::fromStdString(setting.flag), QString::fromStdString(setting.valueName),
                         QString::fromStdString(setting.help), QString::fromStdString(setting.get(defaults)));
    return text;
}

TrainInvocation parseTrainArguments(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    for (const auto& option : kCommandOptions)
        parser.addOption(option.valueName ? QCommandLineOption(option.name, option.help, option.valueName)
                                          : QCommandLineOption(option.name, option.help));
    for (const Setting& setting : settingsTable())
        parser.addOption({QString::fromStdString(setting.flag), QString::fromStdString(setting.help),
                          QString::fromStdString(setting.valueName)});
    if (!parser.parse(arguments)) throw ConfigError(parser.errorText().toStdString());

    TrainInvocation run;
    if (parser.isSet("help")) {
        run.helpRequested = true;
        return run;
    }
    if (!parser.positionalArguments().isEmpty())
        throw ConfigError("unexpected argument '" + parser.positionalArguments().first().toStdString() + "'");
    if (parser.isSet("config")) run.settings = readRunFile(parser.value("config"));
    if (!parser.isSet("config") && (!parser.isSet("dataset") || parser.value("dataset").isEmpty()))
        bad("dataset", "is required");
    if (!parser.isSet("out") || parser.value("out").isEmpty()) bad("out", "is required");
    run.outDir = parser.value("out");
    try {
        if (parser.isSet("preset"))
            applyPreset(parser.value("preset").toStdString(), run.settings.model, run.settings.training);
    } catch (const ConfigError& error) {
        bad("preset", QString::fromStdString(error.what()));
    }
    for (const Setting& setting : settingsTable()) {
        const QString flag = QString::fromStdString(setting.flag);
        if (!parser.isSet(flag)) continue;
        try {
            setting.set(run.settings, parser.value(flag).toStdString());
        } catch (const SettingError& error) {
            bad(flag, QString::fromStdString(error.problem));
        }
        run.modelOptionsSet = run.modelOptionsSet || setting.group == SettingGroup::Model;
    }
    // --hidden alone mirrors the decoder; with --decoder-hidden the latter wins (flags apply in
    // table order, so it already has).
    run.modelOptionsSet = run.modelOptionsSet || parser.isSet("preset");
    // More threads than cores only fight over them: 1000 on two cores trained 15x slower.
    const int cores = std::max(1, QThread::idealThreadCount());
    if (run.settings.threads > cores)
        bad(flagOf("threads"), QString("%1 is more than the %2 cores this machine has").arg(run.settings.threads).arg(cores));
    try {
        validate(run.settings);
    } catch (const SettingError& error) {
        bad(flagOf(error.key), QString::fromStdString(error.problem));
    }
    if (parser.isSet("resume")) run.resumeFrom = parser.value("resume");
    run.keepTimeline = parser.isSet("keep-timeline");
    if (parser.isSet("timeline-gif")) {
        run.timelineGif = parser.value("timeline-gif");
        if (!run.timelineGif.endsWith(".gif", Qt::CaseInsensitive)) bad("timeline-gif", "'" + run.timelineGif + "' is not a .gif file");
    }
    return run;
}

}  // namespace vae
