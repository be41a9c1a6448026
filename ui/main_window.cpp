#include "main_window.h"

#include "data_point_panel.h"
#include "dataset.h"
#include "image_panels.h"
#include "kl_chart.h"
#include "latent_explorer.h"
#include "latent_sliders.h"
#include "latent_replay.h"
#include "latent_walks.h"
#include "likelihood_evaluation.h"
#include "replay_bar.h"
#include "walk_panel.h"
#include "latent_map_panel.h"
#include "training_status.h"
#include "errors.h"
#include "latent_map_widget.h"
#include "loss_chart.h"
#include "session.h"
#include "settings_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace vae {
namespace {

constexpr int kLiveRefreshMs = 500;    // map and point redraws while training

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("VAE latent-space explorer"));
    settings_ = new SettingsPanel;
    chart_ = new LossChart;
    map_ = new LatentMapWidget;
    sliders_ = new LatentSliders;
    klChart_ = new KlChart;
    dataPoint_ = new DataPointPanel;
    walkPanel_ = new WalkPanel;
    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setStyleSheet("background: #fde2e1; color: #7a1c17; padding: 6px; border: 1px solid #e8a39e;");
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->hide();

    buildActions();
    // The settings scroll; the buttons under them stay in view however tall the form grows.
    auto* scroll = new QScrollArea;
    scroll->setWidget(settings_);
    scroll->setWidgetResizable(true);
    auto* buttons = new QGridLayout;
    int column = 0;
    for (QAction* action : {startAction_, pauseAction_, stopAction_, resetAction_}) {
        auto* button = new QPushButton;
        auto sync = [button, action] {
            button->setText(action->text().remove('&'));
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->toolTip() + " (" + action->shortcut().toString(QKeySequence::NativeText) + ")");
        };
        sync();
        connect(action, &QAction::changed, button, sync);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        buttons->addWidget(button, column / 2, column % 2);
        ++column;
    }
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addLayout(buttons);
    left->setMinimumWidth(260);

    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(left);
    top->addWidget(buildMapColumn());
    top->addWidget(buildSideColumn());
    top->setStretchFactor(1, 3);
    top->setStretchFactor(2, 2);
    // The map gets the room; the side tabs (the Walk tab's pad and rows are wide) scroll instead.
    top->setSizes({270, 700, 430});
    bottomTabs_ = new QTabWidget;
    bottomTabs_->addTab(chart_, tr("Loss curves"));
    bottomTabs_->addTab(klChart_, tr("Latent dimensions (KL, active units)"));
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(bottomTabs_);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->addWidget(message_);
    centralLayout->addWidget(vertical, 1);
    setCentralWidget(central);

    status_ = new TrainingStatus(statusBar());
    likelihood_ = new LikelihoodEvaluation(controller_, chart_, statusBar(), this);
    connect(likelihood_, &LikelihoodEvaluation::failed, this, &MainWindow::showMessage);
    connect(likelihood_, &LikelihoodEvaluation::finished, this, [this] { updateControls(); });

    connect(&controller_, &TrainingController::stateChanged, this, [this] { updateControls(); });
    connect(&controller_, &TrainingController::modelChanged, this, &MainWindow::onModelChanged);
    connect(&controller_, &TrainingController::datasetLoaded, this, [this](const DatasetInfo& info) {
        dataset_ = info;
        updateControls();
        if (!info.note.isEmpty()) statusBar()->showMessage(info.note, 10000);
        explorer_->datasetLoaded(info);
        settings_->showLoadedData(info);
    });
    connect(&controller_, &TrainingController::progress, this, &MainWindow::onProgress);
    connect(&controller_, &TrainingController::epochFinished, this, [this](const EpochMetrics& metrics) {
        history_.epochs.push_back(metrics);
        chart_->addEpoch(metrics);
    });
    connect(&controller_, &TrainingController::trainingFinished, this, &MainWindow::onTrainingFinished);
    connect(&controller_, &TrainingController::reconstructionsReady, reconstructionsPanel_, &ImagePanel::setImage);
    connect(&controller_, &TrainingController::samplesDecoded, samplesPanel_, &ImagePanel::setImage);
    connect(&controller_, &TrainingController::pointDecoded, this, &MainWindow::onPointDecoded);
    connect(&controller_, &TrainingController::failed, this,
            [this](Operation, const QString& message) { showMessage(message); });
    connect(&controller_, &TrainingController::checkpointSaved, this, [this](const QString& path) {
        unsaved_.modelSaved();
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        if (!unsaved_.saveThenClosePath().isEmpty()) close();
    });
    connect(settings_, &SettingsPanel::dataChosen, this, [this] {
        clearMessage();
        controller_.loadDataset(settings_->dataSettings());
    });
    connect(settings_, &SettingsPanel::openFolderRequested, this, [this] { openDataFolder({}); });
    // β edited while training reaches the trainer at its next batch, which says when it took it;
    // edited between runs of a model that has had changes, it is one more change at its step.
    connect(settings_, &SettingsPanel::betaEdited, this, [this](double beta) {
        if (controller_.state() == TrainingController::State::Training || controller_.state() == TrainingController::State::Paused) {
            controller_.requestBeta(beta);
        } else if (!controller_.isBusy()) {
            settings_->recordBetaChange({model_.steps, beta});
            chart_->markBetaChange({model_.steps, beta});
        }
    });
    connect(&controller_, &TrainingController::betaChanged, this, [this](const BetaChange& change) {
        settings_->recordBetaChange(change);
        chart_->markBetaChange(change);
        statusBar()->showMessage(tr("β set to %1 from step %2").arg(change.beta).arg(change.step), 5000);
    });
    liveRefresh_.setInterval(kLiveRefreshMs);
    connect(&liveRefresh_, &QTimer::timeout, this, [this] {
        explorer_->refresh();
        controller_.requestSamples(kSampleCount, samplesSeed_);
    });

    loadPreferences();
    checkDefaultDataset();
    resetModel();
    updateControls();
    resize(1360, 900);
}

MainWindow::~MainWindow() {
    savePreferences();
    // The panels go first, while the controller still lives: a spin box that loses focus as it
    // is destroyed still says editingFinished, and that asks the controller for a grid.
    delete takeCentralWidget();
}

void MainWindow::showMessage(const QString& text) {
    message_->setText(text);
    message_->show();
    statusBar()->showMessage(text.section('\n', 0, 0), 8000);
}

void MainWindow::clearMessage() { message_->hide(); }

QString MainWindow::messageText() const { return message_->isVisible() ? message_->text() : QString(); }

void MainWindow::updateControls() {
    const auto state = controller_.state();
    const bool idle = state == TrainingController::State::Idle;
    startAction_->setEnabled(idle);
    pauseAction_->setEnabled(state == TrainingController::State::Training || state == TrainingController::State::Paused);
    pauseAction_->setText(state == TrainingController::State::Paused ? tr("&Resume") : tr("&Pause"));
    stopAction_->setEnabled(state == TrainingController::State::Training || state == TrainingController::State::Paused ||
                            state == TrainingController::State::Evaluating);
    evaluateAction_->setEnabled(idle && dataset_.testCount > 0);
    resetAction_->setEnabled(idle);
    openAction_->setEnabled(idle);
    saveAction_->setEnabled(idle);
    settings_->setTrainingLocked(!idle);
    settings_->setModelLocked(!idle || model_.steps > 0);
    if (idle) liveRefresh_.stop();
    else liveRefresh_.start();
    if (state == TrainingController::State::Paused) status_->showPaused();
}

void MainWindow::onPointDecoded(const DecodedPoint& point) {
    if (explorer_->isReconstructionOnly(point.requestId)) return;
    decodedPanel_->showPoint(point);
    emit decodedPointShown(point.requestId);
}

QLabel* MainWindow::decodedView() const { return decodedPanel_->view(); }
const QImage& MainWindow::decodedImage() const { return decodedPanel_->image(); }
const QVector<float>& MainWindow::decodedLatent() const { return decodedPanel_->latent(); }
const QImage& MainWindow::reconstructionsImage() const { return reconstructionsPanel_->image(); }

void MainWindow::onModelChanged(const ModelInfo& info) {
    const bool newShape = info.config != model_.config;
    model_ = info;
    // Whatever model this is (new, opened, or the same one after a run), its own history is
    // what the curves and the exported loss history show.
    history_ = info.history;
    chart_->showHistory(history_);
    chart_->showBetaChanges(info.betaChanges);
    settings_->showModel(info.config);
    status_->showBackend(info.device, info.backend);
    explorer_->modelChanged(info, newShape);
    explorer_->refresh();
    controller_.requestSamples(kSampleCount, samplesSeed_);
    updateControls();
    const QString name = info.source == "new" ? tr("new model") : QFileInfo(info.source).fileName();
    setWindowTitle(tr("VAE latent-space explorer — %1 (%2, %3 epochs)")
                       .arg(name, QString::fromStdString(info.config.describe()))
                       .arg(info.epochsTrained));
}

void MainWindow::onProgress(const ProgressUpdate& update) {
    for (const StepLoss& point : update.points) history_.addStep(point);
    chart_->addSteps(update.points);
    status_->showProgress(update, dataset_.trainCount);
}

void MainWindow::onTrainingFinished(TrainStatus status, const QString& message) {
    if (status == TrainStatus::Failed && !message.isEmpty()) showMessage(message);
    status_->showFinished(status == TrainStatus::Cancelled);
    updateControls();
    if (!unsaved_.saveThenClosePath().isEmpty()) controller_.saveCheckpoint(unsaved_.saveThenClosePath(), replayToKeep());
}

void MainWindow::startTraining() {
    try {
        const RunSettings settings = settings_->settings();
        clearMessage();
        savePreferences();
        unsaved_.trainingStarted();
        controller_.start(settings);
    } catch (const std::exception& error) {
        showMessage(error.what());
    }
}

void MainWindow::evaluateLikelihood(int samples, int images) {
    LikelihoodOptions options;
    options.samples = samples;
    options.images = images;
    clearMessage();
    likelihood_->start(options);
}

void MainWindow::togglePause() {
    if (controller_.state() == TrainingController::State::Paused) controller_.resume();
    else controller_.pause();
}

void MainWindow::stopTraining() { controller_.stop(); }

void MainWindow::resetModel() {
    if (controller_.isBusy()) return;
    try {
        RunSettings settings = settings_->settings();
        settings.model.imageRows = dataset_.rows > 0 ? dataset_.rows : 28;
        settings.model.imageCols = dataset_.cols > 0 ? dataset_.cols : 28;
        model_.steps = 0;
        history_ = {};
        chart_->clear();
        unsaved_.modelReplaced();
        controller_.newModel(settings.model, settings.training.seed);
    } catch (const std::exception& error) {
        showMessage(error.what());
    }
}

}  // namespace vae
