#pragma once
// The explorer window. It only assembles: it builds the panels (settings, loss curves, the latent
// map and its explorer, reconstructions, samples, the decoded point) and the parts that act on
// them (RunControl: start, pause, stop, reset, evaluate; ModelFiles: models, data, run files,
// preferences, closing; WindowExports: every export), puts them in menus, and connects them to
// the training controller. Tests and scripts reach a part by its object name.
#include "training_controller.h"
#include "window_state.h"

#include <QMainWindow>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QSplitter;
class QTabWidget;
QT_END_NAMESPACE

namespace vae {

class DataPointPanel;
class DecodedPointPanel;
class ImagePanel;
class FactorsPanel;
class KlChart;
class LikelihoodEvaluation;
class LatentExplorer;
class LatentMapWidget;
class LatentReplay;
class LatentWalks;
class ReplayBar;
class LatentSliders;
class LossChart;
class MessageBar;
class ModelFiles;
class RunControl;
class SettingsPanel;
class TrainingStatus;
class WalkPanel;
class WindowExports;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kSampleCount = 36;  // prior samples in their panel

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Tests and scripts turn off the "save your model?" question on close.
    void setAskToSaveOnClose(bool ask) { state_.askToSaveOnClose = ask; }
    // A file given on the command line, as a desktop opens one: a checkpoint or a run file.
    void openFile(const QString& path);
    // Brings a side tab to the front: "point", "sliders", "walk" or "images"; the bottom: "loss" or "kl".
    void showTab(const QString& name);
    // A picture file placed on the map as the data set's images are prepared (File ▸ Place picture…
    // and a drop on the map); its reconstruction shows in the Walk tab, a bad file in the message bar.
    void placePicture(const QString& path);

    TrainingController& controller() { return controller_; }
    const ModelInfo& modelInfo() const { return state_.model; }

signals:
    void decodedPointShown(quint64 requestId);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QWidget* buildSettingsColumn();
    QWidget* buildMapColumn();
    QWidget* buildSideColumn();
    void buildParts();
    void buildMenus();
    void connectController();
    void onModelChanged(const ModelInfo& info);
    void onDatasetLoaded(const DatasetInfo& info);
    void onProgress(const ProgressUpdate& update);
    void onPointDecoded(const DecodedPoint& point);
    // Below kCompactHeight the charts' tabs join the side tabs, so that the map keeps its room on
    // a laptop's screen (1366 x 768, or 2560 x 1440 at scale 2).
    void placeCharts(bool inSideTabs);
    static constexpr int kCompactHeight = 800;  // the map needs some 560 pixels of the top row, the charts 170

    TrainingController controller_;
    WindowState state_;
    SettingsPanel* settings_;
    LossChart* chart_;
    LatentMapWidget* map_;
    LatentSliders* sliders_;
    KlChart* klChart_;
    FactorsPanel* factorsPanel_ = nullptr;
    DataPointPanel* dataPoint_;
    WalkPanel* walkPanel_;
    MessageBar* message_;
    TrainingStatus* status_;
    DecodedPointPanel* decodedPanel_ = nullptr;
    ImagePanel* reconstructionsPanel_ = nullptr;
    ImagePanel* samplesPanel_ = nullptr;
    LatentExplorer* explorer_ = nullptr;
    LatentWalks* walks_ = nullptr;
    LatentReplay* replay_ = nullptr;
    ReplayBar* replayBar_ = nullptr;
    QTabWidget* sideTabs_ = nullptr;
    QTabWidget* bottomTabs_ = nullptr;
    QSplitter* chartsSplitter_ = nullptr;  // the top row above, the charts' tabs below
    bool chartsInSideTabs_ = false;
    WindowExports* exports_ = nullptr;
    ModelFiles* files_ = nullptr;
    RunControl* run_ = nullptr;
    LikelihoodEvaluation* likelihood_ = nullptr;
    QTimer liveRefresh_;
    quint64 samplesSeed_ = 1;
};

}  // namespace vae
