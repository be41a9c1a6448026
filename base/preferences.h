#pragma once
// What the window remembers between sessions (QSettings): the run settings under the settings
// table's keys ("settings/<key>", as in run.json) and the export folder. One rule for every
// setting; a stale or hand-edited value falls back to its default.
#include "settings.h"

#include <QString>

namespace vae {

RunSettings rememberedRunSettings();
void rememberRunSettings(const RunSettings& settings);
QString rememberedExportFolder();  // the Pictures folder at first
void rememberExportFolder(const QString& folder);

}  // namespace vae
