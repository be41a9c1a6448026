#include "generated_dataset.h"

#include "emoji_source.h"
#include "sprites_source.h"
#include "errors.h"
#include "file_export.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
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
    hash.addData(QByteArray::fromStdString(source.drawingVersion));
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

// The bytes one image takes in the cache's pixels file.
qint64 bytesPerImage(const DrawnImages& drawn) {
    const qint64 pixels = qint64(drawn.channels) * drawn.size * drawn.size;
    return drawn.packedBits ? (pixels + 7) / 8 : pixels;
}

// A set split() can take: every image labelled within its classes, split keys or test marks for
// each, test indices within the set, factors for each. A cache's meta.json that says otherwise
// (a count cut with its pixels, other channels, label 99 of 9 classes) is not the set's.
bool wellFormed(const DrawnImages& drawn) {
    const auto count = std::size_t(drawn.count);
    if (drawn.labels.size() != count || (drawn.inTest.empty() && drawn.splitKeys.size() != count) ||
        (!drawn.inTest.empty() && drawn.inTest.size() != count) ||
        drawn.factors.size() != count * drawn.factorNames.size())
        return false;
    const auto classes = int(drawn.classNames.size());
    for (int label : drawn.labels)
        if (label < 0 || (classes > 0 && label >= classes)) return false;
    for (int index : drawn.testOrder)
        if (index < 0 || std::size_t(index) >= count) return false;
    return true;
}

// The cached set, or nothing when it is absent, stale, not whole or not the set's (then it is
// drawn again).
std::optional<DrawnImages> readCache(const GeneratedSource& source, const QString& folder, const QString& checksum, int size) {
    QFile meta(QDir(folder).filePath("meta.json")), pixels(QDir(folder).filePath("pixels.u8"));
    if (!meta.open(QIODevice::ReadOnly) || meta.size() > kMaxMetaBytes || !pixels.open(QIODevice::ReadOnly)) return {};
    const QJsonObject object = QJsonDocument::fromJson(meta.readAll()).object();
    if (object.value("format").toInt() != kCacheFormat || object.value("sources").toString() != checksum ||
        object.value("size").toInt() != size)
        return {};
    DrawnImages drawn;
    drawn.size = size;
    drawn.channels = object.value("channels").toInt();
    drawn.packedBits = object.value("packed_bits").toBool();
    drawn.count = object.value("count").toInt();
    if (!source.annotate) {
        for (const QJsonValue& label : object.value("labels").toArray()) drawn.labels.push_back(label.toInt());
        drawn.splitKeys = textsOf(object.value("split_keys"));
        drawn.classNames = textsOf(object.value("class_names"));
        if (drawn.splitKeys.size() != drawn.labels.size() || int(drawn.labels.size()) != drawn.count) return {};
    }
    const qint64 expected = qint64(drawn.count) * bytesPerImage(drawn);
    if ((drawn.channels != 1 && drawn.channels != 3) || (drawn.packedBits && drawn.channels != 1) ||
        pixels.size() != expected || expected <= 0)
        return {};
    drawn.pixels.resize(std::size_t(expected));
    if (pixels.read(reinterpret_cast<char*>(drawn.pixels.data()), expected) != expected) return {};
    if (source.annotate) source.annotate(drawn);
    if (!wellFormed(drawn)) return {};
    return drawn;
}

QString writeCache(const QString& folder, const QString& checksum, const DrawnImages& drawn, bool annotated) {
    if (!QDir().mkpath(folder)) return folder + ": cannot create folder";
    // The pixels first, the description last: a cache is whole only once meta.json names it.
    const QString error = writeFileAtomically(
        QDir(folder).filePath("pixels.u8"),
        QByteArray::fromRawData(reinterpret_cast<const char*>(drawn.pixels.data()), qsizetype(drawn.pixels.size())));
    if (!error.isEmpty()) return error;
    QJsonObject object{{"format", kCacheFormat}, {"sources", checksum},           {"size", drawn.size},
                       {"count", drawn.count},    {"channels", drawn.channels},   {"packed_bits", drawn.packedBits}};
    if (!annotated) {  // else they follow from each image's place (GeneratedSource::annotate)
        QJsonArray labels;
        for (int label : drawn.labels) labels << label;
        object.insert("labels", labels);
        object.insert("split_keys", toJson(drawn.splitKeys));
        object.insert("class_names", toJson(drawn.classNames));
    }
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

// The images in the test set go there as bytes, in the source's test order where it gives one;
// the rest stay as drawn. Packed rows are compacted in place (a train row only ever moves
// towards the front, over rows already read), so a 377 MB set never has a second copy.
ImageDataset split(const std::string& name, DrawnImages drawn) {
    const std::size_t bytes = std::size_t(bytesPerImage(drawn));
    const std::size_t pixelsPerImage = std::size_t(drawn.channels) * drawn.size * drawn.size;
    const std::size_t factorCount = drawn.factorNames.size();
    if (drawn.inTest.empty())
        for (const std::string& key : drawn.splitKeys) drawn.inTest.push_back(isTestKey(key));
    std::vector<int> testOrder = drawn.testOrder;
    if (testOrder.empty())
        for (int i = 0; i < drawn.count; ++i)
            if (drawn.inTest[std::size_t(i)]) testOrder.push_back(i);
    std::vector<std::uint8_t> trainPixels, testPixels;
    std::vector<int> trainLabels, testLabels;
    std::vector<float> trainFactors, testFactors;
    const auto take = [&](std::size_t i, std::vector<int>& labels, std::vector<float>& factors) {
        labels.push_back(drawn.labels[i]);
        factors.insert(factors.end(), drawn.factors.begin() + std::ptrdiff_t(i * factorCount),
                       drawn.factors.begin() + std::ptrdiff_t((i + 1) * factorCount));
    };
    for (const int index : testOrder) {
        const std::uint8_t* row = drawn.pixels.data() + std::size_t(index) * bytes;
        if (drawn.packedBits)
            for (std::size_t p = 0; p < pixelsPerImage; ++p) testPixels.push_back((row[p / 8] >> (7 - p % 8)) & 1 ? 255 : 0);
        else
            testPixels.insert(testPixels.end(), row, row + bytes);
        take(std::size_t(index), testLabels, testFactors);
    }
    std::size_t trainRowsKept = 0;
    for (std::size_t i = 0; i < std::size_t(drawn.count); ++i) {
        if (drawn.inTest[i]) continue;
        const std::uint8_t* row = drawn.pixels.data() + i * bytes;
        if (drawn.packedBits) std::memmove(drawn.pixels.data() + trainRowsKept++ * bytes, row, bytes);
        else trainPixels.insert(trainPixels.end(), row, row + bytes);
        take(i, trainLabels, trainFactors);
    }
    drawn.factors = {};
    ImageDataset data = [&] {
        if (!drawn.packedBits) {
            drawn.pixels = {};
            return ImageDataset::fromPixels(name, drawn.channels, drawn.size, drawn.size, trainPixels, testPixels,
                                            std::move(trainLabels), std::move(testLabels), drawn.classNames);
        }
        drawn.pixels.resize(trainRowsKept * bytes);
        return ImageDataset::fromPackedBits(name, drawn.size, drawn.size, std::move(drawn.pixels), testPixels,
                                            std::move(trainLabels), std::move(testLabels), drawn.classNames);
    }();
    if (factorCount == 0) return data;
    return data.withFactors(drawn.factorNames, std::move(trainFactors), std::move(testFactors));
}

}  // namespace

const std::vector<GeneratedSource>& generatedSources() {
    static const std::vector<GeneratedSource> sources{emojiSource(), spritesSource()};
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
    if (auto cached = readCache(source, folder, checksum, size)) return split(source.name, std::move(*cached));
    DrawnImages drawn = source.draw(size);
    drawn.count = int(drawn.packedBits ? drawn.pixels.size() / std::size_t(bytesPerImage(drawn)) : drawn.labels.size());
    // A cache that cannot be written costs only the drawing next time: the set is used as drawn.
    writeCache(folder, checksum, drawn, bool(source.annotate));
    if (source.annotate) source.annotate(drawn);
    return split(source.name, std::move(drawn));
}

}  // namespace vae
