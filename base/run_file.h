#pragma once
// Run files (run.json): every setting of a run, under the settings table's keys, so that
// `vae-explorer train --config run.json` or the window's Open run settings… repeats it.
#include "settings.h"

#include <QByteArray>
#include <QString>

namespace vae {

// The file's text: {"format": "vae-explorer-run", "version": 1, "program": ..., then one key
// per setting}. Numbers are JSON numbers, layer widths arrays, the rest strings.
QByteArray runFileJson(const RunSettings& settings);
// Atomic. An empty string on success, else a one-line error naming the file.
QString writeRunFile(const QString& path, const RunSettings& settings);
// Starts from `base` and applies every key in the file. Throws ConfigError with one line naming
// the file and the key: an unknown key, a value of the wrong type, one out of range.
RunSettings readRunFile(const QString& path, const RunSettings& base = {});
RunSettings parseRunFile(const QByteArray& json, const QString& name, const RunSettings& base = {});

}  // namespace vae
