#pragma once
// Parsing and validation of `vae-explorer train` options (presets, then explicit overrides).
#include "model_config.h"
#include "training.h"

#include <QString>
#include <QStringList>

namespace vae {

struct TrainInvocation {
    QString dataset;
    QString outDir;
    ModelConfig model;
    TrainOptions training;
    int threads = 0;  // 0 = one per core
    QString device = "auto";
    QString resumeFrom;
    bool modelOptionsSet = false;  // any of --preset/--latent-dim/--hidden/--likelihood/--sigma
    bool helpRequested = false;
};

// Throws ConfigError with a one-line message naming the option.
TrainInvocation parseTrainArguments(const QStringList& arguments);
QString trainUsage();

}  // namespace vae
