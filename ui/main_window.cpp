#include "main_window.h"

#include "data_point_panel.h"
#include "factors_panel.h"
#include "help_menu.h"
#include "image_panels.h"
#include "kl_chart.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_sliders.h"
#include "latent_walks.h"
#include "likelihood_evaluation.h"
#include "loss_chart.h"
#include "message_bar.h"
#include "model_files.h"
#include "run_control.h"
#include "settings_panel.h"
#include "training_status.h"
#include "walk_panel.h"
#include "wheel_guard.h"
#include "window_exports.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vae {
namespace {

constexpr int kLiveRefreshMs = 500;  // map and point redraws while training

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("VAE latent-space explorer"));
    qApp->installEventFilter(new WheelGuard(this));  // before any field is polished
    settings_ = new SettingsPanel;
    chart_ = new LossChart;
    map_ = new LatentMapWidget;
    sliders_ = new LatentSliders;
    klChart_ = new KlChart;
    dataPoint_ = new DataPointPanel;
    walkPanel_ = new WalkPanel;
    message_ = new MessageBar(statusBar());
    status_ = new TrainingStatus(statusBar());
    likelihood_ = new LikelihoodEvaluation(controller_, chart_, statusBar(), this);
    likelihood_->setObjectName("likelihoodEvaluation");

    QWidget* mapColumn = buildMapColumn();
    QWidget* sideColumn = buildSideColumn();
    buildParts();
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(buildSettingsColumn());
    top->addWidget(mapColumn);
    top->addWidget(sideColumn);
    top->setStretchFactor(1, 3);
    top->setStretchFactor(2, 2);
    // The map gets the room; the side tabs (the Walk tab's pad and rows are wide) scroll instead.
    top->setSizes({270, 700, 430});
    bottomTabs_ = new QTabWidget;
    bottomTabs_->addTab(chart_, tr("Loss curves"));
    bottomTabs_->addTab(klChart_, tr("Latent dimensions (KL, active units)"));
    factorsPanel_ = new FactorsPanel;
    factorsPanel_->setObjectName("factors");
    bottomTabs_->addTab(factorsPanel_, tr("Factors"));
    connect(factorsPanel_, &FactorsPanel::dimensionChosen, this, [this](int dimension) {
        walks_->traverseDimension(dimension);
        sideTabs_->setCurrentWidget(walkPanel_);
    });
    chartsSplitter_ = new QSplitter(Qt::Vertical);
    chartsSplitter_->addWidget(top);
    chartsSplitter_->addWidget(bottomTabs_);
    chartsSplitter_->setStretchFactor(0, 3);
    chartsSplitter_->setStretchFactor(1, 1);
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->addWidget(message_);
    centralLayout->addWidget(chartsSplitter_, 1);
    setCentralWidget(central);
    buildMenus();
    connectController();

    files_->loadPreferences();
    files_->loadDefaultDataset();
    run_->resetModel();
    run_->updateControls();
    // The size it was laid out for, within the screen it opens on (a laptop's, or one at scale 2,
    // whose Qt units are half its pixels), less a window manager's frame.
    constexpr int kFrameHeight = 40;
    // Laid out for that height before the first show, so its minimum already fits the screen.
    const QSize fitted = QSize(1360, 900).boundedTo(screen()->availableGeometry().size() - QSize(0, kFrameHeight));
    placeCharts(fitted.height() < kCompactHeight);
    resize(fitted);
}

MainWindow::~MainWindow() {
    files_->savePreferences();
    // The panels go first, while the controller still lives: a spin box that loses focus as it
    // is destroyed still says editingFinished, and that asks the controller for a grid.
    delete takeCentralWidget();
}

void MainWindow::buildParts() {
    exports_ = new WindowExports(this, {decodedPanel_, map_, samplesPanel_, reconstructionsPanel_, explorer_, replay_,
                                        replayBar_, walks_, walkPanel_, &controller_},
                                 state_, message_);
    files_ = new ModelFiles(this, controller_, settings_, state_, exports_, message_, replay_, replayBar_);
    run_ = new RunControl(this, controller_, settings_, chart_, state_, files_, message_, status_, likelihood_, &liveRefresh_);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    files_->addMenuActions(file);
    file->addAction(tr("&Place picture on the map…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Place a picture on the map"), QString(),
                                                          tr("Pictures (*.png *.jpg *.jpeg *.bmp);;All files (*)"));
        if (!path.isEmpty()) placePicture(path);
    });
    exports_->addMenu(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    run_->addMenu(menuBar()->addMenu(tr("&Training")));
    (new HelpMenu(this))->addMenu(menuBar()->addMenu(tr("&Help")));
}

void MainWindow::connectController() {
    connect(&controller_, &TrainingController::modelChanged, this, &MainWindow::onModelChanged);
    connect(&controller_, &TrainingController::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(&controller_, &TrainingController::progress, this, &MainWindow::onProgress);
    connect(&controller_, &TrainingController::epochFinished, this, [this](const EpochMetrics& metrics) {
        state_.history.epochs.push_back(metrics);
        chart_->addEpoch(metrics);
    });
    connect(&controller_, &TrainingController::reconstructionsReady, reconstructionsPanel_, &ImagePanel::setImage);
    connect(&controller_, &TrainingController::samplesDecoded, samplesPanel_, &ImagePanel::setImage);
    connect(&controller_, &TrainingController::pointDecoded, this, &MainWindow::onPointDecoded);
    connect(&controller_, &TrainingController::testSetEncoded, factorsPanel_,
            [this](const EncodedTestSet& result) { factorsPanel_->setScores(result.factorScores, result.encodings.count); });
    connect(&controller_, &TrainingController::failed, message_, [this](Operation, const QString& text) { message_->showMessage(text); });
    connect(settings_, &SettingsPanel::dataChosen, this, [this] {
        message_->clearMessage();
        controller_.loadDataset(settings_->dataSettings());
    });
    liveRefresh_.setInterval(kLiveRefreshMs);
    connect(&liveRefresh_, &QTimer::timeout, this, [this] {
        explorer_->refresh();
        controller_.requestSamples(kSampleCount, samplesSeed_);
    });
}

void MainWindow::openFile(const QString& path) {
    if (path.endsWith(".json")) files_->openRunSettings(path);
    else files_->openModel(path);
}

void MainWindow::placePicture(const QString& path) {
    if (const QString error = walks_->placePicture(path); !error.isEmpty()) return message_->showMessage(error);
    message_->clearMessage();
    showTab("walk");
    walkPanel_->scrollToDrawing();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (files_->closeRequested()) event->accept();
    else event->ignore();
}

void MainWindow::onDatasetLoaded(const DatasetInfo& info) {
    state_.dataset = info;
    run_->updateControls();
    if (!info.note.isEmpty()) statusBar()->showMessage(info.note, 10000);
    explorer_->datasetLoaded(info);
    settings_->showLoadedData(info);
}

void MainWindow::onPointDecoded(const DecodedPoint& point) {
    if (explorer_->isReconstructionOnly(point.requestId)) return;
    decodedPanel_->showPoint(point);
    emit decodedPointShown(point.requestId);
}

void MainWindow::onModelChanged(const ModelInfo& info) {
    const bool newShape = info.config != state_.model.config;
    // The same model after a run: what was measured of it stays; another (Reset, opened) starts clean.
    const bool sameModel = info.generation == state_.model.generation;
    if (!sameModel) {
        decodedPanel_->clear();
        status_->clear();
    }
    state_.model = info;
    // Whatever model this is (new, opened, or the same one after a run), its own history is
    // what the curves and the exported loss history show.
    state_.history = info.history;
    chart_->showHistory(state_.history, sameModel);
    chart_->showBetaChanges(info.betaChanges);
    settings_->showModel(info.config);
    if (info.trainedWith) settings_->showTraining(*info.trainedWith);
    status_->showBackend(info.device, info.backend);
    explorer_->modelChanged(info, newShape);
    explorer_->refresh();
    controller_.requestSamples(kSampleCount, samplesSeed_);
    run_->updateControls();
    const QString name = info.source == "new" ? tr("new model") : QFileInfo(info.source).fileName();
    setWindowTitle(tr("VAE latent-space explorer — %1 (%2, %3 epochs)")
                       .arg(name, QString::fromStdString(info.config.describe()))
                       .arg(info.epochsTrained));
}

void MainWindow::onProgress(const ProgressUpdate& update) {
    for (const StepLoss& point : update.points) state_.history.addStep(point);
    chart_->addSteps(update.points);
    status_->showProgress(update, state_.dataset.trainCount);
}

}  // namespace vae
