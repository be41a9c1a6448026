#pragma once
// Value types that cross the worker/GUI thread boundary (queued signals copy them).
#include "disentanglement.h"
#include "encoder.h"
#include "latent_analysis.h"
#include "latent_geometry.h"
#include "likelihood.h"
#include "replay_timeline.h"
#include "model_config.h"
#include "settings.h"
#include "training.h"

#include <QByteArray>
#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>
#include <string>
#include <vector>

namespace vae {

struct ProgressUpdate {
    QVector<StepLoss> points;  // the model's training curve, new since the previous update
    qint64 step = 0;           // optimizer steps the model has taken
    int epochOfRun = 0;
    int epochsOfRun = 0;
    int batch = 0;
    int batchesPerEpoch = 0;
    double imagesPerSecond = 0;
    int threads = 0;  // compute threads the trainer uses now
};

// What failed, so that callers need no parsing of messages to tell.
enum class Operation { NewModel, LoadDataset, Train, OpenCheckpoint, SaveCheckpoint, ExportModel, Reconstruct, Decode, Encode };

// An importance-weighted -log p(x) of the model as it was at `step` (Session::estimateLikelihood).
struct LikelihoodResult {
    LikelihoodEstimate estimate;  // estimate.cancelled: stopped before the end
    qint64 step = 0;
    int epochsTrained = 0;
    QString error;  // set when it failed (one line); the figures are then empty
};

struct ModelInfo {
    ModelConfig config;
    int epochsTrained = 0;
    qint64 steps = 0;
    QString device;
    QString source;   // "new" or the checkpoint it came from
    QString backend;  // BLAS and thread counts as the training thread sees them
    TrainingHistory history;  // its epochs and training curve, across resumed runs
    quint64 generation = 0;   // changes whenever another model replaces it (new, opened)
    std::vector<BetaChange> betaChanges;  // set while it trained (its run settings'), for the chart
    // An opened checkpoint's training settings, for the settings panel; none for a new model or
    // one the window trained (the panel holds those already).
    std::optional<TrainOptions> trainedWith;
};

struct DatasetInfo {
    QString spec;
    int trainCount = 0;
    int testCount = 0;
    int rows = 0;
    int cols = 0;
    int channels = 1;         // 1 (grey) or 3 (RGB)
    QByteArray testPixels;    // every test image, bytes channel-major (implicitly shared, read-only)
    QVector<int> testLabels;  // one per test image
    QStringList classNames;   // label -> name
    QString note;             // an image folder's skipped, unreadable files (one line); empty when none
    // What an image folder was loaded with, so that the settings show the data held (a checkpoint's
    // data comes at its own size and split).
    int imageSize = 0;
    double testFraction = 0;
    quint64 seed = 0;
    std::string fit = "crop";  // how pictures were squared; a picture placed on the map is squared the same way
    // Named factors of variation (sprites), one row of values per test image; empty when none.
    std::vector<std::string> factorNames;
    std::vector<float> testFactors;

    QImage testImage(int index) const;  // Grayscale8 or RGB888; null for an index out of range
    QString className(int label) const { return classNames.value(label, QString::number(label)); }
};

// The test set (or its first `count` images) through the newest encoder, with what it says about
// each dimension. Made in the encode thread.
struct EncodedTestSet {
    Encodings encodings;
    LatentSummary summary;
    int epochsTrained = 0;  // of the model whose encoder made it
    double encodeMilliseconds = 0;
    double summaryMilliseconds = 0;  // KL, activity and PCA
    // Which dimension learned which factor, where the data has factors (disentanglement.h).
    std::optional<FactorScores> factorScores;
    double factorMilliseconds = 0;
};

// A decoded latent point: the exact coordinates asked for and the decoder's mean image.
struct DecodedPoint {
    std::vector<float> latent;  // the one latent type across threads: no QVector copies
    QImage image;  // rows x cols, Grayscale8 or RGB888
    quint64 requestId = 0;
};

// A size x size grid over [-range, range]^2 of a plane through latent space.
struct GridSpec {
    int size = 20;
    double range = kDefaultLatentRange;
    LatentPlane plane = LatentPlane::axes(2, 0, 1);
    bool operator==(const GridSpec& o) const { return size == o.size && range == o.range && plane == o.plane; }
};

// A grid that takes longer than kGridProgressAfterMs comes in rows as they are decoded
// (complete false): the rows not yet decoded still show the previous grid of the same shape.
struct DecodedGrid {
    GridSpec spec;
    QImage image;  // size*cols x size*rows, one tile per grid point
    double decodeMilliseconds = 0;  // so far, when not complete
    bool complete = true;
};
inline constexpr int kGridProgressAfterMs = 100;

}  // namespace vae

Q_DECLARE_METATYPE(vae::RunSettings)
Q_DECLARE_METATYPE(vae::Operation)
Q_DECLARE_METATYPE(vae::TrainStatus)
Q_DECLARE_METATYPE(vae::ProgressUpdate)
Q_DECLARE_METATYPE(vae::EpochMetrics)
Q_DECLARE_METATYPE(vae::ModelInfo)
Q_DECLARE_METATYPE(vae::DatasetInfo)
Q_DECLARE_METATYPE(vae::DecodedPoint)
Q_DECLARE_METATYPE(vae::DecodedGrid)
Q_DECLARE_METATYPE(vae::EncodedTestSet)
Q_DECLARE_METATYPE(vae::Encodings)
Q_DECLARE_METATYPE(vae::ReplaySnapshot)
Q_DECLARE_METATYPE(vae::ModelConfig)
Q_DECLARE_METATYPE(vae::BetaChange)
Q_DECLARE_METATYPE(vae::LikelihoodResult)
Q_DECLARE_METATYPE(vae::LikelihoodOptions)
