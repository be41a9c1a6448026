#pragma once
// The GUI thread's handle on training: owns the training thread and its worker, the decode
// thread and the encode thread. Every call returns at once; results arrive as signals carrying value types.
#include "boundary_types.h"
#include "model_export.h"
#include "replay_timeline.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace vae {

class DecodeService;
class EncodeService;
class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Training, Paused, Stopping, Evaluating };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // cancels training and joins both threads

    State state() const { return state_; }
    bool isBusy() const { return state_ != State::Idle; }

    void newModel(const ModelConfig& config, quint64 seed);
    void start(const RunSettings& settings);
    void pause();
    void resume();
    void stop();  // training or an estimate
    // A new KL weight for the running training, taken at its next batch (betaChanged says when).
    void requestBeta(double beta);
    // The importance-weighted -log p(x) of the current model on the current test set, in the
    // training thread while nothing trains: likelihoodProgress, then likelihoodFinished.
    void estimateLikelihood(const LikelihoodOptions& options);
    void openCheckpoint(const QString& path);
    // With the replay's snapshots when given: the checkpoint carries them (see Session::setTimeline).
    void saveCheckpoint(const QString& path, std::vector<ReplaySnapshot> timeline = {});
    // The model as TorchScript or ONNX (model_export.h): modelExported, or failed() naming the file.
    void exportModel(const QString& path, ExportFormat format, ExportPart part);
    // The latent space as a web page (web_export.h) in a new or empty folder: modelExported(dir).
    void exportWebPage(const QString& dir, int points);
    // The data of these settings (the dataset, and an image folder's size and split); nothing
    // happens when it is the data held.
    void loadDataset(const RunSettings& settings);
    void refreshReconstructions();

    // Decoding goes straight to the decode thread, training or not. Returns the request id
    // that the matching pointDecoded carries.
    quint64 decodePoint(const std::vector<float>& latent);
    void requestGrid(const GridSpec& spec);
    void requestSamples(int count, quint64 seed);
    // How many test images the encode thread places on the map (EncodeService::kAllImages: all);
    // testSetEncoded brings them, again whenever the model changes or learns.
    void setEncodedCount(int count);
    // A batch of latents to decode (batchDecoded), an image to encode (imageEncoded); each
    // returns the request id its answer carries.
    quint64 decodeBatch(const std::vector<float>& latents);
    quint64 encodeImage(const QByteArray& pixels);
    // The replay: grids drawn by earlier decoders, the test set through an earlier encoder.
    quint64 decodeReplayGrids(const QVector<DecoderWeights>& decoders, const GridSpec& spec);
    quint64 encodeForReplay(const EncoderWeights& weights);

signals:
    void stateChanged(vae::TrainingController::State state);
    void modelChanged(const vae::ModelInfo& info);
    void datasetLoaded(const vae::DatasetInfo& info);
    void progress(const vae::ProgressUpdate& update);
    void epochFinished(const vae::EpochMetrics& metrics);
    void reconstructionsReady(const QImage& image);
    void trainingFinished(vae::TrainStatus status, const QString& message);  // message empty: failed() said why
    void paused();  // confirms pause(): no training step happens until resume()
    void checkpointSaved(const QString& path);
    void modelExported(const QString& path);
    void failed(vae::Operation operation, const QString& message);  // one line, naming the file
    void pointDecoded(const vae::DecodedPoint& point);
    void gridDecoded(const vae::DecodedGrid& grid);
    void samplesDecoded(const QImage& image);
    void testSetEncoded(const vae::EncodedTestSet& result);
    void batchDecoded(quint64 requestId, const QVector<QImage>& images);
    void imageEncoded(quint64 requestId, const vae::Encodings& encoding);
    void replayGridsDecoded(quint64 requestId, const QVector<QImage>& grids);
    void replayEncoded(quint64 requestId, const vae::Encodings& encodings);
    void snapshotTaken(const vae::ReplaySnapshot& snapshot);  // while training, for the replay
    void betaChanged(const vae::BetaChange& change);
    void likelihoodProgress(int imagesDone, int imagesTotal);
    void likelihoodFinished(const vae::LikelihoodResult& result);

private:
    struct ThreadStopper {
        void operator()(QThread* thread) const;
    };
    void setState(State state);
    template <typename Call>
    void call(Call&& work);  // work(TrainingWorker&) in the training thread

    std::shared_ptr<TrainControl> control_;
    std::unique_ptr<DecodeService> decoder_;
    std::unique_ptr<EncodeService> encoder_;
    std::unique_ptr<TrainingWorker> worker_;
    std::unique_ptr<QThread, ThreadStopper> thread_;  // declared last: stopped first
    State state_ = State::Idle;
    quint64 nextRequestId_ = 1;
};

}  // namespace vae
