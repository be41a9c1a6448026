#pragma once
// Encodes the test set in its own thread with the newest encoder weights the trainer published,
// and summarises what each latent dimension carries, so the map shows where the data lives while
// training goes on. The same pattern as DecodeService: newer requests replace pending ones,
// results leave as value types, the destructor aborts and joins.
#include "boundary_types.h"
#include "service_thread.h"

#include <QObject>

#include <optional>

namespace vae {

class EncodeService : public QObject {
    Q_OBJECT
public:
    static constexpr int kAllImages = -1;

    explicit EncodeService(QObject* parent = nullptr);
    ~EncodeService() override;  // aborts and joins the thread

    void start();
    // All thread-safe; each change makes one new encoding once weights and images are there.
    void setWeights(const EncoderWeights& weights, int epochsTrained);
    void setTestImages(const QByteArray& pixels, int rows, int cols, int channels);
    void setCount(int count);  // how many test images to place (kAllImages: all)
    // The test images' factors (none: no scores); each encoding of the test set is scored on them.
    void setTestFactors(const std::vector<std::string>& names, const std::vector<float>& values);
    // One image of the model's size (bytes, row-major), e.g. a drawing: imageEncoded brings its
    // posterior. Goes before any pending encoding of the test set.
    void requestImage(const QByteArray& pixels, quint64 requestId);
    // The test set through an earlier encoder (the replay's scatter): replayEncoded brings it.
    void requestReplayEncoding(const EncoderWeights& weights, quint64 requestId);

signals:
    void encoded(const vae::EncodedTestSet& result);
    void imageEncoded(quint64 requestId, const vae::Encodings& encoding);
    void replayEncoded(quint64 requestId, const vae::Encodings& encodings);
    void encodeFailed(const QString& message);

private:
    void run();

    struct Inputs {
        std::optional<EncoderWeights> weights;
        int epochsTrained = 0;
        QByteArray pixels;
        int rows = 0;
        int cols = 0;
        int channels = 1;
        int count = kAllImages;
        std::vector<std::string> factorNames;
        std::vector<float> factors;  // one row per test image

        qsizetype imageBytes() const { return qsizetype(channels) * rows * cols; }
        // Another dataset than the model's has nothing to place until one of them changes.
        bool fits(const ModelConfig& config) const {
            return rows == config.imageRows && cols == config.imageCols && channels == config.imageChannels;
        }
    };

    // The scores of the encodings on the first rows of the factors, when there are factors.
    static void scoreOn(const Inputs& work, EncodedTestSet& result);

    // Guarded by thread_'s lock.
    Inputs inputs_;
    bool weightsChanged_ = false;
    bool changed_ = false;
    std::optional<std::pair<QByteArray, quint64>> image_;
    std::optional<std::pair<EncoderWeights, quint64>> replay_;
    ServiceThread thread_;  // declared last: stopped before the inputs go
};

}  // namespace vae
