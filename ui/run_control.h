#pragma once
// The window's run control: Start, Pause/Resume, Stop, Reset (new model) and Evaluate
// log-likelihood…, as actions (menu, buttons, shortcuts) enabled by the training state; β edited
// while training; what a run's end says. The settings panel locks while training, and its model
// fields while a trained model exists.
#include <QObject>

QT_BEGIN_NAMESPACE
class QAction;
class QMenu;
class QTimer;
QT_END_NAMESPACE

namespace vae {

class LikelihoodEvaluation;
class LossChart;
class MessageBar;
class ModelFiles;
class SettingsPanel;
class TrainingController;
class TrainingStatus;
struct WindowState;
enum class TrainStatus;

class RunControl : public QObject {
    Q_OBJECT
public:
    RunControl(QWidget* window, TrainingController& controller, SettingsPanel* settings, LossChart* chart,
               WindowState& state, ModelFiles* files, MessageBar* messages, TrainingStatus* status,
               LikelihoodEvaluation* likelihood, QTimer* liveRefresh);

    // The user-facing actions, callable without dialogs; a problem is shown in the message bar.
    void startTraining();
    void togglePause();
    void stopTraining();
    void resetModel();
    // Evaluate log-likelihood… without its dialog: k samples per image over the first `images`
    // test images (all for -1); the status bar and the loss chart get the result.
    void evaluateLikelihood(int samples, int images = -1);

    void updateControls();  // after any change of the training state, the model or the data
    // Start, Pause, Stop, Reset, in that order (the buttons under the settings mirror them).
    QList<QAction*> buttonActions() const;
    void addMenu(QMenu* training);

private:
    QAction* makeAction(const QString& text, const QKeySequence& shortcut);
    void onTrainingFinished(TrainStatus status, const QString& message);
    void connectBeta();

    QWidget* window_;
    TrainingController& controller_;
    SettingsPanel* settings_;
    LossChart* chart_;
    WindowState& state_;
    ModelFiles* files_;
    MessageBar* messages_;
    TrainingStatus* status_;
    LikelihoodEvaluation* likelihood_;
    QTimer* liveRefresh_;
    QAction* start_;
    QAction* pause_;
    QAction* stop_;
    QAction* reset_;
    QAction* evaluate_;
};

}  // namespace vae
