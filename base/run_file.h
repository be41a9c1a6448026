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
// The settings a run file gives, as the command line would: the table's defaults, then every key
// in the file (hidden mirrored into the decoder unless the file says decoder_hidden). Throws
// ConfigError with one line naming the file and the key: an unknown key, a value of the wrong
// type, one out of range.
struct RunFileSettings {
    RunSettings settings;
    // Files from older versions lack keys added since: those filled in, one warning line naming
    // them and the values they got; empty when the file had every key.
    QString defaultsNote;
};
RunFileSettings readRunFile(const QString& path);
RunFileSettings parseRunFile(const QByteArray& json, const QString& name);

}  // namespace vae
