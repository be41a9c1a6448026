// The loss history export: a model's epochs and its training curve, atomically, beside each other.
#include "file_export.h"
#include "run_folder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

#include <csignal>

class TestFileExport : public QObject {
    Q_OBJECT
private slots:
    void lossHistoryWritesEpochsAndCurve();
    void aWriteThatCannotFinishLeavesNoFile();
    void aRunFolderUpdateNotCommittedLeavesNoFolder();
};

void TestFileExport::lossHistoryWritesEpochsAndCurve() {
    vae::TrainingHistory history;
    history.epochs.push_back({1, 469, {160.5, 150.25, 10.25}, {158.0, 148.0, 10.0}, 3.5, 17142.9});
    history.addStep({10, 1, {300.0, 299.5, 0.5}, 15000.0});
    history.addStep({20, 1, {250.0, 245.0, 5.0}, 15500.0});
    QTemporaryDir dir;
    const QString path = dir.filePath("history.csv");
    QCOMPARE(vae::writeLossHistory(path, history), QString());
    QFile epochs(path), curve(dir.filePath("history-steps.csv"));
    QVERIFY(epochs.open(QIODevice::ReadOnly) && curve.open(QIODevice::ReadOnly));
    QCOMPARE(epochs.readAll(), vae::metricsCsvHeader() + "1,160.5000,150.2500,10.2500,158.0000,148.0000,10.0000,3.500,17142.9\n");
    QCOMPARE(curve.readAll(), QByteArray("step,epoch,train_loss,train_recon,train_kl,images_per_second\n"
                                         "10,1,300.0000,299.5000,0.5000,15000.0\n20,1,250.0000,245.0000,5.0000,15500.0\n"));
    // A folder that does not exist: one line naming the file, nothing written.
    const QString error = vae::writeLossHistory("/nonexistent/history.csv", history);
    QVERIFY2(error.startsWith("/nonexistent/history.csv: cannot write"), qPrintable(error));
}

// A disk that fills while the buffered bytes are flushed: before, QSaveFile's commit() ignored
// the failed flush, so `encode` said "wrote" and left an empty CSV. A file-size limit makes the
// same failure here (EFBIG where a full disk gives ENOSPC).
void TestFileExport::aWriteThatCannotFinishLeavesNoFile() {
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("encodings.csv");
    rlimit before{};
    ::getrlimit(RLIMIT_FSIZE, &before);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = before;
    small.rlim_cur = 64;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    const QString error = vae::writeFileAtomically(path, QByteArray(1000, 'x'));
    ::setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, previousHandler);
    QVERIFY2(error.startsWith(path + ": cannot write (") && !error.contains("Unknown error"), qPrintable(error));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());  // no temporary left
}

// A fresh run whose first epoch's files could not all be written (a full disk) left its new,
// nearly empty folder behind; the folders an update made go again unless it commits. A folder
// that already existed, or holds anything else, stays.
void TestFileExport::aRunFolderUpdateNotCommittedLeavesNoFolder() {
    QTemporaryDir dir;
    const QString fresh = QDir(dir.path()).filePath("runs/today/run1");
    {
        vae::RunFolderUpdate update(fresh);
        QCOMPARE(update.stage("run.json", "{}"), QString());
        QVERIFY(QFileInfo(fresh).isDir());
    }
    QVERIFY(!QFileInfo::exists(QDir(dir.path()).filePath("runs")));
    QVERIFY(QDir().mkpath(QDir(dir.path()).filePath("kept/other")));
    const QString besideOther = QDir(dir.path()).filePath("kept/new");
    {
        vae::RunFolderUpdate update(besideOther);
        QCOMPARE(update.stage("run.json", "{}"), QString());
    }
    QVERIFY(!QFileInfo::exists(besideOther));
    QVERIFY(QFileInfo(QDir(dir.path()).filePath("kept/other")).isDir());
    {
        vae::RunFolderUpdate update(fresh);
        QCOMPARE(update.stage("run.json", "{}"), QString());
        QCOMPARE(update.commit(), QString());
    }
    QVERIFY(QFile::exists(QDir(fresh).filePath("run.json")));
}

QTEST_GUILESS_MAIN(TestFileExport)
#include "tst_fileexport.moc"
