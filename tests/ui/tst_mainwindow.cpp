// The real main window, offscreen: training, controls, the latent map, files and shutdown
// (checkpoints in and out of it: tst_windowcheckpoints).
#include "errors.h"
#include "file_export.h"
#include "fixtures.h"
#include "window_fixture.h"
#include "image_convert.h"
#include "latent_map_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "session.h"
#include "settings_panel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QProcess>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using vae::MainWindow;
using State = vae::TrainingController::State;

namespace {

QPushButton* button(MainWindow& window, const QString& text) {
    for (QPushButton* candidate : window.findChildren<QPushButton*>())
        if (candidate->text() == text) return candidate;
    return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trainsWithLiveUpdatesAndControls();
    void clickDecodesTheExactPoint();
    void exportsFiles();
    void runSettingsMoveBetweenWindows();
    void aWindowRunRepeatsFromItsRunFile();
    void closingMidTrainingIsQuick();
    void opensWithoutMnist();

private:
    std::unique_ptr<MainWindow> makeWindow(int epochs);
    QTemporaryDir dir_;
    QString data_;
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // keep the user's preferences out of it
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 1024, 128, 8, false);
}

std::unique_ptr<MainWindow> TestMainWindow::makeWindow(int epochs) {
    return fixtures::openTestWindow(data_, {epochs});
}

void TestMainWindow::trainsWithLiveUpdatesAndControls() {
    auto window = makeWindow(200);
    QVERIFY(window);
    QSignalSpy reconstructions(&window->controller(), &vae::TrainingController::reconstructionsReady);
    // The real controls, as a user uses them: the Start button, the Pause action (F6), the
    // button again (it now says Resume), and the Stop action.
    QPushButton* start = button(*window, "Start");
    QVERIFY(start && start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QCOMPARE(window->controller().state(), State::Training);
    QVERIFY(!start->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 3, fixtures::kEventTimeoutMs);
    // The status bar counts the steps as they happen (not only when a curve point arrives).
    auto statusStep = [&window] {
        for (QLabel* label : window->statusBar()->findChildren<QLabel*>())
            if (label->text().startsWith("epoch ")) return label->text().section("step ", 1).toLongLong();
        return -1LL;
    };
    QTRY_VERIFY(statusStep() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTestPoints() >= 1, fixtures::kEventTimeoutMs);  // an epoch finished
    QVERIFY(reconstructions.count() >= 1);
    QCOMPARE(fixtures::part<vae::ImagePanel>(*window, "reconstructions")->image().size(), QSize(8 * 16 + 7 * 2, 4 * 16 + 3 * 2));
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());

    QSignalSpy paused(&window->controller(), &vae::TrainingController::paused);
    QAction* pause = window->findChild<QAction*>("pause");
    QVERIFY(pause && pause->isEnabled());
    pause->trigger();
    QCOMPARE(window->controller().state(), State::Paused);
    QVERIFY(paused.wait(fixtures::kEventTimeoutMs));  // the trainer confirms it stopped between two batches
    QCoreApplication::processEvents();  // what it sent before that has arrived
    const auto pausedAt = fixtures::part<vae::LossChart>(*window)->steps().size();
    QTest::qWait(500);  // paused: nothing may arrive (a fixed wait is the point of this check)
    QCOMPARE(fixtures::part<vae::LossChart>(*window)->steps().size(), pausedAt);

    QPushButton* resume = button(*window, "Resume");
    QVERIFY(resume);
    QTest::mouseClick(resume, Qt::LeftButton);
    QCOMPARE(window->controller().state(), State::Training);
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->steps().size() > pausedAt, fixtures::kEventTimeoutMs);

    window->findChild<QAction*>("stop")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY(fixtures::message(*window).isEmpty());
    QVERIFY(window->modelInfo().steps > 0);
}

void TestMainWindow::clickDecodesTheExactPoint() {
    auto window = makeWindow(1);
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());

    vae::LatentMapWidget* map = fixtures::part<vae::LatentMapWidget>(*window);
    const QRect area = map->mapRect();
    QSignalSpy shown(window.get(), &MainWindow::decodedPointShown);
    const QPoint first = area.topLeft() + QPoint(area.width() / 5, area.height() / 3);
    QTest::mouseClick(map, Qt::LeftButton, {}, first);
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const QImage firstImage = fixtures::part<vae::DecodedPointPanel>(*window)->image();
    const QPoint second = area.topLeft() + QPoint(area.width() * 4 / 5, area.height() * 3 / 4);
    QTest::mouseClick(map, Qt::LeftButton, {}, second);
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const QImage image = fixtures::part<vae::DecodedPointPanel>(*window)->image();
    QVERIFY(image != firstImage);  // the enlarged image follows the click

    // The exact coordinates under the cursor, decoded by the core from the saved model.
    const auto latent = map->latentAt(second);
    QVERIFY(latent);
    QCOMPARE(fixtures::part<vae::DecodedPointPanel>(*window)->latent(), (std::vector<float>{float(latent->x()), float(latent->y())}));
    const QString path = dir_.filePath("click.pt");
    QSignalSpy saved(&window->controller(), &vae::TrainingController::checkpointSaved);
    fixtures::files(*window).saveModel(path);
    QVERIFY(saved.wait(fixtures::kEventTimeoutMs));
    auto session = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    const auto expected = session.decode({float(latent->x()), float(latent->y())});
    QCOMPARE(image.size(), QSize(8, 8));
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const float want = expected.values[std::size_t(y * 8 + x)] * 255.0f;
            QVERIFY2(std::abs(qGray(image.pixel(x, y)) - want) <= 1.0f,
                     qPrintable(QString("pixel %1,%2: %3 vs %4").arg(x).arg(y).arg(qGray(image.pixel(x, y))).arg(want)));
        }
}

void TestMainWindow::exportsFiles() {
    auto window = makeWindow(1);
    QVERIFY(window);
    // File ▸ Export ▸ Model is on for a trained model only.
    auto* exportModel = window->findChild<QAction*>("export-model");
    QVERIFY(exportModel);
    const auto menuShown = [&window, exportModel] {
        for (QMenu* menu : window->findChildren<QMenu*>())
            if (menu->actions().contains(exportModel)) emit menu->aboutToShow();
        return exportModel->isEnabled();
    };
    QVERIFY(!menuShown());
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    QSignalSpy shown(window.get(), &MainWindow::decodedPointShown);
    QTest::mouseClick(fixtures::part<vae::LatentMapWidget>(*window), Qt::LeftButton, {}, fixtures::part<vae::LatentMapWidget>(*window)->mapRect().center());
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));

    const QDir out(dir_.filePath("exports"));
    QDir().mkpath(out.path());
    QCOMPARE(fixtures::exports(*window).exportDecodedPoint(out.filePath("point.png"), 1), QString());
    QCOMPARE(fixtures::exports(*window).exportDecodedPoint(out.filePath("point8.png"), 8), QString());
    QCOMPARE(fixtures::exports(*window).exportLatentGrid(out.filePath("grid.png"), 20), QString());
    QCOMPARE(fixtures::exports(*window).exportSamples(out.filePath("samples.png")), QString());
    QCOMPARE(fixtures::exports(*window).exportReconstructions(out.filePath("recon.png")), QString());
    QCOMPARE(fixtures::exports(*window).exportLossHistory(out.filePath("history.csv")), QString());
    QCOMPARE(QImage(out.filePath("point.png")).size(), QSize(8, 8));
    QCOMPARE(QImage(out.filePath("point8.png")).size(), QSize(64, 64));
    QCOMPARE(QImage(out.filePath("grid.png")).size(), QSize(20 * 20, 20 * 20));
    QVERIFY(!QImage(out.filePath("samples.png")).isNull());
    QVERIFY(!QImage(out.filePath("recon.png")).isNull());
    QFile history(out.filePath("history.csv"));
    QVERIFY(history.open(QIODevice::ReadOnly));
    QCOMPARE(history.readLine(), vae::metricsCsvHeader());
    QVERIFY(history.readLine().startsWith("1,"));
    QVERIFY(QFile::exists(out.filePath("history-steps.csv")));

    // An unwritable target is a one-line error naming the file, and nothing is left behind.
    const QString error = fixtures::exports(*window).exportLatentGrid("/proc/grid.png", 20);
    QVERIFY2(error.startsWith("/proc/grid.png: cannot write"), qPrintable(error));

    // The model itself, written by the training thread (tst_modelexport runs such files).
    QVERIFY(menuShown());
    QSignalSpy exported(&window->controller(), &vae::TrainingController::modelExported);
    fixtures::exports(*window).exportModel(out.filePath("model.onnx"));
    QVERIFY(exported.wait(fixtures::kEventTimeoutMs));
    QFile onnx(out.filePath("model.onnx"));
    QVERIFY(onnx.open(QIODevice::ReadOnly) && onnx.size() > 1000 && onnx.readAll().contains("vae-explorer"));
    exported.clear();
    fixtures::exports(*window).exportModel(out.filePath("model.pt"));
    QVERIFY(exported.wait(fixtures::kEventTimeoutMs));
    QFile script(out.filePath("model.pt"));  // a torch.jit.save archive: a zip holding the module's code
    QVERIFY(script.open(QIODevice::ReadOnly) && script.read(2) == "PK" && script.readAll().contains("settings.json"));
    // The latent space as a web page (tst_webexport opens such pages in chromium).
    exported.clear();
    fixtures::exports(*window).exportWebPage(out.filePath("web"));
    QVERIFY(exported.wait(fixtures::kEventTimeoutMs));
    QVERIFY(QFile::exists(out.filePath("web/index.html")) && QFile::exists(out.filePath("web/decoder.onnx")));
    fixtures::exports(*window).exportModel("/proc/model.pt");
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::message(*window).startsWith("/proc/model.pt: "), fixtures::kEventTimeoutMs);
}

// Save run settings… in one window, Open run settings… in another: the same settings; a bad
// file is one line naming the file and the key, and the settings stay.
void TestMainWindow::runSettingsMoveBetweenWindows() {
    auto first = makeWindow(1);
    QVERIFY(first);
    vae::RunSettings chosen = fixtures::part<vae::SettingsPanel>(*first)->settings();
    chosen.training.batchSize = 48;
    chosen.training.learningRate = 0.0025;
    chosen.training.seed = 99;
    chosen.model.latentDim = 3;
    fixtures::part<vae::SettingsPanel>(*first)->setSettings(chosen);
    const QString path = dir_.filePath("window-run.json");
    QCOMPARE(fixtures::files(*first).saveRunSettings(path), QString());
    first.reset();

    auto second = makeWindow(1);
    QVERIFY(second);
    fixtures::files(*second).openRunSettings(path);
    const vae::RunSettings opened = fixtures::part<vae::SettingsPanel>(*second)->settings();
    for (const vae::Setting& setting : vae::settingsTable())
        QCOMPARE(QString::fromStdString(setting.get(opened)), QString::fromStdString(setting.get(chosen)));

    const QString bad = dir_.filePath("bad-run.json");
    fixtures::writeFile(bad, R"({"format": "vae-explorer-run", "version": 1, "epochs": 0})");
    fixtures::files(*second).openRunSettings(bad);
    QCOMPARE(fixtures::message(*second), bad + ": epochs: 0 is outside 1..100000");
    QCOMPARE(fixtures::part<vae::SettingsPanel>(*second)->settings().training.epochs, chosen.training.epochs);
}

// One training run for both: a run started in the window with the thread count pinned, saved as
// run.json and repeated by `train --config`, gives the same per-epoch losses to the last bit.
void TestMainWindow::aWindowRunRepeatsFromItsRunFile() {
    auto window = makeWindow(2);
    QVERIFY(window);
    vae::RunSettings pinned = fixtures::part<vae::SettingsPanel>(*window)->settings();
    pinned.threads = 1;
    pinned.training.seed = 5;
    fixtures::part<vae::SettingsPanel>(*window)->setSettings(pinned);
    QSignalSpy epochs(&window->controller(), &vae::TrainingController::epochFinished);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY2(fixtures::message(*window).isEmpty(), qPrintable(fixtures::message(*window)));
    QCOMPARE(epochs.count(), 2);
    const QString runFile = dir_.filePath("repeat-run.json");
    QCOMPARE(fixtures::files(*window).saveRunSettings(runFile), QString());

    const QString out = dir_.filePath("repeat-cli");
    QProcess cli;
    cli.start(VAE_EXPLORER_EXE, {"train", "--config", runFile, "--threads", "1", "--out", out});
    QVERIFY(cli.waitForFinished(fixtures::kEventTimeoutMs));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const auto repeated = vae::Session::fromCheckpoint(QDir(out).filePath("checkpoint.pt").toStdString()).history().epochs;
    QCOMPARE(int(repeated.size()), 2);
    for (int i = 0; i < 2; ++i) {
        const auto inWindow = epochs.at(i).first().value<vae::EpochMetrics>();
        const auto& inCli = repeated[std::size_t(i)];
        const QString both = QString("epoch %1: window %2 / %3, CLI %4 / %5").arg(i + 1)
                                 .arg(inWindow.train.loss, 0, 'g', 17).arg(inWindow.test.loss, 0, 'g', 17)
                                 .arg(inCli.train.loss, 0, 'g', 17).arg(inCli.test.loss, 0, 'g', 17);
        QVERIFY2(inWindow.train.loss == inCli.train.loss && inWindow.train.kl == inCli.train.kl, qPrintable(both));
        QVERIFY2(inWindow.test.loss == inCli.test.loss && inWindow.test.kl == inCli.test.kl, qPrintable(both));
    }
}

void TestMainWindow::closingMidTrainingIsQuick() {
    auto window = makeWindow(500);
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 2, fixtures::kEventTimeoutMs);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(window->close());
    window.reset();  // joins the training and decode threads
    // A hang fails here; the time itself is reported, not judged (it depends on the machine).
    qInfo("closed in %lld ms", static_cast<long long>(timer.elapsed()));
    QVERIFY2(timer.elapsed() < fixtures::kEventTimeoutMs, qPrintable(QString("%1 ms").arg(timer.elapsed())));
}

void TestMainWindow::opensWithoutMnist() {
    QTemporaryDir empty;
    qputenv("VAE_EXPLORER_MNIST_DIR", empty.path().toUtf8());
    QSettings().setValue("settings/dataset", "mnist");
    MainWindow window;
    window.setAskToSaveOnClose(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(fixtures::message(window).contains("MNIST is not installed"), qPrintable(fixtures::message(window)));
    QVERIFY(fixtures::message(window).contains("scripts/fetch-mnist.sh"));
    // Everything else works: a model exists and its map decodes.
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(window)->gridImage().isNull());
    qunsetenv("VAE_EXPLORER_MNIST_DIR");
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
