#include "train_options.h"

#include "builtin_datasets.h"
#include "command_table.h"
#include "errors.h"
#include "image_folder.h"
#include "option_values.h"
#include "presets.h"
#include "run_file.h"

#include <QCommandLineParser>
#include <QThread>

#include <algorithm>

namespace vae {
namespace {

QString flagOf(const std::string& key) { return QString::fromStdString(findSetting(key)->flag); }

// --world-size/--rank/--master by hand, else a launcher's variables, else training alone.
ProcessGroupSpec parseProcessGroup(const QCommandLineParser& parser, const EnvironmentLookup& env) {
    ProcessGroupSpec spec;
    const bool byHand = parser.isSet("world-size") || parser.isSet("rank") || parser.isSet("master");
    if (byHand) {
        for (const char* option : {"world-size", "rank", "master"})
            if (!parser.isSet(option)) throwOptionError(option, "is required with --world-size, --rank and --master");
        spec.launcher = "--world-size";
        spec.worldSize = integerOption(parser, "world-size", 1, 65536);
        spec.rank = integerOption(parser, "rank", 0, spec.worldSize - 1);
        parseMasterAddress(parser.value("master").toStdString(), spec);
    } else if (auto fromLauncher = launcherSpec(env)) {
        spec = *fromLauncher;
    }
    if (parser.isSet("dist-timeout")) {
        bool ok = false;
        spec.timeoutSeconds = parser.value("dist-timeout").toDouble(&ok);
        if (!ok || !(spec.timeoutSeconds >= 1 && spec.timeoutSeconds <= 86400))
            throwOptionError("dist-timeout", "'" + parser.value("dist-timeout") + "' is not a number of seconds in 1..86400");
    }
    return spec;
}

// A preset made for one data set, given another: its model and training stay, its image size and
// subset were the preset data's, so they return to the other data's own unless given; and say so.
void keepPresetForOtherData(const QCommandLineParser& parser, TrainInvocation& invocation) {
    RunSettings& settings = invocation.run.settings;
    const std::string note = presetDataNote(parser.value("preset").toStdString(), settings);
    if (note.empty()) return;
    const RunSettings defaults;
    const BuiltInDataset* builtIn = findBuiltInDataset(settings.dataset);
    if (!parser.isSet("image-size")) settings.imageSize = builtIn ? builtIn->imageSize : defaults.imageSize;
    if (!parser.isSet("subset")) settings.subset = defaults.subset;
    invocation.notices << QString::fromStdString(note);
}

}  // namespace

TrainInvocation parseTrainArguments(const QStringList& arguments, const EnvironmentLookup& env) {
    QCommandLineParser parser;
    addCommandOptions(parser, commandSpec("train"));
    if (!parser.parse(arguments)) throw ConfigError(parser.errorText().toStdString());

    TrainInvocation invocation;
    if (parser.isSet("help")) {
        invocation.helpRequested = true;
        return invocation;
    }
    TrainingRunParameters& run = invocation.run;
    if (!parser.positionalArguments().isEmpty())
        throw ConfigError("unexpected argument '" + parser.positionalArguments().first().toStdString() + "'");
    if (parser.isSet("config")) {
        RunFileSettings fromFile = readRunFile(parser.value("config"));
        run.settings = fromFile.settings;
        if (!fromFile.defaultsNote.isEmpty()) invocation.notices << fromFile.defaultsNote;
    }
    // Without --dataset: the resumed checkpoint's data (train_command.cpp reads it from there),
    // else the table's default, as --help says.
    if (parser.isSet("dataset") && parser.value("dataset").isEmpty()) throwOptionError("dataset", "is empty");
    invocation.datasetFromCheckpoint = !parser.isSet("config") && !parser.isSet("dataset") && parser.isSet("resume");
    if (!parser.isSet("out") || parser.value("out").isEmpty()) throwOptionError("out", "is required");
    // A bad value is named where it came from: its flag, or the run file and its key.
    const auto badSetting = [&](const std::string& key, const QString& problem) {
        const QString flag = flagOf(key);
        if (parser.isSet("config") && !parser.isSet(flag))
            throw ConfigError((parser.value("config") + ": " + QString::fromStdString(key) + ": " + problem).toStdString());
        throwOptionError(flag, problem);
    };
    run.outputFolder = parser.value("out");
    run.replaceRun = parser.isSet("force");
    try {
        if (parser.isSet("preset"))
            applyPreset(parser.value("preset").toStdString(), run.settings);
    } catch (const ConfigError& error) {
        throwOptionError("preset", QString::fromStdString(error.what()));
    }
    for (const Setting& setting : settingsTable()) {
        const QString flag = QString::fromStdString(setting.flag);
        if (!parser.isSet(flag)) continue;
        try {
            setting.set(run.settings, parser.value(flag).toStdString());
        } catch (const SettingError& error) {
            throwOptionError(flag, QString::fromStdString(error.problem));
        }
        run.modelOptionsSet = run.modelOptionsSet || setting.group == SettingGroup::Model;
        if (setting.group == SettingGroup::Training) invocation.trainingKeysGiven.push_back(setting.key);
    }
    if (parser.isSet("preset")) keepPresetForOtherData(parser, invocation);
    if (const QString note = datasetNameNote(QString::fromStdString(run.settings.dataset)); !note.isEmpty())
        invocation.notices << note;
    invocation.trainingFromCheckpoint = parser.isSet("resume") && !parser.isSet("config") && !parser.isSet("preset");
    // --hidden alone mirrors the decoder; with --decoder-hidden the latter wins (flags apply in
    // table order, so it already has).
    run.modelOptionsSet = run.modelOptionsSet || parser.isSet("preset");
    // More threads than cores only fight over them: 1000 on two cores trained 15x slower.
    const int cores = std::max(1, QThread::idealThreadCount());
    if (run.settings.threads > cores)
        badSetting("threads", QString("%1 is more than the %2 cores this machine has").arg(run.settings.threads).arg(cores));
    try {
        validate(run.settings);
    } catch (const SettingError& error) {
        badSetting(error.key, QString::fromStdString(error.problem));
    }
    if (parser.isSet("resume")) run.resumeFrom = parser.value("resume");
    invocation.quiet = parser.isSet("quiet");
    run.keepTimeline = parser.isSet("keep-timeline");
    run.group = parseProcessGroup(parser, env);
    if (parser.isSet("timeline-gif")) {
        run.timelineGif = parser.value("timeline-gif");
        if (!run.timelineGif.endsWith(".gif", Qt::CaseInsensitive)) throwOptionError("timeline-gif", "'" + run.timelineGif + "' is not a .gif file");
    }
    return invocation;
}

}  // namespace vae
