#pragma once
// Headless commands on a trained model and a dataset:
//   vae-explorer encode --checkpoint C --dataset D --out encodings.csv [--count N]
//   vae-explorer eval --checkpoint C --dataset D [--seed S]
//   vae-explorer interpolate --checkpoint C [--dataset D] (--from Z|--from-index I)
//                            (--to Z|--to-index J) --steps N --mode lerp|slerp --out walk.gif|walk.png
#include <QStringList>

namespace vae {

// Both return the process exit code: 0 success, 1 a failure while running (files, data),
// 2 bad options (including a checkpoint and a dataset that do not fit together).
int runEncodeCommand(const QStringList& arguments);
int runEvalCommand(const QStringList& arguments);
int runInterpolateCommand(const QStringList& arguments);
// vae-explorer export --checkpoint C --format torchscript|onnx [--part decoder|encoder|vae] --out FILE [--force]
int runExportCommand(const QStringList& arguments);

}  // namespace vae
