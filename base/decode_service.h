#pragma once
// Decodes latent points, grids and prior samples in its own thread from the newest decoder
// weights the trainer published, so the latent map answers while a training step runs.
// As in Qt's Mandelbrot example: requests are overwritten by newer ones (no stale queue),
// results come back as value types through queued signals, and the destructor aborts and waits.
// A grid is decoded a row at a time: a click, a walk or a newer grid goes between two rows (a
// newer grid replaces the one in progress), and a slow grid (a large colour model) is shown as
// its rows arrive.
#include "boundary_types.h"
#include "decoder.h"
#include "service_thread.h"

#include <QObject>

#include <memory>
#include <optional>

namespace vae {

// The grid a spec asks for, decoded by `decoder` and tiled at the images' own size: the latent
// map's grid, a replay frame, a frame of `train --timeline-gif`.
QImage decodeGrid(Decoder& decoder, const GridSpec& spec);

class DecodeService : public QObject {
    Q_OBJECT
public:
    explicit DecodeService(QObject* parent = nullptr);
    ~DecodeService() override;  // aborts and joins the thread

    void start();
    // All thread-safe; each replaces any pending request of its kind.
    void setWeights(const DecoderWeights& weights);
    void requestPoint(const std::vector<float>& latent, quint64 requestId);
    void requestGrid(const GridSpec& spec);
    void requestSamples(int count, quint64 seed);
    // count x latentDim latents (walks, traversals): each decoded image, in order.
    void requestBatch(const std::vector<float>& latents, quint64 requestId);
    // The grid as an earlier decoder drew it (the replay): a decoder of its own, so the live
    // one keeps its weights. Several at once for a GIF of the replay.
    void requestReplayGrids(const QVector<DecoderWeights>& decoders, const GridSpec& spec, quint64 requestId);

signals:
    void pointDecoded(const vae::DecodedPoint& point);
    void gridDecoded(const vae::DecodedGrid& grid);
    void samplesDecoded(const QImage& grid);
    void batchDecoded(quint64 requestId, const QVector<QImage>& images);
    void replayGridsDecoded(quint64 requestId, const QVector<QImage>& grids);
    void decodeFailed(const QString& message);

private:
    struct GridInProgress;
    void run();
    // One row of the grid in progress, and what it shows; false once the grid is done.
    bool continueGrid(Decoder& decoder, GridInProgress& grid);

    struct Pending {
        std::optional<DecoderWeights> weights;
        std::optional<std::pair<std::vector<float>, quint64>> point;
        std::optional<GridSpec> grid;
        std::optional<std::pair<int, quint64>> samples;
        std::optional<std::pair<std::vector<float>, quint64>> batch;
        struct Replay {
            QVector<DecoderWeights> decoders;
            GridSpec spec;
            quint64 id = 0;
        };
        std::optional<Replay> replay;
        bool any() const { return weights || point || grid || samples || batch || replay; }
    };
    // The replay's grids, each with its own earlier weights, in a decoder kept for them.
    static QVector<QImage> decodeReplay(std::unique_ptr<Decoder>& replayDecoder, const Pending::Replay& replay);

    Pending pending_;     // guarded by thread_'s lock
    ServiceThread thread_;  // declared last: stopped before pending_ goes
};

}  // namespace vae
