#pragma once
// The window's file actions: models (open, save, the unsaved-model question), data folders, run
// files, the remembered preferences, and closing (which may save first). File ▸ Open model…,
// Save model…, Open data folder…, Open/Save run settings… and Quit.
#include <QObject>
#include <QString>

#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QCloseEvent;
class QMenu;
QT_END_NAMESPACE

namespace vae {

class LatentReplay;
class MessageBar;
class ReplayBar;
class SettingsPanel;
class TrainingController;
class WindowExports;
struct ReplaySnapshot;
struct WindowState;

class ModelFiles : public QObject {
    Q_OBJECT
public:
    ModelFiles(QWidget* window, TrainingController& controller, SettingsPanel* settings, WindowState& state,
               WindowExports* exports, MessageBar* messages, LatentReplay* replay, ReplayBar* replayBar);

    void openModel(const QString& path);
    void saveModel(const QString& path);
    void openDataFolder(const QString& path);  // empty: asks for one
    // Run files (run.json, as `vae-explorer train` writes them). Opening one fills the settings;
    // a trained model keeps its shape.
    void openRunSettings(const QString& path);
    QString saveRunSettings(const QString& path);  // empty on success, else the error

    void loadPreferences();
    void savePreferences() const;
    // Loads the settings' data, or says how to get MNIST when it is not installed.
    void loadDefaultDataset();
    bool mayDiscardModel();  // asks first when a trained model is unsaved
    // The window's close: true to close now; false while it asks, or saves first.
    bool closeRequested();
    // A save asked for before closing, once training has stopped (empty: none).
    void saveBeforeClosingIfAsked();
    std::vector<ReplaySnapshot> replayToKeep() const;  // what a saved model carries of the replay

    void addMenuActions(QMenu* file);  // Open/Save model, Open data folder, Open/Save run settings
    QAction* openAction() const { return open_; }
    QAction* saveAction() const { return save_; }

private:
    QWidget* window_;
    TrainingController& controller_;
    SettingsPanel* settings_;
    WindowState& state_;
    WindowExports* exports_;
    MessageBar* messages_;
    LatentReplay* replay_;
    ReplayBar* replayBar_;
    QAction* open_ = nullptr;
    QAction* save_ = nullptr;
};

}  // namespace vae
