// Faults as tests: SIGKILL during checkpoint writes, a full disk and a read-only folder for
// checkpoints, CSV, PNG and the CLI's outputs.
#include "errors.h"
#include "fault_injection.h"
#include "file_export.h"
#include "fixtures.h"
#include "session.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>


namespace {

// 4x4 images and 4 units: a checkpoint small enough to fit the 256 KiB "full" disk.
vae::ModelConfig tinyModel() { return fixtures::tinyModel(4, {4}); }

QStringList leftovers(const QString& folder) {
    return QDir(folder).entryList(QDir::Files | QDir::Hidden);
}

}  // namespace

class TestFaults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void killDuringCheckpointWrites();
    void checkpointOnFullDisk();
    void exportsOnFullDisk_data();
    void exportsOnFullDisk();
    void readOnlyFolder();
    void cliOnFullDisk();

private:
    QTemporaryDir dir_;
    QString full_;  // the folder that fills up or turns unwritable (fault_injection.h)
};



void TestFaults::initTestCase() {
    full_ = dir_.filePath("full");
    QDir().mkpath(full_);
}

void TestFaults::cleanupTestCase() {}

void TestFaults::killDuringCheckpointWrites() {
    const QString path = dir_.filePath("killed.pt");
    vae::Session(tinyModel(), "cpu", 1).saveCheckpoint(path.toStdString());
    int midWrite = 0;
    const int kills = 60;
    for (int i = 0; i < kills; ++i) {
        QProcess writer;
        writer.start(CHECKPOINT_WRITER, {path});
        QVERIFY(writer.waitForReadyRead(30000));  // "ready": the model exists, saving starts now
        // The fault: SIGKILL at a random moment within the next few saves.
        QTest::qSleep(int(QRandomGenerator::global()->bounded(300)));
        writer.kill();
        QVERIFY(writer.waitForFinished(10000));
        // Whatever moment it died, the checkpoint in place loads intact.
        try {
            const auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
            QVERIFY(loaded.config().inputDim() == 16 || loaded.config().encoderHidden.size() == 2);
        } catch (const std::exception& error) {
            QFAIL(qPrintable(QString("after kill %1: %2").arg(i).arg(error.what())));
        }
        const auto temps = QDir(dir_.path()).entryList({"killed.pt.tmp-*"});
        midWrite += temps.isEmpty() ? 0 : 1;
        for (const QString& temp : temps) QFile::remove(dir_.filePath(temp));
    }
    qInfo("%d of %d kills landed in the middle of a write", midWrite, kills);
    QVERIFY2(midWrite >= kills / 10, "too few kills hit a write in progress to prove anything");
}

void TestFaults::checkpointOnFullDisk() {
    const QString path = QDir(full_).filePath("model.pt");
    const fixtures::FullDisk disk(full_, 256 * 1024);
    vae::Session(tinyModel(), "cpu", 1).saveCheckpoint(path.toStdString());  // fits
    vae::ModelConfig big;
    big.encoderHidden = {256};
    big.decoderHidden = {256};
    try {
        vae::Session(big, "cpu", 1).saveCheckpoint(path.toStdString());  // ~2.5 MB: does not fit
        QFAIL("a checkpoint larger than the disk was 'saved'");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).startsWith(path + ": cannot write (" + disk.reason() + ")"), error.what());
    }
    QCOMPARE(vae::Session::fromCheckpoint(path.toStdString(), "cpu").config(), tinyModel());  // the old one
    QCOMPARE(leftovers(full_), QStringList{"model.pt"});
    QFile::remove(path);
}

void TestFaults::exportsOnFullDisk_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("csv") << "csv";
    QTest::newRow("png") << "png";
}

void TestFaults::exportsOnFullDisk() {
    QFETCH(QString, kind);
    const fixtures::FullDisk disk(full_, 256 * 1024);
    const QString path = QDir(full_).filePath("export." + kind);
    QString error;
    if (kind == "csv") {
        std::vector<vae::EpochMetrics> epochs(6000);
        error = vae::writeFileAtomically(path, vae::metricsCsv(epochs));
    } else {
        QImage noise(800, 800, QImage::Format_RGB32);
        for (int y = 0; y < noise.height(); ++y)
            for (int x = 0; x < noise.width(); ++x) noise.setPixel(x, y, QRandomGenerator::global()->generate());
        error = vae::saveImageAtomically(path, noise);
    }
    QVERIFY2(error.startsWith(path + ": cannot write"), qPrintable(error));
    QVERIFY(!error.contains('\n'));
    QVERIFY2(leftovers(full_).isEmpty(), qPrintable(leftovers(full_).join(", ")));
}

void TestFaults::readOnlyFolder() {
    {
        const fixtures::UnwritableFolder unwritable(full_);
        QVERIFY(unwritable.ok());
        const QString path = QDir(full_).filePath("model.pt");
        QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::Session(tinyModel(), "cpu", 1).saveCheckpoint(path.toStdString()));
        QVERIFY(vae::writeFileAtomically(QDir(full_).filePath("m.csv"), "a,b\n").contains("cannot write"));
    }
    QVERIFY(leftovers(full_).isEmpty());
}

void TestFaults::cliOnFullDisk() {
    const QString data = dir_.filePath("data");
    fixtures::writeIdxDataset(data, 128, 32, 8, false);
    const fixtures::FullDisk disk(full_, 256 * 1024);
    QProcess cli;
    // A 1000-wide model's checkpoint (~12 MB) cannot fit on the 256 KiB disk.
    cli.start(VAE_EXPLORER_EXE, {"train", "--dataset", data, "--out", full_, "--epochs", "1", "--hidden", "1000",
                                 "--threads", "1", "--quiet"});  // stderr: the error alone
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 1);
    const QString error = QString::fromLocal8Bit(cli.readAllStandardError()).trimmed();
    QVERIFY2(error.startsWith("vae-explorer train: " + full_) && error.contains(disk.reason()), qPrintable(error));
    QVERIFY(!error.contains('\n'));
    // run.json and metrics.csv (small) may stand, complete; no checkpoint and no temporary file may.
    for (const QString& name : leftovers(full_)) QVERIFY2(name == "metrics.csv" || name == "run.json", qPrintable(name));
    for (const QString& name : leftovers(full_)) QFile::remove(QDir(full_).filePath(name));
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
