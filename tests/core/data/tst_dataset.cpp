// Dataset folders: the four standard files, raw or gz, consistency between them, real MNIST.
#include "dataset.h"
#include "errors.h"
#include "fixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestDataset : public QObject {
    Q_OBJECT
private slots:
    void loadsFolder_data();
    void loadsFolder();
    void rejectsInconsistentLabels();
    void checksTheHeaderBeforeInflating();
    void rejectsUnknownName();
    void loadsRealMnist();
    void loadsRealFashionMnist();
};

void TestDataset::loadsFolder_data() {
    QTest::addColumn<bool>("gz");
    QTest::newRow("raw") << false;
    QTest::newRow("gz") << true;
}

void TestDataset::loadsFolder() {
    QFETCH(bool, gz);
    QTemporaryDir dir;
    fixtures::writeIdxDataset(dir.path(), 40, 10, 8, gz);
    const auto data = vae::ImageDataset::load(dir.path().toStdString());
    QCOMPARE(data.trainCount(), 40);
    QCOMPARE(data.testCount(), 10);
    QCOMPARE(data.rows(), 8);
    const auto expected = fixtures::syntheticImages(10, 8, 8, 22);
    const auto loaded = data.testImages(0, 10);
    for (std::size_t i = 0; i < expected.values.size(); ++i)
        QVERIFY(std::abs(loaded.values[i] - expected.values[i]) <= 0.5f / 255 + 1e-6f);
}

void TestDataset::rejectsInconsistentLabels() {
    QTemporaryDir dir;
    fixtures::writeIdxDataset(dir.path(), 40, 10, 8, false);
    fixtures::writeFile(dir.filePath("t10k-labels-idx1-ubyte"), fixtures::idxLabelsBytes(QByteArray(9, '\1')));
    try {
        vae::ImageDataset::load(dir.path().toStdString());
        QFAIL("loaded mismatched labels");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("header declares 10 images but") &&
                     QString(error.what()).contains("has 9 labels"), error.what());
    }
    QFile::remove(dir.filePath("t10k-labels-idx1-ubyte"));
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::ImageDataset::load(dir.path().toStdString()));
}

// Issue 22, defect 6: a gzipped images file whose header claims far more images than the labels
// file has is refused at its header, before its 200 MB of zeros are inflated.
void TestDataset::checksTheHeaderBeforeInflating() {
    QTemporaryDir dir;
    fixtures::writeIdxDataset(dir.path(), 40, 10, 8, false);
    const quint32 claimed = 200000;  // 200,000 images of 32x32: 205 MB inflated, 200 KB gzipped
    fixtures::writeFile(dir.filePath("train-images-idx3-ubyte.gz"),
                        fixtures::gzip(fixtures::idxImagesBytes(claimed, 32, 32, QByteArray(qsizetype(claimed) * 32 * 32, '\0'))));
    QFile::remove(dir.filePath("train-images-idx3-ubyte"));  // the .gz beside it is the one read
    const qint64 before = fixtures::resetPeakResidentKb();
    try {
        vae::ImageDataset::load(dir.path().toStdString());
        QFAIL("loaded 200,000 images against 40 labels");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("header declares 200000 images but") &&
                     QString(error.what()).contains("has 40 labels"), error.what());
    }
    if (before < 0) QSKIP("/proc/self/clear_refs cannot reset the peak here: the memory bound is not checked");
    QVERIFY2(fixtures::peakResidentKb() - before < 100 * 1024, "the images were inflated first");
}

void TestDataset::rejectsUnknownName() {
    try {
        vae::ImageDataset::load("cifar");
        QFAIL("accepted an unknown dataset name");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("unknown dataset 'cifar'"), error.what());
    }
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::ImageDataset::load("/nonexistent/folder"));
}

void TestDataset::loadsRealMnist() {
    if (!QFile::exists(QString::fromStdString(vae::mnistFolder()) + "/train-images-idx3-ubyte"))
        QSKIP("MNIST not fetched (scripts/fetch-mnist.sh)");
    const auto mnist = vae::ImageDataset::load("mnist");
    QCOMPARE(mnist.trainCount(), 60000);
    QCOMPARE(mnist.testCount(), 10000);
    QCOMPARE(mnist.rows(), 28);
}

void TestDataset::loadsRealFashionMnist() {
    if (!QFile::exists(QString::fromStdString(vae::fashionMnistFolder())))
        QSKIP("dataset-fashion-mnist not installed");
    const auto fashion = vae::ImageDataset::load("fashion-mnist");
    QCOMPARE(fashion.trainCount(), 60000);
    QCOMPARE(fashion.testCount(), 10000);
    QCOMPARE(fashion.cols(), 28);
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
