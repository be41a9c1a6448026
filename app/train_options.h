#pragma once
// Parsing of `vae-explorer train` options: the settings table's options (see core's settings.h),
// then --config, --preset and explicit flags, each overriding the one before.
#include "settings.h"

#include <QString>
#include <QStringList>

namespace vae {

struct TrainInvocation {
    RunSettings settings;
    QString outDir;
    QString resumeFrom;
    QString timelineGif;  // empty: no replay GIF
    bool keepTimeline = false;  // the checkpoint carries the replay's snapshots
    bool modelOptionsSet = false;  // --preset or any model-shape option
    bool helpRequested = false;
};

// Throws ConfigError with a one-line message naming the option (a setting by its flag).
TrainInvocation parseTrainArguments(const QStringList& arguments);
QString trainUsage();

}  // namespace vae
