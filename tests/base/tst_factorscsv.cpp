// An image folder's factors.csv: each image's factor values follow it through the split, the
// skipped files and a test/ folder, and every malformed table is refused in one line naming the
// file and the row.
#include "errors.h"
#include "image_folder.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// A picture bright on its left when `left`, else on its right: what "side" says of it.
void writeImage(const QString& path, bool left) {
    QImage image(24, 24, QImage::Format_Grayscale8);
    for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 24; ++x) image.setPixel(x, y, (x < 12) == left ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QVERIFY(image.save(path, "PNG"));
}

void writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(text), qint64(text.size()));
}

vae::RunSettings settingsFor(const QString& dir) {
    vae::RunSettings settings;
    settings.dataset = dir.toStdString();
    settings.color = "gray";
    settings.imageSize = 12;
    return settings;
}

// Ten pictures a class, "side" 0 (bright left) or 1, and "index" the picture's number; the
// header and the rows as given.
QByteArray writeFolder(const QString& dir) {
    QByteArray table = "file,side,index\n";
    for (int i = 0; i < 10; ++i)
        for (const QString& name : {QString("left"), QString("right")}) {
            const QString file = QString("%1/%2.png").arg(name).arg(i);
            writeImage(QDir(dir).filePath(file), name == "left");
            table += QString("%1,%2,%3\n").arg(file).arg(name == "left" ? 0 : 1).arg(i).toUtf8();
        }
    return table;
}

// Each test image's "side" agrees with its pixels, and "index" with nothing in particular.
void checkSides(const vae::ImageDataset& data) {
    QCOMPARE(data.factorNames(), (std::vector<std::string>{"side", "index"}));
    QCOMPARE(data.testFactors().size(), std::size_t(data.testCount()) * 2);
    const auto images = data.testImages(0, data.testCount());
    for (int i = 0; i < data.testCount(); ++i) {
        const float* pixels = images.values.data() + std::size_t(i) * 144;
        const bool brightLeft = pixels[6 * 12 + 1] > pixels[6 * 12 + 10];
        QCOMPARE(data.testFactors()[std::size_t(i) * 2], brightLeft ? 0.0f : 1.0f);
        QCOMPARE(data.testLabels()[std::size_t(i)], brightLeft ? 0 : 1);
    }
}

}  // namespace

class TestFactorsCsv : public QObject {
    Q_OBJECT
private slots:
    void factorsFollowTheirImages();
    void unreadableImagesLeaveTheirRowsOut();
    void testFolderPathsAndQuotedNames();
    void malformedTablesAreRefusedNamingTheRow_data();
    void malformedTablesAreRefusedNamingTheRow();
    void oversizedTablesAreRefusedUnread();
};

void TestFactorsCsv::factorsFollowTheirImages() {
    QTemporaryDir dir;
    writeText(QDir(dir.path()).filePath("factors.csv"), writeFolder(dir.path()));
    const auto data = vae::loadDataset(settingsFor(dir.path())).dataset;
    QCOMPARE(data.trainCount() + data.testCount(), 20);
    checkSides(data);
    // Without the table the folder has labels only, as before.
    QVERIFY(QFile::remove(QDir(dir.path()).filePath("factors.csv")));
    QVERIFY(vae::loadDataset(settingsFor(dir.path())).dataset.factorNames().empty());
}

void TestFactorsCsv::unreadableImagesLeaveTheirRowsOut() {
    QTemporaryDir dir;
    QByteArray table = writeFolder(dir.path());
    writeText(QDir(dir.path()).filePath("left/broken.png"), "not a picture");
    table += "left/broken.png,0,99\n";
    writeText(QDir(dir.path()).filePath("factors.csv"), table);
    auto settings = settingsFor(dir.path());
    settings.testFraction = 0.5;  // the broken file lands in one split or the other: both are checked
    for (std::uint64_t seed : {1, 2, 3}) {
        settings.training.seed = seed;
        const auto loaded = vae::loadDataset(settings);
        QVERIFY2(loaded.note.contains("broken.png"), qPrintable(loaded.note));
        QCOMPARE(loaded.dataset.trainCount() + loaded.dataset.testCount(), 20);
        checkSides(loaded.dataset);
        for (std::size_t i = 1; i < loaded.dataset.testFactors().size(); i += 2) QVERIFY(loaded.dataset.testFactors()[i] < 10);
    }
}

void TestFactorsCsv::testFolderPathsAndQuotedNames() {
    QTemporaryDir dir;
    writeImage(QDir(dir.path()).filePath("train/left/a, \"quoted\".png"), true);
    writeImage(QDir(dir.path()).filePath("train/right/b.png"), false);
    writeImage(QDir(dir.path()).filePath("test/right/c.png"), false);
    writeImage(QDir(dir.path()).filePath("test/left/d.png"), true);
    // Quoted as a spreadsheet writes it, spaces around unquoted values, a CRLF line end.
    writeText(QDir(dir.path()).filePath("factors.csv"),
              "image,side,index\r\n\"train/left/a, \"\"quoted\"\".png\",0,1\n train/right/b.png , 1 , 2\n"
              "test/right/c.png,1,3\ntest/left/d.png,0,4\n");
    const auto data = vae::loadDataset(settingsFor(dir.path())).dataset;
    QCOMPARE(data.testCount(), 2);
    checkSides(data);
    QCOMPARE(data.testFactors(), (std::vector<float>{0, 4, 1, 3}));  // test/left/d.png sorts first
}

void TestFactorsCsv::malformedTablesAreRefusedNamingTheRow_data() {
    QTest::addColumn<QByteArray>("change");  // "+" appends to the good table, "=" replaces it
    QTest::addColumn<QString>("expected");
    QTest::newRow("extra column") << QByteArray("+left/0.png,0,1,2\n") << "row 22: has 4 fields; the header has 3";
    QTest::newRow("too few") << QByteArray("=file,side,index\nleft/0.png,0\n") << "row 2: has 2 fields; the header has 3";
    QTest::newRow("not a number") << QByteArray("=file,side,index\nleft/0.png,big,0\n") << "row 2: side: \"big\" is not a finite number";
    QTest::newRow("empty value") << QByteArray("=file,side,index\nleft/0.png,0,\n") << "row 2: index: \"\" is not a finite number";
    QTest::newRow("nan") << QByteArray("=file,side,index\nleft/0.png,nan,0\n") << "row 2: side: \"nan\" is not a finite number";
    QTest::newRow("too big for a float") << QByteArray("=file,side,index\nleft/0.png,1e39,0\n") << "row 2: side: \"1e39\" is not a finite number";
    QTest::newRow("duplicate image") << QByteArray("+left/3.png,1,1\n") << "row 22: left/3.png is already on row 8";
    QTest::newRow("no such image") << QByteArray("+left/99.png,0,0\n") << "row 22: left/99.png is not an image of the folder";
    QTest::newRow("image without a row") << QByteArray("=file,side,index\nleft/0.png,0,0\n") << "has no row for left/1.png and 18 other images (every image";
    QTest::newRow("no factor") << QByteArray("=file\nleft/0.png\n") << "row 1: the header names no factor";
    QTest::newRow("factor named twice") << QByteArray("=file,side,side\n") << "row 1: factor \"side\" is named twice";
    QTest::newRow("unnamed factor") << QByteArray("=file,,index\n") << "row 1: column 2 has no factor name";
    QTest::newRow("a million fields") << QByteArray("+left/0.png" + QByteArray(",0").repeated(1000000) + "\n")
                                      << "row 22: has 1000001 fields; the header has 3";
    QTest::newRow("too many factors") << QByteArray("=file" + QByteArray(",f").repeated(65) + "\n")
                                      << "row 1: the header names 65 factors; at most 64";
    QTest::newRow("line break in a name") << QByteArray("+\"left/\nx.png\",0,0\n")
                                          << QString::fromUtf8("row 22: left/\xef\xbf\xbdx.png is not an image of the folder");
    QTest::newRow("empty") << QByteArray("=") << "is empty";
    QTest::newRow("open quote") << QByteArray("+\"left/0.png,0,0\n") << "row 22: is not valid CSV";
}

void TestFactorsCsv::malformedTablesAreRefusedNamingTheRow() {
    QFETCH(QByteArray, change);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QByteArray good = writeFolder(dir.path());
    const QString file = QDir(dir.path()).filePath("factors.csv");
    writeText(file, change.startsWith('+') ? good + change.mid(1) : change.mid(1));
    try {
        vae::loadDataset(settingsFor(dir.path()));
        QFAIL("accepted the table");
    } catch (const vae::DataError& error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(QDir::cleanPath(QDir(dir.path()).absolutePath()) + "/factors.csv: ") &&
                     message.contains(expected) && !message.contains('\n'),
                 qPrintable(message));
    }
}

// What a file claims cannot make the loader read it: a sparse 65 MB file is refused by its size.
void TestFactorsCsv::oversizedTablesAreRefusedUnread() {
    QTemporaryDir dir;
    writeFolder(dir.path());
    QFile file(QDir(dir.path()).filePath("factors.csv"));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(qint64(65) << 20));
    file.close();
    try {
        vae::loadDataset(settingsFor(dir.path()));
        QFAIL("read a 65 MB table");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).endsWith("factors.csv: is 65 MB; a factors table may have at most 64 MB"), error.what());
    }
}

QTEST_GUILESS_MAIN(TestFactorsCsv)
#include "tst_factorscsv.moc"
