#include "train_command.h"

#include "errors.h"
#include "file_export.h"
#include "gif_writer.h"
#include "latent_analysis.h"
#include "replay_timeline.h"
#include "image_convert.h"
#include "image_folder.h"
#include "latent_geometry.h"
#include "run_file.h"
#include "decode_service.h"
#include "decoder.h"
#include "session.h"
#include "stop_signals.h"
#include "train_options.h"

#include <QCryptographicHash>
#include <QDir>
#include <QThread>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cstdio>
#include <optional>

namespace vae {
namespace {

constexpr int kReconstructionCount = 16;
constexpr int kSampleGrid = 8;
constexpr int kLatentGrid = 20;

void printLine(std::FILE* stream, const QString& text) {
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

// Checks that `dir` can hold our files, creating it (and only it) when missing.
void prepareOutputFolder(const QString& dir) {
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) throw ConfigError(("--out: " + dir + " exists and is not a folder").toStdString());
    if (!info.exists() && !QDir().mkpath(dir)) throw ConfigError(("--out: cannot create folder " + dir).toStdString());
    QTemporaryFile probe(QDir(dir).filePath(".write-test-XXXXXX"));
    if (!probe.open()) throw ConfigError(("--out: folder " + dir + " is not writable").toStdString());
}

void writeOrThrow(const QString& error) {
    if (!error.isEmpty()) throw DataError(error.toStdString());
}

void writeImages(Session& session, const ImageDataset& dataset, const QDir& out) {
    const int tile = session.config().imageCols;  // latent grid at native size, the rest at 2x
    const auto inputs = dataset.testImages(0, kReconstructionCount);
    writeOrThrow(saveImageAtomically(out.filePath("reconstructions.png"),
                                     pairedRows(inputs, session.reconstruct(inputs), 8, 2 * tile, 2)));
    writeOrThrow(saveImageAtomically(out.filePath("samples.png"),
                                     tileImages(session.samplePrior(kSampleGrid * kSampleGrid, 7), kSampleGrid, 2 * tile, 2)));
    if (session.config().latentDim == 2)
        writeOrThrow(saveImageAtomically(out.filePath("latent_grid.png"),
                                         tileImages(session.decode(latentGrid(kLatentGrid, kDefaultLatentRange)), kLatentGrid, tile, 0)));
}

// The replay as a GIF: each snapshot's decoder draws the 20x20 grid on the map's plane (z1 and z2
// for 2-D latents, else the PCA plane of the final model's encodings of the test set).
QString writeTimelineGif(const QString& path, const ReplayTimeline& timeline, Session& session, const ImageDataset& dataset) {
    const ModelConfig& config = session.config();
    GridSpec spec;
    spec.size = kLatentGrid;
    spec.plane = config.latentDim <= 2 ? LatentPlane::axes(config.latentDim, 0, config.latentDim > 1 ? 1 : 0)
                                       : summarizeEncodings(session.encodeTestImages(dataset)).pcaPlane();
    QVector<QImage> frames;
    std::optional<Decoder> decoder;
    for (int i = 0; i < timeline.size(); ++i) {
        if (decoder) decoder->update(timeline.at(i).decoder);
        else decoder.emplace(timeline.at(i).decoder);
        frames << decodeGrid(*decoder, spec);
    }
    return writeGifAtomically(path, frames, {200, 0});
}

QString formatEpoch(const EpochMetrics& m, int epochs, int ranks) {
    QString line = QString("epoch %1/%2  train %3 (recon %4, kl %5)  test %6 (recon %7, kl %8)  %9 s  %10 img/s  %11")
        .arg(m.epoch).arg(epochs)
        .arg(m.train.loss, 0, 'f', 2).arg(m.train.recon, 0, 'f', 2).arg(m.train.kl, 0, 'f', 2)
        .arg(m.test.loss, 0, 'f', 2).arg(m.test.recon, 0, 'f', 2).arg(m.test.kl, 0, 'f', 2)
        .arg(m.epochSeconds, 0, 'f', 2).arg(m.imagesPerSecond, 0, 'f', 0)
        .arg(m.threads == 1 ? QString("1 thread") : QString("%1 threads").arg(m.threads));
    if (ranks > 1)
        line += QString(" per rank x %1 ranks  allreduce %2% of the epoch")
                    .arg(ranks).arg(100 * m.allreduceSeconds / std::max(1e-9, m.epochSeconds), 0, 'f', 1);
    return line;
}

// What every rank must agree on before training together: the run's settings (all but the
// per-machine thread count and device) and how far the model has been trained.
std::string rankAgreement(RunSettings settings, const Session& session) {
    settings.threads = 0;
    settings.device = "auto";
    QByteArray text = runFileJson(settings);
    text += "\nsteps " + QByteArray::number(qlonglong(session.stepsTrained()));
    return QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex().toStdString();
}

}  // namespace

int runTrainCommand(const QStringList& arguments) {
    TrainInvocation run;
    std::optional<Session> session;
    std::optional<ImageDataset> dataset;
    std::unique_ptr<ProcessGroup> group;
    QString who = "vae-explorer train: ";  // names the rank in a distributed job
    QString datasetNote;                    // skipped images of an image folder
    // Everything that can be checked is checked before the first file is written.
    try {
        run = parseTrainArguments(arguments);
        if (run.helpRequested) {
            printLine(stdout, trainUsage());
            return 0;
        }
        if (run.group.distributed())
            who = QString("vae-explorer train (rank %1 of %2): ").arg(run.group.rank).arg(run.group.worldSize);
        // Each rank's default share of the cores; an explicit --threads stands.
        setComputeThreads(run.settings.threads == 0 && run.group.distributed()
                              ? run.group.defaultThreads(std::max(1, QThread::idealThreadCount()))
                              : run.settings.threads);
        auto loaded = loadDataset(run.settings);
        dataset.emplace(std::move(loaded.dataset));
        datasetNote = loaded.note;
        run.settings.model.imageRows = dataset->rows();
        run.settings.model.imageCols = dataset->cols();
        if (run.resumeFrom.isEmpty()) {
            session.emplace(run.settings.model, run.settings.device, run.settings.training.seed);
        } else {
            session.emplace(Session::fromCheckpoint(run.resumeFrom.toStdString(), run.settings.device));
            if (run.modelOptionsSet && session->config() != run.settings.model)
                throw ConfigError("--resume: " + run.resumeFrom.toStdString() + " holds a " +
                                  session->config().describe() + " model, not the " + run.settings.model.describe() +
                                  " the options ask for");
            if (session->config().imageRows != dataset->rows() || session->config().imageCols != dataset->cols())
                throw ConfigError("--resume: " + run.resumeFrom.toStdString() + " was trained on " +
                                  std::to_string(session->config().imageRows) + "x" +
                                  std::to_string(session->config().imageCols) + " images, not " +
                                  std::to_string(dataset->rows()) + "x" + std::to_string(dataset->cols()));
        }
        if (run.group.rank == 0) {  // rank 0 alone writes files
            prepareOutputFolder(run.outDir);
            if (!run.timelineGif.isEmpty() && !QFileInfo(run.timelineGif).absoluteDir().exists())
                throw ConfigError(("--timeline-gif: folder " + QFileInfo(run.timelineGif).absolutePath() + " does not exist").toStdString());
        }
        if (run.group.distributed()) group = std::make_unique<ProcessGroup>(run.group, rankAgreement(run.settings, *session));
    } catch (const ConfigError& error) {
        printLine(stderr, who + error.what());
        return 2;
    } catch (const std::exception& error) {
        printLine(stderr, who + error.what());
        return 1;
    }

    const QDir out(run.outDir);
    const bool writer = run.group.rank == 0;  // in a distributed job, rank 0 alone writes and prints
    // run.json first: every setting of this run, so that `train --config run.json` repeats it.
    run.settings.model = session->config();
    if (QFileInfo(QString::fromStdString(run.settings.dataset)).isDir())  // a folder: usable from anywhere
        run.settings.dataset = QFileInfo(QString::fromStdString(run.settings.dataset)).absoluteFilePath().toStdString();
    session->setRunSettings(run.settings);  // its checkpoints carry them too
    if (const QString error = writer ? writeRunFile(out.filePath("run.json"), run.settings) : QString(); !error.isEmpty()) {
        printLine(stderr, who + error);
        return 1;  // the other ranks learn of it at the first step's allreduce
    }
    if (writer && group)
        printLine(stdout, QString("rank 0 of %1 (%2), rendezvous at %3:%4; rank 0 writes the files")
                              .arg(group->worldSize()).arg(QString::fromStdString(run.group.launcher))
                              .arg(QString::fromStdString(run.group.masterAddress)).arg(run.group.masterPort));
    if (writer) printLine(stdout, QString("model %1 on %2; %3").arg(QString::fromStdString(session->config().describe()),
                                                        QString::fromStdString(session->deviceName()),
                                                        QString::fromStdString(computeBackendReport())));
    if (writer) printLine(stdout, QString("data %1: %2 train, %3 test images of %4x%5")
                          .arg(QString::fromStdString(run.settings.dataset)).arg(dataset->trainCount()).arg(dataset->testCount())
                          .arg(dataset->rows()).arg(dataset->cols()));
    if (writer && !datasetNote.isEmpty()) printLine(stdout, datasetNote);
    QString writeError;
    TrainControl control;
    TrainCallbacks callbacks;
    const int finalEpoch = session->epochsTrained() + run.settings.training.epochs;
    // Metrics and checkpoint are rewritten atomically after every epoch, so an interrupted run
    // keeps everything up to its last finished epoch. metrics.csv holds the model's whole history
    // (a resumed checkpoint carries its earlier epochs), so resuming into the same folder appends.
    const int ranks = group ? group->worldSize() : 1;
    if (writer) callbacks.epochDone = [&](const EpochMetrics& metrics) {
        printLine(stdout, formatEpoch(metrics, finalEpoch, ranks));
        writeError = writeFileAtomically(out.filePath("metrics.csv"), metricsCsv(session->history().epochs));
        try {
            if (writeError.isEmpty()) session->saveCheckpoint(out.filePath("checkpoint.pt").toStdString());
        } catch (const std::exception& error) {
            writeError = error.what();
        }
        if (!writeError.isEmpty()) control.cancel = true;
    };
    // The replay's snapshots (decoders only: the GIF shows the grid), at the steps the window
    // takes them: progress then comes after every batch (it costs nothing when nobody prints).
    // With --keep-timeline the checkpoint carries them (encoders too, for the window's scatter)
    // and a resumed checkpoint's replay goes on.
    ReplayTimeline timeline;
    timeline.assign(session->timeline());
    TrainOptions training = run.settings.training;
    const auto snapshot = [&] {
        timeline.add({session->stepsTrained(), session->epochsTrained(), session->decoderWeights(),
                      run.keepTimeline ? session->encoderWeights() : EncoderWeights{}});
    };
    if (!run.keepTimeline) session->setTimeline({});  // a resumed checkpoint's replay would end too early
    if (writer && (!run.timelineGif.isEmpty() || run.keepTimeline)) {
        if (session->stepsTrained() == 0) snapshot();
        training.progressEveryBatches = 1;
        callbacks.progress = [&](const ProgressInfo& info) {
            if (isReplayStep(info.step)) snapshot();
        };
        const auto epochDone = callbacks.epochDone;
        callbacks.epochDone = [&, epochDone](const EpochMetrics& metrics) {
            snapshot();
            if (run.keepTimeline) session->setTimeline(timeline.snapshots());  // the checkpoint saved next carries it
            epochDone(metrics);
        };
    }
    TrainResult result;
    {
        const StopOnSignals stopOnSignals(control.cancel);
        result = session->train(*dataset, training, control, callbacks, group.get());
    }
    if (!writeError.isEmpty()) {
        printLine(stderr, who + writeError);
        return 1;
    }
    // Only a signal cancels a CLI run; without one here, another rank asked every rank to stop.
    if (result.status == TrainStatus::Cancelled && !StopOnSignals::received()) {
        printLine(stderr, who + "another rank stopped the run (it was interrupted, or rank 0 could not write its files)");
        return 1;
    }
    if (!writer) {
        if (result.status == TrainStatus::Failed) printLine(stderr, who + QString::fromStdString(result.error));
        return result.status == TrainStatus::Failed ? 1 : result.status == TrainStatus::Cancelled ? 130 : 0;
    }
    try {
        writeImages(*session, *dataset, out);
    } catch (const std::exception& error) {
        printLine(stderr, who + error.what());
        return 1;
    }
    if (result.status == TrainStatus::Failed) {
        printLine(stderr, who + QString::fromStdString(result.error));
        return 1;
    }
    if (result.status == TrainStatus::Cancelled) {
        printLine(stderr, who + (result.epochs.empty() ? QString("interrupted before this run finished an epoch: no checkpoint written")
                                                       : QString("interrupted; %1 holds epoch %2")
                                                             .arg(out.filePath("checkpoint.pt")).arg(session->epochsTrained())));
        return 130;
    }
    if (!run.timelineGif.isEmpty()) {
        try {
            writeOrThrow(writeTimelineGif(run.timelineGif, timeline, *session, *dataset));
        } catch (const std::exception& error) {
            printLine(stderr, who + error.what());
            return 1;
        }
        printLine(stdout, QString("wrote the replay (%1 snapshots) to %2").arg(timeline.size()).arg(run.timelineGif));
    }
    printLine(stdout, "wrote run.json, metrics.csv, checkpoint.pt, reconstructions.png, samples.png" +
                          QString(session->config().latentDim == 2 ? ", latent_grid.png" : "") + " to " + run.outDir);
    return 0;
}

}  // namespace vae
