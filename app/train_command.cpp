#include "train_command.h"

#include "command_table.h"
#include "console.h"
#include "errors.h"
#include "image_folder.h"
#include "progress_line.h"
#include "runtime_info.h"
#include "settings.h"
#include "stop_signals.h"
#include "train_options.h"
#include "training_run.h"

#include <QDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace vae {
namespace {

QString formatEpoch(const EpochMetrics& m, int epochs, int ranks) {
    QString line = QString("epoch %1/%2  train %3 (recon %4, kl %5)  test %6 (recon %7, kl %8)  %9 s  %10 img/s  %11")
        .arg(m.epoch).arg(epochs)
        .arg(m.train.loss, 0, 'f', 2).arg(m.train.recon, 0, 'f', 2).arg(m.train.kl, 0, 'f', 2)
        .arg(m.test.loss, 0, 'f', 2).arg(m.test.recon, 0, 'f', 2).arg(m.test.kl, 0, 'f', 2)
        .arg(m.epochSeconds, 0, 'f', 2).arg(m.imagesPerSecond, 0, 'f', 0)
        .arg(m.threads == 1 ? QString("1 thread") : QString("%1 threads").arg(m.threads));
    if (m.klSplit)
        line += QString("  kl split: MI %1, TC %2, dim-KL %3")
                    .arg(m.klSplit->indexCodeMi, 0, 'f', 2).arg(m.klSplit->totalCorrelation, 0, 'f', 2)
                    .arg(m.klSplit->dimensionwiseKl, 0, 'f', 2);
    if (ranks > 1)
        line += QString(" per rank x %1 ranks  allreduce %2% of the epoch")
                    .arg(ranks).arg(100 * m.allreduceSeconds / std::max(1e-9, m.epochSeconds), 0, 'f', 1);
    return line;
}

// `train --resume X`: the settings the checkpoint was trained with, where this command did not
// give them (train_options.h says which). The session loaded to read them is the one resumed
// (TrainingRun does not load it again). Returns a line naming the training settings taken that
// differ from the defaults; empty when none.
QString useCheckpointSettings(TrainInvocation& invocation, std::unique_ptr<Session>& session) {
    TrainingRunParameters& run = invocation.run;
    session = std::make_unique<Session>(Session::fromCheckpoint(run.resumeFrom.toStdString(), run.settings.device));
    run.resumeLoaded = true;
    const RunSettings& trained = session->runSettings();
    if (invocation.datasetFromCheckpoint) {
        run.settings.dataset = trained.dataset;
        run.settings.imageSize = trained.imageSize;
        run.settings.testFraction = trained.testFraction;
        run.settings.subset = trained.subset;
    }
    if (!invocation.trainingFromCheckpoint) return {};
    const auto& given = invocation.trainingKeysGiven;
    const RunSettings defaults;
    QStringList taken;
    for (const Setting& setting : settingsTable()) {
        if (setting.group != SettingGroup::Training || setting.key == "epochs" ||
            std::find(given.begin(), given.end(), setting.key) != given.end())
            continue;
        const std::string value = setting.get(trained);
        setting.set(run.settings, value);
        if (value != setting.get(defaults)) taken << QString("--%1 %2").arg(QString::fromStdString(setting.flag), QString::fromStdString(value));
    }
    validate(run.settings);  // what was given may not go with what was taken (beta-tc and --batch-size 1)
    if (taken.isEmpty()) return {};
    return QString("resuming as %1 was trained: %2 (give an option to change it)").arg(run.resumeFrom, taken.join(", "));
}

// What the run's writer says before training: the rendezvous, the model and the data.
void printStart(const TrainingRun& run, const Session& session, const ImageDataset& dataset, const QString& note) {
    const TrainingRunParameters& p = run.parameters();
    if (run.worldSize() > 1)
        printLine(stdout, QString("rank 0 of %1 (%2), rendezvous at %3:%4; rank 0 writes the files")
                              .arg(run.worldSize()).arg(QString::fromStdString(p.group.launcher))
                              .arg(QString::fromStdString(p.group.masterAddress)).arg(p.group.masterPort));
    printLine(stdout, QString("model %1 on %2; %3").arg(QString::fromStdString(session.config().describe()),
                                                        QString::fromStdString(session.deviceName()),
                                                        QString::fromStdString(computeBackendReport())));
    printLine(stdout, QString("data %1: %2 train, %3 test images of %4")
                          .arg(QString::fromStdString(p.settings.dataset)).arg(dataset.trainCount()).arg(dataset.testCount())
                          .arg(QString::fromStdString(imageShapeText(dataset.rows(), dataset.cols(), dataset.channels()))));
    if (!note.isEmpty()) printLine(stderr, note);  // a warning, beside any other program output about it
    // Beside the data's line: advice about the data, not an error. Each process takes its share.
    const std::string fewSteps = fewStepsAdvice(dataset.trainCount() / std::max(1, run.worldSize()), p.settings.training.batchSize);
    if (!fewSteps.empty()) printLine(stdout, "note: " + QString::fromStdString(fewSteps) + " (--batch-size)");
}

}  // namespace

int runTrainCommand(const QStringList& arguments) {
    TrainInvocation invocation;
    std::optional<ImageDataset> dataset;
    std::unique_ptr<Session> session;
    std::unique_ptr<TrainingRun> run;
    QString who = "vae-explorer train: ";  // names the rank in a distributed job
    QString datasetNote;                    // skipped images of an image folder
    QString resumedNote;                    // the training settings a resumed run took from its checkpoint
    bool writer = false;                    // in a distributed job, rank 0 alone writes and prints
    int finalEpoch = 0;
    TrainingRunCallbacks callbacks;
    std::unique_ptr<ProgressLine> epochProgress;  // within the epoch under way
    callbacks.progress = [&](const ProgressInfo& info) {
        if (!writer) return;
        if (!epochProgress)
            epochProgress = std::make_unique<ProgressLine>(
                QString("epoch %1/%2").arg(finalEpoch - info.epochs + info.epoch).arg(finalEpoch), "batches", invocation.quiet);
        epochProgress->update(info.batch, info.batchesPerEpoch);
    };
    callbacks.epochFinished = [&](const EpochMetrics& metrics) {
        epochProgress.reset();  // clears a terminal's line before the epoch's own
        if (writer) printLine(stdout, formatEpoch(metrics, finalEpoch, run->worldSize()));
    };
    try {
        invocation = parseTrainArguments(arguments);
        if (invocation.helpRequested) {
            printLine(stdout, commandHelp(commandSpec("train")));
            return 0;
        }
        if (invocation.run.group.distributed())
            who = QString("vae-explorer train (rank %1 of %2): ").arg(invocation.run.group.rank).arg(invocation.run.group.worldSize);
        if (invocation.datasetFromCheckpoint || invocation.trainingFromCheckpoint)
            resumedNote = useCheckpointSettings(invocation, session);
        auto loaded = loadDataset(invocation.run.settings);
        dataset.emplace(std::move(loaded.dataset));
        datasetNote = loaded.note;
        run = std::make_unique<TrainingRun>(invocation.run, callbacks);
        run->prepare(session, *dataset);
        // Only a run that goes ahead warns: a refused one says one thing, why.
        for (const QString& notice : invocation.notices) printLine(stderr, notice);
    } catch (const SettingError& error) {  // found once the data's image size is known: named by its flag
        printLine(stderr, who + "--" + QString::fromStdString(findSetting(error.key)->flag + ": " + error.problem));
        return 2;
    } catch (const ConfigError& error) {
        printLine(stderr, who + error.what());
        return 2;
    } catch (const std::exception& error) {
        printLine(stderr, who + error.what());
        return 1;
    }

    writer = run->writesFiles();
    if (writer) printStart(*run, *session, *dataset, datasetNote);
    if (writer && !resumedNote.isEmpty()) printLine(stdout, resumedNote);
    finalEpoch = session->epochsTrained() + invocation.run.settings.training.epochs;
    TrainControl control;
    TrainingRunResult result;
    {
        const StopOnSignals stopOnSignals(control.cancel);
        result = run->run(control);
    }
    if (result.status == TrainStatus::Failed || result.stoppedByAnotherRank) {
        printLine(stderr, who + result.error);
        return 1;
    }
    if (result.status == TrainStatus::Cancelled) {
        if (writer)
            printLine(stderr, who + (result.epochsOfRun == 0
                                         ? QString("interrupted before this run finished an epoch: no checkpoint written")
                                         : QString("interrupted; %1 holds epoch %2")
                                               .arg(QDir(invocation.run.outputFolder).filePath("checkpoint.pt")).arg(result.checkpointEpoch)));
        return 130;
    }
    if (!writer) return 0;
    if (!invocation.run.timelineGif.isEmpty())
        printLine(stdout, QString("wrote the replay (%1 snapshots) to %2").arg(result.snapshots).arg(invocation.run.timelineGif));
    printLine(stdout, "wrote run.json, metrics.csv, checkpoint.pt, reconstructions.png, samples.png" +
                          QString(session->config().latentDim == 2 ? ", latent_grid.png" : "") + " to " + invocation.run.outputFolder);
    return 0;
}

}  // namespace vae
