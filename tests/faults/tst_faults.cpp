// Faults as tests: SIGKILL during checkpoint writes, a full disk and a read-only folder for
// checkpoints, CSV, PNG and the CLI's outputs.
#include "errors.h"
#include "file_export.h"
#include "fixtures.h"
#include "session.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/mount.h>
#include <sys/resource.h>

#include <csignal>

namespace {

vae::ModelConfig tinyModel() {
    vae::ModelConfig config;
    config.imageRows = config.imageCols = 4;
    config.encoderHidden = {4};
    config.decoderHidden = {4};
    return config;
}

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
    QString full_;  // a 256 KiB tmpfs (root), else a folder where the full disk is a file-size limit
    bool mounted_ = false;
};

namespace {

// A full disk for every user. Root mounts a 256 KiB tmpfs; anyone else gets the same fault from
// the kernel through RLIMIT_FSIZE for as long as this lives: a write past 256 KiB fails (EFBIG,
// with SIGXFSZ ignored), in this process and in the processes it starts.
class FullDisk {
public:
    explicit FullDisk(bool mounted) : limited_(!mounted) {
        if (!limited_) return;
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        previousHandler_ = std::signal(SIGXFSZ, SIG_IGN);
        const rlimit small{256 * 1024, saved_.rlim_max};
        ::setrlimit(RLIMIT_FSIZE, &small);
    }
    ~FullDisk() {
        if (!limited_) return;
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previousHandler_);
    }
    FullDisk(const FullDisk&) = delete;
    FullDisk& operator=(const FullDisk&) = delete;
    // What the failed write reports.
    QString reason() const { return limited_ ? "File too large" : "No space left on device"; }

private:
    bool limited_;
    rlimit saved_{};
    void (*previousHandler_)(int) = SIG_DFL;
};

// An unwritable folder for every user: root remounts the tmpfs read-only (permissions do not stop
// root); anyone else loses the folder's write permission.
class UnwritableFolder {
public:
    UnwritableFolder(const QString& folder, bool mounted) : folder_(folder), mounted_(mounted) {
        ok_ = mounted_ ? ::mount("tmpfs", folder_.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT | MS_RDONLY,
                                 "size=256k") == 0
                       : QFile::setPermissions(folder_, QFile::ReadOwner | QFile::ExeOwner);
    }
    ~UnwritableFolder() {
        if (mounted_) ::mount("tmpfs", folder_.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT, "size=256k");
        else QFile::setPermissions(folder_, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    bool ok() const { return ok_; }

private:
    QString folder_;
    bool mounted_;
    bool ok_ = false;
};

}  // namespace

void TestFaults::initTestCase() {
    full_ = dir_.filePath("full");
    QDir().mkpath(full_);
    mounted_ = ::mount("tmpfs", full_.toLocal8Bit().constData(), "tmpfs", 0, "size=256k") == 0;
}

void TestFaults::cleanupTestCase() {
    if (mounted_) ::umount(full_.toLocal8Bit().constData());
}

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
    const FullDisk disk(mounted_);
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
    const FullDisk disk(mounted_);
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
        const UnwritableFolder unwritable(full_, mounted_);
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
    const FullDisk disk(mounted_);
    QProcess cli;
    // A 1000-wide model's checkpoint (~12 MB) cannot fit on the 256 KiB disk.
    cli.start(VAE_EXPLORER_EXE, {"train", "--dataset", data, "--out", full_, "--epochs", "1", "--hidden", "1000",
                                 "--threads", "1"});
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
