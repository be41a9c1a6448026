#include "generated_dataset.h"

#include "emoji_source.h"
#include "errors.h"
#include "file_export.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace vae {
namespace {

constexpr int kCacheFormat = 1;
constexpr const char* kSplitSalt = "vae-explorer test split ";
constexpr qint64 kMaxMetaBytes = 64 << 20;

// SHA-256 over the source files' names and bytes, and the drawing's format.
QString sourceChecksum(const GeneratedSource& source) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray::number(kCacheFormat));
    for (const std::string& path : source.sourceFiles) {
        QFile file(QString::fromStdString(path));
        if (!file.open(QIODevice::ReadOnly))
            throw DataError("--dataset " + source.name + ": " + path + " is missing (" + source.missingHint + ")");
        hash.addData(QByteArray::fromStdString(path));
        if (!hash.addData(&file)) throw DataError(path + ": cannot read (" + file.errorString().toStdString() + ")");
    }
    return QString::fromLatin1(hash.result().toHex());
}

QJsonArray toJson(const std::vector<std::string>& texts) {
    QJsonArray out;
    for (const auto& text : texts) out << QString::fromStdString(text);
    return out;
}

std::vector<std::string> textsOf(const QJsonValue& value) {
    std::vector<std::string> out;
    for (const QJsonValue& text : value.toArray()) out.push_back(text.toString().toStdString());
    return out;
}

// The cached set, or nothing when it is absent, stale or not whole (then it is drawn again).
std::optional<DrawnImages> readCache(const QString& folder, const QString& checksum, int size) {
    QFile meta(QDir(folder).filePath("meta.json")), pixels(QDir(folder).filePath("pixels.u8"));
    if (!meta.open(QIODevice::ReadOnly) || meta.size() > kMaxMetaBytes || !pixels.open(QIODevice::ReadOnly)) return {};
    const QJsonObject object = QJsonDocument::fromJson(meta.readAll()).object();
    if (object.value("format").toInt() != kCacheFormat || object.value("sources").toString() != checksum ||
        object.value("size").toInt() != size)
        return {};
    DrawnImages drawn;
    drawn.size = size;
    drawn.channels = object.value("channels").toInt();
    for (const QJsonValue& label : object.value("labels").toArray()) drawn.labels.push_back(label.toInt());
    drawn.splitKeys = textsOf(object.value("split_keys"));
    drawn.classNames = textsOf(object.value("class_names"));
    const qint64 expected = qint64(drawn.labels.size()) * drawn.channels * size * size;
    if ((drawn.channels != 1 && drawn.channels != 3) || drawn.splitKeys.size() != drawn.labels.size() ||
        pixels.size() != expected || expected == 0)
        return {};
    drawn.pixels.resize(std::size_t(expected));
    if (pixels.read(reinterpret_cast<char*>(drawn.pixels.data()), expected) != expected) return {};
    return drawn;
}

QString writeCache(const QString& folder, const QString& checksum, const DrawnImages& drawn) {
    if (!QDir().mkpath(folder)) return folder + ": cannot create folder";
    // The pixels first, the description last: a cache is whole only once meta.json names it.
    const QString error = writeFileAtomically(
        QDir(folder).filePath("pixels.u8"),
        QByteArray::fromRawData(reinterpret_cast<const char*>(drawn.pixels.data()), qsizetype(drawn.pixels.size())));
    if (!error.isEmpty()) return error;
    QJsonArray labels;
    for (int label : drawn.labels) labels << label;
    const QJsonObject object{{"format", kCacheFormat},  {"sources", checksum},
                             {"size", drawn.size},       {"channels", drawn.channels},
                             {"labels", labels},         {"split_keys", toJson(drawn.splitKeys)},
                             {"class_names", toJson(drawn.classNames)}};
    return writeFileAtomically(QDir(folder).filePath("meta.json"), QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// A key is the test set's when SHA-256 of the salt and the key, read as a big-endian number
// from its first 8 bytes, is a multiple of 6: about one key in six, the same on every machine,
// and easy to repeat outside this program (bench/colour_speed.py trains PyTorch on the same split).
bool isTestKey(const std::string& key) {
    const QByteArray digest = QCryptographicHash::hash(QByteArray(kSplitSalt) + QByteArray::fromStdString(key),
                                                       QCryptographicHash::Sha256);
    std::uint64_t number = 0;
    for (int i = 0; i < 8; ++i) number = (number << 8) | std::uint8_t(digest[i]);
    return number % 6 == 0;
}

ImageDataset split(const std::string& name, const DrawnImages& drawn) {
    const std::size_t bytes = std::size_t(drawn.channels) * drawn.size * drawn.size;
    std::vector<std::uint8_t> trainPixels, testPixels;
    std::vector<int> trainLabels, testLabels;
    for (std::size_t i = 0; i < drawn.labels.size(); ++i) {
        const bool inTest = isTestKey(drawn.splitKeys[i]);
        auto& pixels = inTest ? testPixels : trainPixels;
        pixels.insert(pixels.end(), drawn.pixels.begin() + std::ptrdiff_t(i * bytes),
                      drawn.pixels.begin() + std::ptrdiff_t((i + 1) * bytes));
        (inTest ? testLabels : trainLabels).push_back(drawn.labels[i]);
    }
    return ImageDataset::fromPixels(name, drawn.channels, drawn.size, drawn.size, trainPixels, testPixels,
                                    std::move(trainLabels), std::move(testLabels), drawn.classNames);
}

}  // namespace

const std::vector<GeneratedSource>& generatedSources() {
    static const std::vector<GeneratedSource> sources{emojiSource()};
    return sources;
}

const GeneratedSource* findGeneratedSource(const std::string& name) {
    for (const GeneratedSource& source : generatedSources())
        if (source.name == name) return &source;
    return nullptr;
}

QString generatedCacheFolder() { return QString::fromLocal8Bit(appDataFolder()) + "/generated"; }

ImageDataset loadGenerated(const GeneratedSource& source, int size) {
    const QString checksum = sourceChecksum(source);
    const QString folder = QString("%1/%2-%3").arg(generatedCacheFolder(), QString::fromStdString(source.name)).arg(size);
    if (auto cached = readCache(folder, checksum, size)) return split(source.name, *cached);
    const DrawnImages drawn = source.draw(size);
    // A cache that cannot be written costs only the drawing next time: the set is used as drawn.
    writeCache(folder, checksum, drawn);
    return split(source.name, drawn);
}

}  // namespace vae
