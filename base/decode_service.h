#pragma once
// Decodes latent points, grids and prior samples in its own thread from the newest decoder
// weights the trainer published, so the latent map answers while a training step runs.
// As in Qt's Mandelbrot example: requests are overwritten by newer ones (no stale queue),
// results come back as value types through queued signals, and the destructor aborts and waits.
#include "boundary_types.h"
#include "decoder.h"

#include <QObject>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <optional>

namespace vae {

class DecodeService : public QObject {
    Q_OBJECT
public:
    explicit DecodeService(QObject* parent = nullptr);
    ~DecodeService() override;  // aborts and joins the thread

    void start();
    // All thread-safe; each replaces any pending request of its kind.
    void setWeights(const DecoderWeights& weights);
    void requestPoint(const QVector<float>& latent, quint64 requestId);
    void requestGrid(const GridSpec& spec);
    void requestSamples(int count, quint64 seed);

signals:
    void pointDecoded(const vae::DecodedPoint& point);
    void gridDecoded(const vae::DecodedGrid& grid);
    void samplesDecoded(const QImage& grid);
    void decodeFailed(const QString& message);

private:
    void run();

    struct Pending {
        std::optional<DecoderWeights> weights;
        std::optional<std::pair<QVector<float>, quint64>> point;
        std::optional<GridSpec> grid;
        std::optional<std::pair<int, quint64>> samples;
        bool any() const { return weights || point || grid || samples; }
    };

    // std primitives rather than QMutex: ThreadSanitizer sees through them (Debian's Qt is not
    // instrumented), so the TSan build checks this boundary for real.
    std::mutex mutex_;
    std::condition_variable wake_;
    Pending pending_;
    bool abort_ = false;
    std::thread thread_;  // std::thread: its join is visible to ThreadSanitizer, QThread::wait's is not
};

}  // namespace vae
