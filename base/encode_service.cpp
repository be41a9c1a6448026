#include "encode_service.h"

#include "runtime_info.h"

#include <QElapsedTimer>

#include <memory>

namespace vae {

EncodeService::EncodeService(QObject* parent) : QObject(parent) {}

void EncodeService::start() {
    thread_.start([this] { run(); });
}

EncodeService::~EncodeService() { thread_.stop(); }

void EncodeService::setWeights(const EncoderWeights& weights, int epochsTrained) {
    thread_.post([&] {
        inputs_.weights = weights;
        inputs_.epochsTrained = epochsTrained;
        weightsChanged_ = changed_ = true;
    });
}

void EncodeService::setTestImages(const QByteArray& pixels, int rows, int cols, int channels) {
    thread_.post([&] {
        inputs_.pixels = pixels;
        inputs_.rows = rows;
        inputs_.cols = cols;
        inputs_.channels = channels;
        changed_ = true;
    });
}

void EncodeService::setTestFactors(const std::vector<std::string>& names, const std::vector<float>& values) {
    thread_.post([&] {
        inputs_.factorNames = names;
        inputs_.factors = values;
        changed_ = true;
    });
}

void EncodeService::scoreOn(const Inputs& work, EncodedTestSet& result) {
    const std::size_t factorCount = work.factorNames.size();
    const std::size_t rows = std::size_t(result.encodings.count);
    if (factorCount == 0 || rows < 2 || work.factors.size() < rows * factorCount) return;
    QElapsedTimer timer;
    timer.start();
    result.factorScores = scoreFactors(result.encodings.mu, result.encodings.latentDim,
                                       std::vector<float>(work.factors.begin(), work.factors.begin() + std::ptrdiff_t(rows * factorCount)),
                                       work.factorNames);
    result.factorMilliseconds = timer.nsecsElapsed() / 1e6;
}

void EncodeService::setCount(int count) {
    thread_.post([&] {
        changed_ = inputs_.count != count || changed_;
        inputs_.count = count;
    });
}

void EncodeService::requestImage(const QByteArray& pixels, quint64 requestId) {
    thread_.post([&] { image_ = std::make_pair(pixels, requestId); });
}

void EncodeService::requestReplayEncoding(const EncoderWeights& weights, quint64 requestId) {
    thread_.post([&] { replay_ = std::make_pair(weights, requestId); });
}

void EncodeService::run() {
    useOneComputeThreadHere();  // beside the trainer's threads, as the decoder is
    std::unique_ptr<Encoder> encoder;
    std::unique_ptr<Encoder> replayEncoder;  // earlier weights, for the replay
    for (;;) {
        Inputs work;
        bool newWeights = false;
        std::optional<std::pair<QByteArray, quint64>> image;
        std::optional<std::pair<EncoderWeights, quint64>> replay;
        const bool running = thread_.next(
            [&] {
                return (inputs_.weights && ((changed_ && !inputs_.pixels.isEmpty()) || image_)) ||
                       (replay_ && !inputs_.pixels.isEmpty());
            },
            [&] {
                newWeights = std::exchange(weightsChanged_, false);
                // One job a round: a drawn image first, then the replay, then the test set.
                image = std::exchange(image_, std::nullopt);
                if (!image) replay = std::exchange(replay_, std::nullopt);
                if (!image && !replay) changed_ = false;
                work = inputs_;  // the pixels are shared, not copied
            });
        if (!running) return;
        if (replay) {
            try {
                const ModelConfig& config = replay->first.config;
                const qsizetype imageBytes = work.imageBytes();
                if (!work.fits(config)) continue;
                const qsizetype available = work.pixels.size() / imageBytes;
                const qsizetype count = work.count < 0 ? available : std::min<qsizetype>(work.count, available);
                if (replayEncoder) replayEncoder->update(replay->first);
                else replayEncoder = std::make_unique<Encoder>(replay->first);
                emit replayEncoded(replay->second,
                                   replayEncoder->encode(reinterpret_cast<const std::uint8_t*>(work.pixels.constData()),
                                                         std::size_t(count * imageBytes)));
            } catch (const std::exception& error) {
                emit encodeFailed(QString("Encoding the replay's test set failed: ") + error.what());
            }
            continue;
        }
        try {
            if (newWeights || !encoder) {
                if (encoder) encoder->update(*work.weights);
                else encoder = std::make_unique<Encoder>(*work.weights);
            }
            const ModelConfig& config = encoder->config();
            if (image) {
                if (image->first.size() != config.inputDim()) continue;  // drawn for a previous model
                emit imageEncoded(image->second, encoder->encode(reinterpret_cast<const std::uint8_t*>(image->first.constData()),
                                                                 std::size_t(image->first.size())));
                continue;
            }
            // Another dataset than the model's: nothing to place until one of them changes.
            if (!work.fits(config)) continue;
            const qsizetype imageBytes = work.imageBytes();
            const qsizetype available = work.pixels.size() / imageBytes;
            const qsizetype count = work.count < 0 ? available : std::min<qsizetype>(work.count, available);
            if (count < 1) continue;
            EncodedTestSet result;
            result.epochsTrained = work.epochsTrained;
            QElapsedTimer timer;
            timer.start();
            result.encodings = encoder->encode(reinterpret_cast<const std::uint8_t*>(work.pixels.constData()),
                                               std::size_t(count * imageBytes));
            result.encodeMilliseconds = timer.nsecsElapsed() / 1e6;
            timer.restart();
            result.summary = summarizeEncodings(result.encodings);
            result.summaryMilliseconds = timer.nsecsElapsed() / 1e6;
            scoreOn(work, result);
            emit encoded(result);
        } catch (const std::exception& error) {
            emit encodeFailed(QString("Encoding the test set failed: ") + error.what());
        }
    }
}

}  // namespace vae
