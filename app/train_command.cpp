#include "train_command.h"

#include "errors.h"
#include "file_export.h"
#include "gif_writer.h"
#include "latent_analysis.h"
#include "replay_timeline.h"
#include "image_convert.h"
#include "latent_geometry.h"
#include "run_file.h"
#include "decode_service.h"
#include "decoder.h"
#include "session.h"
#include "train_options.h"

#include <QDir>
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

QString formatEpoch(const EpochMetrics& m, int epochs) {
    return QString("epoch %1/%2  train %3 (recon %4, kl %5)  test %6 (recon %7, kl %8)  %9 s  %10 img/s  %11")
        .arg(m.epoch).arg(epochs)
        .arg(m.train.loss, 0, 'f', 2).arg(m.train.recon, 0, 'f', 2).arg(m.train.kl, 0, 'f', 2)
        .arg(m.test.loss, 0, 'f', 2).arg(m.test.recon, 0, 'f', 2).arg(m.test.kl, 0, 'f', 2)
        .arg(m.epochSeconds, 0, 'f', 2).arg(m.imagesPerSecond, 0, 'f', 0)
        .arg(m.threads == 1 ? QString("1 thread") : QString("%1 threads").arg(m.threads));
}

}  // namespace

int runTrainCommand(const QStringList& arguments) {
    TrainInvocation run;
    std::optional<Session> session;
    std::optional<ImageDataset> dataset;
    // Everything that can be checked is checked before the first file is written.
    try {
        run = parseTrainArguments(arguments);
        if (run.helpRequested) {
            printLine(stdout, trainUsage());
            return 0;
        }
        setComputeThreads(run.settings.threads);
        dataset.emplace(ImageDataset::load(run.settings.dataset));
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
        prepareOutputFolder(run.outDir);
        if (!run.timelineGif.isEmpty() && !QFileInfo(run.timelineGif).absoluteDir().exists())
            throw ConfigError(("--timeline-gif: folder " + QFileInfo(run.timelineGif).absolutePath() + " does not exist").toStdString());
    } catch (const ConfigError& error) {
        printLine(stderr, QString("vae-explorer train: ") + error.what());
        return 2;
    } catch (const std::exception& error) {
        printLine(stderr, QString("vae-explorer train: ") + error.what());
        return 1;
    }

    const QDir out(run.outDir);
    // run.json first: every setting of this run, so that `train --config run.json` repeats it.
    run.settings.model = session->config();
    if (QFileInfo(QString::fromStdString(run.settings.dataset)).isDir())  // a folder: usable from anywhere
        run.settings.dataset = QFileInfo(QString::fromStdString(run.settings.dataset)).absoluteFilePath().toStdString();
    session->setRunSettings(run.settings);  // its checkpoints carry them too
    if (const QString error = writeRunFile(out.filePath("run.json"), run.settings); !error.isEmpty()) {
        printLine(stderr, "vae-explorer train: " + error);
        return 1;
    }
    printLine(stdout, QString("model %1 on %2; %3").arg(QString::fromStdString(session->config().describe()),
                                                        QString::fromStdString(session->deviceName()),
                                                        QString::fromStdString(computeBackendReport())));
    printLine(stdout, QString("data %1: %2 train, %3 test images of %4x%5")
                          .arg(QString::fromStdString(run.settings.dataset)).arg(dataset->trainCount()).arg(dataset->testCount())
                          .arg(dataset->rows()).arg(dataset->cols()));
    QString writeError;
    TrainControl control;
    TrainCallbacks callbacks;
    const int finalEpoch = session->epochsTrained() + run.settings.training.epochs;
    // Metrics and checkpoint are rewritten atomically after every epoch, so an interrupted run
    // keeps everything up to its last finished epoch. metrics.csv holds the model's whole history
    // (a resumed checkpoint carries its earlier epochs), so resuming into the same folder appends.
    callbacks.epochDone = [&](const EpochMetrics& metrics) {
        printLine(stdout, formatEpoch(metrics, finalEpoch));
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
    if (!run.timelineGif.isEmpty() || run.keepTimeline) {
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
    const auto result = session->train(*dataset, training, control, callbacks);
    if (!writeError.isEmpty()) {
        printLine(stderr, "vae-explorer train: " + writeError);
        return 1;
    }
    try {
        writeImages(*session, *dataset, out);
    } catch (const std::exception& error) {
        printLine(stderr, QString("vae-explorer train: ") + error.what());
        return 1;
    }
    if (result.status == TrainStatus::Failed) {
        printLine(stderr, "vae-explorer train: " + QString::fromStdString(result.error));
        return 1;
    }
    if (!run.timelineGif.isEmpty()) {
        try {
            writeOrThrow(writeTimelineGif(run.timelineGif, timeline, *session, *dataset));
        } catch (const std::exception& error) {
            printLine(stderr, QString("vae-explorer train: ") + error.what());
            return 1;
        }
        printLine(stdout, QString("wrote the replay (%1 snapshots) to %2").arg(timeline.size()).arg(run.timelineGif));
    }
    printLine(stdout, "wrote run.json, metrics.csv, checkpoint.pt, reconstructions.png, samples.png" +
                          QString(session->config().latentDim == 2 ? ", latent_grid.png" : "") + " to " + run.outDir);
    return 0;
}

}  // namespace vae
