#include "training_run.h"

#include "decode_service.h"
#include "decoder.h"
#include "errors.h"
#include "file_export.h"
#include "gif_writer.h"
#include "image_convert.h"
#include "image_folder.h"
#include "latent_analysis.h"
#include "latent_geometry.h"
#include "run_file.h"
#include "run_folder.h"
#include "runtime_info.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <optional>

namespace vae {
namespace {

constexpr int kReconstructionCount = 16;
constexpr int kSampleGrid = 8;
constexpr int kLatentGrid = 20;
constexpr std::uint64_t kSampleSeed = 7;
// The epoch's PNGs stay within this many pixels a side whatever the image size: a 512-pixel
// model's 20x20 latent grid would be a 100-megapixel PNG (1.2 GB to make), rewritten every epoch.
constexpr int kMaxPngSide = 2048;

constexpr int kTileGap = 2;  // pixels between the tiles of the reconstructions and samples

// How many of `wanted` cells of cellPixels (gap included) fit in a row of the PNG (at least 2).
int cellsWithin(int wanted, int cellPixels) { return std::clamp(kMaxPngSide / std::max(1, cellPixels), 2, wanted); }
// Images are shown at 2x where a row of `cells` of them still fits, else at their own size.
int zoomWithin(int cells, int tile) { return cells * (2 * tile + kTileGap) <= kMaxPngSide ? 2 : 1; }


// What every rank must agree on before training together: the run's settings (all but the
// per-machine thread count and device) and how far the model has been trained.
std::string rankAgreement(RunSettings settings, const Session& session) {
    settings.threads = 0;
    settings.device = "auto";
    QByteArray text = runFileJson(settings);
    text += "\nsteps " + QByteArray::number(qlonglong(session.stepsTrained()));
    return QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex().toStdString();
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

QString firstLine(const std::string& message) { return QString::fromStdString(message.substr(0, message.find('\n'))); }

}  // namespace

TrainingRun::TrainingRun(TrainingRunParameters parameters, TrainingRunCallbacks callbacks)
    : parameters_(std::move(parameters)), callbacks_(std::move(callbacks)) {}

TrainingRun::~TrainingRun() = default;

bool TrainingRun::writesFiles() const { return !parameters_.outputFolder.isEmpty() && parameters_.group.rank == 0; }

int TrainingRun::worldSize() const { return group_ ? group_->worldSize() : 1; }

void TrainingRun::prepare(std::unique_ptr<Session>& session, const ImageDataset& dataset) {
    const RunSettings& settings = parameters_.settings;
    // Each rank's default share of the cores; an explicit thread count stands. OpenMP's count is
    // per thread: this sets the calling thread's.
    setComputeThreads(settings.threads == 0 && parameters_.group.distributed()
                          ? parameters_.group.defaultThreads(std::max(1, QThread::idealThreadCount()))
                          : settings.threads);
    dataset_ = &dataset;
    chooseSession(session, dataset);
    session_ = session.get();
    session_->setDatasetIdentity(dataset.identity());  // its checkpoints say what it learnt from
    if (writesFiles()) checkOutputFolder();
    recorded_ = settings;
    recorded_.model = session_->config();
    const QString datasetSpec = QString::fromStdString(settings.dataset);
    if (!isBuiltInDataset(datasetSpec) && QFileInfo(datasetSpec).isDir())  // a folder: usable from anywhere
        recorded_.dataset = QFileInfo(QString::fromStdString(settings.dataset)).absoluteFilePath().toStdString();
    if (parameters_.group.distributed()) {
        RunSettings agreed = settings;
        agreed.model.imageRows = dataset.rows();
        agreed.model.imageCols = dataset.cols();
        agreed.model.imageChannels = dataset.channels();
        group_ = std::make_unique<ProcessGroup>(parameters_.group, rankAgreement(agreed, *session_));
    }
}

void TrainingRun::chooseSession(std::unique_ptr<Session>& session, const ImageDataset& dataset) {
    const RunSettings& settings = parameters_.settings;
    ModelConfig wanted = settings.model;  // the model follows the data's image size
    wanted.imageRows = dataset.rows();
    wanted.imageCols = dataset.cols();
    wanted.imageChannels = dataset.channels();
    const std::string resumed = parameters_.resumeFrom.toStdString();
    const std::string device = parameters_.modelDevice.empty() ? settings.device : parameters_.modelDevice;
    if (!resumed.empty()) {
        auto loaded = parameters_.resumeLoaded && session ? std::move(session)
                                                          : std::make_unique<Session>(Session::fromCheckpoint(resumed, device));
        requireSameData(*loaded, dataset);
        if (parameters_.modelOptionsSet && loaded->config() != wanted)
            throw ConfigError("--resume: " + resumed + " holds a " + loaded->config().describe() + " model, not the " +
                              wanted.describe() + " the options ask for");
        const ModelConfig& model = loaded->config();
        if (model.imageRows != dataset.rows() || model.imageCols != dataset.cols() || model.imageChannels != dataset.channels())
            throw ConfigError("--resume: " + resumed + " was trained on " +
                              imageShapeText(model.imageRows, model.imageCols, model.imageChannels) + " images, not " +
                              imageShapeText(dataset.rows(), dataset.cols(), dataset.channels()));
        session = std::move(loaded);
    } else if (!session || session->stepsTrained() == 0) {
        // A trained model is kept (the window trains it further). An untrained one is drawn again
        // from these settings and their seed, so that run.json repeats the run exactly (the
        // window's model shown before Start was drawn with the seed of its time).
        session = std::make_unique<Session>(wanted, device, settings.training.seed);
    }
}

// A checkpoint resumes on the data it was trained on: its history and run.json would otherwise
// mix two datasets. Checkpoints from before 0.2.1 carry no identity; for them the built-in
// datasets' names are compared.
void TrainingRun::requireSameData(const Session& loaded, const ImageDataset& dataset) const {
    const std::string& stored = loaded.datasetIdentity();
    const std::string current = dataset.identity();
    const std::string before = loaded.runSettings().dataset, now = parameters_.settings.dataset;
    const auto builtIn = [](const std::string& name) { return isBuiltInDataset(QString::fromStdString(name)); };
    const bool differs = stored.empty() ? builtIn(before) && builtIn(now) && before != now : stored != current;
    if (!differs) return;
    const auto shortly = [](std::string text) { return text.size() > 90 ? text.substr(0, 87) + "..." : text; };
    throw ConfigError("--resume: " + parameters_.resumeFrom.toStdString() + " was trained on '" + before + "'" +
                      (stored.empty() ? std::string() : " (" + shortly(stored) + ")") + ", not on '" + now + "' (" +
                      shortly(current) + "); a checkpoint resumes on the data it was trained on");
}

// Checks that the folder can hold our files. A missing one is made with the first epoch's files
// (RunFolderUpdate), so that a run that ends sooner leaves nothing behind.
void TrainingRun::checkOutputFolder() const {
    if (const QString error = RunFolderUpdate::checkWritable(parameters_.outputFolder); !error.isEmpty())
        throw ConfigError(("--out: " + error).toStdString());
    checkNothingIsOverwritten();
    // The GIF is written after the last epoch: a folder it cannot go to is refused before the first.
    const QString& gif = parameters_.timelineGif;
    if (gif.isEmpty()) return;
    const QString gifFolder = QFileInfo(gif).absolutePath();
    if (!QFileInfo(gifFolder).isDir())
        throw ConfigError(("--timeline-gif: folder " + gifFolder + " does not exist").toStdString());
    if (const QString error = RunFolderUpdate::checkWritable(gifFolder); !error.isEmpty())
        throw ConfigError(("--timeline-gif: " + gif + ": " + error).toStdString());
}

// A run's files replace only the run they belong to: the resumed checkpoint's own folder, or,
// with --force, another run (a folder with a run.json of ours). Files of those names that are the
// user's (a metrics.csv of their own) are never replaced.
void TrainingRun::checkNothingIsOverwritten() const {
    const QDir folder(parameters_.outputFolder);
    QStringList ours;
    for (const char* name : {"run.json", "checkpoint.pt", "metrics.csv", "reconstructions.png", "samples.png", "latent_grid.png"})
        if (QFileInfo::exists(folder.filePath(name))) ours << name;
    if (ours.isEmpty()) return;
    const bool resumesHere = !parameters_.resumeFrom.isEmpty() &&
                             QFileInfo(parameters_.resumeFrom).absoluteDir() == QDir(folder.absolutePath());
    if (resumesHere) return;  // its metrics.csv goes on, its checkpoint is replaced by the next epoch's
    bool aRun = false;
    try {
        readRunFile(folder.filePath("run.json"));
        aRun = true;
    } catch (const std::exception&) {
    }
    if (aRun && parameters_.replaceRun) return;
    const QString out = parameters_.outputFolder;
    if (aRun)
        throw ConfigError(("--out: " + out + " holds another run (" + ours.join(", ") +
                           "); --force replaces it, --resume " + folder.filePath("checkpoint.pt") + " continues it")
                              .toStdString());
    throw ConfigError(("--out: " + out + " holds files of the names a run writes (" + ours.join(", ") +
                       ") that are not a run's; name another folder")
                          .toStdString());
}

TrainingRunParameters::Snapshots TrainingRun::snapshotsTaken() const {
    using Snapshots = TrainingRunParameters::Snapshots;
    // A kept timeline replays the scatter too, in the window that reopens the checkpoint.
    if (writesFiles() && parameters_.keepTimeline) return Snapshots::DecodersAndEncoders;
    if (writesFiles() && !parameters_.timelineGif.isEmpty() && parameters_.snapshots == Snapshots::None)
        return Snapshots::Decoders;
    return parameters_.snapshots;
}

void TrainingRun::takeSnapshot() {
    const bool withEncoder = snapshotsTaken() == TrainingRunParameters::Snapshots::DecodersAndEncoders;
    ReplaySnapshot snapshot{session_->stepsTrained(), session_->epochsTrained(), session_->decoderWeights(),
                            withEncoder ? session_->encoderWeights() : EncoderWeights{}};
    if (parameters_.keepTimeline || !parameters_.timelineGif.isEmpty()) timeline_.add(snapshot);
    if (callbacks_.snapshotTaken) callbacks_.snapshotTaken(snapshot);
}

// After every epoch, the folder's files change together (RunFolderUpdate): run.json with every
// setting of the run (beta changes so far included), metrics.csv with the model's whole history (a
// resumed checkpoint carries its earlier epochs, so resuming into the same folder appends), the
// images of the model as it is now, and checkpoint.pt. An interrupted run keeps everything up to
// its last finished epoch, and a failed one leaves the folder as it was.
QString TrainingRun::writeEpochFiles() {
    RunFolderUpdate update(parameters_.outputFolder);
    Session& session = *session_;
    const int tile = session.config().imageCols;  // latent grid at native size, the rest at 2x where they fit
    const int pairZoom = zoomWithin(kReconstructionCount / 2, tile), sampleZoom = zoomWithin(kSampleGrid, tile);
    const int pairColumns = cellsWithin(kReconstructionCount / 2, pairZoom * tile + kTileGap);
    const int sampleGrid = cellsWithin(kSampleGrid, sampleZoom * tile + kTileGap), grid = cellsWithin(kLatentGrid, tile);
    try {
        QString error = update.stage("run.json", runFileJson(recorded_));
        if (error.isEmpty()) error = update.stage("metrics.csv", metricsCsv(session.history().epochs));
        const auto inputs = dataset_->testImages(0, 2 * pairColumns);
        if (error.isEmpty())
            error = update.stageImage("reconstructions.png",
                                      pairedRows(inputs, session.reconstruct(inputs), pairColumns, pairZoom * tile, kTileGap));
        if (error.isEmpty())
            error = update.stageImage("samples.png", tileImages(session.samplePrior(sampleGrid * sampleGrid, kSampleSeed),
                                                                sampleGrid, sampleZoom * tile, kTileGap));
        if (error.isEmpty() && session.config().latentDim == 2)
            error = update.stageImage("latent_grid.png",
                                      tileImages(session.decode(latentGrid(grid, kDefaultLatentRange)), grid, tile, 0));
        if (!error.isEmpty()) return error;
        session.saveCheckpoint(update.stagedPath("checkpoint.pt").toStdString());
        return update.commit();
    } catch (const std::exception& failure) {
        return firstLine(failure.what());
    }
}

// The replay's GIF, once the run has finished.
QString TrainingRun::writeFinalFiles(TrainStatus status) {
    if (status != TrainStatus::Finished || parameters_.timelineGif.isEmpty()) return {};
    try {
        return writeTimelineGif(parameters_.timelineGif, timeline_, *session_, *dataset_);
    } catch (const std::exception& failure) {
        return firstLine(failure.what());
    }
}

bool epochFilesDue(bool firstOrLast, double millisecondsSinceWrite, double millisecondsOfLastWrite) {
    return firstOrLast || millisecondsSinceWrite >= kWriteCostShare * millisecondsOfLastWrite;
}

TrainingRunResult TrainingRun::run(TrainControl& control) {
    TrainingRunResult result;
    const auto fileFailure = [&](const QString& error) {
        result.status = TrainStatus::Failed;
        result.error = error;
        result.fileFailed = true;
        return result;
    };
    Session& session = *session_;
    session.setRunSettings(recorded_);  // its checkpoints carry them
    const bool snapshots = snapshotsTaken() != TrainingRunParameters::Snapshots::None;
    if (parameters_.keepTimeline) timeline_.assign(session.timeline());  // a resumed checkpoint's replay goes on
    else session.setTimeline({});  // a resumed checkpoint's replay would end too early
    if (snapshots && session.stepsTrained() == 0) takeSnapshot();  // the replay starts from the untrained map

    QString writeError;
    TrainCallbacks callbacks;
    callbacks.progress = [&](const ProgressInfo& info) {
        if (snapshots && isReplayStep(info.step)) takeSnapshot();
        if (callbacks_.progress) callbacks_.progress(info);
    };
    callbacks.paused = callbacks_.paused;
    callbacks.betaChanged = [&](const BetaChange& change) {  // joins the run's settings
        recorded_.training.addBetaChange(change);
        session.setRunSettings(recorded_);
        if (callbacks_.betaChanged) callbacks_.betaChanged(change);
    };
    const int lastEpoch = session.epochsTrained() + parameters_.settings.training.epochs;
    callbacks.epochDone = [&](const EpochMetrics& metrics) {
        if (snapshots) takeSnapshot();
        if (parameters_.keepTimeline) session.setTimeline(timeline_.snapshots());  // the checkpoint saved next carries it
        const bool firstOrLast = !sinceWrite_.isValid() || metrics.epoch >= lastEpoch;
        if (writesFiles() && writeError.isEmpty() &&
            epochFilesDue(firstOrLast, double(sinceWrite_.isValid() ? sinceWrite_.elapsed() : 0), double(lastWriteMs_))) {
            QElapsedTimer writing;
            writing.start();
            writeError = writeEpochFiles();
            lastWriteMs_ = writing.elapsed();
            sinceWrite_.start();
            if (writeError.isEmpty()) result.checkpointEpoch = metrics.epoch;
            else control.cancel = true;
        }
        if (callbacks_.epochFinished) callbacks_.epochFinished(metrics);
    };
    TrainOptions options = parameters_.settings.training;
    if (snapshots || callbacks_.progress) options.progressEveryBatches = 1;  // costs nothing unheard
    const bool cancelledBefore = control.cancel.load();
    const TrainResult trained = session.train(*dataset_, options, control, callbacks, group_.get());
    result.status = trained.status;
    result.error = QString::fromStdString(trained.error);
    result.epochsOfRun = int(trained.epochs.size());
    if (!writeError.isEmpty()) return fileFailure(writeError);
    // Nothing here asked for it: another rank stopped every rank.
    if (trained.status == TrainStatus::Cancelled && !cancelledBefore && !control.cancel.load()) {
        result.error = "another rank stopped the run (it was interrupted, or rank 0 could not write its files)";
        result.stoppedByAnotherRank = true;
        return result;
    }
    if (writesFiles())
        if (const QString error = writeFinalFiles(trained.status); !error.isEmpty()) return fileFailure(error);
    result.snapshots = timeline_.size();
    return result;
}

}  // namespace vae
