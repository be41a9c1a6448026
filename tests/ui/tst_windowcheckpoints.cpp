// Checkpoints in and out of the real main window, offscreen: a model saved in the window resumes
// in the CLI and the CLI's opens in the window with its history and training settings; corrupt
// and hostile files are refused in one line, cheaply, and the model stays.
#include "fixtures.h"
#include "loss_chart.h"
#include "main_window.h"
#include "settings_panel.h"
#include "window_fixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using vae::MainWindow;
using State = vae::TrainingController::State;

class TestWindowCheckpoints : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void checkpointsMoveBetweenWindowAndCli();
    void corruptCheckpointKeepsTheModel();
    void hostileCheckpointsAreRefusedCheaply();

private:
    std::unique_ptr<MainWindow> makeWindow(int epochs) { return fixtures::openTestWindow(data_, {epochs}); }
    QTemporaryDir dir_;
    QString data_;
};

void TestWindowCheckpoints::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // keep the user's preferences out of it
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 1024, 128, 8, false);
}

void TestWindowCheckpoints::checkpointsMoveBetweenWindowAndCli() {
    // Window -> CLI: a model saved in the window resumes in `vae-explorer train`.
    auto window = makeWindow(1);
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    const QString fromWindow = dir_.filePath("window.pt");
    QSignalSpy saved(&window->controller(), &vae::TrainingController::checkpointSaved);
    fixtures::files(*window).saveModel(fromWindow);
    QVERIFY(saved.wait(fixtures::kEventTimeoutMs));
    QProcess cli;
    cli.start(VAE_EXPLORER_EXE, {"train", "--dataset", data_, "--out", dir_.filePath("cli-run"), "--epochs", "1",
                                 "--threads", "1", "--beta", "3", "--objective", "beta-tc", "--resume", fromWindow});
    QVERIFY(cli.waitForFinished(fixtures::kEventTimeoutMs));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY(cli.readAllStandardOutput().contains("epoch 2/2"));

    // CLI -> window: the CLI's checkpoint opens with its epochs and shape, and its map shows.
    QSignalSpy changed(&window->controller(), &vae::TrainingController::modelChanged);
    fixtures::files(*window).openModel(dir_.filePath("cli-run/checkpoint.pt"));
    QVERIFY(changed.wait(fixtures::kEventTimeoutMs));
    QCOMPARE(window->modelInfo().epochsTrained, 2);
    QCOMPARE(window->modelInfo().config.encoderHidden, std::vector<int>{32});
    QVERIFY(fixtures::message(*window).isEmpty());
    // The panel shows how it was trained, as a resumed run goes on; its epochs field stays.
    const vae::RunSettings shown = fixtures::part<vae::SettingsPanel>(*window)->settings();
    QCOMPARE(shown.training.beta, 3.0);
    QCOMPARE(int(shown.training.objective), int(vae::Objective::BetaTc));
    QCOMPARE(shown.training.epochs, 1);  // the window's, not the CLI run's

    // Its history came along both ways: the window's epoch 1 and the CLI's epoch 2 replace the
    // curves on screen, and the exported loss history is that model's, not the previous one's.
    QTRY_COMPARE_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTestPoints(), 2, fixtures::kEventTimeoutMs);
    QVERIFY(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 2);
    const QString exported = dir_.filePath("opened-history.csv");
    QCOMPARE(fixtures::exports(*window).exportLossHistory(exported), QString());
    QFile csv(exported);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QFile cliCsv(dir_.filePath("cli-run/metrics.csv"));
    QVERIFY(cliCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    const QList<QByteArray> cliRows = cliCsv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows, cliRows);  // the same two epochs the CLI wrote (its metrics.csv holds the history too)
}

void TestWindowCheckpoints::corruptCheckpointKeepsTheModel() {
    auto window = makeWindow(1);
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    const auto before = window->modelInfo();
    const QString corrupt = dir_.filePath("corrupt.pt");
    fixtures::writeFile(corrupt, QByteArray(4096, 'z'));
    QSignalSpy failed(&window->controller(), &vae::TrainingController::failed);
    fixtures::files(*window).openModel(corrupt);
    QVERIFY(failed.wait(fixtures::kEventTimeoutMs));
    QCOMPARE(failed.first().at(0).value<vae::Operation>(), vae::Operation::OpenCheckpoint);  // typed, no parsing
    QVERIFY2(fixtures::message(*window).startsWith(corrupt + ": "), qPrintable(fixtures::message(*window)));
    QCOMPARE(window->modelInfo().steps, before.steps);
    QCOMPARE(window->modelInfo().source, before.source);
    // The old model still trains.
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY(window->modelInfo().steps > before.steps);
}

// Files that once made the loader crash or allocate gigabytes: the window refuses each in one
// line, keeps its model, and refusing one costs no more peak memory than refusing 1 KB of junk.
void TestWindowCheckpoints::hostileCheckpointsAreRefusedCheaply() {
    auto window = makeWindow(1);
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(!window->modelInfo().source.isEmpty(), fixtures::kEventTimeoutMs);  // the new model is up
    const auto before = window->modelInfo();
    qint64 elapsedMs = 0;
    auto refuse = [&](const QString& path) -> qint64 {
        QSignalSpy failed(&window->controller(), &vae::TrainingController::failed);
        const qint64 start = fixtures::resetPeakResidentKb();
        QElapsedTimer clock;
        clock.start();
        fixtures::files(*window).openModel(path);
        if (!failed.wait(fixtures::kEventTimeoutMs)) return -1;
        elapsedMs = clock.elapsed();
        // The kernel updates the high-water mark lazily: memory another thread touched just after
        // the reset and freed since can leave the mark below the first reading (-64 KB under
        // ASan). No growth is no growth.
        return std::max<qint64>(0, fixtures::peakResidentKb() - start);
    };
    const QString junk = dir_.filePath("junk.pt");
    fixtures::writeFile(junk, QByteArray(1024, 'j'));
    const qint64 junkCostKb = refuse(junk);
    QVERIFY(fixtures::message(*window).startsWith(junk + ": "));
    QStringList files{"checkpoint-4gb-allocation.pt", "unpickler-segv.pt"};
    if (!fixtures::kSanitizerBuild) files << "setstate-2gb.pt";  // needs the probe's memory limit
    for (const QString& file : files) {
        const QString path = QStringLiteral(VAE_REGRESSIONS_DIR "/") + file;
        const qint64 costKb = refuse(path);
        QVERIFY2(fixtures::message(*window).startsWith(path + ": not a readable checkpoint"),
                 qPrintable(fixtures::message(*window)));
        QVERIFY(!fixtures::message(*window).contains('\n'));
        qInfo("%s: refused in %lld ms, peak memory +%lld KB (1 KB junk: +%lld KB)", qPrintable(file), elapsedMs, costKb,
              junkCostKb);
        QVERIFY2(costKb >= 0 && costKb < junkCostKb + 50 * 1024, qPrintable(QString::number(costKb)));
        QCOMPARE(window->modelInfo().source, before.source);
        QCOMPARE(window->modelInfo().steps, before.steps);
    }
}

QTEST_MAIN(TestWindowCheckpoints)
#include "tst_windowcheckpoints.moc"
