// `vae-explorer train`, `encode` and `eval` end to end through the real executable: outputs,
// exit codes, messages.
#include "fixtures.h"
#include "session.h"

#include <QDir>
#include <QImage>
#include <QImageReader>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QThread>
#include <QtTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <vector>

namespace {

struct Run {
    int exitCode = -1;  // -1: killed by a signal or the timeout
    QString out;
    QString err;
    long peakResidentKb = 0;  // of the CLI process alone, as the kernel counted it
};

// Runs `vae-explorer COMMAND ARGUMENTS` (fork, exec, wait4: QProcess cannot report a child's
// peak memory), ending it by its PID after two minutes.
Run runCommand(const QByteArray& command, const QStringList& arguments) {
    QTemporaryFile out, err;
    if (!out.open() || !err.open()) return {};
    std::vector<QByteArray> words{QByteArray(VAE_EXPLORER_EXE), command};
    for (const QString& argument : arguments) words.push_back(argument.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(out.handle(), STDOUT_FILENO);
        ::dup2(err.handle(), STDERR_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    Run run;
    int status = 0;
    rusage usage{};
    QElapsedTimer clock;
    clock.start();
    while (::wait4(child, &status, WNOHANG, &usage) == 0) {
        if (clock.elapsed() > 120000) {
            ::kill(child, SIGKILL);
            ::wait4(child, &status, 0, &usage);
            break;
        }
        QThread::msleep(5);
    }
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peakResidentKb = usage.ru_maxrss;
    // The child wrote through the same open files, so they stand at its end: read from the start.
    out.seek(0);
    err.seek(0);
    run.out = QString::fromLocal8Bit(out.readAll());
    run.err = QString::fromLocal8Bit(err.readAll());
    return run;
}

Run runCli(const QStringList& arguments) { return runCommand("train", arguments); }

}  // namespace

class TestTrainCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trainsAndWritesOutputs();
    void resumesFromCheckpoint();
    void resumeAppendsToMetrics();
    void runFileRepeatsTheRun();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void hostileCheckpointsAreRefusedCheaply_data();
    void hostileCheckpointsAreRefusedCheaply();
    void encodeWritesTheEncoderMeans();
    void evalPrintsOneFigurePerLine();
    void modelCommandsRejectBadPairs_data();
    void modelCommandsRejectBadPairs();
    void interpolateWritesStripsAndGifs();
    void timelineGifReplaysTheRun();
    void epochImagesStayWithinTheirSize();
    void helpIsAnAnswerAndOptionsComeFirst();
    void aFailedRunLeavesTheFolderAsItWas();

private:
    QString trainedCheckpoint();  // a 3-D model on data_, trained once
    QTemporaryDir dir_;
    QString data_;
};

void TestTrainCli::initTestCase() {
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 256, 64, 8, true);
}

void TestTrainCli::trainsAndWritesOutputs() {
    const QString out = dir_.filePath("run");
    const auto run = runCli({"--dataset", data_, "--out", out, "--epochs", "2", "--hidden", "32", "--batch-size", "32",
                             "--threads", "1"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains("BLAS"), qPrintable(run.out));  // the backend is reported at start
    QCOMPARE(run.out.count(QRegularExpression("^epoch \\d/2 ", QRegularExpression::MultilineOption)), 2);
    QFile csv(QDir(out).filePath("metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto lines = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.value(0), QString("epoch,train_loss,train_recon,train_kl,test_loss,test_recon,test_kl,"
                                     "epoch_seconds,images_per_second"));
    QCOMPARE(lines.size(), 3);
    const auto fields = lines[2].split(',');
    QCOMPARE(fields.size(), 9);
    QCOMPARE(fields[0], QString("2"));
    QVERIFY(std::abs(fields[4].toDouble() - fields[5].toDouble() - fields[6].toDouble()) < 1e-3);
    QVERIFY(QFileInfo(QDir(out).filePath("checkpoint.pt")).size() > 0);
    const QImage grid(QDir(out).filePath("latent_grid.png"));
    QCOMPARE(grid.size(), QSize(20 * 8, 20 * 8));
    QVERIFY(!QImage(QDir(out).filePath("samples.png")).isNull());
    QVERIFY(!QImage(QDir(out).filePath("reconstructions.png")).isNull());
}

void TestTrainCli::resumesFromCheckpoint() {
    const QString first = dir_.filePath("first"), second = dir_.filePath("second");
    QCOMPARE(runCli({"--dataset", data_, "--out", first, "--epochs", "1", "--hidden", "16", "--threads", "1"}).exitCode, 0);
    const auto run = runCli({"--dataset", data_, "--out", second, "--epochs", "1", "--threads", "1", "--resume",
                             QDir(first).filePath("checkpoint.pt")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains("epoch 2/2"), qPrintable(run.out));
    const auto mismatch = runCli({"--dataset", data_, "--out", second, "--latent-dim", "5", "--resume",
                                  QDir(first).filePath("checkpoint.pt")});
    QCOMPARE(mismatch.exitCode, 2);
    QVERIFY(mismatch.err.contains("--resume:"));
    // Without --dataset: the checkpoint's data.
    const auto alone = runCli({"--out", dir_.filePath("third"), "--epochs", "1", "--threads", "1", "--resume",
                               QDir(first).filePath("checkpoint.pt")});
    QVERIFY2(alone.exitCode == 0 && alone.out.contains("epoch 2/2"), qPrintable(alone.err + alone.out));
    // Other data (here 160 images, not 320) is refused, naming both, and the folder is untouched.
    const QString other = dir_.filePath("other-data");
    fixtures::writeIdxDataset(other, 128, 32, 8, true);
    const auto runFile = [&first] {
        QFile file(QDir(first).filePath("run.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QByteArray runFileBefore = runFile();
    const auto otherData = runCli({"--dataset", other, "--out", first, "--epochs", "1", "--threads", "1", "--resume",
                                   QDir(first).filePath("checkpoint.pt")});
    QCOMPARE(otherData.exitCode, 2);
    QVERIFY2(otherData.err.contains("was trained on '" + data_ + "' (320 images of 8x8") &&
                 otherData.err.contains("not on '" + other + "' (160 images of 8x8"),
             qPrintable(otherData.err));
    QCOMPARE(runFile(), runFileBefore);
}

// Resuming into the same folder keeps the earlier epochs in metrics.csv: the checkpoint carries them.
void TestTrainCli::resumeAppendsToMetrics() {
    const QString out = dir_.filePath("resumed");
    auto metricsRows = [&out] {
        QFile csv(QDir(out).filePath("metrics.csv"));
        return csv.open(QIODevice::ReadOnly) ? QString(csv.readAll()).trimmed().split('\n') : QStringList();
    };
    QCOMPARE(runCli({"--dataset", data_, "--out", out, "--epochs", "2", "--hidden", "16", "--threads", "1"}).exitCode, 0);
    const QStringList before = metricsRows();
    QCOMPARE(before.size(), 3);
    const auto run = runCli({"--dataset", data_, "--out", out, "--epochs", "2", "--threads", "1", "--resume",
                             QDir(out).filePath("checkpoint.pt")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QStringList after = metricsRows();
    QCOMPARE(after.size(), 5);
    QCOMPARE(after.mid(0, 3), before);  // rows 1 and 2 exactly as they were
    QVERIFY(after[3].startsWith("3,") && after[4].startsWith("4,"));
}

// run.json holds every setting: a run repeated from it gives the same losses to the last digit.
void TestTrainCli::runFileRepeatsTheRun() {
    const QString first = dir_.filePath("first-run"), again = dir_.filePath("again");
    QCOMPARE(runCli({"--dataset", data_, "--out", first, "--epochs", "2", "--hidden", "24,12", "--batch-size", "16",
                     "--lr", "0.002", "--seed", "7", "--threads", "1"}).exitCode, 0);
    const auto repeat = runCli({"--config", QDir(first).filePath("run.json"), "--out", again});
    QVERIFY2(repeat.exitCode == 0, qPrintable(repeat.err));
    auto losses = [](const QString& folder) {
        QFile csv(QDir(folder).filePath("metrics.csv"));
        QStringList rows;
        if (csv.open(QIODevice::ReadOnly))
            for (const QString& row : QString(csv.readAll()).trimmed().split('\n'))
                rows << row.section(',', 0, 6);  // epoch and the six losses, not the timings
        return rows;
    };
    QCOMPARE(losses(again).size(), 3);
    QCOMPARE(losses(again), losses(first));
    // A conv model with its lr schedule and a beta change repeats too, and resumes.
    const QString conv = dir_.filePath("conv-run"), convAgain = dir_.filePath("conv-again");
    const auto convRun = runCli({"--dataset", data_, "--out", conv, "--epochs", "2", "--arch", "conv", "--conv-channels", "4,8",
                                 "--hidden", "16", "--activation", "tanh", "--lr-decay", "0.5", "--beta-changes", "5:0.5",
                                 "--threads", "1"});
    QVERIFY2(convRun.exitCode == 0, qPrintable(convRun.err));
    QVERIFY2(convRun.out.contains("model conv 4,8 64-16-2-16-64 bernoulli tanh"), qPrintable(convRun.out));
    QCOMPARE(runCli({"--config", QDir(conv).filePath("run.json"), "--out", convAgain}).exitCode, 0);
    QCOMPARE(losses(convAgain), losses(conv));
    const auto resumed = runCli({"--dataset", data_, "--out", dir_.filePath("conv-resumed"), "--epochs", "1", "--threads", "1",
                                 "--resume", QDir(conv).filePath("checkpoint.pt")});
    QVERIFY2(resumed.exitCode == 0 && resumed.out.contains("epoch 3/3"), qPrintable(resumed.err + resumed.out));
    // An explicit flag overrides the file.
    const auto longer = runCli({"--config", QDir(first).filePath("run.json"), "--out", dir_.filePath("longer"),
                                "--epochs", "3"});
    QCOMPARE(longer.exitCode, 0);
    QCOMPARE(losses(dir_.filePath("longer")).mid(0, 3), losses(first));
    QCOMPARE(losses(dir_.filePath("longer")).size(), 4);
}

void TestTrainCli::rejectsBadInput_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString data = "DATA";  // replaced by the fixture folder
    QTest::newRow("empty dataset") << QStringList{"--dataset", "", "--out", "OUT"} << 2 << "--dataset: is empty";
    QTest::newRow("unknown dataset") << QStringList{"--dataset", "cifar", "--out", "OUT"} << 1 << "unknown dataset 'cifar'";
    QTest::newRow("missing folder") << QStringList{"--dataset", "/nonexistent/data", "--out", "OUT"} << 1 << "no such folder";
    QTest::newRow("latent 0") << QStringList{"--dataset", data, "--out", "OUT", "--latent-dim", "0"} << 2 << "--latent-dim: 0 is outside";
    QTest::newRow("batch 0") << QStringList{"--dataset", data, "--out", "OUT", "--batch-size", "0"} << 2 << "--batch-size: 0 is outside";
    QTest::newRow("negative lr") << QStringList{"--dataset", data, "--out", "OUT", "--lr", "-0.1"} << 2 << "--lr: -0.1 must be positive";
    QTest::newRow("epochs abc") << QStringList{"--dataset", data, "--out", "OUT", "--epochs", "abc"} << 2 << "--epochs: 'abc' is not a whole number";
    QTest::newRow("hidden 0") << QStringList{"--dataset", data, "--out", "OUT", "--hidden", "400,0"} << 2 << "--hidden: 0 is outside";
    QTest::newRow("huge latent") << QStringList{"--dataset", data, "--out", "OUT", "--latent-dim", "100000"} << 2 << "--latent-dim";
    QTest::newRow("bad likelihood") << QStringList{"--dataset", data, "--out", "OUT", "--likelihood", "poisson"} << 2 << "--likelihood";
    QTest::newRow("bad arch") << QStringList{"--dataset", data, "--out", "OUT", "--arch", "rnn"} << 2 << "--arch: 'rnn' is not mlp or conv";
    QTest::newRow("bad activation") << QStringList{"--dataset", data, "--out", "OUT", "--activation", "gelu"} << 2 << "--activation: 'gelu'";
    QTest::newRow("conv too deep") << QStringList{"--dataset", data, "--out", "OUT", "--arch", "conv", "--conv-channels", "4,4,4,4"} << 2
                                   << "--conv-channels: a conv model's 4 convolutions, each halving the image, leave nothing of 8x8 images";
    QTest::newRow("growing lr") << QStringList{"--dataset", data, "--out", "OUT", "--lr-decay", "2"} << 2 << "--lr-decay: 2 is more than 1";
    QTest::newRow("beta changes out of order") << QStringList{"--dataset", data, "--out", "OUT", "--beta-changes", "50:1,10:2"} << 2
                                               << "--beta-changes: steps must rise (10 after 50)";
    QTest::newRow("bad preset") << QStringList{"--dataset", data, "--out", "OUT", "--preset", "keras"} << 2 << "unknown preset 'keras'";
    QTest::newRow("bad device") << QStringList{"--dataset", data, "--out", "OUT", "--device", "tpu"} << 2 << "--device: 'tpu'";
    QTest::newRow("cuda on cpu build") << QStringList{"--dataset", data, "--out", "OUT", "--device", "cuda"} << 2 << "--device cuda:";
    QTest::newRow("threads beyond the cores") << QStringList{"--dataset", data, "--out", "OUT", "--threads", "1000"} << 2
                                             << "--threads: 1000 is more than the";
    QTest::newRow("missing run file") << QStringList{"--config", "/nonexistent/run.json", "--out", "OUT"} << 2
                                      << "/nonexistent/run.json: cannot open";
    QTest::newRow("unknown option") << QStringList{"--dataset", data, "--out", "OUT", "--frobnicate"} << 2 << "Unknown option";
    QTest::newRow("unwritable out") << QStringList{"--dataset", data, "--out", "/proc/vae-out"} << 2 << "--out:";
    QTest::newRow("corrupt idx") << QStringList{"--dataset", "CORRUPT", "--out", "OUT"} << 1 << "wrong magic number";
    QTest::newRow("missing checkpoint") << QStringList{"--dataset", data, "--out", "OUT", "--resume", "/nonexistent.pt"} << 1 << "/nonexistent.pt: cannot open";
}

void TestTrainCli::rejectsBadInput() {
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString out = dir_.filePath(QString("bad-%1").arg(QTest::currentDataTag()).replace(' ', '_'));
    const QString corrupt = dir_.filePath("corrupt");
    if (!QDir(corrupt).exists()) {
        fixtures::writeIdxDataset(corrupt, 16, 16, 8, false);
        fixtures::writeFile(QDir(corrupt).filePath("t10k-images-idx3-ubyte"), QByteArray(64, '\x42'));
    }
    arguments.replaceInStrings(QRegularExpression("^DATA$"), data_);
    arguments.replaceInStrings(QRegularExpression("^CORRUPT$"), corrupt);
    arguments.replaceInStrings(QRegularExpression("^OUT$"), out);
    const auto run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    const QString error = run.err.trimmed();
    QVERIFY2(error.startsWith("vae-explorer train: ") && error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable("not one line: " + error));
    QVERIFY2(!QDir(out).exists() || QDir(out).isEmpty(), "bad input left files behind");
}

void TestTrainCli::hostileCheckpointsAreRefusedCheaply_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("4 GB string") << "checkpoint-4gb-allocation.pt";
    QTest::newRow("unpickler crash") << "unpickler-segv.pt";
    if (!fixtures::kSanitizerBuild) QTest::newRow("2 GiB __setstate__") << "setstate-2gb.pt";
}

// Files that once made the loader crash or allocate gigabytes: one line, and no more peak memory
// than refusing 1 KB of junk (the CLI holds the dataset either way).
void TestTrainCli::hostileCheckpointsAreRefusedCheaply() {
    QFETCH(QString, file);
    const QString junk = dir_.filePath("junk.pt");
    fixtures::writeFile(junk, QByteArray(1024, 'j'));
    const QString path = QStringLiteral(VAE_REGRESSIONS_DIR "/") + file;
    const QString out = dir_.filePath("hostile");
    const auto junkRun = runCli({"--dataset", data_, "--out", out, "--resume", junk});
    const auto run = runCli({"--dataset", data_, "--out", out, "--resume", path});
    QCOMPARE(junkRun.exitCode, 1);
    QCOMPARE(run.exitCode, 1);
    const QString error = run.err.trimmed();
    QVERIFY2(error.startsWith("vae-explorer train: " + path + ": not a readable checkpoint"), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable(error));
    qInfo("%s: peak %ld KB (1 KB junk: %ld KB)", qPrintable(file), run.peakResidentKb, junkRun.peakResidentKb);
    QVERIFY(run.peakResidentKb < junkRun.peakResidentKb + 50 * 1024);
    QVERIFY2(!QDir(out).exists() || QDir(out).isEmpty(), "a refused checkpoint left files behind");
}

QString TestTrainCli::trainedCheckpoint() {
    const QString out = dir_.filePath("model3d");
    if (!QFile::exists(QDir(out).filePath("checkpoint.pt"))) {
        const auto run = runCli({"--dataset", data_, "--out", out, "--epochs", "1", "--hidden", "32", "--latent-dim", "3",
                                 "--batch-size", "32", "--threads", "1"});
        if (run.exitCode != 0) qWarning() << run.err;
    }
    return QDir(out).filePath("checkpoint.pt");
}

void TestTrainCli::encodeWritesTheEncoderMeans() {
    const QString checkpoint = trainedCheckpoint();
    const QString csvPath = dir_.filePath("encodings.csv");
    const auto run = runCommand("encode", {"--checkpoint", checkpoint, "--dataset", data_, "--out", csvPath});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains("wrote 64 encodings of 3 dimensions"), qPrintable(run.out));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto lines = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 64);
    QCOMPARE(lines[0], QString("index,label,mu_1,mu_2,mu_3,logvar_1,logvar_2,logvar_3"));
    // The same numbers as the core's encoder on the same checkpoint and data.
    auto session = vae::Session::fromCheckpoint(checkpoint.toStdString(), "cpu");
    const auto expected = session.encodeTestImages(vae::ImageDataset::load(data_.toStdString()));
    for (int i : {0, 17, 63}) {
        const auto fields = lines[1 + i].split(',');
        QCOMPARE(fields.size(), 8);
        QCOMPARE(fields[0].toInt(), i);
        QCOMPARE(fields[1].toInt(), i % 10);  // the fixture's labels
        for (int k = 0; k < 3; ++k) {
            QVERIFY(std::abs(fields[2 + k].toFloat() - expected.mu[std::size_t(i * 3 + k)]) < 1e-5f);
            QVERIFY(std::abs(fields[5 + k].toFloat() - expected.logvar[std::size_t(i * 3 + k)]) < 1e-5f);
        }
    }
    const auto some = runCommand("encode", {"--checkpoint", checkpoint, "--dataset", data_, "--out", csvPath, "--count", "10"});
    QVERIFY2(some.exitCode == 0, qPrintable(some.err));
    QFile rewritten(csvPath);  // a new file under the old name (written atomically)
    QVERIFY(rewritten.open(QIODevice::ReadOnly));
    QCOMPARE(QString(rewritten.readAll()).trimmed().split('\n').size(), 1 + 10);
}

void TestTrainCli::evalPrintsOneFigurePerLine() {
    const auto run = runCommand("eval", {"--checkpoint", trainedCheckpoint(), "--dataset", data_});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QHash<QString, double> figures;
    for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
        const auto words = line.split(' ');
        if (words.size() >= 2) figures[words[0]] = words[1].toDouble();
    }
    for (const char* name : {"test_neg_elbo", "test_recon", "test_kl", "kl_z1", "kl_z2", "kl_z3", "active_units"})
        QVERIFY2(figures.contains(name), qPrintable(QString("%1 missing from:\n%2").arg(name, run.out)));
    QVERIFY(std::abs(figures["test_neg_elbo"] - figures["test_recon"] - figures["test_kl"]) < 1e-3);
    // The per-dimension KLs add up to the test KL (both analytic, on the same means).
    QVERIFY(std::abs(figures["kl_z1"] + figures["kl_z2"] + figures["kl_z3"] - figures["test_kl"]) < 2e-3);
    QVERIFY(run.out.contains(QRegularExpression("^active_units [0-3] of 3$", QRegularExpression::MultilineOption)));

    // With --k, the importance-weighted -log p(x) of the first images, below the same samples' -ELBO.
    const auto weighted = runCommand("eval", {"--checkpoint", trainedCheckpoint(), "--dataset", data_, "--k", "50",
                                              "--images", "40", "--batch-size", "16"});
    QVERIFY2(weighted.exitCode == 0, qPrintable(weighted.err));
    QHash<QString, double> estimate;
    for (const QString& line : weighted.out.split('\n', Qt::SkipEmptyParts)) {
        const auto words = line.split(' ');
        if (words.size() >= 2) estimate[words[0]] = words[1].toDouble();
    }
    QVERIFY2(estimate.contains("test_neg_log_likelihood") && estimate.contains("test_neg_elbo_of_the_samples"),
             qPrintable(weighted.out));
    QVERIFY(estimate["test_neg_log_likelihood"] < estimate["test_neg_elbo_of_the_samples"]);
    QVERIFY(weighted.out.contains("importance_samples 50 per image, 40 images, seed 1"));
    QVERIFY2(weighted.err.contains("-log p(x): 40/40 images (100%)"), qPrintable(weighted.err));
    // In a log (stderr is a file here), whole lines at most every tenth, no carriage returns.
    QVERIFY2(!weighted.err.contains('\r') && weighted.err.count('\n') <= 11, qPrintable(weighted.err));
}

void TestTrainCli::modelCommandsRejectBadPairs_data() {
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString other = dir_.filePath("ten");
    fixtures::writeIdxDataset(other, 16, 16, 10, false);
    const QString checkpoint = trainedCheckpoint();
    QTest::newRow("image size") << QByteArray("eval") << QStringList{"--checkpoint", checkpoint, "--dataset", other} << 2
                                << "--dataset " + other + ": its images are 10x10 but " + checkpoint + " takes 8x8 images";
    QTest::newRow("encode image size") << QByteArray("encode")
                                       << QStringList{"--checkpoint", checkpoint, "--dataset", other, "--out", dir_.filePath("x.csv")}
                                       << 2 << "its images are 10x10";
    // The checkpoint's own data, moved away since: the message says the checkpoint chose it.
    const QString gone = dir_.filePath("gone-data");
    fixtures::writeIdxDataset(gone, 16, 16, 8, false);
    const QString goneRun = dir_.filePath("gone-run");
    QCOMPARE(runCli({"--dataset", gone, "--out", goneRun, "--epochs", "1", "--hidden", "8", "--threads", "1"}).exitCode, 0);
    QVERIFY(QDir(gone).removeRecursively());
    QTest::newRow("checkpoint's data gone") << QByteArray("eval") << QStringList{"--checkpoint", goneRun + "/checkpoint.pt"} << 1
                                            << goneRun + "/checkpoint.pt was trained on " + gone + ", which cannot be read here: ";
    QTest::newRow("no checkpoint") << QByteArray("eval") << QStringList{"--dataset", data_} << 2 << "--checkpoint";
    QTest::newRow("missing checkpoint") << QByteArray("eval") << QStringList{"--checkpoint", dir_.filePath("none.pt")} << 1
                                        << dir_.filePath("none.pt");
    QTest::newRow("k 0") << QByteArray("eval") << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--k", "0"}
                         << 2 << "--k: '0' is outside 1..1000000";
    QTest::newRow("images without k") << QByteArray("eval")
                                      << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--images", "5"}
                                      << 2 << "--images:";
    QTest::newRow("batch size without k") << QByteArray("eval")
                                          << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--batch-size", "abc"}
                                          << 2 << "--batch-size: sizes the batches of the -log p(x) estimate, which needs --k";
    QTest::newRow("no out") << QByteArray("encode") << QStringList{"--checkpoint", checkpoint, "--dataset", data_} << 2
                            << "--out";
    QTest::newRow("bad count") << QByteArray("encode")
                               << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--out", dir_.filePath("y.csv"),
                                              "--count", "0"}
                               << 2 << "--count: '0'";
    QTest::newRow("interpolate image size")
        << QByteArray("interpolate")
        << QStringList{"--checkpoint", checkpoint, "--dataset", other, "--from-index", "0", "--to-index", "1", "--out", dir_.filePath("w.gif")}
        << 2 << "its images are 10x10";
    const QStringList walk{"--checkpoint", checkpoint, "--dataset", data_, "--out", dir_.filePath("w.gif")};
    QTest::newRow("no endpoint") << QByteArray("interpolate") << (walk + QStringList{"--to", "0,0,0"}) << 2
                                 << "--from: give either --from Z or --from-index I";
    QTest::newRow("both endpoints") << QByteArray("interpolate")
                                    << (walk + QStringList{"--from", "0,0,0", "--from-index", "3", "--to", "1,1,1"}) << 2
                                    << "--from: give either";
    QTest::newRow("short endpoint") << QByteArray("interpolate") << (walk + QStringList{"--from", "0,0", "--to", "1,1,1"}) << 2
                                    << "--from: 2 coordinates for a 3-D latent space";
    QTest::newRow("index out of range") << QByteArray("interpolate")
                                        << (walk + QStringList{"--from-index", "64", "--to", "1,1,1"}) << 2
                                        << "--from-index: '64' is not a test image of";
    QTest::newRow("steps") << QByteArray("interpolate")
                           << (walk + QStringList{"--from", "0,0,0", "--to", "1,1,1", "--steps", "1"}) << 2
                           << "--steps: '1' is outside 2..64";
    QTest::newRow("mode") << QByteArray("interpolate")
                          << (walk + QStringList{"--from", "0,0,0", "--to", "1,1,1", "--mode", "cubic"}) << 2
                          << "--mode: 'cubic' is not lerp or slerp";
    QTest::newRow("out type") << QByteArray("interpolate")
                              << QStringList{"--checkpoint", checkpoint, "--from", "0,0,0", "--to", "1,1,1", "--out", dir_.filePath("w.jpg")}
                              << 2 << "is not a .png or .gif file";
    QTest::newRow("unwritable gif") << QByteArray("interpolate")
                                    << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--from", "0,0,0", "--to",
                                                   "1,1,1", "--out", dir_.filePath("no/such/w.gif")}
                                    << 1 << dir_.filePath("no/such/w.gif");
    QTest::newRow("unwritable out") << QByteArray("encode")
                                    << QStringList{"--checkpoint", checkpoint, "--dataset", data_, "--out",
                                                   dir_.filePath("no/such/folder/e.csv")}
                                    << 2 << "--out: folder " + dir_.filePath("no/such/folder") + " does not exist";
    // Checked before the model is read: a missing checkpoint is not what it reports.
    QTest::newRow("out before model") << QByteArray("encode")
                                      << QStringList{"--checkpoint", "/nonexistent.pt", "--out", dir_.filePath("no/such/e.csv")}
                                      << 2 << "--out: folder " + dir_.filePath("no/such") + " does not exist";
}

void TestTrainCli::modelCommandsRejectBadPairs() {
    QFETCH(QByteArray, command);
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const auto run = runCommand(command, arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count('\n'), 0);  // one line
    QVERIFY(run.out.isEmpty());
}

void TestTrainCli::interpolateWritesStripsAndGifs() {
    const QString checkpoint = trainedCheckpoint();
    const QString gif = dir_.filePath("walk.gif");
    const auto run = runCommand("interpolate", {"--checkpoint", checkpoint, "--dataset", data_, "--from-index", "3", "--to",
                                                "1.5,-1,0.5", "--steps", "10", "--mode", "slerp", "--out", gif, "--there-and-back",
                                                "--delay", "60", "--loops", "2", "--scale", "3"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QImageReader reader(gif);
    QCOMPARE(reader.imageCount(), 10 + 8);  // there and back, the turning points once
    QCOMPARE(reader.size(), QSize(24, 24));
    QCOMPARE(reader.loopCount(), 2);
    reader.read();
    QCOMPARE(reader.nextImageDelay(), 60);
    const QString png = dir_.filePath("walk.png");
    const auto strip = runCommand("interpolate", {"--checkpoint", checkpoint, "--dataset", data_, "--from", "0,0,0", "--to",
                                                  "1,1,1", "--steps", "7", "--out", png, "--scale", "2"});
    QVERIFY2(strip.exitCode == 0, qPrintable(strip.err));
    QCOMPARE(QImage(png).size(), QSize(7 * 16 + 6 * 2, 16));
}

void TestTrainCli::timelineGifReplaysTheRun() {
    const QString gif = dir_.filePath("replay.gif");
    const auto run = runCli({"--dataset", data_, "--out", dir_.filePath("replayrun"), "--epochs", "3", "--hidden", "32",
                             "--batch-size", "16", "--threads", "1", "--timeline-gif", gif, "--keep-timeline"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const auto match = QRegularExpression("wrote the replay \\((\\d+) snapshots\\)").match(run.out);
    QVERIFY2(match.hasMatch(), qPrintable(run.out));
    const int snapshots = match.captured(1).toInt();
    // The untrained model, every 10 steps up to 48 (16 a epoch), and each epoch's end.
    QCOMPARE(snapshots, 1 + 4 + 3);
    QImageReader reader(gif);
    QCOMPARE(reader.imageCount(), snapshots);
    QCOMPARE(reader.size(), QSize(20 * 8, 20 * 8));  // the 20x20 grid of 8x8 images
    QCOMPARE(reader.loopCount(), -1);
    // --keep-timeline: the checkpoint carries the same snapshots, encoders included.
    const auto session = vae::Session::fromCheckpoint(QDir(dir_.filePath("replayrun")).filePath("checkpoint.pt").toStdString(), "cpu");
    QCOMPARE(int(session.timeline().size()), snapshots);
    QCOMPARE(session.timeline().back().step, std::int64_t(48));
    QVERIFY(!session.timeline().back().encoder.weights.empty());
    // A GIF nobody can write is refused before training.
    const auto refused = runCli({"--dataset", data_, "--out", dir_.filePath("replayrun2"), "--epochs", "1",
                                 "--timeline-gif", dir_.filePath("no/such/replay.gif")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.startsWith("vae-explorer train: --timeline-gif: folder"), qPrintable(refused.err));
    QVERIFY(!refused.out.contains("epoch 1/1"));
    // A folder that exists but takes no file (/proc takes none, even from root) too.
    const auto unwritable = runCli({"--dataset", data_, "--out", dir_.filePath("replayrun3"), "--epochs", "1",
                                    "--timeline-gif", "/proc/replay.gif"});
    QCOMPARE(unwritable.exitCode, 2);
    QVERIFY2(unwritable.err.startsWith("vae-explorer train: --timeline-gif: /proc/replay.gif: folder /proc is not writable"),
             qPrintable(unwritable.err));
    QVERIFY(!unwritable.out.contains("epoch 1/1"));
}

// `vae-explorer --help` and `--version` answer on stdout with exit 0 (an unknown argument is still a usage
// error, exit 2, in one line); encode names a bad --count or a missing --out before it reads any file.
// Issue 22, defects 7 and 8: a run that fails (here it diverges in its first epoch) leaves a good
// run's folder byte for byte as it was, run.json and the PNGs included, and leaves no folder
// where there was none.
void TestTrainCli::aFailedRunLeavesTheFolderAsItWas() {
    const QString good = dir_.filePath("good-run");
    const QStringList small{"--dataset", data_, "--epochs", "1", "--hidden", "32", "--batch-size", "32", "--threads", "1"};
    const auto first = runCli(small + QStringList{"--out", good});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    const auto contents = [](const QString& folder) {
        QMap<QString, QByteArray> files;
        for (const QFileInfo& file : QDir(folder).entryInfoList(QDir::Files | QDir::Hidden)) {
            QFile in(file.filePath());
            if (in.open(QIODevice::ReadOnly)) files[file.fileName()] = in.readAll();
        }
        return files;
    };
    const auto before = contents(good);
    QVERIFY(before.contains("run.json") && before.contains("metrics.csv") && before.contains("checkpoint.pt") &&
            before.contains("samples.png") && before.contains("reconstructions.png"));
    const QStringList diverging{"--lr", "10", "--likelihood", "gaussian", "--sigma", "0.001"};
    // Another run into it is refused without --force, and the folder stays as it was.
    const auto refused = runCli(small + QStringList{"--out", good});
    QVERIFY2(refused.exitCode == 2 && refused.err.contains("holds another run") && refused.err.contains("--force"),
             qPrintable(refused.err));
    QVERIFY(contents(good) == before);
    const auto failed = runCli(small + diverging + QStringList{"--out", good, "--force"});
    QVERIFY2(failed.exitCode == 1, qPrintable(failed.out + failed.err));
    QVERIFY(contents(good) == before);
    // A folder of the user's own files of a run's names is never replaced, --force or not.
    const QString mine = dir_.filePath("mine");
    QVERIFY(QDir().mkpath(mine));
    fixtures::writeFile(mine + "/metrics.csv", "my own");
    const auto notARun = runCli(small + QStringList{"--out", mine, "--force"});
    QVERIFY2(notARun.exitCode == 2 && notARun.err.contains("that are not a run's"), qPrintable(notARun.err));
    QCOMPARE(contents(mine).value("metrics.csv"), QByteArray("my own"));
    const QString none = dir_.filePath("never-made");
    const auto failedFresh = runCli(small + diverging + QStringList{"--out", none});
    QCOMPARE(failedFresh.exitCode, 1);
    QVERIFY(!QFileInfo::exists(none));
}

// 512-pixel images made a 20 x 20 latent grid of 10240 x 10240 pixels every epoch (1.2 GB, 17 s
// for a 16-image folder): the epoch's PNGs keep within 2048 pixels a side, with fewer cells.
void TestTrainCli::epochImagesStayWithinTheirSize() {
    const QString folder = dir_.filePath("big-images");
    for (const char* label : {"a", "b"})
        for (int i = 0; i < 4; ++i) {
            QImage image(12, 12, QImage::Format_Grayscale8);
            image.fill(40 * i + (label[0] == 'a' ? 0 : 100));
            QVERIFY(QDir().mkpath(QDir(folder).filePath(label)));
            QVERIFY(image.save(QDir(folder).filePath(QString("%1/%2.png").arg(label).arg(i))));
        }
    const QString out = dir_.filePath("big-images-run");
    const auto run = runCli({"--dataset", folder, "--image-size", "512", "--test-fraction", "0.25", "--out", out,
                             "--epochs", "1", "--hidden", "8", "--threads", "1"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const char* name : {"latent_grid.png", "samples.png", "reconstructions.png"}) {
        const QImage image(QDir(out).filePath(name));
        QVERIFY2(!image.isNull() && image.width() <= 2048 && image.height() <= 2048 && image.width() >= 1024,
                 qPrintable(QString("%1: %2 x %3").arg(name).arg(image.width()).arg(image.height())));
    }
}

void TestTrainCli::helpIsAnAnswerAndOptionsComeFirst() {
    const auto help = runCommand("--help", {});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.startsWith("Usage:") && help.err.isEmpty(), qPrintable(help.out + help.err));
    const auto version = runCommand("--version", {});
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.startsWith("vae-explorer " VAE_EXPLORER_VERSION "\n") && version.out.contains("LibTorch"),
             qPrintable(version.out + version.err));
    const auto trainHelp = runCommand("train", {"--help"});
    QCOMPARE(trainHelp.exitCode, 0);
    QVERIFY(trainHelp.out.contains("--latent-dim N"));
    // Neither a command nor a file to open: one line naming it, not the whole usage.
    const auto bogus = runCommand("--bogus", {});
    QCOMPARE(bogus.exitCode, 2);
    QVERIFY2(bogus.err.startsWith("vae-explorer: '--bogus' is neither a command (train, encode, eval, interpolate, export)") &&
                 bogus.err.trimmed().count('\n') == 0, qPrintable(bogus.err));
    const auto typo = runCommand("trian", {"--dataset", "mnist"});
    QCOMPARE(typo.exitCode, 2);
    QVERIFY2(typo.err.contains("'trian'") && typo.err.trimmed().count('\n') == 0, qPrintable(typo.err));
    const QString missing = dir_.filePath("no-such-model.pt");
    const auto count = runCommand("encode", {"--checkpoint", missing, "--out", dir_.filePath("e.csv"), "--count", "99999999999"});
    QCOMPARE(count.exitCode, 2);
    QCOMPARE(count.err.trimmed(), QString("vae-explorer encode: --count: '99999999999' is outside 1..1073741824"));
    const auto out = runCommand("encode", {"--checkpoint", missing});
    QCOMPARE(out.exitCode, 2);
    QVERIFY2(out.err.contains("--out: where to?"), qPrintable(out.err));
}

QTEST_GUILESS_MAIN(TestTrainCli)
#include "tst_traincli.moc"
