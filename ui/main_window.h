#pragma once
// The explorer window: settings and controls, live loss curves, reconstructions, samples
// and the latent map with its enlarged decoded point.
#include "training_controller.h"
#include "unsaved_model.h"
#include "boundary_types.h"

#include <QMainWindow>
#include <QTimer>

#include <optional>

QT_BEGIN_NAMESPACE
class QAction;
class QCheckBox;
class QLabel;
class QPushButton;
class QTabWidget;
QT_END_NAMESPACE

namespace vae {

class DataPointPanel;
class DecodedPointPanel;
class KlChart;
class LikelihoodEvaluation;
class LatentExplorer;
class LatentSliders;
class LatentReplay;
class LatentWalks;
class ReplayBar;
class WalkPanel;
class ImagePanel;
class LatentMapPanel;
class LatentMapWidget;
class LossChart;
class SettingsPanel;
class TrainingStatus;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kSampleCount = 36;  // prior samples in their panel

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Tests and scripts turn off the "save your model?" question on close.
    void setAskToSaveOnClose(bool ask) { askToSaveOnClose_ = ask; }

    // The user-facing actions, callable without dialogs. A problem is shown in the window as one
    // line (messageText()); the exports below also return it (empty on success).
    void startTraining();
    void togglePause();
    void stopTraining();
    void resetModel();
    void openModel(const QString& path);
    void saveModel(const QString& path);
    void openDataFolder(const QString& path);
    QString exportDecodedPoint(const QString& path, int scale);
    QString exportLatentGrid(const QString& path, int tileSize);
    QString exportSamples(const QString& path);
    QString exportReconstructions(const QString& path);
    QString exportLossHistory(const QString& path);  // also writes <name>-steps.csv
    QString exportLatentMap(const QString& path, int side);  // the map with its scatter and legend
    QString exportEncodings(const QString& path);  // index,label,mu_1..,logvar_1..
    // Run files (run.json, as `vae-explorer train` writes them). Opening one fills the settings;
    // a trained model keeps its shape.
    void openRunSettings(const QString& path);
    QString saveRunSettings(const QString& path);
    // Evaluate log-likelihood… without its dialog: k samples per image over the first `images`
    // test images (all for -1); the status bar and the loss chart get the result.
    void evaluateLikelihood(int samples, int images = -1);
    LikelihoodEvaluation* likelihoodEvaluation() const { return likelihood_; }

    // For tests and benchmarks.
    TrainingController& controller() { return controller_; }
    LatentMapWidget* latentMap() const { return map_; }
    LatentMapPanel* latentMapPanel() const { return mapPanel_; }
    LatentExplorer* explorer() const { return explorer_; }
    LatentSliders* latentSliders() const { return sliders_; }
    KlChart* klChart() const { return klChart_; }
    DataPointPanel* dataPointPanel() const { return dataPoint_; }
    WalkPanel* walkPanel() const { return walkPanel_; }
    LatentWalks* walks() const { return walks_; }
    LatentReplay* replay() const { return replay_; }
    ReplayBar* replayBar() const { return replayBar_; }
    // Brings a side tab to the front: "point", "sliders", "walk" or "images"; the bottom: "loss" or "kl".
    void showTab(const QString& name);
    SettingsPanel* settingsPanel() const { return settings_; }
    LossChart* lossChart() const { return chart_; }
    QLabel* decodedView() const;
    const QImage& decodedImage() const;
    const QVector<float>& decodedLatent() const;
    const QImage& reconstructionsImage() const;
    QString messageText() const;
    const ModelInfo& modelInfo() const { return model_; }

signals:
    void decodedPointShown(quint64 requestId);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    QWidget* buildMapColumn();
    QWidget* buildSideColumn();
    void showMessage(const QString& text);
    void clearMessage();
    void updateControls();
    void onModelChanged(const ModelInfo& info);
    void onProgress(const ProgressUpdate& update);
    void onTrainingFinished(TrainStatus status, const QString& message);
    void onPointDecoded(const DecodedPoint& point);
    void loadPreferences();
    void savePreferences() const;
    QString askExportPath(const QString& title, const QString& fileName, const QString& filter);
    void connectExplorerExports();
    void reportExport(const QString& error, const QString& path);  // a status line, or the error shown
    std::vector<ReplaySnapshot> replayToKeep() const;  // what a saved model carries of the replay
    void checkDefaultDataset();
    bool mayDiscardModel();  // asks first when a trained model is unsaved

    TrainingController controller_;
    SettingsPanel* settings_;
    LossChart* chart_;
    LatentMapWidget* map_;
    QLabel* message_;
    DecodedPointPanel* decodedPanel_;
    ImagePanel* reconstructionsPanel_;
    ImagePanel* samplesPanel_;
    TrainingStatus* status_;
    LatentMapPanel* mapPanel_;
    LatentSliders* sliders_;
    KlChart* klChart_;
    DataPointPanel* dataPoint_;
    LatentExplorer* explorer_;
    WalkPanel* walkPanel_;
    LatentWalks* walks_;
    ReplayBar* replayBar_;
    LatentReplay* replay_;
    LikelihoodEvaluation* likelihood_;
    QTabWidget* sideTabs_;
    QTabWidget* bottomTabs_;
    QCheckBox* logScale_;
    QAction* startAction_;
    QAction* pauseAction_;
    QAction* stopAction_;
    QAction* resetAction_;
    QAction* openAction_;
    QAction* saveAction_;
    QAction* evaluateAction_;
    QTimer liveRefresh_;

    ModelInfo model_;
    DatasetInfo dataset_;
    quint64 samplesSeed_ = 1;
    TrainingHistory history_;  // the model's, as the worker reported it, plus live progress
    QString exportFolder_;
    UnsavedModel unsaved_;
    bool askToSaveOnClose_ = true;
};

}  // namespace vae
