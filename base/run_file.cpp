#include "run_file.h"

#include "file_export.h"
#include "presets.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <optional>

namespace vae {
namespace {

const char* const kFormat = "vae-explorer-run";
// 2: color and fit (an image folder's colour and squaring); a version-1 file was written before
// they existed, so it means gray and squash without saying so.
constexpr int kVersion = 2;

bool legacyKey(const QString& key, int version) { return version < 2 && (key == "color" || key == "fit"); }

// Control characters as escapes: a key or value the file spells with a newline must not break
// the message's one line (found by fuzz_run_file).
QString oneLine(const QString& text) {
    QString line;
    for (const QChar c : text) {
        if (c == '\n') line += "\\n";
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f) line += QString("\\x%1").arg(c.unicode(), 2, 16, QChar('0'));
        else line += c;
    }
    return line;
}

[[noreturn]] void fail(const QString& name, const QString& problem) {
    throw ConfigError(oneLine(name + ": " + problem).toStdString());
}

QJsonValue toJson(const Setting& setting, const std::string& text) {
    switch (setting.kind) {
    case SettingKind::Integer:
        return QJsonValue(QString::fromStdString(text).toLongLong());
    case SettingKind::Number:
        return QJsonValue(QString::fromStdString(text).toDouble());
    case SettingKind::Widths: {
        QJsonArray widths;
        for (const QString& width : QString::fromStdString(text).split(',', Qt::SkipEmptyParts))
            widths.append(width.toInt());
        return widths;
    }
    case SettingKind::Choice:
    case SettingKind::Text:
        return QJsonValue(QString::fromStdString(text));
    }
    return {};
}

bool isWholeNumber(const QJsonValue& value) {
    return value.isDouble() && std::floor(value.toDouble()) == value.toDouble();
}

// A whole JSON number as text: exactly while a double holds it exactly, else as JSON wrote it
// (1e30 cast to an integer read as -9223372036854775808).
QString wholeNumberText(double value) {
    return std::abs(value) < 9007199254740992.0 ? QString::number(qint64(value)) : QString::number(value, 'g', 17);
}

// The JSON value as the table's text form; an empty optional for the wrong type.
std::optional<std::string> fromJson(const Setting& setting, const QJsonValue& value) {
    switch (setting.kind) {
    case SettingKind::Integer:
        if (!isWholeNumber(value)) return std::nullopt;
        return wholeNumberText(value.toDouble()).toStdString();
    case SettingKind::Number:
        if (!value.isDouble()) return std::nullopt;
        return QString::number(value.toDouble(), 'g', 17).toStdString();
    case SettingKind::Widths: {
        if (!value.isArray()) return std::nullopt;
        QStringList widths;
        for (const QJsonValue& width : value.toArray()) {
            if (!isWholeNumber(width)) return std::nullopt;
            widths << wholeNumberText(width.toDouble());
        }
        return widths.join(',').toStdString();
    }
    case SettingKind::Choice:
    case SettingKind::Text:
        if (!value.isString()) return std::nullopt;
        return value.toString().toStdString();
    }
    return std::nullopt;
}

const char* expectedType(SettingKind kind) {
    switch (kind) {
    case SettingKind::Integer: return "a whole number";
    case SettingKind::Number: return "a number";
    case SettingKind::Widths: return "a list of whole numbers";
    default: return "a string";
    }
}

// The keys a run file's preset gives, which its file may leave out.
bool givenByPreset(const Preset* preset, const std::string& key) {
    if (!preset) return false;
    for (const auto& value : preset->values)
        if (value.first == key) return true;
    return (!preset->dataset.empty() && (key == "dataset" || key == "image_size")) || key == "subset";
}

// One line naming the settings the file lacks (and its preset, if any, does not give) and what
// they were given.
QString defaultsNote(const QJsonObject& object, const RunSettings& settings, const QString& name, const Preset* preset) {
    QStringList filled;
    for (const Setting& setting : settingsTable()) {
        const QString key = QString::fromStdString(setting.key);
        if (object.contains(key) || legacyKey(key, object.value("version").toInt()) || givenByPreset(preset, setting.key))
            continue;
        QString value = QString::fromStdString(setting.get(settings));
        if (value.isEmpty()) value = "\"\"";
        filled << key + "=" + value + (key == "decoder_hidden" && object.contains("hidden") ? " (mirrors hidden)" : "");
    }
    if (filled.isEmpty()) return {};
    const bool one = filled.size() == 1;
    return QString("%1: %2 %3 missing, filled in with %4: %5")
        .arg(name).arg(filled.size()).arg(one ? "setting is" : "settings are").arg(one ? "its default" : "their defaults")
        .arg(filled.join(", "));
}

}  // namespace

QByteArray runFileJson(const RunSettings& settings) {
    QJsonObject object;
    object["format"] = kFormat;
    object["version"] = kVersion;
    object["program"] = QCoreApplication::applicationName() + " " + QCoreApplication::applicationVersion();
    for (const Setting& setting : settingsTable())
        object[QString::fromStdString(setting.key)] = toJson(setting, setting.get(settings));
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QString writeRunFile(const QString& path, const RunSettings& settings) {
    return writeFileAtomically(path, runFileJson(settings));
}

RunFileSettings readRunFile(const QString& path) {
    // Checked before opening: opening a FIFO would wait for a writer, and /dev/zero never ends.
    const QFileInfo info(path);
    constexpr qint64 kMaxRunFileBytes = 1 << 20;
    if (info.isDir()) fail(path, "is a folder, not a run file");
    if (info.exists() && !info.isFile()) fail(path, "is not a regular file (a pipe, socket or device)");
    if (info.size() > kMaxRunFileBytes) fail(path, "too large to be a run file (over 1 MiB)");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(path, "cannot open (" + file.errorString() + ")");
    const QByteArray json = file.read(kMaxRunFileBytes + 1);  // bounded even if the file grew
    if (json.size() > kMaxRunFileBytes) fail(path, "too large to be a run file (over 1 MiB)");
    return parseRunFile(json, path);
}

RunFileSettings parseRunFile(const QByteArray& json, const QString& name) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (document.isNull()) fail(name, "not JSON (" + error.errorString() + " at byte " + QString::number(error.offset) + ")");
    if (!document.isObject()) fail(name, "not a run file (expected a JSON object)");
    const QJsonObject object = document.object();
    if (object.value("format").toString() != kFormat) fail(name, "not a vae-explorer run file (no \"format\": \"vae-explorer-run\")");
    if (!isWholeNumber(object.value("version")) || object.value("version").toInt() < 1 ||
        object.value("version").toInt() > kVersion)
        fail(name, "unsupported run file version (this program reads 1 to " + QString::number(kVersion) + ")");
    RunSettings settings;
    if (object.value("version").toInt() < 2) {
        settings.color = kLegacyColor;
        settings.fit = kLegacyFit;
    }
    // A run file may start from a preset, as --preset does; its own keys override it.
    const Preset* preset = nullptr;
    if (object.contains("preset")) {
        preset = findPreset(object.value("preset").toString().toStdString());
        if (!preset) fail(name, "preset: '" + object.value("preset").toString() + "' is not " + QString::fromStdString(presetNameList()));
        applyPreset(preset->name, settings);
    }
    for (auto entry = object.begin(); entry != object.end(); ++entry) {
        if (entry.key() == "format" || entry.key() == "version" || entry.key() == "program" || entry.key() == "preset") continue;
        const Setting* setting = findSetting(entry.key().toStdString());
        if (!setting) fail(name, entry.key() + ": unknown setting");
        const auto text = fromJson(*setting, entry.value());
        if (!text) fail(name, entry.key() + ": expected " + expectedType(setting->kind));
        try {
            setting->set(settings, *text);
        } catch (const SettingError& bad) {
            fail(name, entry.key() + ": " + QString::fromStdString(bad.problem));
        }
    }
    if (object.contains("dataset") && settings.dataset.empty()) fail(name, "dataset: is empty");
    // Setting hidden mirrors the decoder; the file's own decoder_hidden, if any, wins whatever the
    // order of the keys.
    if (object.contains("hidden") && object.contains("decoder_hidden"))
        findSetting("decoder_hidden")->set(settings, *fromJson(*findSetting("decoder_hidden"), object.value("decoder_hidden")));
    QString note = defaultsNote(object, settings, name, preset);
    if (const std::string other = preset ? presetDataNote(preset->name, settings) : std::string(); !other.empty())
        note += (note.isEmpty() ? "" : "; ") + name + ": " + QString::fromStdString(other);
    return {settings, note};
}

}  // namespace vae
