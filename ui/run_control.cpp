#include "run_control.h"

#include "likelihood_evaluation.h"
#include "loss_chart.h"
#include "message_bar.h"
#include "model_files.h"
#include "settings_panel.h"
#include "training_controller.h"
#include "training_status.h"
#include "window_state.h"

#include <QAction>
#include <QMenu>
#include <QTimer>

namespace vae {

RunControl::RunControl(QWidget* window, TrainingController& controller, SettingsPanel* settings, LossChart* chart,
                       WindowState& state, ModelFiles* files, MessageBar* messages, TrainingStatus* status,
                       LikelihoodEvaluation* likelihood, QTimer* liveRefresh)
    : QObject(window), window_(window), controller_(controller), settings_(settings), chart_(chart), state_(state),
      files_(files), messages_(messages), status_(status), likelihood_(likelihood), liveRefresh_(liveRefresh) {
    setObjectName("runControl");
    start_ = makeAction(tr("&Start"), QKeySequence(Qt::Key_F5));
    connect(start_, &QAction::triggered, this, &RunControl::startTraining);
    pause_ = makeAction(tr("&Pause"), QKeySequence(Qt::Key_F6));
    connect(pause_, &QAction::triggered, this, &RunControl::togglePause);
    stop_ = makeAction(tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5));
    connect(stop_, &QAction::triggered, this, &RunControl::stopTraining);
    reset_ = makeAction(tr("&Reset (new model)"), QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(reset_, &QAction::triggered, this, [this] {
        if (files_->mayDiscardModel()) resetModel();
    });
    evaluate_ = makeAction(tr("Evaluate &log-likelihood…"), QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(evaluate_, &QAction::triggered, this, [this] {
        messages_->clearMessage();
        likelihood_->ask(state_.dataset.testCount);
    });
    connect(likelihood_, &LikelihoodEvaluation::failed, messages_, &MessageBar::showMessage);
    connect(likelihood_, &LikelihoodEvaluation::finished, this, &RunControl::updateControls);
    connect(&controller_, &TrainingController::stateChanged, this, &RunControl::updateControls);
    connect(&controller_, &TrainingController::trainingFinished, this, &RunControl::onTrainingFinished);
    connectBeta();
}

QAction* RunControl::makeAction(const QString& text, const QKeySequence& shortcut) {
    auto* action = new QAction(text, window_);
    // "start", "pause", "evaluate-log-likelihood", ...: for tests and accessibility tools.
    action->setObjectName(QString(text).remove('&').remove(QString::fromUtf8("…")).section(" (", 0, 0)
                              .trimmed().toLower().replace(' ', '-'));
    action->setShortcut(shortcut);
    action->setToolTip(QString(text).remove('&').remove(QString::fromUtf8("…")));
    return action;
}

QList<QAction*> RunControl::buttonActions() const { return {start_, pause_, stop_, reset_}; }

void RunControl::addMenu(QMenu* training) {
    training->addActions(buttonActions());
    training->addSeparator();
    training->addAction(evaluate_);
}

// β edited while training reaches the trainer at its next batch, which says when it took it;
// edited between runs of a model that has had changes, it is one more change at its step.
void RunControl::connectBeta() {
    connect(settings_, &SettingsPanel::betaEdited, this, [this](double beta) {
        const auto state = controller_.state();
        if (state == TrainingController::State::Training || state == TrainingController::State::Paused) {
            controller_.requestBeta(beta);
        } else if (!controller_.isBusy()) {
            settings_->recordBetaChange({state_.model.steps, beta});
            chart_->markBetaChange({state_.model.steps, beta});
        }
    });
    connect(&controller_, &TrainingController::betaChanged, this, [this](const BetaChange& change) {
        settings_->recordBetaChange(change);
        chart_->markBetaChange(change);
        messages_->showStatus(tr("β set to %1 from step %2").arg(change.beta).arg(change.step));
    });
}

void RunControl::startTraining() {
    try {
        const RunSettings settings = settings_->settings();
        messages_->clearMessage();
        const std::string fewSteps = fewStepsAdvice(state_.dataset.trainCount, settings.training.batchSize);
        if (!fewSteps.empty()) messages_->showMessage(tr("Training on, but %1 (Batch size).").arg(QString::fromStdString(fewSteps)));
        files_->savePreferences();
        state_.unsaved.trainingStarted();
        controller_.start(settings);
    } catch (const std::exception& error) {
        messages_->showMessage(error.what());
    }
}

void RunControl::togglePause() {
    if (controller_.state() == TrainingController::State::Paused) controller_.resume();
    else controller_.pause();
}

void RunControl::stopTraining() { controller_.stop(); }

void RunControl::resetModel() {
    if (controller_.isBusy()) return;
    try {
        RunSettings settings = settings_->settings();
        settings.model.imageRows = state_.dataset.rows > 0 ? state_.dataset.rows : 28;
        settings.model.imageCols = state_.dataset.cols > 0 ? state_.dataset.cols : 28;
        settings.model.imageChannels = state_.dataset.channels;
        state_.model.steps = 0;
        state_.history = {};
        chart_->clear();
        state_.unsaved.modelReplaced();
        controller_.newModel(settings.model, settings.training.seed);
    } catch (const std::exception& error) {
        messages_->showMessage(error.what());
    }
}

void RunControl::evaluateLikelihood(int samples, int images) {
    LikelihoodOptions options;
    options.samples = samples;
    options.images = images;
    messages_->clearMessage();
    likelihood_->start(options);
}

void RunControl::updateControls() {
    using State = TrainingController::State;
    const auto state = controller_.state();
    const bool idle = state == State::Idle;
    const bool running = state == State::Training || state == State::Paused;
    start_->setEnabled(idle);
    pause_->setEnabled(running);
    pause_->setText(state == State::Paused ? tr("&Resume") : tr("&Pause"));
    stop_->setEnabled(running || state == State::Evaluating);
    evaluate_->setEnabled(idle && state_.dataset.testCount > 0);
    reset_->setEnabled(idle);
    if (files_->openAction()) files_->openAction()->setEnabled(idle);
    if (files_->saveAction()) files_->saveAction()->setEnabled(idle);
    settings_->setTrainingLocked(!idle);
    settings_->setModelLocked(!idle || state_.model.steps > 0);
    if (idle) liveRefresh_->stop();
    else liveRefresh_->start();
    if (state == State::Paused) status_->showPaused();
}

void RunControl::onTrainingFinished(TrainStatus status, const QString& message) {
    if (status == TrainStatus::Failed && !message.isEmpty()) messages_->showMessage(message);
    status_->showFinished(status == TrainStatus::Cancelled);
    updateControls();
    files_->saveBeforeClosingIfAsked();
}

}  // namespace vae
