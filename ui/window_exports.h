#pragma once
// The window's exports: the decoded point, the latent grid and map, samples, reconstructions,
// encodings and the loss history (File ▸ Export), and the explorer's own export buttons (the
// walk's strip and GIF, the replay's GIF), and the model as ONNX or TorchScript. Each writes atomically and reports one line: a status
// message, or the error in the message bar. The folder last exported to is remembered.
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QMenu;
QT_END_NAMESPACE

namespace vae {

class DecodedPointPanel;
class ImagePanel;
class LatentExplorer;
class LatentMapWidget;
class LatentReplay;
class LatentWalks;
class TrainingController;
class MessageBar;
class ReplayBar;
class WalkPanel;
struct WindowState;

struct ExportSources {
    DecodedPointPanel* decoded;
    LatentMapWidget* map;
    ImagePanel* samples;
    ImagePanel* reconstructions;
    LatentExplorer* explorer;
    LatentReplay* replay;
    ReplayBar* replayBar;
    LatentWalks* walks;
    WalkPanel* walkPanel;
    TrainingController* controller;  // the model itself (File ▸ Export ▸ Model)
};

class WindowExports : public QObject {
    Q_OBJECT
public:
    WindowExports(QWidget* window, const ExportSources& sources, const WindowState& state, MessageBar* messages);

    // Each returns an empty string on success, else the one-line error naming the file.
    QString exportDecodedPoint(const QString& path, int scale);
    QString exportLatentGrid(const QString& path, int tileSize);
    QString exportSamples(const QString& path);
    QString exportReconstructions(const QString& path);
    QString exportLossHistory(const QString& path);          // also writes <name>-steps.csv
    QString exportLatentMap(const QString& path, int side);  // the map with its scatter and legend
    QString exportEncodings(const QString& path);            // index,label,mu_1..,logvar_1..
    // ONNX for a .onnx name, else TorchScript; the whole VAE. Reports when the training thread is done.
    void exportModel(const QString& path);
    void exportWebPage(const QString& dir);  // 2,000 test images, as the CLI's default

    // A save dialog in the folder last used; remembers the folder of the path chosen.
    QString askSavePath(const QString& title, const QString& fileName, const QString& filter);
    const QString& folder() const { return folder_; }
    void setFolder(const QString& folder) { folder_ = folder; }
    void report(const QString& error, const QString& path);  // a status line, or the error shown

    void addMenu(QMenu* file);  // File ▸ Export

private:
    void connectExplorerButtons();

    QWidget* window_;
    ExportSources sources_;
    const WindowState& state_;
    MessageBar* messages_;
    QString folder_;
};

}  // namespace vae
