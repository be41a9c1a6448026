#pragma once
// Parsing of `vae-explorer train` options: the settings table's options (see core's settings.h),
// then --config, --preset and explicit flags, each overriding the one before.
#include "distributed.h"
#include "settings.h"
#include "training_run.h"

#include <QString>
#include <QStringList>

#include <cstdlib>

namespace vae {

// What `train` was asked for: the run (settings, output folder, resume checkpoint, replay
// options, this process's place in a data-parallel job), or only its help.
struct TrainInvocation {
    TrainingRunParameters run;
    bool helpRequested = false;
    // --resume without --dataset or --config: train on the data the checkpoint was trained on.
    bool datasetFromCheckpoint = false;
    // --resume without --config or --preset: the training settings not given here (their keys
    // are not in trainingKeysGiven) continue as the checkpoint was trained, --epochs aside (it is
    // this run's length). A β-TCVAE or β = 4 run resumed goes on as one.
    bool trainingFromCheckpoint = false;
    std::vector<std::string> trainingKeysGiven;
    bool quiet = false;   // --quiet: no progress lines
    QStringList notices;  // warnings to print before training, one line each (keys a run file lacked, ...)
};

// Throws ConfigError with a one-line message naming the option (a setting by its flag) or the
// launcher's variable. `env` reads the environment (the launcher's variables); tests pass their own.
TrainInvocation parseTrainArguments(const QStringList& arguments, const EnvironmentLookup& env = std::getenv);

}  // namespace vae
