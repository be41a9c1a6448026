// IDX reader: good and bad files, raw and gzipped.
#include "errors.h"
#include "fixtures.h"
#include "idx_reader.h"

#include <QTemporaryDir>
#include <QtTest>

class TestIdxReader : public QObject {
    Q_OBJECT
private slots:
    void readsImages_data();
    void readsImages();
    void labelsMustMatchDeclaredCount();
    void missingFileNamesIt();

private:
    QTemporaryDir dir_;
};

void TestIdxReader::readsImages_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expectedError");  // empty: must load

    const QByteArray pixels(3 * 4 * 5, '\x7f');
    const QByteArray good = fixtures::idxImagesBytes(3, 4, 5, pixels);
    QTest::newRow("good raw") << good << QString();
    QTest::newRow("good gz") << fixtures::gzip(good) << QString();
    QByteArray wrongMagic = good;
    wrongMagic[3] = '\x01';
    QTest::newRow("wrong magic") << wrongMagic << "wrong magic number";
    QTest::newRow("truncated data") << good.left(good.size() - 7) << "truncated";
    QTest::newRow("truncated header") << good.left(10) << "truncated IDX header";
    QTest::newRow("count mismatch (extra data)") << good + QByteArray(20, '\0') << "size mismatch";
    QTest::newRow("absurd header: 2^31 images") << fixtures::idxImagesBytes(0x80000000u, 28, 28, pixels) << "truncated";
    QTest::newRow("absurd image size") << fixtures::idxImagesBytes(1, 100000, 100000, pixels) << "implausible image size";
    QTest::newRow("zero images") << fixtures::idxImagesBytes(0, 4, 5, {}) << "zero images";
    QByteArray corruptGz = fixtures::gzip(good);
    for (int i = 12; i < corruptGz.size() - 8; ++i) corruptGz[i] = char(corruptGz[i] ^ 0x5a);
    QTest::newRow("corrupt gz") << corruptGz << "gzip";
    QTest::newRow("truncated gz") << fixtures::gzip(good).left(20) << "gzip";
    QTest::newRow("empty file") << QByteArray() << "too short";
    // A gzipped file is inflated only as far as its header declares, and must end there.
    QTest::newRow("gz extra data") << fixtures::gzip(good + QByteArray(20, '\0')) << "size mismatch";
    QTest::newRow("gz truncated data") << fixtures::gzip(good.left(good.size() - 7)) << "truncated";
    QTest::newRow("gz absurd header") << fixtures::gzip(fixtures::idxImagesBytes(0xffffffffu, 4096, 4096, pixels))
                                      << "more than the 2147483648";
    // 100 MB of zeros compress to 100 KB; the reader stops after the 60 bytes the header declares.
    QTest::newRow("gz bomb") << fixtures::gzip(good + QByteArray(100 << 20, '\0')) << "size mismatch";
    QTest::newRow("gz truncated header") << fixtures::gzip(good.left(10)) << "truncated IDX header";
}

void TestIdxReader::readsImages() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expectedError);
    const QString path = dir_.filePath(QString("images-%1").arg(QTest::currentDataTag()).replace(' ', '_'));
    fixtures::writeFile(path, bytes);
    try {
        const auto images = vae::readIdxImages(path.toStdString());
        QVERIFY2(expectedError.isEmpty(), "loaded a file that should have been rejected");
        QCOMPARE(images.count, 3u);
        QCOMPARE(images.rows, 4u);
        QCOMPARE(images.cols, 5u);
        QCOMPARE(images.pixels.size(), std::size_t(60));
        QCOMPARE(int(images.pixels[59]), 0x7f);
    } catch (const vae::DataError& error) {
        const QString message = error.what();
        QVERIFY2(!expectedError.isEmpty(), qPrintable("unexpected error: " + message));
        QVERIFY2(message.contains(expectedError), qPrintable(message));
        QVERIFY2(message.startsWith(path), qPrintable("error must name the file: " + message));
        QVERIFY2(!message.contains('\n'), "error must be one line");
    }
}

void TestIdxReader::labelsMustMatchDeclaredCount() {
    const QString path = dir_.filePath("labels");
    fixtures::writeFile(path, fixtures::idxLabelsBytes("\1\2\3"));
    QCOMPARE(vae::readIdxLabels(path.toStdString()).labels.size(), std::size_t(3));
    fixtures::writeFile(path, fixtures::idxLabelsBytes("\1\2\3").left(10));
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::readIdxLabels(path.toStdString()));
}

void TestIdxReader::missingFileNamesIt() {
    try {
        vae::readIdxImages("/nonexistent/train-images-idx3-ubyte");
        QFAIL("no error for a missing file");
    } catch (const vae::DataError& error) {
        QVERIFY(QString(error.what()).startsWith("/nonexistent/train-images-idx3-ubyte: cannot open"));
    }
}

QTEST_GUILESS_MAIN(TestIdxReader)
#include "tst_idxreader.moc"
