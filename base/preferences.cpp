#include "preferences.h"

#include "image_folder.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace vae {
namespace {

QString keyOf(const Setting& setting) { return "settings/" + QString::fromStdString(setting.key); }

}  // namespace

RunSettings rememberedRunSettings() {
    QSettings preferences;
    RunSettings remembered;
    for (const Setting& setting : settingsTable()) {
        const QVariant value = preferences.value(keyOf(setting));
        if (!value.isValid()) continue;
        try {
            setting.set(remembered, value.toString().toStdString());
        } catch (const SettingError&) {
        }
    }
    try {
        validate(remembered);
    } catch (const std::exception&) {
        remembered = RunSettings{};
    }
    const QString dataset = QString::fromStdString(remembered.dataset);
    if (!isBuiltInDataset(dataset) && !QDir(dataset).exists()) remembered.dataset = "mnist";
    return remembered;
}

void rememberRunSettings(const RunSettings& settings) {
    QSettings preferences;
    for (const Setting& setting : settingsTable())
        // β changes belong to one model's run (its checkpoint and run file), not to the next window.
        if (setting.key != "beta_changes") preferences.setValue(keyOf(setting), QString::fromStdString(setting.get(settings)));
}

QString rememberedExportFolder() {
    return QSettings().value("files/exportFolder", QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
        .toString();
}

void rememberExportFolder(const QString& folder) { QSettings().setValue("files/exportFolder", folder); }

}  // namespace vae
