#include "training_controller.h"

#include "decode_service.h"
#include "encode_service.h"
#include "training_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace vae {

void TrainingController::ThreadStopper::operator()(QThread* thread) const {
    thread->quit();
    thread->wait();
    delete thread;
}

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), control_(std::make_shared<TrainControl>()), decoder_(std::make_unique<DecodeService>()),
      encoder_(std::make_unique<EncodeService>()) {
    static const bool registered = [] {
        qRegisterMetaType<RunSettings>();
        qRegisterMetaType<ProgressUpdate>();
        qRegisterMetaType<EpochMetrics>();
        qRegisterMetaType<ModelInfo>();
        qRegisterMetaType<DatasetInfo>();
        qRegisterMetaType<DecodedPoint>();
        qRegisterMetaType<DecodedGrid>();
        qRegisterMetaType<EncodedTestSet>();
        qRegisterMetaType<Encodings>();
        qRegisterMetaType<ReplaySnapshot>();
        qRegisterMetaType<ModelConfig>();
        qRegisterMetaType<Operation>();
        qRegisterMetaType<TrainStatus>();
        qRegisterMetaType<BetaChange>();
        qRegisterMetaType<LikelihoodResult>();
        qRegisterMetaType<LikelihoodOptions>();
        return true;
    }();
    Q_UNUSED(registered);

    worker_ = std::make_unique<TrainingWorker>(control_, decoder_.get(), encoder_.get());
    thread_.reset(new QThread);
    thread_->setObjectName("training");
    worker_->moveToThread(thread_.get());

    connect(worker_.get(), &TrainingWorker::modelChanged, this, &TrainingController::modelChanged);
    connect(worker_.get(), &TrainingWorker::datasetLoaded, this, &TrainingController::datasetLoaded);
    connect(worker_.get(), &TrainingWorker::progress, this, &TrainingController::progress);
    connect(worker_.get(), &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
    // Pictures made in another thread are copied here, in the GUI thread, before anything keeps
    // them: Qt's queued hand-over is invisible to ThreadSanitizer (tests/sanitizers/tsan.supp),
    // so a later direct read (an export) of the other thread's pixels was reported as a race.
    // The copies are small (a grid of 20 x 20 tiles, a decoded point) and made at display rate.
    connect(worker_.get(), &TrainingWorker::reconstructionsReady, this,
            [this](const QImage& image) { emit reconstructionsReady(image.copy()); });
    connect(worker_.get(), &TrainingWorker::checkpointSaved, this, &TrainingController::checkpointSaved);
    connect(worker_.get(), &TrainingWorker::modelExported, this, &TrainingController::modelExported);
    connect(worker_.get(), &TrainingWorker::failed, this, &TrainingController::failed);
    connect(worker_.get(), &TrainingWorker::paused, this, &TrainingController::paused);
    connect(worker_.get(), &TrainingWorker::betaChanged, this, &TrainingController::betaChanged);
    connect(worker_.get(), &TrainingWorker::likelihoodProgress, this, &TrainingController::likelihoodProgress);
    connect(worker_.get(), &TrainingWorker::likelihoodFinished, this, [this](const LikelihoodResult& result) {
        setState(State::Idle);
        emit likelihoodFinished(result);
    });
    connect(worker_.get(), &TrainingWorker::trainingFinished, this, [this](TrainStatus status, const QString& message) {
        setState(State::Idle);
        emit trainingFinished(status, message);
    });
    connect(decoder_.get(), &DecodeService::pointDecoded, this, [this](DecodedPoint point) {
        point.image = point.image.copy();
        emit pointDecoded(point);
    });
    connect(decoder_.get(), &DecodeService::gridDecoded, this, [this](DecodedGrid grid) {
        grid.image = grid.image.copy();
        emit gridDecoded(grid);
    });
    connect(decoder_.get(), &DecodeService::samplesDecoded, this, [this](const QImage& image) { emit samplesDecoded(image.copy()); });
    connect(decoder_.get(), &DecodeService::decodeFailed, this,
            [this](const QString& message) { emit failed(Operation::Decode, message); });
    connect(encoder_.get(), &EncodeService::encoded, this, &TrainingController::testSetEncoded);
    connect(encoder_.get(), &EncodeService::imageEncoded, this, &TrainingController::imageEncoded);
    const auto ownCopies = [](QVector<QImage> images) {
        for (QImage& image : images) image = image.copy();
        return images;
    };
    connect(decoder_.get(), &DecodeService::batchDecoded, this,
            [this, ownCopies](quint64 id, const QVector<QImage>& images) { emit batchDecoded(id, ownCopies(images)); });
    connect(decoder_.get(), &DecodeService::replayGridsDecoded, this,
            [this, ownCopies](quint64 id, const QVector<QImage>& grids) { emit replayGridsDecoded(id, ownCopies(grids)); });
    connect(encoder_.get(), &EncodeService::replayEncoded, this, &TrainingController::replayEncoded);
    connect(worker_.get(), &TrainingWorker::snapshotTaken, this, &TrainingController::snapshotTaken);
    connect(encoder_.get(), &EncodeService::encodeFailed, this,
            [this](const QString& message) { emit failed(Operation::Encode, message); });

    // Training yields the cores to the GUI and decode threads whenever they have work: a
    // niceness of 10 is inherited by the OpenMP threads this thread creates.
    connect(
        thread_.get(), &QThread::started, thread_.get(),
        [] { setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), 10); }, Qt::DirectConnection);
    thread_->start();
    decoder_->start();
    encoder_->start();
}

TrainingController::~TrainingController() {
    // The loop sees the flag within one batch; then the thread's event loop can quit.
    control_->cancel = true;
    control_->pause = false;
    thread_.reset();
    worker_.reset();
    decoder_.reset();
    encoder_.reset();
}

template <typename Call>
void TrainingController::call(Call&& work) {
    // Runs in the training thread, after what is already queued there. The functor holds copies
    // of value types only, and the compiler checks the call (no method names as strings).
    TrainingWorker* worker = worker_.get();
    QMetaObject::invokeMethod(worker, [worker, work = std::forward<Call>(work)] { work(*worker); }, Qt::QueuedConnection);
}

void TrainingController::setState(State state) {
    if (state == state_) return;
    state_ = state;
    emit stateChanged(state);
}

void TrainingController::newModel(const ModelConfig& config, quint64 seed) {
    if (isBusy()) return;
    call([config, seed](TrainingWorker& worker) { worker.newModel(config, seed); });
}

void TrainingController::start(const RunSettings& settings) {
    if (isBusy()) return;
    control_->cancel = false;
    control_->pause = false;
    setState(State::Training);
    call([settings](TrainingWorker& worker) { worker.train(settings); });
}

void TrainingController::pause() {
    if (state_ != State::Training) return;
    control_->pause = true;
    setState(State::Paused);
}

void TrainingController::resume() {
    if (state_ != State::Paused) return;
    control_->pause = false;
    setState(State::Training);
}

void TrainingController::stop() {
    if (state_ != State::Training && state_ != State::Paused && state_ != State::Evaluating) return;
    control_->cancel = true;
    control_->pause = false;
    setState(State::Stopping);
}

void TrainingController::requestBeta(double beta) {
    if (state_ == State::Training || state_ == State::Paused) control_->betaRequest = beta;
}

void TrainingController::estimateLikelihood(const LikelihoodOptions& options) {
    if (isBusy()) return;
    control_->cancel = false;
    setState(State::Evaluating);
    call([options](TrainingWorker& worker) { worker.estimateLikelihood(options); });
}

void TrainingController::openCheckpoint(const QString& path) {
    if (isBusy()) return;
    call([path](TrainingWorker& worker) { worker.openCheckpoint(path); });
}

void TrainingController::saveCheckpoint(const QString& path, std::vector<ReplaySnapshot> timeline) {
    if (isBusy()) return;
    call([path, timeline = std::move(timeline)](TrainingWorker& worker) { worker.saveCheckpoint(path, timeline); });
}

void TrainingController::exportModel(const QString& path, ExportFormat format, ExportPart part) {
    if (isBusy()) return;
    call([path, format, part](TrainingWorker& worker) { worker.exportModel(path, format, part); });
}

void TrainingController::exportWebPage(const QString& dir, int points) {
    if (isBusy()) return;
    call([dir, points](TrainingWorker& worker) { worker.exportWebPage(dir, points); });
}

void TrainingController::loadDataset(const RunSettings& settings) {
    if (isBusy()) return;
    call([settings](TrainingWorker& worker) { worker.loadDataset(settings); });
}

void TrainingController::refreshReconstructions() {
    if (isBusy()) worker_->requestReconstructionsSoon();
    else call([](TrainingWorker& worker) { worker.refreshReconstructions(); });
}

quint64 TrainingController::decodePoint(const std::vector<float>& latent) {
    const quint64 id = nextRequestId_++;
    decoder_->requestPoint(latent, id);
    return id;
}

void TrainingController::setEncodedCount(int count) { encoder_->setCount(count); }

quint64 TrainingController::decodeBatch(const std::vector<float>& latents) {
    const quint64 id = nextRequestId_++;
    decoder_->requestBatch(latents, id);
    return id;
}

quint64 TrainingController::decodeReplayGrids(const QVector<DecoderWeights>& decoders, const GridSpec& spec) {
    const quint64 id = nextRequestId_++;
    decoder_->requestReplayGrids(decoders, spec, id);
    return id;
}

quint64 TrainingController::encodeForReplay(const EncoderWeights& weights) {
    const quint64 id = nextRequestId_++;
    encoder_->requestReplayEncoding(weights, id);
    return id;
}

quint64 TrainingController::encodeImage(const QByteArray& pixels) {
    const quint64 id = nextRequestId_++;
    encoder_->requestImage(pixels, id);
    return id;
}

void TrainingController::requestGrid(const GridSpec& spec) { decoder_->requestGrid(spec); }

void TrainingController::requestSamples(int count, quint64 seed) { decoder_->requestSamples(count, seed); }

}  // namespace vae
