// Image folders (one subfolder per class of PNG/JPEG/BMP files) as datasets: decoded with Qt,
// grey, resized, split, labelled by folder, with unreadable files skipped and named.
#include "errors.h"
#include "fixtures.h"
#include "image_folder.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>

namespace {

// A colour image of `size`, bright in its left half when `left`, else in its right half.
void writeImage(const QString& path, int size, bool left, const char* format) {
    QImage image(size, size, QImage::Format_RGB32);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) image.setPixel(x, y, (x < size / 2) == left ? qRgb(255, 255, 255) : qRgb(0, 0, 40));
    QVERIFY(image.save(path, format));
}

void writeClass(const QString& dir, const QString& name, int count, bool left) {
    QVERIFY(QDir().mkpath(QDir(dir).filePath(name)));
    const char* formats[] = {"PNG", "JPEG", "BMP"};
    const char* suffixes[] = {"png", "jpg", "bmp"};
    for (int i = 0; i < count; ++i)
        writeImage(QDir(dir).filePath(QString("%1/%2.%3").arg(name).arg(i).arg(suffixes[i % 3])), 40 + i % 5, left,
                   formats[i % 3]);
}

// Grey and squashed, as folders were read before colour: what most of these tests are about.
vae::RunSettings settingsFor(const QString& dir) {
    vae::RunSettings settings;
    settings.dataset = dir.toStdString();
    settings.color = "gray";
    settings.fit = "squash";
    return settings;
}

}  // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private slots:
    void splitsWithTheSeedAndNamesClasses();
    void usesATestSubfolder();
    void skipsUnreadableImagesAndSaysWhich();
    void namesThatAreNotUtf8AreRead();
    void largeImagesAreReadWithinTheBoundOrRefusedWithTheReason();
    void aVeryLongPictureIsSquaredInLittleMemory();
    void refusesFoldersWithoutImages();
    void idxFoldersStayIdx();
    void identityNamesWhatChangesTheData();
};

void TestImageFolder::splitsWithTheSeedAndNamesClasses() {
    QTemporaryDir dir;
    writeClass(dir.path(), "cats", 30, true);
    writeClass(dir.path(), "dogs", 30, false);
    auto settings = settingsFor(dir.path());
    settings.imageSize = 16;
    const auto loaded = vae::loadDataset(settings);
    const auto& data = loaded.dataset;
    QVERIFY(loaded.note.isEmpty());
    QCOMPARE(data.rows(), 16);
    QCOMPARE(data.cols(), 16);
    QCOMPARE(data.testCount(), 10);  // 60 / 6
    QCOMPARE(data.trainCount(), 50);
    QCOMPARE(data.classNames(), (std::vector<std::string>{"cats", "dogs"}));
    // Labels follow the folders: a cat is bright on the left, a dog on the right.
    const auto images = data.testImages(0, data.testCount());
    for (int i = 0; i < data.testCount(); ++i) {
        const float* pixels = images.values.data() + std::size_t(i) * 256;
        const float leftMinusRight = pixels[8 * 16 + 2] - pixels[8 * 16 + 13];
        QVERIFY2((data.testLabels()[std::size_t(i)] == 0) == (leftMinusRight > 0.5f), qPrintable(QString::number(i)));
    }
    // The split follows the seed: the same again, another with another seed.
    QCOMPARE(vae::loadDataset(settings).dataset.testLabels(), data.testLabels());
    settings.training.seed = 2;
    settings.testFraction = 0.5;
    const auto other = vae::loadDataset(settings).dataset;
    QCOMPARE(other.testCount(), 30);
}

void TestImageFolder::usesATestSubfolder() {
    QTemporaryDir dir;
    writeClass(QDir(dir.path()).filePath("train"), "a", 6, true);
    writeClass(QDir(dir.path()).filePath("train"), "b", 6, false);
    writeClass(QDir(dir.path()).filePath("test"), "b", 3, false);
    const auto data = vae::loadDataset(settingsFor(dir.path())).dataset;
    QCOMPARE(data.trainCount(), 12);
    QCOMPARE(data.testCount(), 3);
    QCOMPARE(data.rows(), 28);  // the default size
    QCOMPARE(data.testLabels(), (std::vector<int>{1, 1, 1}));  // "b", as in training
}

void TestImageFolder::skipsUnreadableImagesAndSaysWhich() {
    QTemporaryDir dir;
    writeClass(dir.path(), "ok", 12, true);
    for (const char* name : {"broken1.png", "broken2.jpg", "broken3.bmp", "broken4.png"}) {
        QFile file(QDir(dir.path()).filePath(QString("ok/") + name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not an image");
    }
    const auto loaded = vae::loadDataset(settingsFor(dir.path()));
    QCOMPARE(loaded.dataset.trainCount() + loaded.dataset.testCount(), 12);
    QVERIFY2(loaded.note.contains("skipped 4 unreadable images (") && loaded.note.contains("broken") &&
                 loaded.note.endsWith("; ...)") && loaded.note.contains(".png: "),
             qPrintable(loaded.note));
    // A name with a line break is named on the note's one line.
    QVERIFY(QDir(dir.path()).remove("ok/broken1.png") && QDir(dir.path()).remove("ok/broken2.jpg") &&
            QDir(dir.path()).remove("ok/broken3.bmp"));
    QVERIFY(QFile::rename(QDir(dir.path()).filePath("ok/broken4.png"), QDir(dir.path()).filePath("ok/two\nlines.png")));
    const QString note = vae::loadDataset(settingsFor(dir.path())).note;
    QVERIFY2(note.contains(QString::fromUtf8("(two\xef\xbf\xbdlines.png: ")) && !note.contains('\n'), qPrintable(note));
}

// Bytes that are not UTF-8 in a class folder's name and in file names (Latin-1 "café", a stray
// 0xff): before, Qt's decoded names pointed nowhere, and 31 of 91 images vanished without a word.
void TestImageFolder::namesThatAreNotUtf8AreRead() {
    QTemporaryDir dir;
    writeClass(dir.path(), "plain", 6, true);
    const std::string root = QFile::encodeName(dir.path()).toStdString();
    const std::string latin1Class = root + "/cl\xe4ss";
    QVERIFY(::mkdir(latin1Class.c_str(), 0700) == 0);
    QTemporaryDir scratch;
    for (int i = 0; i < 5; ++i) {
        const QString made = scratch.filePath(QString("%1.png").arg(i));
        writeImage(made, 32, false, "PNG");
        const std::string odd = latin1Class + "/caf\xe9\xff" + std::to_string(i) + ".png";
        QVERIFY(std::rename(QFile::encodeName(made).constData(), odd.c_str()) == 0);
    }
    const auto loaded = vae::loadDataset(settingsFor(dir.path()));
    QCOMPARE(loaded.dataset.trainCount() + loaded.dataset.testCount(), 11);
    QVERIFY2(loaded.note.isEmpty(), qPrintable(loaded.note));
    QCOMPARE(loaded.dataset.classNames().size(), std::size_t(2));
    QVERIFY(QString::fromStdString(loaded.dataset.classNames()[0]).startsWith("cl"));  // bytewise: 'c' < 'p'
}

// A 7000 x 7000 PNG (196 MB decoded) was refused by Qt's 128 MB limit and called "unreadable".
// It is read now; one whose pixels would pass the app's bound is refused with that reason.
void TestImageFolder::largeImagesAreReadWithinTheBoundOrRefusedWithTheReason() {
    QTemporaryDir dir;
    writeClass(dir.path(), "small", 6, true);
    QImage big(7000, 7000, QImage::Format_Grayscale8);
    big.fill(200);
    QVERIFY(big.save(QDir(dir.path()).filePath("small/big.png"), "PNG"));
    big = QImage();
    // Only the header matters for the refusal: a PNG that says 9000 x 9000 (309 MB), no pixels.
    QImage header(1, 1, QImage::Format_Grayscale8);
    QByteArray png;
    QBuffer buffer(&png);
    QVERIFY(buffer.open(QIODevice::WriteOnly) && header.save(&buffer, "PNG"));
    const char side[4] = {0, 0, char(0x23), char(0x28)};  // 9000, big-endian, in IHDR's width and height
    png.replace(16, 4, QByteArray(side, 4));
    png.replace(20, 4, QByteArray(side, 4));
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.constData() + 12), 17);  // IHDR's type and data
    const char crcBytes[4] = {char(crc >> 24), char(crc >> 16), char(crc >> 8), char(crc)};
    png.replace(29, 4, QByteArray(crcBytes, 4));
    QFile huge(QDir(dir.path()).filePath("small/huge.png"));
    QVERIFY(huge.open(QIODevice::WriteOnly) && huge.write(png) == png.size());
    huge.close();
    const auto loaded = vae::loadDataset(settingsFor(dir.path()));
    QCOMPARE(loaded.dataset.trainCount() + loaded.dataset.testCount(), 7);
    QVERIFY2(loaded.note.contains("skipped 1 unreadable image (huge.png: 9000 x 9000 pixels would take 309 MB to decode, "
                                  "more than the 256 MB allowed)"),
             qPrintable(loaded.note));
}

// A 3 KB PNG of 1 x 1,000,000 pixels took 4.1 GB and 40 s as a 64-pixel colour model's picture:
// its short side was enlarged to 64 before the centre was cut out.
void TestImageFolder::aVeryLongPictureIsSquaredInLittleMemory() {
    QTemporaryDir dir;
    const QString path = dir.filePath("long.png");
    QImage line(1, 1000000, QImage::Format_Grayscale8);
    line.fill(200);
    QVERIFY(line.save(path));
    vae::ModelConfig model;
    model.imageRows = model.imageCols = 64;
    model.imageChannels = 3;
    const qint64 before = fixtures::resetPeakResidentKb();
    const vae::DecodedImage prepared = vae::preparePicture(QFile::encodeName(path).toStdString(), model, "crop");
    QVERIFY2(!prepared.image.isNull(), qPrintable(prepared.problem));
    QCOMPARE(prepared.image.size(), QSize(64, 64));
    QCOMPARE(qGray(prepared.image.pixel(32, 32)), 200);
    if (before < 0) QSKIP("/proc/self/clear_refs cannot reset the peak here: the memory bound is not checked");
    QVERIFY2(fixtures::peakResidentKb() - before < 100 * 1024,
             qPrintable(QString("squaring took %1 MB").arg((fixtures::peakResidentKb() - before) / 1024)));
}

void TestImageFolder::refusesFoldersWithoutImages() {
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(QDir(dir.path()).filePath("empty-class")));
    QFile text(QDir(dir.path()).filePath("empty-class/readme.txt"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    try {
        vae::loadDataset(settingsFor(dir.path()));
        QFAIL("accepted a folder without images");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).endsWith(": no readable PNG, JPEG or BMP image in its class subfolders"), error.what());
    }
    // Nothing readable because each file was broken: the refusal says which and why.
    QFile broken(QDir(dir.path()).filePath("empty-class/broken.png"));
    QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("not a picture") > 0);
    broken.close();
    try {
        vae::loadDataset(settingsFor(dir.path()));
        QFAIL("accepted a folder without readable images");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains(": no readable PNG, JPEG or BMP image in its class subfolders; skipped 1 "
                                                "unreadable image (broken.png: "), error.what());
    }
}

void TestImageFolder::idxFoldersStayIdx() {
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(QDir(dir.path()).filePath("sub")));
    QFile idx(QDir(dir.path()).filePath("train-images-idx3-ubyte"));
    QVERIFY(idx.open(QIODevice::WriteOnly));
    QVERIFY(!vae::isImageFolder(dir.path()));  // IDX files of its own: core's loader reads it
    QVERIFY(idx.remove());
    QVERIFY(vae::isImageFolder(dir.path()));
    QVERIFY(!vae::isImageFolder(QDir(dir.path()).filePath("sub")));  // no class subfolders
}

// What the window compares to decide whether to load again: for an image folder its size, and
// its split's fraction and seed only while it has no test/ folder; for anything else the name.
void TestImageFolder::identityNamesWhatChangesTheData() {
    QTemporaryDir dir;
    writeClass(dir.path(), "a", 3, true);
    auto settings = settingsFor(dir.path());
    const QString base = vae::datasetIdentity(settings);
    auto other = settings;
    other.imageSize = 20;
    QVERIFY(vae::datasetIdentity(other) != base);
    other = settings;
    other.testFraction = 0.5;
    QVERIFY(vae::datasetIdentity(other) != base);
    other = settings;
    other.training.seed = 7;
    QVERIFY(vae::datasetIdentity(other) != base);
    other.training.epochs = 99;  // not about the data
    other.training.seed = settings.training.seed;
    QCOMPARE(vae::datasetIdentity(other), base);

    writeClass(QDir(dir.path()).filePath("test"), "a", 1, true);  // now the test set is fixed
    const QString withTests = vae::datasetIdentity(settings);
    other = settings;
    other.testFraction = 0.5;
    other.training.seed = 7;
    QCOMPARE(vae::datasetIdentity(other), withTests);
    other.imageSize = 20;
    QVERIFY(vae::datasetIdentity(other) != withTests);

    auto mnist = settingsFor("mnist");
    mnist.imageSize = 20;
    QCOMPARE(vae::datasetIdentity(mnist), QString("mnist"));
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
