#pragma once
// Lives in the training thread and owns everything torch: the session (model + optimizer)
// and the dataset. Its slots are invoked queued by TrainingController; while train() runs,
// control comes through the shared atomic TrainControl, checked every batch.
#include "dataset.h"
#include "session.h"
#include "boundary_types.h"
#include "model_export.h"
#include "replay_timeline.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

namespace vae {

class DecodeService;
class EncodeService;

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    TrainingWorker(std::shared_ptr<TrainControl> control, DecodeService* decoder, EncodeService* encoder);
    ~TrainingWorker() override;

    // Thread-safe: asks the running training loop for fresh reconstructions.
    void requestReconstructionsSoon() { reconstructionsRequested_ = true; }

    // Called in the training thread (TrainingController queues them there).
    void newModel(const vae::ModelConfig& config, quint64 seed);
    void train(const vae::RunSettings& settings);
    void openCheckpoint(const QString& path);
    void saveCheckpoint(const QString& path, const std::vector<ReplaySnapshot>& timeline = {});
    void exportModel(const QString& path, ExportFormat format, ExportPart part);
    void exportWebPage(const QString& dir, int points);
    void refreshReconstructions();
    // The data of these settings: the dataset, and an image folder's size and split.
    void loadDataset(const vae::RunSettings& settings);
    // On the current dataset's test images; TrainControl::cancel stops it between batches.
    void estimateLikelihood(const vae::LikelihoodOptions& options);

signals:
    void modelChanged(const vae::ModelInfo& info);
    void datasetLoaded(const vae::DatasetInfo& info);
    void progress(const vae::ProgressUpdate& update);
    void epochFinished(const vae::EpochMetrics& metrics);
    void reconstructionsReady(const QImage& image);
    // message: why it failed, empty when failed() has said so already.
    void trainingFinished(vae::TrainStatus status, const QString& message);
    void paused();  // the trainer really stopped between two batches
    void snapshotTaken(const vae::ReplaySnapshot& snapshot);  // see isReplayStep
    void checkpointSaved(const QString& path);
    void modelExported(const QString& path);
    void failed(vae::Operation operation, const QString& message);  // one line, naming the file
    void betaChanged(const vae::BetaChange& change);  // a TrainControl::betaRequest took effect
    void likelihoodProgress(int imagesDone, int imagesTotal);
    void likelihoodFinished(const vae::LikelihoodResult& result);  // done, cancelled or failed

private:
    // Loads the data of these settings unless it is the data held (datasetIdentity).
    bool ensureDataset(const RunSettings& settings);
    // And tells the window (with the loader's note on skipped files) and the encoder.
    void useDataset(ImageDataset dataset, const RunSettings& settings, const QString& note);
    // opened: a checkpoint just opened, whose training settings the window shows.
    void publishModel(const QString& source, bool opened = false);
    // Whether the data held can go through the model held. An idle window holds a new model of
    // the last data's shape while other data loads, so only an opened checkpoint is told
    // (failed(), naming both shapes) when it cannot.
    bool dataFitsModel() const;
    void sayWhenDataDoesNotFit();
    void publishReconstructions();
    void publishEncoder();
    // The live curve's points since lastSentStep, which it advances; and the speed and place.
    ProgressUpdate progressUpdate(const ProgressInfo& info, qint64& lastSentStep) const;

    std::shared_ptr<TrainControl> control_;
    DecodeService* decoder_;
    EncodeService* encoder_;
    std::unique_ptr<Session> session_;
    std::optional<ImageDataset> dataset_;
    QString datasetIdentity_;
    QString modelSource_ = "new";
    quint64 generation_ = 0;  // counts the models this worker has held
    std::atomic<bool> reconstructionsRequested_{false};
};

}  // namespace vae
