// Image folders in colour (issue 23): channels in their order, --color auto|gray|rgb, --fit crop
// and squash, transparent pixels on white. Exact values on hand-made pictures.
#include "image_folder.h"

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

namespace {

void save(const QString& dir, const QString& file, const QImage& image) {
    QVERIFY(QDir().mkpath(QFileInfo(QDir(dir).filePath(file)).path()));
    QVERIFY(image.save(QDir(dir).filePath(file)));
}

QImage filled(int width, int height, QColor colour) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(colour);
    return image;
}

vae::RunSettings settingsFor(const QString& dir, const char* color, const char* fit, int size) {
    vae::RunSettings settings;
    settings.dataset = dir.toStdString();
    settings.color = color;
    settings.fit = fit;
    settings.imageSize = size;
    settings.testFraction = 0.5;
    return settings;
}

// Pixel (x, y) of channel c of every image, train and test alike, with its label.
struct Pixel {
    float value;
    int label;
};

std::vector<Pixel> pixelsAt(const vae::ImageDataset& data, int c, int x, int y) {
    std::vector<Pixel> out;
    const vae::Images images = data.testImages(0, data.testCount());
    for (int i = 0; i < images.count; ++i)
        out.push_back({images.image(i)[std::size_t(c) * images.rows * images.cols + std::size_t(y) * images.cols + x],
                       data.testLabels()[std::size_t(i)]});
    return out;
}

}  // namespace

class TestColourFolder : public QObject {
    Q_OBJECT
private slots:
    void redStaysRed();
    void colourModeChoosesTheChannels();
    void cropKeepsTheCentreAndSquashTheWhole();
    void transparentPixelsAreWhite();
    void aGreyFolderReadsTheSameInAutoAndGray();
};

// Pure red, green and blue squares: each keeps its colour in its own channel (no BGR swap).
void TestColourFolder::redStaysRed() {
    QTemporaryDir dir;
    const QColor colours[] = {Qt::red, Qt::green, Qt::blue};
    const char* names[] = {"0-red", "1-green", "2-blue"};
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < 4; ++i) save(dir.path(), QString("%1/%2.png").arg(names[c]).arg(i), filled(12, 12, colours[c]));
    const auto data = vae::loadDataset(settingsFor(dir.path(), "auto", "crop", 8)).dataset;
    QCOMPARE(data.channels(), 3);
    QVERIFY(data.testCount() >= 3);
    for (int c = 0; c < 3; ++c)
        for (const Pixel& pixel : pixelsAt(data, c, 3, 4))
            QCOMPARE(pixel.value, pixel.label == c ? 1.0f : 0.0f);
    QVERIFY(data.identity().find("8x8 RGB") != std::string::npos);
}

// auto: RGB as soon as one picture has colour, grey otherwise; gray and rgb as they say.
void TestColourFolder::colourModeChoosesTheChannels() {
    QTemporaryDir grey, mixed;
    for (int i = 0; i < 4; ++i) {
        save(grey.path(), QString("a/%1.png").arg(i), filled(10, 10, QColor(60 * i, 60 * i, 60 * i)));
        save(mixed.path(), QString("a/%1.png").arg(i), filled(10, 10, QColor(60 * i, 60 * i, 60 * i)));
    }
    save(mixed.path(), "b/tinted.png", filled(10, 10, QColor(200, 100, 50)));
    QCOMPARE(vae::loadDataset(settingsFor(grey.path(), "auto", "crop", 6)).dataset.channels(), 1);
    QCOMPARE(vae::loadDataset(settingsFor(mixed.path(), "auto", "crop", 6)).dataset.channels(), 3);
    QCOMPARE(vae::loadDataset(settingsFor(mixed.path(), "gray", "crop", 6)).dataset.channels(), 1);
    const auto rgb = vae::loadDataset(settingsFor(grey.path(), "rgb", "crop", 6)).dataset;
    QCOMPARE(rgb.channels(), 3);
    const auto red = pixelsAt(rgb, 0, 2, 2), blue = pixelsAt(rgb, 2, 2, 2);
    for (std::size_t i = 0; i < red.size(); ++i) QCOMPARE(red[i].value, blue[i].value);  // grey in three planes
}

// A 40 x 20 picture: red columns 0-9, white 10-29, blue 30-39. crop resizes the shorter side to
// the square's and keeps the centre (all white); squash keeps the red and blue edges.
void TestColourFolder::cropKeepsTheCentreAndSquashTheWhole() {
    QTemporaryDir dir;
    QImage banded = filled(40, 20, Qt::white);
    QPainter painter(&banded);
    painter.fillRect(0, 0, 10, 20, Qt::red);
    painter.fillRect(30, 0, 10, 20, Qt::blue);
    painter.end();
    for (int i = 0; i < 2; ++i) save(dir.path(), QString("a/%1.png").arg(i), banded);
    const auto cropped = vae::loadDataset(settingsFor(dir.path(), "rgb", "crop", 10)).dataset;
    for (int c = 0; c < 3; ++c)
        for (int x : {0, 4, 9}) QCOMPARE(pixelsAt(cropped, c, x, 5).front().value, 1.0f);
    const auto squashed = vae::loadDataset(settingsFor(dir.path(), "rgb", "squash", 10)).dataset;
    QCOMPARE(pixelsAt(squashed, 0, 0, 5).front().value, 1.0f);  // red at the left edge
    QCOMPARE(pixelsAt(squashed, 1, 0, 5).front().value, 0.0f);
    QCOMPARE(pixelsAt(squashed, 2, 9, 5).front().value, 1.0f);  // blue at the right
    QCOMPARE(pixelsAt(squashed, 0, 9, 5).front().value, 0.0f);
    QCOMPARE(pixelsAt(squashed, 1, 5, 5).front().value, 1.0f);  // white between
}

// A transparent picture with an opaque black square in its middle: the rest is white.
void TestColourFolder::transparentPixelsAreWhite() {
    QTemporaryDir dir;
    QImage sprite(16, 16, QImage::Format_ARGB32);
    sprite.fill(Qt::transparent);
    for (int y = 4; y < 12; ++y)
        for (int x = 4; x < 12; ++x) sprite.setPixel(x, y, qRgba(0, 0, 0, 255));
    for (int i = 0; i < 2; ++i) save(dir.path(), QString("a/%1.png").arg(i), sprite);
    for (const char* mode : {"gray", "rgb"}) {
        const auto data = vae::loadDataset(settingsFor(dir.path(), mode, "crop", 8)).dataset;
        for (int c = 0; c < data.channels(); ++c) {
            QCOMPARE(pixelsAt(data, c, 0, 0).front().value, 1.0f);
            QCOMPARE(pixelsAt(data, c, 4, 4).front().value, 0.0f);
        }
    }
}

// auto squares each picture once, in colour, and greys the squares when none had colour: the
// result must be the grey path's to the byte, smooth scaling, crop and transparency included.
void TestColourFolder::aGreyFolderReadsTheSameInAutoAndGray() {
    QTemporaryDir dir;
    for (int i = 0; i < 6; ++i) {
        QImage picture(37 + 9 * i, 23 + 5 * i, QImage::Format_ARGB32);
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x) {
                const int level = (x * 7 + y * 13 + i * 29) % 256;
                picture.setPixel(x, y, qRgba(level, level, level, (x + y) % 5 == 0 ? 0 : 255));
            }
        save(dir.path(), QString("%1/%2.png").arg(i % 2).arg(i), picture);
    }
    for (const char* fit : {"crop", "squash"}) {
        const auto automatic = vae::loadDataset(settingsFor(dir.path(), "auto", fit, 9)).dataset;
        const auto grey = vae::loadDataset(settingsFor(dir.path(), "gray", fit, 9)).dataset;
        QCOMPARE(automatic.channels(), 1);
        const vae::Images a = automatic.testImages(0, automatic.testCount()), g = grey.testImages(0, grey.testCount());
        QCOMPARE(a.count, g.count);
        QVERIFY(a.count > 0);
        for (int i = 0; i < a.count; ++i)
            for (int p = 0; p < 81; ++p) QCOMPARE(a.image(i)[std::size_t(p)], g.image(i)[std::size_t(p)]);
    }
}

QTEST_GUILESS_MAIN(TestColourFolder)
#include "tst_colourfolder.moc"
