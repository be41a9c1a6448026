#include "emoji_source.h"

#include "errors.h"
#include "image_convert.h"

#include <QFile>
#include <QFont>
#include <QFontDatabase>
#include <QImage>
#include <QPainter>

#include <algorithm>

namespace vae {
namespace {

const char* const kFontFile = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
const char* const kEmojiTest = "/usr/share/unicode/emoji/emoji-test.txt";
constexpr qint64 kMaxEmojiTestBytes = 16 << 20;
// Noto Color Emoji's bitmaps are 136 x 128 pixels at 109 pixels per em: drawn at that size they
// are copied, not scaled, and the canvas holds the widest (flags) with room.
constexpr int kFontPixels = 109;
constexpr int kCanvas = 176;

// Code points that make a variant of another emoji, not another emoji: skin tones, the variation
// selector, and the gender signs of a ZWJ sequence.
bool variantMark(char32_t codePoint) { return (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF) || codePoint == 0xFE0F; }

std::string familyOf(const std::vector<char32_t>& codePoints) {
    std::vector<char32_t> kept;
    for (std::size_t i = 0; i < codePoints.size(); ++i) {
        const char32_t c = codePoints[i];
        if (variantMark(c)) continue;
        // "ZWJ female sign" or "ZWJ male sign" makes a gendered form of what comes before.
        if (c == 0x200D && i + 1 < codePoints.size() && (codePoints[i + 1] == 0x2640 || codePoints[i + 1] == 0x2642)) {
            ++i;
            continue;
        }
        kept.push_back(c == 0x1F468 || c == 0x1F469 ? 0x1F9D1 : c);  // man, woman -> person
    }
    std::string key;
    for (char32_t c : kept) key += (key.empty() ? "" : " ") + QString::number(uint(c), 16).toUpper().toStdString();
    return key;
}

// `text` drawn in colour, its drawn pixels centred in a square, resized to size x size and laid
// on white (the background every generated and folder image is laid on).
QImage drawEmoji(const QString& text, const QFont& font, int size) {
    QImage canvas(kCanvas, kCanvas, QImage::Format_ARGB32_Premultiplied);
    canvas.fill(Qt::transparent);
    {
        QPainter painter(&canvas);
        painter.setFont(font);
        painter.drawText(canvas.rect(), Qt::AlignCenter, text);
    }
    int left = kCanvas, top = kCanvas, right = -1, bottom = -1;
    for (int y = 0; y < kCanvas; ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(canvas.constScanLine(y));
        for (int x = 0; x < kCanvas; ++x)
            if (qAlpha(line[x]) > 0) {
                left = std::min(left, x), right = std::max(right, x);
                top = std::min(top, y), bottom = std::max(bottom, y);
            }
    }
    if (right < 0) return {};
    const int side = std::max(right - left, bottom - top) + 1;
    QImage square(side, side, QImage::Format_ARGB32_Premultiplied);
    square.fill(Qt::white);
    {
        QPainter painter(&square);
        painter.drawImage(QPoint((side - (right - left + 1)) / 2 - left, (side - (bottom - top + 1)) / 2 - top), canvas);
    }
    return square.scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB888);
}

DrawnImages drawEmojiSet(int size) {
    const std::vector<EmojiEntry> entries = readEmojiTest(kEmojiTest);
    const int fontId = QFontDatabase::addApplicationFont(kFontFile);
    if (fontId < 0) throw DataError(std::string(kFontFile) + ": Qt cannot read this font");
    QFont font(QFontDatabase::applicationFontFamilies(fontId).value(0));
    font.setPixelSize(kFontPixels);
    DrawnImages drawn;
    drawn.size = size;
    drawn.channels = 3;
    for (const EmojiEntry& entry : entries) {
        const QImage image = drawEmoji(entry.text, font, size);
        if (image.isNull()) continue;  // nothing drawn: not in this font
        auto group = std::find(drawn.classNames.begin(), drawn.classNames.end(), entry.group);
        if (group == drawn.classNames.end()) group = drawn.classNames.insert(group, entry.group);
        drawn.labels.push_back(int(group - drawn.classNames.begin()));
        drawn.splitKeys.push_back(entry.family);
        appendPlanes(drawn.pixels, image);
    }
    QFontDatabase::removeApplicationFont(fontId);
    if (drawn.labels.empty()) throw DataError(std::string(kFontFile) + ": no emoji could be drawn");
    return drawn;
}

}  // namespace

std::vector<EmojiEntry> readEmojiTest(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) throw DataError(path + ": cannot read (" + file.errorString().toStdString() + ")");
    if (file.size() > kMaxEmojiTestBytes) throw DataError(path + ": too large for emoji-test.txt");
    std::vector<EmojiEntry> entries;
    std::string group;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith("# group:")) group = line.mid(8).trimmed().toStdString();
        const int semicolon = int(line.indexOf(';')), hash = int(line.indexOf('#'));
        if (line.startsWith('#') || semicolon < 0 || hash < semicolon) continue;
        if (line.mid(semicolon + 1, hash - semicolon - 1).trimmed() != "fully-qualified") continue;
        std::vector<char32_t> codePoints;
        for (const QString& hex : line.left(semicolon).split(' ', Qt::SkipEmptyParts)) {
            bool ok = false;
            codePoints.push_back(char32_t(hex.toUInt(&ok, 16)));
            if (!ok || codePoints.back() > 0x10FFFF) throw DataError(path + ": '" + hex.toStdString() + "' is not a code point");
        }
        entries.push_back({QString::fromUcs4(codePoints.data(), qsizetype(codePoints.size())), group, familyOf(codePoints)});
    }
    return entries;
}

GeneratedSource emojiSource() {
    return {"emoji", {kFontFile, kEmojiTest}, "install Debian's fonts-noto-color-emoji and unicode-data", drawEmojiSet};
}

}  // namespace vae
