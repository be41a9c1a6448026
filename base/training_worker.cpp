#include "training_worker.h"

#include "decode_service.h"
#include "encode_service.h"
#include "errors.h"
#include "image_convert.h"
#include "image_folder.h"
#include "runtime_info.h"
#include "training_run.h"
#include "web_export.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace vae {
namespace {

// "28x28" or "32x32 RGB": what a model takes and what data holds, compared and shown as one.
std::string shapeOf(const ModelConfig& config) {
    return imageShapeText(config.imageRows, config.imageCols, config.imageChannels);
}
std::string shapeOf(const ImageDataset& data) { return imageShapeText(data.rows(), data.cols(), data.channels()); }

constexpr int kReconstructionCount = 16;
// Throttles: the GUI gets at most 10 progress updates a second, new decoder weights at
// most 5 times a second and fresh reconstructions every 2 seconds (and after each epoch).
constexpr qint64 kProgressMs = 100;
constexpr qint64 kWeightsMs = 200;
constexpr qint64 kReconstructionsMs = 2000;
// The encoder goes to the encode thread every 2 seconds and after each epoch: encoding 10,000
// test images takes a tenth of a second or so on one core, so the scatter follows training
// closely at a few percent of one core.
constexpr qint64 kEncoderMs = 2000;

}  // namespace

TrainingWorker::TrainingWorker(std::shared_ptr<TrainControl> control, DecodeService* decoder, EncodeService* encoder)
    : control_(std::move(control)), decoder_(decoder), encoder_(encoder) {}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::newModel(const ModelConfig& config, quint64 seed) {
    try {
        setComputeThreads(0);  // OpenMP thread counts are per thread: set them in this one
        session_ = std::make_unique<Session>(config, "cpu", seed);
        ++generation_;
        publishModel("new");
        publishReconstructions();
    } catch (const std::exception& error) {
        emit failed(Operation::NewModel, QString("New model: ") + error.what());
    }
}

bool TrainingWorker::ensureDataset(const RunSettings& settings) {
    if (dataset_ && datasetIdentity(settings) == datasetIdentity_) return true;
    try {
        auto loaded = vae::loadDataset(settings);
        useDataset(std::move(loaded.dataset), settings, loaded.note);
        return true;
    } catch (const std::exception& error) {
        emit failed(Operation::LoadDataset, QString::fromUtf8(error.what()));
        return false;
    }
}

void TrainingWorker::useDataset(ImageDataset dataset, const RunSettings& settings, const QString& note) {
    dataset_.emplace(std::move(dataset));
    datasetIdentity_ = datasetIdentity(settings);
    const QString spec = QString::fromStdString(settings.dataset);
    DatasetInfo info;
    info.spec = spec;
    info.trainCount = dataset_->trainCount();
    info.testCount = dataset_->testCount();
    info.rows = dataset_->rows();
    info.cols = dataset_->cols();
    info.channels = dataset_->channels();
    const auto pixels = dataset_->testPixels(dataset_->testCount());
    info.testPixels = QByteArray(reinterpret_cast<const char*>(pixels.data()), qsizetype(pixels.size()));
    info.testLabels = QVector<int>(dataset_->testLabels().begin(), dataset_->testLabels().end());
    for (const auto& name : dataset_->classNames()) info.classNames << QString::fromStdString(name);
    info.note = note;
    info.imageSize = settings.imageSize;
    info.testFraction = settings.testFraction;
    info.seed = settings.training.seed;
    info.fit = settings.fit;
    info.factorNames = dataset_->factorNames();
    info.testFactors = dataset_->testFactors();
    encoder_->setTestImages(info.testPixels, info.rows, info.cols, info.channels);
    encoder_->setTestFactors(info.factorNames, info.testFactors);
    emit datasetLoaded(info);
}

void TrainingWorker::train(const RunSettings& settings) {
    if (!ensureDataset(settings)) {
        emit trainingFinished(TrainStatus::Failed, QString());  // failed() named the problem
        return;
    }
    TrainingRunParameters parameters;
    parameters.settings = settings;
    parameters.snapshots = TrainingRunParameters::Snapshots::DecodersAndEncoders;  // the scatter replays too
    parameters.modelDevice = "cpu";  // as newModel's and openCheckpoint's
    QElapsedTimer sinceProgress, sinceWeights, sinceReconstructions, sinceEncoder;
    // The live curve is the model's own history: what the window shows while training is what a
    // checkpoint of the model will show when it is opened again.
    qint64 lastSentStep = 0;
    TrainingRunCallbacks callbacks;
    callbacks.progress = [&](const ProgressInfo& info) {
        if (sinceProgress.elapsed() >= kProgressMs || info.batch == info.batchesPerEpoch) {
            emit progress(progressUpdate(info, lastSentStep));
            sinceProgress.restart();
        }
        if (sinceWeights.elapsed() >= kWeightsMs) {
            decoder_->setWeights(session_->decoderWeights());
            sinceWeights.restart();
        }
        if (sinceEncoder.elapsed() >= kEncoderMs) {
            publishEncoder();
            sinceEncoder.restart();
        }
        if (sinceReconstructions.elapsed() >= kReconstructionsMs || reconstructionsRequested_.exchange(false)) {
            publishReconstructions();
            sinceReconstructions.restart();
        }
    };
    callbacks.snapshotTaken = [this](const ReplaySnapshot& snapshot) { emit snapshotTaken(snapshot); };
    callbacks.paused = [this] { emit paused(); };
    callbacks.betaChanged = [this](const BetaChange& change) { emit betaChanged(change); };
    callbacks.epochFinished = [&](const EpochMetrics& metrics) {
        emit epochFinished(metrics);
        publishEncoder();
        sinceEncoder.restart();
        publishReconstructions();
        sinceReconstructions.restart();
    };
    TrainingRun run(parameters, callbacks);
    const Session* held = session_.get();
    try {
        run.prepare(session_, *dataset_);
    } catch (const std::exception& error) {
        emit failed(Operation::NewModel, QString("New model: ") + error.what());
        emit trainingFinished(TrainStatus::Failed, QString());  // failed() named the problem
        return;
    }
    if (session_.get() != held) {  // an untrained model that did not fit the settings was replaced
        ++generation_;
        publishModel("new");
    }
    publishReconstructions();
    lastSentStep = session_->stepsTrained();
    for (QElapsedTimer* timer : {&sinceProgress, &sinceWeights, &sinceReconstructions, &sinceEncoder}) timer->start();
    const TrainingRunResult result = run.run(*control_);
    publishModel(modelSource_);
    publishReconstructions();
    emit trainingFinished(result.status, result.error);
}

ProgressUpdate TrainingWorker::progressUpdate(const ProgressInfo& info, qint64& lastSentStep) const {
    ProgressUpdate update;
    const auto& curve = session_->history().steps;
    for (auto point = curve.rbegin(); point != curve.rend() && point->step > lastSentStep; ++point)
        update.points.prepend(*point);
    if (!update.points.isEmpty()) lastSentStep = update.points.back().step;
    update.step = info.step;
    update.epochOfRun = info.epoch;
    update.epochsOfRun = info.epochs;
    update.batch = info.batch;
    update.batchesPerEpoch = info.batchesPerEpoch;
    update.imagesPerSecond = info.imagesPerSecond;
    update.threads = info.threads;
    return update;
}

void TrainingWorker::estimateLikelihood(const LikelihoodOptions& options) {
    LikelihoodResult result;
    try {
        if (!session_ || !dataset_) throw ConfigError("Evaluate log-likelihood: no model or no data loaded");
        setComputeThreads(0);
        result.step = session_->stepsTrained();
        result.epochsTrained = session_->epochsTrained();
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        result.estimate = session_->estimateLikelihood(*dataset_, options, [&](int done, int total) {
            if (sinceProgress.elapsed() >= kProgressMs || done == total) {
                emit likelihoodProgress(done, total);
                sinceProgress.restart();
            }
            return !control_->cancel.load();
        });
    } catch (const std::exception& error) {
        result.error = QString::fromUtf8(error.what());
    }
    emit likelihoodFinished(result);
}

void TrainingWorker::openCheckpoint(const QString& path) {
    try {
        auto loaded = std::make_unique<Session>(Session::fromCheckpoint(path.toStdString(), "cpu"));
        session_ = std::move(loaded);  // only replaced once the file has fully loaded
        ++generation_;
        publishModel(path, /*opened=*/true);
        // The data it was trained on, when it is here: its test set is what the map should show
        // (a Fashion-MNIST model over MNIST digits says nothing). Else the current data stays.
        // Only when it loads and fits the model: a checkpoint written before run settings were kept
        // says "mnist" whatever it was trained on.
        const RunSettings& trainedWith = session_->runSettings();
        if (!trainedWith.dataset.empty() && datasetIdentity(trainedWith) != datasetIdentity_) {
            try {
                auto candidate = vae::loadDataset(trainedWith);  // its size and split
                if (shapeOf(candidate.dataset) == shapeOf(session_->config()))
                    useDataset(std::move(candidate.dataset), trainedWith, candidate.note);
            } catch (const std::exception&) {  // not on this machine: the current data stays
            }
        }
        sayWhenDataDoesNotFit();  // its own data is not here, and the data held is of another shape
        publishReconstructions();
        for (const ReplaySnapshot& snapshot : session_->timeline()) emit snapshotTaken(snapshot);  // it replays too
    } catch (const std::exception& error) {
        emit failed(Operation::OpenCheckpoint, QString::fromUtf8(error.what()));
    }
}

void TrainingWorker::saveCheckpoint(const QString& path, const std::vector<ReplaySnapshot>& timeline) {
    if (!session_) return emit failed(Operation::SaveCheckpoint, path + ": there is no model to save");
    try {
        session_->setTimeline(timeline);
        session_->saveCheckpoint(path.toStdString());
        modelSource_ = path;
        emit checkpointSaved(path);
    } catch (const std::exception& error) {
        emit failed(Operation::SaveCheckpoint, QString::fromUtf8(error.what()));
    }
}

void TrainingWorker::exportModel(const QString& path, ExportFormat format, ExportPart part) {
    if (!session_) return emit failed(Operation::ExportModel, path + ": there is no model to export");
    const ModelExport model = modelExportOf(*session_, dataFitsModel() ? dataset_->classNames() : std::vector<std::string>{});
    const QString error = writeExportedModel(model, format, part, path);
    if (error.isEmpty()) emit modelExported(path);
    else emit failed(Operation::ExportModel, error);
}

void TrainingWorker::exportWebPage(const QString& dir, int points) {
    if (!dataFitsModel())
        return emit failed(Operation::ExportModel, dir + ": the web page shows the model's test set; load data of its shape");
    try {
        const WebMap map = webMapOf(*session_, *dataset_, points);
        const QString error = writeWebExplorer(modelExportOf(*session_, dataset_->classNames()), map, dir, /*force=*/false);
        if (error.isEmpty()) emit modelExported(dir);
        else emit failed(Operation::ExportModel, error);
    } catch (const std::exception& error) {
        emit failed(Operation::ExportModel, dir + ": " + QString::fromUtf8(error.what()));
    }
}

void TrainingWorker::refreshReconstructions() { publishReconstructions(); }

void TrainingWorker::loadDataset(const RunSettings& settings) {
    if (ensureDataset(settings)) publishReconstructions();
}

void TrainingWorker::publishModel(const QString& source, bool opened) {
    modelSource_ = source;
    decoder_->setWeights(session_->decoderWeights());
    const TrainOptions& training = session_->runSettings().training;
    emit modelChanged({session_->config(), session_->epochsTrained(), session_->stepsTrained(),
                       QString::fromStdString(session_->deviceName()), source,
                       QString::fromStdString(computeBackendReport()), session_->history(), generation_,
                       training.betaChanges, opened ? std::optional<TrainOptions>(training) : std::nullopt});
    // After modelChanged is queued: the window drops encodings of another latent space than its
    // model's, so the new model's must arrive after the news of the model.
    publishEncoder();
}

void TrainingWorker::publishEncoder() {
    if (session_) encoder_->setWeights(session_->encoderWeights(), session_->epochsTrained());
}

bool TrainingWorker::dataFitsModel() const {
    return session_ && dataset_ && shapeOf(session_->config()) == shapeOf(*dataset_);
}

void TrainingWorker::sayWhenDataDoesNotFit() {
    if (!session_ || !dataset_ || dataFitsModel()) return;
    emit failed(Operation::Reconstruct,
                QString("%1 takes %2 images and the data held (%3) has %4 images: choose data of the model's shape to "
                        "see its reconstructions and map")
                    .arg(QFileInfo(modelSource_).fileName(), QString::fromStdString(shapeOf(session_->config())),
                         QString::fromStdString(dataset_->name()), QString::fromStdString(shapeOf(*dataset_))));
}

void TrainingWorker::publishReconstructions() {
    if (!dataFitsModel()) return;
    try {
        const auto inputs = dataset_->testImages(0, kReconstructionCount);
        emit reconstructionsReady(pairedRows(inputs, session_->reconstruct(inputs), 8, 2 * inputs.cols, 2));
    } catch (const std::exception& error) {
        emit failed(Operation::Reconstruct, QString("Reconstructions: ") + error.what());
    }
}

}  // namespace vae
