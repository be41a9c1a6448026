// The window under faults: divergence, bad settings, stop and restart, closing in every state,
// and exports to a full disk. Each must end in a message, never a crash or a hang.
#include "fault_injection.h"
#include "fixtures.h"
#include "window_fixture.h"
#include "latent_map_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "settings_panel.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>


using vae::MainWindow;
using State = vae::TrainingController::State;

class TestWindowFaults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void divergenceStopsWithAMessageAndKeepsTheWindowUsable();
    void badSettingsAreRefusedUpFront_data();
    void badSettingsAreRefusedUpFront();
    void stopMidEpochThenStartAgain();
    void closeInEveryState_data();
    void closeInEveryState();
    void exportToFullDiskIsAnError();

private:
    std::unique_ptr<MainWindow> makeWindow(int epochs, double learningRate = 3e-3);
    QTemporaryDir dir_;
    QString data_;
};

void TestWindowFaults::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 2048, 128, 8, false);
}

std::unique_ptr<MainWindow> TestWindowFaults::makeWindow(int epochs, double learningRate) {
    fixtures::WindowSettings settings;
    settings.epochs = epochs;
    settings.hidden = 64;
    settings.learningRate = learningRate;
    return fixtures::openTestWindow(data_, settings);
}

void TestWindowFaults::divergenceStopsWithAMessageAndKeepsTheWindowUsable() {
    auto window = makeWindow(5, 10.0);
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY2(fixtures::message(*window).contains("training diverged"), qPrintable(fixtures::message(*window)));
    // The last good weights decode to finite images, and the window keeps working.
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    QSignalSpy shown(window.get(), &MainWindow::decodedPointShown);
    QTest::mouseClick(fixtures::part<vae::LatentMapWidget>(*window), Qt::LeftButton, {}, fixtures::part<vae::LatentMapWidget>(*window)->mapRect().center());
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    fixtures::runControl(*window).resetModel();
    fixtures::part<vae::SettingsPanel>(*window)->findChild<QDoubleSpinBox*>("lr")->setValue(0.003);
    fixtures::runControl(*window).startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 0, fixtures::kEventTimeoutMs);
    fixtures::runControl(*window).stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
}

void TestWindowFaults::badSettingsAreRefusedUpFront_data() {
    QTest::addColumn<QString>("hidden");
    QTest::addColumn<QString>("message");
    // The window names its field, not the CLI flag.
    QTest::newRow("hidden 0") << "0" << "Hidden: 0 is outside 1..16384";
    QTest::newRow("hidden 100000") << "100000" << "Hidden: 100000 is outside 1..16384";
    QTest::newRow("no hidden layers is allowed") << "" << "";
}

void TestWindowFaults::badSettingsAreRefusedUpFront() {
    QFETCH(QString, hidden);
    QFETCH(QString, message);
    auto window = makeWindow(1);
    QVERIFY(window);
    fixtures::part<vae::SettingsPanel>(*window)->findChild<QLineEdit*>("hidden")->setText(hidden);
    fixtures::runControl(*window).startTraining();
    if (message.isEmpty()) {
        QVERIFY(window->controller().state() == State::Training);
        QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
        QVERIFY2(fixtures::message(*window).isEmpty(), qPrintable(fixtures::message(*window)));
        return;
    }
    QCOMPARE(window->controller().state(), State::Idle);  // refused before any thread work
    QVERIFY2(fixtures::message(*window).contains(message), qPrintable(fixtures::message(*window)));
}

void TestWindowFaults::stopMidEpochThenStartAgain() {
    // Epochs long enough (256 batches of a wider model) that progress arrives within one.
    fixtures::WindowSettings settings;
    settings.epochs = 50;
    settings.hidden = 512;
    settings.batchSize = 8;
    auto window = fixtures::openTestWindow(data_, settings);
    QVERIFY(window);
    const qint64 batchesPerEpoch = 2048 / 8;
    // Stop as soon as progress arrives; retry if a stop happens to land on an epoch's end.
    qint64 stoppedAt = 0;
    for (int attempt = 0; attempt < 5 && (stoppedAt == 0 || stoppedAt % batchesPerEpoch == 0); ++attempt) {
        const auto pointsBefore = fixtures::part<vae::LossChart>(*window)->steps().size();
        fixtures::runControl(*window).startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->steps().size() > pointsBefore, fixtures::kEventTimeoutMs);
        fixtures::runControl(*window).stopTraining();
        QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
        stoppedAt = window->modelInfo().steps;
    }
    QVERIFY2(stoppedAt > 0 && stoppedAt % batchesPerEpoch != 0, qPrintable(QString::number(stoppedAt)));
    fixtures::runControl(*window).startTraining();  // continues the same model
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->steps().back().step > stoppedAt + 5, fixtures::kEventTimeoutMs);
    fixtures::runControl(*window).stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY(window->modelInfo().steps > stoppedAt);
    QVERIFY(fixtures::message(*window).isEmpty());
}

void TestWindowFaults::closeInEveryState_data() {
    QTest::addColumn<QString>("state");
    QTest::newRow("idle") << "idle";
    QTest::newRow("training") << "training";
    QTest::newRow("paused") << "paused";
    QTest::newRow("stopping") << "stopping";
    QTest::newRow("saving a checkpoint") << "saving";
    QTest::newRow("exporting") << "exporting";
}

void TestWindowFaults::closeInEveryState() {
    QFETCH(QString, state);
    auto window = makeWindow(500);
    QVERIFY(window);
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    if (state != "idle" && state != "saving") {
        fixtures::runControl(*window).startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 0, fixtures::kEventTimeoutMs);
        if (state == "paused") fixtures::runControl(*window).togglePause();
        if (state == "stopping") fixtures::runControl(*window).stopTraining();
    }
    if (state == "saving") fixtures::files(*window).saveModel(dir_.filePath("closing.pt"));
    // Exports run synchronously in the GUI thread, so "exporting" is: while training, export a
    // large grid and close straight after it.
    if (state == "exporting") QVERIFY(fixtures::exports(*window).exportLatentGrid(dir_.filePath("closing.png"), 64).isEmpty());
    QElapsedTimer timer;
    timer.start();
    window->close();
    window.reset();  // joins the training and decode threads
    // A hang fails here; the time itself is reported, not judged (it depends on the machine).
    qInfo("closed in %lld ms", static_cast<long long>(timer.elapsed()));
    QVERIFY2(timer.elapsed() < fixtures::kEventTimeoutMs, qPrintable(QString("%1 ms").arg(timer.elapsed())));
    if (state == "saving") QVERIFY(QFile::exists(dir_.filePath("closing.pt")));  // the queued save finished
}

void TestWindowFaults::exportToFullDiskIsAnError() {
    auto window = makeWindow(1);
    QVERIFY(window);
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    const QString full = dir_.filePath("full");
    QDir().mkpath(full);
    const fixtures::FullDisk disk(full, 64 * 1024);
    const QString error = fixtures::exports(*window).exportLatentGrid(QDir(full).filePath("grid.png"), 256);  // 5120 px square
    QVERIFY2(error.contains("cannot write"), qPrintable(error));
    QVERIFY(QDir(full).entryList(QDir::Files | QDir::Hidden).isEmpty());
    QSignalSpy failed(&window->controller(), &vae::TrainingController::failed);
    fixtures::files(*window).saveModel(QDir(full).filePath("model.pt"));
    QVERIFY(failed.wait(fixtures::kEventTimeoutMs));
    QVERIFY2(fixtures::message(*window).contains(disk.reason()), qPrintable(fixtures::message(*window)));
    QVERIFY(QDir(full).entryList(QDir::Files | QDir::Hidden).isEmpty());
    fixtures::runControl(*window).startTraining();  // and it still trains
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);  // training yields to everything else (nice 10)
    window.reset();
}

QTEST_MAIN(TestWindowFaults)
#include "tst_windowfaults.moc"
