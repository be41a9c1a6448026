// The window's side of the paper-comparable protocol: a convolutional model trained and explored,
// β changed while training (marked on the chart, kept in the run settings), and Evaluate
// log-likelihood… off the GUI thread, with its result on the chart and a cancel that works.
#include "fixtures.h"
#include "likelihood_evaluation.h"
#include "latent_map_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "run_file.h"
#include "settings_panel.h"
#include "training_controller.h"
#include "window_fixture.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using vae::MainWindow;
using State = vae::TrainingController::State;

class TestPaperWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void aConvModelTrainsAndDecodes();
    void betaChangedWhileTrainingIsMarkedAndKept();
    void likelihoodIsEstimatedOffTheGuiThread();
    void anImageFolderSaysWhatItSkipped();
    void anImageFolderLoadsAtTheChosenSizeAndSplit();

private:
    QTemporaryDir dir_;
    QString data_;
};

void TestPaperWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 1024, 128, 8, false);
}

void TestPaperWindow::aConvModelTrainsAndDecodes() {
    auto window = fixtures::openTestWindow(data_, {2});
    QVERIFY(window);
    auto* architecture = fixtures::part<vae::SettingsPanel>(*window)->findChild<QComboBox*>("arch");
    QVERIFY(architecture);
    architecture->setCurrentIndex(architecture->findData("conv"));
    fixtures::runControl(*window).resetModel();
    QTRY_VERIFY_WITH_TIMEOUT(window->modelInfo().config.architecture == vae::Architecture::Conv, fixtures::kEventTimeoutMs);
    QVERIFY(window->windowTitle().contains("conv 32,64"));
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QVERIFY2(fixtures::message(*window).isEmpty(), qPrintable(fixtures::message(*window)));
    QCOMPARE(window->modelInfo().epochsTrained, 2);
    // The decode thread decodes with the conv decoder: the map's grid and an exact point.
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    QSignalSpy decoded(&window->controller(), &vae::TrainingController::pointDecoded);
    const quint64 id = window->controller().decodePoint(std::vector<float>{0.5f, -0.5f});
    QVERIFY(decoded.wait(fixtures::kEventTimeoutMs));
    const auto point = decoded.last().first().value<vae::DecodedPoint>();
    QCOMPARE(point.requestId, id);
    QCOMPARE(point.image.size(), QSize(8, 8));
}

void TestPaperWindow::betaChangedWhileTrainingIsMarkedAndKept() {
    auto window = fixtures::openTestWindow(data_, {200});
    QVERIFY(window);
    auto* beta = fixtures::part<vae::SettingsPanel>(*window)->findChild<QDoubleSpinBox*>("beta");
    QVERIFY(beta);
    const double startBeta = beta->value();
    QSignalSpy changed(&window->controller(), &vae::TrainingController::betaChanged);
    fixtures::runControl(*window).startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->plottedTrainPoints() > 2, fixtures::kEventTimeoutMs);
    QVERIFY(beta->isEnabled());  // the one training field a user may change while it runs
    beta->setValue(3.0);
    emit beta->editingFinished();
    QVERIFY(changed.wait(fixtures::kEventTimeoutMs));
    const auto change = changed.last().first().value<vae::BetaChange>();
    QCOMPARE(change.beta, 3.0);
    QVERIFY(change.step > 0);
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LossChart>(*window)->steps().back().step > change.step, fixtures::kEventTimeoutMs);
    fixtures::runControl(*window).stopTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QTRY_COMPARE(fixtures::part<vae::LossChart>(*window)->plottedBetaMarks(), 1);
    // The run settings keep the change with its step, and the run's own β.
    const vae::RunSettings settings = fixtures::part<vae::SettingsPanel>(*window)->settings();
    QCOMPARE(settings.training.beta, startBeta);
    QCOMPARE(settings.training.betaChanges, (std::vector<vae::BetaChange>{change}));
    const QString path = dir_.filePath("beta-run.json");
    QCOMPARE(fixtures::files(*window).saveRunSettings(path), QString());
    QCOMPARE(vae::readRunFile(path).settings.training.betaChanges, (std::vector<vae::BetaChange>{change}));
    QCOMPARE(beta->value(), 3.0);  // the field shows the β in force
    // They belong to this model's run: the next window does not remember them.
    window.reset();
    auto next = fixtures::openTestWindow(data_, {1});
    QVERIFY(next);
    QVERIFY(fixtures::part<vae::SettingsPanel>(*next)->settings().training.betaChanges.empty());
}

void TestPaperWindow::likelihoodIsEstimatedOffTheGuiThread() {
    auto window = fixtures::openTestWindow(data_, {1});
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    QSignalSpy finished(fixtures::part<vae::LikelihoodEvaluation>(*window), &vae::LikelihoodEvaluation::finished);
    fixtures::runControl(*window).evaluateLikelihood(50, 64);
    QCOMPARE(window->controller().state(), State::Evaluating);
    // The GUI thread stays free while the training thread estimates.
    QElapsedTimer loop;
    loop.start();
    QCoreApplication::processEvents();
    QVERIFY(loop.elapsed() < 500);
    QVERIFY(finished.wait(fixtures::kEventTimeoutMs));
    QCOMPARE(window->controller().state(), State::Idle);
    const auto result = finished.last().first().value<vae::LikelihoodResult>();
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.estimate.images, 64);
    QCOMPARE(result.estimate.samples, 50);
    QVERIFY(result.estimate.negLogLikelihood <= result.estimate.negElbo);
    QCOMPARE(result.step, window->modelInfo().steps);
    QVERIFY(window->statusBar()->currentMessage().startsWith(QString::fromUtf8("−log p(x) ≈ ")));
    QCOMPARE(fixtures::part<vae::LossChart>(*window)->plottedLikelihoodPoints(), 1);

    // Cancelled: no figure, no point, the window is idle again.
    fixtures::runControl(*window).evaluateLikelihood(100000, -1);
    QCOMPARE(window->controller().state(), State::Evaluating);
    fixtures::part<vae::LikelihoodEvaluation>(*window)->cancel();
    QVERIFY(finished.wait(fixtures::kEventTimeoutMs));
    QVERIFY(finished.last().first().value<vae::LikelihoodResult>().estimate.cancelled);
    QCOMPARE(window->controller().state(), State::Idle);
    QCOMPARE(fixtures::part<vae::LossChart>(*window)->plottedLikelihoodPoints(), 1);

    // A bad option is one line in the window, and nothing starts.
    fixtures::runControl(*window).evaluateLikelihood(0, 10);
    QCOMPARE(window->controller().state(), State::Idle);
    QVERIFY2(fixtures::message(*window).contains("--k"), qPrintable(fixtures::message(*window)));
}

namespace {

// Two classes of `count` plain 20x20 PNGs each, no test/ folder.
void writeImageFolder(const QString& folder, int count) {
    for (const QString& name : {"circles", "squares"}) {
        QVERIFY(QDir().mkpath(folder + "/" + name));
        for (int i = 0; i < count; ++i) {
            QImage image(20, 20, QImage::Format_Grayscale8);
            image.fill(name == QString("circles") ? 40 + i : 200 - i);
            QVERIFY(image.save(QString("%1/%2/%3.png").arg(folder, name).arg(i)));
        }
    }
}

// The newest dataset the spy saw arrive for `spec` (the window may still be loading its first
// dataset when a test opens another: CI caught that once), or false.
bool takeLoaded(const QSignalSpy& loaded, const QString& spec, vae::DatasetInfo& info) {
    for (auto arguments = loaded.crbegin(); arguments != loaded.crend(); ++arguments)
        if (arguments->first().value<vae::DatasetInfo>().spec == spec) {
            info = arguments->first().value<vae::DatasetInfo>();
            return true;
        }
    return false;
}

}  // namespace

// Open folder… on class subfolders of images: the classes load, and a corrupt file is named in
// the status bar, as the CLI names it.
void TestPaperWindow::anImageFolderSaysWhatItSkipped() {
    const QString folder = dir_.filePath("images");
    writeImageFolder(folder, 12);
    fixtures::writeFile(folder + "/circles/broken.png", QByteArray("\x89PNG\r\n\x1a\nnot really"));
    auto window = fixtures::openTestWindow(data_, {1});
    QVERIFY(window);
    QSignalSpy loaded(&window->controller(), &vae::TrainingController::datasetLoaded);
    fixtures::files(*window).openDataFolder(folder);
    vae::DatasetInfo info;
    QTRY_VERIFY_WITH_TIMEOUT(takeLoaded(loaded, folder, info), fixtures::kEventTimeoutMs);
    QCOMPARE(info.classNames, (QStringList{"circles", "squares"}));
    QCOMPARE(info.trainCount + info.testCount, 24);
    QCOMPARE(info.note, folder + ": skipped 1 unreadable image (broken.png: unable to read image data)");
    QCOMPARE(window->statusBar()->currentMessage(), info.note);
}

// The panel's image size and test fraction apply to the folder: when it is opened, when they are
// edited (the data is loaded again), and to the model a run trains on it.
void TestPaperWindow::anImageFolderLoadsAtTheChosenSizeAndSplit() {
    const QString folder = dir_.filePath("sized");
    writeImageFolder(folder, 10);
    auto window = fixtures::openTestWindow(data_, {1});
    QVERIFY(window);
    auto* panel = fixtures::part<vae::SettingsPanel>(*window);
    auto* imageSize = panel->findChild<QSpinBox*>("image_size");
    auto* testFraction = panel->findChild<QDoubleSpinBox*>("test_fraction");
    QVERIFY(imageSize && testFraction);
    panel->setDataset("mnist");
    QVERIFY(!imageSize->isEnabled());  // built-in data has its own size and split

    QSignalSpy loaded(&window->controller(), &vae::TrainingController::datasetLoaded);
    imageSize->setValue(12);
    testFraction->setValue(0.5);
    fixtures::files(*window).openDataFolder(folder);
    QVERIFY(imageSize->isEnabled());
    vae::DatasetInfo info;
    QTRY_VERIFY_WITH_TIMEOUT(takeLoaded(loaded, folder, info), fixtures::kEventTimeoutMs);
    QCOMPARE(info.rows, 12);
    QCOMPARE(info.testCount, 10);
    QCOMPARE(info.trainCount, 10);

    loaded.clear();
    imageSize->setValue(16);
    testFraction->setValue(0.3);
    emit testFraction->editingFinished();
    QTRY_VERIFY_WITH_TIMEOUT(takeLoaded(loaded, folder, info), fixtures::kEventTimeoutMs);
    QCOMPARE(info.rows, 16);
    QCOMPARE(info.testCount, 6);

    fixtures::runControl(*window).startTraining();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller().state(), State::Idle, fixtures::kEventTimeoutMs);
    // 14 training images at batch 32 are one step an epoch: the window says so, and how to fix it.
    QVERIFY2(fixtures::message(*window).contains("an epoch of 14 training images at batch size 32 is 1 step, too few") &&
                 fixtures::message(*window).contains("batch size 1 gives 14 steps"),
             qPrintable(fixtures::message(*window)));
    QCOMPARE(window->modelInfo().config.imageRows, 16);
    QCOMPARE(window->modelInfo().epochsTrained, 1);
    const vae::RunSettings run = panel->settings();
    QCOMPARE(run.imageSize, 16);
    QCOMPARE(run.testFraction, 0.3);
}

QTEST_MAIN(TestPaperWindow)
#include "tst_paperwindow.moc"
