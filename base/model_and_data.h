#pragma once
// A trained model with the data to read it on, for the commands that read a model (encode,
// eval, interpolate): the checkpoint, and its own data set (an image folder as it was trained
// on) or another of the same image size.
#include "dataset.h"
#include "session.h"

#include <QString>

namespace vae {

struct ModelAndData {
    QString checkpoint;
    Session session;
    ImageDataset dataset;
};

// threads: compute threads of the calling thread (0: one per core). dataset: empty for the
// model's own. Throws ConfigError for a pair that does not fit (naming --dataset), DataError for
// a file that cannot be read.
ModelAndData loadModelAndData(const QString& checkpoint, int threads, const QString& dataset);

}  // namespace vae
