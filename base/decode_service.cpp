#include "decode_service.h"

#include "decoder.h"
#include "image_convert.h"
#include "runtime_info.h"

#include <QElapsedTimer>

#include <memory>
#include <cmath>
#include <cstring>

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

void DecodeService::requestPoint(const std::vector<float>& latent, quint64 requestId) {
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

void DecodeService::requestBatch(const std::vector<float>& latents, quint64 requestId) {
    thread_.post([&] { pending_.batch = std::make_pair(latents, requestId); });
}

// A grid being decoded row by row, over what the previous grid of its shape showed.
struct DecodeService::GridInProgress {
    GridSpec spec;
    std::vector<float> latents;  // size x size points, row by row
    QImage image;
    int nextRow = 0;
    QElapsedTimer started;
    qint64 shownAtMs = -1;  // when a part of it was last sent
};

QVector<QImage> DecodeService::decodeReplay(std::unique_ptr<Decoder>& replayDecoder, const Pending::Replay& replay) {
    QVector<QImage> grids;
    for (const DecoderWeights& weights : replay.decoders) {
        if (weights.config.latentDim != replay.spec.plane.dim()) break;  // another model's
        if (replayDecoder) replayDecoder->update(weights);
        else replayDecoder = std::make_unique<Decoder>(weights);
        grids << decodeGrid(*replayDecoder, replay.spec);
    }
    return grids;
}

bool DecodeService::continueGrid(Decoder& decoder, GridInProgress& grid) {
    const ModelConfig& config = decoder.config();
    const int size = grid.spec.size;
    const std::size_t rowFloats = std::size_t(size) * std::size_t(config.latentDim);
    const std::vector<float> row(grid.latents.begin() + std::ptrdiff_t(rowFloats * std::size_t(grid.nextRow)),
                                 grid.latents.begin() + std::ptrdiff_t(rowFloats * std::size_t(grid.nextRow + 1)));
    const QImage tiles = tileImages(decoder.decode(row), size, config.imageCols, 0);
    if (grid.image.size() != QSize(size * config.imageCols, size * config.imageRows) || grid.image.format() != tiles.format()) {
        grid.image = QImage(size * config.imageCols, size * config.imageRows, tiles.format());
        grid.image.fill(Qt::white);
    }
    for (int y = 0; y < tiles.height(); ++y)  // same width and format: a row of bytes each
        std::memcpy(grid.image.scanLine(grid.nextRow * config.imageRows + y), tiles.constScanLine(y), std::size_t(tiles.bytesPerLine()));
    const bool done = ++grid.nextRow == size;
    const qint64 elapsed = grid.started.elapsed();
    const bool showPart = elapsed >= kGridProgressAfterMs && (grid.shownAtMs < 0 || elapsed - grid.shownAtMs >= kGridProgressAfterMs / 2);
    if (done || showPart) {
        grid.shownAtMs = elapsed;
        emit gridDecoded({grid.spec, grid.image.copy(), grid.started.nsecsElapsed() / 1e6, done});
    }
    return !done;
}

void DecodeService::run() {
    useOneComputeThreadHere();
    std::unique_ptr<Decoder> decoder;
    std::unique_ptr<Decoder> replayDecoder;  // earlier weights, for the replay
    std::optional<GridInProgress> grid;
    QImage lastGrid;  // what the rows of a new grid show until they are decoded
    for (;;) {
        Pending work;
        // Without a decoder, requests stay pending until the first weights arrive. Newest
        // weights first, then one request: a click always goes before a grid's next row, and a
        // new grid replaces the one in progress.
        const bool running = thread_.next([&] { return pending_.weights || (decoder && (pending_.any() || grid)); }, [&] {
            work.weights = std::exchange(pending_.weights, std::nullopt);
            if (pending_.point) work.point = std::exchange(pending_.point, std::nullopt);
            else if (pending_.batch) work.batch = std::exchange(pending_.batch, std::nullopt);
            else if (pending_.replay) work.replay = std::exchange(pending_.replay, std::nullopt);
            else if (pending_.grid) work.grid = std::exchange(pending_.grid, std::nullopt);
            else if (pending_.samples && !grid) work.samples = std::exchange(pending_.samples, std::nullopt);
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
                if (int(latent.size()) != config.latentDim) continue;  // made for a previous model
                const auto images = decoder->decode(latent);
                emit pointDecoded({latent, toQImage(images, 0), id});
            } else if (work.batch) {
                const auto& [latents, id] = *work.batch;
                if (latents.empty() || latents.size() % std::size_t(config.latentDim) != 0) continue;  // a previous model's
                const auto images = decoder->decode(latents);
                QVector<QImage> decoded;
                for (int i = 0; i < images.count; ++i) decoded << toQImage(images, i);
                emit batchDecoded(id, decoded);
            } else if (work.replay) {
                emit replayGridsDecoded(work.replay->id, decodeReplay(replayDecoder, *work.replay));
            } else if (work.grid) {
                if (grid) lastGrid = grid->image;
                grid.reset();
                if (work.grid->plane.dim() != config.latentDim) continue;  // made for a previous model
                grid = GridInProgress{*work.grid, work.grid->plane.pointsAt(latentGrid(work.grid->size, work.grid->range)), lastGrid};
                grid->started.start();
                if (!continueGrid(*decoder, *grid)) lastGrid = std::exchange(grid, std::nullopt)->image;
            } else if (work.samples) {
                const auto [count, seed] = *work.samples;
                const auto latents = priorSamples(count, config.latentDim, seed);
                const int columns = int(std::ceil(std::sqrt(double(count))));
                emit samplesDecoded(tileImages(decoder->decode(latents), columns, config.imageCols, 2));
            } else if (grid && grid->spec.plane.dim() == config.latentDim) {
                if (!continueGrid(*decoder, *grid)) lastGrid = std::exchange(grid, std::nullopt)->image;
            } else {
                grid.reset();  // the model changed under it
            }
        } catch (const std::exception& error) {
            grid.reset();
            emit decodeFailed(QString("decode failed: ") + error.what());
        }
    }
}

}  // namespace vae
