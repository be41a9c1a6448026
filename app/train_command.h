#pragma once
#include <QStringList>

namespace vae {

// `vae-explorer train ...`: headless training. Returns the process exit code:
// 0 success, 1 a failure while running (data, divergence, I/O), 2 bad options.
int runTrainCommand(const QStringList& arguments);

}  // namespace vae
