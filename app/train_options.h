#pragma once
// Parsing of `vae-explorer train` options: the settings table's options (see core's settings.h),
// then --config, --preset and explicit flags, each overriding the one before.
#include "distributed.h"
#include "settings.h"

#include <QString>
#include <QStringList>

#include <cstdlib>

namespace vae {

struct TrainInvocation {
    RunSettings settings;
    QString outDir;
    QString resumeFrom;
    QString timelineGif;  // empty: no replay GIF
    bool keepTimeline = false;  // the checkpoint carries the replay's snapshots
    bool modelOptionsSet = false;  // --preset or any model-shape option
    bool helpRequested = false;
    // This process's place in a data-parallel job: --world-size/--rank/--master, else a
    // launcher's variables (distributed.h). worldSize 1: training alone.
    ProcessGroupSpec group;
};

// Throws ConfigError with a one-line message naming the option (a setting by its flag) or the
// launcher's variable. `env` reads the environment (the launcher's variables); tests pass their own.
TrainInvocation parseTrainArguments(const QStringList& arguments, const EnvironmentLookup& env = std::getenv);
QString trainUsage();

}  // namespace vae
