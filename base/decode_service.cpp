#include "decode_service.h"

#include "decoder.h"
#include "image_convert.h"
#include "session.h"

#include <QElapsedTimer>

#include <memory>
#include <cmath>

namespace vae {

QImage decodeGrid(Decoder& decoder, const GridSpec& spec) {
    return tileImages(decoder.decode(spec.plane.pointsAt(latentGrid(spec.size, spec.range))), spec.size,
                      decoder.config().imageCols, 0);
}

DecodeService::DecodeService(QObject* parent) : QObject(parent) {}

void DecodeService::start() {
    thread_.start([this] { run(); });
}

DecodeService::~DecodeService() { thread_.stop(); }

void DecodeService::setWeights(const DecoderWeights& weights) {
    thread_.post([&] { pending_.weights = weights; });
}

void DecodeService::requestPoint(const QVector<float>& latent, quint64 requestId) {
    thread_.post([&] { pending_.point = std::make_pair(latent, requestId); });
}

void DecodeService::requestGrid(const GridSpec& spec) {
    thread_.post([&] { pending_.grid = spec; });
}

void DecodeService::requestSamples(int count, quint64 seed) {
    thread_.post([&] { pending_.samples = std::make_pair(count, seed); });
}

void DecodeService::requestReplayGrids(const QVector<DecoderWeights>& decoders, const GridSpec& spec, quint64 requestId) {
    thread_.post([&] { pending_.replay = Pending::Replay{decoders, spec, requestId}; });
}

void DecodeService::requestBatch(const QVector<float>& latents, quint64 requestId) {
    thread_.post([&] { pending_.batch = std::make_pair(latents, requestId); });
}

void DecodeService::run() {
    useOneComputeThreadHere();
    std::unique_ptr<Decoder> decoder;
    std::unique_ptr<Decoder> replayDecoder;  // earlier weights, for the replay
    for (;;) {
        Pending work;
        // Without a decoder, requests stay pending until the first weights arrive. Newest
        // weights first, then one request: a click always goes before a grid.
        const bool running = thread_.next([&] { return pending_.weights || (decoder && pending_.any()); }, [&] {
            work.weights = std::exchange(pending_.weights, std::nullopt);
            if (pending_.point) work.point = std::exchange(pending_.point, std::nullopt);
            else if (pending_.batch) work.batch = std::exchange(pending_.batch, std::nullopt);
            else if (pending_.replay) work.replay = std::exchange(pending_.replay, std::nullopt);
            else if (pending_.grid) work.grid = std::exchange(pending_.grid, std::nullopt);
            else if (pending_.samples) work.samples = std::exchange(pending_.samples, std::nullopt);
        });
        if (!running) return;
        try {
            if (work.weights) {
                if (decoder) decoder->update(*work.weights);
                else decoder = std::make_unique<Decoder>(*work.weights);
            }
            const ModelConfig& config = decoder->config();
            if (work.point) {
                const auto& [latent, id] = *work.point;
                if (latent.size() != config.latentDim) continue;  // made for a previous model
                const auto images = decoder->decode(std::vector<float>(latent.begin(), latent.end()));
                emit pointDecoded({latent, toQImage(images, 0), id});
            } else if (work.batch) {
                const auto& [latents, id] = *work.batch;
                if (latents.isEmpty() || latents.size() % config.latentDim != 0) continue;  // a previous model's
                const auto images = decoder->decode(std::vector<float>(latents.begin(), latents.end()));
                QVector<QImage> decoded;
                for (int i = 0; i < images.count; ++i) decoded << toQImage(images, i);
                emit batchDecoded(id, decoded);
            } else if (work.replay) {
                QVector<QImage> grids;
                const GridSpec& spec = work.replay->spec;
                for (const DecoderWeights& weights : work.replay->decoders) {
                    if (weights.config.latentDim != spec.plane.dim()) break;  // another model's
                    if (replayDecoder) replayDecoder->update(weights);
                    else replayDecoder = std::make_unique<Decoder>(weights);
                    grids << decodeGrid(*replayDecoder, spec);
                }
                emit replayGridsDecoded(work.replay->id, grids);
            } else if (work.grid) {
                const GridSpec spec = *work.grid;
                QElapsedTimer timer;
                timer.start();
                if (spec.plane.dim() != config.latentDim) continue;  // made for a previous model
                const QImage grid = decodeGrid(*decoder, spec);
                emit gridDecoded({spec, grid, timer.nsecsElapsed() / 1e6});
            } else if (work.samples) {
                const auto [count, seed] = *work.samples;
                const auto latents = priorSamples(count, config.latentDim, seed);
                const int columns = int(std::ceil(std::sqrt(double(count))));
                emit samplesDecoded(tileImages(decoder->decode(latents), columns, config.imageCols, 2));
            }
        } catch (const std::exception& error) {
            emit decodeFailed(QString("decode failed: ") + error.what());
        }
    }
}

}  // namespace vae
