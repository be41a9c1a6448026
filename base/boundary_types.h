#pragma once
// Value types that cross the worker/GUI thread boundary (queued signals copy them).
#include "latent_geometry.h"
#include "model_config.h"
#include "settings.h"
#include "training.h"

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace vae {

struct ProgressUpdate {
    QVector<StepLoss> points;  // the model's training curve, new since the previous update
    qint64 step = 0;           // optimizer steps the model has taken
    int epochOfRun = 0;
    int epochsOfRun = 0;
    int batch = 0;
    int batchesPerEpoch = 0;
    double imagesPerSecond = 0;
};

// What failed, so that callers need no parsing of messages to tell.
enum class Operation { NewModel, LoadDataset, Train, OpenCheckpoint, SaveCheckpoint, Reconstruct, Decode };

struct ModelInfo {
    ModelConfig config;
    int epochsTrained = 0;
    qint64 steps = 0;
    QString device;
    QString source;   // "new" or the checkpoint it came from
    QString backend;  // BLAS and thread counts as the training thread sees them
    TrainingHistory history;  // its epochs and training curve, across resumed runs
};

struct DatasetInfo {
    QString spec;
    int trainCount = 0;
    int testCount = 0;
    int rows = 0;
    int cols = 0;
};

// A decoded latent point: the exact coordinates asked for and the decoder's mean image.
struct DecodedPoint {
    QVector<float> latent;
    QImage image;  // rows x cols, Grayscale8
    quint64 requestId = 0;
};

struct GridSpec {
    int size = 20;
    double range = kDefaultLatentRange;
    int axisX = 0;
    int axisY = 1;
    bool operator==(const GridSpec& o) const {
        return size == o.size && range == o.range && axisX == o.axisX && axisY == o.axisY;
    }
};

struct DecodedGrid {
    GridSpec spec;
    QImage image;  // size*cols x size*rows, one tile per grid point
    double decodeMilliseconds = 0;
};

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
Q_DECLARE_METATYPE(vae::ModelConfig)
