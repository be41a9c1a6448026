// Animated GIFs through giflib, read back with Qt's own GIF reader.
#include "gif_writer.h"

#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QVector<QImage> rampFrames(int count, QSize size) {
    QVector<QImage> frames;
    for (int i = 0; i < count; ++i) {
        QImage frame(size, QImage::Format_Grayscale8);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) frame.scanLine(y)[x] = uchar((x * 7 + y * 3 + i * 40) % 256);
        frames << frame;
    }
    return frames;
}

}  // namespace

class TestGifWriter : public QObject {
    Q_OBJECT
private slots:
    void readsBackFramesSizeDelayAndLoop();
    void playsAGivenNumberOfTimes();
    void refusesBadInputAndKeepsTheOldFile();
    void keepsColoursInTheirChannels();
};

void TestGifWriter::readsBackFramesSizeDelayAndLoop() {
    QTemporaryDir dir;
    const QString path = dir.filePath("walk.gif");
    const auto frames = rampFrames(30, {560, 560});  // the 20x20 grid of 28x28 images
    QCOMPARE(vae::writeGifAtomically(path, frames, {80, 0}), QString());
    QImageReader reader(path);
    QVERIFY(reader.supportsAnimation());
    QCOMPARE(reader.imageCount(), 30);
    QCOMPARE(reader.size(), QSize(560, 560));
    QCOMPARE(reader.loopCount(), -1);  // Qt: -1 is forever
    QImage first = reader.read();
    QCOMPARE(reader.nextImageDelay(), 80);
    // Grey levels survive exactly (a 256-grey palette).
    first = first.convertToFormat(QImage::Format_Grayscale8);
    QCOMPARE(first.pixelColor(10, 3).red(), (10 * 7 + 3 * 3) % 256);
    for (int i = 1; i < 30; ++i) QVERIFY(!reader.read().isNull());
}

void TestGifWriter::playsAGivenNumberOfTimes() {
    QTemporaryDir dir;
    const QString path = dir.filePath("three.gif");
    QCOMPARE(vae::writeGifAtomically(path, rampFrames(4, {28, 28}), {100, 3}), QString());
    QImageReader reader(path);
    QCOMPARE(reader.imageCount(), 4);
    QCOMPARE(reader.loopCount(), 3);
}

void TestGifWriter::refusesBadInputAndKeepsTheOldFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("old.gif");
    QCOMPARE(vae::writeGifAtomically(path, rampFrames(2, {28, 28}), {}), QString());
    const QByteArray before = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
    auto mixed = rampFrames(2, {28, 28});
    mixed << QImage(10, 10, QImage::Format_Grayscale8);
    QVERIFY(vae::writeGifAtomically(path, mixed, {}).contains("frames differ in size"));
    QVERIFY(vae::writeGifAtomically(path, {}, {}).contains("no frames"));
    QVERIFY(vae::writeGifAtomically(path, rampFrames(2, {28, 28}), {-5, 0}).contains("delay"));
    QVERIFY(vae::writeGifAtomically(dir.filePath("missing/x.gif"), rampFrames(2, {28, 28}), {}).startsWith(dir.filePath("missing/x.gif")));
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before);
}

// Colour frames (issue 23): one palette for the animation, made by libimagequant. Pure red,
// green and blue stay themselves (no BGR swap), and a smooth gradient stays close to its colours.
void TestGifWriter::keepsColoursInTheirChannels() {
    QTemporaryDir dir;
    const QString path = dir.filePath("colour.gif");
    QVector<QImage> frames;
    for (const QColor colour : {QColor(Qt::red), QColor(Qt::green), QColor(Qt::blue)}) {
        QImage frame(32, 16, QImage::Format_RGB888);
        frame.fill(colour);
        for (int x = 0; x < 32; ++x)  // the bottom half a ramp from black to orange
            for (int y = 8; y < 16; ++y) frame.setPixelColor(x, y, QColor(8 * x, 4 * x, 0));
        frames << frame;
    }
    QCOMPARE(vae::writeGifAtomically(path, frames, {50, 0}), QString());
    QImageReader reader(path);
    QCOMPARE(reader.imageCount(), 3);
    for (const QColor expected : {QColor(Qt::red), QColor(Qt::green), QColor(Qt::blue)}) {
        const QImage frame = reader.read();
        QCOMPARE(frame.pixelColor(3, 3), expected);
        for (int x = 0; x < 32; x += 5) {
            const QColor ramp = frame.pixelColor(x, 12);
            QVERIFY2(std::abs(ramp.red() - 8 * x) <= 6 && std::abs(ramp.green() - 4 * x) <= 6 && ramp.blue() <= 6,
                     qPrintable(QString("x %1: %2").arg(x).arg(ramp.name())));
        }
    }
}

QTEST_GUILESS_MAIN(TestGifWriter)
#include "tst_gifwriter.moc"
